// The proxy host provider's methods against the fake NPM API (tests/helpers/fake-npm-api.ts),
// including the failure paths the real v2.15.1 API was observed to produce.
import { forgetLogins } from "../../components/nginx-proxy-manager/api-client";
import { OWNER_META_KEY } from "../../components/nginx-proxy-manager/proxy-host-model";
import type { ProxyHostInputs } from "../../components/nginx-proxy-manager/proxy-host-model";
import { ProxyHostProvider } from "../../components/nginx-proxy-manager/proxy-host-provider";
import type { ProxyHostOutputs } from "../../components/nginx-proxy-manager/proxy-host-provider";
import { FakeNpmApi } from "../helpers/fake-npm-api";

const EMAIL = "owner@homelab.test";
const PASSWORD = "s3cretPassw0rd";
const provider = new ProxyHostProvider({ readyTimeoutMs: 400, retryIntervalMs: 20 });

let api: FakeNpmApi;
function photos(overrides: Partial<ProxyHostInputs> = {}): ProxyHostInputs {
    return {
        connection: { url: api.url, email: EMAIL, password: PASSWORD },
        owner: "homelab/prod/homelab-apps-immich-proxy-host",
        domainNames: ["photos.home.arpa"],
        forwardScheme: "http", forwardHost: "immich-server", forwardPort: 2283,
        certificateId: 7, sslForced: true, http2Support: true, hstsEnabled: true, hstsSubdomains: false,
        blockExploits: true, cachingEnabled: false, allowWebsocketUpgrade: true, accessListId: 0,
        advancedConfig: "client_max_body_size 50000M;",
        ...overrides,
    };
}
async function created(inputs: ProxyHostInputs): Promise<{ id: string; outs: ProxyHostOutputs }> {
    const checked = (await provider.check(inputs, inputs)).inputs!;
    const result = await provider.create(checked);
    return { id: result.id, outs: result.outs! };
}

beforeEach(async () => {
    forgetLogins();
    api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD }).start();
});
afterEach(() => api.stop());

describe("creating a proxy host", () => {
    it("sends every field in one schema-valid POST, stamps the owner marker and checks nginx took it", async () => {
        const { id, outs } = await created(photos());
        const stored = api.hosts.get(Number(id))!;
        expect(stored["forward_host"]).toBe("immich-server");
        expect(stored["ssl_forced"]).toBe(true);
        expect((stored["meta"] as Record<string, unknown>)[OWNER_META_KEY]).toBe("homelab/prod/homelab-apps-immich-proxy-host");
        expect(outs.hostId).toBe(Number(id));
        const posts = api.requests.filter((request) => request.method === "POST" && request.path === "/api/nginx/proxy-hosts");
        expect(posts).toHaveLength(1);
        expect(Object.keys(posts[0]!.body as object).sort()).toEqual([
            "access_list_id", "advanced_config", "allow_websocket_upgrade", "block_exploits", "caching_enabled", "certificate_id", "domain_names", "enabled",
            "forward_host", "forward_port", "forward_scheme", "hsts_enabled", "hsts_subdomains", "http2_support", "locations", "meta", "ssl_forced",
        ]);
        // nginx_online is only in a GET after the write, never in the 201 body.
        expect(api.requests.some((request) => request.method === "GET" && request.path === `/api/nginx/proxy-hosts/${id}`)).toBe(true);
        expect(api.schemaViolations).toEqual([]);
    });

    it("logs in once for many operations", async () => {
        await created(photos());
        await created(photos({ owner: "homelab/prod/music", domainNames: ["music.home.arpa"], forwardHost: "navidrome", forwardPort: 4533 }));
        expect(api.logins).toBe(1);
    });

    it("applies NPM's SSL rules itself: without a certificate there is no Force SSL, HTTP/2 or HSTS", async () => {
        const { id, outs } = await created(photos({ certificateId: 0 }));
        const post = api.requests.find((request) => request.method === "POST" && request.path === "/api/nginx/proxy-hosts")!.body as Record<string, unknown>;
        // Sending certificate_id 0 with the flags on would store them on (the server's check is skipped).
        expect(post).toMatchObject({ certificate_id: 0, ssl_forced: false, http2_support: false, hsts_enabled: false, hsts_subdomains: false });
        expect(outs).toMatchObject({ sslForced: false, http2Support: false, hstsEnabled: false });
        // The engine diffs against check's output, which is normalised the same way: no permanent diff.
        const read = await provider.read(id, outs);
        const declared = photos({ certificateId: 0 });
        expect((await provider.diff(id, read.props!, (await provider.check(declared, declared)).inputs!)).changes).toBe(false);
    });

    it("refuses a domain a hand-made host holds, naming that host, and changes nothing", async () => {
        const handMade = api.addHandMadeHost(["Photos.home.arpa"]);
        await expect(created(photos())).rejects.toThrow(/photos\.home\.arpa: already served by proxy host #1 \(photos\.home\.arpa → http:\/\/192\.168\.1\.50:8123, made by hand in NPM\)\. Nothing was changed or deleted/);
        expect(api.requests.filter((request) => request.method !== "GET" && request.path.startsWith("/api/nginx"))).toEqual([]);
        expect(api.hosts.get(handMade.id)!.deleted).toBeUndefined();
    });

    it("names a redirection or 404 host holding the domain (NPM's check covers them; its list of proxy hosts does not)", async () => {
        api.otherHostDomains.add("photos.home.arpa");
        await expect(created(photos())).rejects.toThrow(/photos\.home\.arpa: photos\.home\.arpa is already in use by a redirection or 404 host in Nginx Proxy Manager \(no proxy host has it\)\. Nothing was changed or deleted/);
        expect(api.hosts.size).toBe(0);
    });

    it("adopts its own host left by a create whose answer was lost, instead of failing on 'already in use'", async () => {
        const first = await created(photos());
        forgetLogins();
        const again = await created(photos({ forwardPort: 2284 }));
        expect(again.id).toBe(first.id);
        expect(api.hosts.get(Number(first.id))!["forward_port"]).toBe(2284);
        expect(api.requests.filter((request) => request.method === "POST" && request.path === "/api/nginx/proxy-hosts")).toHaveLength(1);
    });

    it("removes a host nginx rejected (nginx_online false) and says why", async () => {
        await api.stop();
        api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD, nginxError: (host) => (String(host["advanced_config"]).includes("proxy_bufering") ? 'unknown directive "proxy_bufering"' : undefined) }).start();
        await expect(created(photos({ advancedConfig: "proxy_bufering off;" }))).rejects.toThrow(/rejected the nginx config of photos\.home\.arpa \(unknown directive "proxy_bufering"\); the host was removed again/);
        expect([...api.hosts.values()].every((host) => host.deleted === true)).toBe(true);
    });
});

describe("waiting for the API and logging in", () => {
    it("retries while nginx answers 502 during the backend's start", async () => {
        await api.stop();
        api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD, startupRequests: 3 }).start();
        const { id } = await created(photos());
        expect(api.hosts.has(Number(id))).toBe(true);
    });

    it("gives up after the timeout with a message that says what to check", async () => {
        await api.stop();
        const inputs = photos();
        await expect(provider.create(inputs)).rejects.toThrow(/Nginx Proxy Manager's API at http:\/\/127\.0\.0\.1:\d+\/api\/ did not answer within 0 s \(last: .*ECONNREFUSED.*\)\. Check that the nginx-proxy-manager container is running/);
    });

    it("reports a wrong password with the login it tried and where the right one is", async () => {
        const inputs = photos({ connection: { url: api.url, email: EMAIL, password: "wrong" } });
        await expect(provider.create(inputs)).rejects.toThrow(/refused the login of owner@homelab\.test \(Invalid email or password\).*adminCredentials/);
    });
});

describe("a host changed or deleted in NPM's UI", () => {
    it("shows drift in a field on refresh, and the next update puts it back with the full field set", async () => {
        const { id, outs } = await created(photos());
        api.hosts.get(Number(id))!["forward_port"] = 9999;
        const read = await provider.read(id, outs);
        expect(read.props!.forwardPort).toBe(9999);
        expect(await provider.diff(id, read.props!, photos())).toMatchObject({ changes: true, replaces: [] });
        await provider.update(id, read.props!, photos());
        const put = api.requests.find((request) => request.method === "PUT")!.body as Record<string, unknown>;
        // A PUT without certificate_id would silently turn SSL off (partial PUT + normalisation bug).
        expect(put["certificate_id"]).toBe(7);
        expect(api.hosts.get(Number(id))).toMatchObject({ forward_port: 2283, ssl_forced: true, hsts_enabled: true });
        expect(api.schemaViolations).toEqual([]);
    });

    it("reads a host deleted by hand as gone, but only after the token is shown to work", async () => {
        const { id, outs } = await created(photos());
        api.hosts.get(Number(id))!.deleted = true;
        expect(await provider.read(id, outs)).toEqual({ id: "" });
        expect(api.requests.at(-1)!.path).toBe("/api/users/me");
        await expect(provider.update(id, outs, photos({ forwardPort: 1 }))).rejects.toThrow(/was deleted in Nginx Proxy Manager: run `pulumi refresh`/);
        await expect(provider.delete(id, outs)).resolves.toBeUndefined();
    });

    it("does not take a 404 for 'gone' when the token no longer works", async () => {
        const { id, outs } = await created(photos());
        forgetLogins();
        await api.stop();
        // A restarted NPM with another admin: this login fails, so the host cannot be declared gone.
        api = await new FakeNpmApi({ email: "someone@else.test", password: PASSWORD }).start();
        await expect(provider.read(id, { ...outs, connection: { ...outs.connection, url: api.url } })).rejects.toThrow(/refused the login/);
    });

    it("never modifies or deletes a host that lost its marker", async () => {
        const { id, outs } = await created(photos());
        api.hosts.get(Number(id))!["meta"] = { nginx_online: true };
        await expect(provider.update(id, outs, photos({ forwardPort: 1 }))).rejects.toThrow(/no longer carries this program's marker/);
        await provider.delete(id, outs);
        expect(api.hosts.get(Number(id))!.deleted).toBeUndefined();
    });
});

describe("check and diff", () => {
    it("rejects a forward_host that would inject nginx directives, before any request", async () => {
        const result = await provider.check(photos(), photos({ forwardHost: '127.0.0.1"; return 200 x; #' }));
        expect(result.failures).toEqual([{ property: "forwardHost", reason: expect.stringMatching(/is not a container name, IPv4 address or DNS name/) as string }]);
        expect(api.requests).toEqual([]);
    });

    it("keeps SSL on in a preview, where the new certificate's id is still unknown", async () => {
        // What the engine passes a dynamic provider for an unknown value.
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9" as unknown as number;
        const checked = (await provider.check(photos(), photos({ certificateId: unknown }))).inputs!;
        expect(checked).toMatchObject({ sslForced: true, http2Support: true, hstsEnabled: true });
    });

    it("changes names in place (a PUT), and replaces delete-first only for another NPM", async () => {
        const { id, outs } = await created(photos());
        expect(await provider.diff(id, outs, photos({ domainNames: ["pictures.home.arpa"] }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
        const elsewhere = photos({ connection: { url: "http://192.0.2.1:81", email: EMAIL, password: PASSWORD } });
        expect(await provider.diff(id, outs, elsewhere)).toMatchObject({ replaces: ["connection"], deleteBeforeReplace: true });
        expect((await provider.diff(id, outs, (await provider.check(photos(), photos())).inputs!)).changes).toBe(false);
    });

    it("deletes its own host", async () => {
        const { id, outs } = await created(photos());
        await provider.delete(id, outs);
        expect(api.hosts.get(Number(id))!.deleted).toBe(true);
    });
});
