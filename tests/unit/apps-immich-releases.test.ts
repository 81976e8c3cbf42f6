import { IMMICH_RELEASES, immichRelease, isImmichTag, knownImmichVersions } from "../../components/apps/immich-releases";
import { postgresCommand } from "../../components/apps/memory";

const DIGEST = /@sha256:[0-9a-f]{64}$/;

describe("the Immich release table", () => {
    test.each(IMMICH_RELEASES)("$version pins Postgres (with VectorChord) and Valkey by digest", (release) => {
        expect(release.postgresImage).toMatch(/^ghcr\.io\/immich-app\/postgres:\d+-vectorchord[\d.]+/);
        expect(release.postgresImage).toMatch(DIGEST);
        expect(release.valkeyImage).toMatch(/^docker\.io\/valkey\/valkey:/);
        expect(release.valkeyImage).toMatch(DIGEST);
    });

    test("keyed by exact release: each version once, each an Immich tag", () => {
        const versions = IMMICH_RELEASES.map((release) => release.version);
        expect(new Set(versions).size).toBe(versions.length);
        for (const version of versions) {
            expect(isImmichTag(version)).toBe(true);
        }
    });

    test("v3.2.x pins the Valkey digest of its own compose (9.1.1), not main's", () => {
        const mainValkey = "docker.io/valkey/valkey:9@sha256:546304417feac0874c3dd576e0952c6bb8f06bb4093ea0c9ca303c73cf458f63";
        expect(immichRelease("v3.2.4")?.valkeyImage).toBe("docker.io/valkey/valkey:9@sha256:70739f85ad2ee01a726a965584a0f94895f01b0c60b3cc8b0aeef11eaa6888cf");
        expect(immichRelease("v3.2.4")?.valkeyImage).not.toBe(mainValkey);
    });

    test.each(IMMICH_RELEASES)("$version: the Postgres command is the image's CMD with shared_buffers appended", (release) => {
        // The image's Dockerfile: CMD ["postgres", "-c", "config_file=/etc/postgresql/postgresql.conf"].
        // Dropping the config file would drop shared_preload_libraries = 'vchord.so': Immich then fails.
        expect(release.postgresArguments).toEqual(["-c", "config_file=/etc/postgresql/postgresql.conf"]);
        const command = postgresCommand(512, release.postgresArguments);
        expect(command.slice(0, 3)).toEqual(["postgres", "-c", "config_file=/etc/postgresql/postgresql.conf"]);
        expect(command.slice(3)).toEqual(["-c", "shared_buffers=128MB"]);
    });

    test.each(IMMICH_RELEASES)("$version: the Postgres healthcheck is the image's own script (it also counts checksum failures)", (release) => {
        expect(release.postgresHealthcheck).toEqual(["CMD", "/usr/local/bin/healthcheck.sh"]);
    });

    test("versions outside the table, or not Immich tags, have no images", () => {
        expect(immichRelease("v3.3.0")).toBeUndefined();
        expect(immichRelease("v3.2.3")).toBeUndefined();
        expect(immichRelease("3.2.4")).toBeUndefined();
        expect(immichRelease("v3.2")).toBeUndefined();
        expect(immichRelease("v3.2.4-rc1")).toBeUndefined();
        expect(isImmichTag("3.2.4")).toBe(false);
        expect(isImmichTag("release")).toBe(false);
    });

    test("the known versions read as a list for error messages", () => {
        expect(knownImmichVersions()).toBe("v3.2.2, v3.2.4");
    });
});
