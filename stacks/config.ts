// The only place that reads Pulumi configuration: the current stack's `homelab:*` keys, validated
// by parse-config.ts into one frozen StackConfig.
import * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem } from "./config-rules";
import { CONFIG_NAMESPACE, ConfigError, parseStackConfig } from "./parse-config";
import type { LoadOptions, StackConfig } from "./parse-config";

export { ConfigError, formatProblem, parseStackConfig } from "./parse-config";
export type { LoadOptions, StackConfig } from "./parse-config";

interface RuntimeConfigInternals {
    isConfigSecret(key: string): boolean;
}

/**
 * Every problem of the stack configuration, as `pulumi preview` and `up` show it. The SDK prints a
 * RunError's message alone; any other error comes wrapped in "unhandled exception" and a stack
 * trace, which would bury the one line per key the owner needs.
 */
export class StackConfigError extends pulumi.RunError {
    constructor(public readonly problems: readonly ConfigProblem[], message: string) {
        super(message);
        this.name = "StackConfigError";
    }
}

/**
 * Reads the current stack's `homelab:*` configuration from the Pulumi runtime and validates it;
 * throws a StackConfigError listing every problem.
 */
export function loadStackConfig(options: LoadOptions = {}): StackConfig {
    // isConfigSecret is not in the SDK's typings, but it is what Config.getSecret relies on.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtimeConfig = require("@pulumi/pulumi/runtime/config") as RuntimeConfigInternals;
    const prefix = `${CONFIG_NAMESPACE}:`;
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(prefix)) {
            continue;
        }
        const key = fullKey.slice(prefix.length);
        values[key] = text;
        if (runtimeConfig.isConfigSecret(fullKey)) {
            secretKeys.add(key);
        }
    }
    try {
        return parseStackConfig(values, secretKeys, options);
    } catch (error) {
        if (error instanceof ConfigError) {
            throw new StackConfigError(error.problems, error.message);
        }
        throw error;
    }
}

