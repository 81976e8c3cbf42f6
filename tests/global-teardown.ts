// Removes this run's plan cache, so no plan outlives the code that made it.
import { rmSync } from "node:fs";
import { PLAN_CACHE_VARIABLE } from "./helpers/plan-cache";

export default function globalTeardown(): void {
    const folder = process.env[PLAN_CACHE_VARIABLE];
    if (folder !== undefined && folder !== "") {
        rmSync(folder, { recursive: true, force: true });
    }
}
