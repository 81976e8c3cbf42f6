// The names, the certificates and the DNS server as the plan declares them (the @pulumi/tls
// resources and the DNS configuration command), translated for openssl and the lab.
import type { Plan, PlannedResource } from "../../tools/plan/capture";

/** One certificate's parameters, as the plan gives them to the certificate resources. */
export interface CertificateSpec {
    readonly commonName: string;
    readonly organization?: string;
    /** Subject alternative names (DNS). Empty for the CA. */
    readonly dnsNames: readonly string[];
    readonly validityHours: number;
    readonly isCa: boolean;
    /** basicConstraints' pathlen for a CA. Default: none. */
    readonly pathLength?: number;
    /** openssl's keyUsage and extendedKeyUsage names. */
    readonly keyUsage: readonly string[];
    readonly extendedKeyUsage: readonly string[];
    /** The key's curve (openssl's name), e.g. prime256v1. */
    readonly curve: string;
}

export interface PlannedNames {
    /** Every name the DNS answers → its address. */
    readonly names: Readonly<Record<string, string>>;
    readonly certificates: { readonly ca: CertificateSpec; readonly leaves: readonly CertificateSpec[] };
    /** The DNS server's address and the plan's command that configures it (run through `pct`). */
    readonly dns: { readonly address: string; readonly command: { readonly create: string; readonly stdin: string } };
}

/** @pulumi/tls's allowedUses → openssl's keyUsage / extendedKeyUsage names. */
const KEY_USAGE: Readonly<Record<string, string>> = { cert_signing: "keyCertSign", crl_signing: "cRLSign", digital_signature: "digitalSignature", key_encipherment: "keyEncipherment" };
const EXTENDED_KEY_USAGE: Readonly<Record<string, string>> = { server_auth: "serverAuth", client_auth: "clientAuth" };
/** @pulumi/tls's ecdsaCurve → openssl's curve names. */
const CURVES: Readonly<Record<string, string>> = { P224: "secp224r1", P256: "prime256v1", P384: "secp384r1", P521: "secp521r1" };

function inputsOf(plan: Plan, name: string): Record<string, unknown> {
    const found = plan.resources.find((resource) => resource.name === name);
    if (found === undefined) {
        throw new Error(`${plan.stack}: the plan has no ${name}`);
    }
    return found.inputs;
}

function curveOf(plan: Plan, keyName: string): string {
    const key = inputsOf(plan, keyName);
    const curve = CURVES[String(key["ecdsaCurve"])];
    if (key["algorithm"] !== "ECDSA" || curve === undefined) {
        throw new Error(`${plan.stack}: ${keyName} is ${String(key["algorithm"])} ${String(key["ecdsaCurve"])}; the lab makes ECDSA keys on ${Object.keys(CURVES).join("/")}`);
    }
    return curve;
}

function usages(allowed: unknown): { keyUsage: string[]; extendedKeyUsage: string[] } {
    const uses = (allowed as string[] | undefined) ?? [];
    const unknown = uses.filter((use) => KEY_USAGE[use] === undefined && EXTENDED_KEY_USAGE[use] === undefined);
    if (unknown.length > 0) {
        throw new Error(`allowedUses the lab cannot translate for openssl: ${unknown.join(", ")}`);
    }
    return { keyUsage: uses.flatMap((use) => KEY_USAGE[use] ?? []), extendedKeyUsage: uses.flatMap((use) => EXTENDED_KEY_USAGE[use] ?? []) };
}

function subjectOf(inputs: Record<string, unknown>): { commonName: string; organization?: string } {
    const subject = (inputs["subject"] ?? {}) as { commonName?: string; organization?: string };
    return { commonName: subject.commonName ?? "", ...(subject.organization === undefined ? {} : { organization: subject.organization }) };
}

/** `<name>-certificate` → `<name>`: the key, request and certificate of one CA or leaf share a prefix. */
function prefixOf(resource: PlannedResource): string {
    return resource.name.replace(/-certificate$/, "");
}

function plannedCertificates(plan: Plan): PlannedNames["certificates"] | undefined {
    const cas = plan.resources.filter((resource) => resource.type === "tls:index/selfSignedCert:SelfSignedCert");
    if (cas.length === 0) {
        return undefined;
    }
    if (cas.length !== 1) {
        throw new Error(`${plan.stack}: expected one CA in the plan, found ${cas.length}`);
    }
    const caInputs = cas[0]!.inputs as Record<string, unknown>;
    const ca: CertificateSpec = {
        ...subjectOf(caInputs),
        dnsNames: [],
        validityHours: Number(caInputs["validityPeriodHours"]),
        isCa: caInputs["isCaCertificate"] === true,
        ...(typeof caInputs["maxPathLength"] === "number" ? { pathLength: caInputs["maxPathLength"] } : {}),
        ...usages(caInputs["allowedUses"]),
        curve: curveOf(plan, `${prefixOf(cas[0]!)}-key`),
    };
    const leaves = plan.resources.filter((resource) => resource.type === "tls:index/locallySignedCert:LocallySignedCert").map((leaf): CertificateSpec => {
        const prefix = prefixOf(leaf);
        const request = inputsOf(plan, `${prefix}-request`);
        const inputs = leaf.inputs as Record<string, unknown>;
        return {
            ...subjectOf(request),
            dnsNames: (request["dnsNames"] as string[] | undefined) ?? [],
            validityHours: Number(inputs["validityPeriodHours"]),
            isCa: false,
            ...usages(inputs["allowedUses"]),
            curve: curveOf(plan, `${prefix}-key`),
        };
    });
    return { ca, leaves };
}

function plannedDns(plan: Plan, outputs: Record<string, unknown>): PlannedNames["dns"] | undefined {
    const command = plan.resources.find((resource) => resource.name.endsWith("-dns-config"));
    if (command === undefined) {
        return undefined;
    }
    return { address: String(outputs["dnsServer"]), command: { create: String(command.inputs["create"]), stdin: String(command.inputs["stdin"]) } };
}

/** The plan's names, certificates and DNS server; a plan without a CA or a DNS server fails the tier. */
export function plannedNames(plan: Plan): PlannedNames {
    const outputs = plan.outputs as Record<string, unknown>;
    const certificates = plannedCertificates(plan);
    const dns = plannedDns(plan, outputs);
    if (certificates === undefined || dns === undefined) {
        throw new Error(`${plan.stack}: the plan has ${certificates === undefined ? "no homelab CA" : "no DNS server"}: the network tier checks the names over HTTPS with the homelab CA, through the homelab DNS`);
    }
    return { names: (outputs["dnsRecords"] ?? {}) as Record<string, string>, certificates, dns };
}
