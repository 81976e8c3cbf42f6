// One server certificate from the homelab CA, for one app's names: a rename replaces only this
// app's certificate, never one other hosts use.
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { CertificateAuthority } from "./certificate-authority";
import { LEAF_EARLY_RENEWAL_HOURS, LEAF_VALIDITY_HOURS } from "./validity";

export interface LeafCertificateArgs {
    /** The CA that signs it. Required. */
    readonly authority: CertificateAuthority;
    /** The names it covers (subject alternative names; the first is also the common name). Required. */
    readonly dnsNames: readonly string[];
}

export class LeafCertificate extends pulumi.ComponentResource {
    /** Its key: kept across renewals and renames, so only the certificate changes. */
    public readonly key: tls.PrivateKey;
    public readonly request: tls.CertRequest;
    public readonly certificate: tls.LocallySignedCert;
    /** The certificate, PEM. */
    public readonly certificatePem: pulumi.Output<string>;
    /** Its private key, PEM (secret). */
    public readonly privateKeyPem: pulumi.Output<string>;

    constructor(name: string, args: LeafCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:tls:LeafCertificate", name, {}, opts);
        if (args.dnsNames.length === 0) {
            throw new Error(`LeafCertificate ${name}: needs at least one DNS name`);
        }
        this.key = new tls.PrivateKey(`${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent: this });
        this.request = new tls.CertRequest(`${name}-request`, {
            privateKeyPem: this.key.privateKeyPem,
            subject: { commonName: args.dnsNames[0]!, organization: "homelab" },
            dnsNames: [...args.dnsNames],
        }, { parent: this });
        this.certificate = new tls.LocallySignedCert(`${name}-certificate`, {
            certRequestPem: this.request.certRequestPem,
            caPrivateKeyPem: args.authority.key.privateKeyPem,
            caCertPem: args.authority.certificatePem,
            // What iOS and browsers require of a server certificate: serverAuth, digitalSignature for ECDSA.
            allowedUses: ["digital_signature", "server_auth"],
            validityPeriodHours: LEAF_VALIDITY_HOURS,
            earlyRenewalHours: LEAF_EARLY_RENEWAL_HOURS,
        }, { parent: this });
        this.certificatePem = this.certificate.certPem;
        this.privateKeyPem = pulumi.secret(this.key.privateKeyPem);
        this.registerOutputs({ certificatePem: this.certificatePem });
    }
}
