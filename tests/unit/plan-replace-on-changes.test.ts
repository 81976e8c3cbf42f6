// The plan JSON records each resource's replaceOnChanges, sorted (the order in the program does not
// matter to the engine), and the plan diff marks a change under one of them as a replacement.
import * as random from "@pulumi/random";
import { capturePlan } from "../../tools/plan/capture";
import type { Plan } from "../../tools/plan/capture";
import { diffPlans, renderDiffMarkdown } from "../../tools/plan/diff";
import { renderPlanJson, renderPlanTree } from "../../tools/plan/render";

let plan: Plan;

beforeAll(async () => {
    plan = await capturePlan({
        project: "homelab",
        stack: "test",
        config: {},
        secretKeys: [],
        validate: () => undefined,
        program: () => {
            new random.RandomString("labelled", { length: 8, special: false, keepers: { a: "1" } }, { replaceOnChanges: ["special", "keepers"] });
            new random.RandomString("plain", { length: 8 });
            return {};
        },
    });
});

const byName = (name: string) => plan.resources.find((resource) => resource.name === name)!;

describe("replaceOnChanges in the plan", () => {
    it("is recorded sorted, and empty where the program sets none", () => {
        expect(byName("labelled").replaceOnChanges).toEqual(["keepers", "special"]);
        expect(byName("plain").replaceOnChanges).toEqual([]);
        const written = JSON.parse(renderPlanJson(plan)) as Plan;
        expect(written.resources.find((resource) => resource.name === "labelled")?.replaceOnChanges).toEqual(["keepers", "special"]);
        expect(renderPlanTree(plan)).toContain("replaceOnChanges: keepers, special");
    });

    it("makes the diff mark a change under it as a replacement, even where the provider would update", () => {
        const labelled = byName("labelled");
        // random's RandomString has no row in the replace table, so only the option can mark it.
        const edited: Plan = { ...plan, resources: plan.resources.map((resource) => (resource.urn === labelled.urn ? { ...resource, inputs: { ...resource.inputs, keepers: { a: "2" } } } : resource)) };
        const diff = diffPlans(plan, edited);
        expect(diff.changed).toEqual([expect.objectContaining({ name: "labelled", replace: true, replaceKeys: ["keepers.a"] })]);
        expect(renderDiffMarkdown(diff)).toContain("| +- replace | `labelled` |");
    });

    it("reads a plan recorded before the field existed as having none", () => {
        const labelled = byName("labelled");
        const old: Plan = { ...plan, resources: plan.resources.map(({ replaceOnChanges: _dropped, ...resource }) => resource) };
        const edited: Plan = { ...old, resources: old.resources.map((resource) => (resource.urn === labelled.urn ? { ...resource, inputs: { ...resource.inputs, keepers: { a: "2" } } } : resource)) };
        expect(diffPlans(old, edited).changed).toEqual([expect.objectContaining({ name: "labelled", replace: false })]);
    });
});
