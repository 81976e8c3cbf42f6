// Compares two plans the way a reviewer reads `pulumi preview --diff`: what is added, removed and
// changed, which input keys changed, whether the change replaces the resource, and whether a
// protected resource would be replaced or deleted (which `pulumi up` would refuse).
import type { Plan, PlannedResource } from "./capture";
import { pathMatches, replacesOnChange, valueAtPath } from "./replace-table";
import { updateWarnings } from "./update-warnings";

export interface ChangedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Changed input paths ("memory.dedicated", "envs[3]"); option changes as "(option) protect". */
    readonly keys: readonly string[];
    /** The changed keys that make the provider replace the resource. */
    readonly replaceKeys: readonly string[];
    readonly replace: boolean;
    /** A protected resource would be replaced. */
    readonly protectedViolation: boolean;
    /** Updates the provider would fail to apply (update-warnings.ts). */
    readonly warnings: readonly string[];
}

export interface PlanDiff {
    readonly stack: string;
    readonly added: readonly PlannedResource[];
    /** Removed resources; `protect` tells whether `pulumi up` would refuse the deletion. */
    readonly removed: readonly PlannedResource[];
    readonly changed: readonly ChangedResource[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The paths at which two input values differ, as deep as both sides are objects or lists. */
export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
    if (JSON.stringify(before) === JSON.stringify(after)) {
        return [];
    }
    if (isRecord(before) && isRecord(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => changedPaths(before[key], after[key], prefix === "" ? key : `${prefix}.${key}`));
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        return before.flatMap((item, index) => changedPaths(item, after[index], `${prefix}[${index}]`));
    }
    return [prefix];
}

function isIgnored(path: string, ignoreChanges: readonly string[]): boolean {
    return ignoreChanges.some((ignored) => path === ignored || path.startsWith(`${ignored}.`) || path.startsWith(`${ignored}[`));
}

const OPTIONS = ["protect", "retainOnDelete", "deleteBeforeReplace"] as const;

function compare(before: PlannedResource, after: PlannedResource): ChangedResource | undefined {
    // The engine skips ignored inputs when it diffs, so a change there is no change.
    const inputKeys = changedPaths(before.inputs, after.inputs).filter((path) => !isIgnored(path, after.ignoreChanges));
    const optionKeys = OPTIONS.filter((option) => before[option] !== after[option]).map((option) => `(option) ${option}`);
    if (JSON.stringify(before.ignoreChanges) !== JSON.stringify(after.ignoreChanges)) {
        optionKeys.push("(option) ignoreChanges");
    }
    const keys = [...inputKeys, ...optionKeys];
    if (keys.length === 0) {
        return undefined;
    }
    // The provider's own replaces, and the program's replaceOnChanges (which the engine honours too).
    const replaceOnChanges = after.replaceOnChanges ?? [];
    const replacesByOption = (path: string) => replaceOnChanges.some((field) => field === "*" || pathMatches(field, path));
    const replaceKeys = after.custom
        ? inputKeys.filter((path) => replacesByOption(path) || replacesOnChange(after.type, path, { before: valueAtPath(before.inputs, path), after: valueAtPath(after.inputs, path) }))
        : [];
    const replace = replaceKeys.length > 0;
    return {
        urn: after.urn,
        type: after.type,
        name: after.name,
        keys,
        replaceKeys,
        replace,
        protectedViolation: replace && (before.protect || after.protect),
        warnings: replace ? [] : updateWarnings(after.type, inputKeys, after.inputs),
    };
}

export function diffPlans(before: Plan, after: Plan): PlanDiff {
    const beforeByUrn = new Map(before.resources.map((resource) => [resource.urn, resource]));
    const afterByUrn = new Map(after.resources.map((resource) => [resource.urn, resource]));
    return {
        stack: after.stack,
        added: after.resources.filter((resource) => !beforeByUrn.has(resource.urn)),
        removed: before.resources.filter((resource) => !afterByUrn.has(resource.urn)),
        changed: after.resources.flatMap((resource) => {
            const previous = beforeByUrn.get(resource.urn);
            const change = previous === undefined ? undefined : compare(previous, resource);
            return change === undefined ? [] : [change];
        }),
    };
}

/** True when the change would replace or delete a protected resource. */
export function touchesProtected(diff: PlanDiff): boolean {
    return diff.removed.some((resource) => resource.protect) || diff.changed.some((change) => change.protectedViolation);
}

function code(text: string): string {
    return `\`${text.replace(/`/g, "'")}\``;
}

/** The diff as Markdown for a pull-request comment. */
export function renderDiffMarkdown(diff: PlanDiff): string {
    const lines = [`### Offline plan diff: \`${diff.stack}\``, ""];
    const total = diff.added.length + diff.removed.length + diff.changed.length;
    if (total === 0) {
        lines.push("No changes.", "");
        return lines.join("\n");
    }
    const replacing = diff.changed.filter((change) => change.replace).length;
    lines.push(`**${diff.added.length} to add, ${diff.changed.length - replacing} to update, ${replacing} to replace, ${diff.removed.length} to delete.**`, "");
    if (touchesProtected(diff)) {
        lines.push("> [!CAUTION]", "> **PROTECTED** resources would be replaced or deleted; `pulumi up` will refuse until protection is lifted on purpose.", "");
    }
    lines.push("| | resource | type | changed keys |", "|---|---|---|---|");
    for (const resource of diff.added) {
        lines.push(`| + add | ${code(resource.name)} | ${code(resource.type)} | |`);
    }
    for (const change of diff.changed) {
        const marker = change.protectedViolation ? "+- replace **PROTECTED**" : change.replace ? "+- replace" : "~ update";
        const keys = change.keys.map((key) => (change.replaceKeys.includes(key) ? `${code(key)} (replaces)` : code(key))).join(", ");
        lines.push(`| ${marker} | ${code(change.name)} | ${code(change.type)} | ${keys} |`);
    }
    for (const resource of diff.removed) {
        lines.push(`| ${resource.protect ? "- delete **PROTECTED**" : "- delete"} | ${code(resource.name)} | ${code(resource.type)} | |`);
    }
    for (const change of diff.changed.filter((changed) => changed.warnings.length > 0)) {
        lines.push("", "> [!WARNING]", ...change.warnings.map((warning) => `> ${code(change.name)}: ${warning}.`));
    }
    lines.push("", "_Computed offline from the program under mocks: values known only after apply (ids, digests) and secret values are not compared._", "");
    return lines.join("\n");
}
