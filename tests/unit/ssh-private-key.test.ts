// homelab:sshPrivateKey must be usable without a passphrase. PEM keys made here by Node's OpenSSL
// bindings; OpenSSH-format keys from ssh-keygen are in tests/system/ssh-private-key.test.ts.
import { generateKeyPairSync } from "node:crypto";
import { privateKeyEncryption } from "../../stacks/ssh-private-key";
import { committedConfig, problemsAfter } from "../helpers/config";

const passphrase = "correct horse battery staple";

function rsaKey(type: "pkcs1" | "pkcs8", encrypted: boolean): string {
    return generateKeyPairSync("rsa", {
        modulusLength: 1024,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: encrypted ? { type, format: "pem", cipher: "aes-256-cbc", passphrase } : { type, format: "pem" },
    }).privateKey;
}

describe("privateKeyEncryption", () => {
    it("tells PEM keys with a passphrase from those without, in both PEM formats", () => {
        expect(rsaKey("pkcs1", true)).toContain("Proc-Type: 4,ENCRYPTED");
        expect(privateKeyEncryption(rsaKey("pkcs1", true))).toBe("encrypted");
        expect(privateKeyEncryption(rsaKey("pkcs8", true))).toBe("encrypted");
        expect(privateKeyEncryption(rsaKey("pkcs1", false))).toBe("unencrypted");
        expect(privateKeyEncryption(rsaKey("pkcs8", false))).toBe("unencrypted");
    });

    it("says unknown for an OpenSSH block that is not an OpenSSH key, and for text that is no key", () => {
        expect(privateKeyEncryption("-----BEGIN OPENSSH PRIVATE KEY-----\nplaceholder\n-----END OPENSSH PRIVATE KEY-----\n")).toBe("unknown");
        expect(privateKeyEncryption(`-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from("openssh-key-v1\0\0\0").toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`)).toBe("unknown");
        expect(privateKeyEncryption("ssh-ed25519 AAAA you@laptop")).toBe("unknown");
    });
});

describe("homelab:sshPrivateKey", () => {
    it("refuses a key with a passphrase and says what to do instead, without printing the key", () => {
        const key = rsaKey("pkcs8", true);
        const problems = problemsAfter("dev", (values) => {
            values["sshPrivateKey"] = key;
        });
        expect(problems).toEqual([
            "homelab:sshPrivateKey: is encrypted with a passphrase, which nothing can type during `pulumi up` (leave it unset and load the key into your SSH agent with `ssh-add`, or set a key without a passphrase)",
        ]);
    });

    it("accepts the same key without its passphrase", () => {
        expect(committedConfig("dev")["sshPrivateKey"]).toBeUndefined();
        expect(problemsAfter("dev", (values) => {
            values["sshPrivateKey"] = rsaKey("pkcs8", false);
        })).toEqual([]);
    });
});
