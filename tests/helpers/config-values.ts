// Validates a variation of a committed stack file with the program's own config loader, returning
// the problems (or none) instead of throwing.
import { ConfigError, parseStackConfig } from "../../stacks/parse-config";
import type { StackConfig } from "../../stacks/parse-config";
import type { ConfigProblem } from "../../stacks/config-rules";
import { parseStackFile } from "../../tools/plan/stack-file";
import { editedStackText } from "./stack-text";

const NAMESPACE = "homelab:";

/** The committed stack with `edit` applied, validated; placeholders allowed (as the offline plan does). */
export function validateEditedStack(stack: string, edit: (config: Record<string, unknown>) => void): { config?: StackConfig; problems: readonly ConfigProblem[] } {
    const file = parseStackFile(editedStackText(stack, edit), "homelab");
    const values = Object.fromEntries(Object.entries(file.config).map(([key, value]) => [key.slice(NAMESPACE.length), value]));
    const secretKeys = new Set(file.secretKeys.map((key) => key.slice(NAMESPACE.length)));
    try {
        return { config: parseStackConfig(values, secretKeys, { allowPlaceholders: true }), problems: [] };
    } catch (error) {
        if (error instanceof ConfigError) {
            return { problems: error.problems };
        }
        throw error;
    }
}

/** The apps block of an edited config, typed loosely for edits. */
export function appsOf(config: Record<string, unknown>): Record<string, Record<string, unknown>> {
    return config["homelab:apps"] as Record<string, Record<string, unknown>>;
}
