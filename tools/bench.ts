// `npm run bench`: the median over several fresh processes of (a) loading the provider SDKs alone
// and (b) evaluating the prod plan in-process after that load. Not a timed test: it only reports.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type * as Harness from "./plan/harness";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 7);
const SDKS = ["@pulumi/pulumi", "@muhlba91/pulumi-proxmoxve", "@pulumi/docker", "@pulumi/command", "@pulumi/random"];

interface Sample {
    loadMs: number;
    evaluateMs: number;
    resources: number;
}

async function child(): Promise<void> {
    const started = performance.now();
    for (const name of SDKS) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(name);
    }
    const loadMs = performance.now() - started;
    // Our own modules are loaded outside both timings: tsx transpiles them, a compiled run would not.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const harness = require("./plan/harness") as typeof Harness;
    const evaluationStart = performance.now();
    const plan = await harness.planStack("prod");
    const sample: Sample = { loadMs, evaluateMs: performance.now() - evaluationStart, resources: plan.resources.length };
    process.stdout.write(JSON.stringify(sample));
}

function median(values: number[]): number {
    const sorted = [...values].sort((first, second) => first - second);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function parent(): void {
    const samples: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
        const result = spawnSync(process.execPath, [join(__dirname, "..", "node_modules", "tsx", "dist", "cli.mjs"), __filename, "--child"], { encoding: "utf8" });
        if (result.status !== 0) {
            process.stderr.write(result.stderr);
            process.exitCode = 1;
            return;
        }
        samples.push(JSON.parse(result.stdout) as Sample);
    }
    const load = median(samples.map((sample) => sample.loadMs));
    const evaluate = median(samples.map((sample) => sample.evaluateMs));
    const lines = [
        `runs: ${RUNS} fresh processes, prod plan of ${samples[0]?.resources ?? 0} resources`,
        `(a) load the SDKs alone:           median ${load.toFixed(0)} ms  (min ${Math.min(...samples.map((sample) => sample.loadMs)).toFixed(0)}, max ${Math.max(...samples.map((sample) => sample.loadMs)).toFixed(0)})`,
        `(b) evaluate the prod plan after:  median ${evaluate.toFixed(0)} ms  (min ${Math.min(...samples.map((sample) => sample.evaluateMs)).toFixed(0)}, max ${Math.max(...samples.map((sample) => sample.evaluateMs)).toFixed(0)})`,
        `evaluation adds ${((evaluate / load) * 100).toFixed(0)}% to the SDK load time (target: under 50%)`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
}

if (process.argv.includes("--child")) {
    void child();
} else {
    parent();
}
