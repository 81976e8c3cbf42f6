import type * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { bridgeGateway, DEFAULT_DOCKER_SSH_OPTIONS, dynamicAddressRange, PROXY_NETWORK_NAME, PROXY_NETWORK_SUBNET, proxyAddress } from "./networks";

/** A shell on the VM for the apps' own steps (their folders, their first admins). */
export interface VmShell {
    /** SSH to the VM as its admin user, who may sudo. Required. */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** A value that changes when the VM's bootstrap runs anew (a replaced VM): the apps' steps then run again. Required. */
    readonly bootstrapId: pulumi.Input<string>;
}

/** How Pulumi reaches the Docker engine on the VM. */
export interface DockerHostArgs {
    /** The engine's address, `ssh://<user>@<vm address>`; derive it from the bootstrap's output so it stays unknown until Docker is installed. Required. */
    readonly host: pulumi.Input<string>;
    /** Options for the local `ssh` binary (the key comes from the agent or ~/.ssh/config). Default: DEFAULT_DOCKER_SSH_OPTIONS. */
    readonly sshOptions?: readonly string[];
    /** What must finish before anything touches Docker: the VM's bootstrap. Default: nothing. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** The proxy network's subnet, which Nextcloud trusts for forwarded headers. Default: PROXY_NETWORK_SUBNET. */
    readonly proxySubnet?: string;
    /** The stack name, written into labels. Required. */
    readonly stack: string;
    /** A shell on the VM, for the apps' folders and first-admin steps. Required. */
    readonly vmShell: VmShell;
}

/** The Docker engine on the VM: the provider every container uses, and the shared proxy network. */
export class DockerHost extends pulumi.ComponentResource {
    /** The explicit docker provider; nothing uses the default one. */
    public readonly provider: docker.Provider;
    /** The bridge network Nginx Proxy Manager and the app front-ends join. */
    public readonly proxyNetwork: docker.Network;
    /**
     * The proxy network's name, as the network's output: a container that joins by it depends on
     * the network, so it is created after the network and deleted before it (a plain "proxy"
     * string carries no dependency: a race on create, "network has active endpoints" on destroy).
     */
    public readonly proxyNetworkName: pulumi.Output<string>;
    /** The proxy network's subnet. */
    public readonly proxySubnet: string;
    /**
     * Nginx Proxy Manager's fixed address on the proxy network: the one address the apps trust for
     * forwarded headers. Docker hands out the others from the upper half only, so nothing takes it.
     */
    public readonly proxyAddress: string;
    /** A shell on the VM for the apps' own steps. */
    public readonly vmShell: VmShell;
    /** The bootstrap every Docker resource depends on explicitly. */
    public readonly bootstrap: pulumi.Input<pulumi.Resource>[];
    /** The stack name for labels. */
    public readonly stack: string;

    constructor(name: string, args: DockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:docker:DockerHost", name, {}, opts);
        this.bootstrap = args.dependsOn ?? [];
        this.stack = args.stack;
        this.proxySubnet = args.proxySubnet ?? PROXY_NETWORK_SUBNET;
        this.proxyAddress = proxyAddress(this.proxySubnet);
        this.vmShell = args.vmShell;
        this.provider = new docker.Provider(`${name}-provider`, {
            host: args.host,
            sshOpts: [...(args.sshOptions ?? DEFAULT_DOCKER_SSH_OPTIONS)],
        }, { parent: this, dependsOn: this.bootstrap });
        this.proxyNetwork = new docker.Network(`${name}-proxy`, {
            name: PROXY_NETWORK_NAME,
            driver: "bridge",
            ipamConfigs: [{ subnet: this.proxySubnet, gateway: bridgeGateway(this.proxySubnet), ipRange: dynamicAddressRange(this.proxySubnet) }],
            labels: [{ label: "homelab.stack", value: this.stack }],
        }, this.childOptions(this));
        this.proxyNetworkName = this.proxyNetwork.name;
        this.registerOutputs({ proxyNetworkName: this.proxyNetworkName, proxySubnet: this.proxySubnet, proxyAddress: this.proxyAddress });
    }

    /**
     * Options for a resource on this engine: the provider, and the bootstrap as an explicit
     * dependency (a provider's own dependencies do not show in its resources' dependency lists).
     */
    public childOptions(parent: pulumi.Resource): pulumi.CustomResourceOptions {
        return { parent, provider: this.provider, dependsOn: this.bootstrap };
    }
}
