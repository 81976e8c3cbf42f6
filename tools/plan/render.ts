// Two views of a Plan: canonical JSON (an interface other tools read) and a tree like `pulumi preview`.
import type { Plan, PlannedResource } from "./capture";

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortKeys(record[key])]));
    }
    return value;
}

/** The plan as JSON with every object's keys sorted: the same plan always gives the same bytes. */
export function renderPlanJson(plan: Plan): string {
    return `${JSON.stringify(sortKeys(plan), null, 2)}\n`;
}

function optionsOf(resource: PlannedResource): string {
    const options: string[] = [];
    if (resource.protect) {
        options.push("protect");
    }
    if (resource.retainOnDelete) {
        options.push("retainOnDelete");
    }
    if (resource.deleteBeforeReplace) {
        options.push("deleteBeforeReplace");
    }
    if (resource.ignoreChanges.length > 0) {
        options.push(`ignoreChanges: ${resource.ignoreChanges.join(", ")}`);
    }
    if ((resource.replaceOnChanges ?? []).length > 0) {
        options.push(`replaceOnChanges: ${(resource.replaceOnChanges ?? []).join(", ")}`);
    }
    return options.join("; ");
}

/** The plan as an indented tree of parents and children, one resource per line. */
export function renderPlanTree(plan: Plan): string {
    const children = new Map<string | null, PlannedResource[]>();
    for (const resource of plan.resources) {
        const siblings = children.get(resource.parent) ?? [];
        siblings.push(resource);
        children.set(resource.parent, siblings);
    }
    const rows: { type: string; name: string; options: string }[] = [];
    const walk = (parent: string | null, prefix: string): void => {
        const siblings = children.get(parent) ?? [];
        siblings.forEach((resource, index) => {
            const last = index === siblings.length - 1;
            const branch = parent === null ? "" : last ? "└─ " : "├─ ";
            rows.push({ type: `${prefix}${branch}${resource.type}`, name: resource.name, options: optionsOf(resource) });
            walk(resource.urn, parent === null ? prefix : `${prefix}${last ? "   " : "│  "}`);
        });
    };
    walk(null, "");
    const typeWidth = Math.max(4, ...rows.map((row) => row.type.length)) + 2;
    const nameWidth = Math.max(4, ...rows.map((row) => row.name.length)) + 2;
    const lines = [
        `Plan for ${plan.project}/${plan.stack}: what \`pulumi up\` would ask the engine to create (offline, under mocks)`,
        "",
        `     ${"Type".padEnd(typeWidth)}${"Name".padEnd(nameWidth)}Options`,
        ...rows.map((row) => ` +   ${row.type.padEnd(typeWidth)}${row.name.padEnd(nameWidth)}${row.options}`.trimEnd()),
        "",
        "Outputs:",
        ...Object.keys(plan.outputs).sort().map((key) => `    ${key}: ${JSON.stringify(plan.outputs[key])}`),
        "",
        "Resources:",
        `    + ${plan.resources.length} to create`,
        "",
    ];
    return lines.join("\n");
}
