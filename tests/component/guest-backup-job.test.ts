// The vzdump job of the guests on its own, under the plan's mocks: PVE's prune settings from the
// retention (a count of 0 is no rule, so it is left out), every input the job sends, where it sits
// and what it waits for, and the refusal of a job that would keep nothing. The prod plan's job is
// checked in tests/stack/backups.test.ts.
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as random from "@pulumi/random";
import { GuestBackupJob, pruneBackups } from "../../components/backups/guest-backup-job";
import type { GuestBackupJobArgs, Retention } from "../../components/backups/guest-backup-job";
import type { Plan } from "../../tools/plan/capture";
import { capturePlan } from "../../tools/plan/capture";
import { onlyResource } from "../helpers/plan";

/**
 * Plans one job of the guests 100 (an Output, as the VM's id is) and 110, to be created after a
 * stand-in for the guests (a resource the job's inputs do not reference), with `retention`; a refusal is caught (and returned) so the plan shows what was registered anyway.
 */
async function planJob(retention: Retention, extra: Partial<GuestBackupJobArgs> = {}): Promise<{ plan: Plan; refusal: unknown }> {
    let refusal: unknown;
    const plan = await capturePlan({
        project: "homelab",
        stack: "component",
        config: {},
        secretKeys: [],
        validate: () => undefined,
        program: () => {
            const provider = new proxmoxve.Provider("component-provider", { endpoint: "https://pve:8006" });
            const guest = new random.RandomString("guest", { length: 8, special: false });
            const guestsCreated = new random.RandomString("guests-created", { length: 8, special: false });
            try {
                new GuestBackupJob("backups", {
                    provider,
                    nodeName: "pve",
                    jobId: "homelab-component",
                    datastore: "backup",
                    schedule: "01:30",
                    guestIds: [guest.result.apply(() => 100), 110],
                    retention,
                    notes: "{{guestname}} ({{vmid}}) on {{node}}",
                    dependsOn: [guestsCreated],
                    ...extra,
                });
            } catch (error) {
                refusal = error;
            }
            return {};
        },
    });
    return { plan, refusal };
}

describe("pruneBackups", () => {
    it("sends each count as PVE's keep-* text", () => {
        expect(pruneBackups({ daily: 7, weekly: 4, monthly: 6 })).toEqual({ "keep-daily": "7", "keep-weekly": "4", "keep-monthly": "6" });
    });

    it.each([
        [{ daily: 1, weekly: 0, monthly: 0 }, { "keep-daily": "1" }],
        [{ daily: 0, weekly: 1, monthly: 0 }, { "keep-weekly": "1" }],
        [{ daily: 0, weekly: 0, monthly: 12 }, { "keep-monthly": "12" }],
        [{ daily: 0, weekly: 0, monthly: 0 }, {}],
    ])("leaves a count of 0 out: %j", (retention, expected) => {
        expect(pruneBackups(retention)).toEqual(expected);
    });
});

describe("GuestBackupJob", () => {
    let plan: Plan;
    beforeAll(async () => {
        const planned = await planJob({ daily: 7, weekly: 0, monthly: 6 });
        expect(planned.refusal).toBeUndefined();
        plan = planned.plan;
    });

    it("sends exactly the job: the guests as text ids, snapshot mode, zstd on half the cores, the retention, caught up when missed", () => {
        expect(onlyResource(plan, "proxmoxve:backup/job:Job").inputs).toEqual({
            resourceId: "homelab-component",
            node: "pve",
            storage: "backup",
            schedule: "01:30",
            vmids: ["100", "110"],
            enabled: true,
            mode: "snapshot",
            compress: "zstd",
            zstd: 0,
            pruneBackups: { "keep-daily": "7", "keep-monthly": "6" },
            notesTemplate: "{{guestname}} ({{vmid}}) on {{node}}",
            repeatMissed: true,
            mailnotification: "failure",
        });
    });

    it("is the component's child, through the given provider, created once the guests exist", () => {
        const job = onlyResource(plan, "proxmoxve:backup/job:Job");
        expect(job.name).toBe("backups-job");
        expect(job.parent).toBe(onlyResource(plan, "homelab:backups:GuestBackupJob").urn);
        expect(job.provider).toBe(onlyResource(plan, "pulumi:providers:proxmoxve").urn);
        expect(job.dependencies).toContain(plan.resources.find((resource) => resource.name === "guests-created")!.urn);
    });

    it("waits for nothing when given nothing to wait for", async () => {
        const alone = await planJob({ daily: 1, weekly: 0, monthly: 0 }, { dependsOn: undefined, guestIds: [110] });
        expect(onlyResource(alone.plan, "proxmoxve:backup/job:Job").dependencies).toEqual([]);
    });

    it("refuses a retention that keeps nothing, before the job exists: PVE would prune every dump", async () => {
        const empty = await planJob({ daily: 0, weekly: 0, monthly: 0 });
        expect(empty.refusal).toEqual(new Error("a backup job that keeps nothing would delete every dump (keep at least one daily, weekly or monthly)"));
        expect(empty.plan.resources.filter((resource) => resource.type === "proxmoxve:backup/job:Job")).toEqual([]);
    });
});
