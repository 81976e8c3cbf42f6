// The last step of an `up` that changed the path to the apps: from the LAN side (the WireGuard
// container, reached with `pct exec` like the WireGuard commands), every app name must resolve
// through the homelab DNS and answer over HTTPS with the homelab CA's certificate. A failure fails
// the `up` with the app, the URL and what went wrong. The same probe.sh runs in the network tier.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { shellQuote } from "../wireguard/scripts";

/** One app the probe checks. */
export interface ProbeSite {
    /** The app's name, as a failure names it. Required. */
    readonly app: string;
    /** The URL the owner opens, e.g. https://photos.home.arpa/. Required. */
    readonly url: string;
}

export interface PostDeployProbeArgs {
    /** SSH to the Proxmox host, where `pct exec` runs. Required. */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** The container the probe runs in: the WireGuard container, on the LAN and outside the VM. Required. */
    readonly containerId: pulumi.Input<number>;
    /** The apps and their URLs. Required (at least one). */
    readonly sites: readonly ProbeSite[];
    /** The homelab CA certificate (PEM) the answers must verify against. Default: none, the container's trust store (a public CA). */
    readonly caCertificate?: pulumi.Input<string>;
    /** The homelab DNS server's address, which every name must resolve through. Required. */
    readonly dnsServer: pulumi.Input<string>;
    /** What must exist first (the apps, their proxy hosts, the DNS configuration); a replaced one re-runs the probe. Required. */
    readonly dependsOn: readonly pulumi.Resource[];
    /** Further values whose change re-runs the probe (certificates, the DNS configuration, app versions). Default: none. */
    readonly changes?: readonly pulumi.Input<string>[];
    /** Rounds of checks while the apps start. Default: 30. */
    readonly attempts?: number;
    /** Seconds between rounds. Default: 5. */
    readonly intervalSeconds?: number;
}

/** The probe's script, read at runtime so shellcheck and the network tier check this very file. */
export function readProbeScript(): string {
    return readFileSync(join(__dirname, "probe.sh"), "utf8");
}

/** `<app>=<url>` words, sorted by app so the command's text does not depend on the list's order. */
export function siteWords(sites: readonly ProbeSite[]): string[] {
    return [...sites].sort((first, second) => first.app.localeCompare(second.app)).map((site) => `${site.app}=${site.url}`);
}

/** Checks every app by name over HTTPS from the LAN side after the path to them changed. */
export class PostDeployProbe extends pulumi.ComponentResource {
    /** The remote command that runs probe.sh in the container. */
    public readonly command: command.remote.Command;

    constructor(name: string, args: PostDeployProbeArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args.sites.length === 0) {
            throw new Error(`PostDeployProbe ${name}: no sites to probe`);
        }
        const badUrls = args.sites.filter((site) => !/^https:\/\/[^/\s]+(\/\S*)?$/.test(site.url));
        if (badUrls.length > 0) {
            throw new Error(`PostDeployProbe ${name}: not https URLs: ${badUrls.map((site) => `${site.app}=${site.url}`).join(", ")}`);
        }
        super("homelab:probe:PostDeployProbe", name, {}, opts);
        const words = siteWords(args.sites);
        const create = pulumi.interpolate`pct exec ${args.containerId} -- bash -c ${shellQuote(readProbeScript())} probe ${String(args.attempts ?? 30)} ${String(args.intervalSeconds ?? 5)} ${pulumi.output(args.dnsServer).apply(shellQuote)} ${words.map(shellQuote).join(" ")}\n`;
        // A replaced resource gets a new id; a changed name, certificate or DNS answer changes a value
        // here. Everything is known and stable between previews, so an unchanged stack shows no diff.
        const replacedIds = args.dependsOn.filter((resource): resource is pulumi.CustomResource => resource instanceof pulumi.CustomResource).map((resource) => resource.id);
        this.command = new command.remote.Command(`${name}-run`, {
            connection: args.connection,
            create,
            // The CA travels on stdin: the script writes it to a file curl verifies against.
            stdin: args.caCertificate ?? "",
            logging: "stdoutAndStderr",
            addPreviousOutputInEnv: false,
            triggers: [words.join(" "), args.caCertificate ?? "", args.dnsServer, ...replacedIds, ...(args.changes ?? [])],
        }, { parent: this, dependsOn: [...args.dependsOn] });
        this.registerOutputs({});
    }
}
