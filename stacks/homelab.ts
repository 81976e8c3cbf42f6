// The composition: one Homelab component that turns the validated StackConfig into the graph of
// docs/architecture.md. Components below it take typed arguments and never read configuration.
import * as pulumi from "@pulumi/pulumi";
import { Apps } from "../components/apps/apps";
import { DockerHost } from "../components/docker/docker-host";
import { vmLayout } from "../components/proxmox/bootstrap-scripts";
import { checkExistingGuests } from "../components/proxmox/existing-guests";
import { ProxmoxHost } from "../components/proxmox/proxmox-host";
import { UbuntuVm } from "../components/proxmox/ubuntu-vm";
import { wireguardStackOutputs } from "../components/wireguard/stack-outputs";
import { WireGuardServer } from "../components/wireguard/wireguard-server";
import type { StackConfig } from "./config";
import type { GuestBackupJob } from "../components/backups/guest-backup-job";
import type { VmBackups } from "../components/backups/vm-backups";
import { declareGuestBackupJob, declareVmBackups } from "./homelab-backups";
import { deployedAppVersions, guardedMigrationSteps } from "./upgrade-guard";
import { guestClaims } from "./guest-claims";
import { declareNames, dnsServerAddress } from "./names";
import type { Names } from "./names";

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
    /** The Docker engine on the VM and its proxy network. */
    public readonly dockerHost: DockerHost;
    /** The apps on the Docker host. */
    public readonly apps: Apps;
    /** The WireGuard server and its peers; undefined when homelab:wireguard.enabled is false. */
    public readonly wireguard: WireGuardServer | undefined;
    /** restic on the VM; undefined without homelab:backups.repository. */
    public readonly vmBackups: VmBackups | undefined;
    /** The Proxmox backup job of the guests; undefined without homelab:backups.datastore. */
    public readonly guestBackupJob: GuestBackupJob | undefined;
    /** The CA, the proxy sites and the DNS server. */
    public readonly names: Names;
    /** The stack outputs. */
    public readonly outputs: Record<string, pulumi.Input<unknown>>;
    /** Settles once the host's existing guests are checked; rejects when one holds an id this stack wants. */
    public readonly existingGuestCheck: Promise<void>;

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
            cloudImage: { ...config.vm.cloudImage, datastoreId: config.proxmox.filesDatastore, vmId: config.vm.id },
            // Named after the VMID, not vm.name: a rename of the VM must not rename the mapping, and a
            // new VMID is a new VM anyway. The VMID is unique on the host, so each stack has its own.
            usbDataDisk: config.dataDisk.source === "usb" ? { usbId: config.dataDisk.usbId, mappingName: usbMappingName(config.vm.id) } : undefined,
            protect: config.protect,
        }, { parent: this });
        // Read-only, through the provider: the ids this stack wants must not belong to a guest it did
        // not create. program() awaits it, so a preview (and the one every `up` starts with) stops.
        this.existingGuestCheck = checkExistingGuests(this.proxmox.provider, guestClaims(config));
        // --- The Ubuntu VM and its Docker host bootstrap (components/proxmox) ---
        // Each app creates its own folders (components/apps/app-folders.ts): the VM's bootstrap
        // knows only the base layout, so one app's change never re-runs it.
        const layout = vmLayout(config.vm.user, config.dataDisk.mountPoint);
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
            protect: config.protect,
        }, { parent: this });

        // --- Backups and the upgrade guard (components/backups, stacks/upgrade-guard.ts) ---
        // The stateful apps' versions as configured, against those the stack last deployed.
        const guardedVersions = {
            ...(config.apps.nextcloud.enabled ? { nextcloud: config.apps.nextcloud.version } : {}),
            ...(config.apps.immich.enabled ? { immich: config.apps.immich.version } : {}),
        };
        const migrationSteps = guardedMigrationSteps(deployedAppVersions(`${name}-deployed-versions`, this), guardedVersions);
        const { vmBackups, beforeAppChanges } = declareVmBackups(`${name}-backups`, config, { vm: this.vm, layout, migrationSteps }, this);
        this.vmBackups = vmBackups;

        // --- The apps on the Docker host (components/docker, components/apps) ---
        // The provider's host is the bootstrap's output, unknown until Docker exists on the VM; it
        // also waits for the upgrade guard, so a refused upgrade changes no container, and every
        // container waits for the pre-upgrade backups.
        this.dockerHost = new DockerHost(`${name}-docker`, {
            host: pulumi.all([this.vm.dockerHostUrl, migrationSteps]).apply(([url]) => url),
            dependsOn: [this.vm.bootstrapComplete, ...beforeAppChanges],
            stack: pulumi.getStack(),
            vmShell: { connection: this.vm.connection, bootstrapId: this.vm.bootstrapId },
        }, { parent: this });
        this.apps = new Apps(`${name}-apps`, {
            host: this.dockerHost,
            layout,
            vmAddress: this.vm.address,
            timezone: config.vm.timezone,
            ...config.apps,
        }, { parent: this });

        // --- WireGuard (components/wireguard) ---
        const wireguard = config.wireguard;
        // The homelab's DNS in this container by default, so peers resolve the apps' names over the tunnel.
        const peerDns = wireguard.dns ?? [dnsServerAddress(config) ?? config.network.dns[0]!];
        this.wireguard = wireguard.enabled
            ? new WireGuardServer(`${name}-wireguard`, {
                host: this.proxmox,
                containerId: wireguard.containerId,
                hostname: wireguard.hostname,
                address: wireguard.address,
                gateway: config.network.gateway,
                bridge: config.network.bridge,
                lan: config.network.lan,
                dnsServers: config.network.dns,
                datastore: wireguard.datastore ?? config.vm.datastore,
                templateDatastore: config.proxmox.filesDatastore,
                diskGiB: wireguard.diskGiB,
                memoryMiB: wireguard.memoryMiB,
                port: wireguard.port,
                subnet: wireguard.subnet,
                mtu: wireguard.mtu,
                endpoint: wireguard.endpoint,
                peerDns,
                peers: wireguard.peers,
                protect: config.protect,
            }, { parent: this })
            : undefined;
        const wireguardOutputs = this.wireguard === undefined ? {} : wireguardStackOutputs(this.wireguard);
        // vzdump of both guests; the USB data disk is a passed-through device that vzdump never reads.
        this.guestBackupJob = declareGuestBackupJob(`${name}-guest-backups`, config, this.proxmox, [
            { id: config.vm.id, resource: this.vm.vm },
            ...(this.wireguard === undefined ? [] : [{ id: wireguard.containerId, resource: this.wireguard.container }]),
        ], this);

        // --- Names, certificates and DNS (components/nginx-proxy-manager, components/tls, components/dns) ---
        this.names = declareNames(name, { config, apps: this.apps, proxmox: this.proxmox, vmAddress: this.vm.address, wireguard: this.wireguard }, this);

        this.outputs = {
            proxmoxEndpoint: config.proxmox.endpoint,
            vmId: this.vm.vmId,
            vmAddress: this.vm.address,
            vmSshCommand: `ssh ${config.vm.user}@${this.vm.address}`,
            appUpstreams: this.apps.upstreams,
            ...(this.apps.proxyAdminUrl === undefined ? {} : { proxyAdminUrl: this.apps.proxyAdminUrl }),
            adminCredentials: this.apps.adminCredentials,
            // Read back by the upgrade guard of the next preview or up (stacks/upgrade-guard.ts).
            appVersions: guardedVersions,
            ...wireguardOutputs,
            ...this.names.outputs,
            ...(this.wireguard === undefined ? {} : { wireguardPeerDns: peerDns }),
        };
        this.registerOutputs(this.outputs);
    }
}

/** The cluster USB mapping's name for the data disk of the VM with this VMID. */
export function usbMappingName(vmId: number): string {
    return `data-disk-vm${vmId}`;
}

function missingUsbMapping(): never {
    throw new Error("a USB data disk needs the host's USB mapping");
}
