// The WireGuardServer's secret outputs, resolved under mocks: the files the peers and the server
// get must agree with each other, key for key.
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { publicKeyOf } from "../../components/wireguard/keys";
import { pngFromDataUrl } from "../../components/wireguard/qr-code";
import { WireGuardServer } from "../../components/wireguard/wireguard-server";
import type { WireGuardServerArgs } from "../../components/wireguard/wireguard-server";
import { PROD_LIKE_ARGS, resolveWireGuard } from "../helpers/wireguard-program";
import type { ResolvedWireGuard } from "../helpers/wireguard-program";

/** Every "Key = value" of a wg-quick text, in order. */
function values(text: string, key: string): string[] {
    return text.split("\n").filter((line) => line.startsWith(`${key} = `)).map((line) => line.slice(key.length + 3));
}

/** The [Peer] section of the server config that holds `publicKey`. */
function serverPeerSection(serverConfig: string, publicKey: string): string {
    const section = serverConfig.split(/^(?=\[Peer\])/m).find((part) => part.includes(`PublicKey = ${publicKey}`));
    if (section === undefined) {
        throw new Error(`no [Peer] with ${publicKey} in the server config`);
    }
    return section;
}

let resolved: ResolvedWireGuard;
beforeAll(async () => {
    resolved = await resolveWireGuard();
}, 60_000);

describe("WireGuardServer outputs", () => {
    it("derives the server's public key from the private key in wg0.conf", () => {
        const [serverPrivateKey] = values(resolved.serverConfig, "PrivateKey");
        expect(publicKeyOf(serverPrivateKey!)).toBe(resolved.serverPublicKey);
    });

    it("gives each peer a config whose keys match the server's [Peer] entry for it", () => {
        for (const [name, peer] of resolved.peers) {
            const [peerPrivateKey] = values(peer.config, "PrivateKey");
            expect(publicKeyOf(peerPrivateKey!)).toBe(peer.publicKey);
            const section = serverPeerSection(resolved.serverConfig, peer.publicKey);
            expect(section).toContain(`# ${name}`);
            expect(values(section, "PresharedKey")).toEqual(values(peer.config, "PresharedKey"));
            expect(values(section, "AllowedIPs")).toEqual([`${peer.address}/32`]);
            expect(values(peer.config, "Address")).toEqual([`${peer.address}/32`]);
            expect(values(peer.config, "PublicKey")).toEqual([resolved.serverPublicKey]);
            expect(values(peer.config, "Endpoint")).toEqual(["vpn.example.com:51820"]);
        }
    });

    it("gives every key its own bytes: no two peers, and no peer and the server, share a key", () => {
        const keys = [...resolved.peers.values()].flatMap((peer) => [...values(peer.config, "PrivateKey"), ...values(peer.config, "PresharedKey")]);
        keys.push(...values(resolved.serverConfig, "PrivateKey"));
        expect(new Set(keys).size).toBe(keys.length);
    });

    it("routes per peer as configured: phone split, laptop full", () => {
        expect(values(resolved.peers.get("phone")!.config, "AllowedIPs")).toEqual(["10.8.0.0/24, 192.168.1.0/24"]);
        expect(values(resolved.peers.get("laptop")!.config, "AllowedIPs")).toEqual(["0.0.0.0/0, ::/0"]);
    });

    it("gives each peer a QR code that decodes to exactly its config", () => {
        for (const peer of resolved.peers.values()) {
            const image = PNG.sync.read(pngFromDataUrl(peer.qrCode));
            expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(peer.config);
        }
    });

    it("names the router rule and the endpoint", () => {
        expect(resolved.portForward).toBe("UDP 51820 → 192.168.1.90:51820");
        expect(resolved.endpoint).toBe("vpn.example.com:51820");
    });

    it("refuses peers whose addresses collide before declaring anything, even when the config check was bypassed", () => {
        // The check runs before the component registers, so no host (and no Pulumi runtime) is reached.
        const unreachableHost = {} as WireGuardServerArgs["host"];
        const colliding = [{ name: "a", address: "10.8.0.9", routing: "split" as const }, { name: "b", address: "10.8.0.9", routing: "split" as const }];
        expect(() => new WireGuardServer("collision", { ...PROD_LIKE_ARGS, host: unreachableHost, peers: colliding })).toThrow(/peers share addresses: b and a \(10\.8\.0\.9\)/);
    });
});
