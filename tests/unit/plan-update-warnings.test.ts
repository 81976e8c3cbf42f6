// The plan diff's warnings about updates the provider accepts in a preview and fails to apply.
import { pathMatches } from "../../tools/plan/replace-table";
import { updateWarnings } from "../../tools/plan/update-warnings";

const VM = "proxmoxve:index/vmLegacy:VmLegacy";
const NO_REBOOT = { rebootAfterUpdate: false };

describe("updateWarnings", () => {
    it("warns about a VM disk resize next to a change that needs a reboot, naming that change", () => {
        expect(updateWarnings(VM, ["disks[0].size", "cpu.cores"], NO_REBOOT)).toEqual([expect.stringMatching(/^a disk resize together with cpu\.cores \(which needs a reboot\) fails on a running VM/)]);
        expect(updateWarnings(VM, ["usbs[0].mapping", "disks[1].size"], NO_REBOOT)).toHaveLength(1);
    });

    it("is silent for a resize alone, or next to changes applied live (description, tags, startup)", () => {
        expect(updateWarnings(VM, ["disks[0].size"], NO_REBOOT)).toEqual([]);
        expect(updateWarnings(VM, ["disks[0].size", "description", "tags[0]", "startup.order"], NO_REBOOT)).toEqual([]);
        expect(updateWarnings(VM, ["memory.dedicated"], NO_REBOOT)).toEqual([]);
    });

    it("is silent when the provider may reboot the VM itself, and for other resource types", () => {
        expect(updateWarnings(VM, ["disks[0].size", "memory.dedicated"], { rebootAfterUpdate: true })).toEqual([]);
        expect(updateWarnings("proxmoxve:index/containerLegacy:ContainerLegacy", ["disk.size", "memory.dedicated"], NO_REBOOT)).toEqual([]);
    });
});

describe("pathMatches", () => {
    it("reads Pulumi's [*] wildcard and the table's whole-value #", () => {
        expect(pathMatches("disks[*].size", "disks[2].size")).toBe(true);
        expect(pathMatches("disks[*].size", "disks[2].ssd")).toBe(false);
        expect(pathMatches("mountPoints#", "mountPoints")).toBe(true);
        expect(pathMatches("mountPoints#", "mountPoints[0].backup")).toBe(false);
    });
});
