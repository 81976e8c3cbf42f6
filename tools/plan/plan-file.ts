// Reading a saved plan (`npm run plan -- --json --out FILE`) and naming a git revision, both checked
// before any SDK loads, so that a wrong --before or --diff answers at once, in one line.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { Plan } from "./capture";
import { PROJECT_ROOT } from "../paths";

/** A problem with the command line: `npm run plan` prints its message as one line and exits 2. */
export class PlanInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanInputError";
    }
}

/** How a plan file is made so that it holds only the JSON document. */
const SAVE_HINT = "save one with `npm run plan -- --stack <name> --json --out <file>`";

function isPlan(value: unknown): value is Plan {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const document = value as Record<string, unknown>;
    return typeof document["project"] === "string" && typeof document["stack"] === "string" && Array.isArray(document["resources"]) &&
        document["outputs"] !== null && typeof document["outputs"] === "object";
}

/** The first line of `text`, shortened, to show the owner what the file starts with. */
function firstLine(text: string): string {
    const line = text.trimStart().split("\n", 1)[0] ?? "";
    return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}

/** Parses a saved plan, or throws a PlanInputError that says what the file is instead. */
export function parsePlanDocument(text: string, path: string): Plan {
    let value: unknown;
    try {
        value = JSON.parse(text) as unknown;
    } catch {
        const banner = text.trimStart().startsWith(">") ? " (npm's banner: use --out, or npm run -s)" : "";
        return fail(`--before ${path}: not a plan JSON document, it starts with ${JSON.stringify(firstLine(text))}${banner}; ${SAVE_HINT}`);
    }
    if (!isPlan(value)) {
        return fail(`--before ${path}: JSON, but not a plan (a plan has project, stack, resources and outputs); ${SAVE_HINT}`);
    }
    return value;
}

/** Reads a saved plan file, or throws a PlanInputError naming what is wrong with it. */
export function readPlanFile(path: string): Plan {
    if (!existsSync(path)) {
        return fail(`--before ${path}: no such file; ${SAVE_HINT}`);
    }
    return parsePlanDocument(readFileSync(path, "utf8"), path);
}

/** Throws unless `ref` names a commit in this repository. */
export function checkRevision(ref: string): void {
    const result = spawnSync("git", ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd: PROJECT_ROOT, encoding: "utf8" });
    if (result.status !== 0) {
        fail(`--diff ${ref}: not a git revision of this repository (a branch, tag or commit such as main or origin/main; fetch a remote branch first)`);
    }
}

/** Throws unless `path` can be written as a file: its folder exists and it is not a folder itself. */
export function checkOutputFile(path: string): void {
    const folder = dirname(path);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
        fail(`--out ${path}: the folder ${folder} does not exist`);
    }
    if (existsSync(path) && statSync(path).isDirectory()) {
        fail(`--out ${path}: is a folder, not a file`);
    }
}

function fail(message: string): never {
    throw new PlanInputError(message);
}
