// The README diagram's renderer: components as nodes, building blocks folded in, whole-subtree
// counts, and edges for dependencies and provider use between components.
import type { PlannedResource } from "../../tools/plan/capture";
import { renderMermaid } from "../../tools/plan/mermaid";

function resource(urn: string, type: string, parent: string | null, extra: Partial<PlannedResource> = {}): PlannedResource {
    return {
        urn, type, name: urn, parent, provider: null, custom: !type.startsWith("homelab:") && type !== "pulumi:pulumi:Stack",
        dependencies: [], protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], inputs: {}, ...extra,
    };
}

describe("renderMermaid", () => {
    const resources = [
        resource("stack", "pulumi:pulumi:Stack", null),
        resource("host", "homelab:proxmox:ProxmoxHost", "stack"),
        resource("host-provider", "pulumi:providers:proxmoxve", "host"),
        resource("app", "homelab:apps:App", "stack"),
        resource("app-service", "homelab:docker:Service", "app"),
        resource("app-service-container", "docker:index/container:Container", "app-service", { dependencies: ["host-file"] }),
        resource("host-file", "proxmoxve:index/fileLegacy:FileLegacy", "host"),
        resource("wireguard", "homelab:wireguard:WireGuardServer", "stack"),
        resource("wireguard-container", "proxmoxve:index/containerLegacy:ContainerLegacy", "wireguard", { provider: "host-provider" }),
    ];
    const mermaid = renderMermaid({ project: "homelab", stack: "s", resources, outputs: {} });

    it("draws components, folding a service into its app and counting the whole subtree", () => {
        expect(mermaid).toContain('["app<br/>App · 1 resource"]');
        expect(mermaid).toContain('["host<br/>ProxmoxHost · 2 resources"]');
        expect(mermaid).not.toContain("app-service");
    });

    it("draws an edge for a dependency and for the use of another component's provider", () => {
        const ids = Object.fromEntries([...mermaid.matchAll(/(c\d+)\["(\w+)</g)].map((match) => [match[2]!, match[1]!]));
        expect(mermaid).toContain(`${ids["host"]!} --> ${ids["app"]!}`);
        expect(mermaid).toContain(`${ids["host"]!} --> ${ids["wireguard"]!}`);
        expect(mermaid.match(/-->/g)).toHaveLength(2);
    });
});
