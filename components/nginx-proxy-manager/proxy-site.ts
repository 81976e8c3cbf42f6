// One app's name, end to end: its certificate (a leaf of the homelab CA uploaded to NPM, or one NPM
// gets from Let's Encrypt) and its NPM proxy host. Everything here is named after the app's key, so
// a new hostname updates these resources and no other app's.
import * as pulumi from "@pulumi/pulumi";
import type { CertificateAuthority } from "../tls/certificate-authority";
import { LeafCertificate } from "../tls/leaf-certificate";
import { AccessList } from "./access-list-provider";
import type { NpmConnection } from "./api-client";
import { Certificate } from "./certificate-provider";
import type { CustomCertificateSource, LetsEncryptCertificateSource } from "./certificate-provider";
import { isDomainName, isForwardHost } from "./proxy-host-model";
import { ProxyHost } from "./proxy-host-provider";
import type { ProxyHostSpec } from "./proxy-host-spec";

/** Where a site's certificate comes from. */
export type SiteTls =
    | { readonly mode: "internal"; readonly authority: CertificateAuthority }
    | { readonly mode: "letsencrypt-dns"; readonly dnsProvider: string; readonly dnsCredentials: pulumi.Input<string>; readonly propagationSeconds: number };

export interface ProxySiteArgs {
    /** What the app declared. Required. */
    readonly spec: ProxyHostSpec;
    /** NPM's API and admin login (the password secret). Required. */
    readonly connection: pulumi.Input<NpmConnection>;
    /** Where the certificate comes from. Required. */
    readonly tls: SiteTls;
    /** Client networks (CIDR) allowed to open the site; everyone else gets 403. Default: everyone. */
    readonly allowOnlyFrom?: readonly string[];
    /** What must exist before NPM is called: its container. Default: nothing. */
    readonly dependsOn?: readonly pulumi.Resource[];
}

export class ProxySite extends pulumi.ComponentResource {
    /** The leaf certificate (internal mode only). */
    public readonly leaf?: LeafCertificate;
    /** The certificate in NPM. */
    public readonly certificate: Certificate;
    /** Who may open it (when restricted). */
    public readonly accessList?: AccessList;
    /** The proxy host in NPM. */
    public readonly proxyHost: ProxyHost;
    /** https://<hostname>. */
    public readonly url: string;

    constructor(name: string, args: ProxySiteArgs, opts?: pulumi.ComponentResourceOptions) {
        const { spec } = args;
        // The config rules report these with the key; a component used elsewhere refuses on its own.
        if (!isDomainName(spec.hostname) || !isForwardHost(spec.forwardHost)) {
            throw new Error(`ProxySite ${name}: ${JSON.stringify(spec.hostname)} → ${JSON.stringify(spec.forwardHost)}: a DNS name and a container name, IPv4 address or DNS name are required`);
        }
        super("homelab:nginx-proxy-manager:ProxySite", name, {}, opts);
        const child = { parent: this, dependsOn: [...(args.dependsOn ?? [])] };
        const niceName = `homelab ${pulumi.getStack()}: ${spec.hostname}`;
        let source: pulumi.Output<CustomCertificateSource | LetsEncryptCertificateSource>;
        if (args.tls.mode === "internal") {
            const leaf = new LeafCertificate(`${name}-tls`, { authority: args.tls.authority, dnsNames: [spec.hostname] }, { parent: this });
            this.leaf = leaf;
            source = pulumi.all([leaf.certificatePem, leaf.privateKeyPem]).apply(([certificate, certificateKey]): CustomCertificateSource => ({ kind: "custom", certificate, certificateKey }));
        } else {
            const { dnsProvider, propagationSeconds } = args.tls;
            source = pulumi.output(args.tls.dnsCredentials).apply((dnsCredentials): LetsEncryptCertificateSource => ({ kind: "letsencrypt", dnsProvider, dnsCredentials, propagationSeconds }));
        }
        this.certificate = new Certificate(`${name}-certificate`, {
            connection: args.connection,
            niceName,
            domainNames: [spec.hostname],
            source: pulumi.secret(source),
        }, child);
        if (args.allowOnlyFrom !== undefined) {
            this.accessList = new AccessList(`${name}-access-list`, {
                connection: args.connection,
                name: niceName,
                satisfyAny: false,
                passAuth: false,
                clients: [...args.allowOnlyFrom.map((address) => ({ address, directive: "allow" as const })), { address: "all", directive: "deny" as const }],
                users: [],
            }, child);
        }
        this.proxyHost = new ProxyHost(`${name}-proxy-host`, {
            connection: args.connection,
            // The marker NPM keeps in the host's meta: this stack's resource, nobody else's.
            owner: `${pulumi.getProject()}/${pulumi.getStack()}/${name}-proxy-host`,
            domainNames: [spec.hostname],
            forwardScheme: spec.forwardScheme ?? "http",
            forwardHost: spec.forwardHost,
            forwardPort: spec.forwardPort,
            certificateId: this.certificate.certificateId,
            sslForced: true,
            http2Support: true,
            hstsEnabled: true,
            // home.arpa is shared with the router's own names: HSTS stays on these exact names.
            hstsSubdomains: false,
            blockExploits: true,
            cachingEnabled: false,
            allowWebsocketUpgrade: spec.websockets,
            accessListId: this.accessList?.accessListId ?? 0,
            advancedConfig: spec.advancedConfig ?? "",
        }, child);
        this.url = `https://${spec.hostname}`;
        this.registerOutputs({ url: this.url });
    }
}
