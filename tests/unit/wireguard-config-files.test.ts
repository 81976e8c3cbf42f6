import { forwardingRules, peerAllowedIps, renderPeerConfig, renderServerConfig } from "../../components/wireguard/wg-quick-files";
import { SAMPLE_SERVER, samplePeerConfig, sampleServerConfig } from "../helpers/wireguard-samples";

/** The `Key = value` lines of one section ("Interface" or the n-th "Peer"). */
function section(text: string, header: string, occurrence = 0): Map<string, string[]> {
    const sections = text.split(/^(?=\[)/m).filter((part) => part.startsWith(`[${header}]`));
    const lines = (sections[occurrence] ?? "").split("\n").filter((line) => /^\w+ = /.test(line));
    const entries = new Map<string, string[]>();
    for (const line of lines) {
        const [key, ...value] = line.split(" = ");
        entries.set(key!, [...(entries.get(key!) ?? []), value.join(" = ")]);
    }
    return entries;
}

describe("the server's wg0.conf", () => {
    const text = sampleServerConfig();

    it("turns forwarding on and masquerades the tunnel subnet out of the LAN interface", () => {
        const postUp = section(text, "Interface").get("PostUp")!.join("; ");
        expect(postUp).toContain("sysctl -q -w net.ipv4.ip_forward=1");
        expect(postUp).toContain("iptables -t nat -A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE");
        expect(postUp).toContain("iptables -A FORWARD -i %i -j ACCEPT");
        expect(postUp).toContain("iptables -A FORWARD -o %i -j ACCEPT");
    });

    it("uses the configured interface and subnet, not fixed ones", () => {
        const other = renderServerConfig({ ...SAMPLE_SERVER, subnet: "10.9.0.0/24", address: "10.9.0.1", lanInterface: "lan0" });
        expect(other).toContain("-s 10.9.0.0/24 -o lan0 -j MASQUERADE");
        expect(other).not.toContain("eth0");
        expect(section(other, "Interface").get("Address")).toEqual(["10.9.0.1/24"]);
    });

    it("removes on down exactly the rules it adds on up", () => {
        const { postUp, postDown } = forwardingRules("10.8.0.0/24", "eth0");
        const added = postUp[1]!.split("; ").map((rule) => rule.replace(" -A ", " -D "));
        expect(postDown[0]!.split("; ")).toEqual(added);
    });

    it("listens on the port with the server's key, address and MTU", () => {
        const server = section(text, "Interface");
        expect(server.get("ListenPort")).toEqual(["51820"]);
        expect(server.get("PrivateKey")).toEqual([SAMPLE_SERVER.privateKey]);
        expect(server.get("Address")).toEqual(["10.8.0.1/24"]);
        expect(server.get("MTU")).toEqual(["1420"]);
    });

    it("gives each peer its single /32, its public key and its preshared key", () => {
        const peers = [0, 1].map((index) => section(text, "Peer", index));
        expect(peers.map((peer) => peer.get("AllowedIPs"))).toEqual([["10.8.0.45/32"], ["10.8.0.61/32"]]);
        for (const peer of SAMPLE_SERVER.peers) {
            const block = peers.find((candidate) => candidate.get("PublicKey")?.[0] === peer.publicKey)!;
            expect(block.get("PresharedKey")).toEqual([peer.presharedKey]);
            expect(block.get("AllowedIPs")).toEqual([`${peer.address}/32`]);
        }
    });

    it("does not depend on the order of the peers", () => {
        expect(renderServerConfig({ ...SAMPLE_SERVER, peers: [...SAMPLE_SERVER.peers].reverse() })).toBe(text);
    });

    it("has no [Peer] section without peers", () => {
        expect(renderServerConfig({ ...SAMPLE_SERVER, peers: [] })).not.toContain("[Peer]");
    });
});

describe("a peer's client config", () => {
    it("routes the tunnel subnet and the LAN for split routing, through the server's endpoint", () => {
        const peer = section(samplePeerConfig("split"), "Peer");
        expect(peer.get("AllowedIPs")).toEqual(["10.8.0.0/24, 192.168.1.0/24"]);
        expect(peer.get("Endpoint")).toEqual(["vpn.example.com:51820"]);
        expect(peer.get("PersistentKeepalive")).toEqual(["25"]);
    });

    it("routes everything, IPv6 included, for full routing", () => {
        expect(section(samplePeerConfig("full"), "Peer").get("AllowedIPs")).toEqual(["0.0.0.0/0, ::/0"]);
    });

    it("has its /32, DNS and MTU in [Interface]", () => {
        const config = section(samplePeerConfig(), "Interface");
        expect(config.get("Address")).toEqual(["10.8.0.61/32"]);
        expect(config.get("DNS")).toEqual(["192.168.1.1"]);
        expect(config.get("MTU")).toEqual(["1420"]);
    });

    it("lists several DNS servers comma-separated", () => {
        const text = renderPeerConfig({
            privateKey: "k", address: "10.8.0.2", dns: ["192.168.1.1", "192.168.1.2"], mtu: 1380, serverPublicKey: "s",
            presharedKey: "p", allowedIps: peerAllowedIps("split", "10.8.0.0/24", "192.168.1.0/24"), endpoint: "203.0.113.7:51821",
        });
        expect(section(text, "Interface").get("DNS")).toEqual(["192.168.1.1, 192.168.1.2"]);
        expect(section(text, "Interface").get("MTU")).toEqual(["1380"]);
        expect(section(text, "Peer").get("Endpoint")).toEqual(["203.0.113.7:51821"]);
    });
});
