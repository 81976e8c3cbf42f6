// The backups in the prod plan (the vzdump job, restic on the VM, the pre-upgrade backups the
// containers wait for) and the offline diff's UNSAFE UPGRADE on saved plans.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { renderPlanJson } from "../../tools/plan/render";
import { diffExitCode, renderUnsafeUpgrades, unsafeUpgrades } from "../../tools/plan/upgrade-check";
import { onlyResource, planStack, planStackText, resourceByName, resourcesOfType } from "../helpers/plan";
import { committedStackText, editedStackText } from "../helpers/stack-text";

// Another version moves with its own digest (config-rules-apps.ts); in a plan it only has to differ.
const withNextcloud = (version: string) => editedStackText("prod", (config) => {
    const nextcloud = (config["homelab:apps"] as Record<string, Record<string, unknown>>)["nextcloud"]!;
    nextcloud["version"] = version;
    nextcloud["digest"] = `sha256:${version.split(".")[0]!.repeat(32)}`;
});

let prod: Plan;
let nextcloud31: Plan;
let nextcloud32: Plan;
beforeAll(async () => {
    prod = await planStack("prod");
    nextcloud31 = await planStackText("prod", withNextcloud("31.0.9"));
    nextcloud32 = await planStackText("prod", withNextcloud("32.0.13"));
});

/** The files the installer writes, decoded from its command the way install-backups.sh does. */
function installedFiles(install: PlannedResource): Record<string, string> {
    const create = String(install.inputs["create"]);
    const bundle = /BUNDLE_BASE64='([A-Za-z0-9+/=]+)'/.exec(create)![1]!;
    return Object.fromEntries(Buffer.from(bundle, "base64").toString("utf8").trim().split("\n").map((line) => {
        const [, path, content] = line.split(" ");
        return [path!, Buffer.from(content!, "base64").toString("utf8")];
    }));
}

describe("the prod plan's backups", () => {
    it("has a vzdump job of the VM and the WireGuard container: snapshot, zstd, the retention, notes", () => {
        const job = onlyResource(prod, "proxmoxve:backup/job:Job");
        expect(job.inputs).toMatchObject({
            resourceId: "homelab-prod",
            node: "pve",
            storage: "backup",
            schedule: "01:30",
            vmids: ["100", "110"],
            mode: "snapshot",
            compress: "zstd",
            pruneBackups: { "keep-daily": "7", "keep-weekly": "4", "keep-monthly": "6" },
            enabled: true,
        });
        expect(String(job.inputs["notesTemplate"])).toContain("{{guestname}}");
        expect(job.provider).toBe(onlyResource(prod, "pulumi:providers:proxmoxve").urn);
        // Created once both guests exist.
        expect(job.dependencies).toEqual(expect.arrayContaining([onlyResource(prod, "proxmoxve:index/vmLegacy:VmLegacy").urn, onlyResource(prod, "proxmoxve:index/containerLegacy:ContainerLegacy").urn]));
        // Nothing only root@pam may set: the API token could not create the job otherwise.
        expect(Object.keys(job.inputs).filter((key) => ["script", "tmpdir", "dumpdir", "bwlimit", "ionice", "performance"].includes(key))).toEqual([]);
    });

    it("installs restic with the nightly timer, the weekly check and the monthly drill, after the VM's bootstrap", () => {
        const install = resourceByName(prod, "homelab-backups-vm-install");
        expect(install.dependencies).toContain(resourceByName(prod, "homelab-vm-bootstrap-directories").urn);
        expect(install.inputs["stdin"]).toBe("[secret]");
        const files = installedFiles(install);
        expect(files["/etc/systemd/system/homelab-backup.timer"]).toContain("OnCalendar=03:30\n");
        expect(files["/etc/systemd/system/homelab-backup-check.timer"]).toContain("OnCalendar=Sun 05:00\n");
        expect(files["/etc/systemd/system/homelab-restore-drill.timer"]).toContain("OnCalendar=*-*-01 06:00\n");
        expect(files["/etc/systemd/system/homelab-backup.service"]).toContain("ExecStart=/usr/local/lib/homelab-backup/backup-run.sh\n");
        const environment = files["/etc/homelab-backup/backup.env"]!;
        expect(environment).toContain("RESTIC_REPOSITORY='sftp:restic@192.168.1.120:/srv/restic/homelab'\n");
        expect(environment).toContain("DATA_MOUNT_POINT='/home/homelab/media'\n");
        expect(environment).toContain("GUARD_PATH='/usr/local/sbin/homelab-data-disk-guard'\n");
        expect(environment).toMatch(/KEEP_DAILY='7'\nKEEP_WEEKLY='4'\nKEEP_MONTHLY='6'\n/);
        expect(files["/etc/homelab-backup/paths"]).toBe("/home/homelab/media\n/home/homelab/docker\n");
        expect(files["/etc/homelab-backup/excludes"]).toContain("/home/homelab/docker/nextcloud/postgres\n");
        expect(files["/etc/homelab-backup/databases"]!.split("\n").map((line) => line.split(" ").slice(0, 4).join(" "))).toEqual(["immich immich-postgres immich postgres", "nextcloud nextcloud-postgres nextcloud nextcloud", ""]);
        expect(String(install.inputs["create"])).toContain("TIMERS='homelab-backup.timer homelab-backup-check.timer homelab-restore-drill.timer'");
    });

    it("backs up Nextcloud before its next major and Immich before its next release line; every container waits", () => {
        const beforeNextcloud = resourceByName(prod, "homelab-backups-vm-before-nextcloud-upgrade");
        const beforeImmich = resourceByName(prod, "homelab-backups-vm-before-immich-upgrade");
        expect(beforeNextcloud.inputs["triggers"]).toEqual(["Nextcloud 33"]);
        expect(beforeImmich.inputs["triggers"]).toEqual(["Immich v3.2"]);
        expect(beforeNextcloud.inputs["create"]).toBe("sudo /usr/local/lib/homelab-backup/backup-run.sh --app nextcloud 'before Nextcloud 33'");
        expect(beforeNextcloud.dependencies).toContain(resourceByName(prod, "homelab-backups-vm-install").urn);
        const containers = resourcesOfType(prod, "docker:index/container:Container");
        expect(containers.length).toBeGreaterThan(5);
        expect(containers.filter((container) => !container.dependencies.includes(beforeNextcloud.urn) || !container.dependencies.includes(beforeImmich.urn)).map((container) => container.name)).toEqual([]);
    });

    it("a Nextcloud major bump re-runs its backup; a patch bump does not", () => {
        expect(resourceByName(nextcloud32, "homelab-backups-vm-before-nextcloud-upgrade").inputs["triggers"]).toEqual(["Nextcloud 32"]);
        expect(resourceByName(nextcloud32, "homelab-backups-vm-before-immich-upgrade").inputs).toEqual(resourceByName(prod, "homelab-backups-vm-before-immich-upgrade").inputs);
    });

    it("records the deployed versions for the next run's guard", () => {
        expect(prod.outputs["appVersions"]).toEqual({ nextcloud: "33.0.7", immich: "v3.2.4" });
    });

    it("never shows the repository password", () => {
        expect(renderPlanJson(prod)).not.toContain("placeholder-restic-password");
    });

    it("a stack without homelab:backups has no backup resources", async () => {
        const text = committedStackText("dev").replace(/\n {2}homelab:backups:\n(?: {4}.*\n)+/, "\n");
        expect(text).not.toContain("homelab:backups");
        const plan = await planStackText("dev", text);
        expect(plan.resources.filter((resource) => resource.type.startsWith("homelab:backups:") || resource.type === "proxmoxve:backup/job:Job")).toEqual([]);
    });
});

describe("UNSAFE UPGRADE in the offline diff", () => {
    it("Nextcloud 31.x to 33.x is unsafe, naming the next allowed major; 32.x to 33.x is not", () => {
        const unsafe = unsafeUpgrades(nextcloud31, prod);
        expect(unsafe.map(({ app, from, to }) => ({ app, from, to }))).toEqual([{ app: "nextcloud", from: "31.0.9", to: "33.0.7" }]);
        expect(unsafe[0]!.problem).toContain("next allowed: 32.x");
        expect(renderUnsafeUpgrades(unsafe)).toContain("**UNSAFE UPGRADE** `nextcloud` 31.0.9 → 33.0.7");
        expect(diffExitCode(true, false, unsafe)).toBe(3);
        expect(diffExitCode(false, false, unsafe)).toBe(0);
        expect(unsafeUpgrades(nextcloud32, prod)).toEqual([]);
        expect(renderUnsafeUpgrades([])).toBe("");
        expect(diffExitCode(true, false, [])).toBe(0);
        // Going back is as unsafe as skipping.
        expect(unsafeUpgrades(prod, nextcloud32).map((upgrade) => upgrade.problem)).toEqual([expect.stringMatching(/would downgrade the deployed 33\.0\.7/)]);
    });

    it("the plan CLI says UNSAFE UPGRADE and exits 3 under --fail-on-protected", () => {
        const folder = mkdtempSync(join(tmpdir(), "plan-upgrade-"));
        writeFileSync(join(folder, "before.json"), renderPlanJson(nextcloud31));
        const result = spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(PROJECT_ROOT, "tools", "plan.ts"),
            "--stack", "prod", "--before", join(folder, "before.json"), "--fail-on-protected"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        rmSync(folder, { recursive: true, force: true });
        expect(result.stdout).toContain("**UNSAFE UPGRADE** `nextcloud` 31.0.9 → 33.0.7");
        expect(result.status).toBe(3);
    });
});
