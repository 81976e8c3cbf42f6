// The certificate resource: a custom certificate uploaded to NPM (the homelab CA's leaves) or one
// NPM obtains from Let's Encrypt with a DNS challenge. NPM certificates have no update: any change
// is a new certificate (a new id), created before the old one is deleted so hosts never lose TLS.
import * as pulumi from "@pulumi/pulumi";
import { NpmClient } from "./api-client";
import type { NpmClientTimings, NpmConnection } from "./api-client";

/** A certificate NPM serves but did not issue. */
export interface CustomCertificateSource {
    readonly kind: "custom";
    /** The leaf certificate, PEM. */
    readonly certificate: string;
    /** Its private key, PEM (secret). */
    readonly certificateKey: string;
    /** The issuing CA's certificate, PEM, sent as the chain. */
    readonly intermediateCertificate?: string;
}

/** A certificate NPM obtains from Let's Encrypt through its DNS challenge. */
export interface LetsEncryptCertificateSource {
    readonly kind: "letsencrypt";
    /** NPM's DNS provider id, e.g. "cloudflare" (GET /api/nginx/certificates/dns-providers). */
    readonly dnsProvider: string;
    /** The provider's credentials file, e.g. "dns_cloudflare_api_token = ..." (secret). */
    readonly dnsCredentials: string;
    /** Seconds to wait for the TXT record to propagate. */
    readonly propagationSeconds: number;
}

export interface CertificateInputs {
    readonly connection: NpmConnection;
    /** The name NPM's UI shows; also this program's marker ("homelab <stack>: ..."). */
    readonly niceName: string;
    /** The names it covers. */
    readonly domainNames: readonly string[];
    readonly source: CustomCertificateSource | LetsEncryptCertificateSource;
}

export interface CertificateOutputs extends CertificateInputs {
    /** NPM's id, what proxy hosts refer to. */
    readonly certificateId: number;
    /** When it expires, as NPM reports it. */
    readonly expiresOn: string;
}

interface ApiCertificate {
    readonly id: number;
    readonly provider: string;
    readonly nice_name: string;
    readonly domain_names: string[];
    readonly expires_on: string;
}

const CERTIFICATES = "/api/nginx/certificates";

export class CertificateProvider implements pulumi.dynamic.ResourceProvider<CertificateInputs, CertificateOutputs> {
    constructor(private readonly timings: NpmClientTimings = {}) {}

    private client(connection: NpmConnection): NpmClient {
        return new NpmClient(connection, this.timings);
    }

    check(_olds: CertificateInputs, news: CertificateInputs): Promise<pulumi.dynamic.CheckResult<CertificateInputs>> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (news.domainNames.length === 0) {
            failures.push({ property: "domainNames", reason: "has no names (at least one)" });
        }
        if (news.source.kind === "custom" && !/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(news.source.certificateKey)) {
            failures.push({ property: "source.certificateKey", reason: "is not a PEM private key" });
        }
        if (news.source.kind === "letsencrypt" && news.source.dnsCredentials.trim() === "") {
            failures.push({ property: "source.dnsCredentials", reason: "is empty (the DNS provider's credentials file)" });
        }
        return Promise.resolve(failures.length > 0 ? { failures } : { inputs: { ...news, domainNames: [...new Set(news.domainNames.map((name) => name.toLowerCase()))].sort() } });
    }

    diff(_id: string, olds: CertificateOutputs, news: CertificateInputs): Promise<pulumi.dynamic.DiffResult> {
        const fields = ["niceName", "domainNames", "source"] as const;
        const replaces = [
            ...fields.filter((field) => JSON.stringify(olds[field]) !== JSON.stringify(news[field])),
            ...(olds.connection.url === news.connection.url ? [] : ["connection"]),
        ];
        const login = olds.connection.email !== news.connection.email || olds.connection.password !== news.connection.password;
        return Promise.resolve({ changes: replaces.length > 0 || login, replaces, deleteBeforeReplace: false });
    }

    async create(inputs: CertificateInputs): Promise<pulumi.dynamic.CreateResult<CertificateOutputs>> {
        const client = this.client(inputs.connection);
        const created = await this.createCertificate(client, inputs);
        return { id: String(created.id), outs: { ...inputs, certificateId: created.id, expiresOn: created.expires_on } };
    }

    private async createCertificate(client: NpmClient, inputs: CertificateInputs): Promise<ApiCertificate> {
        const source = inputs.source;
        if (source.kind === "letsencrypt") {
            // certbot runs inside this request; on failure NPM deletes the row and answers 500.
            return client.call<ApiCertificate>("POST", CERTIFICATES, { json: {
                provider: "letsencrypt",
                nice_name: inputs.niceName,
                domain_names: [...inputs.domainNames],
                meta: { dns_challenge: true, dns_provider: source.dnsProvider, dns_provider_credentials: source.dnsCredentials, propagation_seconds: source.propagationSeconds, key_type: "ecdsa" },
            } }).catch((error: unknown) => {
                throw new Error(`Let's Encrypt refused ${inputs.domainNames.join(", ")} through NPM's ${source.dnsProvider} DNS challenge: ${error instanceof Error ? error.message : String(error)}`);
            });
        }
        const created = await client.call<ApiCertificate>("POST", CERTIFICATES, { json: { provider: "other", nice_name: inputs.niceName } });
        try {
            await client.call("POST", `${CERTIFICATES}/${created.id}/upload`, { form: {
                certificate: source.certificate,
                certificate_key: source.certificateKey,
                ...(source.intermediateCertificate === undefined ? {} : { intermediate_certificate: source.intermediateCertificate }),
            } });
        } catch (error) {
            // An empty custom certificate is useless and would stay behind: remove it.
            await client.call("DELETE", `${CERTIFICATES}/${created.id}`);
            throw error;
        }
        const uploaded = await client.call<ApiCertificate>("GET", `${CERTIFICATES}/${created.id}`);
        return uploaded;
    }

    async read(id: string, props?: CertificateOutputs): Promise<pulumi.dynamic.ReadResult<CertificateOutputs>> {
        if (props === undefined) {
            throw new Error("importing Nginx Proxy Manager objects is not supported: the provider needs the login that only a created resource carries");
        }
        // The API returns a custom certificate's private key in meta: only these fields are kept.
        const found = await this.client(props.connection).find<ApiCertificate>(`${CERTIFICATES}/${id}`);
        if (found === undefined) {
            return { id: "" };
        }
        return { id, props: { ...props, niceName: found.nice_name, domainNames: [...found.domain_names].map((name) => name.toLowerCase()).sort(), expiresOn: found.expires_on } };
    }

    async delete(id: string, props: CertificateOutputs): Promise<void> {
        const client = this.client(props.connection);
        // Ids are never reused: the id in state is the certificate this program created.
        if (await client.find<ApiCertificate>(`${CERTIFICATES}/${id}`) === undefined) {
            return;
        }
        await client.call("DELETE", `${CERTIFICATES}/${id}`);
    }
}

const PROVIDER = new CertificateProvider();

export type CertificateArgs = {
    readonly connection: pulumi.Input<NpmConnection>;
    readonly niceName: pulumi.Input<string>;
    readonly domainNames: pulumi.Input<readonly string[]>;
    readonly source: pulumi.Input<CustomCertificateSource | LetsEncryptCertificateSource>;
};

/** One certificate in Nginx Proxy Manager. */
export class Certificate extends pulumi.dynamic.Resource {
    declare public readonly certificateId: pulumi.Output<number>;
    declare public readonly expiresOn: pulumi.Output<string>;

    constructor(name: string, args: CertificateArgs, opts?: pulumi.CustomResourceOptions) {
        super(PROVIDER, name, { ...args, certificateId: undefined, expiresOn: undefined }, {
            ...opts,
            // The login, the leaf's key and the DNS provider's credentials stay encrypted in state.
            additionalSecretOutputs: ["connection", "source"],
        }, "nginx-proxy-manager", "Certificate");
    }
}
