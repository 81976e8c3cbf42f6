// The VM that already exists: before creating anything, the program lists the host's guests through
// the provider's data sources and stops when an id it wants belongs to a guest it did not create.
// Under the mock runtime the data sources' answers are given here, in the shape the provider
// returns them (bpg proxmoxtf/datasource/vms.go and containers.go: one entry per guest with
// name, node_name, status, tags, template, vm_id; `tags` only when the guest has some).
import * as pulumi from "@pulumi/pulumi";
import { foreignGuestMessage, foreignGuestProblems } from "../../components/proxmox/existing-guests";
import type { ExistingGuest, GuestClaim } from "../../components/proxmox/existing-guests";
import { VM_TAGS } from "../../components/proxmox/ubuntu-vm";
import { guestClaims, WIREGUARD_CONTAINER_TAGS } from "../../stacks/guest-claims";
import { loadStackConfig } from "../../stacks/config";
import { program } from "../../stacks/program";
import { PROJECT } from "../../tools/paths";
import { capturePlan, mocksAnswering } from "../../tools/plan/capture";
import type { InvokeAnswer, Plan } from "../../tools/plan/capture";
import { parseStackFile } from "../../tools/plan/stack-file";
import { committedConfig, parseValues } from "../helpers/config";
import { readDocument } from "../helpers/markdown";
import { onlyResource } from "../helpers/plan";
import { committedStackText } from "../helpers/stack-text";

const VMS = "proxmoxve:index/getVmsLegacy:getVmsLegacy";
const CONTAINERS = "proxmoxve:index/getContainersLegacy:getContainersLegacy";

/**
 * Runs prod's program as `pulumi preview` would, against a host whose guests the answers list, and
 * returns what it rejects with. Called directly, not inside the plan's runInPulumiStack: there the
 * rejection also reaches the stack resource's outputs, which only the real runtime's
 * uncaughtHandler reports (once).
 */
async function programRejection(invokes: Record<string, InvokeAnswer>): Promise<unknown> {
    const { config, secretKeys } = parseStackFile(committedStackText("prod"), PROJECT);
    pulumi.runtime.setAllConfig(config, secretKeys);
    await pulumi.runtime.setMocks(mocksAnswering(invokes), PROJECT, "prod", false);
    return program({ allowPlaceholders: true }).then(() => undefined, (rejection: unknown) => rejection);
}

/** Plans prod as `pulumi preview` would run it, against a host whose guests the answers list. */
function planProdAgainst(invokes: Record<string, InvokeAnswer>): Promise<Plan> {
    const { config, secretKeys } = parseStackFile(committedStackText("prod"), PROJECT);
    const options = { allowPlaceholders: true };
    return capturePlan({ project: PROJECT, stack: "prod", config, secretKeys, validate: () => void loadStackConfig(options), program: () => program(options), invokes });
}

const prod = parseValues(committedConfig("prod"));
const claims = guestClaims(prod);
const handMadeVm: ExistingGuest = { kind: "VM", vmId: prod.vm.id, name: "Ubuntu", nodeName: "pve", tags: [] };

describe("which guests block the stack", () => {
    it("a hand-made VM at the stack's VMID, named for the key to change and the two ways on", () => {
        expect(foreignGuestProblems(claims, [handMadeVm])).toEqual([{
            key: "vm.id",
            message: 'VMID 100 is already taken on node pve by the VM "Ubuntu" (no tags), which this stack did not create (its VMs carry the tags docker, homelab, pulumi). ' +
                "Either give the new VM another id and address and move the services over, then remove the old one; or back up and remove the old VM first (see docs/existing-vm.md)",
        }]);
    });

    it("is the message docs/existing-vm.md shows the owner", () => {
        expect(readDocument("docs/existing-vm.md")).toContain(`\n${foreignGuestMessage(foreignGuestProblems(claims, [handMadeVm]))}\n`);
    });

    it("a guest of the other kind at the id, or one missing a tag, blocks too; the stack's own guests and other ids do not", () => {
        const container: ExistingGuest = { kind: "container", vmId: prod.vm.id, name: "pihole", nodeName: "pve", tags: ["homelab", "wireguard"] };
        expect(foreignGuestProblems(claims, [container]).map((problem) => problem.key)).toEqual(["vm.id"]);
        const almostOurs: ExistingGuest = { ...handMadeVm, name: prod.vm.name, tags: ["docker", "homelab"] };
        expect(foreignGuestProblems(claims, [almostOurs]).map((problem) => problem.key)).toEqual(["vm.id"]);
        const ours: ExistingGuest[] = [
            { kind: "VM", vmId: prod.vm.id, name: "renamed-since", nodeName: "pve", tags: [...VM_TAGS, "owner-added"] },
            { kind: "container", vmId: prod.wireguard.containerId, name: prod.wireguard.hostname, nodeName: "pve", tags: [...WIREGUARD_CONTAINER_TAGS] },
            { kind: "VM", vmId: 101, name: "something-else", nodeName: "pve", tags: [] },
        ];
        expect(foreignGuestProblems(claims, ours)).toEqual([]);
    });

    it("claims the container's id only while WireGuard is enabled", () => {
        expect(claims.map((claim) => claim.key)).toEqual(["vm.id", "wireguard.containerId"]);
        const withoutWireguard = { ...prod, wireguard: { ...prod.wireguard, enabled: false } };
        expect(guestClaims(withoutWireguard).map((claim: GuestClaim) => claim.key)).toEqual(["vm.id"]);
    });
});

describe("a preview of prod against the host", () => {
    it("stops with a RunError naming the hand-made VM at VMID 100 and the container at 110", async () => {
        const answers = {
            [VMS]: () => ({ id: "vms", vms: [{ name: "Ubuntu", nodeName: "pve", status: "running", template: false, vmId: 100 }] }),
            [CONTAINERS]: () => ({ id: "containers", containers: [{ name: "pihole", nodeName: "pve", status: "running", tags: ["dns"], template: false, vmId: 110 }] }),
        };
        const error = await programRejection(answers);
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        expect((error as Error).message).toBe(foreignGuestMessage([
            ...foreignGuestProblems(claims, [handMadeVm]),
            ...foreignGuestProblems(claims, [{ kind: "container", vmId: 110, name: "pihole", nodeName: "pve", tags: ["dns"] }]),
        ]));
        expect((error as Error).message).toMatch(/^The Proxmox host already has a guest at 2 ids this stack wants:\n {2}homelab:vm\.id: VMID 100 is already taken on node pve by the VM "Ubuntu" \(no tags\)/);
        expect((error as Error).message).toContain('\n  homelab:wireguard.containerId: VMID 110 is already taken on node pve by the container "pihole" (tags dns)');
    });

    describe("on a later up, when the guests are the stack's own", () => {
        const requests: Record<string, unknown>[] = [];
        let plan: Plan;
        beforeAll(async () => {
            plan = await planProdAgainst({
                [VMS]: (inputs) => {
                    requests.push(inputs);
                    return { id: "vms", vms: [{ name: prod.vm.name, nodeName: "pve", status: "running", tags: [...VM_TAGS], template: false, vmId: prod.vm.id }] };
                },
                [CONTAINERS]: (inputs) => {
                    requests.push(inputs);
                    return { id: "containers", containers: [{ name: prod.wireguard.hostname, nodeName: "pve", status: "running", tags: [...WIREGUARD_CONTAINER_TAGS], template: false, vmId: prod.wireguard.containerId }] };
                },
            });
        });

        it("plans, having asked the whole cluster (no node filter) once per kind", () => {
            expect(plan.resources.length).toBeGreaterThan(20);
            expect(requests).toEqual([{}, {}]);
        });

        it("recognises them by the very tags the program gives them", () => {
            expect(onlyResource(plan, "proxmoxve:index/vmLegacy:VmLegacy").inputs["tags"]).toEqual([...VM_TAGS]);
            expect(onlyResource(plan, "proxmoxve:index/containerLegacy:ContainerLegacy").inputs["tags"]).toEqual([...WIREGUARD_CONTAINER_TAGS]);
        });
    });
});
