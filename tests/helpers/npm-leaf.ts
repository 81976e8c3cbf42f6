// A real self-signed P-256 leaf made by openssl, so the fake NPM API parses an upload as NPM's own openssl would.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A 30-day leaf for photos.home.arpa with the given subjectAltName names (DNS only), as PEM texts. */
export function selfSignedLeaf(names: readonly string[]): { certificate: string; key: string } {
    const folder = mkdtempSync(join(tmpdir(), "npm-cert-"));
    try {
        execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30", "-subj", "/CN=photos.home.arpa",
            "-addext", `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}`, "-keyout", join(folder, "key.pem"), "-out", join(folder, "cert.pem")], { stdio: "ignore" });
        return { certificate: readFileSync(join(folder, "cert.pem"), "utf8"), key: readFileSync(join(folder, "key.pem"), "utf8") };
    } finally {
        rmSync(folder, { recursive: true, force: true });
    }
}
