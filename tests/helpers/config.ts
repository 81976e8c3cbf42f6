// Parses variations of a committed stack's configuration and returns the problem lines.
import { ConfigError, formatProblem, parseStackConfig } from "../../stacks/parse-config";
import type { LoadOptions, StackConfig } from "../../stacks/parse-config";
import type { ConfigProblem } from "../../stacks/config-rules";
import { SECRET_KEYS } from "../../stacks/config-schema";
import { PROJECT } from "../../tools/paths";
import { parseStackFile } from "../../tools/plan/stack-file";
import { committedStackText } from "./stack-text";

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

const ALL_SECRETS: ReadonlySet<string> = new Set(SECRET_KEYS);

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

/** The committed stack with `edit` applied to its stack-file form (keys "homelab:<key>"), validated. */
export function validateEditedStack(stack: string, edit: (config: Record<string, unknown>) => void): { config?: StackConfig; problems: readonly ConfigProblem[] } {
    const prefixed = Object.fromEntries(Object.entries(committedConfig(stack)).map(([key, value]) => [`${PROJECT}:${key}`, value]));
    edit(prefixed);
    const values = Object.fromEntries(Object.entries(prefixed).map(([key, value]) => [key.slice(`${PROJECT}:`.length), value]));
    try {
        return { config: parseValues(values), problems: [] };
    } catch (error) {
        if (error instanceof ConfigError) {
            return { problems: error.problems };
        }
        throw error;
    }
}

/** The apps block of a stack-file-form config, typed loosely for edits. */
export function appsOf(config: Record<string, unknown>): Record<string, Record<string, unknown>> {
    return config[`${PROJECT}:apps`] as Record<string, Record<string, unknown>>;
}
