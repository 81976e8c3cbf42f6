import {
    immichServerEnvironment,
    jellyfinEnvironment,
    navidromeEnvironment,
    nextcloudInstallEnvironment,
    nextcloudRuntimeEnvironment,
    NEXTCLOUD_BODY_LIMIT_GIB,
    nginxProxyManagerEnvironment,
} from "../../components/apps/environment";
import { environmentLines, serviceLabels } from "../../components/docker/service";

describe("environment derived from the declared hostname", () => {
    // Computed in beforeAll, not in the describe body: a broken function then fails these tests
    // instead of crashing the whole file (a mutant would count as an error, not as killed).
    let runtime: Record<string, string>;
    let install: Record<string, string>;
    beforeAll(() => {
        runtime = nextcloudRuntimeEnvironment("cloud.example.net", "172.30.0.2", "nextcloud-redis", "Europe/Paris");
        install = nextcloudInstallEnvironment("cloud.example.net", "nextcloud-postgres");
    });

    test("Nextcloud: trusted domain, overwrite host and CLI URL all come from the one hostname", () => {
        expect(install["NEXTCLOUD_TRUSTED_DOMAINS"]).toBe("cloud.example.net");
        expect(runtime["OVERWRITEHOST"]).toBe("cloud.example.net");
        expect(runtime["OVERWRITECLIURL"]).toBe("https://cloud.example.net");
        expect(runtime["OVERWRITEPROTOCOL"]).toBe("https");
    });

    test("Nextcloud trusts forwarded headers from the proxy's own address only, with the apache rewrite off", () => {
        expect(runtime["TRUSTED_PROXIES"]).toBe("172.30.0.2");
        expect(runtime["APACHE_DISABLE_REWRITE_IP"]).toBe("1");
    });

    test("Nextcloud's upload limits follow the proxy's body limit (the image defaults are 512M and 1 GiB)", () => {
        expect(NEXTCLOUD_BODY_LIMIT_GIB).toBeGreaterThanOrEqual(1);
        expect(runtime["PHP_UPLOAD_LIMIT"]).toBe(`${NEXTCLOUD_BODY_LIMIT_GIB}G`);
        expect(Number(runtime["APACHE_BODY_LIMIT"])).toBe(NEXTCLOUD_BODY_LIMIT_GIB * 1024 * 1024 * 1024);
        // The hook re-applies the hostname as trusted domain on every start; the install reads it once.
        expect(runtime["HOMELAB_TRUSTED_DOMAIN"]).toBe("cloud.example.net");
    });

    test("Nextcloud's install-only settings are kept apart from what cron needs", () => {
        expect(Object.keys(install).filter((key) => key in runtime)).toEqual([]);
        expect(install["NEXTCLOUD_DATA_DIR"]).toBe("/data");
        expect(runtime["REDIS_HOST"]).toBe("nextcloud-redis");
    });

    test("no password is ever part of the plain environment", () => {
        const all = [runtime, install, jellyfinEnvironment("a.b", "UTC"), navidromeEnvironment("UTC"), nginxProxyManagerEnvironment("me@x.org", "UTC"),
            immichServerEnvironment({ postgres: "p", valkey: "v", machineLearning: "m" }, "UTC", "172.30.0.2", true)];
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
        const hosts = { postgres: "immich-postgres", valkey: "immich-valkey", machineLearning: "immich-machine-learning" };
        const environment = immichServerEnvironment(hosts, "UTC", "172.30.0.2", true);
        expect(environment).toMatchObject({ DB_HOSTNAME: "immich-postgres", REDIS_HOSTNAME: "immich-valkey", IMMICH_MACHINE_LEARNING_URL: "http://immich-machine-learning:3003", IMMICH_TRUSTED_PROXIES: "172.30.0.2" });
        expect(environment["IMMICH_MACHINE_LEARNING_ENABLED"]).toBeUndefined();
        const without = immichServerEnvironment(hosts, "UTC", "172.30.0.2", false);
        expect(without["IMMICH_MACHINE_LEARNING_ENABLED"]).toBe("false");
        expect(without["IMMICH_MACHINE_LEARNING_URL"]).toBeUndefined();
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
