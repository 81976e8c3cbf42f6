// The homelab's DNS server: dnsmasq in the WireGuard container, which runs on the Proxmox host and
// so keeps answering (the Proxmox name, the WireGuard peers' other lookups) while the Docker VM is down.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { ProxmoxHost } from "../proxmox/proxmox-host";
import { renderDnsmasqConfig } from "./dnsmasq-config";
import type { DnsRecord } from "./dnsmasq-config";

export interface DnsServerArgs {
    /** The Proxmox host: its SSH connection runs `pct exec`. Required. */
    readonly host: Pick<ProxmoxHost, "sshConnection">;
    /** The container's VMID. Required. */
    readonly containerId: number;
    /** The container's id as Pulumi knows it: a new container re-runs the configuration. Required. */
    readonly containerResourceId: pulumi.Input<string>;
    /** The container's LAN address (no prefix), where dnsmasq listens. Required. */
    readonly listenAddress: string;
    /** The LAN's DNS servers, which get every other query. Required. */
    readonly upstreams: readonly string[];
    /** The names dnsmasq answers. Required. */
    readonly records: readonly DnsRecord[];
    /** What must finish first in the container (its apt runs must not overlap this one's). Default: none. */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/** dnsmasq's configuration, written into the container and applied. */
export class DnsServer extends pulumi.ComponentResource {
    /** The configuration text (not secret: names and LAN addresses). */
    public readonly config: string;
    /** Where clients send queries. */
    public readonly address: string;
    /** Writes the configuration into the container; its `stdin` is the exact text. */
    public readonly configCommand: command.remote.Command;

    constructor(name: string, args: DnsServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:dns:DnsServer", name, {}, opts);
        this.address = args.listenAddress;
        this.config = renderDnsmasqConfig({
            listenAddresses: [args.listenAddress],
            upstreams: args.upstreams.map((address) => ({ address })),
            records: args.records,
        });
        const digest = createHash("sha256").update(this.config).digest("hex");
        const script = readFileSync(join(__dirname, "configure-dnsmasq.sh"), "utf8");
        this.configCommand = new command.remote.Command(`${name}-config`, {
            connection: args.host.sshConnection,
            // The digest makes every change of the file an update that re-runs the command.
            create: `# dnsmasq homelab.conf sha256 ${digest}\npct exec ${args.containerId} -- bash -c ${shellQuote(script)}\n`,
            stdin: this.config,
            addPreviousOutputInEnv: false,
            triggers: [args.containerResourceId],
        }, { parent: this, dependsOn: [...(args.dependsOn ?? [])] });
        this.registerOutputs({ address: this.address });
    }
}

function shellQuote(text: string): string {
    return `'${text.replace(/'/g, `'\\''`)}'`;
}
