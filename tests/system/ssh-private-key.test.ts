// OpenSSH-format keys as ssh-keygen writes them (the format `ssh-keygen -t ed25519` gives by
// default): with a passphrase the program refuses the key, without one it accepts it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyEncryption } from "../../stacks/ssh-private-key";
import { requireTool, runTool } from "../helpers/system-tools";

let scratch: string;
beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "homelab-ssh-key-"));
});
afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
});

function sshKeygen(name: string, passphrase: string): string {
    const sshKeygenPath = requireTool("ssh-keygen", "openssh-client");
    const file = join(scratch, name);
    const result = runTool(sshKeygenPath, ["-q", "-t", "ed25519", "-N", passphrase, "-C", "homelab-test", "-f", file]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    return readFileSync(file, "utf8");
}

describe("an ed25519 key from ssh-keygen", () => {
    it("with a passphrase is encrypted", () => {
        const key = sshKeygen("with-passphrase", "correct horse battery staple");
        expect(key).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
        expect(privateKeyEncryption(key)).toBe("encrypted");
    });

    it("without one is not", () => {
        expect(privateKeyEncryption(sshKeygen("without-passphrase", ""))).toBe("unencrypted");
    });
});
