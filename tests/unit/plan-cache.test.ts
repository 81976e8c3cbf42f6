// The per-run plan cache must answer a repeated request from disk (the point of it), keep apart
// stacks and texts that differ, and hand the first caller exactly what later callers will read.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "../../tools/plan/capture";
import { cachedPlan, PLAN_CACHE_VARIABLE } from "../helpers/plan-cache";

function fakePlan(stack: string, marker: string): Plan {
    return { project: "homelab", stack, resources: [], outputs: { marker, dropped: undefined } };
}

describe("the test run's plan cache", () => {
    const previous = process.env[PLAN_CACHE_VARIABLE];
    let folder = "";
    beforeEach(() => {
        folder = mkdtempSync(join(tmpdir(), "plan-cache-test-"));
        process.env[PLAN_CACHE_VARIABLE] = folder;
    });
    afterEach(() => {
        rmSync(folder, { recursive: true, force: true });
        if (previous === undefined) {
            delete process.env[PLAN_CACHE_VARIABLE];
        } else {
            process.env[PLAN_CACHE_VARIABLE] = previous;
        }
    });

    it("evaluates a stack text once and reads it back afterwards", async () => {
        const evaluate = jest.fn(() => Promise.resolve(fakePlan("prod", "first")));
        const first = await cachedPlan("prod", "text", evaluate);
        const second = await cachedPlan("prod", "text", evaluate);
        expect(evaluate).toHaveBeenCalledTimes(1);
        expect(second).toEqual(first);
        expect(readdirSync(folder).filter((name) => name.endsWith(".json"))).toHaveLength(1);
    });

    it("keeps another stack or another text apart", async () => {
        await cachedPlan("prod", "text", () => Promise.resolve(fakePlan("prod", "a")));
        const otherStack = await cachedPlan("dev", "text", () => Promise.resolve(fakePlan("dev", "b")));
        const otherText = await cachedPlan("prod", "text2", () => Promise.resolve(fakePlan("prod", "c")));
        expect(otherStack.outputs["marker"]).toBe("b");
        expect(otherText.outputs["marker"]).toBe("c");
    });

    it("gives the first caller the JSON form too, so no test passes only on the uncached path", async () => {
        const first = await cachedPlan("prod", "text", () => Promise.resolve(fakePlan("prod", "a")));
        expect(Object.keys(first.outputs)).toEqual(["marker"]);
    });

    it("evaluates every time without a cache folder (a run without the global setup)", async () => {
        delete process.env[PLAN_CACHE_VARIABLE];
        const evaluate = jest.fn(() => Promise.resolve(fakePlan("prod", "a")));
        await cachedPlan("prod", "text", evaluate);
        await cachedPlan("prod", "text", evaluate);
        expect(evaluate).toHaveBeenCalledTimes(2);
    });
});
