// `npm run plan -- --stack <name> [--config <file>] [--json | --mermaid] [--out <file>]`: what
// `pulumi up` would build, evaluated offline under mocks; `--out` writes exactly that to a file
// (stdout under `npm run` also carries npm's banner, which no JSON reader accepts).
// `--diff <git-ref>` or `--before <plan.json>`: what the change does to the stack, as Markdown for a
// pull request; `--fail-on-protected` exits 3 when a protected resource would be replaced or deleted,
// or a stateful app's version change is an UNSAFE UPGRADE (tools/plan/upgrade-check.ts).
// Exit codes: 0 success, 2 bad config or arguments, 3 protected resources touched or an unsafe upgrade (with the flag).
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { stackFilePath } from "./paths";
import { checkOutputFile, checkRevision, PlanInputError, readPlanFile } from "./plan/plan-file";
import type { Plan } from "./plan/capture";
import { runCli } from "./cli";

const USAGE = [
    "usage: npm run plan -- --stack <name> [--config <file>] [--json | --mermaid] [--out <file>]",
    "       npm run plan -- --stack <name> [--config <file>] (--diff <git-ref> | --before <plan.json>) [--fail-on-protected] [--out <file>]",
].join("\n");

const OPTIONS = {
    stack: { type: "string" },
    config: { type: "string" },
    json: { type: "boolean" },
    mermaid: { type: "boolean" },
    diff: { type: "string" },
    before: { type: "string" },
    "fail-on-protected": { type: "boolean" },
    out: { type: "string" },
} as const;

function usageError(message: string): number {
    process.stderr.write(`${message}\n${USAGE}\n`);
    return 2;
}

async function main(argv: string[]): Promise<number> {
    let options: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>["values"];
    try {
        ({ values: options } = parseArgs({ args: argv, options: OPTIONS, strict: true }));
    } catch (error) {
        return usageError((error as Error).message);
    }
    const { stack } = options;
    if (stack === undefined) {
        return usageError("--stack is required");
    }
    if (options.diff !== undefined && options.before !== undefined) {
        return usageError("--diff and --before are alternatives: give one");
    }
    const stackFile = options.config ?? stackFilePath(stack);
    if (!existsSync(stackFile)) {
        return usageError(`${stackFile} does not exist (the stack file must exist: Pulumi.${stack}.yaml, or pass --config)`);
    }
    // The SDKs load only once the arguments are known to be good: a usage error answers at once.
    let savedBase: Plan | undefined;
    try {
        if (options.diff !== undefined) {
            checkRevision(options.diff);
        }
        savedBase = options.before === undefined ? undefined : readPlanFile(options.before);
        if (options.out !== undefined) {
            checkOutputFile(options.out);
        }
    } catch (error) {
        if (error instanceof PlanInputError) {
            process.stderr.write(`${error.message}\n`);
            return 2;
        }
        throw error;
    }
    const { planStack } = await import("./plan/harness");
    const { planAtRevision } = await import("./plan/base-plan");
    const { diffPlans, renderDiffMarkdown, touchesProtected } = await import("./plan/diff");
    const { diffExitCode, renderUnsafeUpgrades, unsafeUpgrades } = await import("./plan/upgrade-check");
    const { renderMermaid } = await import("./plan/mermaid");
    const { renderPlanJson, renderPlanTree } = await import("./plan/render");
    const { RunError } = await import("@pulumi/pulumi");
    try {
        const plan = await planStack(stack, options.config);
        const write = (text: string) => (options.out === undefined ? process.stdout.write(text) : writeFileSync(options.out, text));
        if (options.diff !== undefined || savedBase !== undefined) {
            const base = savedBase ?? planAtRevision(options.diff!, stack);
            const diff = diffPlans(base, plan);
            const upgrades = unsafeUpgrades(base, plan);
            write(`${renderDiffMarkdown(diff)}${renderUnsafeUpgrades(upgrades)}`);
            return diffExitCode(options["fail-on-protected"] === true, touchesProtected(diff), upgrades);
        }
        write(options.mermaid === true ? renderMermaid(plan) : options.json === true ? renderPlanJson(plan) : renderPlanTree(plan));
        return 0;
    } catch (error) {
        // The program's config loader throws a RunError listing every problem: what `pulumi preview`
        // shows without a stack trace, and what the owner has to fix.
        if (RunError.isInstance(error)) {
            process.stderr.write(`${error.message}\n`);
            return 2;
        }
        throw error;
    }
}

runCli(main);
