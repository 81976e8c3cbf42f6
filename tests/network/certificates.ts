// The homelab CA and its leaf certificates made with openssl from the plan's certificate
// parameters (subject, names, validity, key curve), so the VM's nginx serves what the plan declares.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { must } from "./namespaces";
import type { CertificateSpec } from "./plan-names";

export interface IssuedLeaf {
    /** The names the proxy serves it for: its common name (the site it was made for) and its SANs. */
    readonly serverNames: readonly string[];
    readonly certificate: string;
    readonly key: string;
}

export interface IssuedCertificates {
    /** The CA certificate's path and PEM text. */
    readonly caCertificate: string;
    readonly caPem: string;
    readonly leaves: readonly IssuedLeaf[];
}

function subjectOf(spec: CertificateSpec): string {
    return `/CN=${spec.commonName}${spec.organization === undefined ? "" : `/O=${spec.organization}`}`;
}

/** Days openssl takes, rounded down so the certificate never outlives what the plan asks for. */
function daysOf(spec: CertificateSpec): string {
    return String(Math.max(1, Math.floor(spec.validityHours / 24)));
}

/** keyUsage and extendedKeyUsage as the plan's allowedUses give them (none when it gives none). */
function usageExtensions(spec: CertificateSpec): string[] {
    return [
        ...(spec.keyUsage.length === 0 ? [] : [`keyUsage=critical,${spec.keyUsage.join(",")}`]),
        ...(spec.extendedKeyUsage.length === 0 ? [] : [`extendedKeyUsage=${spec.extendedKeyUsage.join(",")}`]),
    ];
}

export function makeCertificates(directory: string, specs: { ca: CertificateSpec; leaves: readonly CertificateSpec[] }): IssuedCertificates {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const caKey = join(directory, "ca.key");
    const caCertificate = join(directory, "ca.pem");
    must("openssl", ["ecparam", "-name", specs.ca.curve, "-genkey", "-noout", "-out", caKey]);
    if (!specs.ca.isCa) {
        throw new Error("the plan's CA certificate is not marked as a CA (isCaCertificate)");
    }
    must("openssl", [
        "req", "-x509", "-new", "-key", caKey, "-subj", subjectOf(specs.ca), "-days", daysOf(specs.ca), "-out", caCertificate,
        "-addext", `basicConstraints=critical,CA:TRUE${specs.ca.pathLength === undefined ? "" : `,pathlen:${specs.ca.pathLength}`}`,
        ...usageExtensions(specs.ca).flatMap((extension) => ["-addext", extension]),
    ]);
    const leaves = specs.leaves.map((spec, index) => {
        const key = join(directory, `leaf${index}.key`);
        const request = join(directory, `leaf${index}.csr`);
        const certificate = join(directory, `leaf${index}.pem`);
        const extensions = join(directory, `leaf${index}.ext`);
        writeFileSync(extensions, [
            "basicConstraints=critical,CA:FALSE",
            ...usageExtensions(spec),
            ...(spec.dnsNames.length === 0 ? [] : [`subjectAltName=${spec.dnsNames.map((name) => `DNS:${name}`).join(",")}`]),
            "",
        ].join("\n"));
        must("openssl", ["ecparam", "-name", spec.curve, "-genkey", "-noout", "-out", key]);
        must("openssl", ["req", "-new", "-key", key, "-subj", subjectOf(spec), "-out", request]);
        must("openssl", ["x509", "-req", "-in", request, "-CA", caCertificate, "-CAkey", caKey, "-CAcreateserial", "-days", daysOf(spec), "-extfile", extensions, "-out", certificate]);
        return { serverNames: [...new Set([spec.commonName, ...spec.dnsNames])], certificate, key };
    });
    return { caCertificate, caPem: must("cat", [caCertificate]), leaves };
}
