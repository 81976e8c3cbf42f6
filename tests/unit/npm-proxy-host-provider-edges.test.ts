// The proxy host provider's less travelled paths against the fake NPM API: logins that change,
// names NPM's LIKE query returns but nobody holds, names held by other hosts on update, nginx
// rejecting an update, and errors that are not "already in use".
import { forgetLogins } from "../../components/nginx-proxy-manager/api-client";
import type { ProxyHostInputs } from "../../components/nginx-proxy-manager/proxy-host-model";
import { ProxyHostProvider } from "../../components/nginx-proxy-manager/proxy-host-provider";
import type { ProxyHostOutputs } from "../../components/nginx-proxy-manager/proxy-host-provider";
import { FakeNpmApi } from "../helpers/fake-npm-api";

const EMAIL = "owner@homelab.test";
const PASSWORD = "s3cretPassw0rd";
const provider = new ProxyHostProvider({ readyTimeoutMs: 400, retryIntervalMs: 20 });

let api: FakeNpmApi;
function music(overrides: Partial<ProxyHostInputs> = {}): ProxyHostInputs {
    return {
        connection: { url: api.url, email: EMAIL, password: PASSWORD },
        owner: "homelab/prod/homelab-apps-navidrome-proxy-host",
        domainNames: ["music.home.arpa"],
        forwardScheme: "http", forwardHost: "navidrome", forwardPort: 4533,
        certificateId: 0, sslForced: false, http2Support: false, hstsEnabled: false, hstsSubdomains: false,
        blockExploits: true, cachingEnabled: false, allowWebsocketUpgrade: false, accessListId: 0, advancedConfig: "",
        ...overrides,
    };
}
async function created(inputs: ProxyHostInputs): Promise<{ id: string; outs: ProxyHostOutputs }> {
    const result = await provider.create((await provider.check(inputs, inputs)).inputs!);
    return { id: result.id, outs: result.outs! };
}
const writes = () => api.requests.filter((request) => request.method !== "GET" && request.path.startsWith("/api/nginx"));

beforeEach(async () => {
    forgetLogins();
    api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD }).start();
});
afterEach(() => api.stop());

describe("diff of the login", () => {
    it("is an in-place change when only the e-mail or the password changes", async () => {
        const { id, outs } = await created(music());
        const declared = (await provider.check(music(), music())).inputs!;
        for (const connection of [{ ...declared.connection, email: "admin@homelab.test" }, { ...declared.connection, password: "rotated" }]) {
            expect(await provider.diff(id, outs, { ...declared, connection })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
        }
    });
});

describe("creating next to other hosts", () => {
    it("is not blocked by a host whose name only contains the wanted one (NPM's query is a LIKE)", async () => {
        api.addHandMadeHost(["mymusic.home.arpa"]);
        const { id, outs } = await created(music());
        expect(api.hosts.get(Number(id))!["domain_names"]).toEqual(["music.home.arpa"]);
        expect(outs).toMatchObject({ hostId: Number(id), domainNames: ["music.home.arpa"] });
    });

    it("names a host holding several wanted names once, and every other holder", async () => {
        api.addHandMadeHost(["music.home.arpa", "songs.home.arpa"]);
        api.addHandMadeHost(["tunes.home.arpa"], "192.168.1.51", 80);
        await expect(created(music({ domainNames: ["music.home.arpa", "songs.home.arpa", "tunes.home.arpa"] }))).rejects.toThrow(
            "music.home.arpa, songs.home.arpa, tunes.home.arpa: already served by proxy host #1 (music.home.arpa, songs.home.arpa → http://192.168.1.50:8123, made by hand in NPM); " +
            "proxy host #2 (tunes.home.arpa → http://192.168.1.51:80, made by hand in NPM). Nothing was changed or deleted: remove the name from that host in NPM's UI (or delete the host), then run pulumi up again.",
        );
        expect(writes()).toEqual([]);
    });

    it("does not adopt another stack's host holding the name", async () => {
        await created(music({ owner: "homelab/dev/homelab-apps-navidrome-proxy-host" }));
        await expect(created(music())).rejects.toThrow(/already served by proxy host #1 \(music\.home\.arpa → http:\/\/navidrome:4533, managed by homelab\/dev\/homelab-apps-navidrome-proxy-host\)/);
        expect(api.requests.filter((request) => request.method === "PUT")).toEqual([]);
    });

    it("passes an API error that is not 'already in use' on as it is", async () => {
        // check() would refuse this port; create() without it sends the port, and NPM's schema refuses it.
        await expect(provider.create(music({ forwardPort: 70000 }))).rejects.toThrow(/^Nginx Proxy Manager: POST \/api\/nginx\/proxy-hosts answered 400: .*forward_port/);
    });
});

describe("updating", () => {
    it("refuses a new name another host holds, naming it, and sends nothing", async () => {
        const { id, outs } = await created(music());
        api.addHandMadeHost(["songs.home.arpa"]);
        await expect(provider.update(id, outs, music({ domainNames: ["music.home.arpa", "songs.home.arpa"] }))).rejects.toThrow(
            /^music\.home\.arpa, songs\.home\.arpa: already served by proxy host #2 \(songs\.home\.arpa → http:\/\/192\.168\.1\.50:8123, made by hand in NPM\)\. Nothing was changed/,
        );
        expect(api.requests.filter((request) => request.method === "PUT")).toEqual([]);
    });

    it("writes every field and returns the normalised state with the host's id", async () => {
        const { id, outs } = await created(music());
        const result = await provider.update(id, outs, music({ domainNames: ["Music.home.arpa"], forwardPort: 4534, sslForced: true }));
        expect(result.outs).toEqual({ ...music({ domainNames: ["music.home.arpa"], forwardPort: 4534 }), hostId: Number(id) });
        expect(api.hosts.get(Number(id))).toMatchObject({ forward_port: 4534, ssl_forced: false });
    });

    it("says the host is offline when nginx rejects its new config", async () => {
        await api.stop();
        api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD, nginxError: (host) => (String(host["advanced_config"]).includes("gzip maybe") ? 'invalid value "maybe"' : undefined) }).start();
        const { id, outs } = await created(music());
        await expect(provider.update(id, outs, music({ advancedConfig: "gzip maybe;" }))).rejects.toThrow(
            'Nginx Proxy Manager rejected the new nginx config of music.home.arpa (invalid value "maybe"): the host is offline until the next successful up',
        );
        // NPM keeps the host (it is in use by this stack's state): nothing is deleted.
        expect(api.hosts.get(Number(id))!.deleted).toBeUndefined();
    });
});

describe("reading and deleting", () => {
    it("keeps the login and the host's id next to what NPM holds", async () => {
        const { id, outs } = await created(music());
        api.hosts.get(Number(id))!["forward_scheme"] = "https";
        const read = await provider.read(id, outs);
        expect(read).toEqual({ id, props: { ...outs, forwardScheme: "https" } });
    });

    it("refuses an import, which has no login", async () => {
        await expect(provider.read("1")).rejects.toThrow("importing Nginx Proxy Manager objects is not supported: the provider needs the login that only a created resource carries");
    });

    it("leaves a host alone that another stack took over", async () => {
        const { id, outs } = await created(music());
        (api.hosts.get(Number(id))!["meta"] as Record<string, unknown>)["homelab_owner"] = "homelab/dev/other";
        await provider.delete(id, outs);
        expect(api.hosts.get(Number(id))!.deleted).toBeUndefined();
        expect(writes().filter((request) => request.method === "DELETE")).toEqual([]);
    });
});

describe("diff of the NPM instance", () => {
    it("is a change and a delete-first replacement when only the URL changes", async () => {
        const { id, outs } = await created(music());
        const declared = (await provider.check(music(), music())).inputs!;
        expect(await provider.diff(id, outs, { ...declared, connection: { ...declared.connection, url: "http://192.0.2.1:81" } })).toEqual({ changes: true, replaces: ["connection"], deleteBeforeReplace: true });
    });
});

describe("waiting for nginx after a write", () => {
    it("asks again while NPM has not yet recorded nginx's verdict, and takes the host once it is online", async () => {
        await api.stop();
        // NPM writes nginx_online into meta once nginx has run over the host; the 201 answer comes
        // before that. Here the GET right after the write still finds no verdict, for 200 ms.
        api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD, nginxError: (host) => {
            setImmediate(() => {
                const meta = host["meta"] as Record<string, unknown>;
                delete meta["nginx_online"];
                delete meta["nginx_err"];
                setTimeout(() => Object.assign(meta, { nginx_online: true, nginx_err: null }), 200);
            });
            return undefined;
        } }).start();
        const { id } = await created(music());
        const post = api.requests.findIndex((request) => request.method === "POST");
        expect(api.requests.slice(post + 1).filter((request) => request.method === "GET" && request.path === `/api/nginx/proxy-hosts/${id}`)).toHaveLength(2);
        expect(api.hosts.get(Number(id))!.deleted).toBeUndefined();
    });
});

describe("messages that list several names", () => {
    const names = ["music.home.arpa", "songs.home.arpa"];

    it("name all of them when nginx rejects a new host", async () => {
        await api.stop();
        api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD, nginxError: () => "unknown directive" }).start();
        await expect(created(music({ domainNames: names }))).rejects.toThrow("Nginx Proxy Manager rejected the nginx config of music.home.arpa, songs.home.arpa (unknown directive); the host was removed again.");
    });

    it("name all of them when nginx rejects an update, or the host was deleted by hand", async () => {
        await api.stop();
        const nginx: { verdict?: string } = {};
        api = await new FakeNpmApi({ email: EMAIL, password: PASSWORD, nginxError: () => nginx.verdict }).start();
        const { id, outs } = await created(music({ domainNames: names }));
        nginx.verdict = "unknown directive";
        await expect(provider.update(id, outs, music({ domainNames: names }))).rejects.toThrow("Nginx Proxy Manager rejected the new nginx config of music.home.arpa, songs.home.arpa (unknown directive): the host is offline");
        api.hosts.get(Number(id))!.deleted = true;
        await expect(provider.update(id, outs, music({ domainNames: names }))).rejects.toThrow(`proxy host #${id} (music.home.arpa, songs.home.arpa) was deleted in Nginx Proxy Manager`);
    });

    it("name all of them when a redirection or 404 host holds one", async () => {
        api.otherHostDomains.add("songs.home.arpa");
        await expect(created(music({ domainNames: names }))).rejects.toThrow(/^music\.home\.arpa, songs\.home\.arpa: songs\.home\.arpa is already in use by a redirection or 404 host/);
    });
});
