// A small homelab for the backup scripts, built from real tools in a scratch folder: a tmpfs
// mounted as the data disk, PostgreSQL clusters started as the postgres user (one per database
// "container", through the docker stand-in next to this file), a local restic repository, and the
// configuration the VmBackups component renders, pointed at these folders.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BACKUP_SCRIPTS_DIRECTORY, renderBackupEnvironment, renderDatabasesFile, renderPathList } from "../../../components/backups/backup-files";
import type { BackupDatabase, BackupSettings } from "../../../components/backups/backup-files";
import { scriptPath } from "../../../components/proxmox/bootstrap-scripts";
import { requireTool } from "../../helpers/system-tools";

export const FIXTURES = __dirname;

export interface RunResult {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

export interface Lab {
    readonly root: string;
    readonly data: string;
    readonly configRoot: string;
    readonly repository: string;
    readonly state: string;
    readonly pgBin: string;
    /** Runs a backup script (from `scripts`, default the project's) with the lab's environment. */
    run(script: string, args?: readonly string[], extra?: Readonly<Record<string, string>>, scripts?: string): RunResult;
    /** Runs restic against the lab's repository. */
    restic(args: readonly string[], repository?: string): RunResult;
    /** Runs SQL in a database "container" and returns psql's unaligned output. */
    sql(container: string, database: string, user: string, statement: string): string;
    /** The lab's configuration file with some settings replaced. */
    configWith(changes: Partial<BackupSettings>, name: string): string;
    /** A copy of the project's scripts with one text replaced in one of them (a deliberate bug). */
    mutant(script: string, from: string, to: string): string;
    close(): void;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): RunResult {
    const result = spawnSync(command, [...args], { encoding: "utf8", env, input, timeout: 120_000 });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function must(result: RunResult, what: string): RunResult {
    if (result.status !== 0) {
        throw new Error(`${what} failed (${result.status}): ${result.stderr}${result.stdout}`);
    }
    return result;
}

function postgresBin(): string {
    const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort() : [];
    const found = versions.map((version) => `/usr/lib/postgresql/${version}/bin`).reverse().find((bin) => existsSync(join(bin, "initdb")));
    if (found === undefined) {
        throw new Error("PostgreSQL is not installed: run `apt-get install postgresql` (the backup system tests need initdb, pg_ctl, pg_dump and pg_restore)");
    }
    return found;
}

export const DATABASES: readonly BackupDatabase[] = [
    { app: "immich", container: "immich-postgres", database: "immich", user: "postgres", image: "ghcr.io/immich-app/postgres:test" },
    { app: "nextcloud", container: "nextcloud-postgres", database: "nextcloud", user: "nextcloud", image: "docker.io/library/postgres:test" },
];

export function createLab(): Lab {
    requireTool("restic", "restic");
    requireTool("runuser", "util-linux");
    const pgBin = postgresBin();
    const root = mkdtempSync("/tmp/homelab-backups-");
    chmodSync(root, 0o755);
    const data = join(root, "data");
    const configRoot = join(root, "home", "docker");
    const state = join(root, "docker-state");
    const repository = join(root, "repository");
    const etc = join(root, "etc");
    for (const folder of [data, state, etc, join(configRoot, "immich", "postgres"), join(configRoot, "npm", "data")]) {
        mkdirSync(folder, { recursive: true, mode: 0o755 });
    }
    const env: NodeJS.ProcessEnv = {
        PATH: `${FIXTURES}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
        HOME: root,
        HOMELAB_BACKUP_CONFIG: join(etc, "backup.env"),
        FAKE_DOCKER_STATE: state,
        FAKE_PG_BIN: pgBin,
        RESTIC_PASSWORD_FILE: join(etc, "restic-password"),
        RESTIC_CACHE_DIR: join(root, "cache"),
    };
    let mounted = false;
    const close = (): void => {
        for (const file of existsSync(state) ? readdirSync(state).filter((name) => name.endsWith(".env")) : []) {
            run(join(FIXTURES, "docker"), ["rm", "-f", file.slice(0, -".env".length)], env);
        }
        if (mounted) {
            spawnSync("umount", [data]);
        }
        rmSync(root, { recursive: true, force: true });
    };
    try {
        must(run("mount", ["-t", "tmpfs", "-o", "size=64m,mode=0755", "homelab-test-data", data], env), "mounting a tmpfs as the data disk (the backup tests run as root)");
        mounted = true;
        writeConfiguration(labSettings(root));
        const docker = join(FIXTURES, "docker");
        for (const database of DATABASES) {
            must(run(docker, ["run", "-d", "--name", database.container, "-e", `POSTGRES_USER=${database.user}`, "-e", `POSTGRES_DB=${database.database}`, database.image], env), `starting ${database.container}`);
        }
        writeFileSync(join(state, "nextcloud.env"), "RUN_AS=root\n");
        must(run("restic", ["init", "--repo", repository], env), "restic init");
    } catch (error) {
        close();
        throw error;
    }
    const lab: Lab = {
        root, data, configRoot, repository, state, pgBin, close,
        run: (script, args = [], extra = {}, scripts = BACKUP_SCRIPTS_DIRECTORY) => run("bash", [join(scripts, `${script}.sh`), ...args], { ...env, ...extra }),
        restic: (args, repo = repository) => run("restic", ["--repo", repo, ...args], env),
        sql: (container, database, user, statement) => {
            const host = join(state, container);
            return must(run("runuser", ["-u", "postgres", "--", join(pgBin, "psql"), "-h", host, "-U", user, "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", statement], env), `psql in ${container}`).stdout.trim();
        },
        configWith: (changes, name) => {
            const base = labSettings(root);
            const config = join(etc, name);
            writeConfiguration({ ...base, ...changes, directories: { ...base.directories!, config } });
            return join(config, "backup.env");
        },
        mutant: (script, from, to) => {
            const copy = mkdtempSync(join(root, "mutant-"));
            cpSync(BACKUP_SCRIPTS_DIRECTORY, copy, { recursive: true });
            const target = join(copy, `${script}.sh`);
            const text = spawnSync("cat", [target], { encoding: "utf8" }).stdout;
            if (!text.includes(from)) {
                throw new Error(`the mutant cannot be made: ${script}.sh has no ${JSON.stringify(from)}`);
            }
            writeFileSync(target, text.replace(from, to));
            return copy;
        },
    };
    return lab;
}

/** Writes what the VmBackups installer writes on the VM, into the settings' config folder. */
function writeConfiguration(settings: BackupSettings): void {
    const config = settings.directories!.config;
    mkdirSync(join(config, "apps"), { recursive: true, mode: 0o755 });
    writeFileSync(join(config, "backup.env"), renderBackupEnvironment(settings));
    writeFileSync(join(config, "restic-password"), "correct horse battery staple\n", { mode: 0o600 });
    writeFileSync(join(config, "databases"), renderDatabasesFile(settings.databases));
    writeFileSync(join(config, "paths"), renderPathList(settings.paths));
    writeFileSync(join(config, "excludes"), renderPathList(settings.excludes));
    for (const [app, paths] of Object.entries(settings.appPaths)) {
        writeFileSync(join(config, "apps", `${app}.paths`), renderPathList(paths));
    }
}

/** The settings the VmBackups component would render, pointed at the lab's folders. */
function labSettings(root: string): BackupSettings {
    const etc = join(root, "etc");
    const data = join(root, "data");
    const configRoot = join(root, "home", "docker");
    return {
        repository: join(root, "repository"),
        dataMountPoint: data,
        guardPath: scriptPath("data-disk-guard"),
        paths: [data, configRoot],
        // The live database files: only their dumps are backed up.
        excludes: [join(configRoot, "immich", "postgres")],
        appPaths: { immich: [join(data, "photos"), join(configRoot, "immich")], nextcloud: [join(data, "nextcloud")] },
        databases: DATABASES,
        nextcloudContainer: "nextcloud",
        retention: { daily: 7, weekly: 4, monthly: 6 },
        drillSampleFiles: 1000,
        directories: { config: etc, status: join(root, "status"), dumps: join(root, "dumps"), cache: join(root, "cache"), drill: root },
    };
}
