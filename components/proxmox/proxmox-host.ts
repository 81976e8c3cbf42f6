import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { cloudImageFileName } from "./cloud-image";

/** How Pulumi reaches the Proxmox host. */
export interface ProxmoxHostArgs {
    /** The API URL, e.g. https://192.168.1.120:8006. Required. */
    readonly endpoint: string;
    /** The node name, e.g. pve. Required. */
    readonly nodeName: string;
    /** The API token `user@realm!id=uuid`; kept secret. Required. */
    readonly apiToken: pulumi.Input<string>;
    /** Accept a self-signed certificate. Default: false. */
    readonly insecure?: boolean;
    /** SSH to the node, which snippet uploads need: user, address and port. Required. */
    readonly ssh: { readonly username: string; readonly address: string; readonly port: number };
    /** A private key for that SSH login; the local SSH agent is used when absent. Default: the agent. */
    readonly sshPrivateKey?: pulumi.Input<string>;
    /** The Ubuntu cloud image to download: a dated release URL, its SHA-256, the datastore (needs the `import` content type) and the VMID that imports it (in the file name). Required. */
    readonly cloudImage: { readonly url: string; readonly sha256: string; readonly datastoreId: string; readonly vmId: number };
    /** The USB data disk to map for VMs: its vendor:product id and the mapping's cluster-wide name (keep it stable). Default: no mapping. */
    readonly usbDataDisk?: { readonly usbId: string; readonly mappingName: string };
    /** Protect the USB mapping from deletion. Default: false. */
    readonly protect?: boolean;
}

/** The Proxmox VE host: the explicit provider every Proxmox resource uses. */
export class ProxmoxHost extends pulumi.ComponentResource {
    /** The explicit provider; nothing in this program uses the default one. */
    public readonly provider: proxmoxve.Provider;
    /** The node name, for resources that need it. */
    public readonly nodeName: string;
    /** SSH to the host for remote commands (the agent, or the configured private key). */
    public readonly sshConnection: command.types.input.remote.ConnectionArgs;
    /** The downloaded cloud image; its id (`<datastore>:import/<file>`) is what a VM disk imports from. */
    public readonly cloudImage: proxmoxve.download.File;
    /** The cluster USB mapping for the data disk (API tokens may not pass raw USB devices); absent without a USB disk. */
    public readonly usbDataDiskMapping: proxmoxve.hardware.mapping.Usb | undefined;

    constructor(name: string, args: ProxmoxHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:proxmox:ProxmoxHost", name, {}, opts);
        this.nodeName = args.nodeName;
        const usesAgent = args.sshPrivateKey === undefined;
        this.provider = new proxmoxve.Provider(`${name}-provider`, {
            endpoint: args.endpoint,
            apiToken: pulumi.secret(args.apiToken),
            insecure: args.insecure ?? false,
            ssh: {
                username: args.ssh.username,
                agent: usesAgent,
                privateKey: usesAgent ? undefined : pulumi.secret(args.sshPrivateKey),
                // The provider would otherwise guess the node's address from its first gateway interface.
                nodes: [{ name: args.nodeName, address: args.ssh.address, port: args.ssh.port }],
            },
        }, { parent: this });
        this.sshConnection = {
            host: args.ssh.address,
            port: args.ssh.port,
            user: args.ssh.username,
            // Without a key the command provider uses SSH_AUTH_SOCK, the same agent the provider uses.
            ...(usesAgent ? {} : { privateKey: pulumi.secret(args.sshPrivateKey) }),
        };
        this.cloudImage = new proxmoxve.download.File(`${name}-cloud-image`, {
            nodeName: args.nodeName,
            datastoreId: args.cloudImage.datastoreId,
            contentType: "import",
            url: args.cloudImage.url,
            fileName: cloudImageFileName(args.cloudImage.url, args.cloudImage.sha256, args.cloudImage.vmId),
            checksum: args.cloudImage.sha256,
            checksumAlgorithm: "sha256",
            // The URL is a dated release and the checksum pins its bytes: never re-download over it.
            overwrite: false,
            uploadTimeout: 1800,
        }, { parent: this, provider: this.provider });
        this.usbDataDiskMapping = args.usbDataDisk === undefined ? undefined : new proxmoxve.hardware.mapping.Usb(`${name}-usb-data-disk`, {
            name: args.usbDataDisk.mappingName,
            comment: "The homelab's USB data disk, passed through to the Docker VM (managed by Pulumi)",
            // No `path`: matched by vendor:product id, so the disk may move to another port.
            maps: [{ node: args.nodeName, id: args.usbDataDisk.usbId }],
        }, {
            parent: this,
            provider: this.provider,
            protect: args.protect ?? false,
            // The provider updates a new name in place, with a PUT to the new name, which does not
            // exist yet: the update fails. A new name is a new mapping; the VM follows its `name`.
            replaceOnChanges: ["name"],
        });
        this.registerOutputs({ nodeName: this.nodeName, cloudImageId: this.cloudImage.id });
    }
}
