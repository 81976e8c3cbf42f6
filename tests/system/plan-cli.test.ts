// `npm run plan` as a user runs it: a separate process, its exit code, stdout and stderr.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";
import { renderPlanJson } from "../../tools/plan/render";
import { planStack } from "../helpers/plan";
import { editedStackText } from "../helpers/stack-text";

function plan(...args: string[]) {
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(PROJECT_ROOT, "tools", "plan.ts"), ...args], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const scratch = mkdtempSync(join(tmpdir(), "plan-cli-"));
const savedPlan = join(scratch, "plan.json");

describe("npm run plan", () => {
    it("--json --out writes exactly the documented JSON document, the same bytes as another process's plan", async () => {
        const first = plan("--stack", "prod", "--json", "--out", savedPlan);
        expect(first.status).toBe(0);
        expect(first.stdout).toBe("");
        const saved = readFileSync(savedPlan, "utf8");
        expect(saved).toBe(renderPlanJson(await planStack("prod")));
        const document = JSON.parse(saved) as { project: string; stack: string; resources: Record<string, unknown>[]; outputs: object };
        expect(document.project).toBe("homelab");
        expect(document.stack).toBe("prod");
        expect(typeof document.outputs).toBe("object");
        for (const resource of document.resources) {
            expect(Object.keys(resource)).toEqual([
                "custom", "deleteBeforeReplace", "dependencies", "ignoreChanges", "inputs", "name", "parent",
                "protect", "provider", "replaceOnChanges", "retainOnDelete", "type", "urn",
            ]);
        }
    });

    it("--before reads that file back: the same stack planned again has no changes", () => {
        const result = plan("--stack", "prod", "--before", savedPlan, "--fail-on-protected");
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(result.stdout).toBe("### Offline plan diff: `prod`\n\nNo changes.\n");
    });

    it("a --before file with npm's banner in it, or an unknown --diff ref, is one line on stderr and exit 2", () => {
        const banner = join(scratch, "banner.json");
        writeFileSync(banner, `\n> homelab@0.1.0 plan\n> tsx tools/plan.ts --stack prod --json\n\n${readFileSync(savedPlan, "utf8")}`);
        for (const args of [["--before", banner], ["--diff", "no-such-ref-anywhere"]]) {
            const result = plan("--stack", "prod", ...args);
            expect(result.status).toBe(2);
            expect(result.stdout).toBe("");
            expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
            expect(result.stderr).toContain(`${args[0]!} ${args[1]!}: `);
        }
    });

    it("without --json prints the tree", () => {
        const result = plan("--stack", "dev");
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/^ \+ {3}pulumi:pulumi:Stack +homelab-dev$/m);
        expect(result.stdout).toMatch(/└─ homelab:index:Homelab +homelab$/m);
    });

    it("exits 2 on a config with several mistakes, names every key on stderr and prints nothing on stdout", () => {
        const text = editedStackText("prod", (config) => {
            const vm = config["homelab:vm"] as Record<string, unknown>;
            vm["address"] = "10.0.0.5/24";
            vm["memoryMib"] = 4096;
            const wireguard = config["homelab:wireguard"] as Record<string, unknown>;
            wireguard["peers"] = [{ name: "phone" }, { name: "phone" }];
            delete wireguard["endpoint"];
            ((config["homelab:apps"] as Record<string, Record<string, unknown>>)["immich"]!)["version"] = "latest";
        });
        const file = join(mkdtempSync(join(tmpdir(), "plan-")), "Pulumi.broken.yaml");
        writeFileSync(file, text);
        const result = plan("--stack", "prod", "--config", file);
        expect(result.status).toBe(2);
        expect(result.stdout).toBe("");
        for (const key of ["homelab:vm.address", "homelab:vm.memoryMib", "homelab:wireguard.peers[1].name", "homelab:wireguard.endpoint", "homelab:apps.immich.version"]) {
            expect(result.stderr).toContain(`${key}: `);
        }
    });

    it("exits 2 with usage help on a missing --stack or an unknown stack", () => {
        const missing = plan("--json");
        expect(missing.status).toBe(2);
        expect(missing.stderr).toContain("--stack is required");
        const unknown = plan("--stack", "staging");
        expect(unknown.status).toBe(2);
        expect(unknown.stderr).toContain("Pulumi.staging.yaml");
        expect(unknown.stdout).toBe("");
    });
});
