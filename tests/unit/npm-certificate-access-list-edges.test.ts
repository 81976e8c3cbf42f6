// The certificate and access list providers' less travelled paths against the fake NPM API: each
// check failure, what each kind of change replaces, the CA chain in an upload, reads that map NPM's
// answer back, and deletes of what is already gone.
import { AccessListProvider } from "../../components/nginx-proxy-manager/access-list-provider";
import type { AccessListInputs, AccessListOutputs } from "../../components/nginx-proxy-manager/access-list-provider";
import { forgetLogins } from "../../components/nginx-proxy-manager/api-client";
import { CertificateProvider } from "../../components/nginx-proxy-manager/certificate-provider";
import type { CertificateInputs, CertificateOutputs } from "../../components/nginx-proxy-manager/certificate-provider";
import { FakeNpmApi } from "../helpers/fake-npm-api";
import { selfSignedLeaf } from "../helpers/npm-leaf";

const EMAIL = "owner@homelab.test";
const PASSWORD = "s3cretPassw0rd";
const CREDENTIALS = "dns_cloudflare_api_token = 0123456789abcdef";
const timings = { readyTimeoutMs: 400, retryIntervalMs: 20 };
const certificates = new CertificateProvider(timings);
const accessLists = new AccessListProvider(timings);
let api: FakeNpmApi;
let leaf: { certificate: string; key: string };

beforeAll(() => {
    leaf = selfSignedLeaf(["photos.home.arpa", "Album.home.arpa"]);
});
beforeEach(async () => {
    forgetLogins();
    api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD, letsEncryptCredentials: CREDENTIALS }).start();
});
afterEach(() => api.stop());

const connection = () => ({ url: api.url, email: EMAIL, password: PASSWORD });
const custom = (overrides: Partial<CertificateInputs> = {}): CertificateInputs => ({
    connection: connection(), niceName: "homelab prod: photos.home.arpa", domainNames: ["photos.home.arpa"],
    source: { kind: "custom", certificate: leaf.certificate, certificateKey: leaf.key }, ...overrides,
});
const letsEncrypt = (dnsCredentials: string): CertificateInputs => ({
    connection: connection(), niceName: "homelab prod: photos.example.net", domainNames: ["photos.example.net"],
    source: { kind: "letsencrypt", dnsProvider: "cloudflare", dnsCredentials, propagationSeconds: 30 },
});
const outputs = (inputs: CertificateInputs): CertificateOutputs => ({ ...inputs, certificateId: 4, expiresOn: "2027-01-01T00:00:00.000Z" });

describe("certificate check", () => {
    it("refuses a certificate for no names", async () => {
        expect((await certificates.check(custom(), custom({ domainNames: [] }))).failures).toEqual([{ property: "domainNames", reason: "has no names (at least one)" }]);
    });

    it("takes any PEM private key, and refuses one that does not start as one", async () => {
        for (const key of ["-----BEGIN PRIVATE KEY-----\nMIG\n", "-----BEGIN EC PRIVATE KEY-----\nMHc\n", "-----BEGIN RSA PRIVATE KEY-----\nMII\n"]) {
            const inputs = custom({ source: { kind: "custom", certificate: leaf.certificate, certificateKey: key } });
            expect((await certificates.check(inputs, inputs)).failures).toBeUndefined();
        }
        for (const key of ["-----BEGIN CERTIFICATE-----\nMII\n", " -----BEGIN PRIVATE KEY-----\n", "-----BEGIN private KEY-----\n"]) {
            const inputs = custom({ source: { kind: "custom", certificate: leaf.certificate, certificateKey: key } });
            expect((await certificates.check(inputs, inputs)).failures).toEqual([{ property: "source.certificateKey", reason: "is not a PEM private key" }]);
        }
    });

    it("refuses empty DNS credentials for Let's Encrypt, and takes the key check only for custom ones", async () => {
        expect((await certificates.check(letsEncrypt(""), letsEncrypt(" \n"))).failures).toEqual([{ property: "source.dnsCredentials", reason: "is empty (the DNS provider's credentials file)" }]);
        expect((await certificates.check(letsEncrypt(CREDENTIALS), letsEncrypt(CREDENTIALS))).inputs).toEqual(letsEncrypt(CREDENTIALS));
    });

    it("reports every problem at once", async () => {
        const inputs = custom({ domainNames: [], source: { kind: "custom", certificate: leaf.certificate, certificateKey: "" } });
        expect((await certificates.check(inputs, inputs)).failures!.map((failure) => failure.property)).toEqual(["domainNames", "source.certificateKey"]);
    });

    it("lower-cases, dedupes and sorts the names as NPM stores them", async () => {
        const inputs = custom({ domainNames: ["Photos.home.arpa", "b.home.arpa", "photos.home.arpa"] });
        expect((await certificates.check(inputs, inputs)).inputs).toEqual({ ...inputs, domainNames: ["b.home.arpa", "photos.home.arpa"] });
    });
});

describe("certificate diff", () => {
    it("replaces for a new name, nice name or source, and for another NPM, all at once", async () => {
        const olds = outputs(custom());
        expect(await certificates.diff("4", olds, custom({ niceName: "homelab prod: photos" }))).toEqual({ changes: true, replaces: ["niceName"], deleteBeforeReplace: false });
        expect(await certificates.diff("4", olds, custom({ source: { kind: "custom", certificate: leaf.certificate, certificateKey: `${leaf.key}\n` } }))).toMatchObject({ replaces: ["source"] });
        const everything = { ...letsEncrypt(CREDENTIALS), connection: { ...connection(), url: "http://192.0.2.1:81" } };
        expect(await certificates.diff("4", olds, everything)).toEqual({ changes: true, replaces: ["niceName", "domainNames", "source", "connection"], deleteBeforeReplace: false });
    });

    it("changes in place when only the login changes", async () => {
        const olds = outputs(custom());
        for (const login of [{ email: "admin@homelab.test" }, { password: "rotated" }]) {
            expect(await certificates.diff("4", olds, custom({ connection: { ...connection(), ...login } }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
        }
    });
});

describe("certificate create, read and delete", () => {
    it("names every name and the DNS provider when Let's Encrypt fails", async () => {
        const inputs = { ...letsEncrypt("dns_cloudflare_api_token = wrong"), domainNames: ["photos.example.net", "cloud.example.net"] };
        await expect(certificates.create(inputs)).rejects.toThrow(/^Let's Encrypt refused photos\.example\.net, cloud\.example\.net through NPM's cloudflare DNS challenge: /);
    });

    it("sends the issuing CA as the chain when there is one, and only then", async () => {
        await certificates.create(custom({ source: { kind: "custom", certificate: leaf.certificate, certificateKey: leaf.key, intermediateCertificate: leaf.certificate } }));
        await certificates.create(custom());
        const uploads = api.requests.filter((request) => request.path.endsWith("/upload")).map((request) => request.body as Record<string, string>);
        expect(uploads.map((body) => Object.keys(body).sort())).toEqual([["certificate", "certificate_key", "intermediate_certificate"], ["certificate", "certificate_key"]]);
        expect(uploads[0]!["intermediate_certificate"]).toBe(leaf.certificate);
        expect(api.schemaViolations).toEqual([]);
    });

    it("creates a custom certificate as an 'other' row named by its nice name, and returns what NPM read from the upload", async () => {
        const { id, outs } = await certificates.create(custom());
        expect(api.requests.find((request) => request.method === "POST" && request.path === "/api/nginx/certificates")!.body).toEqual({ provider: "other", nice_name: "homelab prod: photos.home.arpa" });
        expect(outs).toEqual({ ...custom(), certificateId: Number(id), expiresOn: api.certificates.get(Number(id))!["expires_on"] });
    });

    it("reads the names NPM found in the certificate, lower-cased and sorted, and its nice name", async () => {
        const { id, outs } = await certificates.create(custom());
        api.certificates.get(Number(id))!["nice_name"] = "renamed in the UI";
        const read = await certificates.read(id, outs);
        expect(read).toEqual({ id, props: { ...outs, niceName: "renamed in the UI", domainNames: ["album.home.arpa", "photos.home.arpa"] } });
    });

    it("refuses an import, and sends no DELETE for a certificate already gone", async () => {
        await expect(certificates.read("1")).rejects.toThrow("importing Nginx Proxy Manager objects is not supported");
        const { id, outs } = await certificates.create(custom());
        api.certificates.get(Number(id))!.deleted = true;
        await certificates.delete(id, outs!);
        expect(api.requests.filter((request) => request.method === "DELETE")).toEqual([]);
    });
});

describe("access lists", () => {
    const lanOnly = (overrides: Partial<AccessListInputs> = {}): AccessListInputs => ({
        connection: connection(), name: "homelab prod: LAN", satisfyAny: true, passAuth: true,
        clients: [{ address: "192.168.1.0/24", directive: "allow" }, { address: "all", directive: "deny" }],
        users: [{ username: "family", password: "correct horse" }, { username: "guest", password: "battery" }], ...overrides,
    });
    const stored = (inputs: AccessListInputs): AccessListOutputs => ({ ...inputs, accessListId: 5 });

    it.each(["1.2.3.4", "0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.1.7/32", "255.255.255.255", "100.64.0.0/10", "203.0.113.9/29", "192.168.1.200", "192.168.1.149/32", "192.168.1.42", "all"])("takes the client address %s", async (address) => {
        const inputs = lanOnly({ clients: [{ address, directive: "allow" }] });
        expect((await accessLists.check(inputs, inputs)).inputs).toEqual(inputs);
    });

    it.each(["192.168.1.0/33", "192.168.1.0/", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "all2", "any", " all", "10.0.0.0/8 ", "2001:db8::/32"])("refuses the client address %j", async (address) => {
        const inputs = lanOnly({ clients: [{ address: "all", directive: "deny" }, { address, directive: "allow" }] });
        expect((await accessLists.check(inputs, inputs)).failures).toEqual([{ property: "clients[1].address", reason: `${JSON.stringify(address)} is not an IPv4 address, a network in CIDR form or "all"` }]);
    });

    it("refuses a login without a name or a password, and an empty name, all at once", async () => {
        const inputs = lanOnly({ name: "  ", users: [{ username: "family", password: "x" }, { username: "", password: "x" }, { username: "guest", password: "" }] });
        expect((await accessLists.check(inputs, inputs)).failures).toEqual([
            { property: "users[1]", reason: "needs a user name and a password" },
            { property: "users[2]", reason: "needs a user name and a password" },
            { property: "name", reason: "is empty" },
        ]);
    });

    it("changes in place for each field, and replaces only for another NPM", async () => {
        const olds = stored(lanOnly());
        expect(await accessLists.diff("5", olds, lanOnly())).toEqual({ changes: false, replaces: [] });
        for (const change of [{ name: "other" }, { satisfyAny: false }, { passAuth: false }, { clients: [] }, { users: [] }, { connection: { ...connection(), password: "rotated" } }]) {
            expect(await accessLists.diff("5", olds, lanOnly(change))).toEqual({ changes: true, replaces: [] });
        }
        expect(await accessLists.diff("5", olds, lanOnly({ connection: { ...connection(), url: "http://192.0.2.1:81" } }))).toEqual({ changes: true, replaces: ["connection"] });
    });

    it("sends its settings, clients and logins, and reads back NPM's rules and the logins NPM still has", async () => {
        const { id, outs } = await accessLists.create(lanOnly());
        expect(outs).toEqual({ ...lanOnly(), accessListId: Number(id) });
        expect(api.accessLists.get(Number(id))).toMatchObject({ name: "homelab prod: LAN", satisfy_any: true, pass_auth: true, items: lanOnly().users, clients: lanOnly().clients });
        // In the UI: the guest login removed, the rules changed, the list renamed.
        Object.assign(api.accessLists.get(Number(id))!, { name: "renamed", satisfy_any: false, pass_auth: false, items: [{ username: "family", password: "hash" }], clients: [{ address: "10.0.0.0/8", directive: "deny" }, { address: "all", directive: "allow" }] });
        const read = await accessLists.read(id, outs);
        expect(read).toEqual({ id, props: {
            ...outs, name: "renamed", satisfyAny: false, passAuth: false, users: [{ username: "family", password: "correct horse" }],
            clients: [{ address: "10.0.0.0/8", directive: "deny" }, { address: "all", directive: "allow" }],
        } });
        expect(api.requests.filter((request) => request.method === "GET" && request.path.startsWith("/api/nginx/access-lists/")).map((request) => request.path)).toEqual([`/api/nginx/access-lists/${id}?expand=items,clients`]);
    });

    it("reads a list without rules or logins as empty, and one deleted in the UI as gone", async () => {
        const { id, outs } = await accessLists.create(lanOnly({ clients: [], users: [] }));
        delete api.accessLists.get(Number(id))!["clients"];
        api.accessLists.get(Number(id))!["items"] = [];
        expect((await accessLists.read(id, outs)).props).toMatchObject({ clients: [], users: [] });
        api.accessLists.get(Number(id))!.deleted = true;
        expect(await accessLists.read(id, outs)).toEqual({ id: "" });
    });

    it("updates with the full body and returns the list's id as a number", async () => {
        const { id } = await accessLists.create(lanOnly());
        const result = await accessLists.update(id, stored(lanOnly()), lanOnly({ satisfyAny: false, users: [] }));
        expect(result.outs).toEqual({ ...lanOnly({ satisfyAny: false, users: [] }), accessListId: Number(id) });
        expect(api.requests.find((request) => request.method === "PUT")!.body).toEqual({ name: "homelab prod: LAN", satisfy_any: false, pass_auth: true, clients: lanOnly().clients, items: [] });
        expect(api.schemaViolations).toEqual([]);
    });

    it("refuses an import, and sends no DELETE for a list already gone", async () => {
        await expect(accessLists.read("1")).rejects.toThrow("importing Nginx Proxy Manager objects is not supported");
        const { id, outs } = await accessLists.create(lanOnly());
        api.accessLists.get(Number(id))!.deleted = true;
        await accessLists.delete(id, outs!);
        expect(api.requests.filter((request) => request.method === "DELETE")).toEqual([]);
    });
});
