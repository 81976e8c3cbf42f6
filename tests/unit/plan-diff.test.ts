// The plan diff a pull request shows: names exactly what changes and flags what would replace or
// delete a protected resource.
import { CONTAINER, plan, resource, VM } from "../helpers/plan-fixtures";
import { changedPaths, diffPlans, renderDiffMarkdown, touchesProtected } from "../../tools/plan/diff";
import { replacesOnChange } from "../../tools/plan/replace-table";

describe("changedPaths", () => {
    it("finds the deepest differing paths, list indices included", () => {
        expect(changedPaths({ a: 1, b: { c: [1, 2], d: "x" } }, { a: 1, b: { c: [1, 3], d: "x" } })).toEqual(["b.c[1]"]);
        expect(changedPaths({ list: [1] }, { list: [1, 2] })).toEqual(["list"]);
        expect(changedPaths({ a: 1 }, { a: 1, b: 2 })).toEqual(["b"]);
        expect(changedPaths({ same: [{ x: 1 }] }, { same: [{ x: 1 }] })).toEqual([]);
    });
});

describe("replacesOnChange", () => {
    it("knows the provider's replace-on-change inputs, at any list index", () => {
        expect(replacesOnChange(VM, "initialization.userDataFileId")).toBe(true);
        expect(replacesOnChange(VM, "disks[1].fileId")).toBe(true);
        expect(replacesOnChange(VM, "memory.dedicated")).toBe(false);
        expect(replacesOnChange(CONTAINER, "envs[3]")).toBe(true);
        expect(replacesOnChange(CONTAINER, "memory")).toBe(false);
        expect(replacesOnChange("command:remote:Command", "create")).toBe(false);
        expect(replacesOnChange("command:remote:Command", "triggers[0]")).toBe(true);
        expect(replacesOnChange("some:unknown:Type", "anything")).toBe(false);
    });
});

describe("diffPlans", () => {
    const vm = resource("vm", VM, { memory: { dedicated: 8192 }, initialization: { userDataFileId: "local:snippets/a.yaml" } }, { protect: true });
    const app = resource("app", CONTAINER, { image: "sha256:1", memory: 512 });

    it("an in-place change is an update with its keys", () => {
        const diff = diffPlans(plan(vm, app), plan({ ...vm, inputs: { ...vm.inputs, memory: { dedicated: 6144 } } }, app));
        expect(diff.changed).toEqual([expect.objectContaining({ name: "vm", keys: ["memory.dedicated"], replace: false, protectedViolation: false })]);
        expect(touchesProtected(diff)).toBe(false);
    });

    it("a replace-on-change input on a protected resource is marked PROTECTED", () => {
        const diff = diffPlans(plan(vm), plan({ ...vm, inputs: { ...vm.inputs, initialization: { userDataFileId: "local:snippets/b.yaml" } } }));
        expect(diff.changed).toEqual([expect.objectContaining({ keys: ["initialization.userDataFileId"], replaceKeys: ["initialization.userDataFileId"], replace: true, protectedViolation: true })]);
        expect(touchesProtected(diff)).toBe(true);
        expect(renderDiffMarkdown(diff)).toContain("| +- replace **PROTECTED** | `vm` |");
    });

    it("the same replacement on an unprotected resource is a plain replace", () => {
        const diff = diffPlans(plan(app), plan({ ...app, inputs: { ...app.inputs, image: "sha256:2" } }));
        expect(diff.changed).toEqual([expect.objectContaining({ replace: true, protectedViolation: false })]);
        expect(touchesProtected(diff)).toBe(false);
    });

    it("deleting a protected resource is flagged, adding one is not", () => {
        const removed = diffPlans(plan(vm, app), plan(app));
        expect(removed.removed.map((item) => item.name)).toEqual(["vm"]);
        expect(touchesProtected(removed)).toBe(true);
        const added = diffPlans(plan(app), plan(vm, app));
        expect(added.added.map((item) => item.name)).toEqual(["vm"]);
        expect(touchesProtected(added)).toBe(false);
    });

    it("a change under ignoreChanges is no change, as the engine would skip it", () => {
        const ignoring = { ...vm, ignoreChanges: ["initialization.userDataFileId"] };
        const diff = diffPlans(plan(ignoring), plan({ ...ignoring, inputs: { ...vm.inputs, initialization: { userDataFileId: "local:snippets/b.yaml" } } }));
        expect(diff.changed).toEqual([]);
    });

    it("reports changed options apart from inputs", () => {
        const diff = diffPlans(plan(vm), plan({ ...vm, protect: false }));
        expect(diff.changed).toEqual([expect.objectContaining({ keys: ["(option) protect"], replace: false })]);
    });

    it("renders no changes plainly", () => {
        expect(renderDiffMarkdown(diffPlans(plan(vm, app), plan(vm, app)))).toContain("No changes.");
    });
});
