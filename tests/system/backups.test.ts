// The backup scripts run for real: PostgreSQL clusters seeded with rows, the project's dump script
// (docker exec replaced by a stand-in that runs the same command locally), restic to a local
// repository, restore, pg_restore into a fresh database, the same rows. Then the retention on
// snapshots with chosen dates, the data-disk guard, and the drill finding a corrupted file. Each
// check is also shown failing on a deliberately broken copy of a script.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, utimesSync, writeFileSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { BACKUP_SCRIPTS_DIRECTORY, renderBackupUnits } from "../../components/backups/backup-files";
import { committedConfig, parseValues } from "../helpers/config";
import { requireTool, runTool } from "../helpers/system-tools";
import { createLab, DATABASES, FIXTURES } from "./backups/lab";
import type { Lab } from "./backups/lab";

let lab: Lab;
const PHOTO = Buffer.from(Array.from({ length: 50_000 }, (_, index) => (index * 7919) % 251));

beforeAll(() => {
    lab = createLab();
    mkdirSync(join(lab.data, "photos", "2026"), { recursive: true });
    mkdirSync(join(lab.data, "nextcloud", "alice", "files"), { recursive: true });
    writeFileSync(join(lab.data, "photos", "2026", "beach.jpg"), PHOTO);
    writeFileSync(join(lab.data, "nextcloud", "alice", "files", "notes.md"), "# groceries\n- tea\n");
    writeFileSync(join(lab.configRoot, "npm", "data", "database.sqlite"), "npm settings");
    writeFileSync(join(lab.configRoot, "immich", "postgres", "PG_VERSION"), "14\n");
    lab.sql("immich-postgres", "immich", "postgres", "CREATE TABLE asset (id serial PRIMARY KEY, path text NOT NULL); INSERT INTO asset (path) SELECT 'upload/' || n || '.jpg' FROM generate_series(1, 500) AS n; INSERT INTO asset (path) VALUES ('upload/été.jpg')");
    lab.sql("nextcloud-postgres", "nextcloud", "nextcloud", "CREATE TABLE oc_filecache (fileid bigserial PRIMARY KEY, path text, size bigint); INSERT INTO oc_filecache (path, size) SELECT 'files/' || n, n * 10 FROM generate_series(1, 300) AS n");
}, 90_000);

afterAll(() => {
    lab?.close();
});

const ASSETS = "SELECT count(*) || ':' || coalesce(md5(string_agg(path, ',' ORDER BY id)), '') FROM asset";
const FILECACHE = "SELECT count(*) || ':' || sum(size) FROM oc_filecache";

function status(job: string): Record<string, string> {
    const text = readFileSync(join(lab.root, "status", `${job}.status`), "utf8");
    return Object.fromEntries(text.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

function snapshotCount(tag: string): number {
    return (JSON.parse(lab.restic(["snapshots", "--json", "--tag", tag]).stdout) as unknown[]).length;
}

/**
 * Restores the latest nightly snapshot into a new folder, then each dump into a fresh database of
 * its cluster, and returns what the restored databases and files hold.
 */
function restoreLatest(label: string): { assets: string; filecache: string; photo: Buffer; excludedPresent: boolean } {
    const target = join(lab.root, `restore-${label}`);
    const restored = lab.restic(["restore", "latest", "--tag", "nightly", "--target", target]);
    expect(restored.stderr).toBe("");
    const restoreInto = (container: string, user: string, database: string): void => {
        lab.sql(container, "postgres", user, `CREATE DATABASE ${database}`);
        const dump = join(target, lab.root, "dumps", `${container.split("-")[0]}.pgdump`);
        // restic restores the dump as root's 0600 file, as on the VM; pg_restore reads it on stdin.
        const result = spawnSync("runuser", ["-u", "postgres", "--", join(lab.pgBin, "pg_restore"), "-h", join(lab.state, container), "-U", user, "-d", database, "--no-owner", "--exit-on-error"], { input: readFileSync(dump), encoding: "utf8" });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
    };
    restoreInto("immich-postgres", "postgres", `immich_${label}`);
    restoreInto("nextcloud-postgres", "nextcloud", `nextcloud_${label}`);
    return {
        assets: lab.sql("immich-postgres", `immich_${label}`, "postgres", ASSETS),
        filecache: lab.sql("nextcloud-postgres", `nextcloud_${label}`, "nextcloud", FILECACHE),
        photo: readFileSync(join(target, lab.data, "photos", "2026", "beach.jpg")),
        excludedPresent: readdirSync(join(target, lab.configRoot, "immich")).includes("postgres"),
    };
}

describe("shellcheck", () => {
    const scripts = readdirSync(BACKUP_SCRIPTS_DIRECTORY).filter((file) => file.endsWith(".sh")).sort();

    it("rejects a script with an unquoted expansion, so a pass means something", () => {
        const bad = join(lab.root, "bad.sh");
        writeFileSync(bad, "#!/usr/bin/env bash\nrestic forget $policy\n");
        expect(runTool(requireTool("shellcheck", "shellcheck"), [bad]).status).not.toBe(0);
    });

    it.each([...scripts, "../../../tests/system/backups/docker", "../../../tests/system/backups/php"])("passes %s with no finding at any severity", (script) => {
        const result = runTool(requireTool("shellcheck", "shellcheck"), ["-x", "--severity=style", "--shell=bash", join(BACKUP_SCRIPTS_DIRECTORY, script)]);
        expect(result.stdout).toBe("");
        expect(result.status).toBe(0);
    });
});

describe("the nightly backup and a restore", () => {
    it("backs up the dumps and the files, and a restore gives the same rows and bytes", () => {
        const before = { assets: lab.sql("immich-postgres", "immich", "postgres", ASSETS), filecache: lab.sql("nextcloud-postgres", "nextcloud", "nextcloud", FILECACHE) };
        expect(before.assets).toMatch(/^501:/);
        const result = lab.run("backup-run");
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(status("backup")).toMatchObject({ result: "ok", failed_step: "", exit_status: "0" });
        // Maintenance mode on for the Nextcloud dump and off again right after it.
        expect(readFileSync(join(lab.state, "maintenance.log"), "utf8")).toBe("occ maintenance:mode --on\nocc maintenance:mode --off\n");
        expect(snapshotCount("nightly")).toBe(1);

        const restored = restoreLatest("first");
        expect(restored).toEqual({ assets: before.assets, filecache: before.filecache, photo: PHOTO, excludedPresent: false });
    });

    it("homelab-restic, the owner's restic for restores, reads the same repository and password", () => {
        const result = lab.run("homelab-restic", ["snapshots", "--json", "--tag", "nightly"]);
        expect(result.status).toBe(0);
        expect(JSON.parse(result.stdout)).toHaveLength(1);
    });

    it("a dump script that drops the rows makes the same round trip fail", () => {
        const broken = lab.mutant("dump-databases", "pg_dump --format=custom", "pg_dump --format=custom --schema-only");
        expect(lab.run("backup-run", [], {}, broken).status).toBe(0);
        const restored = restoreLatest("mutant");
        // A good run again, for the tests below, before anything here can fail.
        expect(lab.run("backup-run").status).toBe(0);
        expect(restored.assets).not.toBe(lab.sql("immich-postgres", "immich", "postgres", ASSETS));
        expect(restored.assets).toBe("0:");
    });

    it("a failing pg_dump fails the run, names the step, keeps the last good dump and switches maintenance mode back off", () => {
        const dump = join(lab.root, "dumps", "nextcloud.pgdump");
        const goodDump = readFileSync(dump);
        const snapshots = snapshotCount("nightly");
        writeFileSync(join(lab.state, "maintenance.log"), "");
        // immich's dump comes first and succeeds; nextcloud's fails inside maintenance mode.
        const result = lab.run("backup-run", [], { FAKE_DOCKER_FAIL_EXEC: "pg_dump" });
        expect(result.status).not.toBe(0);
        expect(status("backup")).toMatchObject({ result: "failed", failed_step: "database dumps" });
        expect(status("backup")["last_success"]).not.toBe("");
        expect(snapshotCount("nightly")).toBe(snapshots);
        expect(readFileSync(dump)).toEqual(goodDump);
        expect(result.stdout).toContain('FAILED at step "database dumps"');
    });

    it("a pre-upgrade backup covers one app and tags it", () => {
        writeFileSync(join(lab.state, "maintenance.log"), "");
        const result = lab.run("backup-run", ["--app", "nextcloud", "Nextcloud 32 to 33"]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        const [snapshot] = JSON.parse(lab.restic(["snapshots", "--json", "--tag", "pre-upgrade"]).stdout) as { paths: string[]; tags: string[] }[];
        expect(snapshot!.tags.sort()).toEqual(["app:nextcloud", "homelab", "pre-upgrade"]);
        expect(snapshot!.paths.sort()).toEqual([join(lab.root, "dumps", "nextcloud.pgdump"), join(lab.data, "nextcloud")].sort());
        expect(readFileSync(join(lab.state, "maintenance.log"), "utf8")).toBe("occ maintenance:mode --on\nocc maintenance:mode --off\n");
    });
});

describe("the data-disk guard", () => {
    it("refuses to back up a data folder that is not mounted, before any dump or snapshot", () => {
        const unmounted = join(lab.root, "unplugged");
        mkdirSync(unmounted, { recursive: true });
        const config = lab.configWith({ dataMountPoint: unmounted, paths: [unmounted] }, "unplugged");
        const snapshots = snapshotCount("nightly");
        const calls = readFileSync(join(lab.state, "calls.log"), "utf8");
        const result = lab.run("backup-run", [], { HOMELAB_BACKUP_CONFIG: config });
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain(`nothing is mounted at ${unmounted}`);
        expect(status("backup")).toMatchObject({ result: "failed", failed_step: "data disk guard" });
        expect(snapshotCount("nightly")).toBe(snapshots);
        expect(readFileSync(join(lab.state, "calls.log"), "utf8")).toBe(calls);
    });
});

describe("the restore drill", () => {
    it("restores the dumps into throwaway databases and finds every sampled file intact", () => {
        const result = lab.run("restore-drill");
        expect(result.status).toBe(0);
        const report = readFileSync(join(lab.root, "status", "drill-report.txt"), "utf8");
        expect(report).toContain(`same: ${join(lab.data, "photos", "2026", "beach.jpg")}`);
        expect(report).toMatch(/immich: restored 1 tables, 501 rows/);
        expect(report).toMatch(/nextcloud: restored 1 tables, 300 rows/);
        expect(report).not.toContain("PROBLEM");
        expect(status("drill")).toMatchObject({ result: "ok" });
        // The throwaway clusters are gone.
        expect(readdirSync(lab.state).filter((name) => name.startsWith("homelab-drill-") && name.endsWith(".env"))).toEqual([]);
    }, 60_000);

    it("reports a corrupted file: same size and time as in the backup, other bytes", () => {
        const photo = join(lab.data, "photos", "2026", "beach.jpg");
        const { atime, mtime } = statSync(photo);
        const damaged = Buffer.from(PHOTO);
        damaged[1234] = damaged[1234]! ^ 0xff;
        writeFileSync(photo, damaged);
        utimesSync(photo, atime, mtime);
        try {
            expect(readFileSync(photo)).not.toEqual(PHOTO);
            // Files only: the dumps' restore is the test above.
            const config = lab.configWith({ databases: [] }, "files-only");
            const result = lab.run("restore-drill", [], { HOMELAB_BACKUP_CONFIG: config });
            expect(result.stdout).toContain(`PROBLEM: CORRUPTED: ${photo}`);
            expect(result.status).toBe(1);
            expect(readFileSync(join(lab.root, "status", "drill-report.txt"), "utf8")).toContain(`PROBLEM: CORRUPTED: ${photo}`);
            expect(status("drill")).toMatchObject({ result: "failed", failed_step: "verdict" });
        } finally {
            writeFileSync(photo, PHOTO);
            utimesSync(photo, atime, mtime);
        }
    }, 60_000);

    it("fails when its own restore is broken (pg_restore restoring no rows)", () => {
        const broken = lab.mutant("restore-drill", "pg_restore --username", "pg_restore --schema-only --username");
        const config = lab.configWith({ databases: DATABASES.filter((database) => database.app === "nextcloud") }, "nextcloud-only");
        const result = lab.run("restore-drill", [], { HOMELAB_BACKUP_CONFIG: config }, broken);
        expect(result.status).toBe(1);
        expect(readFileSync(join(lab.root, "status", "drill-report.txt"), "utf8")).toContain("PROBLEM: nextcloud: the restored database has no rows");
    }, 60_000);
});

describe("the retention", () => {
    // 2026-11-30 is a Monday. daily 2, weekly 3, monthly 2 keep: the last two days (11-30, 11-29),
    // the newest of the last three ISO weeks (11-30, 11-29, 11-16), the newest of the last two
    // months (11-30, 10-20). Everything else goes. The pre-upgrade group keeps its own newest.
    const NIGHTLY = ["2026-08-15", "2026-09-10", "2026-09-28", "2026-10-20", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"];
    const KEPT = ["2026-10-20", "2026-11-16", "2026-11-29", "2026-11-30"];
    const repository = () => join(lab.root, "retention-repository");

    beforeAll(() => {
        expect(lab.restic(["init"], repository()).status).toBe(0);
        const folder = join(lab.root, "retention-source");
        mkdirSync(folder, { recursive: true });
        for (const date of NIGHTLY) {
            writeFileSync(join(folder, "file"), date);
            expect(lab.restic(["backup", "--time", `${date} 03:30:00`, "--tag", "homelab", "--tag", "nightly", folder], repository()).status).toBe(0);
        }
        expect(lab.restic(["backup", "--time", "2026-09-05 12:00:00", "--tag", "homelab", "--tag", "pre-upgrade", "--tag", "app:nextcloud", folder], repository()).status).toBe(0);
    }, 60_000);

    function datesLeft(tag: string): string[] {
        const snapshots = JSON.parse(lab.restic(["snapshots", "--json", "--tag", tag], repository()).stdout) as { time: string }[];
        return snapshots.map((snapshot) => snapshot.time.slice(0, 10)).sort();
    }

    it("refuses to run with every count at 0", () => {
        const result = runTool("env", ["RESTIC_REPOSITORY=" + repository(), `RESTIC_PASSWORD_FILE=${join(lab.root, "etc", "restic-password")}`, "KEEP_DAILY=0", "KEEP_WEEKLY=0", "KEEP_MONTHLY=0", "bash", join(BACKUP_SCRIPTS_DIRECTORY, "apply-retention.sh")]);
        expect(result.status).toBe(2);
        expect(datesLeft("nightly")).toHaveLength(NIGHTLY.length);
    });

    it("keeps the last days, the last weeks and the last months, and each group on its own", () => {
        const result = runTool("env", ["RESTIC_REPOSITORY=" + repository(), `RESTIC_PASSWORD_FILE=${join(lab.root, "etc", "restic-password")}`, `RESTIC_CACHE_DIR=${join(lab.root, "cache")}`, "KEEP_DAILY=2", "KEEP_WEEKLY=3", "KEEP_MONTHLY=2", "bash", join(BACKUP_SCRIPTS_DIRECTORY, "apply-retention.sh")]);
        expect(result.status).toBe(0);
        expect(datesLeft("nightly")).toEqual(KEPT);
        expect(datesLeft("pre-upgrade")).toEqual(["2026-09-05"]);
    });
});

it("the stand-in docker is the one the scripts found", () => {
    expect(readFileSync(join(lab.state, "calls.log"), "utf8")).toContain("docker exec immich-postgres pg_dump --format=custom --dbname=immich --username=postgres");
    expect(FIXTURES).toContain("tests/system/backups");
});

describe("the installer", () => {
    it("writes the bundle with its modes, the secrets from stdin (0600), initialises a new repository and enables the timers", () => {
        const repository = join(lab.root, "installed-repository");
        const config = lab.configWith({ repository }, "installer");
        const target = join(lab.root, "installed");
        const bundle = [["0644", join(target, "etc", "paths"), "/srv/data\n"], ["0755", join(target, "bin", "run.sh"), "#!/bin/sh\necho run\n"]]
            .map(([mode, path, content]) => `${mode} ${path} ${Buffer.from(content!).toString("base64")}\n`).join("");
        const bin = join(lab.root, "installer-bin");
        mkdirSync(bin, { recursive: true });
        // systemd does not run here: a stand-in records what the installer asks of it.
        writeFileSync(join(bin, "systemctl"), `#!/bin/sh\necho "systemctl $*" >> ${join(lab.root, "systemctl.log")}\n`, { mode: 0o755 });
        const result = spawnSync("bash", [join(BACKUP_SCRIPTS_DIRECTORY, "install-backups.sh")], {
            encoding: "utf8",
            input: `${Buffer.from("a new repository password").toString("base64")}\n${Buffer.from("AWS_DEFAULT_REGION=eu-west-3\n").toString("base64")}\n`,
            env: { PATH: `${bin}:${process.env["PATH"] ?? ""}`, HOME: lab.root, BUNDLE_BASE64: Buffer.from(bundle).toString("base64"), BACKUP_CONFIG: config, INSTALL_DIRECTORY: BACKUP_SCRIPTS_DIRECTORY, TIMERS: "homelab-backup.timer homelab-backup-check.timer" },
        });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(readFileSync(join(target, "etc", "paths"), "utf8")).toBe("/srv/data\n");
        expect(statSync(join(target, "bin", "run.sh")).mode & 0o777).toBe(0o755);
        const secrets = join(lab.root, "etc", "installer");
        expect(readFileSync(join(secrets, "restic-password"), "utf8")).toBe("a new repository password");
        expect(statSync(join(secrets, "restic.env")).mode & 0o777).toBe(0o600);
        expect(result.stdout).toContain(`initialising the repository ${repository}`);
        expect(runTool("bash", ["-c", `restic --repo ${repository} --password-file ${join(secrets, "restic-password")} cat config`]).status).toBe(0);
        expect(readFileSync(join(lab.root, "systemctl.log"), "utf8")).toBe("systemctl daemon-reload\nsystemctl enable --now homelab-backup.timer homelab-backup-check.timer\n");
    });
});

describe("the systemd units", () => {
    it("systemd-analyze verify refuses a timer with a bad calendar event, so a pass means something", () => {
        const folder = join(lab.root, "bad-units");
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, "bad.timer"), "[Timer]\nOnCalendar=every night\n");
        expect(runTool(requireTool("systemd-analyze", "systemd"), ["verify", join(folder, "bad.timer")]).status).not.toBe(0);
    });

    it.each(["prod", "dev"])("the %s stack's services and timers pass systemd-analyze verify", (stack) => {
        const backups = parseValues(committedConfig(stack)).backups!;
        const folder = join(lab.root, `units-${stack}`);
        mkdirSync(folder, { recursive: true });
        const units = renderBackupUnits({ backup: backups.dataSchedule, check: backups.checkSchedule, drill: backups.drillSchedule }, BACKUP_SCRIPTS_DIRECTORY);
        for (const [name, content] of Object.entries(units)) {
            writeFileSync(join(folder, name), content);
        }
        const result = runTool(requireTool("systemd-analyze", "systemd"), ["verify", ...Object.keys(units).map((name) => join(folder, name))]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
    });
});

describe("the schedules", () => {
    const schedules = ["prod", "dev"].flatMap((stack) => {
        const backups = parseValues(committedConfig(stack)).backups!;
        return [backups.schedule!, backups.dataSchedule, backups.checkSchedule, backups.drillSchedule].map((schedule) => [stack, schedule] as const);
    });

    it("systemd-analyze refuses a schedule that is not a calendar event, so a pass means something", () => {
        expect(runTool(requireTool("systemd-analyze", "systemd"), ["calendar", "every night"]).status).not.toBe(0);
    });

    // The VM's timers take them as OnCalendar=; PVE's vzdump schedules use the same calendar-event syntax.
    it.each(schedules)("%s: %j is a calendar event systemd understands", (_, schedule) => {
        const result = runTool(requireTool("systemd-analyze", "systemd"), ["calendar", schedule]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/Next elapse:/);
    });
});
