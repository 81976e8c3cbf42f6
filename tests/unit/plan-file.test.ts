// What `npm run plan -- --before FILE` and `--diff REF` accept, checked before any SDK loads.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkOutputFile, checkRevision, parsePlanDocument, PlanInputError, readPlanFile } from "../../tools/plan/plan-file";

const scratch = mkdtempSync(join(tmpdir(), "plan-file-"));
const plan = { project: "homelab", stack: "prod", resources: [], outputs: {} };

/** The message of the PlanInputError `run` throws. */
function messageOf(run: () => unknown): string {
    try {
        run();
    } catch (error) {
        expect(error).toBeInstanceOf(PlanInputError);
        return (error as Error).message;
    }
    throw new Error("expected a PlanInputError");
}

describe("a saved plan file", () => {
    it("is read back when it holds a plan document", () => {
        const path = join(scratch, "good.json");
        writeFileSync(path, `${JSON.stringify(plan, null, 2)}\n`);
        expect(readPlanFile(path)).toEqual(plan);
    });

    it("that is missing is named, with how to save one", () => {
        expect(messageOf(() => readPlanFile(join(scratch, "missing.json")))).toBe(
            `--before ${join(scratch, "missing.json")}: no such file; save one with \`npm run plan -- --stack <name> --json --out <file>\``,
        );
    });

    it("that starts with npm's banner says so (what `npm run plan -- --json > file` writes)", () => {
        const message = messageOf(() => parsePlanDocument(`\n> homelab@0.1.0 plan\n> tsx tools/plan.ts --stack prod --json\n\n${JSON.stringify(plan)}`, "before.json"));
        expect(message).toBe('--before before.json: not a plan JSON document, it starts with "> homelab@0.1.0 plan" (npm\'s banner: use --out, or npm run -s); save one with `npm run plan -- --stack <name> --json --out <file>`');
    });

    it("that is other JSON, or text, is refused in one line", () => {
        for (const text of ['{"resources": []}', "[]", "null", '{"project":"homelab","stack":"prod","resources":{},"outputs":{}}']) {
            expect(messageOf(() => parsePlanDocument(text, "other.json"))).toMatch(/^--before other\.json: JSON, but not a plan \(a plan has project, stack, resources and outputs\); save one/);
        }
        const message = messageOf(() => parsePlanDocument("### Offline plan diff: `prod`\n\nNo changes.\n", "diff.md"));
        expect(message).toMatch(/^--before diff\.md: not a plan JSON document, it starts with "### Offline plan diff: `prod`"; save one/);
        expect(message).not.toContain("\n");
    });
});

describe("a --diff revision", () => {
    it("is accepted when git knows it", () => {
        expect(() => checkRevision("HEAD")).not.toThrow();
    });

    it("is refused in one line when git does not, also when it looks like an option", () => {
        expect(messageOf(() => checkRevision("no-such-ref-anywhere"))).toBe(
            "--diff no-such-ref-anywhere: not a git revision of this repository (a branch, tag or commit such as main or origin/main; fetch a remote branch first)",
        );
        expect(messageOf(() => checkRevision("--all"))).toMatch(/^--diff --all: not a git revision/);
    });
});

describe("an --out file", () => {
    it("must be in a folder that exists, and not be a folder", () => {
        expect(() => checkOutputFile(join(scratch, "plan.json"))).not.toThrow();
        expect(messageOf(() => checkOutputFile(join(scratch, "nowhere", "plan.json")))).toBe(`--out ${join(scratch, "nowhere", "plan.json")}: the folder ${join(scratch, "nowhere")} does not exist`);
        expect(messageOf(() => checkOutputFile(scratch))).toBe(`--out ${scratch}: is a folder, not a file`);
    });
});
