// The WireGuard stack outputs: what the owner reads with `pulumi stack output` and `npm run peer`.
import * as pulumi from "@pulumi/pulumi";
import type { WireGuardServer } from "./wireguard-server";

/** One peer's importable config and its QR code (a PNG data URL). */
export interface PeerOutput {
    readonly config: string;
    readonly qrCode: string;
}

/** The output names; tools/peer.ts reads `wireguardPeers`. */
export const WIREGUARD_OUTPUTS = {
    peers: "wireguardPeers",
    peerAddresses: "wireguardPeerAddresses",
    portForward: "wireguardPortForward",
    endpoint: "wireguardEndpoint",
    serverPublicKey: "wireguardServerPublicKey",
} as const;

export function wireguardStackOutputs(server: WireGuardServer): Record<string, pulumi.Input<unknown>> {
    const peers = [...server.peers.entries()];
    const peerOutputs: pulumi.Output<Record<string, PeerOutput>> = pulumi.output(
        Object.fromEntries(peers.map(([name, peer]) => [name, { config: peer.config, qrCode: peer.qrCode }])),
    );
    return {
        // Secret as a whole: each config and QR holds a private key.
        [WIREGUARD_OUTPUTS.peers]: pulumi.secret(peerOutputs),
        // Not secret, and visible in plans: a change here means a device's config changed.
        [WIREGUARD_OUTPUTS.peerAddresses]: Object.fromEntries(peers.map(([name, peer]) => [name, peer.address])),
        [WIREGUARD_OUTPUTS.portForward]: server.portForward,
        [WIREGUARD_OUTPUTS.endpoint]: server.endpoint,
        [WIREGUARD_OUTPUTS.serverPublicKey]: server.publicKey,
    };
}
