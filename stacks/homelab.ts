// The composition: one Homelab component that turns the validated StackConfig into the graph of
// ARCHITECTURE.md §3. Components below it take typed arguments and never read configuration.
import * as pulumi from "@pulumi/pulumi";
import type { HostDirectory } from "../components/docker/host-directory";
import { ProxmoxHost } from "../components/proxmox/proxmox-host";
import { UbuntuVm } from "../components/proxmox/ubuntu-vm";
import type { StackConfig } from "./config";

/** What the Homelab is built from. */
export interface HomelabArgs {
    /** The validated stack configuration. Required. */
    readonly config: StackConfig;
}

/** The whole homelab of one stack. */
export class Homelab extends pulumi.ComponentResource {
    /** The Proxmox host and its provider. */
    public readonly proxmox: ProxmoxHost;
    /** The Ubuntu VM and its Docker host bootstrap. */
    public readonly vm: UbuntuVm;
    /** The stack outputs. */
    public readonly outputs: Record<string, pulumi.Input<unknown>>;

    constructor(name: string, args: HomelabArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:index:Homelab", name, {}, opts);
        const { config } = args;
        this.proxmox = new ProxmoxHost(`${name}-proxmox`, {
            endpoint: config.proxmox.endpoint,
            nodeName: config.proxmox.node,
            apiToken: pulumi.secret(config.proxmoxApiToken),
            insecure: config.proxmox.insecure,
            ssh: config.proxmox.ssh,
            sshPrivateKey: config.sshPrivateKey === undefined ? undefined : pulumi.secret(config.sshPrivateKey),
            cloudImage: { ...config.vm.cloudImage, datastoreId: config.proxmox.filesDatastore },
            usbDataDisk: config.dataDisk.source === "usb" ? { usbId: config.dataDisk.usbId, mappingName: `data-disk-${config.vm.name}` } : undefined,
            protect: config.protect,
        }, { parent: this });
        // --- The Ubuntu VM and its Docker host bootstrap (components/proxmox) ---
        // Directories the apps need on the VM; the bootstrap creates them before any container starts.
        const hostDirectories: HostDirectory[] = [];
        const usbMapping = this.proxmox.usbDataDiskMapping;
        this.vm = new UbuntuVm(`${name}-vm`, {
            provider: this.proxmox.provider,
            nodeName: config.proxmox.node,
            vmId: config.vm.id,
            name: config.vm.name,
            cores: config.vm.cores,
            cpuType: config.vm.cpuType,
            memoryMiB: config.vm.memoryMiB,
            diskGiB: config.vm.diskGiB,
            datastoreId: config.vm.datastore,
            imageFileId: this.proxmox.cloudImage.id,
            snippetDatastoreId: config.proxmox.filesDatastore,
            address: config.vm.address,
            gateway: config.network.gateway,
            dnsServers: config.network.dns,
            bridge: config.network.bridge,
            user: config.vm.user,
            sshPublicKeys: config.vm.sshPublicKeys,
            sshPrivateKey: config.sshPrivateKey === undefined ? undefined : pulumi.secret(config.sshPrivateKey),
            timezone: config.vm.timezone,
            dataDisk: config.dataDisk.source === "usb" && usbMapping !== undefined
                ? { source: "usb", usbMappingName: usbMapping.name, filesystemLabel: config.dataDisk.filesystemLabel, mountPoint: config.dataDisk.mountPoint }
                : config.dataDisk.source === "virtual"
                  ? { source: "virtual", sizeGiB: config.dataDisk.sizeGiB, filesystemLabel: config.dataDisk.filesystemLabel, mountPoint: config.dataDisk.mountPoint }
                  : missingUsbMapping(),
            docker: config.docker,
            directories: hostDirectories,
            protect: config.protect,
        }, { parent: this });

        // --- The apps on the Docker host (components/docker, components/apps) ---

        // --- WireGuard (components/wireguard) ---

        this.outputs = {
            proxmoxEndpoint: config.proxmox.endpoint,
            vmId: this.vm.vmId,
            vmAddress: this.vm.address,
            vmSshCommand: `ssh ${config.vm.user}@${this.vm.address}`,
        };
        this.registerOutputs(this.outputs);
    }
}

function missingUsbMapping(): never {
    throw new Error("a USB data disk needs the host's USB mapping");
}
