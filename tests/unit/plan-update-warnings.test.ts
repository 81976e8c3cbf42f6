// The plan diff's warnings about updates the provider accepts in a preview and fails to apply.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";
import { pathMatches } from "../../tools/plan/replace-table";
import { updateWarnings, VM_REBOOT_KEYS } from "../../tools/plan/update-warnings";

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

// bpg/terraform-provider-proxmox v0.111.1 proxmoxtf/resource/vm/vm.go vmUpdate: the attributes whose
// `d.HasChange(mk...)` block sets `rebootRequired = true`, under their Terraform names (the mk*
// constants). cpu and memory set it unless the change is hot-pluggable, which needs `hotplug` to list
// them (this program never sets `hotplug`). on_boot, description, tags, hotplug, protection, cdrom,
// network_device, smbios, startup, hook_script_file_id and pool_id are applied without a reboot.
const REBOOTING_ATTRIBUTES = [
    "acpi", "kvm_arguments", "bios", "keyboard_layout", "machine", "tablet_device", "agent", "amd_sev", "audio_device", "boot_order",
    "cpu", "efi_disk", "tpm_state", "rng", "initialization", "hostpci", "numa", "usb", "memory", "operating_system", "serial_device",
    "vga", "virtiofs", "scsi_hardware", "watchdog",
];
const LIVE_ATTRIBUTES = ["on_boot", "description", "tags", "hotplug", "protection", "cdrom", "network_device", "smbios", "startup", "hook_script_file_id", "pool_id"];

/** The VmLegacy SDK's inputs: its constructor sets `resourceInputs["<name>"] = args` for each. */
function vmLegacyInputs(): Set<string> {
    const source = readFileSync(join(PROJECT_ROOT, "node_modules", "@muhlba91", "pulumi-proxmoxve", "vmLegacy.js"), "utf8");
    return new Set([...source.matchAll(/resourceInputs\["(\w+)"\] = args/g)].map((match) => match[1]!));
}

/** The Pulumi name of a Terraform attribute: camelCased, and pluralized when the bridge made a list block plural (boot_order → bootOrders). */
function pulumiName(attribute: string, inputs: ReadonlySet<string>): string {
    const camel = attribute.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
    const candidates = [camel, `${camel}s`].filter((name) => inputs.has(name));
    expect({ attribute, candidates: candidates.length }).toEqual({ attribute, candidates: 1 });
    return candidates[0]!;
}

describe("VM_REBOOT_KEYS against vm.go's vmUpdate", () => {
    let inputs: Set<string>;
    let rebooting: string[];
    let live: string[];

    beforeAll(() => {
        inputs = vmLegacyInputs();
        rebooting = REBOOTING_ATTRIBUTES.map((attribute) => pulumiName(attribute, inputs));
        live = LIVE_ATTRIBUTES.map((attribute) => pulumiName(attribute, inputs));
    });

    it("lists exactly the inputs whose change sets rebootRequired, under their Pulumi names", () => {
        expect([...VM_REBOOT_KEYS].sort()).toEqual([...rebooting].sort());
    });

    it("warns about a resize next to each of them, alone or nested, and names it", () => {
        for (const key of rebooting) {
            for (const changed of [key, `${key}.x`, `${key}[0]`, `${key}[1].x`]) {
                expect({ changed, warnings: updateWarnings(VM, ["disks[0].size", changed], NO_REBOOT) }).toEqual({ changed, warnings: [expect.stringContaining(`together with ${changed} (which`)] });
            }
        }
    });

    it("is silent for a resize next to the inputs vmUpdate applies live", () => {
        for (const key of live) {
            expect({ key, warnings: updateWarnings(VM, ["disks[0].size", key, `${key}[0]`, `${key}.x`], NO_REBOOT) }).toEqual({ key, warnings: [] });
        }
    });
});

describe("updateWarnings, the exact conditions", () => {
    it("names every change that needs a reboot, comma-separated, in the order given", () => {
        expect(updateWarnings(VM, ["cpu.cores", "description", "disks[0].size", "memory.dedicated"], NO_REBOOT)).toEqual([
            "a disk resize together with cpu.cores, memory.dedicated (which needs a reboot) fails on a running VM: apply the resize in an update of its own",
        ]);
    });

    it("a resize is a change of a disk's size, not of another disk field nor of the whole list", () => {
        expect(updateWarnings(VM, ["disks[0].ssd", "cpu.cores"], NO_REBOOT)).toEqual([]);
        expect(updateWarnings(VM, ["disks", "cpu.cores"], NO_REBOOT)).toEqual([]);
        expect(updateWarnings(VM, ["disks[0]", "cpu.cores"], NO_REBOOT)).toEqual([]);
        expect(updateWarnings(VM, ["efiDisk.size", "cpu.cores"], NO_REBOOT)).toEqual([]);
    });

    it("is vm.go's rule only: the same changes on another resource type say nothing", () => {
        expect(updateWarnings("proxmoxve:index/vm:Vm", ["disks[0].size", "cpu.cores"], NO_REBOOT)).toEqual([]);
        expect(updateWarnings("proxmoxve:cloned/vmLegacy:VmLegacy", ["disks[0].size", "cpu.cores"], NO_REBOOT)).toEqual([]);
    });

    // vm.go: reboot_after_update defaults to true (dvRebootAfterUpdate), so only an explicit false blocks the power-off.
    it("warns only when rebootAfterUpdate is false: left unset, the provider's default lets it reboot", () => {
        expect(updateWarnings(VM, ["disks[0].size", "cpu.cores"], { rebootAfterUpdate: false })).toHaveLength(1);
        expect(updateWarnings(VM, ["disks[0].size", "cpu.cores"], {})).toEqual([]);
    });
});
