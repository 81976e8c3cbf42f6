// The VMIDs this stack wants on the Proxmox host, for the check that no guest it did not create
// already holds one (components/proxmox/existing-guests.ts).
import type { GuestClaim } from "../components/proxmox/existing-guests";
import { VM_TAGS } from "../components/proxmox/ubuntu-vm";
import type { StackConfig } from "./config";

/** The tags WireGuardServer gives its container (tests/stack/existing-guests.test.ts keeps them equal). */
export const WIREGUARD_CONTAINER_TAGS = ["homelab", "wireguard"] as const;

/** The VM's id, and the WireGuard container's when it is enabled. */
export function guestClaims(config: StackConfig): GuestClaim[] {
    return [
        { key: "vm.id", kind: "VM", vmId: config.vm.id, ownTags: VM_TAGS },
        ...(config.wireguard.enabled ? [{ key: "wireguard.containerId", kind: "container" as const, vmId: config.wireguard.containerId, ownTags: WIREGUARD_CONTAINER_TAGS }] : []),
    ];
}
