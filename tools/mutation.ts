// `npm run test:mutation [-- <file>...]`: StrykerJS on the core logic, one file at a time (each
// against its own tests, see tools/mutation/targets.ts), at the lowest CPU priority and one test
// process, in incremental mode so a re-run only tests mutants whose code or tests changed. Prints
// the score per file: killed / (killed + survived + timeout), the measure the project holds at ≥ 90%.
// A developer command, not part of CI: a full first run takes tens of minutes on 2 cores.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./paths";
import { MUTATION_TARGETS } from "./mutation/targets";
import type { MutationTarget } from "./mutation/targets";

const REPORTS = join(PROJECT_ROOT, "reports", "mutation");
const CONCURRENCY = process.env["STRYKER_CONCURRENCY"] ?? "1";

interface MutantReport {
    readonly status: string;
    readonly mutatorName: string;
    readonly location: { readonly start: { readonly line: number } };
    readonly replacement?: string;
}

interface Score {
    readonly file: string;
    readonly counts: Readonly<Record<string, number>>;
    readonly survivors: readonly string[];
}

function slug(file: string): string {
    return file.replace(/\.ts$/, "").replace(/[/.]/g, "-");
}

function strykerConfig(target: MutationTarget, directory: string): Record<string, unknown> {
    return {
        $schema: "../../../node_modules/@stryker-mutator/core/schema/stryker-schema.json",
        packageManager: "npm",
        testRunner: "jest",
        plugins: ["@stryker-mutator/jest-runner"],
        coverageAnalysis: "perTest",
        mutate: [target.file],
        jest: {
            configFile: "jest.config.js",
            // The target's own tests instead of every test that imports the file: the stack tests
            // import everything and would re-plan whole stacks for each mutant.
            config: { testMatch: target.tests.map((glob) => `<rootDir>/${glob}`), setupFiles: ["<rootDir>/tools/mutation/jest-setup.ts"] },
            enableFindRelatedTests: false,
        },
        concurrency: Number(CONCURRENCY),
        incremental: true,
        incrementalFile: join(directory, "incremental.json"),
        reporters: ["progress-append-only", "clear-text", "json"],
        jsonReporter: { fileName: join(directory, "mutation.json") },
        clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: false },
        tempDirName: join("reports", "mutation", ".stryker-tmp"),
        cleanTempDir: "always",
        timeoutMS: 10000,
    };
}

/**
 * Drops the static survivors (mutants in module-level constants, which every test covers) from the
 * incremental file, so they are tested again. Stryker's incremental mode reuses a survivor when the
 * tests that cover it are unchanged, and records no covering tests for a static mutant, so a new
 * test that kills one would never be run against it.
 */
function forgetStaticSurvivors(incrementalFile: string): void {
    if (!existsSync(incrementalFile)) {
        return;
    }
    const report = JSON.parse(readFileSync(incrementalFile, "utf8")) as { files: Record<string, { mutants: (MutantReport & { static?: boolean })[] }> };
    for (const entry of Object.values(report.files)) {
        entry.mutants = entry.mutants.filter((mutant) => !(mutant.static === true && mutant.status !== "Killed"));
    }
    writeFileSync(incrementalFile, JSON.stringify(report));
}

function score(file: string, directory: string): Score {
    const report = JSON.parse(readFileSync(join(directory, "mutation.json"), "utf8")) as { files: Record<string, { mutants: MutantReport[] }> };
    const mutants = Object.values(report.files).flatMap((entry) => entry.mutants);
    const counts: Record<string, number> = {};
    for (const mutant of mutants) {
        counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
    }
    const survivors = mutants
        .filter((mutant) => mutant.status === "Survived" || mutant.status === "NoCoverage" || mutant.status === "Timeout")
        .map((mutant) => `  ${file}:${mutant.location.start.line} ${mutant.status} ${mutant.mutatorName}: ${(mutant.replacement ?? "").replace(/\s+/g, " ").slice(0, 100)}`);
    return { file, counts, survivors };
}

function percent(numerator: number, denominator: number): string {
    return denominator === 0 ? "n/a" : `${((100 * numerator) / denominator).toFixed(1)}%`;
}

function main(argv: string[]): number {
    const unknown = argv.filter((file) => !MUTATION_TARGETS.some((target) => target.file === file));
    if (unknown.length > 0) {
        process.stderr.write(`not a mutation target: ${unknown.join(", ")} (one of ${MUTATION_TARGETS.map((target) => target.file).join(", ")}; add it to tools/mutation/targets.ts)\n`);
        return 2;
    }
    const targets = argv.length === 0 ? MUTATION_TARGETS : MUTATION_TARGETS.filter((target) => argv.includes(target.file));
    const scores: Score[] = [];
    let failed = false;
    for (const target of targets) {
        const directory = join(REPORTS, slug(target.file));
        mkdirSync(directory, { recursive: true });
        const configFile = join(directory, "stryker.config.json");
        writeFileSync(configFile, `${JSON.stringify(strykerConfig(target, directory), null, 2)}\n`);
        forgetStaticSurvivors(join(directory, "incremental.json"));
        process.stdout.write(`\n== ${target.file} (tests: ${target.tests.join(" ")})\n`);
        const stryker = join(PROJECT_ROOT, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
        const run = spawnSync("nice", ["-n", "19", process.execPath, stryker, "run", configFile], { cwd: PROJECT_ROOT, stdio: "inherit" });
        if (run.status !== 0) {
            process.stderr.write(`stryker failed on ${target.file} (exit ${run.status ?? run.signal})\n`);
            failed = true;
            continue;
        }
        scores.push(score(target.file, directory));
    }
    process.stdout.write("\nfile | mutants | killed | survived | timeout | no coverage | errors | ignored | score killed/(killed+survived+timeout)\n");
    for (const { file, counts } of scores) {
        const killed = counts["Killed"] ?? 0;
        const survived = counts["Survived"] ?? 0;
        const timeout = counts["Timeout"] ?? 0;
        const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
        // Errors: the mutant made a test file fail to load (RuntimeError) or not compile (CompileError).
        const errors = (counts["RuntimeError"] ?? 0) + (counts["CompileError"] ?? 0);
        process.stdout.write(`${file} | ${total} | ${killed} | ${survived} | ${timeout} | ${counts["NoCoverage"] ?? 0} | ${errors} | ${counts["Ignored"] ?? 0} | ${percent(killed, killed + survived + timeout)}\n`);
    }
    const survivors = scores.flatMap((entry) => entry.survivors);
    if (survivors.length > 0) {
        process.stdout.write(`\nnot killed (${survivors.length}):\n${survivors.join("\n")}\n`);
    }
    return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
