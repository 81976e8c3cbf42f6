// `npm run ca -- --stack <name> [--out <file>]`: writes the homelab CA's certificate to a file
// (default homelab-<stack>-ca.crt) for the devices that should trust it (docs/names-and-tls.md).
// Exit 0 on success, 2 on bad arguments or no CA in the stack, 1 when the CLI cannot read the outputs.
import { parseArgs } from "node:util";
import { defaultCaFile, findCaCertificate, writeCaCertificate } from "./ca/ca-output";
import { runCli } from "./cli";
import { readStackOutputs } from "./peer/peer-output";

const USAGE = "usage: npm run ca -- --stack <name> [--out <file>]";

function main(argv: string[]): Promise<number> {
    let parsed: { values: { stack?: string; out?: string }; positionals: string[] };
    try {
        parsed = parseArgs({ args: argv, options: { stack: { type: "string" }, out: { type: "string" } }, allowPositionals: false, strict: true });
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
        return Promise.resolve(2);
    }
    const stack = parsed.values.stack;
    if (stack === undefined) {
        process.stderr.write(`${USAGE}\n`);
        return Promise.resolve(2);
    }
    const outputs = readStackOutputs(stack);
    if (!outputs.ok) {
        process.stderr.write(`${outputs.error}\n`);
        return Promise.resolve(1);
    }
    const found = findCaCertificate(outputs.json);
    if (!found.ok) {
        process.stderr.write(`${found.error}\n`);
        return Promise.resolve(2);
    }
    const path = parsed.values.out ?? defaultCaFile(stack);
    writeCaCertificate(path, found.pem);
    process.stdout.write(`wrote the homelab ${stack} root CA to ${path}; trust it on each device (docs/names-and-tls.md)\n`);
    return Promise.resolve(0);
}

runCli(main);
