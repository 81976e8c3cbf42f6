import { createHash } from "node:crypto";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { HostDirectory } from "../docker/host-directory";
import { baseDirectories, dockerSshUrl, renderDirectoryList, VIRTUAL_DATA_DISK_SERIAL, vmLayout } from "./bootstrap-scripts";
import type { DockerSettings } from "./bootstrap-scripts";
import { renderUserData } from "./cloud-init";
import { DockerHostBootstrap } from "./docker-host-bootstrap";

/** The data disk as the VM gets it. */
export type UbuntuVmDataDisk =
    | {
          /** The owner's USB disk, passed through by the cluster mapping of this name. */
          readonly source: "usb";
          readonly usbMappingName: pulumi.Input<string>;
          readonly filesystemLabel: string;
          readonly mountPoint: string;
      }
    | {
          /** A second virtual disk of this size, formatted and labelled by the bootstrap (dev stack). */
          readonly source: "virtual";
          readonly sizeGiB: number;
          readonly filesystemLabel: string;
          readonly mountPoint: string;
      };

/** The Ubuntu 24.04 VM that runs Docker, and how to reach it. */
export interface UbuntuVmArgs {
    /** The explicit Proxmox provider. Required. */
    readonly provider: proxmoxve.Provider;
    /** The Proxmox node. Required. */
    readonly nodeName: string;
    /** The VMID. Required. */
    readonly vmId: number;
    /** The VM's name in Proxmox, also its host name. Required. */
    readonly name: string;
    /** vCPUs. Required. */
    readonly cores: number;
    /** The QEMU CPU type, e.g. x86-64-v2-AES. Required. */
    readonly cpuType: string;
    /** Memory in MiB (fixed: no ballooning under the containers' limits). Required. */
    readonly memoryMiB: number;
    /** System disk size in GiB (the image is grown to it). Required. */
    readonly diskGiB: number;
    /** Datastore for the VM's disks and its cloud-init drive, e.g. local-lvm. Required. */
    readonly datastoreId: string;
    /** The cloud image to import the system disk from: `<datastore>:import/<file>`. Required. */
    readonly imageFileId: pulumi.Input<string>;
    /** Datastore for the user-data snippet (needs the `snippets` content type). Required. */
    readonly snippetDatastoreId: string;
    /** The static address with prefix, e.g. 192.168.1.89/24. Required. */
    readonly address: string;
    /** The LAN gateway. Required. */
    readonly gateway: string;
    /** DNS servers. Required. */
    readonly dnsServers: readonly string[];
    /** The Proxmox bridge of the NIC. Required. */
    readonly bridge: string;
    /** The admin user cloud-init creates (uid VM_USER_ID). Required. */
    readonly user: string;
    /** Public keys for that user; the only way in (no password login). Required. */
    readonly sshPublicKeys: readonly string[];
    /** The private key the bootstrap logs in with; the SSH agent (SSH_AUTH_SOCK) when absent. Default: the agent. */
    readonly sshPrivateKey?: pulumi.Input<string>;
    /** The VM's time zone. Required. */
    readonly timezone: string;
    /** The data disk. Required. */
    readonly dataDisk: UbuntuVmDataDisk;
    /** Docker settings: log rotation and pinned package versions. Required. */
    readonly docker: DockerSettings;
    /** Directories the apps need, created by the bootstrap with the base layout. Default: none. */
    readonly directories?: readonly HostDirectory[];
    /** Protect the VM (Pulumi `protect` and Proxmox `protection`). Default: false. */
    readonly protect?: boolean;
}

/** Tags on the VM: lower-case and sorted, as Proxmox stores them (otherwise a diff on every run). */
export const VM_TAGS = ["docker", "homelab", "pulumi"] as const;
/** Proxmox starts guests in ascending order; the WireGuard container (remote access) may go first. */
export const VM_STARTUP_ORDER = 2;

/**
 * The Ubuntu VM from the cloud image, its first-boot user-data, and the bootstrap that makes it a
 * Docker host. First-boot settings (user, keys, host name) live in a snippet whose file name carries
 * its content hash; changing them changes `initialization.userDataFileId`, which replaces the VM: a
 * visible replacement in the plan, refused while the VM is protected (prod). Day-2 settings live in
 * the bootstrap and never touch the VM or the snippet.
 */
export class UbuntuVm extends pulumi.ComponentResource {
    /** The cloud-init user-data snippet on the Proxmox host. */
    public readonly userData: proxmoxve.FileLegacy;
    /** The VM. */
    public readonly vm: proxmoxve.VmLegacy;
    /** The bootstrap commands over SSH. */
    public readonly bootstrap: DockerHostBootstrap;
    /** The VM's address without prefix, e.g. 192.168.1.89. */
    public readonly address: string;
    /** The Docker provider's host, `ssh://<user>@<address>`; unknown until the bootstrap has run. */
    public readonly dockerHostUrl: pulumi.Output<string>;
    /** The last bootstrap command: depend on it so nothing runs before Docker, the mount and the directories exist. */
    public readonly bootstrapComplete: pulumi.Resource;
    /** The VM user's home directory, e.g. /home/homelab. */
    public readonly homeDirectory: string;
    /** Where app configuration lives on the VM disk: `<home>/docker`. */
    public readonly configRoot: string;
    /** Where the data disk is mounted. */
    public readonly dataMountPoint: string;
    /** The VMID. */
    public readonly vmId: number;
    /** SSH to the VM as its admin user, for steps that belong to the apps (their folders). */
    public readonly connection: command.types.input.remote.ConnectionArgs;
    /** The last bootstrap step's id: it changes when the bootstrap runs anew on a replaced VM. */
    public readonly bootstrapId: pulumi.Output<string>;

    constructor(name: string, args: UbuntuVmArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:proxmox:UbuntuVm", name, {}, opts);
        const protect = args.protect ?? false;
        const layout = vmLayout(args.user, args.dataDisk.mountPoint);
        // A malformed directory request fails here, before the VM is declared, not halfway through.
        renderDirectoryList([...baseDirectories(layout), ...(args.directories ?? [])]);
        this.homeDirectory = layout.homeDirectory;
        this.configRoot = layout.configRoot;
        this.dataMountPoint = layout.dataMountPoint;
        this.address = args.address.split("/")[0]!;
        this.vmId = args.vmId;

        const userData = renderUserData({ hostname: args.name, user: args.user, sshPublicKeys: args.sshPublicKeys });
        const userDataHash = createHash("sha256").update(userData).digest("hex").slice(0, 12);
        this.userData = new proxmoxve.FileLegacy(`${name}-user-data`, {
            nodeName: args.nodeName,
            datastoreId: args.snippetDatastoreId,
            contentType: "snippets",
            // A new name for new content: the old file stays in place until the VM that boots from it
            // is gone, instead of being overwritten and then deleted under it (providers.md §9 #7).
            sourceRaw: { fileName: `${args.name}-user-data-${userDataHash}.yaml`, data: userData },
        }, { parent: this, provider: args.provider });

        const virtualDataDisk = args.dataDisk.source === "virtual" ? args.dataDisk : undefined;
        const usbDataDisk = args.dataDisk.source === "usb" ? args.dataDisk : undefined;
        this.vm = new proxmoxve.VmLegacy(`${name}-vm`, {
            nodeName: args.nodeName,
            vmId: args.vmId,
            name: args.name,
            description: "Ubuntu 24.04 Docker host of the homelab. Managed by Pulumi: change it in the stack configuration, not here.",
            tags: [...VM_TAGS],
            onBoot: true,
            started: true,
            startup: { order: VM_STARTUP_ORDER, upDelay: 30, downDelay: 120 },
            // On destroy the VM is going away anyway; a guest that ignores ACPI must not block it.
            stopOnDestroy: true,
            // A change that needs the VM offline fails the update instead of restarting every service
            // in the middle of `pulumi up`; the owner reboots when it suits them.
            rebootAfterUpdate: false,
            protection: protect,
            operatingSystem: { type: "l26" },
            cpu: { cores: args.cores, sockets: 1, type: args.cpuType },
            memory: { dedicated: args.memoryMiB, floating: args.memoryMiB },
            // cloud-init installs the agent on first boot. The address is static and the bootstrap
            // waits for SSH itself, so the provider need not wait for the agent to report addresses.
            agent: { enabled: true, trim: true, timeout: "5m", waitForIp: { disabled: true } },
            scsiHardware: "virtio-scsi-single",
            disks: [
                {
                    interface: "scsi0",
                    datastoreId: args.datastoreId,
                    importFrom: args.imageFileId,
                    size: args.diskGiB,
                    iothread: true,
                    discard: "on",
                    ssd: true,
                },
                ...(virtualDataDisk === undefined
                    ? []
                    : [{
                          interface: "scsi1",
                          datastoreId: args.datastoreId,
                          size: virtualDataDisk.sizeGiB,
                          // The bootstrap finds the disk by this serial before it has a label.
                          serial: VIRTUAL_DATA_DISK_SERIAL,
                          iothread: true,
                          discard: "on",
                          ssd: true,
                      }]),
            ],
            // Declared so the provider's default never applies: the schema default (ide3, no file) is
            // created as the host's physical drive `cdrom`, which qemu-server lets only holders of
            // Sys.Console on / attach (a 403 for the token). `none` is an empty drive, not checked.
            cdrom: { fileId: "none", interface: "ide3" },
            networkDevices: [{ bridge: args.bridge, model: "virtio", firewall: false }],
            initialization: {
                datastoreId: args.datastoreId,
                interface: "ide2",
                ipConfigs: [{ ipv4: { address: args.address, gateway: args.gateway } }],
                dns: { servers: [...args.dnsServers] },
                userDataFileId: this.userData.id,
            },
            usbs: usbDataDisk === undefined ? [] : [{ mapping: usbDataDisk.usbMappingName, usb3: true }],
            // Cloud images log to the serial console; the web console shows it.
            serialDevices: [{ device: "socket" }],
            vga: { type: "serial0" },
        }, {
            parent: this,
            provider: args.provider,
            protect,
            // The VMID is fixed, so a replacement must remove the old VM before creating the new one.
            deleteBeforeReplace: true,
            ignoreChanges: [
                // The provider reads all-zero speed limits back as a change (providers.md §9 #1); one
                // explicit index per disk, as wildcards do not work here.
                "disks[0].speed",
                ...(virtualDataDisk === undefined ? [] : ["disks[1].speed"]),
                // Only used when the disk is created; a newer pinned image is for new VMs.
                "disks[0].importFrom",
            ],
        });

        const connection: command.types.input.remote.ConnectionArgs = {
            host: this.address,
            user: args.user,
            // The VM boots, runs cloud-init and only then accepts the key: keep dialling for ~10 minutes.
            dialErrorLimit: 60,
            perDialTimeout: 10,
            ...(args.sshPrivateKey === undefined ? {} : { privateKey: pulumi.secret(args.sshPrivateKey) }),
        };
        this.bootstrap = new DockerHostBootstrap(`${name}-bootstrap`, {
            connection,
            user: args.user,
            layout,
            timezone: args.timezone,
            dataDisk: { source: args.dataDisk.source, filesystemLabel: args.dataDisk.filesystemLabel },
            docker: args.docker,
            directories: args.directories,
            vmIdentity: this.vm.id,
        }, { parent: this, dependsOn: [this.vm] });
        this.bootstrapComplete = this.bootstrap.lastStep;
        this.connection = connection;
        this.bootstrapId = this.bootstrap.lastStep.id;
        const url = dockerSshUrl(args.user, this.address);
        // Derived from the last step's output: unknown in a preview until the bootstrap has run, so the
        // Docker provider is not configured against a VM that has no Docker yet.
        this.dockerHostUrl = this.bootstrap.lastStep.stdout.apply(() => url);

        this.registerOutputs({ vmId: this.vmId, address: this.address, dockerHostUrl: this.dockerHostUrl });
    }
}
