// The pure derivations of stacks/names.ts, without planning a stack: where the DNS listens, which
// proxy hosts NPM serves and which names the DNS answers. (tests/stack/names.test.ts checks the
// same through whole plans; this file is cheap enough to run for every mutant.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Apps } from "../../components/apps/apps";
import type { ProxyHostSpec } from "../../components/nginx-proxy-manager/proxy-host-spec";
import type { StackConfig } from "../../stacks/config";
import { NAMES_OUTPUTS, dnsRecordsFor, dnsServerAddress, servedSites } from "../../stacks/names";
import { findCaCertificate } from "../../tools/ca/ca-output";
import { PROJECT_ROOT } from "../../tools/paths";
import { committedConfig, parseValues } from "../helpers/config";

let prod: StackConfig;
beforeAll(() => {
    prod = parseValues(committedConfig("prod"));
});

/** prod with other names and Proxmox addresses; everything else as committed. */
function variant(change: { names?: Partial<StackConfig["names"]>; endpoint?: string; sshAddress?: string; wireguardEnabled?: boolean }): StackConfig {
    return {
        ...prod,
        names: { ...prod.names, ...change.names },
        proxmox: { ...prod.proxmox, endpoint: change.endpoint ?? prod.proxmox.endpoint, ssh: { ...prod.proxmox.ssh, address: change.sshAddress ?? prod.proxmox.ssh.address } },
        wireguard: { ...prod.wireguard, enabled: change.wireguardEnabled ?? prod.wireguard.enabled },
    };
}

const PHOTOS: ProxyHostSpec = { app: "immich", hostname: "photos.home.arpa", forwardHost: "immich-server", forwardPort: 2283, websockets: true };
const MUSIC: ProxyHostSpec = { app: "navidrome", hostname: "music.home.arpa", forwardHost: "navidrome", forwardPort: 4533, websockets: false };
/** servedSites reads only whether NPM is deployed and the apps' own proxy hosts. */
const apps = (proxyManager: boolean, proxyHosts: readonly ProxyHostSpec[]): Apps => ({ nginxProxyManager: proxyManager ? {} : undefined, proxyHosts }) as unknown as Apps;

describe("dnsServerAddress", () => {
    it("is the WireGuard container's LAN address without its prefix", () => {
        // prod's wireguard.address is 192.168.1.90/24.
        expect(dnsServerAddress(prod)).toBe("192.168.1.90");
    });

    it("is none without WireGuard, whose container runs the DNS", () => {
        expect(dnsServerAddress(variant({ wireguardEnabled: false }))).toBeUndefined();
    });
});

describe("servedSites", () => {
    it("is nothing without Nginx Proxy Manager, even with extra hosts", () => {
        const config = variant({ names: { extraHosts: [{ hostname: "printer.home.arpa", forwardHost: "192.168.1.40", forwardPort: 80, forwardScheme: "http", websockets: false }] } });
        expect(servedSites(config, apps(false, [PHOTOS]))).toEqual([]);
    });

    it("is the apps' hosts, NPM's admin UI on its port 81 through NPM itself, then each extra host named after its hostname", () => {
        const config = variant({ names: {
            proxyAdmin: "npm.home.arpa",
            extraHosts: [
                { hostname: "printer.home.arpa", forwardHost: "192.168.1.40", forwardPort: 631, forwardScheme: "https", websockets: false },
                { hostname: "ha.home.arpa", forwardHost: "homeassistant", forwardPort: 8123, forwardScheme: "http", websockets: true },
            ],
        } });
        expect(servedSites(config, apps(true, [PHOTOS, MUSIC]))).toEqual([
            PHOTOS,
            MUSIC,
            { app: "nginxProxyManager", hostname: "npm.home.arpa", forwardHost: "127.0.0.1", forwardPort: 81, websockets: false },
            { app: "extra-printer-home-arpa", hostname: "printer.home.arpa", forwardHost: "192.168.1.40", forwardPort: 631, forwardScheme: "https", websockets: false },
            { app: "extra-ha-home-arpa", hostname: "ha.home.arpa", forwardHost: "homeassistant", forwardPort: 8123, forwardScheme: "http", websockets: true },
        ]);
    });
});

describe("dnsRecordsFor", () => {
    const VM = "192.168.1.89";

    it("answers every served name with the VM's address and the Proxmox name with its host, sorted by name", () => {
        // prod's endpoint is https://192.168.1.120:8006 and its name pve.home.arpa.
        expect(dnsRecordsFor(prod, [PHOTOS, MUSIC], VM)).toEqual([
            { hostname: "music.home.arpa", address: VM },
            { hostname: "photos.home.arpa", address: VM },
            { hostname: "pve.home.arpa", address: "192.168.1.120" },
        ]);
    });

    it("sorts whatever order the sites come in", () => {
        const config = variant({ names: { proxmox: "a.home.arpa" } });
        expect(dnsRecordsFor(config, [MUSIC, PHOTOS], VM).map((record) => record.hostname)).toEqual(["a.home.arpa", "music.home.arpa", "photos.home.arpa"]);
        expect(dnsRecordsFor(config, [PHOTOS, MUSIC], VM).map((record) => record.hostname)).toEqual(["a.home.arpa", "music.home.arpa", "photos.home.arpa"]);
    });

    it("takes Proxmox's address from its SSH address when the endpoint is a name, and the endpoint's first", () => {
        expect(dnsRecordsFor(variant({ endpoint: "https://pve.lan:8006", sshAddress: "192.168.1.121" }), [], VM)).toEqual([{ hostname: "pve.home.arpa", address: "192.168.1.121" }]);
        expect(dnsRecordsFor(variant({ endpoint: "https://192.168.1.122:8006", sshAddress: "192.168.1.121" }), [], VM)).toEqual([{ hostname: "pve.home.arpa", address: "192.168.1.122" }]);
    });

    it("has no Proxmox record when neither its endpoint nor its SSH address is an IPv4 address", () => {
        expect(dnsRecordsFor(variant({ endpoint: "https://pve.lan:8006", sshAddress: "pve.lan" }), [PHOTOS], VM)).toEqual([{ hostname: "photos.home.arpa", address: VM }]);
    });
});

describe("the names outputs", () => {
    it("are the outputs docs/names-and-tls.md tells the owner to read, and the one `npm run ca` reads", () => {
        const documented = [...readFileSync(join(PROJECT_ROOT, "docs", "names-and-tls.md"), "utf8").matchAll(/stack output (\w+) --stack/g)].map((match) => match[1]);
        expect(documented.length).toBeGreaterThan(0);
        const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        const caOutput = Object.values(NAMES_OUTPUTS).filter((output) => findCaCertificate(JSON.stringify({ [output]: pem })).ok);
        expect(caOutput).toEqual([NAMES_OUTPUTS.caCertificate]);
        expect(Object.values(NAMES_OUTPUTS).sort()).toEqual([...new Set([...documented, ...caOutput])].sort());
    });
});
