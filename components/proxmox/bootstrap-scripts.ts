// Pure rendering for the Docker host bootstrap: the remote command lines that carry the scripts in
// ./scripts, and the files those scripts install (daemon.json, the docker.service drop-in, the
// directory list). No Pulumi resources here, so all of it is tested on its own.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HostDirectory } from "../docker/host-directory";
import { VM_USER_ID } from "../docker/host-directory";

/** The bootstrap scripts, in the order they run. */
export const BOOTSTRAP_SCRIPTS = ["wait-cloud-init", "system-settings", "data-disk", "install-docker", "docker-daemon", "directories"] as const;
/** One bootstrap step; each runs the script of the same name. */
export type BootstrapStep = (typeof BOOTSTRAP_SCRIPTS)[number];
export type BootstrapScript = BootstrapStep | "data-disk-guard";

/** Where the data-disk guard is installed on the VM. */
export const GUARD_PATH = "/usr/local/sbin/homelab-data-disk-guard";
/** How long systemd lets dockerd stop: more than the longest container stop timeout (the databases' 90 s) plus dockerd's 5 s. */
export const DOCKER_STOP_TIMEOUT_SECONDS = 150;
/** The serial Proxmox gives the dev stack's virtual data disk, which the bootstrap finds it by. */
export const VIRTUAL_DATA_DISK_SERIAL = "homelab-data";

export const SCRIPTS_DIRECTORY = join(__dirname, "scripts");

export function scriptPath(script: BootstrapScript): string {
    return join(SCRIPTS_DIRECTORY, `${script}.sh`);
}

export function readScript(script: BootstrapScript): string {
    return readFileSync(scriptPath(script), "utf8");
}

/** Environment variable names and values a script may receive: plain names, values without newlines. */
const ENVIRONMENT_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Quotes a value for a POSIX shell: single quotes, with embedded single quotes closed and escaped. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The first 16 hex digits of the SHA-256 of the script and its environment: what makes a step re-run. */
export function stepHash(script: string, environment: Readonly<Record<string, string>>): string {
    const hash = createHash("sha256").update(script);
    for (const name of Object.keys(environment).sort()) {
        hash.update(`\0${name}=${environment[name]}`);
    }
    return hash.digest("hex").slice(0, 16);
}

/**
 * The command line that runs `script` on the VM as root with `environment`. The script travels inside
 * the command (base64), so a change to it, or to its environment, changes the command and Pulumi runs
 * it again as an update; the leading `:` line names the step and its content hash for humans reading a
 * diff. Written to a temporary file rather than piped into `bash -s`, so that a command in the script
 * that reads stdin cannot swallow the rest of it. Never pass secrets: the command text is logged.
 */
export function remoteScriptCommand(step: string, script: string, environment: Readonly<Record<string, string>> = {}): string {
    for (const [name, value] of Object.entries(environment)) {
        if (!ENVIRONMENT_NAME.test(name) || /[\n\r\0]/.test(value)) {
            throw new Error(`bootstrap step ${step}: bad environment entry ${name} (upper-case name, single-line value)`);
        }
    }
    const encoded = Buffer.from(script, "utf8").toString("base64");
    const assignments = Object.keys(environment)
        .sort()
        .map((name) => `${name}=${shellQuote(environment[name]!)}`);
    return [
        `: homelab bootstrap step=${step} sha256=${stepHash(script, environment)}`,
        `script=$(mktemp) && trap 'rm -f "$script"' EXIT`,
        `echo ${shellQuote(encoded)} | base64 -d > "$script"`,
        `sudo env ${[...assignments, "bash", '"$script"'].join(" ")}`,
    ].join("\n");
}

/** What the Docker daemon is configured with. */
export interface DaemonSettings {
    /** Size at which a container's log file is rotated, in MiB. Required. */
    readonly logMaxSizeMiB: number;
    /** Rotated log files kept per container. Required. */
    readonly logMaxFiles: number;
}

/** Docker on the VM: log rotation and the pinned apt versions of its packages. */
export interface DockerSettings extends DaemonSettings {
    /** apt version of docker-ce and docker-ce-cli. Required. */
    readonly engineVersion: string;
    /** apt version of containerd.io. Required. */
    readonly containerdVersion: string;
    /** apt version of docker-compose-plugin. Required. */
    readonly composeVersion: string;
}

/**
 * /etc/docker/daemon.json. json-file with rotation (the default driver keeps logs forever); log-opts
 * values must be strings. live-restore is off: with it, dockerd leaves the containers running when
 * it stops, so at the VM's shutdown nothing gives Postgres its stop signal and stop timeout; without
 * it, dockerd stops every container itself (each with its own StopTimeout) and the restart policy
 * brings them back at boot. The price: a restart or upgrade of Docker restarts the containers.
 */
export function renderDaemonJson(settings: DaemonSettings): string {
    const daemon = {
        "log-driver": "json-file",
        "log-opts": { "max-size": `${settings.logMaxSizeMiB}m`, "max-file": String(settings.logMaxFiles) },
        "live-restore": false,
    };
    return `${JSON.stringify(daemon, null, 2)}\n`;
}

/**
 * The docker.service drop-in: RequiresMountsFor= makes systemd start Docker only after the data disk's
 * mount and stop it when the mount goes away; the guard as ExecStartPre= refuses a start (manual or by
 * socket activation) while nothing is mounted there, even if the mount unit is missing.
 */
export function renderDockerDropIn(mountPoint: string, guardPath: string = GUARD_PATH): string {
    return [
        "# Written by the homelab bootstrap: Docker runs only while the data disk is mounted.",
        "[Unit]",
        `RequiresMountsFor=${mountPoint}`,
        "",
        "[Service]",
        `ExecStartPre=${guardPath} ${mountPoint}`,
        // dockerd waits for the longest container StopTimeout (+5 s) at shutdown; systemd's default
        // 90 s would kill it before a database with 90 s had finished.
        `TimeoutStopSec=${DOCKER_STOP_TIMEOUT_SECONDS}`,
        "",
    ].join("\n");
}

/** Where things live on the VM. */
export interface VmLayout {
    /** The VM user's home directory. */
    readonly homeDirectory: string;
    /** App configuration: `<home>/docker/<app>` on the VM disk. */
    readonly configRoot: string;
    /** Where the data disk is mounted. */
    readonly dataMountPoint: string;
}

export function vmLayout(user: string, dataMountPoint: string): VmLayout {
    const homeDirectory = `/home/${user}`;
    return { homeDirectory, configRoot: `${homeDirectory}/docker`, dataMountPoint };
}

/** The media folders the owner keeps on the data disk. */
export const MEDIA_FOLDERS = ["movies", "tv", "music", "photos"] as const;

/** The owner's base layout: `~/docker` on the VM disk and the media folders on the data disk. */
export function baseDirectories(layout: VmLayout): HostDirectory[] {
    const owner = `${VM_USER_ID}:${VM_USER_ID}`;
    return [
        { path: layout.configRoot, owner, mode: "0755" },
        ...MEDIA_FOLDERS.map((folder) => ({ path: `${layout.dataMountPoint}/${folder}`, owner, mode: "0755" })),
    ];
}

const DIRECTORY_PATH = /^\/[A-Za-z0-9._/-]+$/;

/** Problems with one directory request, in words; empty when it is fine. */
export function directoryProblems(directory: HostDirectory): string[] {
    const problems: string[] = [];
    if (!DIRECTORY_PATH.test(directory.path) || directory.path.split("/").some((part) => part === "..") || directory.path.endsWith("/")) {
        problems.push(`path ${JSON.stringify(directory.path)} must be absolute, without a trailing slash, spaces, quotes or ..`);
    }
    if (!/^\d+:\d+$/.test(directory.owner)) {
        problems.push(`owner ${JSON.stringify(directory.owner)} must be numeric uid:gid`);
    }
    if (!/^0?[0-7]{3}$/.test(directory.mode)) {
        problems.push(`mode ${JSON.stringify(directory.mode)} must be octal such as 0750`);
    }
    return problems;
}

/**
 * The list directories.sh reads: one "path owner mode" line per directory, parents before children,
 * each path once. Throws on a malformed request or on one path requested with two owners or modes.
 */
export function renderDirectoryList(directories: readonly HostDirectory[]): string {
    const byPath = new Map<string, HostDirectory>();
    for (const directory of directories) {
        const problems = directoryProblems(directory);
        if (problems.length > 0) {
            throw new Error(`host directory ${directory.path}: ${problems.join("; ")}`);
        }
        const previous = byPath.get(directory.path);
        if (previous !== undefined && (previous.owner !== directory.owner || previous.mode !== directory.mode)) {
            throw new Error(`host directory ${directory.path} is requested twice: ${previous.owner} ${previous.mode} and ${directory.owner} ${directory.mode}`);
        }
        byPath.set(directory.path, directory);
    }
    return [...byPath.values()]
        .sort((first, second) => (first.path < second.path ? -1 : first.path > second.path ? 1 : 0))
        .map((directory) => `${directory.path} ${directory.owner} ${directory.mode}\n`)
        .join("");
}

/** The Docker provider's host for the VM, over SSH. */
export function dockerSshUrl(user: string, address: string): string {
    return `ssh://${user}@${address}`;
}
