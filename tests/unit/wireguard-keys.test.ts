import { createPrivateKey, createPublicKey, diffieHellman } from "node:crypto";
import { clampPrivateKey, presharedKeyOf, publicKeyOf } from "../../components/wireguard/keys";

const hexToBase64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");

// RFC 7748 §6.1: the X25519 Diffie-Hellman test vector. The private keys are given unclamped.
const ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const BOB_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";

describe("WireGuard public keys", () => {
    it("derives RFC 7748 §6.1 Alice's and Bob's public keys from their private keys", () => {
        expect(publicKeyOf(hexToBase64(ALICE_PRIVATE))).toBe(hexToBase64(ALICE_PUBLIC));
        expect(publicKeyOf(hexToBase64(BOB_PRIVATE))).toBe(hexToBase64(BOB_PUBLIC));
    });

    it("gives the same public key for the clamped and the unclamped private key (X25519 clamps internally, as `wg pubkey` does)", () => {
        const unclamped = hexToBase64(ALICE_PRIVATE);
        const clamped = clampPrivateKey(unclamped);
        expect(clamped).not.toBe(unclamped); // Alice's key has bits that clamping clears, so this compares two different inputs
        expect(publicKeyOf(clamped)).toBe(hexToBase64(ALICE_PUBLIC));
    });

    it("derives keys that agree on a shared secret, the property WireGuard's handshake needs", () => {
        const pkcs8 = (base64: string) => createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), Buffer.from(base64, "base64")]), format: "der", type: "pkcs8" });
        const spki = (base64: string) => createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b656e032100", "hex"), Buffer.from(base64, "base64")]), format: "der", type: "spki" });
        const alice = hexToBase64(ALICE_PRIVATE);
        const bob = hexToBase64(BOB_PRIVATE);
        const aliceSide = diffieHellman({ privateKey: pkcs8(alice), publicKey: spki(publicKeyOf(bob)) });
        const bobSide = diffieHellman({ privateKey: pkcs8(bob), publicKey: spki(publicKeyOf(alice)) });
        // RFC 7748 §6.1's shared secret K.
        expect(aliceSide.toString("hex")).toBe("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        expect(bobSide.equals(aliceSide)).toBe(true);
    });
});

describe("clampPrivateKey", () => {
    it("clears the low three bits and the top bit and sets bit 254, like `wg genkey`", () => {
        const allOnes = Buffer.alloc(32, 0xff).toString("base64");
        const clamped = Buffer.from(clampPrivateKey(allOnes), "base64");
        expect(clamped[0]).toBe(0xf8);
        expect(clamped[31]).toBe(0x7f);
        expect(clamped.subarray(1, 31).equals(Buffer.alloc(30, 0xff))).toBe(true);
        const allZeros = Buffer.from(clampPrivateKey(Buffer.alloc(32).toString("base64")), "base64");
        expect(allZeros[31]).toBe(0x40);
    });

    it("is idempotent", () => {
        const once = clampPrivateKey(hexToBase64(BOB_PRIVATE));
        expect(clampPrivateKey(once)).toBe(once);
    });
});

describe("key form checks", () => {
    it("refuses keys that are not 32 bytes of base64", () => {
        expect(() => publicKeyOf(Buffer.alloc(31).toString("base64"))).toThrow(/32 bytes/);
        expect(() => clampPrivateKey("not base64 at all")).toThrow(/32 bytes/);
        expect(() => presharedKeyOf(Buffer.alloc(33).toString("base64"))).toThrow(/32 bytes/);
    });

    it("accepts any 32 bytes as a preshared key, unchanged", () => {
        const key = Buffer.alloc(32, 7).toString("base64");
        expect(presharedKeyOf(key)).toBe(key);
    });
});
