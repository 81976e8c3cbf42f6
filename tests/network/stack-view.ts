// What the network tier takes from a stack's offline plan (secrets revealed: it runs the very files
// the program builds): the WireGuard container and its configuration command, the VM, the router's
// port forward, the peers' client files, the app names, the DNS configuration and the certificates.
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { planStackText } from "../../tools/plan/harness";
import { committedStackText } from "../helpers/stack-text";
import { plannedNames } from "./plan-names";
import type { PlannedNames } from "./plan-names";

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
    /** Every name the DNS answers → its address. */
    readonly names: PlannedNames["names"];
    /** The names the VM's proxy must serve over HTTPS: those whose address is the VM's. */
    readonly httpsNames: readonly string[];
    /** The CA and the leaves, as the plan declares them. */
    readonly certificates: PlannedNames["certificates"];
    /** The DNS server: its address and the plan's configuration command. */
    readonly dns: PlannedNames["dns"];
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

/** Reads the network tier's inputs from a plan made with secrets revealed. */
export function viewOf(plan: Plan): StackView {
    const container = resource(plan, (candidate) => candidate.type === "proxmoxve:index/containerLegacy:ContainerLegacy", "WireGuard container");
    const vm = resource(plan, (candidate) => candidate.type === "proxmoxve:index/vmLegacy:VmLegacy", "VM");
    const configCommand = resource(plan, (candidate) => candidate.name.endsWith("-wireguard-config"), "WireGuard configuration command");
    const probe = resource(plan, (candidate) => candidate.name.endsWith("-probe-run"), "post-deploy probe");
    const server = firstIpConfig(container.inputs);
    const interfaces = container.inputs["networkInterfaces"] as { name: string }[];
    const outputs = plan.outputs as Record<string, unknown>;
    const vmAddress = firstIpConfig(vm.inputs).address;
    const names = plannedNames(plan);
    return {
        stack: plan.stack,
        plan,
        containerId: Number(container.inputs["vmId"]),
        serverAddress: server.address,
        serverInterface: interfaces[0]!.name,
        gateway: server.gateway,
        vmAddress,
        portForward: parsePortForward(String(outputs["wireguardPortForward"])),
        configCommand: { create: String(configCommand.inputs["create"]), stdin: String(configCommand.inputs["stdin"]) },
        probeCommand: { create: String(probe.inputs["create"]), stdin: typeof probe.inputs["stdin"] === "string" ? probe.inputs["stdin"] : "" },
        peers: peerViews(outputs),
        names: names.names,
        httpsNames: Object.entries(names.names).filter(([, address]) => address === vmAddress.split("/")[0]).map(([name]) => name),
        certificates: names.certificates,
        dns: names.dns,
    };
}

/** Plans a stack (its committed file, or `text`) with secrets revealed, and reads it. */
export async function viewStack(stack: string, text: string = committedStackText(stack)): Promise<StackView> {
    return viewOf(await planStackText(stack, text, true));
}
