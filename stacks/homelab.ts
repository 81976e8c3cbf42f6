// The composition: one Homelab component that turns the validated StackConfig into the graph of
// ARCHITECTURE.md §3. Components below it take typed arguments and never read configuration.
import * as pulumi from "@pulumi/pulumi";
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

        this.outputs = {
            proxmoxEndpoint: config.proxmox.endpoint,
        };
        this.registerOutputs(this.outputs);
    }
}
