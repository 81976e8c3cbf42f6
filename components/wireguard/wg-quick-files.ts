// The two wg-quick files: the server's wg0.conf and each peer's client config. Pure text functions,
// checked by `wg-quick strip` and `wg` in the system tests.

/** split: only the tunnel and the LAN go through WireGuard; full: all traffic. */
export type PeerRouting = "split" | "full";

/** Keepalive for peers behind NAT or on mobile networks, so the NAT mapping stays open. */
export const PERSISTENT_KEEPALIVE_SECONDS = 25;

/** What the client routes into the tunnel. */
export function peerAllowedIps(routing: PeerRouting, subnet: string, lan: string): string[] {
    switch (routing) {
        case "split":
            return [subnet, lan];
        case "full":
            // ::/0 too: the server has no IPv6 route, so IPv6 is dropped instead of leaking around the tunnel.
            return ["0.0.0.0/0", "::/0"];
    }
}

/** "host:port", as `Endpoint =` expects. */
export function formatEndpoint(host: string, port: number): string {
    return `${host}:${port}`;
}

/** One peer as the server sees it. */
export interface ServerPeerEntry {
    readonly name: string;
    readonly publicKey: string;
    readonly presharedKey: string;
    /** The peer's single tunnel address (dotted quad). */
    readonly address: string;
}

export interface ServerConfigInput {
    /** The server's private key (base64). */
    readonly privateKey: string;
    /** The server's tunnel address (dotted quad), the subnet's first host. */
    readonly address: string;
    /** The tunnel subnet in CIDR form, e.g. 10.8.0.0/24. */
    readonly subnet: string;
    readonly listenPort: number;
    readonly mtu: number;
    /** The container's LAN interface that peer traffic is masqueraded out of, e.g. eth0. */
    readonly lanInterface: string;
    readonly peers: readonly ServerPeerEntry[];
}

function prefixOf(cidr: string): string {
    return cidr.split("/")[1] ?? "32";
}

/**
 * The hook pairs that make peers reach the LAN: forwarding on, forwarded tunnel traffic accepted,
 * and tunnel traffic leaving the LAN interface masqueraded as the container's address, so LAN hosts
 * answer the container and the router needs no route back to the tunnel subnet.
 */
export function forwardingRules(subnet: string, lanInterface: string): { postUp: string[]; postDown: string[] } {
    // Each rule once with -A (append, on up) and once with -D (delete, on down), so restarts never stack them.
    const rules = [
        (action: string) => `iptables ${action} FORWARD -i %i -j ACCEPT`,
        (action: string) => `iptables ${action} FORWARD -o %i -j ACCEPT`,
        (action: string) => `iptables -t nat ${action} POSTROUTING -s ${subnet} -o ${lanInterface} -j MASQUERADE`,
    ];
    return {
        postUp: ["sysctl -q -w net.ipv4.ip_forward=1", rules.map((rule) => rule("-A")).join("; ")],
        postDown: [rules.map((rule) => rule("-D")).join("; ")],
    };
}

/** /etc/wireguard/wg0.conf on the server. Peers in address order, so the list order does not matter. */
export function renderServerConfig(input: ServerConfigInput): string {
    const { postUp, postDown } = forwardingRules(input.subnet, input.lanInterface);
    const lines = [
        "# Managed by Pulumi (homelab): changes here are overwritten on the next `pulumi up`.",
        "[Interface]",
        `Address = ${input.address}/${prefixOf(input.subnet)}`,
        `ListenPort = ${input.listenPort}`,
        `PrivateKey = ${input.privateKey}`,
        `MTU = ${input.mtu}`,
        ...postUp.map((hook) => `PostUp = ${hook}`),
        ...postDown.map((hook) => `PostDown = ${hook}`),
    ];
    const peers = [...input.peers].sort((first, second) => compareAddresses(first.address, second.address));
    for (const peer of peers) {
        lines.push(
            "",
            "[Peer]",
            `# ${peer.name}`,
            `PublicKey = ${peer.publicKey}`,
            `PresharedKey = ${peer.presharedKey}`,
            `AllowedIPs = ${peer.address}/32`,
        );
    }
    return `${lines.join("\n")}\n`;
}

function compareAddresses(first: string, second: string): number {
    const numeric = (address: string) => address.split(".").reduce((value, part) => value * 256 + Number(part), 0);
    return numeric(first) - numeric(second);
}

export interface PeerConfigInput {
    /** The peer's private key (base64). */
    readonly privateKey: string;
    /** The peer's tunnel address (dotted quad). */
    readonly address: string;
    readonly dns: readonly string[];
    readonly mtu: number;
    readonly serverPublicKey: string;
    readonly presharedKey: string;
    readonly allowedIps: readonly string[];
    /** "host:port" of the server as reached from the internet. */
    readonly endpoint: string;
}

/** The client config a peer imports (file or QR code). */
export function renderPeerConfig(input: PeerConfigInput): string {
    return [
        "[Interface]",
        `PrivateKey = ${input.privateKey}`,
        `Address = ${input.address}/32`,
        `DNS = ${input.dns.join(", ")}`,
        `MTU = ${input.mtu}`,
        "",
        "[Peer]",
        `PublicKey = ${input.serverPublicKey}`,
        `PresharedKey = ${input.presharedKey}`,
        `AllowedIPs = ${input.allowedIps.join(", ")}`,
        `Endpoint = ${input.endpoint}`,
        `PersistentKeepalive = ${PERSISTENT_KEEPALIVE_SECONDS}`,
        "",
    ].join("\n");
}
