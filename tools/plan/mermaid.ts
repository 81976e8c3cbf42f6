// The resource graph as a Mermaid flowchart, at the level a reader can take in: one node per
// component (with how many resources its subtree holds), nested as the components nest, and an
// edge where a resource in one component waits on, or uses the provider of, another. Building blocks that
// repeat inside a component (a Docker service, a WireGuard peer) fold into that component.
import type { Plan, PlannedResource } from "./capture";

/** Component types drawn as part of their parent rather than as nodes of their own. */
const FOLDED_TYPES: ReadonlySet<string> = new Set(["homelab:docker:Service", "homelab:wireguard:WireGuardPeer"]);

function isNode(resource: PlannedResource): boolean {
    return !resource.custom && resource.type !== "pulumi:pulumi:Stack" && !FOLDED_TYPES.has(resource.type);
}

/** The nearest drawn component that contains a resource (the resource itself when it is one). */
function owningNode(resource: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>): PlannedResource | undefined {
    let current: PlannedResource | undefined = resource;
    while (current !== undefined && !isNode(current)) {
        current = current.parent === null ? undefined : byUrn.get(current.parent);
    }
    return current;
}

function resourceCount(count: number): string {
    return count === 1 ? "1 resource" : `${count} resources`;
}

export function renderMermaid(plan: Plan): string {
    const byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
    const nodes = plan.resources.filter(isNode);
    const ids = new Map(nodes.map((node, index) => [node.urn, `c${index}`]));
    // Every custom resource counts for each drawn component it sits under.
    const subtreeCounts = new Map<string, number>();
    for (const resource of plan.resources.filter((candidate) => candidate.custom)) {
        for (let owner = owningNode(resource, byUrn); owner !== undefined; owner = owner.parent === null ? undefined : owningNode(byUrn.get(owner.parent)!, byUrn)) {
            subtreeCounts.set(owner.urn, (subtreeCounts.get(owner.urn) ?? 0) + 1);
        }
    }
    const edges = new Set<string>();
    for (const resource of plan.resources) {
        const from = owningNode(resource, byUrn);
        for (const dependency of [...resource.dependencies, ...(resource.provider === null ? [] : [resource.provider])]) {
            const dependencyResource = byUrn.get(dependency);
            const to = dependencyResource === undefined ? undefined : owningNode(dependencyResource, byUrn);
            if (from !== undefined && to !== undefined && from.urn !== to.urn && from.parent !== to.urn) {
                edges.add(`  ${ids.get(to.urn)!} --> ${ids.get(from.urn)!}`);
            }
        }
    }
    const children = (parent: string) => nodes.filter((node) => node.parent === parent);
    const roots = nodes.filter((node) => byUrn.get(node.parent ?? "")?.type === "pulumi:pulumi:Stack");
    const label = (node: PlannedResource) => `${node.name}<br/>${node.type.split(":").pop()!} · ${resourceCount(subtreeCounts.get(node.urn) ?? 0)}`;
    const lines = ["flowchart LR"];
    const emit = (node: PlannedResource, indent: string): void => {
        const nested = children(node.urn);
        if (nested.length === 0) {
            lines.push(`${indent}${ids.get(node.urn)!}["${label(node)}"]`);
            return;
        }
        lines.push(`${indent}subgraph ${ids.get(node.urn)!}["${label(node)}"]`);
        nested.forEach((child) => emit(child, `${indent}  `));
        lines.push(`${indent}end`);
    };
    roots.forEach((root) => emit(root, "  "));
    lines.push(...[...edges].sort());
    return `${lines.join("\n")}\n`;
}
