// One WireGuard peer (a phone, a laptop): its keys, its client config and the QR code of that config.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { clampPrivateKey, presharedKeyOf, publicKeyOf, WIREGUARD_KEY_BYTES } from "./keys";
import { qrCodePngDataUrl } from "./qr-code";
import { renderPeerConfig } from "./wg-quick-files";

export interface WireGuardPeerArgs {
    /** The peer's tunnel address (dotted quad), allocated by the server. Required. */
    readonly address: string;
    /** What the client routes into the tunnel (CIDR list). Required. */
    readonly allowedIps: readonly string[];
    /** DNS servers the client uses while connected. Required. */
    readonly dns: readonly string[];
    /** The tunnel MTU. Required. */
    readonly mtu: number;
    /** The server's public key (base64). Required. */
    readonly serverPublicKey: pulumi.Input<string>;
    /** The server as reached from the internet, "host:port". Required. */
    readonly endpoint: string;
}

/** A peer's keys and its importable config. */
export class WireGuardPeer extends pulumi.ComponentResource {
    /** 32 random bytes: the private key, kept as a secret in state. */
    public readonly privateKeyBytes: random.RandomBytes;
    /** 32 random bytes: the key shared by this peer and the server only. */
    public readonly presharedKeyBytes: random.RandomBytes;
    /** The peer's tunnel address (dotted quad). */
    public readonly address: string;
    /** The private key, clamped, base64 (secret). */
    public readonly privateKey: pulumi.Output<string>;
    /** The public key, base64 (not secret: the server config and `wg show` print it). */
    public readonly publicKey: pulumi.Output<string>;
    /** The preshared key, base64 (secret). */
    public readonly presharedKey: pulumi.Output<string>;
    /** The client config file's text (secret: it holds the private key). */
    public readonly config: pulumi.Output<string>;
    /** The config as a QR code, a PNG data URL (secret, like the config). */
    public readonly qrCode: pulumi.Output<string>;

    constructor(name: string, args: WireGuardPeerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:wireguard:WireGuardPeer", name, {}, opts);
        this.address = args.address;
        this.privateKeyBytes = new random.RandomBytes(`${name}-private-key`, { length: WIREGUARD_KEY_BYTES }, { parent: this });
        this.presharedKeyBytes = new random.RandomBytes(`${name}-preshared-key`, { length: WIREGUARD_KEY_BYTES }, { parent: this });
        this.privateKey = pulumi.secret(this.privateKeyBytes.base64.apply(clampPrivateKey));
        this.publicKey = pulumi.unsecret(this.privateKey.apply(publicKeyOf));
        this.presharedKey = pulumi.secret(this.presharedKeyBytes.base64.apply(presharedKeyOf));
        this.config = pulumi.secret(
            pulumi.all([this.privateKey, this.presharedKey, args.serverPublicKey]).apply(([privateKey, presharedKey, serverPublicKey]) =>
                renderPeerConfig({
                    privateKey,
                    presharedKey,
                    serverPublicKey,
                    address: args.address,
                    dns: args.dns,
                    mtu: args.mtu,
                    allowedIps: args.allowedIps,
                    endpoint: args.endpoint,
                }),
            ),
        );
        this.qrCode = pulumi.secret(this.config.apply(qrCodePngDataUrl));
        this.registerOutputs({ address: this.address, publicKey: this.publicKey, config: this.config, qrCode: this.qrCode });
    }
}
