// The plan diff's finer points, each one a mutant of tools/plan/diff.ts that plan-diff.test.ts let
// through: which side's protection counts, which options and ignored paths count, and the exact
// Markdown a pull request shows.
import type { PlannedResource } from "../../tools/plan/capture";
import { CONTAINER, plan, resource, VM } from "../helpers/plan-fixtures";
import { changedPaths, diffPlans, renderDiffMarkdown, touchesProtected } from "../../tools/plan/diff";

describe("changedPaths", () => {
    it("names a top-level key without a leading dot and nested keys with dots", () => {
        expect(changedPaths({ a: 1 }, { a: 2 })).toEqual(["a"]);
        expect(changedPaths({ a: { b: { c: 1 } } }, { a: { b: { c: 2 } } })).toEqual(["a.b.c"]);
        expect(changedPaths({ list: [{ x: 1 }] }, { list: [{ x: 2 }] })).toEqual(["list[0].x"]);
    });

    it("lists removed and added keys, sorted", () => {
        expect(changedPaths({ z: 1, a: 1, m: 1 }, { m: 2, b: 1 })).toEqual(["a", "b", "m", "z"]);
    });

    it("stops where the two sides stop being the same kind of thing", () => {
        expect(changedPaths({ a: [1] }, { a: { 0: 1 } })).toEqual(["a"]);
        expect(changedPaths({ a: { 0: 1 } }, { a: [1] })).toEqual(["a"]);
        expect(changedPaths({ a: null }, { a: {} })).toEqual(["a"]);
        expect(changedPaths({ a: [1, 2] }, { a: [1] })).toEqual(["a"]);
        // A text has a length too, but is no list to compare item by item.
        expect(changedPaths({ a: ["x"] }, { a: "y" })).toEqual(["a"]);
        expect(changedPaths({ a: "y" }, { a: ["x"] })).toEqual(["a"]);
        expect(changedPaths(1, 2)).toEqual([""]);
        expect(changedPaths("x", "x")).toEqual([]);
    });
});

describe("protection on either side counts", () => {
    const replacingImage = (before: Partial<PlannedResource>, after: Partial<PlannedResource>) => {
        const app = resource("app", CONTAINER, { image: "sha256:1" });
        return diffPlans(plan({ ...app, ...before }), plan({ ...app, ...after, inputs: { image: "sha256:2" } }));
    };

    it("protected before, unprotected in the same change: still PROTECTED (the engine checks the state's flag)", () => {
        const diff = replacingImage({ protect: true }, { protect: false });
        expect(diff.changed[0]).toMatchObject({ replace: true, protectedViolation: true, keys: ["image", "(option) protect"] });
        expect(touchesProtected(diff)).toBe(true);
    });

    it("unprotected before, protected after: PROTECTED", () => {
        const diff = replacingImage({ protect: false }, { protect: true });
        expect(diff.changed[0]).toMatchObject({ replace: true, protectedViolation: true });
        expect(touchesProtected(diff)).toBe(true);
    });

    it("a protected resource updated in place is no violation", () => {
        const app = resource("app", CONTAINER, { memory: 512 }, { protect: true });
        const diff = diffPlans(plan(app), plan({ ...app, inputs: { memory: 1024 } }));
        expect(diff.changed[0]).toMatchObject({ replace: false, protectedViolation: false, replaceKeys: [] });
        expect(touchesProtected(diff)).toBe(false);
    });

    it("an unprotected deletion is not flagged", () => {
        const diff = diffPlans(plan(resource("app", CONTAINER, {})), plan());
        expect(diff.removed).toHaveLength(1);
        expect(touchesProtected(diff)).toBe(false);
    });
});

describe("options and ignored paths", () => {
    const vm = resource("vm", VM, { vmId: 100, initialization: { userDataFileId: "a" }, disks: [{ fileId: "x" }] });

    it.each([["retainOnDelete"], ["deleteBeforeReplace"], ["protect"]] as const)("a change of %s is an option change", (option) => {
        const diff = diffPlans(plan(vm), plan({ ...vm, [option]: true }));
        expect(diff.changed).toEqual([expect.objectContaining({ keys: [`(option) ${option}`], replaceKeys: [], replace: false })]);
    });

    it("a change of ignoreChanges is an option change", () => {
        const diff = diffPlans(plan(vm), plan({ ...vm, ignoreChanges: ["disks"] }));
        expect(diff.changed).toEqual([expect.objectContaining({ keys: ["(option) ignoreChanges"], replace: false })]);
    });

    it("ignoring a key ignores its children and list items, not keys that merely start alike", () => {
        const ignoring = { ...vm, ignoreChanges: ["initialization", "disks", "vm"] };
        const diff = diffPlans(plan(ignoring), plan({ ...ignoring, inputs: { vmId: 101, initialization: { userDataFileId: "b" }, disks: [{ fileId: "y" }] } }));
        expect(diff.changed).toEqual([expect.objectContaining({ keys: ["vmId"], replaceKeys: ["vmId"], replace: true })]);
    });

    it("the after side's ignoreChanges decides, as the engine diffs against the new program", () => {
        const diff = diffPlans(plan(vm), plan({ ...vm, ignoreChanges: ["vmId"], inputs: { ...vm.inputs, vmId: 101 } }));
        expect(diff.changed[0]!.keys).toEqual(["(option) ignoreChanges"]);
    });

    it("a component resource (not custom) is never replaced by the provider table", () => {
        const component = resource("app", CONTAINER, { image: "1" }, { custom: false });
        const diff = diffPlans(plan(component), plan({ ...component, inputs: { image: "2" } }));
        expect(diff.changed).toEqual([expect.objectContaining({ keys: ["image"], replaceKeys: [], replace: false })]);
    });

    it("the diff carries the after plan's stack and lists only resources present on both sides as changed", () => {
        const app = resource("app", CONTAINER, { image: "1" });
        const diff = diffPlans({ ...plan(vm), stack: "old" }, { ...plan(app), stack: "dev" });
        expect(diff.stack).toBe("dev");
        expect(diff.changed).toEqual([]);
        expect(diff.added.map((item) => item.name)).toEqual(["app"]);
        expect(diff.removed.map((item) => item.name)).toEqual(["vm"]);
    });
});

describe("replaces the program asks for, and the provider's replace on a decrease", () => {
    const app = resource("app", CONTAINER, { memory: 1, healthcheck: { interval: "30s" } }, { replaceOnChanges: ["healthcheck"] });

    it("a change inside a replaceOnChanges path replaces; a change elsewhere does not", () => {
        const healthcheck = diffPlans(plan(app), plan({ ...app, inputs: { memory: 1, healthcheck: { interval: "1m0s" } } }));
        expect(healthcheck.changed).toEqual([expect.objectContaining({ keys: ["healthcheck.interval"], replaceKeys: ["healthcheck.interval"], replace: true })]);
        const memory = diffPlans(plan(app), plan({ ...app, inputs: { memory: 2, healthcheck: { interval: "30s" } } }));
        expect(memory.changed).toEqual([expect.objectContaining({ keys: ["memory"], replaceKeys: [], replace: false })]);
    });

    it("replaceOnChanges \"*\" replaces on any input change", () => {
        const everything = { ...app, replaceOnChanges: ["*"] };
        const diff = diffPlans(plan(everything), plan({ ...everything, inputs: { ...app.inputs, memory: 2 } }));
        expect(diff.changed).toEqual([expect.objectContaining({ replaceKeys: ["memory"], replace: true })]);
    });

    it("a container disk that shrinks replaces it; one that grows does not (the diff passes both values)", () => {
        const lxc = resource("lxc", "proxmoxve:index/containerLegacy:ContainerLegacy", { disk: { size: 8 } });
        const shrunk = diffPlans(plan(lxc), plan({ ...lxc, inputs: { disk: { size: 4 } } }));
        expect(shrunk.changed).toEqual([expect.objectContaining({ replaceKeys: ["disk.size"], replace: true })]);
        const grown = diffPlans(plan(lxc), plan({ ...lxc, inputs: { disk: { size: 16 } } }));
        expect(grown.changed).toEqual([expect.objectContaining({ replaceKeys: [], replace: false })]);
    });
});

describe("renderDiffMarkdown", () => {
    it("warns, per resource, about an update the provider would fail to apply", () => {
        // The program sets rebootAfterUpdate: false (components/proxmox/ubuntu-vm.ts); the provider's default, true, would reboot.
        const vm = resource("vm", VM, { rebootAfterUpdate: false, memory: { dedicated: 4096 }, disks: [{ size: 32 }] });
        const diff = diffPlans(plan(vm), plan({ ...vm, inputs: { rebootAfterUpdate: false, memory: { dedicated: 8192 }, disks: [{ size: 64 }] } }));
        const lines = renderDiffMarkdown(diff).split("\n");
        const warning = lines.indexOf("> [!WARNING]");
        expect(lines[warning - 1]).toBe("");
        expect(lines[warning + 1]).toBe(`> \`vm\`: ${diff.changed[0]!.warnings[0]!}.`);
        expect(diff.changed[0]!.warnings).toHaveLength(1);
        expect(renderDiffMarkdown(diffPlans(plan(vm), plan({ ...vm, inputs: { ...vm.inputs, disks: [{ size: 64 }] } })))).not.toContain("WARNING");
    });

    it("renders every kind of row, the counts and the caution, line by line", () => {
        const kept = resource("kept", VM, { memory: 1 }, { protect: true });
        const swapped = resource("swapped", CONTAINER, { image: "1", memory: 1 });
        const gone = resource("gone", CONTAINER, {});
        const vault = resource("vault", VM, {}, { protect: true });
        const diff = diffPlans(
            plan(kept, swapped, gone, vault),
            plan({ ...kept, inputs: { memory: 2 } }, { ...swapped, inputs: { image: "2", memory: 2 } }, resource("new`one", CONTAINER, {})),
        );
        expect(renderDiffMarkdown(diff).split("\n")).toEqual([
            "### Offline plan diff: `prod`",
            "",
            // kept updates in place; swapped is replaced (image); gone and vault are deleted.
            "**1 to add, 1 to update, 1 to replace, 2 to delete.**",
            "",
            "> [!CAUTION]",
            "> **PROTECTED** resources would be replaced or deleted; `pulumi up` will refuse until protection is lifted on purpose.",
            "",
            "| | resource | type | changed keys |",
            "|---|---|---|---|",
            // A backtick in a name would end the code span: it is shown as a quote.
            "| + add | `new'one` | `docker:index/container:Container` | |",
            "| ~ update | `kept` | `proxmoxve:index/vmLegacy:VmLegacy` | `memory` |",
            "| +- replace | `swapped` | `docker:index/container:Container` | `image` (replaces), `memory` |",
            "| - delete | `gone` | `docker:index/container:Container` | |",
            "| - delete **PROTECTED** | `vault` | `proxmoxve:index/vmLegacy:VmLegacy` | |",
            "",
            "_Computed offline from the program under mocks: values known only after apply (ids, digests) and secret values are not compared._",
            "",
        ]);
    });

    it("counts every kind of change: an addition and a deletion, or a deletion and an update, are not \"no changes\"", () => {
        const app = resource("app", CONTAINER, { memory: 1 });
        const other = resource("other", CONTAINER, {});
        expect(renderDiffMarkdown(diffPlans(plan(app), plan(other)))).toContain("**1 to add, 0 to update, 0 to replace, 1 to delete.**");
        expect(renderDiffMarkdown(diffPlans(plan(app, other), plan({ ...app, inputs: { memory: 2 } })))).toContain("**0 to add, 1 to update, 0 to replace, 1 to delete.**");
    });

    it("without protected resources there is no caution, and no changes is said in two lines", () => {
        const app = resource("app", CONTAINER, { image: "1" });
        const markdown = renderDiffMarkdown(diffPlans(plan(app), plan({ ...app, inputs: { image: "2" } })));
        expect(markdown).not.toContain("CAUTION");
        expect(markdown).toContain("**0 to add, 0 to update, 1 to replace, 0 to delete.**");
        expect(renderDiffMarkdown(diffPlans(plan(app), plan(app)))).toBe("### Offline plan diff: `prod`\n\nNo changes.\n");
    });
});
