// The homelab's DNS configuration, exactly as the prod plan writes it, checked by the real dnsmasq:
// `dnsmasq --test`, then served on loopback (high ports) with a second dnsmasq standing in for the
// router, and asked with dig. Only 127.0.0.1 and documentation addresses are used.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "../../tools/plan/capture";
import { planStack, resourceByName } from "../helpers/plan";
import { requireTool, runTool } from "../helpers/system-tools";
import { PROJECT_ROOT } from "../../tools/paths";

const LOOPBACK = "127.0.0.1";
let plan: Plan;
let planText: string;
let folder: string;
const started: ChildProcess[] = [];
let homelabPort: number;

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const socket = createSocket("udp4");
        socket.on("error", reject);
        socket.bind(0, LOOPBACK, () => {
            const { port } = socket.address();
            socket.close(() => resolve(port));
        });
    });
}

function startDnsmasq(name: string, text: string): void {
    const path = join(folder, `${name}.conf`);
    writeFileSync(path, text);
    const test = runTool("dnsmasq", ["--test", `--conf-file=${path}`]);
    expect(`${test.stdout}${test.stderr}`).toContain("syntax check OK");
    started.push(spawn("dnsmasq", [`--conf-file=${path}`, "--keep-in-foreground", `--pid-file=${join(folder, `${name}.pid`)}`, "--log-facility=-"], { stdio: "ignore" }));
}

function dig(port: number, name: string, type = "A"): { status: string; answers: string[] } {
    const result = runTool("dig", [`@${LOOPBACK}`, "-p", String(port), "+time=1", "+tries=1", "+noall", "+comments", "+answer", name, type]);
    const status = /status: ([A-Z]+)/.exec(result.stdout)?.[1] ?? `no answer (${result.stdout}${result.stderr})`;
    const answers = result.stdout.split("\n").filter((line) => line !== "" && !line.startsWith(";")).map((line) => line.split(/\s+/).at(-1)!);
    return { status, answers };
}

async function waitForServer(port: number): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
        if (!dig(port, "pve.home.arpa").status.startsWith("no answer")) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`dnsmasq did not answer on ${LOOPBACK}:${port} within 5 s`);
}

beforeAll(async () => {
    requireTool("dnsmasq", "dnsmasq-base");
    requireTool("dig", "bind9-dnsutils");
    requireTool("shellcheck", "shellcheck");
    plan = await planStack("prod");
    planText = String(resourceByName(plan, "homelab-dns-config").inputs["stdin"]);
    folder = mkdtempSync(join(tmpdir(), "homelab-dnsmasq-"));
    homelabPort = await freePort();
    const routerPort = await freePort();
    // The router's stand-in: it knows one outside name, and a plain name the homelab must never forward.
    startDnsmasq("router", [`port=${routerPort}`, `listen-address=${LOOPBACK}`, "bind-interfaces", "no-resolv", "no-hosts",
        "host-record=outside.example.org,203.0.113.7", "host-record=plainname,203.0.113.9", ""].join("\n"));
    // The plan's text with only where it listens and where it forwards moved to loopback.
    const moved = planText
        .replace(/^port=53$/m, `port=${homelabPort}`)
        .replace(/^listen-address=192\.168\.1\.90$/m, `listen-address=${LOOPBACK}`)
        .replace(/^server=192\.168\.1\.1$/m, `server=${LOOPBACK}#${routerPort}`);
    expect(moved.split("\n").filter((line, index) => line !== planText.split("\n")[index])).toHaveLength(3);
    startDnsmasq("homelab", moved);
    await waitForServer(homelabPort);
}, 60_000);

afterAll(() => {
    for (const child of started) {
        child.kill("SIGTERM");
    }
    rmSync(folder, { recursive: true, force: true });
});

describe("the prod DNS configuration under the real dnsmasq", () => {
    it("passes dnsmasq --test exactly as the plan writes it", () => {
        const path = join(folder, "exact.conf");
        writeFileSync(path, planText);
        const result = runTool("dnsmasq", ["--test", `--conf-file=${path}`]);
        expect(result.status).toBe(0);
        expect(`${result.stdout}${result.stderr}`).toContain("syntax check OK");
    });

    it("answers every name in the dnsRecords output with its address", () => {
        const records = plan.outputs["dnsRecords"] as Record<string, string>;
        expect(Object.keys(records)).toHaveLength(6);
        for (const [name, address] of Object.entries(records)) {
            expect({ name, ...dig(homelabPort, name) }).toEqual({ name, status: "NOERROR", answers: [address] });
        }
    });

    it("never asks the router about its names: an empty AAAA answer, and no such name below them", () => {
        // Forwarded, the router's NXDOMAIN for the AAAA query can make a client drop the name altogether.
        expect(dig(homelabPort, "photos.home.arpa", "AAAA")).toEqual({ status: "NOERROR", answers: [] });
        expect(dig(homelabPort, "sub.photos.home.arpa")).toEqual({ status: "NXDOMAIN", answers: [] });
    });

    it("forwards every other name to the router, but never a plain name without a dot", () => {
        expect(dig(homelabPort, "outside.example.org")).toEqual({ status: "NOERROR", answers: ["203.0.113.7"] });
        expect(dig(homelabPort, "plainname").answers).toEqual([]);
    });
});

describe("the script that writes it into the container", () => {
    it("passes shellcheck", () => {
        const result = runTool("shellcheck", ["--shell=bash", join(PROJECT_ROOT, "components", "dns", "configure-dnsmasq.sh")]);
        expect(result.stdout + result.stderr).toBe("");
        expect(result.status).toBe(0);
    });

    it("is the script the plan's command runs", () => {
        const script = readFileSync(join(PROJECT_ROOT, "components", "dns", "configure-dnsmasq.sh"), "utf8");
        const create = String(resourceByName(plan, "homelab-dns-config").inputs["create"]);
        expect(create).toContain("pct exec 110 -- bash -c ");
        expect(create).toContain(script.split("\n")[4]!);
    });
});
