// The small internet the network tier builds: an "internet" hub with a web server and the peers on
// it, the home router (WAN on the hub, the LAN behind it, the plans' port forwards, NAT out of the
// WAN, no route to any tunnel subnet), and on the LAN each stack's WireGuard container (configured
// by the plan's own command, with its DNS server) and VM (nginx serving HTTPS for every app name).
// Addresses: the stacks' own LAN values, and only documentation ranges on the internet side.
import { join } from "node:path";
import { makeCertificates } from "./certificates";
import type { IssuedCertificates } from "./certificates";
import type { RunResult, World } from "./namespaces";
import { run } from "./namespaces";
import type { PeerView, StackView } from "./stack-view";

/**
 * The internet side, all in documentation ranges (RFC 5737, RFC 3849). The web server sits on a
 * subnet of its own: wg-quick keeps more specific routes than the default out of a full tunnel, so
 * a web server on the peers' own link would be reached around the tunnel by design.
 */
export const INTERNET = {
    /** The hub: the ISP side of the router's WAN, the peers' gateway, and the web server's gateway. */
    hubAddresses: ["203.0.113.254/24", "198.51.100.1/24"],
    hubAddresses6: ["2001:db8:1::1/64", "2001:db8:2::1/64"],
    /** The home router's public address: what the peers' Endpoint is rewritten to. */
    routerWan: "203.0.113.1",
    web: "203.0.113.80",
    web6: "2001:db8:2::80",
} as const;

/** A host on the hub: its addresses (with prefix) and its gateways. */
interface InternetHost {
    readonly v4: string;
    readonly v6: string;
    readonly gateway: string;
    readonly gateway6: string;
}

const WEB_HOST: InternetHost = { v4: `${INTERNET.web}/24`, v6: `${INTERNET.web6}/64`, gateway: "203.0.113.254", gateway6: "2001:db8:2::1" };

/** The n-th peer's own internet addresses. */
export function peerInternetAddresses(index: number): { v4: string; v6: string } {
    return { v4: `198.51.100.${10 + index}`, v6: `2001:db8:1::${(0x10 + index).toString(16)}` };
}

/** A wg-quick interface name for a peer: its own name when Linux allows it, else a numbered one. */
export function tunnelInterfaceName(peerName: string, index: number): string {
    return /^[A-Za-z0-9_=+.-]{1,15}$/.test(peerName) ? peerName : `peer${index}`;
}

/** A peer's client file with only the Endpoint's host rewritten to the router's WAN address. */
export function withRouterEndpoint(config: string): string {
    const rewritten = config.replace(/^Endpoint = .*:(\d+)$/m, `Endpoint = ${INTERNET.routerWan}:$1`);
    if (rewritten === config) {
        throw new Error("the peer file has no Endpoint line to rewrite");
    }
    return rewritten;
}

export interface PeerInLab {
    readonly stack: StackView;
    readonly peer: PeerView;
    readonly role: string;
    readonly tunnelInterface: string;
    readonly internet: { v4: string; v6: string };
}

/** Roles (namespace suffixes) of one stack's LAN hosts. */
export function stackRoles(view: StackView): { server: string; vm: string } {
    return { server: `${view.stack}-wireguard`, vm: `${view.stack}-vm` };
}

export class Lab {
    readonly peers: PeerInLab[] = [];
    readonly certificates = new Map<string, IssuedCertificates>();
    private peerCount = 0;

    constructor(readonly world: World, readonly stacks: readonly StackView[]) {}

    /** Builds everything; the peers' tunnels come up last. */
    build(): void {
        this.buildInternet();
        this.buildRouter();
        for (const view of this.stacks) {
            this.buildServer(view);
            this.buildVm(view);
        }
        for (const view of this.stacks) {
            for (const peer of view.peers) {
                this.addPeer(view, peer, peer.config);
            }
        }
    }

    private buildInternet(): void {
        const { world } = this;
        world.addNamespace("internet");
        // A fixed (locally administered) MAC: a bridge otherwise takes its lowest port's, so adding a
        // port would change it under the neighbours' ARP caches.
        world.exec("internet", ["ip", "link", "add", "hub", "address", "02:00:00:00:00:01", "type", "bridge"]);
        world.exec("internet", ["ip", "link", "set", "hub", "up"]);
        for (const address of INTERNET.hubAddresses) {
            world.exec("internet", ["ip", "address", "add", address, "dev", "hub"]);
        }
        for (const address of INTERNET.hubAddresses6) {
            world.exec("internet", ["ip", "address", "add", address, "dev", "hub", "nodad"]);
        }
        world.exec("internet", ["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]);
        world.exec("internet", ["sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1"]);
        this.attachToInternet("web", "i-web", WEB_HOST);
        // The internet web server answers with the address it sees: the test's view of which way traffic went.
        const directory = world.directoryOf("web");
        world.writeFile("web", "nginx.conf", [
            `pid ${directory}/nginx.pid;`,
            `error_log ${directory}/nginx-error.log;`,
            "events { worker_connections 64; }",
            "http {",
            "    access_log off;",
            `    client_body_temp_path ${directory}/body;`,
            `    server { listen ${INTERNET.web}:80; listen [${INTERNET.web6}]:80; return 200 "$remote_addr\\n"; }`,
            "}",
            "",
        ].join("\n"));
        world.exec("web", ["nginx", "-e", join(directory, "nginx-startup.log"), "-p", directory, "-c", join(directory, "nginx.conf")]);
    }

    /** A namespace on the internet hub with its own addresses and default routes via the hub. */
    private attachToInternet(role: string, hubPort: string, host: InternetHost): void {
        const { world } = this;
        world.addNamespace(role);
        world.addLink({ role: "internet", name: hubPort }, { role, name: "eth0" });
        world.exec("internet", ["ip", "link", "set", hubPort, "master", "hub", "up"]);
        world.exec(role, ["ip", "address", "add", host.v4, "dev", "eth0"]);
        world.exec(role, ["ip", "address", "add", host.v6, "dev", "eth0", "nodad"]);
        world.exec(role, ["ip", "link", "set", "eth0", "up"]);
        world.exec(role, ["ip", "route", "add", "default", "via", host.gateway]);
        world.exec(role, ["ip", "-6", "route", "add", "default", "via", host.gateway6]);
    }

    private buildRouter(): void {
        const { world } = this;
        const gateway = this.stacks[0]!.gateway;
        const prefix = this.stacks[0]!.serverAddress.split("/")[1]!;
        world.addNamespace("router");
        world.addLink({ role: "internet", name: "i-router" }, { role: "router", name: "wan" });
        world.exec("internet", ["ip", "link", "set", "i-router", "master", "hub", "up"]);
        world.exec("router", ["ip", "address", "add", `${INTERNET.routerWan}/24`, "dev", "wan"]);
        world.exec("router", ["ip", "link", "set", "wan", "up"]);
        world.exec("router", ["ip", "route", "add", "default", "via", WEB_HOST.gateway]);
        world.exec("router", ["ip", "link", "add", "lan", "address", "02:00:00:00:00:02", "type", "bridge"]);
        world.exec("router", ["ip", "address", "add", `${gateway}/${prefix}`, "dev", "lan"]);
        world.exec("router", ["ip", "link", "set", "lan", "up"]);
        world.exec("router", ["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]);
        // NAT out of the WAN, as every home router does; nothing routes a tunnel subnet back in.
        world.exec("router", ["iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE"]);
        for (const view of this.stacks) {
            const forward = view.portForward;
            world.exec("router", ["iptables", "-t", "nat", "-A", "PREROUTING", "-i", "wan", "-p", "udp", "--dport", String(forward.port), "-j", "DNAT", "--to-destination", `${forward.toAddress}:${forward.toPort}`]);
        }
        // The router's own DNS knows nothing of the homelab's names (a stand-in for the ISP's resolver it forwards to).
        const directory = world.directoryOf("router");
        world.exec("router", ["dnsmasq", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces", `--listen-address=${gateway}`, `--pid-file=${directory}/dnsmasq.pid`, `--host-record=www.example.net,${INTERNET.web}`]);
    }

    /** A LAN host: a port on the router's LAN bridge, its static address, the router as gateway. */
    private attachToLan(role: string, interfaceName: string, address: string, gateway: string): void {
        const { world } = this;
        world.addNamespace(role);
        const bridgePort = `l-${role}`.slice(0, 15);
        world.addLink({ role: "router", name: bridgePort }, { role, name: interfaceName });
        world.exec("router", ["ip", "link", "set", bridgePort, "master", "lan", "up"]);
        world.exec(role, ["ip", "address", "add", address, "dev", interfaceName]);
        world.exec(role, ["ip", "link", "set", interfaceName, "up"]);
        world.exec(role, ["ip", "route", "add", "default", "via", gateway]);
    }

    private buildServer(view: StackView): void {
        const { world } = this;
        const role = stackRoles(view).server;
        this.attachToLan(role, view.serverInterface, view.serverAddress, view.gateway);
        world.registerContainer(view.containerId, role);
        this.runConfigCommand(view, view.configCommand);
        this.startDns(view);
    }

    /** Runs a command text on "the Proxmox host" (the root namespace, with `pct` a stand-in). */
    runOnHost(create: string, stdin: string, timeoutMs = 30_000): RunResult {
        return run("bash", ["-c", create], { input: stdin, env: this.world.hostEnvironment(), timeoutMs });
    }

    /** Runs the plan's configuration command on "the Proxmox host": the exact text, `pct` a stand-in. */
    runConfigCommand(view: StackView, command: StackView["configCommand"]): void {
        const result = this.runOnHost(command.create, command.stdin);
        if (result.status !== 0) {
            throw new Error(`${view.stack}: the plan's WireGuard configuration command failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
        }
    }

    /** The plan's own DNS configuration command, through `pct` like the WireGuard one. */
    private startDns(view: StackView): void {
        const result = this.runOnHost(view.dns.command.create, view.dns.command.stdin);
        if (result.status !== 0) {
            throw new Error(`${view.stack}: the plan's DNS configuration command failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
        }
    }

    private buildVm(view: StackView): void {
        const { world } = this;
        const role = stackRoles(view).vm;
        this.attachToLan(role, "eth0", view.vmAddress, view.gateway);
        const directory = world.directoryOf(role);
        const issued = makeCertificates(join(directory, "tls"), view.certificates);
        this.certificates.set(view.stack, issued);
        const address = view.vmAddress.split("/")[0]!;
        // The first server block is nginx's default: a name no certificate covers gets its certificate.
        const servers = issued.leaves.map((leaf) => [
            "    server {",
            `        listen ${address}:443 ssl;`,
            `        server_name ${leaf.serverNames.join(" ")};`,
            `        ssl_certificate ${leaf.certificate};`,
            `        ssl_certificate_key ${leaf.key};`,
            "        return 200 \"$host\\n\";",
            "    }",
        ].join("\n"));
        world.writeFile(role, "nginx.conf", [
            `pid ${directory}/nginx.pid;`,
            `error_log ${directory}/nginx-error.log;`,
            "events { worker_connections 64; }",
            "http {",
            "    access_log off;",
            `    client_body_temp_path ${directory}/body;`,
            ...servers,
            "}",
            "",
        ].join("\n"));
        world.exec(role, ["nginx", "-e", join(directory, "nginx-startup.log"), "-p", directory, "-c", join(directory, "nginx.conf")]);
    }

    /** A device on the internet running a client file with wg-quick. */
    addPeer(view: StackView, peer: PeerView, config: string, roleName = `${view.stack}-${peer.name}`): PeerInLab {
        const { world } = this;
        const index = this.peerCount++;
        const internet = peerInternetAddresses(index);
        this.attachToInternet(roleName, `i-peer${index}`, { v4: `${internet.v4}/24`, v6: `${internet.v6}/64`, gateway: "198.51.100.1", gateway6: "2001:db8:1::1" });
        const tunnelInterface = tunnelInterfaceName(peer.name, index);
        world.writeFile(roleName, `etc/wireguard/${tunnelInterface}.conf`, withRouterEndpoint(config));
        world.exec(roleName, ["wg-quick", "up", tunnelInterface], { env: { WG_QUICK_USERSPACE_IMPLEMENTATION: "wireguard-go" } });
        const inLab = { stack: view, peer, role: roleName, tunnelInterface, internet };
        this.peers.push(inLab);
        return inLab;
    }
}
