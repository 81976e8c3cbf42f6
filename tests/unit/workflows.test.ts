// The GitHub workflows, checked offline: actionlint (rhysd/actionlint as WASM) and the rules that
// keep fork pull requests away from the self-hosted runner and the secrets.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../tools/paths";

const WORKFLOWS = join(PROJECT_ROOT, ".github", "workflows");
const FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository";

interface Step { uses?: string; run?: string; if?: string; with?: Record<string, unknown> }
interface Job { "runs-on": string | string[]; if?: string; needs?: string | string[]; environment?: string; steps: Step[]; concurrency?: { group: string; "cancel-in-progress": boolean }; strategy?: { matrix?: { node?: number[] } } }
interface Workflow { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job>; concurrency?: { group: string; "cancel-in-progress": boolean } }

const texts = Object.fromEntries(readdirSync(WORKFLOWS).map((file) => [file, readFileSync(join(WORKFLOWS, file), "utf8")]));
const workflow = (file: string) => parse(texts[file]!) as Workflow;
const workflows = () => Object.fromEntries(Object.keys(texts).map((file) => [file, workflow(file)]));
const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
    engines: { node: string };
    dependencies: Record<string, string>;
    scripts: Record<string, string>;
};

/** The CLI version `npm run pulumi` makes the launcher download (PULUMI_VERSION in the script). */
function pinnedCliVersion(): string {
    return /^PULUMI_VERSION=(\d+\.\d+\.\d+) pulumi$/.exec(packageJson.scripts["pulumi"] ?? "")?.[1] ?? "(not pinned)";
}

/** Compares two x.y.z versions numerically: negative, zero or positive. */
function compareVersions(left: string, right: string): number {
    const a = left.split(".").map(Number);
    const b = right.split(".").map(Number);
    return (a[0]! - b[0]!) || (a[1]! - b[1]!) || (a[2]! - b[2]!);
}

/**
 * Why a deploy workflow would let a perpetual diff reach prod: its dev job must run a
 * `preview --expect-no-changes` of dev after its `up`, and the prod job must wait for that job.
 */
export function zeroDiffProblems(document: Workflow): string[] {
    const dev = document.jobs["dev"];
    if (dev === undefined) {
        return ["no dev job"];
    }
    const pulumiSteps = dev.steps.map((step) => (step.uses?.startsWith("pulumi/actions@") === true ? step.with ?? {} : undefined));
    const up = pulumiSteps.findIndex((inputs) => inputs?.["command"] === "up" && inputs["stack-name"] === "dev");
    const check = pulumiSteps.findIndex((inputs) => inputs?.["command"] === "preview" && inputs["stack-name"] === "dev" && inputs["expect-no-changes"] === true);
    const problems: string[] = [];
    if (up < 0) {
        problems.push("the dev job has no up of dev");
    }
    if (check < 0) {
        problems.push("the dev job has no preview --expect-no-changes of dev");
    } else if (check < up) {
        problems.push("the dev job's preview --expect-no-changes runs before its up");
    }
    if (document.jobs["prod"]?.needs !== "dev") {
        problems.push("the prod job does not wait for the dev job");
    }
    return problems;
}

/** Jobs of a pull-request workflow that would run fork code on a self-hosted runner or hand it secrets. */
export function unguardedJobs(document: Workflow, text: string): string[] {
    return Object.entries(document.jobs)
        .filter(([, job]) => {
            const selfHosted = [job["runs-on"]].flat().includes("self-hosted");
            const usesSecrets = JSON.stringify(job).includes("secrets.");
            return (selfHosted || usesSecrets) && !(job.if ?? "").includes(FORK_GUARD);
        })
        .map(([name]) => name)
        .concat(text.includes("pull_request_target") ? ["(pull_request_target trigger)"] : []);
}

describe("workflows", () => {
    it("pass actionlint", () => {
        const result = spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js"), ".github/workflows/*.yml"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        expect(result.stdout + result.stderr).toContain("All workflow files passed");
        expect(result.status).toBe(0);
    });

    it("pin every action by commit SHA, with the version in a comment", () => {
        const uses = Object.values(texts).flatMap((text) => [...text.matchAll(/uses: (\S+)(.*)$/gm)].map((match) => `${match[1]!}${match[2]!}`));
        expect(uses.length).toBeGreaterThan(5);
        expect(uses.filter((line) => !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d/.test(line))).toEqual([]);
    });

    it("grant least permissions: contents read at the top of every workflow", () => {
        for (const file of Object.keys(texts)) {
            expect(workflow(file).permissions).toEqual({ contents: "read" });
        }
    });

    it("use the Pulumi CLI version the package pins, which is not older than the SDK", () => {
        const pinned = pinnedCliVersion();
        const versions = Object.values(texts).flatMap((text) => [...text.matchAll(/pulumi-version: (\S+)/g)].map((match) => match[1]));
        expect(versions.length).toBeGreaterThan(0);
        expect(new Set(versions)).toEqual(new Set([pinned]));
        expect(compareVersions(pinned, packageJson.dependencies["@pulumi/pulumi"]!)).toBeGreaterThanOrEqual(0);
        expect(compareVersions("3.265.0", "3.270.0")).toBeLessThan(0);
    });

    it("run on Node 22 or later, as package.json's engines require", () => {
        expect(packageJson.engines.node).toBe(">=22");
        const nodeVersions = Object.values(texts).flatMap((text) => [...text.matchAll(/node-version: (.+)$/gm)].map((match) => match[1]!.trim()));
        const matrixNodes = Object.values(workflows()).flatMap((document) => Object.values(document.jobs).flatMap((job) => job.strategy?.matrix?.node ?? []));
        expect(nodeVersions.length).toBeGreaterThan(4);
        const concrete = [...nodeVersions.filter((version) => version !== "${{ matrix.node }}").map(Number), ...matrixNodes];
        expect(concrete.filter((major) => !(major >= 22))).toEqual([]);
        expect(matrixNodes).toEqual([22, 24]);
    });
});

describe("pull requests from forks", () => {
    it("never reach the self-hosted runner or secrets", () => {
        expect(unguardedJobs(workflow("pr.yml"), texts["pr.yml"]!)).toEqual([]);
        const pr = workflow("pr.yml");
        expect(pr.jobs["preview"]!.if).toBe(FORK_GUARD);
        expect([pr.jobs["preview"]!["runs-on"]].flat()).toContain("self-hosted");
        // The jobs forks do get run on GitHub's runners and only comment with the repository's own token.
        expect(pr.jobs["plan-diff"]!.steps.find((step) => step.run?.includes("gh pr comment"))!.if).toBe(FORK_GUARD);
    });

    it("the guard check catches a preview job without the fork condition", () => {
        const pr = workflow("pr.yml");
        const unguarded: Job = { ...pr.jobs["preview"]!, if: "always()" };
        expect(unguardedJobs({ ...pr, jobs: { ...pr.jobs, preview: unguarded } }, texts["pr.yml"]!)).toEqual(["preview"]);
        expect(unguardedJobs(pr, texts["pr.yml"]!.replace("pull_request:", "pull_request_target:"))).toEqual(["(pull_request_target trigger)"]);
    });

    it("the offline diff fails the pull request when a protected resource would be replaced", () => {
        const diffStep = workflow("pr.yml").jobs["plan-diff"]!.steps.find((step) => step.run?.includes("--diff"))!;
        expect(diffStep.run).toContain("--fail-on-protected");
        expect(diffStep.run).toMatch(/for stack in dev prod/);
    });
});

describe("deploy and drift", () => {
    it("deploy ups dev, then prod behind the approved production environment, never two at once", () => {
        const deploy = workflow("deploy.yml");
        expect(deploy.on).toHaveProperty("push", { branches: ["main"] });
        expect(deploy.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
        expect(deploy.jobs["prod"]!.needs).toBe("dev");
        expect(deploy.jobs["prod"]!.environment).toBe("production");
        const stacks = Object.values(deploy.jobs).map((job) => job.steps.find((step) => step.uses?.startsWith("pulumi/actions@") === true && step.with?.["command"] === "up")!.with);
        expect(stacks).toEqual([expect.objectContaining({ command: "up", "stack-name": "dev" }), expect.objectContaining({ command: "up", "stack-name": "prod" })]);
    });

    it("deploy stops before prod when dev would change again right after its up", () => {
        expect(zeroDiffProblems(workflow("deploy.yml"))).toEqual([]);
        const dev = workflow("deploy.yml").jobs["dev"]!;
        const check = dev.steps.find((step) => step.with?.["expect-no-changes"] === true)!;
        expect(check.with).toMatchObject({ command: "preview", "stack-name": "dev", "cloud-url": "${{ secrets.PULUMI_BACKEND_URL }}" });
    });

    it("the zero-diff check fails a deploy workflow without the step, with it before the up, or with prod not waiting", () => {
        const deploy = workflow("deploy.yml");
        const dev = deploy.jobs["dev"]!;
        const withoutCheck = dev.steps.filter((step) => step.with?.["expect-no-changes"] !== true);
        expect(zeroDiffProblems({ ...deploy, jobs: { ...deploy.jobs, dev: { ...dev, steps: withoutCheck } } })).toEqual(["the dev job has no preview --expect-no-changes of dev"]);
        const checkFirst = [...dev.steps].sort((a, b) => Number(b.with?.["expect-no-changes"] === true) - Number(a.with?.["expect-no-changes"] === true));
        expect(zeroDiffProblems({ ...deploy, jobs: { ...deploy.jobs, dev: { ...dev, steps: checkFirst } } })).toEqual(["the dev job's preview --expect-no-changes runs before its up"]);
        const prodAlone: Job = { ...deploy.jobs["prod"]!, needs: [] };
        expect(zeroDiffProblems({ ...deploy, jobs: { ...deploy.jobs, prod: prodAlone } })).toEqual(["the prod job does not wait for the dev job"]);
    });

    it("drift runs on a schedule: preview --refresh --expect-no-changes per stack", () => {
        const drift = workflow("drift.yml");
        expect(drift.on).toHaveProperty("schedule");
        const step = drift.jobs["drift"]!.steps.find((candidate) => candidate.uses?.startsWith("pulumi/actions@"))!;
        expect(step.with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true, "stack-name": "${{ matrix.stack }}" });
    });
});
