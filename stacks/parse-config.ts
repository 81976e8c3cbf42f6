// Turns the stack's `homelab:*` values into one validated, frozen StackConfig, or throws one
// ConfigError that lists every problem at once. Pure: config.ts feeds it from the Pulumi runtime.
import type { z } from "zod";
import { crossFieldProblems, placeholderProblems } from "./config-rules";
import type { ConfigProblem } from "./config-rules";
import { SECRET_KEYS, stackConfigSchema } from "./config-schema";
import type { ParsedStackConfig } from "./config-schema";

export const CONFIG_NAMESPACE = "homelab";

type DeepReadonly<T> = T extends (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : T extends object
      ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
      : T;

/** The validated configuration of one stack, defaults filled in. */
export type StackConfig = DeepReadonly<ParsedStackConfig>;

/** Every problem found in a stack's configuration, one per line as `homelab:<key>: <problem>`. */
export class ConfigError extends Error {
    constructor(public readonly problems: readonly ConfigProblem[]) {
        super(
            `The stack configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((problem) => `  ${formatProblem(problem)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

export function formatProblem(problem: ConfigProblem): string {
    return `${CONFIG_NAMESPACE}:${problem.key}: ${problem.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text === "" ? String(part) : `${text}.${String(part)}`), "");
}

function problemsFromSchema(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
    return issues.flatMap((issue) => {
        // One unknown-key issue can name several keys; each gets its own line and its own path.
        if (issue.code === "unrecognized_keys") {
            const messages = issue.message.split("; ");
            return issue.keys.map((key, index) => ({ key: formatPath([...issue.path, key]), message: messages[index] ?? issue.message }));
        }
        return [{ key: formatPath(issue.path), message: issue.message }];
    });
}

/**
 * Keys such as `vm.memoryMiB` under a known top-level key: what `pulumi config set homelab:vm.memoryMiB`
 * writes without `--path` (a key literally named "vm.memoryMiB", beside the `vm` object). Each gets
 * one problem that says how to set it properly, instead of an unknown-key message.
 */
function flatKeyProblems(keys: readonly string[]): ConfigProblem[] {
    const topLevel = Object.keys(stackConfigSchema.shape);
    return keys
        .filter((key) => /[.[]/.test(key) && topLevel.includes(key.split(/[.[]/)[0]!))
        .map((key) => ({
            key,
            message:
                "is a flat key, which `pulumi config set` writes without --path; the program reads the nested key only " +
                `(remove it with \`npm run -s pulumi -- config rm '${CONFIG_NAMESPACE}:${key}'\` and set it with ` +
                `\`npm run -s pulumi -- config set --path '${CONFIG_NAMESPACE}:${key}' <value>\`, or edit the stack file)`,
        }));
}

/** Config values arrive as strings; objects, lists, numbers and booleans as JSON text. */
function decodeValue(key: string, text: string): unknown {
    if ((SECRET_KEYS as readonly string[]).includes(key)) {
        return text;
    }
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object") {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}

/** How strictly the configuration is read. */
export interface LoadOptions {
    /**
     * Accept the committed placeholders (example.com endpoint, REPLACE-ME key, USB product 0000).
     * Only the offline plan does; a real preview or up must use the owner's values. Default: false.
     */
    readonly allowPlaceholders?: boolean;
}

/**
 * Validates raw `homelab:*` values (key without namespace → string as Pulumi stores it).
 * `secretKeys` lists the keys that were set with --secret.
 */
export function parseStackConfig(values: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>, options: LoadOptions = {}): StackConfig {
    const raw: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(values)) {
        raw[key] = decodeValue(key, text);
    }
    const problems: ConfigProblem[] = flatKeyProblems(Object.keys(raw));
    for (const problem of problems) {
        delete raw[problem.key];
    }
    for (const key of SECRET_KEYS) {
        if (raw[key] !== undefined && !secretKeys.has(key)) {
            problems.push({ key, message: `is stored in plain text (remove it and set it again with \`npm run -s pulumi -- config set --secret ${key}\`)` });
        }
    }
    // The cross-field rules also run when some keys failed, on whatever the schema could process,
    // so that one run reports every problem.
    let processed: unknown = undefined;
    const capturing = stackConfigSchema.superRefine((value) => {
        processed = value;
    }, { when: () => true });
    const parsed = capturing.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
        problems.push(...problemsFromSchema(parsed.error.issues));
    }
    problems.push(...crossFieldProblems(parsed.success ? parsed.data : processed));
    if (options.allowPlaceholders !== true) {
        problems.push(...placeholderProblems(parsed.success ? parsed.data : processed));
    }
    if (!parsed.success || problems.length > 0) {
        throw new ConfigError(problems);
    }
    return deepFreeze(parsed.data);
}
