// The proxy host model's pure rules, case by case: which forward hosts and domain names pass, how a
// declared host is normalised the way NPM would store it, what is sent, and how a host read from
// NPM is compared and described. (npm-proxy-host-provider.test.ts runs them against the fake API.)
import {
    canonicalDomains, changedFields, describeHost, inputProblems, isDomainName, isForwardHost, normalise, observedFields, ownerOf, requestBody,
} from "../../components/nginx-proxy-manager/proxy-host-model";
import type { ApiProxyHost, ProxyHostInputs } from "../../components/nginx-proxy-manager/proxy-host-model";

const CONNECTION = { url: "http://192.168.1.89:81", email: "owner@homelab.test", password: "pw" };
const declared = (overrides: Partial<ProxyHostInputs> = {}): ProxyHostInputs => ({
    connection: CONNECTION, owner: "homelab/prod/photos", domainNames: ["photos.home.arpa"], forwardScheme: "http", forwardHost: "immich-server", forwardPort: 2283,
    certificateId: 7, sslForced: true, http2Support: true, hstsEnabled: true, hstsSubdomains: true, blockExploits: true, cachingEnabled: false,
    allowWebsocketUpgrade: true, accessListId: 3, advancedConfig: "client_max_body_size 50000M;", ...overrides,
});
/** A host as GET /api/nginx/proxy-hosts/:id returns it (npm-api-observed.md). */
const stored = (overrides: Partial<ApiProxyHost> = {}): ApiProxyHost => ({
    id: 12, domain_names: ["photos.home.arpa"], forward_scheme: "http", forward_host: "immich-server", forward_port: 2283, certificate_id: 7, ssl_forced: true,
    http2_support: true, hsts_enabled: true, hsts_subdomains: true, block_exploits: true, caching_enabled: false, allow_websocket_upgrade: true, access_list_id: 3,
    advanced_config: "client_max_body_size 50000M;", enabled: true, meta: { homelab_owner: "homelab/prod/photos", nginx_online: true, nginx_err: null }, locations: null,
    ...overrides,
});
/** A name of `length` characters made of 63-character labels (the longest DNS allows). */
const longName = (length: number): string => {
    const labels: string[] = [];
    let left = length;
    while (left > 0) {
        const label = Math.min(63, left);
        labels.push("a".repeat(label));
        left -= label + 1;
    }
    return labels.join(".");
};

describe("isForwardHost", () => {
    it.each([
        // Every octet form the IPv4 pattern has, in the first and in a later position.
        "0.0.0.0", "7.8.9.0", "10.99.10.99", "100.199.100.199", "200.249.240.201", "250.255.251.254",
        "192.168.1.50", "255.255.255.255",
    ])("takes the IPv4 address %s", (address) => {
        expect(isForwardHost(address)).toBe(true);
    });

    it.each([
        ["256.1.1.1", "an octet above 255"], ["1.2.3.256", "a last octet above 255"], ["1.2.3", "three numbers (inet_aton reads it as 1.2.0.3)"],
        ["10.1", "two numbers"], ["12", "one number (an address to inet_aton)"], ["10.20.30", "three two-digit numbers"], ["1.2.3.4.5", "five numbers"],
        ["01.2.3.4", "a leading zero (octal to inet_aton)"],
    ])("refuses %s: %s, which nginx would not read as the name it looks like", (text) => {
        expect(isForwardHost(text)).toBe(false);
    });

    it.each(["immich-server", "redis7", "1password", "my_app", "printer.home.arpa", "host.a", "printer.lan", longName(253)])("takes the container or DNS name %s", (name) => {
        expect(isForwardHost(name)).toBe(true);
    });

    it.each([
        ["bad host", "a space"], ['127.0.0.1"; return 200 x; #', "nginx syntax"], ["evil; 10.0.0.1", "an address after other text"],
        ["-immich", "a leading hyphen"], ["printer.home-", "a label ending in a hyphen"], ["printer..lan", "an empty label"],
        [longName(254), "254 characters"], ["", "nothing"],
    ])("refuses %j: %s", (text) => {
        expect(isForwardHost(text)).toBe(false);
    });
});

describe("isDomainName", () => {
    it.each(["photos.home.arpa", "a.b", "x", "*.home.arpa", "1.home.arpa", longName(253)])("takes %s", (name) => {
        expect(isDomainName(name)).toBe(true);
    });

    it.each([
        ["photos.home.arpa.", "a trailing dot"], ["bad name.home.arpa", "a space"], ["-photos.home.arpa", "a leading hyphen"], ["photos-.home.arpa", "a label ending in a hyphen"],
        ["photos_app.home.arpa", "an underscore"], ["*.*.home.arpa", "two wildcards"], [longName(254), "254 characters"], ["", "nothing"],
    ])("refuses %j: %s", (name) => {
        expect(isDomainName(name)).toBe(false);
    });
});

describe("canonicalDomains", () => {
    it("lower-cases, drops repeats and sorts in code-unit order, as NPM returns them", () => {
        expect(canonicalDomains(["photos.home.arpa", "Music.home.arpa", "music.home.arpa", "*.home.arpa"])).toEqual(["*.home.arpa", "music.home.arpa", "photos.home.arpa"]);
    });
});

describe("normalise", () => {
    it("keeps every flag with a certificate", () => {
        expect(normalise(declared())).toEqual(declared());
    });

    it("drops Force SSL, HTTP/2 and both HSTS flags without a certificate", () => {
        expect(normalise(declared({ certificateId: 0 }))).toEqual(declared({ certificateId: 0, sslForced: false, http2Support: false, hstsEnabled: false, hstsSubdomains: false }));
    });

    it("drops HSTS (and its subdomains) without Force SSL, but keeps HTTP/2", () => {
        expect(normalise(declared({ sslForced: false }))).toEqual(declared({ sslForced: false, hstsEnabled: false, hstsSubdomains: false }));
    });

    it("drops HSTS for subdomains without HSTS, and keeps it off when asked", () => {
        expect(normalise(declared({ hstsEnabled: false }))).toEqual(declared({ hstsEnabled: false, hstsSubdomains: false }));
        expect(normalise(declared({ hstsSubdomains: false }))).toEqual(declared({ hstsSubdomains: false }));
    });

    it("canonicalises the names", () => {
        expect(normalise(declared({ domainNames: ["Photos.home.arpa", "a.home.arpa"] })).domainNames).toEqual(["a.home.arpa", "photos.home.arpa"]);
    });
});

describe("inputProblems", () => {
    it("finds nothing in a host that can be sent, up to 100 names and at both ends of the port range", () => {
        expect(inputProblems(declared())).toEqual([]);
        expect(inputProblems(declared({ domainNames: Array.from({ length: 100 }, (_, index) => `n${index}.home.arpa`) }))).toEqual([]);
        expect(inputProblems(declared({ forwardPort: 1, forwardScheme: "https" }))).toEqual([]);
        expect(inputProblems(declared({ forwardPort: 65535 }))).toEqual([]);
    });

    it("refuses no names and more than NPM's 100", () => {
        expect(inputProblems(declared({ domainNames: [] }))).toEqual([{ property: "domainNames", reason: "has 0 names (1 to 100)" }]);
        expect(inputProblems(declared({ domainNames: Array.from({ length: 101 }, (_, index) => `n${index}.home.arpa`) }))).toEqual([{ property: "domainNames", reason: "has 101 names (1 to 100)" }]);
    });

    it("names each name that is not a DNS name", () => {
        expect(inputProblems(declared({ domainNames: ["photos.home.arpa", "bad name", "x_y"] }))).toEqual([
            { property: "domainNames", reason: '"bad name" is not a DNS name (letters, digits, hyphens and dots)' },
            { property: "domainNames", reason: '"x_y" is not a DNS name (letters, digits, hyphens and dots)' },
        ]);
    });

    it("refuses a forward host nginx would read as directives", () => {
        expect(inputProblems(declared({ forwardHost: "a b" }))).toEqual([
            { property: "forwardHost", reason: '"a b" is not a container name, IPv4 address or DNS name (NPM would paste it into nginx\'s config as it is)' },
        ]);
    });

    it.each([0, 65536, 80.5, -443])("refuses the port %d", (port) => {
        expect(inputProblems(declared({ forwardPort: port }))).toEqual([{ property: "forwardPort", reason: `${port} is not a port (1 to 65535)` }]);
    });

    it("refuses a scheme NPM does not forward to", () => {
        expect(inputProblems(declared({ forwardScheme: "ftp" as "http" }))).toEqual([{ property: "forwardScheme", reason: '"ftp" is not http or https' }]);
    });

    it("reports every problem at once", () => {
        expect(inputProblems(declared({ domainNames: [], forwardHost: "", forwardPort: 0, forwardScheme: "gopher" as "http" })).map((problem) => problem.property))
            .toEqual(["domainNames", "forwardHost", "forwardPort", "forwardScheme"]);
    });
});

describe("requestBody", () => {
    it("sends every writable field as NPM names it, enabled, without locations, with the owner marker docs/names-and-tls.md names", () => {
        expect(requestBody(declared({ domainNames: ["Photos.home.arpa"], hstsEnabled: false }))).toEqual({
            domain_names: ["photos.home.arpa"], forward_scheme: "http", forward_host: "immich-server", forward_port: 2283, certificate_id: 7, ssl_forced: true,
            http2_support: true, hsts_enabled: false, hsts_subdomains: false, block_exploits: true, caching_enabled: false, allow_websocket_upgrade: true,
            access_list_id: 3, advanced_config: "client_max_body_size 50000M;", enabled: true, meta: { homelab_owner: "homelab/prod/photos" }, locations: [],
        });
    });
});

describe("reading a host back", () => {
    it("finds the owner marker only when it is a text in meta", () => {
        expect(ownerOf(stored())).toBe("homelab/prod/photos");
        expect(ownerOf(stored({ meta: null }))).toBeUndefined();
        expect(ownerOf(stored({ meta: { nginx_online: true } }))).toBeUndefined();
        expect(ownerOf(stored({ meta: { homelab_owner: 1 } }))).toBeUndefined();
    });

    it("reads every declared field back as the provider declares it, so an unchanged host shows no change", () => {
        const observed = observedFields(stored());
        expect(observed).toEqual(Object.fromEntries(Object.entries(declared()).filter(([key]) => key !== "connection")));
        expect(changedFields(observed, declared())).toEqual([]);
    });

    it("reads a hand-made host as owned by nobody, an https upstream as https and anything else as http", () => {
        expect(observedFields(stored({ meta: null })).owner).toBe("");
        expect(observedFields(stored({ forward_scheme: "https" })).forwardScheme).toBe("https");
        expect(observedFields(stored({ forward_scheme: "HTTP" })).forwardScheme).toBe("http");
    });

    it('reads ids NPM may hold as text (its validation coerces 0 to "0") as numbers, and names as NPM compares them', () => {
        const observed = observedFields(stored({ certificate_id: "7" as unknown as number, access_list_id: "3" as unknown as number, domain_names: ["b.home.arpa", "A.home.arpa"] }));
        expect(observed).toMatchObject({ certificateId: 7, accessListId: 3, domainNames: ["a.home.arpa", "b.home.arpa"] });
    });

    it("lists exactly the fields that differ", () => {
        const observed = observedFields(stored({ forward_port: 9999, ssl_forced: false, advanced_config: "" }));
        expect(changedFields(observed, declared())).toEqual(["forwardPort", "sslForced", "advancedConfig"]);
        expect(changedFields({ ...observed, owner: "homelab/dev/photos" }, declared()).sort()).toEqual(["advancedConfig", "forwardPort", "owner", "sslForced"]);
    });

    it("describes a host by id, names, upstream and who made it", () => {
        expect(describeHost(stored({ domain_names: ["b.home.arpa", "a.home.arpa"] }))).toBe("proxy host #12 (a.home.arpa, b.home.arpa → http://immich-server:2283, managed by homelab/prod/photos)");
        expect(describeHost(stored({ meta: null }))).toBe("proxy host #12 (photos.home.arpa → http://immich-server:2283, made by hand in NPM)");
    });
});
