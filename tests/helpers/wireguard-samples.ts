// Sample WireGuard inputs for the unit and system tests: keys derived from fixed bytes, so every
// run renders the same files and the keys are real X25519 keys that `wg` accepts.
import { createHash } from "node:crypto";
import { clampPrivateKey, publicKeyOf } from "../../components/wireguard/keys";
import { peerAllowedIps, renderPeerConfig, renderServerConfig } from "../../components/wireguard/wg-quick-files";
import type { ServerConfigInput } from "../../components/wireguard/wg-quick-files";

/** 32 bytes from a label, base64: a stand-in for RandomBytes. */
export function sampleKey(label: string): string {
    return createHash("sha256").update(label).digest().toString("base64");
}

export const SERVER_PRIVATE = clampPrivateKey(sampleKey("server"));

export const SAMPLE_SERVER: ServerConfigInput = {
    privateKey: SERVER_PRIVATE,
    address: "10.8.0.1",
    subnet: "10.8.0.0/24",
    listenPort: 51820,
    mtu: 1420,
    lanInterface: "eth0",
    peers: [
        { name: "phone", publicKey: publicKeyOf(clampPrivateKey(sampleKey("phone"))), presharedKey: sampleKey("phone-psk"), address: "10.8.0.61" },
        { name: "laptop", publicKey: publicKeyOf(clampPrivateKey(sampleKey("laptop"))), presharedKey: sampleKey("laptop-psk"), address: "10.8.0.45" },
    ],
};

export function sampleServerConfig(): string {
    return renderServerConfig(SAMPLE_SERVER);
}

export function samplePeerConfig(routing: "split" | "full" = "split"): string {
    return renderPeerConfig({
        privateKey: clampPrivateKey(sampleKey("phone")),
        address: "10.8.0.61",
        dns: ["192.168.1.1"],
        mtu: 1420,
        serverPublicKey: publicKeyOf(SERVER_PRIVATE),
        presharedKey: sampleKey("phone-psk"),
        allowedIps: peerAllowedIps(routing, "10.8.0.0/24", "192.168.1.0/24"),
        endpoint: "vpn.example.com:51820",
    });
}
