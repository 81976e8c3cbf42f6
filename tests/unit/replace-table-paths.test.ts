// How the replace table reads the paths the plan diff writes (tools/plan/diff.ts changedPaths:
// "a.b" for a field, "a[0]" for a list item, "" for the whole value) and the values at them.
import { pathMatches, replacesOnChange, valueAtPath } from "../../tools/plan/replace-table";

const CONTAINER = "proxmoxve:index/containerLegacy:ContainerLegacy";

describe("pathMatches", () => {
    it("a field covers itself, its fields and its items, at any index", () => {
        expect(pathMatches("mounts", "mounts")).toBe(true);
        expect(pathMatches("mounts", "mounts.target")).toBe(true);
        expect(pathMatches("mounts", "mounts[3]")).toBe(true);
        expect(pathMatches("disks[].fileId", "disks[12].fileId")).toBe(true);
        expect(pathMatches("disks[*].fileId", "disks[0].fileId")).toBe(true);
    });

    it("a field does not cover another that only starts like it, nor its parent", () => {
        expect(pathMatches("mounts", "mountsExtra")).toBe(false);
        expect(pathMatches("disks[].fileId", "disks[0]")).toBe(false);
        expect(pathMatches("disks[*].fileId", "disks[0].size")).toBe(false);
    });

    it("'a#' covers a itself only, neither its items nor its fields, nor another field ending in #", () => {
        expect(pathMatches("mountPoints#", "mountPoints")).toBe(true);
        expect(pathMatches("mountPoints#", "mountPoints[0]")).toBe(false);
        expect(pathMatches("mountPoints#", "mountPoints.volume")).toBe(false);
        expect(pathMatches("mountPoints#", "mountPoints#")).toBe(false);
        expect(pathMatches("mountPoints#", "mountPoint")).toBe(false);
    });
});

describe("replacesOnChange with values: onDecrease", () => {
    it("a smaller number replaces; the same, a larger or a missing one does not", () => {
        expect(replacesOnChange(CONTAINER, "disk.size", { before: 8, after: 7 })).toBe(true);
        expect(replacesOnChange(CONTAINER, "disk.size", { before: 8, after: 8 })).toBe(false);
        expect(replacesOnChange(CONTAINER, "disk.size", { before: 8, after: 9 })).toBe(false);
        expect(replacesOnChange(CONTAINER, "disk.size", { before: undefined, after: 8 })).toBe(false);
        expect(replacesOnChange(CONTAINER, "disk.size")).toBe(false);
    });

    it("compares numbers only: a value given as text is not read as a size", () => {
        expect(replacesOnChange(CONTAINER, "disk.size", { before: "16", after: 8 })).toBe(false);
        expect(replacesOnChange(CONTAINER, "disk.size", { before: 16, after: "8" })).toBe(false);
    });

    it("applies to the listed path only, not to its neighbours nor to a type without the rule", () => {
        expect(replacesOnChange(CONTAINER, "memory.dedicated", { before: 2048, after: 1024 })).toBe(false);
        expect(replacesOnChange("proxmoxve:index/vmLegacy:VmLegacy", "disk.size", { before: 8, after: 4 })).toBe(false);
        expect(replacesOnChange("proxmoxve:index/vmLegacy:VmLegacy", "disks[0].size", { before: 8, after: 4 })).toBe(false);
    });
});

describe("valueAtPath", () => {
    const inputs = { disk: { size: 8 }, disks: [{ size: 32 }, { size: 64 }], mountPoints: Array.from({ length: 12 }, (_, index) => ({ volume: `v${index}` })), blank: null, label: "text" };

    it("reads fields and list items at any depth, with indices of any length", () => {
        expect(valueAtPath(inputs, "disk.size")).toBe(8);
        expect(valueAtPath(inputs, "disks[1].size")).toBe(64);
        expect(valueAtPath(inputs, "disks[0]")).toEqual({ size: 32 });
        expect(valueAtPath(inputs, "mountPoints[11].volume")).toBe("v11");
    });

    it("the empty path is the whole value (changedPaths' path for a value that changed as a whole)", () => {
        expect(valueAtPath(inputs, "")).toBe(inputs);
        expect(valueAtPath(8, "")).toBe(8);
    });

    it("is undefined past a missing value, null, or a value that is not an object or list", () => {
        expect(valueAtPath(inputs, "missing.size")).toBeUndefined();
        expect(valueAtPath(inputs, "blank.size")).toBeUndefined();
        expect(valueAtPath(inputs, "label.length")).toBeUndefined();
        expect(valueAtPath(inputs, "disks[5].size")).toBeUndefined();
        expect(valueAtPath(undefined, "disk")).toBeUndefined();
    });
});
