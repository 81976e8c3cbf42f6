// Which input changes make the provider replace a resource instead of updating it in place.
// Paths use "[]" for any list index. Sources: the bridged providers' schemas (ForceNew fields) as
// summarised in ../shared/reference/providers.md §1.2, §2, §3, §7 and ecosystem.md §6.2–6.3.

/** Input paths whose change replaces the resource, per resource type. */
export const REPLACE_ON_CHANGE: Readonly<Record<string, readonly string[]>> = {
    // bpg proxmox_virtual_environment_vm (vm.go schema + CustomizeDiff). nodeName replaces unless
    // `migrate` is set, which this program never sets.
    "proxmoxve:index/vmLegacy:VmLegacy": [
        "vmId",
        "nodeName",
        "clone",
        "amdSev",
        "initialization.userDataFileId",
        "initialization.vendorDataFileId",
        "initialization.networkDataFileId",
        "initialization.metaDataFileId",
        "initialization.type",
        "disks[].fileId",
        "tpmState.version",
        "efiDisk.type",
    ],
    // bpg proxmox_virtual_environment_container (container.go).
    "proxmoxve:index/containerLegacy:ContainerLegacy": [
        "vmId",
        "nodeName",
        "poolId",
        "unprivileged",
        "template",
        "clone",
        "operatingSystem",
        "initialization.userAccount",
        "disk.datastoreId",
        "mountPoints[].volume",
        "mountPoints[].size",
    ],
    // kreuzwerker docker_container: 47 of its 73 inputs are ForceNew.
    "docker:index/container:Container": [
        "capabilities", "cgroupParent", "cgroupnsMode", "command", "cpus", "deviceRequests", "devices",
        "dns", "dnsOpts", "dnsSearches", "domainname", "entrypoints", "envs", "gpus", "groupAdds", "hosts",
        "hostname", "image", "ipcMode", "labels", "logDriver", "logOpts", "mounts", "name", "networkMode",
        "networksAdvanced", "pidMode", "platform", "ports", "privileged", "publishAllPorts", "readOnly",
        "runtime", "securityOpts", "shmSize", "stdinOpen", "stopSignal", "stopTimeout", "storageOpts",
        "sysctls", "tty", "ulimits", "uploads", "user", "usernsMode", "volumes", "workingDir",
    ],
    // kreuzwerker docker_image.
    "docker:index/remoteImage:RemoteImage": ["name", "platform", "build", "pullTriggers", "triggers"],
    "docker:index/network:Network": ["name", "driver", "internal", "attachable", "ingress", "ipv6", "ipamConfigs", "ipamDriver", "ipamOptions", "options", "labels"],
    // pulumi-command adds replaceOnChanges ["triggers[*]"]; create/update/delete changes run `update`.
    "command:remote:Command": ["triggers"],
    "command:remote:CopyToRemote": ["triggers", "remotePath"],
    // proxmox_virtual_environment_file: every sourceRaw/sourceFile field is ForceNew.
    "proxmoxve:index/fileLegacy:FileLegacy": ["nodeName", "datastoreId", "contentType", "sourceRaw", "sourceFile"],
    // proxmox_download_file: RequiresReplace on the identity of the download.
    "proxmoxve:download/file:File": ["nodeName", "datastoreId", "contentType", "url", "fileName", "checksum", "checksumAlgorithm", "decompressionAlgorithm"],
    "proxmoxve:hardware/mapping/usb:Usb": ["name"],
    // Random values regenerate when their shape or keepers change.
    "random:index/randomBytes:RandomBytes": ["length", "keepers"],
    "random:index/randomPassword:RandomPassword": ["length", "special", "overrideSpecial", "upper", "lower", "numeric", "minUpper", "minLower", "minNumeric", "minSpecial", "keepers"],
};

/** "disks[0].fileId" → "disks[].fileId": list indices do not matter for the table. */
export function withoutIndices(path: string): string {
    return path.replace(/\[\d+\]/g, "[]");
}

/** True when changing `path` (or anything inside it) replaces a resource of `type`. */
export function replacesOnChange(type: string, path: string): boolean {
    const normalized = withoutIndices(path);
    // Stryker disable next-line ArrayDeclaration: equivalent, a placeholder entry in the fallback matches no input path of a type the table does not know
    return (REPLACE_ON_CHANGE[type] ?? []).some((field) => normalized === field || normalized.startsWith(`${field}.`) || normalized.startsWith(`${field}[`));
}
