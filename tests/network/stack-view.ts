// What the network tier takes from a stack's offline plan (secrets revealed: it runs the very files
// the program builds): the WireGuard container and its configuration command, the VM, the router's
// port forward, the peers' client files, the app names, the DNS configuration and the certificates.
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { planStackText } from "../../tools/plan/harness";
import { parseDocument } from "yaml";
import { committedStackText } from "../helpers/stack-text";

/** A port forward as the plan states it: "UDP 51820 → 192.168.1.90:51820". */
export interface PortForward {
    readonly port: number;
    readonly toAddress: string;
    readonly toPort: number;
}

export interface PeerView {
    readonly name: string;
    /** The client file exactly as the stack output gives it. */
    readonly config: string;
    /** full when the file routes everything (0.0.0.0/0) into the tunnel. */
    readonly routing: "split" | "full";
    /** The peer's tunnel address. */
    readonly address: string;
}

/** One certificate's parameters, as the plan gives them to the certificate resources. */
export interface CertificateSpec {
    readonly commonName: string;
    readonly organization?: string;
    /** Subject alternative names (DNS). Empty for the CA. */
    readonly dnsNames: readonly string[];
    readonly validityHours: number;
    readonly isCa: boolean;
    /** The key's curve (openssl's name), e.g. prime256v1. */
    readonly curve: string;
}

export interface StackView {
    readonly stack: string;
    readonly plan: Plan;
    /** The WireGuard container's VMID (what `pct exec` names). */
    readonly containerId: number;
    /** The container's address with prefix, e.g. 192.168.1.90/24, and its LAN interface. */
    readonly serverAddress: string;
    readonly serverInterface: string;
    /** The LAN's router (every LAN host's gateway). */
    readonly gateway: string;
    /** The VM's address with prefix. */
    readonly vmAddress: string;
    readonly portForward: PortForward;
    /** The configuration command: its text, run on the Proxmox host, and wg0.conf on its stdin. */
    readonly configCommand: { readonly create: string; readonly stdin: string };
    /** The post-deploy probe's command text (run on the Proxmox host) and its stdin, the CA. */
    readonly probeCommand: { readonly create: string; readonly stdin: string };
    readonly peers: readonly PeerView[];
    /** hostname → the address the names must resolve to. */
    readonly names: Readonly<Record<string, string>>;
    /** The CA and one leaf per app name. */
    readonly certificates: { readonly ca: CertificateSpec; readonly leaves: readonly CertificateSpec[] };
    /** The DNS server's configuration (dnsmasq) and the address it answers on. */
    readonly dns: { readonly config: string; readonly address: string };
}

function resource(plan: Plan, predicate: (candidate: PlannedResource) => boolean, what: string): PlannedResource {
    const found = plan.resources.filter(predicate);
    if (found.length !== 1) {
        throw new Error(`${plan.stack}: expected one ${what} in the plan, found ${found.length}`);
    }
    return found[0]!;
}

function record(value: unknown, what: string): Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new Error(`expected ${what} to be an object, got ${JSON.stringify(value)}`);
    }
    return value as Record<string, unknown>;
}

function firstIpConfig(inputs: Record<string, unknown>): { address: string; gateway: string } {
    const initialization = record(inputs["initialization"], "initialization");
    const ipConfigs = initialization["ipConfigs"] as { ipv4: { address: string; gateway: string } }[];
    return ipConfigs[0]!.ipv4;
}

export function parsePortForward(text: string): PortForward {
    const match = /^UDP (\d+) → ([\d.]+):(\d+)$/.exec(text);
    if (match === null) {
        throw new Error(`unexpected port forward text: ${text}`);
    }
    return { port: Number(match[1]), toAddress: match[2]!, toPort: Number(match[3]) };
}

function peerViews(outputs: Record<string, unknown>): PeerView[] {
    const peers = record(outputs["wireguardPeers"], "the wireguardPeers output");
    return Object.entries(peers).map(([name, value]) => {
        const config = String(record(value, `peer ${name}`)["config"]);
        const allowed = /^AllowedIPs = (.*)$/m.exec(config)?.[1] ?? "";
        const address = /^Address = ([\d.]+)\//m.exec(config)?.[1] ?? "";
        return { name, config, routing: allowed.split(", ").includes("0.0.0.0/0") ? "full" : "split", address };
    });
}

/**
 * TEMPORARY STAND-IN (until the DNS server and the certificates are in the plan): the names are the
 * dnsRecords output, the DNS server is a dnsmasq answering them on the WireGuard container's
 * address, and the certificates are a CA and one ECDSA P-256 leaf per name.
 */
function standInNamesDnsAndCertificates(outputs: Record<string, unknown>, serverAddress: string): Pick<StackView, "names" | "certificates" | "dns"> {
    const names = record(outputs["dnsRecords"], "the dnsRecords output") as Record<string, string>;
    const address = serverAddress.split("/")[0]!;
    const config = [
        "no-resolv",
        "no-hosts",
        `listen-address=${address}`,
        "bind-interfaces",
        ...Object.entries(names).map(([name, target]) => `host-record=${name},${target}`),
        "",
    ].join("\n");
    return {
        names,
        dns: { config, address },
        certificates: {
            ca: { commonName: "homelab CA", dnsNames: [], validityHours: 87600, isCa: true, curve: "prime256v1" },
            leaves: Object.keys(names).map((name) => ({ commonName: name, dnsNames: [name], validityHours: 9528, isCa: false, curve: "prime256v1" })),
        },
    };
}

/** Reads the network tier's inputs from a plan made with secrets revealed. */
export function viewOf(plan: Plan): StackView {
    const container = resource(plan, (candidate) => candidate.type === "proxmoxve:index/containerLegacy:ContainerLegacy", "WireGuard container");
    const vm = resource(plan, (candidate) => candidate.type === "proxmoxve:index/vmLegacy:VmLegacy", "VM");
    const configCommand = resource(plan, (candidate) => candidate.name.endsWith("-wireguard-config"), "WireGuard configuration command");
    const probe = resource(plan, (candidate) => candidate.name.endsWith("-probe-run"), "post-deploy probe");
    const server = firstIpConfig(container.inputs);
    const interfaces = container.inputs["networkInterfaces"] as { name: string }[];
    const outputs = plan.outputs as Record<string, unknown>;
    return {
        stack: plan.stack,
        plan,
        containerId: Number(container.inputs["vmId"]),
        serverAddress: server.address,
        serverInterface: interfaces[0]!.name,
        gateway: server.gateway,
        vmAddress: firstIpConfig(vm.inputs).address,
        portForward: parsePortForward(String(outputs["wireguardPortForward"])),
        configCommand: { create: String(configCommand.inputs["create"]), stdin: String(configCommand.inputs["stdin"]) },
        probeCommand: { create: String(probe.inputs["create"]), stdin: typeof probe.inputs["stdin"] === "string" ? probe.inputs["stdin"] : "" },
        peers: peerViews(outputs),
        ...standInNamesDnsAndCertificates(outputs, server.address),
    };
}

/**
 * TEMPORARY STAND-IN (until the stacks point the peers' DNS at the homelab DNS server): the peers'
 * DNS is set to the WireGuard container's own address through the existing `wireguard.dns` key.
 */
function withStandInPeerDns(text: string): string {
    const document = parseDocument(text);
    const data = document.toJS() as { config: Record<string, { address: string; dns?: string[] }> };
    const wireguard = data.config["homelab:wireguard"]!;
    wireguard.dns ??= [wireguard.address.split("/")[0]!];
    return `${JSON.stringify(data, null, 2)}\n`;
}

/** Plans a stack (its committed file, or `text`) with secrets revealed, and reads it. */
export async function viewStack(stack: string, text: string = committedStackText(stack)): Promise<StackView> {
    return viewOf(await planStackText(stack, withStandInPeerDns(text), true));
}
