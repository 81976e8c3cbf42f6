// The composition: one Homelab component that turns the validated StackConfig into the graph of
// ARCHITECTURE.md §3. Components below it take typed arguments and never read configuration.
import * as pulumi from "@pulumi/pulumi";
import { ProxmoxHost } from "../components/proxmox/proxmox-host";
import { wireguardStackOutputs } from "../components/wireguard/stack-outputs";
import { WireGuardServer } from "../components/wireguard/wireguard-server";
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
    /** The WireGuard server and its peers; undefined when homelab:wireguard.enabled is false. */
    public readonly wireguard: WireGuardServer | undefined;
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

        // --- WireGuard (components/wireguard) ---
        const wireguard = config.wireguard;
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
                peerDns: wireguard.dns ?? config.network.dns,
                peers: wireguard.peers,
                protect: config.protect,
            }, { parent: this })
            : undefined;
        const wireguardOutputs = this.wireguard === undefined ? {} : wireguardStackOutputs(this.wireguard);

        this.outputs = {
            proxmoxEndpoint: config.proxmox.endpoint,
            ...wireguardOutputs,
        };
        this.registerOutputs(this.outputs);
    }
}
