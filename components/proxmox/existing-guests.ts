// The guests already on the Proxmox host, read before anything is created: a VMID the stack wants
// that a guest it did not create already holds (a hand-made VM at VMID 100, say) stops the preview
// with a message naming that guest and the two ways on, instead of a failed create halfway through
// `pulumi up`, or two machines answering at one address.
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";

/** A VMID the stack wants for one of its guests. */
export interface GuestClaim {
    /** The config key that sets the id, without the namespace (e.g. "vm.id"). */
    readonly key: string;
    /** What the stack puts there. */
    readonly kind: GuestKind;
    /** The VMID. */
    readonly vmId: number;
    /** Tags the stack gives this guest; a guest carrying all of them is one this program created. */
    readonly ownTags: readonly string[];
}

export type GuestKind = "VM" | "container";

/** A guest the host already has, as the provider's data sources list it. */
export interface ExistingGuest {
    readonly kind: GuestKind;
    readonly vmId: number;
    readonly name: string;
    readonly nodeName: string;
    readonly tags: readonly string[];
}

/** One guest id that is taken: `key` is the config key to change. */
export interface GuestProblem {
    readonly key: string;
    readonly message: string;
}

/** Where the README's section for owners with a hand-made VM lives. */
export const EXISTING_GUEST_DOC = "docs/existing-vm.md";

/**
 * Which claims collide with a guest this stack does not manage. VMIDs are unique across VMs and
 * containers, so a claim collides with a guest of either kind.
 *
 * "Managed by this stack" is decided by the guest's kind and tags, not by its name: the program tags
 * every guest it creates, a hand-made guest carries no such tags, and a later `up` (or a rename of
 * `vm.name`, which replaces the VM) finds the stack's own guest carrying them. The program cannot
 * read its own state, so this check cannot tell this stack's guest from one the other committed
 * stack created with the same tags; the committed stacks use distinct ids, so that needs a deliberate
 * edit, and Proxmox still refuses the create ("already exists").
 */
export function foreignGuestProblems(claims: readonly GuestClaim[], guests: readonly ExistingGuest[]): GuestProblem[] {
    return claims.flatMap((claim) => {
        const holder = guests.find((guest) => guest.vmId === claim.vmId);
        if (holder === undefined || (holder.kind === claim.kind && claim.ownTags.every((tag) => holder.tags.includes(tag)))) {
            return [];
        }
        const tags = holder.tags.length === 0 ? "no tags" : `tags ${holder.tags.join(", ")}`;
        return [{
            key: claim.key,
            message:
                `VMID ${claim.vmId} is already taken on node ${holder.nodeName} by the ${holder.kind} "${holder.name}" (${tags}), which this stack did not create ` +
                `(its ${claim.kind}s carry the tags ${claim.ownTags.join(", ")}). Either give the new ${claim.kind} another id and address ` +
                `and move the services over, then remove the old one; or back up and remove the old ${holder.kind} first (see ${EXISTING_GUEST_DOC})`,
        }];
    });
}

/** The message of the error a preview stops with: one line per taken id. */
export function foreignGuestMessage(problems: readonly GuestProblem[]): string {
    const count = problems.length === 1 ? "an id" : `${problems.length} ids`;
    return [`The Proxmox host already has a guest at ${count} this stack wants:`, ...problems.map((problem) => `  homelab:${problem.key}: ${problem.message}`)].join("\n");
}

/** One entry of the VM or container list, as the data source reports it. */
interface ListedGuest {
    readonly vmId: number;
    readonly name?: string;
    readonly nodeName: string;
    readonly tags?: readonly string[];
}

/**
 * The typings say `name` and `tags` are always there, but the provider sets `tags` only when the
 * guest has some (bpg/terraform-provider-proxmox proxmoxtf/datasource/vms.go and containers.go:
 * `if data.Tags != nil && *data.Tags != ""`), and a name only when Proxmox reports one.
 */
function listedGuest(kind: GuestKind, guest: ListedGuest): ExistingGuest {
    return { kind, vmId: guest.vmId, name: guest.name ?? "", nodeName: guest.nodeName, tags: guest.tags ?? [] };
}

/**
 * Lists the VMs and containers of the whole cluster through the provider (read-only: the API token's
 * VM.Audit) and rejects with a RunError, which `pulumi preview` prints without a stack trace, when a
 * claim collides with a guest this stack does not manage.
 */
export async function checkExistingGuests(provider: proxmoxve.Provider, claims: readonly GuestClaim[]): Promise<void> {
    if (claims.length === 0) {
        return;
    }
    // No nodeName: VMIDs are unique across the cluster, so every node's guests count.
    const [vms, containers] = await Promise.all([proxmoxve.getVmsLegacy({}, { provider }), proxmoxve.getContainersLegacy({}, { provider })]);
    const guests: ExistingGuest[] = [
        ...vms.vms.map((vm) => listedGuest("VM", vm)),
        ...containers.containers.map((container) => listedGuest("container", container)),
    ];
    const problems = foreignGuestProblems(claims, guests);
    if (problems.length > 0) {
        throw new pulumi.RunError(foreignGuestMessage(problems));
    }
}
