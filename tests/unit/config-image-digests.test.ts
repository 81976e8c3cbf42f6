// The digest beside every app version: malformed ones are refused by the schema, a version moved
// without its digest by config-rules-apps.ts, each naming the key and how to get the digest.
import { APP_DEFAULTS } from "../../stacks/config-schema";
import { DEFAULT_IMAGE_DIGESTS } from "../../stacks/config-schema-images";
import { committedConfig, parseValues, problemsAfter, section } from "../helpers/config";

const apps = (values: Record<string, unknown>) => section(values, "apps") as Record<string, Record<string, unknown>>;
const NEW_DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("the digest keys' form", () => {
    // Upper-case hex, a short or long hash, no algorithm, another algorithm, a whole reference.
    it.each([
        `sha256:${"A".repeat(64)}`,
        `sha256:${"a".repeat(63)}`,
        `sha256:${"a".repeat(65)}`,
        "a".repeat(64),
        `sha512:${"a".repeat(64)}`,
        `docker.io/jellyfin/jellyfin:10.11.11@sha256:${"a".repeat(64)}`,
        "",
    ])("refuses %j for Jellyfin, naming homelab:apps.jellyfin.digest", (digest) => {
        expect(problemsAfter("prod", (values) => {
            apps(values)["jellyfin"]!["digest"] = digest;
        })).toEqual([expect.stringMatching(/^homelab:apps\.jellyfin\.digest: .* \(an image digest "sha256:" and 64 lower-case hex digits/)]);
    });

    it.each(["server", "machineLearning"])("refuses a malformed Immich %s digest, naming its key", (image) => {
        expect(problemsAfter("prod", (values) => {
            (apps(values)["immich"]!["imageDigests"] as Record<string, unknown>)[image] = "sha256:abc";
        })).toEqual([expect.stringMatching(new RegExp(`^homelab:apps\\.immich\\.imageDigests\\.${image}: "sha256:abc" is not allowed \\(an image digest`))]);
    });

    it("refuses an unknown key in imageDigests", () => {
        expect(problemsAfter("prod", (values) => {
            (apps(values)["immich"]!["imageDigests"] as Record<string, unknown>)["postgres"] = NEW_DIGEST;
        })).toEqual([expect.stringMatching(/^homelab:apps\.immich\.imageDigests\.postgres: /)]);
    });
});

describe("a version with its digest", () => {
    it.each([
        ["jellyfin", "10.11.12", "docker.io/jellyfin/jellyfin:10.11.12"],
        ["navidrome", "0.64.0", "docker.io/deluan/navidrome:0.64.0"],
        ["nextcloud", "33.0.8", "docker.io/library/nextcloud:33.0.8-apache"],
        ["nginxProxyManager", "2.15.2", "docker.io/jc21/nginx-proxy-manager:2.15.2"],
    ])("%s %s without a new digest is refused, naming the key and the command for that tag", (app, version, tag) => {
        const problems = problemsAfter("prod", (values) => {
            apps(values)[app]!["version"] = version;
        });
        expect(problems).toEqual([expect.stringMatching(new RegExp(`^homelab:apps\\.${app}\\.digest: is missing for version ${version.replace(/\./g, "\\.")} \\(`))]);
        expect(problems[0]).toContain(`docker buildx imagetools inspect ${tag}\``);
        expect(problems[0]).toContain(`skopeo inspect docker://${tag}\``);
        expect(problems[0]).toContain("multi-arch index digest");
    });

    it("a version whose digest key was deleted falls back to the default digest, which is refused the same way", () => {
        expect(problemsAfter("prod", (values) => {
            apps(values)["navidrome"]!["version"] = "0.64.0";
            delete apps(values)["navidrome"]!["digest"];
        })).toEqual([expect.stringMatching(/^homelab:apps\.navidrome\.digest: is missing for version 0\.64\.0 \(it is still the digest of docker\.io\/deluan\/navidrome:0\.63\.2;/)]);
    });

    it("the same bump with its digest is accepted, and the digest is what the app gets", () => {
        const values = committedConfig("prod");
        Object.assign(apps(values)["navidrome"]!, { version: "0.64.0", digest: NEW_DIGEST });
        expect(parseValues(values).apps.navidrome).toMatchObject({ version: "0.64.0", digest: NEW_DIGEST });
    });

    it("Immich: both images need the new release's digests while machine learning runs", () => {
        const problems = problemsAfter("prod", (values) => {
            apps(values)["immich"]!["version"] = "v3.2.2";
        });
        expect(problems).toEqual([
            expect.stringMatching(/^homelab:apps\.immich\.imageDigests\.server: is missing for version v3\.2\.2 .*ghcr\.io\/immich-app\/immich-server:v3\.2\.2`/),
            expect.stringMatching(/^homelab:apps\.immich\.imageDigests\.machineLearning: is missing for version v3\.2\.2 .*ghcr\.io\/immich-app\/immich-machine-learning:v3\.2\.2`/),
        ]);
    });

    it("Immich without machine learning (dev) needs only the server's", () => {
        expect(problemsAfter("dev", (values) => {
            apps(values)["immich"]!["version"] = "v3.2.2";
            apps(values)["immich"]!["imageDigests"] = { server: NEW_DIGEST };
        })).toEqual([]);
    });

    it("a disabled app's version is not checked: nothing of it is pulled", () => {
        expect(problemsAfter("prod", (values) => {
            Object.assign(apps(values)["jellyfin"]!, { enabled: false, version: "10.11.12" });
        })).toEqual([]);
    });
});

describe("the defaults", () => {
    it("a stack that sets neither version nor digest gets the default version at its digest", () => {
        const values = committedConfig("prod");
        for (const app of Object.values(apps(values))) {
            delete app["version"];
            delete app["digest"];
            delete app["imageDigests"];
        }
        const config = parseValues(values);
        expect(config.apps.jellyfin).toMatchObject({ version: APP_DEFAULTS.jellyfin.version, digest: DEFAULT_IMAGE_DIGESTS.jellyfin });
        expect(config.apps.immich).toMatchObject({ version: APP_DEFAULTS.immich.version, imageDigests: DEFAULT_IMAGE_DIGESTS.immich });
        expect(config.apps.nginxProxyManager.digest).toBe(DEFAULT_IMAGE_DIGESTS.nginxProxyManager);
    });

    it.each(["prod", "dev"])("%s pins the default versions at the default digests, written out for the owner to bump", (stack) => {
        const pinned = apps(committedConfig(stack));
        for (const app of ["jellyfin", "navidrome", "nextcloud", "nginxProxyManager"] as const) {
            expect(pinned[app]).toMatchObject({ version: APP_DEFAULTS[app].version, digest: DEFAULT_IMAGE_DIGESTS[app] });
        }
        expect(pinned["immich"]).toMatchObject({ version: APP_DEFAULTS.immich.version, imageDigests: DEFAULT_IMAGE_DIGESTS.immich });
    });

    it("no two images share a default digest (one would be a copy-paste slip)", () => {
        const digests = [...Object.values(DEFAULT_IMAGE_DIGESTS).flatMap((digest) => (typeof digest === "string" ? [digest] : Object.values(digest)))];
        expect(digests).toHaveLength(6);
        expect(new Set(digests).size).toBe(6);
    });
});
