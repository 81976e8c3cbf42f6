// The composition: one Homelab component that turns the validated StackConfig into the graph of
// ARCHITECTURE.md §3. Components below it take typed arguments and never read configuration.
import * as pulumi from "@pulumi/pulumi";
import { Apps } from "../components/apps/apps";
import { appHostDirectories } from "../components/apps/directories";
import type { AppsLayout } from "../components/apps/directories";
import { DockerHost } from "../components/docker/docker-host";
import type { HostDirectory } from "../components/docker/host-directory";
import { formatIpv4, parseIpv4InterfaceAddress } from "../components/network/ipv4";
import { ProxmoxHost } from "../components/proxmox/proxmox-host";
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
    /** The Docker engine on the VM and its proxy network. */
    public readonly dockerHost: DockerHost;
    /** The apps on the Docker host. */
    public readonly apps: Apps;
    /** The directories the VM bootstrap must create for the enabled apps. */
    public readonly appDirectories: readonly HostDirectory[];
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
        }, { parent: this });
        // --- The Ubuntu VM and its Docker host bootstrap (components/proxmox) ---

        // --- The apps on the Docker host (components/docker, components/apps) ---
        const vmAddress = formatIpv4(parseIpv4InterfaceAddress(config.vm.address)!.address);
        // STAND-IN until UbuntuVm lands: use vm.dockerHostUrl and vm.bootstrapComplete, and the
        // layout from vm.configRoot / vm.dataMountPoint; pass appDirectories to the VM.
        const dockerHostUrl = pulumi.output(`ssh://${config.vm.user}@${vmAddress}`);
        const layout: AppsLayout = { configRoot: `/home/${config.vm.user}/docker`, dataMountPoint: config.dataDisk.mountPoint };
        this.appDirectories = appHostDirectories(layout, {
            jellyfin: config.apps.jellyfin.enabled,
            navidrome: config.apps.navidrome.enabled,
            immich: config.apps.immich.enabled,
            nextcloud: config.apps.nextcloud.enabled,
            nginxProxyManager: config.apps.nginxProxyManager.enabled,
        });
        this.dockerHost = new DockerHost(`${name}-docker`, { host: dockerHostUrl, dependsOn: [], stack: pulumi.getStack() }, { parent: this });
        this.apps = new Apps(`${name}-apps`, {
            host: this.dockerHost,
            layout,
            vmAddress,
            timezone: config.vm.timezone,
            ...config.apps,
        }, { parent: this });

        // --- WireGuard (components/wireguard) ---

        this.outputs = {
            proxmoxEndpoint: config.proxmox.endpoint,
            appUpstreams: this.apps.upstreams,
            ...(this.apps.proxyAdminUrl === undefined ? {} : { proxyAdminUrl: this.apps.proxyAdminUrl }),
            adminCredentials: this.apps.adminCredentials,
            dnsRecords: this.apps.dnsRecords,
        };
        this.registerOutputs(this.outputs);
    }
}
