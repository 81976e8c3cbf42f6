// The plan diff as the PR workflow runs it: separate processes, their exit codes, and another git
// revision planned with its own code. Each case starts a whole program (a few seconds of CPU), so
// they live in the system tier beside the CLI's other process-level tests (plan-cli.test.ts); the
// diffs' contents are checked in-process in tests/stack/plan-diff-fixtures.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";
import { planAtRevision } from "../../tools/plan/base-plan";
import { renderPlanJson } from "../../tools/plan/render";
import { planStack } from "../helpers/plan";
import { editedStackText } from "../helpers/stack-text";

type Config = Record<string, unknown>;

const texts = {
    firstBootChange: editedStackText("prod", (config: Config) => {
        ((config["homelab:vm"] as Record<string, unknown>)["sshPublicKeys"] as string[]).push("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwnerSecondKey second@laptop");
    }),
    vmMemory: editedStackText("prod", (config: Config) => {
        (config["homelab:vm"] as Record<string, unknown>)["memoryMiB"] = 12288;
    }),
};

describe("npm run plan --before … --fail-on-protected", () => {
    it("exits non-zero on the first-boot change and zero on the memory change", async () => {
        const folder = mkdtempSync(join(tmpdir(), "plan-diff-"));
        writeFileSync(join(folder, "base.json"), renderPlanJson(await planStack("prod")));
        const run = (variant: keyof typeof texts) => {
            writeFileSync(join(folder, `${variant}.yaml`), texts[variant]);
            return spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(PROJECT_ROOT, "tools", "plan.ts"),
                "--stack", "prod", "--config", join(folder, `${variant}.yaml`), "--before", join(folder, "base.json"), "--fail-on-protected"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        };
        const protectedChange = run("firstBootChange");
        expect(protectedChange.status).toBe(3);
        expect(protectedChange.stdout).toContain("**PROTECTED**");
        const safeChange = run("vmMemory");
        expect(safeChange.status).toBe(0);
        expect(safeChange.stdout).toContain("~ update");
    });
});

describe("--diff <git-ref>", () => {
    it("plans another revision with that revision's own code and config", () => {
        const atHead = planAtRevision("HEAD", "prod");
        expect(atHead.stack).toBe("prod");
        expect(atHead.resources.map((resource) => resource.type)).toContain("proxmoxve:index/vmLegacy:VmLegacy");
    });

    it("treats a stack that did not exist at that revision as empty, so everything is added", () => {
        expect(planAtRevision("HEAD", "no-such-stack")).toEqual({ project: "homelab", stack: "no-such-stack", resources: [], outputs: {} });
    });
});
