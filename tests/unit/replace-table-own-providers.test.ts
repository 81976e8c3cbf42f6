// The replace table's rows for this project's own dynamic providers say what each provider's diff()
// says, field by field: a change the table marks as a replacement is one diff() puts in `replaces`,
// and the other way round. The plan diff reads only the table, so a row that disagrees mislabels a change.
import { AccessListProvider } from "../../components/nginx-proxy-manager/access-list-provider";
import type { AccessListInputs } from "../../components/nginx-proxy-manager/access-list-provider";
import { CertificateProvider } from "../../components/nginx-proxy-manager/certificate-provider";
import type { CertificateInputs } from "../../components/nginx-proxy-manager/certificate-provider";
import type { ProxyHostInputs } from "../../components/nginx-proxy-manager/proxy-host-model";
import { ProxyHostProvider } from "../../components/nginx-proxy-manager/proxy-host-provider";
import { changedPaths } from "../../tools/plan/diff";
import { replacesOnChange } from "../../tools/plan/replace-table";

const connection = { url: "http://192.0.2.10:81", email: "admin@example.test", password: "first" };
/** Another value for each connection field: another NPM instance, or another login to the same one. */
const CONNECTION_CHANGES = [{ url: "http://192.0.2.11:81" }, { email: "other@example.test" }, { password: "second" }];

interface Case<Inputs> {
    readonly type: string;
    readonly diff: (olds: Inputs, news: Inputs) => Promise<{ replaces?: string[] }>;
    readonly inputs: Inputs;
    /** Each input but the connection, changed to another valid value. */
    readonly changes: readonly Partial<Inputs>[];
}

const proxyHost: Case<ProxyHostInputs> = {
    type: "pulumi-nodejs:dynamic/nginx-proxy-manager:ProxyHost",
    diff: (olds, news) => new ProxyHostProvider().diff("1", { ...olds, hostId: 1 }, news),
    inputs: {
        connection, owner: "homelab/dev/app", domainNames: ["app.home.arpa"], forwardScheme: "http", forwardHost: "app", forwardPort: 80, certificateId: 1,
        sslForced: true, http2Support: true, hstsEnabled: true, hstsSubdomains: false, blockExploits: true, cachingEnabled: false,
        allowWebsocketUpgrade: false, accessListId: 0, advancedConfig: "",
    },
    changes: [
        { owner: "homelab/prod/app" }, { domainNames: ["other.home.arpa"] }, { forwardScheme: "https" }, { forwardHost: "192.0.2.20" }, { forwardPort: 8080 },
        { certificateId: 2 }, { sslForced: false }, { http2Support: false }, { hstsEnabled: false }, { hstsSubdomains: true }, { blockExploits: false },
        { cachingEnabled: true }, { allowWebsocketUpgrade: true }, { accessListId: 3 }, { advancedConfig: "client_max_body_size 0;" },
    ],
};

const certificate: Case<CertificateInputs> = {
    type: "pulumi-nodejs:dynamic/nginx-proxy-manager:Certificate",
    diff: (olds, news) => new CertificateProvider().diff("1", { ...olds, certificateId: 1, expiresOn: "" }, news),
    inputs: { connection, niceName: "homelab dev: home.arpa", domainNames: ["a.home.arpa"], source: { kind: "custom", certificate: "c", certificateKey: "k" } },
    changes: [
        { niceName: "homelab prod: home.arpa" }, { domainNames: ["a.home.arpa", "b.home.arpa"] },
        { source: { kind: "custom", certificate: "c2", certificateKey: "k" } },
        { source: { kind: "letsencrypt", dnsProvider: "cloudflare", dnsCredentials: "dns_cloudflare_api_token = t", propagationSeconds: 30 } },
    ],
};

const accessList: Case<AccessListInputs> = {
    type: "pulumi-nodejs:dynamic/nginx-proxy-manager:AccessList",
    diff: (olds, news) => new AccessListProvider().diff("1", { ...olds, accessListId: 1 }, news),
    inputs: { connection, name: "lan", satisfyAny: true, passAuth: false, clients: [{ address: "192.168.1.0/24", directive: "allow" }], users: [{ username: "u", password: "p" }] },
    changes: [
        { name: "lan only" }, { satisfyAny: false }, { passAuth: true }, { clients: [{ address: "all", directive: "deny" }] },
        { users: [{ username: "u", password: "q" }] }, { users: [] },
    ],
};

async function disagreements<Inputs extends { connection: typeof connection }>(row: Case<Inputs>): Promise<string[]> {
    const variants = [...row.changes.map((change) => ({ ...row.inputs, ...change })), ...CONNECTION_CHANGES.map((change) => ({ ...row.inputs, connection: { ...connection, ...change } }))];
    const found: string[] = [];
    for (const news of variants) {
        const providerReplaces = ((await row.diff(row.inputs, news)).replaces ?? []).length > 0;
        const paths = changedPaths(row.inputs, news);
        expect(paths.length).toBeGreaterThan(0);
        const tableReplaces = paths.some((path) => replacesOnChange(row.type, path));
        if (tableReplaces !== providerReplaces) {
            found.push(`${paths.join(", ")}: table ${tableReplaces ? "replaces" : "updates"}, diff() ${providerReplaces ? "replaces" : "updates"}`);
        }
    }
    return found;
}

// A connection seen changed only as a whole (a "[secret]" mark on one side of the plan) may hide a new url.
const WHOLE_CONNECTION = "connection";

describe("rows of this project's own providers", () => {
    it("ProxyHost: only another NPM instance (connection.url) replaces", async () => {
        expect(await disagreements(proxyHost)).toEqual([]);
        expect(replacesOnChange(proxyHost.type, "connection.url")).toBe(true);
        expect(replacesOnChange(proxyHost.type, WHOLE_CONNECTION)).toBe(true);
    });

    it("Certificate: any change of what it certifies replaces (NPM has no PUT), a new login does not", async () => {
        expect(await disagreements(certificate)).toEqual([]);
        expect(replacesOnChange(certificate.type, "domainNames[0]")).toBe(true);
        expect(replacesOnChange(certificate.type, WHOLE_CONNECTION)).toBe(true);
    });

    it("AccessList: only another NPM instance replaces", async () => {
        expect(await disagreements(accessList)).toEqual([]);
        expect(replacesOnChange(accessList.type, "connection.url")).toBe(true);
        expect(replacesOnChange(accessList.type, WHOLE_CONNECTION)).toBe(true);
    });
});
