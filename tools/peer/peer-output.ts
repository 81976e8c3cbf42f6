// `npm run peer`'s parts: find one peer's config in `pulumi stack output --json` and render it
// with a terminal QR code (pure), and the thin call to the Pulumi CLI that gets that JSON.
import { spawnSync } from "node:child_process";
import { WIREGUARD_OUTPUTS } from "../../components/wireguard/stack-outputs";
import { qrCodeForTerminal } from "../../components/wireguard/qr-code";

export type PeerLookup = { readonly ok: true; readonly config: string } | { readonly ok: false; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Finds a peer's config in the JSON text `pulumi stack output --show-secrets --json` prints. */
export function findPeerConfig(stackOutputJson: string, peer: string): PeerLookup {
    let outputs: unknown;
    try {
        outputs = JSON.parse(stackOutputJson);
    } catch {
        return { ok: false, error: "the stack outputs are not JSON (expected the output of `pulumi stack output --json`)" };
    }
    const peers = isRecord(outputs) ? outputs[WIREGUARD_OUTPUTS.peers] : undefined;
    if (peers === "[secret]") {
        return { ok: false, error: `${WIREGUARD_OUTPUTS.peers} is hidden: pass --show-secrets to \`pulumi stack output\`` };
    }
    if (!isRecord(peers)) {
        return { ok: false, error: `the stack has no ${WIREGUARD_OUTPUTS.peers} output (is homelab:wireguard.enabled true, and has \`pulumi up\` run since the peer was added?)` };
    }
    const entry = peers[peer];
    if (!isRecord(entry) || typeof entry["config"] !== "string") {
        const known = Object.keys(peers).sort();
        return { ok: false, error: `no peer named "${peer}" (peers: ${known.length === 0 ? "none" : known.join(", ")}; add it to homelab:wireguard.peers and run \`pulumi up\`)` };
    }
    return { ok: true, config: entry["config"] };
}

/** What the command prints: the config file's text, then its QR code for the WireGuard app. */
export async function renderPeer(peer: string, config: string): Promise<string> {
    const qr = await qrCodeForTerminal(config);
    return [
        `# ${peer}.conf: import this file, or scan the QR code below with the WireGuard app.`,
        `# It holds the peer's private key: keep it out of chats, mail and repositories.`,
        config.trimEnd(),
        "",
        qr,
    ].join("\n");
}

/** How the Pulumi CLI is started: the project's `pulumi` script, which pins the CLI version. */
export const PULUMI_CLI: readonly string[] = ["npm", "run", "--silent", "pulumi", "--"];

/** Runs `pulumi stack output --show-secrets --json` for a stack; `cli` replaces the command in tests. */
export function readStackOutputs(stack: string, cli: readonly string[] = PULUMI_CLI): { ok: true; json: string } | { ok: false; error: string } {
    const [program, ...prefix] = cli;
    const result = spawnSync(program ?? "pulumi", [...prefix, "stack", "output", "--stack", stack, "--show-secrets", "--json"], { encoding: "utf8" });
    if (result.error === undefined && result.status === 0) {
        return { ok: true, json: result.stdout };
    }
    const detail = (result.error?.message ?? result.stderr ?? "").trim();
    return {
        ok: false,
        error: `could not read the outputs of stack "${stack}" with the Pulumi CLI (${cli.join(" ")})${detail === "" ? "" : `: ${detail}`}\n` +
            "The Pulumi CLI is needed here: `npm run -s pulumi` downloads it on first use (that needs network access). " +
            "Then `npm run -s pulumi -- stack ls` should list the stack.",
    };
}
