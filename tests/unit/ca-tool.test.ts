// `npm run ca`: finding the CA certificate in the stack outputs and writing it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultCaFile, findCaCertificate, writeCaCertificate } from "../../tools/ca/ca-output";

let folder: string;
let pem: string;
beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "homelab-ca-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=homelab test root CA",
        "-keyout", join(folder, "key.pem"), "-out", join(folder, "ca.pem")], { stdio: "ignore" });
    pem = readFileSync(join(folder, "ca.pem"), "utf8");
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("npm run ca", () => {
    it("finds the PEM in the outputs and writes it world-readable to the default file name", () => {
        const found = findCaCertificate(JSON.stringify({ caCertificate: pem.trimEnd(), dnsServer: "192.168.1.90" }));
        expect(found).toEqual({ ok: true, pem });
        const path = join(folder, defaultCaFile("prod"));
        expect(path.endsWith("homelab-prod-ca.crt")).toBe(true);
        writeCaCertificate(path, pem);
        expect(readFileSync(path, "utf8")).toBe(pem);
        expect(statSync(path).mode & 0o777).toBe(0o644);
        // What was written is a certificate openssl reads back with the CA's name.
        expect(execFileSync("openssl", ["x509", "-in", path, "-noout", "-subject"], { encoding: "utf8" })).toContain("homelab test root CA");
    });

    it("explains a stack without a CA (letsencrypt-dns, or no up yet) and a value that is not a certificate", () => {
        expect(findCaCertificate(JSON.stringify({ dnsServer: "192.168.1.90" }))).toEqual({ ok: false, error: expect.stringContaining('no caCertificate output (it exists with homelab:tls.mode "internal"') as unknown });
        expect(findCaCertificate(JSON.stringify({ caCertificate: "[certificate of homelab-ca-certificate]" }))).toEqual({ ok: false, error: "caCertificate is not a PEM certificate" });
        expect(findCaCertificate("error: no stack")).toEqual({ ok: false, error: expect.stringContaining("not JSON") as unknown });
    });
});
