// The mechanics of the network tier: network namespaces this run creates (and only those), veth
// links made directly inside them, commands run inside them with a private view of the files the
// WireGuard tools and daemons write, and a teardown that kills every process and deletes every
// namespace by name, which also removes every link (a veth end dies with its namespace).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The stand-ins and the entry script, committed next to this file. */
export const STAND_INS = join(__dirname, "stand-ins");

/** The tools the tier runs, and the Debian package each comes from. */
export const REQUIRED_TOOLS: Readonly<Record<string, string>> = {
    ip: "iproute2",
    unshare: "util-linux",
    "wireguard-go": "wireguard-go",
    wg: "wireguard-tools",
    "wg-quick": "wireguard-tools",
    iptables: "iptables",
    nft: "nftables",
    dnsmasq: "dnsmasq-base",
    nginx: "nginx",
    openssl: "openssl",
    curl: "curl",
    dig: "bind9-dnsutils",
};

/** Throws (the tier fails, never skips) when not root or a tool is missing. */
export function requireNetworkTools(): void {
    if (process.getuid?.() !== 0) {
        throw new Error("the network tier needs root (network namespaces): run it as root, as .ci/run does");
    }
    const missing = Object.entries(REQUIRED_TOOLS).filter(([tool]) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);
    if (missing.length > 0) {
        throw new Error(`the network tier needs: ${missing.map(([tool, pkg]) => `${tool} (apt-get install ${pkg})`).join(", ")}`);
    }
}

export interface RunResult {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

export interface RunOptions {
    /** Text on stdin. Default: none. */
    readonly input?: string;
    /** Milliseconds before the command is killed. Default: 15000. */
    readonly timeoutMs?: number;
    /** Extra environment. Default: none. */
    readonly env?: Readonly<Record<string, string>>;
}

/** Runs a command in the root namespace (only `ip` to manage our namespaces, and file tools). */
export function run(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
    const result = spawnSync(command, [...args], {
        encoding: "utf8",
        input: options.input ?? "",
        timeout: options.timeoutMs ?? 15_000,
        killSignal: "SIGKILL",
        env: { ...process.env, ...options.env },
    });
    return { status: result.status ?? -1, stdout: result.stdout ?? "", stderr: `${result.stderr ?? ""}${result.error === undefined ? "" : String(result.error)}` };
}

/** Like run, but throws with the output when the command fails. */
export function must(command: string, args: readonly string[], options: RunOptions = {}): string {
    const result = run(command, args, options);
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
    return result.stdout;
}

/** The files each namespace sees privately (bind-mounted over the real paths by stand-ins/enter.sh). */
const PRIVATE_PATHS = ["etc/wireguard", "run/wireguard", "etc/sysctl.d", "etc/dnsmasq.d", "etc/resolv.conf"] as const;

/** One run's namespaces, named `<prefix>-<role>`, and their private directories under one root. */
export class World {
    readonly prefix: string;
    readonly root: string;
    private readonly namespaces: string[] = [];

    constructor(runId: string = process.env["HOMELAB_NETWORK_RUN_ID"] ?? `hlnet${process.pid}`) {
        this.prefix = runId;
        this.root = mkdtempSync(join(tmpdir(), `${runId}-`));
        chmodSync(this.root, 0o700);
        // The real paths must exist to be mounted over; wireguard-tools brings /etc/wireguard.
        for (const path of ["/etc/wireguard", "/run/wireguard", "/etc/sysctl.d", "/etc/dnsmasq.d"]) {
            mkdirSync(path, { recursive: true });
        }
    }

    /** The namespace's full name. */
    nameOf(role: string): string {
        return `${this.prefix}-${role}`;
    }

    /** A namespace's private directory (its /etc/wireguard, /run/wireguard, ... and its daemons' files). */
    directoryOf(role: string): string {
        return join(this.root, role);
    }

    /** Creates a namespace with loopback up and its private files. */
    addNamespace(role: string): void {
        const name = this.nameOf(role);
        must("ip", ["netns", "add", name]);
        this.namespaces.push(role);
        const directory = this.directoryOf(role);
        for (const path of PRIVATE_PATHS) {
            if (path === "etc/resolv.conf") {
                mkdirSync(join(directory, "etc"), { recursive: true });
                writeFileSync(join(directory, path), "# no DNS server configured in this namespace\n");
            } else {
                mkdirSync(join(directory, path), { recursive: true, mode: 0o700 });
            }
        }
        this.exec(role, ["ip", "link", "set", "lo", "up"]);
    }

    /** A veth pair created directly inside the two namespaces: never a link in the root namespace. */
    addLink(first: { role: string; name: string }, second: { role: string; name: string }): void {
        must("ip", ["link", "add", first.name, "netns", this.nameOf(first.role), "type", "veth", "peer", "name", second.name, "netns", this.nameOf(second.role)]);
    }

    /** Runs a command in a namespace, seeing its private files and the stand-ins first on PATH. */
    run(role: string, command: readonly string[], options: RunOptions = {}): RunResult {
        return run("ip", ["netns", "exec", this.nameOf(role), join(STAND_INS, "enter.sh"), this.directoryOf(role), ...command], {
            ...options,
            env: { ...this.standInEnvironment(), ...options.env },
        });
    }

    /** Like run, but throws with the output when the command fails. */
    exec(role: string, command: readonly string[], options: RunOptions = {}): string {
        const result = this.run(role, command, options);
        if (result.status !== 0) {
            throw new Error(`[${role}] ${command.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
        }
        return result.stdout;
    }

    /** Writes a file into a namespace's private directory; returns its path. */
    writeFile(role: string, relativePath: string, text: string, mode = 0o600): string {
        const path = join(this.directoryOf(role), relativePath);
        mkdirSync(join(path, ".."), { recursive: true });
        writeFileSync(path, text, { mode });
        return path;
    }

    /** Container ids the `pct` stand-in maps to namespaces. */
    private readonly containers = new Map<number, string>();

    /** Lets `pct exec <containerId>` enter this namespace (the WireGuard container's stand-in). */
    registerContainer(containerId: number, role: string): void {
        this.containers.set(containerId, role);
    }

    private standInEnvironment(): Record<string, string> {
        return {
            HOMELAB_NETWORK_PREFIX: this.prefix,
            HOMELAB_NETWORK_ROOT: this.root,
            HOMELAB_NETWORK_CONTAINERS: [...this.containers].map(([id, role]) => `${id}=${role}`).join(" "),
        };
    }

    /** The environment under which the plan's commands run on "the Proxmox host" (with `pct` a stand-in). */
    hostEnvironment(): Record<string, string> {
        return { ...this.standInEnvironment(), PATH: `${join(STAND_INS, "bin")}:${process.env["PATH"] ?? ""}` };
    }

    /** The process ids inside one of our namespaces. */
    pidsOf(role: string): number[] {
        return run("ip", ["netns", "pids", this.nameOf(role)]).stdout.split("\n").filter((line) => line.trim() !== "").map(Number);
    }

    /** Kills every process in our namespaces (by pid), deletes the namespaces and the private files. */
    teardown(): void {
        for (let round = 0; round < 20; round++) {
            const pids = this.namespaces.flatMap((role) => this.pidsOf(role));
            if (pids.length === 0) {
                break;
            }
            for (const pid of pids) {
                try {
                    process.kill(pid, round < 5 ? "SIGTERM" : "SIGKILL");
                } catch {
                    // Already gone.
                }
            }
            spawnSync("sleep", ["0.1"]);
        }
        for (const role of this.namespaces.splice(0)) {
            run("ip", ["netns", "delete", this.nameOf(role)]);
        }
        rmSync(this.root, { recursive: true, force: true });
    }

    /** What this run left behind: namespaces with its prefix and its private files. */
    leftovers(): string[] {
        const namespaces = run("ip", ["netns", "list"]).stdout.split("\n").map((line) => line.split(" ")[0] ?? "").filter((name) => name.startsWith(`${this.prefix}-`));
        return [...namespaces.map((name) => `namespace ${name}`), ...(existsSync(this.root) ? [`directory ${this.root}`] : [])];
    }
}
