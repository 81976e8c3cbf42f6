// The resource graph as a Mermaid flowchart, at the level a reader can take in: one node per
// component (with how many resources it holds), nested as the components nest, and an edge where
// a resource in one component waits on a resource in another.
import type { Plan, PlannedResource } from "./capture";

function nodeId(index: number): string {
    return `c${index}`;
}

/** The nearest component that contains a resource (the resource itself for components). */
function owningComponent(resource: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>): PlannedResource | undefined {
    let current: PlannedResource | undefined = resource;
    while (current !== undefined && (current.custom || current.type.startsWith("pulumi:providers:"))) {
        current = current.parent === null ? undefined : byUrn.get(current.parent);
    }
    return current;
}

function resourceCount(count: number): string {
    return count === 1 ? "1 resource" : `${count} resources`;
}

export function renderMermaid(plan: Plan): string {
    const byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
    const components = plan.resources.filter((resource) => !resource.custom && !resource.type.startsWith("pulumi:providers:") && resource.type !== "pulumi:pulumi:Stack");
    const ids = new Map(components.map((component, index) => [component.urn, nodeId(index)]));
    const owned = new Map<string, number>();
    for (const resource of plan.resources.filter((candidate) => candidate.custom)) {
        const owner = owningComponent(resource, byUrn);
        if (owner !== undefined) {
            owned.set(owner.urn, (owned.get(owner.urn) ?? 0) + 1);
        }
    }
    const edges = new Set<string>();
    for (const resource of plan.resources) {
        const from = owningComponent(resource, byUrn);
        for (const dependency of resource.dependencies) {
            const dependencyResource = byUrn.get(dependency);
            const to = dependencyResource === undefined ? undefined : owningComponent(dependencyResource, byUrn);
            if (from !== undefined && to !== undefined && from.urn !== to.urn && ids.has(from.urn) && ids.has(to.urn)) {
                edges.add(`  ${ids.get(to.urn)!} --> ${ids.get(from.urn)!}`);
            }
        }
    }
    const lines = ["flowchart LR"];
    const children = (parent: string) => components.filter((component) => component.parent === parent);
    const roots = components.filter((component) => byUrn.get(component.parent ?? "")?.type === "pulumi:pulumi:Stack");
    const label = (component: PlannedResource) => `${component.name}<br/>${component.type.split(":").pop()!} · ${resourceCount(owned.get(component.urn) ?? 0)}`;
    const emit = (component: PlannedResource, indent: string): void => {
        const nested = children(component.urn);
        if (nested.length === 0) {
            lines.push(`${indent}${ids.get(component.urn)!}["${label(component)}"]`);
            return;
        }
        lines.push(`${indent}subgraph ${ids.get(component.urn)!}["${label(component)}"]`);
        nested.forEach((child) => emit(child, `${indent}  `));
        lines.push(`${indent}end`);
    };
    roots.forEach((component) => emit(component, "  "));
    lines.push(...[...edges].sort());
    return `${lines.join("\n")}\n`;
}
