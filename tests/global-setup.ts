// A fresh plan cache for this run (tests/helpers/plan-cache.ts); the workers inherit the variable.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PLAN_CACHE_VARIABLE } from "./helpers/plan-cache";

export default function globalSetup(): void {
    process.env[PLAN_CACHE_VARIABLE] = mkdtempSync(join(tmpdir(), "homelab-plans-"));
}
