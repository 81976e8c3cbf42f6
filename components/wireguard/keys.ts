// WireGuard keys are raw 32-byte Curve25519 values, base64-encoded. The private bytes come from
// @pulumi/random (so they live, encrypted, in state); the public key is derived here with Node's
// X25519, the same function `wg pubkey` computes.
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";

/** Every WireGuard key (private, public, preshared) is 32 bytes. */
export const WIREGUARD_KEY_BYTES = 32;

// A PKCS#8 DER wrapper for a raw X25519 private key: the fixed 16-byte header, then the 32 key bytes.
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
// A SubjectPublicKeyInfo for X25519 is a fixed 12-byte header followed by the 32 raw bytes.
const SPKI_X25519_HEADER_BYTES = 12;

function decodeKey(base64: string, what: string): Buffer {
    const bytes = Buffer.from(base64, "base64");
    if (bytes.length !== WIREGUARD_KEY_BYTES || bytes.toString("base64") !== base64) {
        throw new Error(`${what} must be ${WIREGUARD_KEY_BYTES} bytes in base64 (44 characters ending in "="), got ${base64.length} characters`);
    }
    return bytes;
}

/**
 * Clamps a Curve25519 scalar as RFC 7748 §5 and `wg genkey` do. X25519 clamps internally, so the
 * public key is the same either way; we store the clamped form because the kernel keeps the key
 * clamped, so `wg showconf wg0` then prints exactly the key in our file.
 */
export function clampPrivateKey(privateKeyBase64: string): string {
    const bytes = Buffer.from(decodeKey(privateKeyBase64, "a private key"));
    bytes[0] = bytes[0]! & 248;
    bytes[31] = (bytes[31]! & 127) | 64;
    return bytes.toString("base64");
}

/** The public key of a private key (both base64): X25519 of the scalar with the base point 9. */
export function publicKeyOf(privateKeyBase64: string): string {
    const privateKey = createPrivateKey({
        key: Buffer.concat([PKCS8_X25519_PREFIX, decodeKey(privateKeyBase64, "a private key")]),
        format: "der",
        type: "pkcs8",
    });
    const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
    return spki.subarray(SPKI_X25519_HEADER_BYTES).toString("base64");
}

/** Checks a preshared key's form (any 32 bytes are a valid preshared key). */
export function presharedKeyOf(base64: string): string {
    return decodeKey(base64, "a preshared key").toString("base64");
}

/** A short, one-way digest of a text, for change detection that shows nothing of the text. */
export function digestOf(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}
