// Which input changes make the provider replace a resource instead of updating it in place, read
// from the bridged providers' source at the versions @muhlba91/pulumi-proxmoxve 8.6.0 (bpg
// terraform-provider-proxmox v0.111.1), @pulumi/docker 5.2.0 (kreuzwerker terraform-provider-docker
// v4.5.0), @pulumi/command 1.2.1 and @pulumi/random 4.21.2 (hashicorp terraform-provider-random) bridge.
//
// Path syntax: "[]" stands for any list index. "a.b" replaces when a.b or anything inside it changes.
// "a#" replaces only when a appears, disappears or its list length changes: a list-level ForceNew in
// the Terraform plugin SDK marks only the count ("a.#") RequiresNew and diffs the elements with their
// own ForceNew (terraform-plugin-sdk helper/schema/schema.go, schemaMap.diffList).

/** The replacing input paths of one resource type, and the upstream file that says so. */
export interface ReplaceRule {
    /** The Pulumi type token. */
    readonly type: string;
    /** The upstream file (and function) the paths were read from. */
    readonly source: string;
    /** Paths whose change replaces the resource. */
    readonly paths: readonly string[];
    /** Numeric paths that replace only when the value decreases. Default: none. */
    readonly onDecrease?: readonly string[];
}

export const REPLACE_RULES: readonly ReplaceRule[] = [
    {
        type: "proxmoxve:index/vmLegacy:VmLegacy",
        // vmId and nodeName are CustomizeDiff ForceNewIf (nodeName unless `migrate`, which this
        // program never sets); tpmState.version and efiDisk.type are forceNewOnTPMVersionChange and
        // forceNewOnEFIDiskTypeChange; disks[].fileId is ForceNew in disk/schema.go. amd_sev is a
        // list-level ForceNew: only adding or removing the block replaces.
        source: "bpg/terraform-provider-proxmox v0.111.1 proxmoxtf/resource/vm/vm.go VM() and proxmoxtf/resource/vm/disk/schema.go Schema()",
        paths: [
            "vmId",
            "nodeName",
            "clone",
            "amdSev#",
            "initialization.userDataFileId",
            "initialization.vendorDataFileId",
            "initialization.networkDataFileId",
            "initialization.metaDataFileId",
            "initialization.type",
            "disks[].fileId",
            "tpmState.version",
            "efiDisk.type",
        ],
    },
    {
        type: "proxmoxve:index/containerLegacy:ContainerLegacy",
        // operating_system and mount_point are list-level ForceNew (adding or removing one replaces);
        // inside them only template_file_id, volume and size are. A smaller disk.size replaces
        // (CustomizeDiff ForceNewIf on mkDisk: "shrinking is not supported").
        source: "bpg/terraform-provider-proxmox v0.111.1 proxmoxtf/resource/container/container.go Container()",
        paths: [
            "vmId",
            "nodeName",
            "poolId",
            "unprivileged",
            "template",
            "clone",
            "operatingSystem#",
            "operatingSystem.templateFileId",
            "initialization.userAccount",
            "disk.datastoreId",
            "mountPoints#",
            "mountPoints[].volume",
            "mountPoints[].size",
        ],
        onDecrease: ["disk.size"],
    },
    {
        type: "docker:index/container:Container",
        // 47 of its 73 inputs are ForceNew; healthcheck is not, and resourceDockerContainerUpdate
        // never applies it (the program adds replaceOnChanges for it).
        source: "kreuzwerker/terraform-provider-docker v4.5.0 internal/provider/resource_docker_container.go resourceDockerContainer()",
        paths: [
            "capabilities", "cgroupParent", "cgroupnsMode", "command", "cpus", "deviceRequests", "devices",
            "dns", "dnsOpts", "dnsSearches", "domainname", "entrypoints", "envs", "gpus", "groupAdds", "hosts",
            "hostname", "image", "ipcMode", "labels", "logDriver", "logOpts", "mounts", "name", "networkMode",
            "networksAdvanced", "pidMode", "platform", "ports", "privileged", "publishAllPorts", "readOnly",
            "runtime", "securityOpts", "shmSize", "stdinOpen", "stopSignal", "stopTimeout", "storageOpts",
            "sysctls", "tty", "ulimits", "uploads", "user", "usernsMode", "volumes", "workingDir",
        ],
    },
    {
        type: "docker:index/remoteImage:RemoteImage",
        source: "kreuzwerker/terraform-provider-docker v4.5.0 internal/provider/resource_docker_image.go resourceDockerImage()",
        paths: ["name", "platform", "build", "pullTriggers", "triggers"],
    },
    {
        type: "docker:index/network:Network",
        source: "kreuzwerker/terraform-provider-docker v4.5.0 internal/provider/resource_docker_network.go resourceDockerNetwork()",
        paths: ["name", "driver", "internal", "attachable", "ingress", "ipv6", "ipamConfigs", "ipamDriver", "ipamOptions", "options", "labels"],
    },
    {
        type: "command:remote:Command",
        // Only `triggers` is tagged replaceOnChanges; a change of create/update/delete runs `update`.
        source: "pulumi/pulumi-command v1.2.1 provider/pkg/provider/remote/command.go CommandInputs",
        paths: ["triggers"],
    },
    {
        type: "command:remote:CopyToRemote",
        // remotePath is a plain input: a new path is an update that copies again.
        source: "pulumi/pulumi-command v1.2.1 provider/pkg/provider/remote/copy.go CopyToRemoteInputs",
        paths: ["triggers"],
    },
    {
        type: "proxmoxve:index/fileLegacy:FileLegacy",
        source: "bpg/terraform-provider-proxmox v0.111.1 proxmoxtf/resource/file.go File()",
        paths: ["nodeName", "datastoreId", "contentType", "fileMode", "sourceRaw", "sourceFile"],
    },
    {
        type: "proxmoxve:download/file:File",
        // RequiresReplace plan modifiers; size replaces only when the file changed behind the
        // provider's back with overwrite set (sizeRequiresReplaceModifier), which this program never sets.
        source: "bpg/terraform-provider-proxmox v0.111.1 fwprovider/nodes/resource_download_file.go Schema()",
        paths: ["nodeName", "datastoreId", "contentType", "url", "fileName", "checksum", "checksumAlgorithm", "decompressionAlgorithm"],
    },
    {
        type: "proxmoxve:backup/job:Job",
        // Only the job's id (Terraform `id`, Pulumi `resourceId`) has RequiresReplace; every other
        // attribute is PUT to /cluster/backup/{id} in place.
        source: "bpg/terraform-provider-proxmox v0.111.1 fwprovider/cluster/backup/resource.go backupJobResource.Schema",
        paths: ["resourceId"],
    },
    {
        type: "proxmoxve:hardware/mapping/usb:Usb",
        // Nothing: `name` has no RequiresReplace, and Update PUTs to the planned (new) name. The
        // program's replaceOnChanges on `name` is what makes a rename a replacement.
        source: "bpg/terraform-provider-proxmox v0.111.1 fwprovider/cluster/hardwaremapping/resource_usb.go usbResource.Schema and usbResource.Update",
        paths: [],
    },
    {
        type: "random:index/randomBytes:RandomBytes",
        source: "hashicorp/terraform-provider-random internal/provider/resource_bytes.go bytesResource.Schema",
        paths: ["length", "keepers"],
    },
    {
        type: "random:index/randomPassword:RandomPassword",
        source: "hashicorp/terraform-provider-random internal/provider/resource_password.go passwordSchemaV3",
        paths: ["length", "special", "overrideSpecial", "upper", "lower", "number", "numeric", "minUpper", "minLower", "minNumeric", "minSpecial", "keepers"],
    },
    // The tls provider's resources are immutable: every input but early_renewal_hours has a
    // RequiresReplace plan modifier (a certificate past its early-renewal time is replaced in ModifyPlan).
    {
        type: "tls:index/privateKey:PrivateKey",
        source: "hashicorp/terraform-provider-tls internal/provider/resource_private_key.go privateKeyResource.Schema",
        paths: ["algorithm", "ecdsaCurve", "rsaBits"],
    },
    {
        type: "tls:index/certRequest:CertRequest",
        source: "hashicorp/terraform-provider-tls internal/provider/resource_cert_request.go certRequestResource.Schema",
        paths: ["privateKeyPem", "subject", "dnsNames", "ipAddresses", "uris"],
    },
    {
        type: "tls:index/selfSignedCert:SelfSignedCert",
        source: "hashicorp/terraform-provider-tls internal/provider/resource_self_signed_cert.go selfSignedCertResource.Schema",
        paths: ["privateKeyPem", "subject", "dnsNames", "ipAddresses", "uris", "validityPeriodHours", "allowedUses", "isCaCertificate", "maxPathLength", "setSubjectKeyId", "setAuthorityKeyId"],
    },
    {
        type: "tls:index/locallySignedCert:LocallySignedCert",
        source: "hashicorp/terraform-provider-tls internal/provider/resource_locally_signed_cert.go locallySignedCertResource.Schema",
        paths: ["certRequestPem", "caPrivateKeyPem", "caCertPem", "validityPeriodHours", "allowedUses", "isCaCertificate", "maxPathLength", "setSubjectKeyId"],
    },
    // This project's own dynamic providers: what their diff() puts in `replaces`. Each puts
    // "connection" there only for another NPM instance (connection.url); a new login to the same
    // instance (email, password) is an update. "connection#": a connection that changed as a whole
    // (a "[secret]" mark on one side) may hide a new url, so it counts as one.
    {
        type: "pulumi-nodejs:dynamic/nginx-proxy-manager:ProxyHost",
        // Names change in place (PUT); only another NPM instance replaces, delete-first.
        source: "homelab components/nginx-proxy-manager/proxy-host-provider.ts ProxyHostProvider.diff",
        paths: ["connection#", "connection.url"],
    },
    {
        type: "pulumi-nodejs:dynamic/nginx-proxy-manager:Certificate",
        // NPM certificates have no PUT: any change is a new certificate.
        source: "homelab components/nginx-proxy-manager/certificate-provider.ts CertificateProvider.diff",
        paths: ["niceName", "domainNames", "source", "connection#", "connection.url"],
    },
    {
        type: "pulumi-nodejs:dynamic/nginx-proxy-manager:AccessList",
        source: "homelab components/nginx-proxy-manager/access-list-provider.ts AccessListProvider.diff",
        paths: ["connection#", "connection.url"],
    },
];

/** Input paths whose change replaces the resource, per resource type. */
export const REPLACE_ON_CHANGE: Readonly<Record<string, readonly string[]>> = Object.fromEntries(REPLACE_RULES.map((rule) => [rule.type, rule.paths]));

/** "disks[0].fileId" → "disks[].fileId": list indices do not matter for the table. */
export function withoutIndices(path: string): string {
    return path.replace(/\[\d+\]/g, "[]");
}

/** True when `path` falls under `field`: "a" covers a, a.b and a[0]; "a#" covers only a itself; "[*]" (Pulumi's wildcard) is any index. */
export function pathMatches(field: string, path: string): boolean {
    const normalized = withoutIndices(path);
    const pattern = withoutIndices(field.replace(/\[\*\]/g, "[]"));
    if (pattern.endsWith("#")) {
        return normalized === pattern.slice(0, -1);
    }
    return normalized === pattern || normalized.startsWith(`${pattern}.`) || normalized.startsWith(`${pattern}[`);
}

/** The old and new value at a changed path, when the caller has them. */
export interface ChangedValues {
    readonly before: unknown;
    readonly after: unknown;
}

/** True when changing `path` (or anything inside it) replaces a resource of `type`. */
export function replacesOnChange(type: string, path: string, values?: ChangedValues): boolean {
    const rule = REPLACE_RULES.find((candidate) => candidate.type === type);
    if (rule === undefined) {
        return false;
    }
    if (rule.paths.some((field) => pathMatches(field, path))) {
        return true;
    }
    const decreased = values !== undefined && typeof values.before === "number" && typeof values.after === "number" && values.after < values.before;
    // Stryker disable next-line ArrayDeclaration: equivalent, a placeholder entry in the empty fallback names no input of any resource
    return decreased && (rule.onDecrease ?? []).includes(withoutIndices(path));
}

/** The value at a path such as "disks[0].size" in a plan's inputs; undefined when absent. */
export function valueAtPath(inputs: unknown, path: string): unknown {
    return path
        .split(/\.|(?=\[)/)
        .filter((part) => part !== "")
        .reduce<unknown>((current, part) => {
            if (current === null || typeof current !== "object") {
                return undefined;
            }
            const index = /^\[(\d+)\]$/.exec(part);
            return index === null ? (current as Record<string, unknown>)[part] : (current as unknown[])[Number(index[1])];
        }, inputs);
}
