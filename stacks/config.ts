// The only place that reads Pulumi configuration: the current stack's `homelab:*` keys, validated
// by parse-config.ts into one frozen StackConfig.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, parseStackConfig } from "./parse-config";
import type { LoadOptions, StackConfig } from "./parse-config";

export { ConfigError, formatProblem, parseStackConfig } from "./parse-config";
export type { LoadOptions, StackConfig } from "./parse-config";

interface RuntimeConfigInternals {
    isConfigSecret(key: string): boolean;
}

/** Reads the current stack's `homelab:*` configuration from the Pulumi runtime and validates it. */
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
    return parseStackConfig(values, secretKeys, options);
}

