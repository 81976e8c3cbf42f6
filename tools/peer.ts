// `npm run peer -- --stack <name> <peer>`: prints a peer's WireGuard config and a QR code to scan,
// read from the stack's outputs with the Pulumi CLI. Exit 0 on success, 2 on bad arguments or an
// unknown peer, 1 when the CLI cannot read the outputs.
import { parseArgs } from "node:util";
import { findPeerConfig, readStackOutputs, renderPeer } from "./peer/peer-output";
import { runCli } from "./cli";

const USAGE = "usage: npm run peer -- --stack <name> <peer>";

async function main(argv: string[]): Promise<number> {
    let parsed: { values: { stack?: string }; positionals: string[] };
    try {
        parsed = parseArgs({ args: argv, options: { stack: { type: "string" } }, allowPositionals: true, strict: true });
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
        return 2;
    }
    const stack = parsed.values.stack;
    const [peer, ...extra] = parsed.positionals;
    if (stack === undefined || peer === undefined || extra.length > 0) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
    }
    const outputs = readStackOutputs(stack);
    if (!outputs.ok) {
        process.stderr.write(`${outputs.error}\n`);
        return 1;
    }
    const found = findPeerConfig(outputs.json, peer);
    if (!found.ok) {
        process.stderr.write(`${found.error}\n`);
        return 2;
    }
    process.stdout.write(await renderPeer(peer, found.config));
    return 0;
}

runCli(main);
