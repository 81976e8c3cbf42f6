import { dnsRecords } from "../../components/apps/dns";
import {
    immichServerEnvironment,
    jellyfinEnvironment,
    navidromeEnvironment,
    nextcloudInstallEnvironment,
    nextcloudRuntimeEnvironment,
    nginxProxyManagerEnvironment,
} from "../../components/apps/environment";
import { environmentLines, serviceLabels } from "../../components/docker/service";

describe("environment derived from the declared hostname", () => {
    const runtime = nextcloudRuntimeEnvironment("cloud.example.net", "172.30.0.0/24", "nextcloud-redis", "Europe/Paris");
    const install = nextcloudInstallEnvironment("cloud.example.net", "nextcloud-postgres");

    test("Nextcloud: trusted domain, overwrite host and CLI URL all come from the one hostname", () => {
        expect(install["NEXTCLOUD_TRUSTED_DOMAINS"]).toBe("cloud.example.net");
        expect(runtime["OVERWRITEHOST"]).toBe("cloud.example.net");
        expect(runtime["OVERWRITECLIURL"]).toBe("https://cloud.example.net");
        expect(runtime["OVERWRITEPROTOCOL"]).toBe("https");
    });

    test("Nextcloud trusts forwarded headers from the proxy network only, with the apache rewrite off", () => {
        expect(runtime["TRUSTED_PROXIES"]).toBe("172.30.0.0/24");
        expect(runtime["APACHE_DISABLE_REWRITE_IP"]).toBe("1");
    });

    test("Nextcloud's install-only settings are kept apart from what cron needs", () => {
        expect(Object.keys(install).filter((key) => key in runtime)).toEqual([]);
        expect(install["NEXTCLOUD_DATA_DIR"]).toBe("/data");
        expect(runtime["REDIS_HOST"]).toBe("nextcloud-redis");
    });

    test("no password is ever part of the plain environment", () => {
        const all = [runtime, install, jellyfinEnvironment("a.b", "UTC"), navidromeEnvironment("UTC"), nginxProxyManagerEnvironment("me@x.org", "UTC"),
            immichServerEnvironment({ postgres: "p", valkey: "v", machineLearning: "m" }, "UTC")];
        for (const environment of all) {
            expect(Object.keys(environment).filter((key) => /PASSWORD|SECRET|TOKEN/.test(key))).toEqual([]);
        }
    });

    test("Jellyfin announces the proxied URL", () => {
        expect(jellyfinEnvironment("jellyfin.home.arpa", "UTC")["JELLYFIN_PublishedServerUrl"]).toBe("https://jellyfin.home.arpa");
    });

    test("Navidrome never purges missing files from its library", () => {
        expect(navidromeEnvironment("UTC")["ND_SCANNER_PURGEMISSING"]).toBe("never");
    });

    test("Immich's server finds its database, cache and machine learning by container name", () => {
        const environment = immichServerEnvironment({ postgres: "immich-postgres", valkey: "immich-valkey", machineLearning: "immich-machine-learning" }, "UTC");
        expect(environment).toMatchObject({ DB_HOSTNAME: "immich-postgres", REDIS_HOSTNAME: "immich-valkey", IMMICH_MACHINE_LEARNING_URL: "http://immich-machine-learning:3003" });
    });
});

describe("container settings", () => {
    test("environment lines are KEY=value sorted by key, so the plan is stable", () => {
        expect(environmentLines({ TZ: "UTC", A: "x=y" })).toEqual(["A=x=y", "TZ=UTC"]);
    });

    test("labels name the app and the stack", () => {
        expect(serviceLabels("immich", "dev")).toEqual([{ label: "homelab.app", value: "immich" }, { label: "homelab.stack", value: "dev" }]);
    });
});

describe("local DNS records", () => {
    test("each enabled app's hostname points at the VM", () => {
        expect(dnsRecords([
            { enabled: true, hostname: "photos.home.arpa" },
            { enabled: false, hostname: "cloud.home.arpa" },
            { enabled: true, hostname: "jellyfin.home.arpa" },
        ], "192.168.1.89")).toEqual({ "jellyfin.home.arpa": "192.168.1.89", "photos.home.arpa": "192.168.1.89" });
    });
});
