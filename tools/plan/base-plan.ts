// Plans a stack as another git revision's code and config would: the base of a pull request.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "./capture";
import { PROJECT_ROOT } from "./harness";

/** An empty plan: what a stack is before it exists (a stack file added by the change). */
export function emptyPlan(stack: string): Plan {
    return { project: "homelab", stack, resources: [], outputs: {} };
}

/**
 * Extracts `ref` into a temporary folder and runs that revision's own plan tool there, so the
 * base is planned with the base's code as well as its config. Uses this checkout's node_modules.
 */
export function planAtRevision(ref: string, stack: string): Plan {
    const folder = mkdtempSync(join(tmpdir(), "homelab-base-"));
    try {
        const archive = execFileSync("git", ["archive", "--format=tar", ref], { cwd: PROJECT_ROOT, maxBuffer: 512 * 1024 * 1024 });
        execFileSync("tar", ["-x", "-C", folder], { input: archive });
        if (!existsSync(join(folder, "tools", "plan.ts"))) {
            throw new Error(`${ref} has no tools/plan.ts: it predates the offline plan`);
        }
        if (!existsSync(join(folder, `Pulumi.${stack}.yaml`))) {
            return emptyPlan(stack);
        }
        symlinkSync(join(PROJECT_ROOT, "node_modules"), join(folder, "node_modules"), "dir");
        const result = spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(folder, "tools", "plan.ts"), "--stack", stack, "--json"], {
            cwd: folder,
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
        });
        if (result.status !== 0) {
            throw new Error(`planning ${stack} at ${ref} failed (exit ${result.status}):\n${result.stderr}`);
        }
        return JSON.parse(result.stdout) as Plan;
    } finally {
        rmSync(folder, { recursive: true, force: true });
    }
}
