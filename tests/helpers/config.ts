// Parses variations of a committed stack's configuration and returns the problem lines.
import { ConfigError, formatProblem, parseStackConfig } from "../../stacks/parse-config";
import type { LoadOptions, StackConfig } from "../../stacks/parse-config";
import { PROJECT } from "../../tools/paths";
import { parseStackFile } from "../../tools/plan/stack-file";
import { committedStackText } from "./plan";

/** The committed stack's `homelab:*` values, decoded to plain data (keys without the namespace). */
export function committedConfig(stack: string): Record<string, unknown> {
    const { config } = parseStackFile(committedStackText(stack), PROJECT);
    const values: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(config)) {
        const shortKey = key.slice(`${PROJECT}:`.length);
        try {
            values[shortKey] = JSON.parse(text) as unknown;
        } catch {
            values[shortKey] = text;
        }
    }
    return values;
}

function encode(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

const ALL_SECRETS = new Set(["proxmoxApiToken", "sshPrivateKey"]);

/** Parses `values` as the program would; the secret keys default to every secret key. */
export function parseValues(values: Record<string, unknown>, options: LoadOptions = { allowPlaceholders: true }, secretKeys: ReadonlySet<string> = ALL_SECRETS): StackConfig {
    return parseStackConfig(encode(values), secretKeys, options);
}

/** The problem lines for a variation of a committed stack ([] when it is valid). */
export function problemsAfter(stack: string, edit: (values: Record<string, unknown>) => void, options: LoadOptions = { allowPlaceholders: true }): string[] {
    const values = committedConfig(stack);
    edit(values);
    try {
        parseValues(values, options);
        return [];
    } catch (error) {
        if (error instanceof ConfigError) {
            return error.problems.map(formatProblem);
        }
        throw error;
    }
}

/** Reaches into the decoded values by path, for terse edits in tests. */
export function section(values: Record<string, unknown>, key: string): Record<string, unknown> {
    return values[key] as Record<string, unknown>;
}
