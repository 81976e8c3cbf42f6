// Pure rendering for the VM's backups: the configuration the scripts in ./scripts read, the lists
// of paths and databases, and the systemd units that run them. No Pulumi resources here, so the
// system tests render the very same files for their own folders and run the scripts against them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { shellQuote } from "../proxmox/bootstrap-scripts";

/** The scripts installed on the VM, in the order the installer writes them. */
export const BACKUP_SCRIPTS = ["backup-common", "dump-databases", "apply-retention", "backup-run", "backup-check", "restore-drill"] as const;
export type BackupScript = (typeof BACKUP_SCRIPTS)[number];

export const BACKUP_SCRIPTS_DIRECTORY = join(__dirname, "scripts");
/** Where the scripts live on the VM. */
export const BACKUP_INSTALL_DIRECTORY = "/usr/local/lib/homelab-backup";
/** Where their configuration and secrets live on the VM (root only). */
export const BACKUP_CONFIG_DIRECTORY = "/etc/homelab-backup";
/** The status files (<job>.status) and the drill's report. */
export const BACKUP_STATUS_DIRECTORY = "/var/lib/homelab-backup";
/** The database dumps, on the VM's own disk, backed up with everything else. */
export const BACKUP_DUMP_DIRECTORY = "/var/backups/homelab-dumps";

export function backupScriptPath(script: BackupScript | "install-backups" | "homelab-restic"): string {
    return join(BACKUP_SCRIPTS_DIRECTORY, `${script}.sh`);
}

export function readBackupScript(script: BackupScript | "install-backups" | "homelab-restic"): string {
    return readFileSync(backupScriptPath(script), "utf8");
}

/** One app's Postgres, as the dump and the drill reach it. */
export interface BackupDatabase {
    /** The app (immich, nextcloud): the dump is <app>.pgdump. Required. */
    readonly app: string;
    /** The running database container. Required. */
    readonly container: string;
    /** The database name. Required. */
    readonly database: string;
    /** The database superuser the app's image creates. Required. */
    readonly user: string;
    /** The app's Postgres image: the drill restores into a throwaway container of it. Required. */
    readonly image: string;
    /** The image's own arguments (Immich's config file that preloads its vector extension). Default: none. */
    readonly arguments?: readonly string[];
}

/** Everything the scripts on the VM are told. */
export interface BackupSettings {
    /** The restic repository. Required. */
    readonly repository: string;
    /** The data disk's mount point, which the guard checks. Required. */
    readonly dataMountPoint: string;
    /** The data-disk guard installed by the VM bootstrap. Required. */
    readonly guardPath: string;
    /** Paths of the nightly backup. Required. */
    readonly paths: readonly string[];
    /** Paths never backed up (live database files, caches). Required. */
    readonly excludes: readonly string[];
    /** Each app's paths, for its pre-upgrade backup. Required. */
    readonly appPaths: Readonly<Record<string, readonly string[]>>;
    /** The apps' databases. Required. */
    readonly databases: readonly BackupDatabase[];
    /** The Nextcloud app container, put in maintenance mode while its database is dumped; none when Nextcloud is off. */
    readonly nextcloudContainer?: string;
    /** Daily, weekly and monthly snapshots kept. Required. */
    readonly retention: { readonly daily: number; readonly weekly: number; readonly monthly: number };
    /** Where every run posts its result. Default: none. */
    readonly webhookUrl?: string;
    /** Files the drill compares with the live data. Default: 20. */
    readonly drillSampleFiles?: number;
    /** Folders on the VM; the tests point them at a scratch folder. Default: the constants above. */
    readonly directories?: {
        readonly config: string;
        readonly status: string;
        readonly dumps: string;
        readonly cache: string;
        readonly drill: string;
    };
}

const SAFE_PATH = /^\/[A-Za-z0-9._/@+-]*$/;

function checkedPath(path: string, what: string): string {
    if (!SAFE_PATH.test(path) || path.split("/").includes("..")) {
        throw new Error(`backups: ${what} ${JSON.stringify(path)} is not a plain absolute path`);
    }
    return path;
}

/** The folders of a settings object, defaults filled in. */
export function backupDirectories(settings: BackupSettings): NonNullable<BackupSettings["directories"]> {
    return settings.directories ?? {
        config: BACKUP_CONFIG_DIRECTORY,
        status: BACKUP_STATUS_DIRECTORY,
        dumps: BACKUP_DUMP_DIRECTORY,
        cache: "/var/cache/homelab-backup/restic",
        drill: "/var/tmp",
    };
}

/** backup.env: NAME='value' lines, sourced by backup-common.sh. Secrets are separate files. */
export function renderBackupEnvironment(settings: BackupSettings): string {
    const folders = backupDirectories(settings);
    const values: [string, string][] = [
        ["RESTIC_REPOSITORY", settings.repository],
        ["RESTIC_PASSWORD_FILE", `${folders.config}/restic-password`],
        ["RESTIC_ENVIRONMENT_FILE", `${folders.config}/restic.env`],
        ["RESTIC_CACHE_DIR", folders.cache],
        ["DATA_MOUNT_POINT", checkedPath(settings.dataMountPoint, "the data mount point")],
        ["GUARD_PATH", checkedPath(settings.guardPath, "the guard")],
        ["DUMP_DIRECTORY", checkedPath(folders.dumps, "the dump folder")],
        ["STATUS_DIRECTORY", checkedPath(folders.status, "the status folder")],
        ["DATABASES_FILE", `${folders.config}/databases`],
        ["NEXTCLOUD_CONTAINER", settings.nextcloudContainer ?? ""],
        ["BACKUP_PATHS_FILE", `${folders.config}/paths`],
        ["EXCLUDES_FILE", `${folders.config}/excludes`],
        ["APP_PATHS_DIRECTORY", `${folders.config}/apps`],
        ["KEEP_DAILY", String(settings.retention.daily)],
        ["KEEP_WEEKLY", String(settings.retention.weekly)],
        ["KEEP_MONTHLY", String(settings.retention.monthly)],
        ["DRILL_SAMPLE_FILES", String(settings.drillSampleFiles ?? 20)],
        ["DRILL_DIRECTORY", checkedPath(folders.drill, "the drill folder")],
        ["WEBHOOK_URL", settings.webhookUrl ?? ""],
    ];
    return ["# Written by Pulumi (components/backups); read by the scripts in /usr/local/lib/homelab-backup.", ...values.map(([name, value]) => `${name}=${shellQuote(value)}`), ""].join("\n");
}

/** One "app container database user image [arguments]" line per database. */
export function renderDatabasesFile(databases: readonly BackupDatabase[]): string {
    const word = /^[A-Za-z0-9._:/@=+-]+$/;
    return databases.map((entry) => {
        const fields = [entry.app, entry.container, entry.database, entry.user, entry.image, ...(entry.arguments ?? [])];
        const bad = fields.find((field) => !word.test(field));
        if (bad !== undefined) {
            throw new Error(`backups: database entry of ${entry.app}: ${JSON.stringify(bad)} has spaces or quotes`);
        }
        return `${fields.join(" ")}\n`;
    }).join("");
}

/** One absolute path per line. */
export function renderPathList(paths: readonly string[], what = "a backup path"): string {
    return paths.map((path) => `${checkedPath(path, what)}\n`).join("");
}

/** When the three jobs run (systemd OnCalendar). */
export interface BackupSchedules {
    readonly backup: string;
    readonly check: string;
    readonly drill: string;
}

function oneshotService(installDirectory: string, description: string, script: BackupScript, extra: readonly string[] = []): string {
    return [
        "[Unit]",
        `Description=${description}`,
        "Wants=network-online.target",
        "After=network-online.target docker.service",
        "",
        "[Service]",
        "Type=oneshot",
        `ExecStart=${installDirectory}/${script}.sh`,
        ...extra,
        // Backups yield to the apps: the owner's streams and uploads come first.
        "Nice=10",
        "IOSchedulingClass=idle",
        "",
    ].join("\n");
}

function timer(description: string, onCalendar: string, delay: string): string {
    if (/[\n\r]/.test(onCalendar)) {
        throw new Error("backups: a schedule is one line");
    }
    return ["[Unit]", `Description=${description}`, "", "[Timer]", `OnCalendar=${onCalendar}`, "Persistent=true", `RandomizedDelaySec=${delay}`, "", "[Install]", "WantedBy=timers.target", ""].join("\n");
}

/**
 * The systemd units: unit file name → content. A failed run leaves its service failed (systemctl
 * --failed). `installDirectory` is where the scripts are (the tests verify the units against the
 * repository's own copy). Default: BACKUP_INSTALL_DIRECTORY.
 */
export function renderBackupUnits(schedules: BackupSchedules, installDirectory: string = BACKUP_INSTALL_DIRECTORY): Record<string, string> {
    return {
        "homelab-backup.service": oneshotService(installDirectory, "Nightly backup of the data disk, ~/docker and the database dumps (restic)", "backup-run"),
        "homelab-backup.timer": timer("Nightly homelab backup", schedules.backup, "15m"),
        "homelab-backup-check.service": oneshotService(installDirectory, "Weekly check of the homelab's restic repository", "backup-check"),
        "homelab-backup-check.timer": timer("Weekly homelab repository check", schedules.check, "30m"),
        "homelab-restore-drill.service": oneshotService(installDirectory, "Monthly restore drill of the homelab backups", "restore-drill", ["TimeoutStartSec=6h"]),
        "homelab-restore-drill.timer": timer("Monthly homelab restore drill", schedules.drill, "30m"),
    };
}
