// `npm run ca`'s parts: find the homelab CA's certificate in `pulumi stack output --json` (pure)
// and write it where the owner asked.
import { writeFileSync } from "node:fs";

export type CaLookup = { readonly ok: true; readonly pem: string } | { readonly ok: false; readonly error: string };

const PEM = /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/;

/** The CA certificate from the JSON text `pulumi stack output --json` prints. */
export function findCaCertificate(stackOutputJson: string): CaLookup {
    let outputs: unknown;
    try {
        outputs = JSON.parse(stackOutputJson);
    } catch {
        return { ok: false, error: "the stack outputs are not JSON (expected the output of `pulumi stack output --json`)" };
    }
    const pem = outputs !== null && typeof outputs === "object" ? (outputs as Record<string, unknown>)["caCertificate"] : undefined;
    if (typeof pem !== "string") {
        return { ok: false, error: 'the stack has no caCertificate output (it exists with homelab:tls.mode "internal" and Nginx Proxy Manager enabled, after `pulumi up`)' };
    }
    if (!PEM.test(pem)) {
        return { ok: false, error: "caCertificate is not a PEM certificate" };
    }
    return { ok: true, pem: pem.endsWith("\n") ? pem : `${pem}\n` };
}

/** The file name used when none is given. */
export function defaultCaFile(stack: string): string {
    return `homelab-${stack}-ca.crt`;
}

/** Writes the certificate (public: readable by everyone, like any CA certificate). */
export function writeCaCertificate(path: string, pem: string): void {
    writeFileSync(path, pem, { mode: 0o644 });
}
