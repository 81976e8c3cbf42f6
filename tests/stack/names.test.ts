// Names, certificates and DNS in the committed stacks' plans: every enabled web app reachable by
// name over HTTPS, derived from what the apps declare, and what a rename or a disabled app changes.
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { DYNAMIC_PROVIDER_MARK } from "../../tools/plan/capture";
import { comparePlans, planStack, planStackText, resourceByName, resourcesOfType } from "../helpers/plan";
import { committedConfig, parseValues } from "../helpers/config";
import { editedStackText } from "../helpers/stack-text";

const PROXY_HOST = "pulumi-nodejs:dynamic/nginx-proxy-manager:ProxyHost";
const NPM_CERTIFICATE = "pulumi-nodejs:dynamic/nginx-proxy-manager:Certificate";
const CERT_REQUEST = "tls:index/certRequest:CertRequest";
const LEAF = "tls:index/locallySignedCert:LocallySignedCert";
const CA = "tls:index/selfSignedCert:SelfSignedCert";
const PRIVATE_KEY = "tls:index/privateKey:PrivateKey";
const CONTAINER = "docker:index/container:Container";

type Apps = Record<string, Record<string, unknown>>;
const editApps = (edit: (apps: Apps) => void) => editedStackText("prod", (config) => edit(config["homelab:apps"] as Apps));

let prod: Plan;
let dev: Plan;
let immichRenamed: Plan;
let nextcloudRenamed: Plan;
let letsEncrypt: Plan;

beforeAll(async () => {
    prod = await planStack("prod");
    dev = await planStack("dev");
    immichRenamed = await planStackText("prod", editApps((apps) => (apps["immich"]!["hostname"] = "pictures.home.arpa")));
    nextcloudRenamed = await planStackText("prod", editApps((apps) => (apps["nextcloud"]!["hostname"] = "files.home.arpa")));
    letsEncrypt = await planStackText("prod", editedStackText("prod", (config) => {
        config["homelab:tls"] = { mode: "letsencrypt-dns", domain: "home.example.net", dnsProvider: "cloudflare" };
        config["homelab:names"] = { proxyAdmin: "proxy.home.example.net" };
        for (const [app, hostname] of Object.entries({ jellyfin: "jellyfin", navidrome: "music", immich: "photos", nextcloud: "cloud" })) {
            (config["homelab:apps"] as Apps)[app]!["hostname"] = `${hostname}.home.example.net`;
        }
        config["homelab:tlsDnsCredentials"] = { secure: "v1:placeholder-ciphertext" };
    }));
}, 120_000);

const hostFor = (plan: Plan, hostname: string): PlannedResource => {
    const hosts = resourcesOfType(plan, PROXY_HOST).filter((host) => (host.inputs["domainNames"] as string[]).includes(hostname));
    expect(hosts).toHaveLength(1);
    return hosts[0]!;
};
const dependencyOfType = (plan: Plan, resource: PlannedResource, type: string) => {
    const found = plan.resources.filter((other) => other.type === type && resource.dependencies.includes(other.urn));
    expect(found).toHaveLength(1);
    return found[0]!;
};
const dnsConfig = (plan: Plan) => String(resourceByName(plan, "homelab-dns-config").inputs["stdin"]);

describe.each([["prod"], ["dev"]])("%s: a proxy host for every enabled web app", (stack) => {
    const plan = () => (stack === "prod" ? prod : dev);
    const config = () => parseValues(committedConfig(stack));

    it("forwards each app's hostname to its own container and port on the proxy network", () => {
        const apps = config().apps;
        const expected = [
            [apps.jellyfin.hostname, "jellyfin", 8096, true],
            [apps.navidrome.hostname, "navidrome", 4533, false],
            [apps.immich.hostname, "immich-server", 2283, true],
            [apps.nextcloud.hostname, "nextcloud", 80, false],
        ] as const;
        for (const [hostname, container, port, websockets] of expected) {
            const host = hostFor(plan(), hostname);
            expect(host.inputs).toMatchObject({ forwardScheme: "http", forwardHost: container, forwardPort: port, allowWebsocketUpgrade: websockets, sslForced: true, http2Support: true, hstsEnabled: true, blockExploits: true });
            // The upstream really is a container on the proxy network that NPM shares.
            const upstream = resourcesOfType(plan(), CONTAINER).find((candidate) => candidate.inputs["name"] === container)!;
            expect((upstream.inputs["networksAdvanced"] as { name: string }[]).map((network) => network.name)).toContain("proxy");
            expect(host.inputs["owner"]).toBe(`homelab/${stack}/${host.name}`);
            expect(host.inputs["__provider"]).toBe(DYNAMIC_PROVIDER_MARK);
            expect(host.deleteBeforeReplace).toBe(true);
        }
        // Four apps and NPM's own admin UI, nothing else.
        expect(resourcesOfType(plan(), PROXY_HOST)).toHaveLength(5);
    });

    it("gives each host a certificate of its own whose leaf covers exactly its name, signed by the homelab CA", () => {
        const ca = resourcesOfType(plan(), CA);
        expect(ca).toHaveLength(1);
        for (const host of resourcesOfType(plan(), PROXY_HOST)) {
            const hostname = (host.inputs["domainNames"] as string[])[0]!;
            const certificate = dependencyOfType(plan(), host, NPM_CERTIFICATE);
            expect(certificate.inputs["domainNames"]).toEqual([hostname]);
            // The key and the chain travel only as a secret.
            expect(certificate.inputs["source"]).toBe("[secret]");
            const leaf = dependencyOfType(plan(), certificate, LEAF);
            const request = dependencyOfType(plan(), leaf, CERT_REQUEST);
            expect(request.inputs["dnsNames"]).toEqual([hostname]);
            expect(leaf.dependencies).toContain(ca[0]!.urn);
            expect(leaf.inputs["validityPeriodHours"]).toBeLessThanOrEqual(397 * 24);
            // Renewed by an ordinary up well before expiry, never after it.
            expect(leaf.inputs["earlyRenewalHours"]).toBeGreaterThanOrEqual(30 * 24);
            expect(leaf.inputs["earlyRenewalHours"]).toBeLessThan(leaf.inputs["validityPeriodHours"] as number);
            expect(leaf.inputs["allowedUses"]).toEqual(["digital_signature", "server_auth"]);
        }
    });

    it("makes a 10-year ECDSA P-256 root CA that signs certificates and nothing below a leaf", () => {
        const ca = resourcesOfType(plan(), CA)[0]!;
        expect(ca.inputs).toMatchObject({ isCaCertificate: true, maxPathLength: 0, validityPeriodHours: 10 * 365 * 24, subject: { commonName: `homelab ${stack} root CA` } });
        expect(ca.inputs["allowedUses"]).toContain("cert_signing");
        for (const key of resourcesOfType(plan(), PRIVATE_KEY)) {
            expect(key.inputs).toEqual({ algorithm: "ECDSA", ecdsaCurve: "P256" });
        }
    });

    it("answers every served name with the VM's address and Proxmox's name with the host's, forwarding the rest", () => {
        const values = config();
        const vm = values.vm.address.split("/")[0]!;
        const text = dnsConfig(plan());
        for (const hostname of [values.apps.jellyfin.hostname, values.apps.navidrome.hostname, values.apps.immich.hostname, values.apps.nextcloud.hostname, "proxy.home.arpa"]) {
            expect(text).toContain(`\nhost-record=${hostname},${vm}\n`);
        }
        expect(text).toContain("\nhost-record=pve.home.arpa,192.168.1.120\n");
        expect(text).toContain(`\nlisten-address=${values.wireguard.address.split("/")[0]!}\n`);
        expect(text.split("\n").filter((line) => line.startsWith("server="))).toEqual(values.network.dns.map((server) => `server=${server}`));
        expect(text.match(/^host-record=/gm)).toHaveLength(6);
    });

    it("points the WireGuard peers at that DNS server and lists URLs, the CA and the DNS server among the outputs", () => {
        const values = config();
        const dnsServer = values.wireguard.address.split("/")[0]!;
        expect(plan().outputs["dnsServer"]).toBe(dnsServer);
        expect(plan().outputs["wireguardPeerDns"]).toEqual([dnsServer]);
        expect(plan().outputs["caCertificate"]).toMatch(/^\[certificate of homelab-ca-certificate [0-9a-f]{12}\]$/);
        expect(plan().outputs["appUrls"]).toEqual({
            jellyfin: `https://${values.apps.jellyfin.hostname}`,
            navidrome: `https://${values.apps.navidrome.hostname}`,
            immich: `https://${values.apps.immich.hostname}`,
            nextcloud: `https://${values.apps.nextcloud.hostname}`,
            nginxProxyManager: "https://proxy.home.arpa",
        });
    });
});

describe("what each app brings to its proxy host", () => {
    it("Immich: uploads of whole videos and long timeouts; Nextcloud: CalDAV/CardDAV redirects to https", () => {
        const immich = String(hostFor(prod, "photos.home.arpa").inputs["advancedConfig"]);
        expect(immich).toContain("client_max_body_size 50000M;");
        expect(immich).toContain("proxy_read_timeout 600s;");
        const nextcloud = String(hostFor(prod, "cloud.home.arpa").inputs["advancedConfig"]);
        expect(nextcloud).toContain("location = /.well-known/caldav { return 301 https://$host/remote.php/dav/; }");
        expect(nextcloud).toContain("location = /.well-known/carddav { return 301 https://$host/remote.php/dav/; }");
        expect(hostFor(prod, "jellyfin.home.arpa").inputs["advancedConfig"]).toBe("");
    });

    it("NPM's admin UI: NPM itself on port 81, open only to the LAN and the tunnel", () => {
        const admin = hostFor(prod, "proxy.home.arpa");
        expect(admin.inputs).toMatchObject({ forwardHost: "127.0.0.1", forwardPort: 81 });
        const list = resourceByName(prod, "homelab-names-nginx-proxy-manager-access-list");
        expect(admin.dependencies).toContain(list.urn);
        expect(list.inputs["clients"]).toEqual([{ address: "192.168.1.0/24", directive: "allow" }, { address: "10.8.0.0/24", directive: "allow" }, { address: "all", directive: "deny" }]);
        for (const host of resourcesOfType(prod, PROXY_HOST).filter((other) => other !== admin)) {
            expect(host.inputs["accessListId"]).toBe(0);
        }
    });

    it("calls NPM only once its container exists", () => {
        const npm = resourcesOfType(prod, CONTAINER).find((container) => container.inputs["name"] === "nginx-proxy-manager")!;
        for (const resource of [...resourcesOfType(prod, PROXY_HOST), ...resourcesOfType(prod, NPM_CERTIFICATE)]) {
            expect(resource.dependencies).toContain(npm.urn);
        }
    });
});

describe("changing one app", () => {
    it("renaming Immich changes only Immich's proxy host, certificate and DNS answer (its key and nothing else)", () => {
        const { added, removed, changed } = comparePlans(prod, immichRenamed);
        expect(added).toEqual([]);
        expect(removed).toEqual([]);
        const names = changed.map((urn) => urn.split("::").at(-1)).sort();
        expect(names).toEqual([
            "homelab-dns-config",
            "homelab-names-immich-certificate",
            "homelab-names-immich-proxy-host",
            "homelab-names-immich-tls-certificate",
            "homelab-names-immich-tls-request",
        ]);
        expect(dnsConfig(immichRenamed)).toContain("\nhost-record=pictures.home.arpa,192.168.1.89\n");
        expect(dnsConfig(immichRenamed)).not.toContain("photos.home.arpa");
    });

    it("renaming Nextcloud also changes the containers that embed its name (trusted domain, overwrite host)", () => {
        const names = comparePlans(prod, nextcloudRenamed).changed.map((urn) => urn.split("::").at(-1)).sort();
        expect(names).toEqual([
            "homelab-apps-nextcloud-app-container",
            "homelab-apps-nextcloud-cron-container",
            "homelab-dns-config",
            "homelab-names-nextcloud-certificate",
            "homelab-names-nextcloud-proxy-host",
            "homelab-names-nextcloud-tls-certificate",
            "homelab-names-nextcloud-tls-request",
        ]);
    });
    // Disabling an app removes its name's resources and DNS answer: tests/stack/apps.test.ts.
});

describe("letsencrypt-dns mode", () => {
    it("asks NPM for a Let's Encrypt certificate per name and makes no CA", () => {
        expect(resourcesOfType(letsEncrypt, CA)).toEqual([]);
        expect(resourcesOfType(letsEncrypt, LEAF)).toEqual([]);
        expect(letsEncrypt.outputs["caCertificate"]).toBeUndefined();
        const certificates = resourcesOfType(letsEncrypt, NPM_CERTIFICATE).map((certificate) => (certificate.inputs["domainNames"] as string[])[0]).sort();
        expect(certificates).toEqual(["cloud.home.example.net", "jellyfin.home.example.net", "music.home.example.net", "photos.home.example.net", "proxy.home.example.net"]);
        expect(dnsConfig(letsEncrypt)).toContain("\nhost-record=photos.home.example.net,192.168.1.89\n");
    });
});
