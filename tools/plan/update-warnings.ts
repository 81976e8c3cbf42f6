// Updates the provider accepts in a preview but fails to apply: the plan diff warns about them.
import { withoutIndices } from "./replace-table";

const VM_TYPE = "proxmoxve:index/vmLegacy:VmLegacy";

/**
 * VmLegacy inputs whose change sets rebootRequired in vmUpdate (bpg/terraform-provider-proxmox
 * v0.111.1 proxmoxtf/resource/vm/vm.go). cpu and memory are hot-pluggable only when `hotplug` lists
 * them, which PVE's default "network,disk,usb" does not; this program never sets `hotplug`.
 */
export const VM_REBOOT_KEYS: readonly string[] = [
    "acpi", "agent", "amdSev", "audioDevice", "bios", "bootOrders", "cpu", "efiDisk", "hostpcis", "initialization",
    "keyboardLayout", "kvmArguments", "machine", "memory", "numas", "operatingSystem", "rngs", "scsiHardware",
    "serialDevices", "tabletDevice", "tpmState", "usbs", "vga", "virtiofs", "watchdog",
];

function topLevel(path: string): string {
    return withoutIndices(path).split(/[.[]/)[0]!;
}

/**
 * Warnings for one changed resource, from its changed input paths and its new inputs.
 * A VM disk grown in the same update as a change that needs a reboot fails: vmUpdate finds the
 * VM running, may not power it off (`rebootAfterUpdate: false`) and returns "cannot resize disks
 * while the VM is running" (vm.go vmPowerOffForPendingChanges, rebootAfterUpdateDisabledError).
 * `rebootAfterUpdate` left unset is the provider's default, true (vm.go dvRebootAfterUpdate).
 */
export function updateWarnings(type: string, changedKeys: readonly string[], inputs: Readonly<Record<string, unknown>>): string[] {
    if (type !== VM_TYPE || inputs["rebootAfterUpdate"] !== false) {
        return [];
    }
    const resized = changedKeys.some((key) => withoutIndices(key) === "disks[].size");
    const needsReboot = changedKeys.filter((key) => VM_REBOOT_KEYS.includes(topLevel(key)));
    if (!resized || needsReboot.length === 0) {
        return [];
    }
    return [`a disk resize together with ${needsReboot.join(", ")} (which needs a reboot) fails on a running VM: apply the resize in an update of its own`];
}
