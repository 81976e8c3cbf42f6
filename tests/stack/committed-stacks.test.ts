// Both committed stacks plan, deterministically, and share the foundation every component uses.
import type { Plan } from "../../tools/plan/capture";
import { renderPlanJson } from "../../tools/plan/render";
import { onlyResource, planStack } from "../helpers/plan";

describe.each(["prod", "dev"])("the %s stack", (stack) => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await planStack(stack);
    });

    it("plans, rooted in one stack resource and one Homelab", () => {
        expect(onlyResource(plan, "pulumi:pulumi:Stack").name).toBe(`homelab-${stack}`);
        expect(onlyResource(plan, "homelab:index:Homelab").parent).toBe(onlyResource(plan, "pulumi:pulumi:Stack").urn);
    });

    it("hangs every resource under a component: only the Homelab sits directly under the stack", () => {
        const stackUrn = onlyResource(plan, "pulumi:pulumi:Stack").urn;
        expect(plan.resources.filter((resource) => resource.parent === stackUrn).map((resource) => resource.type)).toEqual(["homelab:index:Homelab"]);
    });

    it("uses one explicit Proxmox provider whose API token is a secret", () => {
        const provider = onlyResource(plan, "pulumi:providers:proxmoxve");
        expect(provider.inputs["apiToken"]).toBe("[secret]");
        expect(provider.inputs["endpoint"]).toBe("https://192.168.1.120:8006");
        // Every Proxmox resource goes through it: none falls back to the default provider.
        const proxmoxResources = plan.resources.filter((resource) => resource.type.startsWith("proxmoxve:"));
        expect(proxmoxResources.length).toBeGreaterThan(0);
        expect(proxmoxResources.filter((resource) => resource.provider !== provider.urn).map((resource) => resource.name)).toEqual([]);
        // Likewise every Docker resource goes through the provider that reaches the VM over SSH.
        const dockerProvider = onlyResource(plan, "pulumi:providers:docker");
        expect(plan.resources.filter((resource) => resource.type.startsWith("docker:") && resource.provider !== dockerProvider.urn).map((resource) => resource.name)).toEqual([]);
    });

    it("never shows a secret config value in clear", () => {
        const json = renderPlanJson(plan);
        expect(json).not.toContain("plan@pve!placeholder");
        expect(json).not.toContain("PRIVATE KEY");
    });

    it("names every child after its parent component (`${name}-<role>`)", () => {
        const components = new Map(plan.resources.filter((resource) => !resource.custom).map((resource) => [resource.urn, resource.name]));
        const offenders = plan.resources
            .filter((resource) => resource.parent !== null && components.has(resource.parent) && resource.type !== "homelab:index:Homelab")
            .filter((resource) => !resource.name.startsWith(`${components.get(resource.parent!)!}-`))
            .map((resource) => `${resource.name} under ${components.get(resource.parent!)!}`);
        expect(offenders).toEqual([]);
    });
});

it("two plans of a stack are byte-identical", async () => {
    const first = renderPlanJson(await planStack("prod"));
    const second = renderPlanJson(await planStack("prod"));
    expect(second).toBe(first);
});
