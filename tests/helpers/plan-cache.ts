// One `npm test` run plans the same stack text many times: most test files start from the committed
// prod or dev stack, and each file is its own module registry, so each would load the SDKs and
// evaluate the program again. Plans are deterministic for a given stack and text (a test checks this
// byte for byte), so within one run a plan is evaluated once and every later request reads it back.
// The cache lives only for the run: jest's globalSetup makes a fresh folder, globalTeardown removes
// it, so a change to the code between two runs can never be answered by an old plan.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../../tools/plan/capture";

/** The environment variable that names this run's cache folder (set by tests/global-setup.ts). */
export const PLAN_CACHE_VARIABLE = "HOMELAB_TEST_PLAN_CACHE";

/** The plan for `stack` and `text`, read from this run's cache or evaluated by `evaluate` and stored. */
export async function cachedPlan(stack: string, text: string, evaluate: () => Promise<Plan>): Promise<Plan> {
    const folder = process.env[PLAN_CACHE_VARIABLE];
    if (folder === undefined || folder === "") {
        return evaluate();
    }
    const file = join(folder, `${createHash("sha256").update(stack).update("\0").update(text).digest("hex")}.json`);
    try {
        return JSON.parse(readFileSync(file, "utf8")) as Plan;
    } catch {
        // Not planned yet in this run (or written by a worker that is still writing: rename is atomic).
    }
    const plan = await evaluate();
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(plan));
    renameSync(partial, file);
    // Hand back what a later reader gets, so the first caller cannot see anything JSON would drop.
    return JSON.parse(JSON.stringify(plan)) as Plan;
}
