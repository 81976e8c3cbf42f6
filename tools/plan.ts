// `npm run plan -- --stack <name> [--config <file>] [--json]`: what `pulumi up` would build,
// evaluated offline under mocks. Exit 0 on success, 2 on a bad config or bad arguments.
import { parseArgs } from "node:util";
import { ConfigError } from "../stacks/config";
import { planStack } from "./plan/harness";
import { renderPlanJson, renderPlanTree } from "./plan/render";

const USAGE = "usage: npm run plan -- --stack <name> [--config <Pulumi.<stack>.yaml-style file>] [--json]";

async function main(argv: string[]): Promise<number> {
    let options: { stack?: string; config?: string; json?: boolean };
    try {
        ({ values: options } = parseArgs({
            args: argv,
            options: { stack: { type: "string" }, config: { type: "string" }, json: { type: "boolean" } },
            strict: true,
        }));
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (options.stack === undefined) {
        process.stderr.write(`--stack is required\n${USAGE}\n`);
        return 2;
    }
    try {
        const plan = await planStack(options.stack, options.config);
        process.stdout.write(options.json === true ? renderPlanJson(plan) : renderPlanTree(plan));
        return 0;
    } catch (error) {
        if (error instanceof ConfigError) {
            process.stderr.write(`${error.message}\n`);
            return 2;
        }
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
            process.stderr.write(`${(error as Error).message}\n(the stack file must exist: Pulumi.${options.stack}.yaml, or pass --config)\n`);
            return 2;
        }
        throw error;
    }
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
    },
);
