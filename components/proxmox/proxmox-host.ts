import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

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
}

/** The Proxmox VE host: the explicit provider every Proxmox resource uses. */
export class ProxmoxHost extends pulumi.ComponentResource {
    /** The explicit provider; nothing in this program uses the default one. */
    public readonly provider: proxmoxve.Provider;
    /** The node name, for resources that need it. */
    public readonly nodeName: string;
    /** SSH to the host for remote commands (the agent, or the configured private key). */
    public readonly sshConnection: command.types.input.remote.ConnectionArgs;

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
        this.registerOutputs({ nodeName: this.nodeName });
    }
}
