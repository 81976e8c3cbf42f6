// The certificate and access list providers against the fake NPM API.
import { AccessListProvider } from "../../components/nginx-proxy-manager/access-list-provider";
import type { AccessListInputs } from "../../components/nginx-proxy-manager/access-list-provider";
import { forgetLogins } from "../../components/nginx-proxy-manager/api-client";
import { CertificateProvider } from "../../components/nginx-proxy-manager/certificate-provider";
import type { CertificateInputs } from "../../components/nginx-proxy-manager/certificate-provider";
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
    leaf = selfSignedLeaf(["photos.home.arpa"]);
});
beforeEach(async () => {
    forgetLogins();
    api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD, letsEncryptCredentials: CREDENTIALS }).start();
});
afterEach(() => api.stop());

const connection = () => ({ url: api.url, email: EMAIL, password: PASSWORD });
const custom = (): CertificateInputs => ({
    connection: connection(), niceName: "homelab prod: photos.home.arpa", domainNames: ["photos.home.arpa"],
    source: { kind: "custom", certificate: leaf.certificate, certificateKey: leaf.key },
});

describe("custom certificates", () => {
    it("creates the row, uploads certificate and key as multipart, and keeps the key out of what it reads back", async () => {
        const { id, outs } = await certificates.create(custom());
        const stored = api.certificates.get(Number(id))!;
        expect(stored["domain_names"]).toEqual(["photos.home.arpa"]);
        expect((stored["meta"] as Record<string, string>)["certificate_key"]).toBe(leaf.key);
        expect(outs!.certificateId).toBe(Number(id));
        expect(api.schemaViolations).toEqual([]);
        // GET returns meta.certificate_key; the state must only hold what the program gave (secret).
        const read = await certificates.read(id, outs);
        expect(JSON.stringify(read.props)).not.toContain("certificate_key");
        expect(read.props!.expiresOn).toBe(stored["expires_on"]);
    });

    it("removes the empty row when the upload is refused", async () => {
        const broken = { ...custom(), source: { kind: "custom" as const, certificate: "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", certificateKey: leaf.key } };
        await expect(certificates.create(broken)).rejects.toThrow(/upload answered 400: Certificate is not valid/);
        expect([...api.certificates.values()].every((row) => row.deleted === true)).toBe(true);
    });

    it("replaces on any change (NPM certificates have no update), creating the new one before the old goes", async () => {
        const { id, outs } = await certificates.create(custom());
        const renewed = { ...custom(), domainNames: ["pictures.home.arpa"] };
        expect(await certificates.diff(id, outs!, renewed)).toEqual({ changes: true, replaces: ["domainNames"], deleteBeforeReplace: false });
        expect((await certificates.diff(id, outs!, custom())).changes).toBe(false);
    });

    it("refuses a key that is not PEM before any request", async () => {
        const result = await certificates.check(custom(), { ...custom(), source: { kind: "custom", certificate: leaf.certificate, certificateKey: "" } });
        expect(result.failures).toEqual([{ property: "source.certificateKey", reason: "is not a PEM private key" }]);
    });

    it("treats a certificate deleted by hand as gone, and deletes its own", async () => {
        const { id, outs } = await certificates.create(custom());
        await certificates.delete(id, outs!);
        expect(api.certificates.get(Number(id))!.deleted).toBe(true);
        expect(await certificates.read(id, outs)).toEqual({ id: "" });
        await expect(certificates.delete(id, outs!)).resolves.toBeUndefined();
    });
});

describe("Let's Encrypt through NPM's DNS challenge", () => {
    const letsEncrypt = (dnsCredentials: string): CertificateInputs => ({
        connection: connection(), niceName: "homelab prod: photos.example.net", domainNames: ["photos.example.net"],
        source: { kind: "letsencrypt", dnsProvider: "cloudflare", dnsCredentials, propagationSeconds: 30 },
    });

    it("sends the 2.13+ meta (no letsencrypt_email or _agree, which v2.15.1 rejects) and records the expiry", async () => {
        const { outs } = await certificates.create(letsEncrypt(CREDENTIALS));
        const post = api.requests.find((request) => request.method === "POST" && request.path === "/api/nginx/certificates")!.body;
        expect(post).toEqual({
            provider: "letsencrypt", nice_name: "homelab prod: photos.example.net", domain_names: ["photos.example.net"],
            meta: { dns_challenge: true, dns_provider: "cloudflare", dns_provider_credentials: CREDENTIALS, propagation_seconds: 30, key_type: "ecdsa" },
        });
        expect(api.schemaViolations).toEqual([]);
        expect(Date.parse(outs!.expiresOn)).toBeGreaterThan(Date.now());
    });

    it("says which names and which DNS provider failed when certbot fails", async () => {
        await expect(certificates.create(letsEncrypt("dns_cloudflare_api_token = wrong"))).rejects.toThrow(/Let's Encrypt refused photos\.example\.net through NPM's cloudflare DNS challenge: .*500: Some challenges have failed/);
        expect(api.certificates.size).toBe(0);
    });
});

describe("access lists", () => {
    const lanOnly = (): AccessListInputs => ({
        connection: connection(), name: "homelab prod: LAN and tunnel", satisfyAny: false, passAuth: false,
        clients: [{ address: "192.168.1.0/24", directive: "allow" }, { address: "10.8.0.0/24", directive: "allow" }, { address: "all", directive: "deny" }],
        users: [{ username: "family", password: "correct horse" }],
    });

    it("creates, reads back without passwords, updates and deletes, every body schema-valid", async () => {
        const { id, outs } = await accessLists.create(lanOnly());
        const read = await accessLists.read(id, outs);
        expect(read.props!.clients).toEqual(lanOnly().clients);
        expect(read.props!.users).toEqual(lanOnly().users);
        const narrower = { ...lanOnly(), clients: [{ address: "192.168.1.0/24", directive: "allow" as const }] };
        expect((await accessLists.diff(id, read.props!, narrower)).changes).toBe(true);
        await accessLists.update(id, read.props!, narrower);
        expect(api.accessLists.get(Number(id))!["clients"]).toEqual([{ address: "192.168.1.0/24", directive: "allow" }]);
        await accessLists.delete(id, outs!);
        expect(api.accessLists.get(Number(id))!.deleted).toBe(true);
        expect(api.schemaViolations).toEqual([]);
    });

    it("shows a client rule removed in the UI as drift", async () => {
        const { id, outs } = await accessLists.create(lanOnly());
        api.accessLists.get(Number(id))!["clients"] = [{ address: "all", directive: "deny" }];
        const read = await accessLists.read(id, outs);
        expect((await accessLists.diff(id, read.props!, lanOnly())).changes).toBe(true);
    });

    it("refuses an address NPM's schema would reject, naming the rule", async () => {
        const result = await accessLists.check(lanOnly(), { ...lanOnly(), clients: [{ address: "192.168.1.0/33", directive: "allow" }] });
        expect(result.failures).toEqual([{ property: "clients[0].address", reason: expect.stringMatching(/not an IPv4 address, a network in CIDR form or "all"/) as string }]);
    });
});
