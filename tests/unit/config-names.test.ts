// The names, TLS and DNS keys: each rule first shown failing on bad input, then passing on good input.
import { formatProblem } from "../../stacks/parse-config";
import { appsOf, parseValues, validateEditedStack, committedConfig } from "../helpers/config";

const messages = (problems: readonly { key: string; message: string }[]) => problems.map(formatProblem);
const LETS_ENCRYPT = { mode: "letsencrypt-dns", domain: "home.example.net", dnsProvider: "cloudflare" };
const underDomain = (config: Record<string, unknown>) => {
    for (const [app, label] of Object.entries({ jellyfin: "jellyfin", navidrome: "music", immich: "photos", nextcloud: "cloud" })) {
        appsOf(config)[app]!["hostname"] = `${label}.home.example.net`;
    }
    config["homelab:names"] = { proxyAdmin: "proxy.home.example.net" };
    config["homelab:tlsDnsCredentials"] = "dns_cloudflare_api_token = abc";
};

describe("defaults", () => {
    it("is internal TLS, proxy.home.arpa for NPM and pve.home.arpa for Proxmox", () => {
        const config = parseValues(committedConfig("prod"));
        expect(config.tls).toEqual({ mode: "internal", propagationSeconds: 60 });
        expect(config.names).toEqual({ proxyAdmin: "proxy.home.arpa", proxmox: "pve.home.arpa", extraHosts: [] });
    });
});

describe("letsencrypt-dns", () => {
    it("refuses every served hostname outside the domain, naming its key and the domain", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            config["homelab:tls"] = LETS_ENCRYPT;
            config["homelab:tlsDnsCredentials"] = "dns_cloudflare_api_token = abc";
        });
        expect(messages(problems)).toEqual([
            'homelab:apps.jellyfin.hostname: "jellyfin.home.arpa" is not under the Let\'s Encrypt domain home.example.net (a name ending in .home.example.net, such as jellyfin.home.example.net; or homelab:tls.mode "internal")',
            'homelab:apps.navidrome.hostname: "music.home.arpa" is not under the Let\'s Encrypt domain home.example.net (a name ending in .home.example.net, such as music.home.example.net; or homelab:tls.mode "internal")',
            'homelab:apps.immich.hostname: "photos.home.arpa" is not under the Let\'s Encrypt domain home.example.net (a name ending in .home.example.net, such as photos.home.example.net; or homelab:tls.mode "internal")',
            'homelab:apps.nextcloud.hostname: "cloud.home.arpa" is not under the Let\'s Encrypt domain home.example.net (a name ending in .home.example.net, such as cloud.home.example.net; or homelab:tls.mode "internal")',
            'homelab:names.proxyAdmin: "proxy.home.arpa" is not under the Let\'s Encrypt domain home.example.net (a name ending in .home.example.net, such as proxy.home.example.net; or homelab:tls.mode "internal")',
        ]);
    });

    it("accepts names under the domain; the Proxmox name, which NPM does not serve, may stay local", () => {
        const { problems, config } = validateEditedStack("prod", (edited) => {
            edited["homelab:tls"] = LETS_ENCRYPT;
            underDomain(edited);
        });
        expect(problems).toEqual([]);
        expect(config?.names.proxmox).toBe("pve.home.arpa");
    });

    it("a name that merely ends like the domain is not under it", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            config["homelab:tls"] = LETS_ENCRYPT;
            underDomain(config);
            appsOf(config)["immich"]!["hostname"] = "photosexample.net";
        });
        expect(problems.map((problem) => problem.key)).toEqual(["apps.immich.hostname"]);
    });

    it("needs the domain, the DNS provider and the secret credentials, each named", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            config["homelab:tls"] = { mode: "letsencrypt-dns" };
        });
        expect(problems.map((problem) => problem.key)).toEqual(["tls.domain", "tls.dnsProvider", "tlsDnsCredentials"]);
        expect(problems[2]!.message).toContain("config set --secret tlsDnsCredentials");
    });

    it("refuses credentials stored in plain text", () => {
        const values = committedConfig("prod");
        values["tls"] = LETS_ENCRYPT;
        values["tlsDnsCredentials"] = "dns_cloudflare_api_token = abc";
        expect(() => parseValues(values, { allowPlaceholders: true }, new Set(["proxmoxApiToken"]))).toThrow(/homelab:tlsDnsCredentials: is stored in plain text/);
    });

    it("refuses an unknown mode with the two allowed", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            config["homelab:tls"] = { mode: "acme" };
        });
        expect(messages(problems)).toEqual(['homelab:tls.mode: "acme" is not allowed ("internal" or "letsencrypt-dns")']);
    });
});

describe("one name, one owner", () => {
    it("refuses NPM's admin name when an app has it, and the Proxmox name when an extra host has it", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            config["homelab:names"] = { proxyAdmin: "photos.home.arpa", extraHosts: [{ hostname: "pve.home.arpa", forwardHost: "192.168.1.50", forwardPort: 8123 }] };
        });
        expect(messages(problems)).toEqual([
            'homelab:names.proxyAdmin: "photos.home.arpa" is already homelab:apps.immich.hostname (a name of its own: each name gets one DNS answer, one proxy host and one certificate)',
            'homelab:names.extraHosts[0].hostname: "pve.home.arpa" is already homelab:names.proxmox (a name of its own: each name gets one DNS answer, one proxy host and one certificate)',
        ]);
    });

    it("two apps sharing a name are reported once (by the apps' own rule)", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["navidrome"]!["hostname"] = "photos.home.arpa";
        });
        expect(problems.map((problem) => problem.key)).toEqual(["apps.immich.hostname"]);
    });
});

describe("extra hosts' upstreams", () => {
    test.each(['127.0.0.1"; return 200 x; #', "host name", "http://192.168.1.50", "1.2.3", "-printer"])("%j is refused as forwardHost", (forwardHost) => {
        const { problems } = validateEditedStack("prod", (config) => {
            config["homelab:names"] = { extraHosts: [{ hostname: "home.home.arpa", forwardHost, forwardPort: 8123 }] };
        });
        expect(problems.map((problem) => problem.key)).toEqual(["names.extraHosts[0].forwardHost"]);
        expect(problems[0]!.message).toContain("is not a container name, IPv4 address or DNS name");
    });

    test.each(["homeassistant", "192.168.1.50", "printer.lan", "immich_server"])("%j is accepted, and gets a proxy host and a DNS answer", (forwardHost) => {
        const { problems, config } = validateEditedStack("prod", (edited) => {
            edited["homelab:names"] = { extraHosts: [{ hostname: "home.home.arpa", forwardHost, forwardPort: 8123 }] };
        });
        expect(problems).toEqual([]);
        expect(config?.names.extraHosts[0]).toEqual({ hostname: "home.home.arpa", forwardHost, forwardPort: 8123, forwardScheme: "http", websockets: false });
    });
});
