// Whether a private key given as homelab:sshPrivateKey is encrypted. Nothing can type a passphrase
// during `pulumi up`, and the Proxmox provider's SSH settings have no field for one, so an encrypted
// key would only fail later, inside the provider, with a message that does not name the config key.

/** "encrypted", "unencrypted", or "unknown" when the text is in neither format this reads. */
export type KeyEncryption = "encrypted" | "unencrypted" | "unknown";

const OPENSSH_MAGIC = "openssh-key-v1\0";

/**
 * Reads the cipher name of an OpenSSH private key (PROTOCOL.key in OpenSSH's source: the magic
 * "openssh-key-v1\0", then the cipher name as a uint32-length-prefixed string, "none" when the key
 * is not encrypted), or the markers of the PEM formats: "Proc-Type: 4,ENCRYPTED" in the traditional
 * one, "BEGIN ENCRYPTED PRIVATE KEY" in PKCS#8.
 */
export function privateKeyEncryption(text: string): KeyEncryption {
    const openssh = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
    if (openssh !== null) {
        const body = Buffer.from(openssh[1]!.replace(/\s+/g, ""), "base64");
        if (body.subarray(0, OPENSSH_MAGIC.length).toString("latin1") !== OPENSSH_MAGIC || body.length < OPENSSH_MAGIC.length + 4) {
            return "unknown";
        }
        const length = body.readUInt32BE(OPENSSH_MAGIC.length);
        const start = OPENSSH_MAGIC.length + 4;
        if (body.length < start + length) {
            return "unknown";
        }
        return body.subarray(start, start + length).toString("latin1") === "none" ? "unencrypted" : "encrypted";
    }
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /^Proc-Type: 4,ENCRYPTED$/m.test(text)) {
        return "encrypted";
    }
    return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? "unencrypted" : "unknown";
}
