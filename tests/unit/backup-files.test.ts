// The backup configuration the VM's scripts read, checked against what those scripts expect (the
// names backup-common.sh documents, the folders they and docs/backups.md assume) and read back the
// way they read it: backup.env is sourced by bash, the lists are read line by line, the units are
// systemd's key=value sections. The real tools (restic, systemd-analyze, shellcheck) run on the same
// rendering in tests/system/backups.test.ts; these are the cheap checks of every line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    BACKUP_CONFIG_DIRECTORY,
    BACKUP_DUMP_DIRECTORY,
    BACKUP_INSTALL_DIRECTORY,
    BACKUP_SCRIPTS,
    BACKUP_SCRIPTS_DIRECTORY,
    BACKUP_STATUS_DIRECTORY,
    backupDirectories,
    readBackupScript,
    renderBackupEnvironment,
    renderBackupUnits,
    renderDatabasesFile,
    renderPathList,
} from "../../components/backups/backup-files";
import type { BackupSettings } from "../../components/backups/backup-files";
import { immichRelease } from "../../components/apps/immich-releases";
import { APP_DEFAULTS } from "../../stacks/config-schema";
import { PROJECT_ROOT } from "../../tools/paths";

/** The database image of the Immich release the stacks pin, as the program reads it (a pinned image, tag and digest). */
const IMMICH_POSTGRES = immichRelease(APP_DEFAULTS.immich.version)!.postgresImage;

/** The least a stack declares: no Nextcloud, no webhook, the default drill size and folders. */
const MINIMAL: BackupSettings = {
    repository: "sftp:backup@nas.home.arpa:/srv/restic/homelab",
    dataMountPoint: "/home/homelab/media",
    guardPath: "/usr/local/sbin/homelab-data-guard",
    paths: ["/home/homelab/media", "/home/homelab/docker"],
    excludes: ["/home/homelab/docker/immich/postgres"],
    appPaths: {},
    databases: [],
    retention: { daily: 7, weekly: 4, monthly: 6 },
};

/** backup.env sourced by bash, as backup-common.sh does: every variable it sets, by name. */
function sourced(environmentFile: string): Record<string, string> {
    const folder = mkdtempSync(join(tmpdir(), "backup-env-"));
    try {
        const file = join(folder, "backup.env");
        writeFileSync(file, environmentFile);
        // `set -a` exports what the file assigns; `env -i` keeps the shell's own variables out but for a few.
        const result = spawnSync("env", ["-i", "bash", "--noprofile", "--norc", "-c", 'set -a; source "$1"; set +a; env -0', "bash", file], { encoding: "utf8" });
        if (result.status !== 0) {
            throw new Error(`bash could not source backup.env: ${result.stderr}`);
        }
        const shellOwn = new Set(["PWD", "SHLVL", "_", "OLDPWD"]);
        return Object.fromEntries(result.stdout.split("\0").filter((entry) => entry !== "").map((entry) => {
            const equals = entry.indexOf("=");
            return [entry.slice(0, equals), entry.slice(equals + 1)] as const;
        }).filter(([name]) => !shellOwn.has(name)));
    } finally {
        rmSync(folder, { recursive: true, force: true });
    }
}

describe("the scripts and the folders they assume", () => {
    it("BACKUP_SCRIPTS are the scripts in the folder but the installer and the restic wrapper, which install differently", () => {
        const onDisk = readdirSync(BACKUP_SCRIPTS_DIRECTORY).filter((file) => file.endsWith(".sh")).map((file) => file.replace(/\.sh$/, ""));
        expect([...BACKUP_SCRIPTS].sort()).toEqual(onDisk.filter((script) => script !== "install-backups" && script !== "homelab-restic").sort());
        // The shared library first: every job sources it.
        expect(BACKUP_SCRIPTS[0]).toBe("backup-common");
        expect(readBackupScript("homelab-restic")).toMatch(/^#!\/usr\/bin\/env bash\n/);
    });

    it("the folders are the ones the scripts fall back to and docs/backups.md tells the owner to look in", () => {
        expect(readBackupScript("backup-common")).toContain(`\${HOMELAB_BACKUP_CONFIG:-${BACKUP_CONFIG_DIRECTORY}/backup.env}`);
        expect(readBackupScript("homelab-restic")).toContain(`library=${BACKUP_INSTALL_DIRECTORY}/backup-common.sh`);
        expect(readBackupScript("restore-drill")).toContain("${DRILL_DIRECTORY:-/var/tmp}");
        const guide = readFileSync(join(PROJECT_ROOT, "docs", "backups.md"), "utf8");
        expect(guide).toContain(`${BACKUP_STATUS_DIRECTORY}/backup.status`);
        expect(guide).toContain(`${BACKUP_DUMP_DIRECTORY}/immich.pgdump`);
        expect(guide).toContain(`\`${BACKUP_INSTALL_DIRECTORY}\``);
        expect(guide).toContain(`\`${BACKUP_CONFIG_DIRECTORY}\``);
    });

    it("the default folders: configuration, status, dumps, restic's cache under /var/cache, the drill in /var/tmp", () => {
        expect(backupDirectories(MINIMAL)).toEqual({
            config: BACKUP_CONFIG_DIRECTORY, status: BACKUP_STATUS_DIRECTORY, dumps: BACKUP_DUMP_DIRECTORY, cache: "/var/cache/homelab-backup/restic", drill: "/var/tmp",
        });
        const directories = { config: "/t/c", status: "/t/s", dumps: "/t/d", cache: "/t/cache", drill: "/t/drill" };
        expect(backupDirectories({ ...MINIMAL, directories })).toBe(directories);
    });
});

describe("backup.env", () => {
    it("a minimal stack: every name backup-common.sh documents, the defaults filled in, the optional ones empty", () => {
        expect(sourced(renderBackupEnvironment(MINIMAL))).toEqual({
            RESTIC_REPOSITORY: "sftp:backup@nas.home.arpa:/srv/restic/homelab",
            RESTIC_PASSWORD_FILE: "/etc/homelab-backup/restic-password",
            RESTIC_ENVIRONMENT_FILE: "/etc/homelab-backup/restic.env",
            RESTIC_CACHE_DIR: "/var/cache/homelab-backup/restic",
            DATA_MOUNT_POINT: "/home/homelab/media",
            GUARD_PATH: "/usr/local/sbin/homelab-data-guard",
            DUMP_DIRECTORY: "/var/backups/homelab-dumps",
            STATUS_DIRECTORY: "/var/lib/homelab-backup",
            DATABASES_FILE: "/etc/homelab-backup/databases",
            NEXTCLOUD_CONTAINER: "",
            BACKUP_PATHS_FILE: "/etc/homelab-backup/paths",
            EXCLUDES_FILE: "/etc/homelab-backup/excludes",
            APP_PATHS_DIRECTORY: "/etc/homelab-backup/apps",
            KEEP_DAILY: "7",
            KEEP_WEEKLY: "4",
            KEEP_MONTHLY: "6",
            DRILL_SAMPLE_FILES: "20",
            DRILL_DIRECTORY: "/var/tmp",
            WEBHOOK_URL: "",
        });
    });

    it("the retention, the Nextcloud container, the webhook and the folders as declared; quotes survive the shell", () => {
        const settings: BackupSettings = {
            ...MINIMAL,
            repository: "rest:https://user:it's@backup.example.net/homelab",
            nextcloudContainer: "nextcloud",
            retention: { daily: 0, weekly: 12, monthly: 24 },
            webhookUrl: "https://ntfy.example.net/homelab?title=a b",
            drillSampleFiles: 5,
            directories: { config: "/t/config", status: "/t/status", dumps: "/t/dumps", cache: "/t/cache", drill: "/t/drill" },
        };
        expect(sourced(renderBackupEnvironment(settings))).toMatchObject({
            RESTIC_REPOSITORY: "rest:https://user:it's@backup.example.net/homelab",
            RESTIC_PASSWORD_FILE: "/t/config/restic-password",
            RESTIC_CACHE_DIR: "/t/cache",
            DUMP_DIRECTORY: "/t/dumps",
            STATUS_DIRECTORY: "/t/status",
            APP_PATHS_DIRECTORY: "/t/config/apps",
            NEXTCLOUD_CONTAINER: "nextcloud",
            KEEP_DAILY: "0",
            KEEP_WEEKLY: "12",
            KEEP_MONTHLY: "24",
            DRILL_SAMPLE_FILES: "5",
            DRILL_DIRECTORY: "/t/drill",
            WEBHOOK_URL: "https://ntfy.example.net/homelab?title=a b",
        });
    });

    it("says who writes it, one assignment per line, and ends with a newline", () => {
        const lines = renderBackupEnvironment(MINIMAL).split("\n");
        expect(lines[0]).toBe(`# Written by Pulumi (components/backups); read by the scripts in ${BACKUP_INSTALL_DIRECTORY}.`);
        expect(lines.at(-1)).toBe("");
        expect(lines.slice(1, -1).every((line) => /^[A-Z_]+='/.test(line))).toBe(true);
        expect(lines).toHaveLength(1 + 19 + 1);
    });

    it.each([
        ["dataMountPoint", { dataMountPoint: "home/homelab/media" }, 'the data mount point "home/homelab/media"'],
        ["guardPath", { guardPath: "/usr/local/sbin/guard; rm -rf /" }, 'the guard "/usr/local/sbin/guard; rm -rf /"'],
        ["directories.dumps", { directories: { ...backupDirectories(MINIMAL), dumps: "/var/backups/../../etc" } }, 'the dump folder "/var/backups/../../etc"'],
        ["directories.status", { directories: { ...backupDirectories(MINIMAL), status: "/var/lib/$(id)" } }, 'the status folder "/var/lib/$(id)"'],
        ["directories.drill", { directories: { ...backupDirectories(MINIMAL), drill: "/var/tmp/a b" } }, 'the drill folder "/var/tmp/a b"'],
    ] as const)("refuses a %s that is not a plain absolute path, naming it", (_, change, named) => {
        expect(() => renderBackupEnvironment({ ...MINIMAL, ...change })).toThrow(`backups: ${named} is not a plain absolute path`);
    });
});

describe("the path lists", () => {
    it("one path per line, every character a path may have here", () => {
        expect(renderPathList(["/home/homelab/media", "/srv/A-z_0.9/@backup+old/...x"])).toBe("/home/homelab/media\n/srv/A-z_0.9/@backup+old/...x\n");
        expect(renderPathList([])).toBe("");
    });

    it.each([
        ["a relative path", "home/homelab"],
        ["an empty path", ""],
        ["a space", "/home/homelab/my media"],
        ["a quote", "/home/homelab/it's"],
        ["a newline, which would make two entries", "/home/homelab\n/etc"],
        ["a glob, which restic would expand", "/home/*"],
        ["a parent folder", "/home/homelab/../../etc"],
        ["a trailing parent folder", "/home/homelab/.."],
    ])("refuses %s", (_, path) => {
        expect(() => renderPathList(["/home/homelab/media", path])).toThrow(`backups: a backup path ${JSON.stringify(path)} is not a plain absolute path`);
    });

    it("names the list in its error", () => {
        expect(() => renderPathList(["tmp"], "an excluded path")).toThrow('backups: an excluded path "tmp" is not a plain absolute path');
    });
});

describe("the databases file", () => {
    it("one line per database: app, container, database, user, image, then the image's arguments", () => {
        const text = renderDatabasesFile([
            { app: "immich", container: "immich-postgres", database: "immich", user: "postgres", image: IMMICH_POSTGRES, arguments: ["-c", "config_file=/etc/postgresql/postgresql.conf"] },
            { app: "nextcloud", container: "nextcloud-postgres", database: "nextcloud", user: "nextcloud", image: "docker.io/library/postgres:17.6+x" },
        ]);
        expect(text.split("\n").map((line) => line.split(" "))).toEqual([
            ["immich", "immich-postgres", "immich", "postgres", IMMICH_POSTGRES, "-c", "config_file=/etc/postgresql/postgresql.conf"],
            ["nextcloud", "nextcloud-postgres", "nextcloud", "nextcloud", "docker.io/library/postgres:17.6+x"],
            [""],
        ]);
        expect(renderDatabasesFile([])).toBe("");
    });

    it.each([
        ["a space in the user", { user: "post gres" }, "post gres"],
        ["a quote in the database", { database: "immich'" }, "immich'"],
        ["an empty container, which would shift the columns", { container: "" }, ""],
        ["a tab in the image", { image: "postgres\t17" }, "postgres\t17"],
        ["a space in an argument", { arguments: ["-c", "shared_buffers = 1GB"] }, "shared_buffers = 1GB"],
    ] as const)("refuses %s, naming the app and the field", (_, change, bad) => {
        const entry = { app: "immich", container: "immich-postgres", database: "immich", user: "postgres", image: IMMICH_POSTGRES, ...change };
        expect(() => renderDatabasesFile([entry])).toThrow(`backups: database entry of immich: ${JSON.stringify(bad)} has spaces or quotes`);
    });
});

/** A unit file as systemd reads it: its sections in order, each with its Key=value lines; anything else throws. */
function unitSections(text: string): [string, string[]][] {
    const sections: [string, string[]][] = [];
    for (const line of text.split("\n")) {
        const header = /^\[([A-Za-z]+)\]$/.exec(line);
        if (header !== null) {
            sections.push([header[1]!, []]);
        } else if (/^[A-Za-z]+=\S/.test(line) && sections.length > 0) {
            sections.at(-1)![1].push(line);
        } else if (line !== "") {
            throw new Error(`not a unit file line: ${JSON.stringify(line)}`);
        }
    }
    return sections;
}

describe("the systemd units", () => {
    const schedules = { backup: "*-*-* 02:30:00", check: "Sun *-*-* 04:00:00", drill: "*-*-01 05:00:00" };

    it("a service for each timer, of the same name, so each timer starts its own job", () => {
        const names = Object.keys(renderBackupUnits(schedules));
        const timers = names.filter((name) => name.endsWith(".timer"));
        expect(timers).toEqual(["homelab-backup.timer", "homelab-backup-check.timer", "homelab-restore-drill.timer"]);
        expect(names.filter((name) => !name.endsWith(".timer")).sort()).toEqual(timers.map((timer) => timer.replace(/\.timer$/, ".service")).sort());
    });

    it("the services run their script once, after the network and Docker, at low priority; the drill gets six hours", () => {
        const units = renderBackupUnits(schedules);
        const service = (description: string, script: string, extra: string[] = []): [string, string[]][] => [
            // The repository is across the network, and the dumps go through docker exec.
            ["Unit", [`Description=${description}`, "Wants=network-online.target", "After=network-online.target docker.service"]],
            // oneshot: a failed script leaves the unit failed (systemctl --failed); Nice and idle I/O let the apps go first.
            ["Service", ["Type=oneshot", `ExecStart=/usr/local/lib/homelab-backup/${script}.sh`, ...extra, "Nice=10", "IOSchedulingClass=idle"]],
        ];
        expect(unitSections(units["homelab-backup.service"]!)).toEqual(service("Nightly backup of the data disk, ~/docker and the database dumps (restic)", "backup-run"));
        expect(unitSections(units["homelab-backup-check.service"]!)).toEqual(service("Weekly check of the homelab's restic repository", "backup-check"));
        // A oneshot service has no start timeout by default: a hung drill would never fail.
        expect(unitSections(units["homelab-restore-drill.service"]!)).toEqual(service("Monthly restore drill of the homelab backups", "restore-drill", ["TimeoutStartSec=6h"]));
    });

    it("every service runs a script the installer writes, from the folder it is given", () => {
        const units = renderBackupUnits(schedules, "/opt/scripts");
        const scripts = Object.entries(units).filter(([name]) => name.endsWith(".service")).map(([, text]) => /^ExecStart=\/opt\/scripts\/(.+)\.sh$/m.exec(text)?.[1]);
        expect(scripts).toEqual(["backup-run", "backup-check", "restore-drill"]);
        expect(scripts.filter((script) => !(BACKUP_SCRIPTS as readonly (string | undefined)[]).includes(script))).toEqual([]);
    });

    it("the timers: each schedule as given, caught up after the VM was off, spread, enabled by timers.target", () => {
        const units = renderBackupUnits(schedules);
        const timer = (description: string, onCalendar: string, delay: string): [string, string[]][] => [
            ["Unit", [`Description=${description}`]],
            ["Timer", [`OnCalendar=${onCalendar}`, "Persistent=true", `RandomizedDelaySec=${delay}`]],
            ["Install", ["WantedBy=timers.target"]],
        ];
        expect(unitSections(units["homelab-backup.timer"]!)).toEqual(timer("Nightly homelab backup", "*-*-* 02:30:00", "15m"));
        expect(unitSections(units["homelab-backup-check.timer"]!)).toEqual(timer("Weekly homelab repository check", "Sun *-*-* 04:00:00", "30m"));
        expect(unitSections(units["homelab-restore-drill.timer"]!)).toEqual(timer("Monthly homelab restore drill", "*-*-01 05:00:00", "30m"));
    });

    it("each unit file ends with a newline and separates its sections by a blank line", () => {
        for (const text of Object.values(renderBackupUnits(schedules))) {
            expect(text).toMatch(/\n$/);
            expect(text.split("\n").filter((line) => line.startsWith("[")).length).toBe(text.split("\n\n[").length);
        }
    });

    it.each([["a newline", "daily\nExecStart=/bin/sh"], ["a carriage return", "daily\rOnCalendar=minutely"]])("refuses a schedule with %s, which would add a line to the unit", (_, schedule) => {
        expect(() => renderBackupUnits({ ...schedules, check: schedule })).toThrow("backups: a schedule is one line");
    });
});
