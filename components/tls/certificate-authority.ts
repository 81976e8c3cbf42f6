// The homelab's own root CA (ECDSA P-256), for names no public CA can certify, such as home.arpa.
// Its key never leaves Pulumi's state (a secret there); devices trust its certificate once.
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { CA_EARLY_RENEWAL_HOURS, CA_VALIDITY_HOURS } from "./validity";

export interface CertificateAuthorityArgs {
    /** The CA's common name, as devices list it among their trusted roots. Required. */
    readonly commonName: string;
}

export class CertificateAuthority extends pulumi.ComponentResource {
    /** The CA's private key (its PEM is a secret output). */
    public readonly key: tls.PrivateKey;
    /** The self-signed CA certificate. */
    public readonly certificate: tls.SelfSignedCert;
    /** The CA certificate, PEM: what devices trust. */
    public readonly certificatePem: pulumi.Output<string>;

    constructor(name: string, args: CertificateAuthorityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:tls:CertificateAuthority", name, {}, opts);
        this.key = new tls.PrivateKey(`${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent: this });
        this.certificate = new tls.SelfSignedCert(`${name}-certificate`, {
            privateKeyPem: this.key.privateKeyPem,
            subject: { commonName: args.commonName, organization: "homelab" },
            isCaCertificate: true,
            // Only leaves below it: a CA certificate that could sign other CAs would be a bigger key to lose.
            maxPathLength: 0,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
            validityPeriodHours: CA_VALIDITY_HOURS,
            earlyRenewalHours: CA_EARLY_RENEWAL_HOURS,
            setSubjectKeyId: true,
        }, { parent: this });
        this.certificatePem = this.certificate.certPem;
        this.registerOutputs({ certificatePem: this.certificatePem });
    }
}
