import { IMMICH_RELEASES, immichRelease, immichReleaseLine, knownImmichVersions } from "../../components/apps/immich-releases";

const DIGEST = /@sha256:[0-9a-f]{64}$/;

describe("the Immich release table", () => {
    test.each(IMMICH_RELEASES)("$line pins Postgres (with VectorChord) and Valkey by digest", (release) => {
        expect(release.postgresImage).toMatch(/^ghcr\.io\/immich-app\/postgres:\d+-vectorchord[\d.]+/);
        expect(release.postgresImage).toMatch(DIGEST);
        expect(release.valkeyImage).toMatch(/^docker\.io\/valkey\/valkey:/);
        expect(release.valkeyImage).toMatch(DIGEST);
    });

    test("each release line appears once", () => {
        const lines = IMMICH_RELEASES.map((release) => release.line);
        expect(new Set(lines).size).toBe(lines.length);
    });

    test("v3.0.x to v3.2.x use the images of the v3.0–v3.2 compose (apps.md §3.1)", () => {
        for (const version of ["v3.0.0", "v3.1.0", "v3.2.4"]) {
            expect(immichRelease(version)?.postgresImage).toBe(
                "ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0@sha256:bcf63357191b76a916ae5eb93464d65c07511da41e3bf7a8416db519b40b1c23",
            );
            expect(immichRelease(version)?.valkeyImage).toBe("docker.io/valkey/valkey:9@sha256:546304417feac0874c3dd576e0952c6bb8f06bb4093ea0c9ca303c73cf458f63");
        }
    });

    test("versions outside the table, or not Immich tags, have no images", () => {
        expect(immichRelease("v3.3.0")).toBeUndefined();
        expect(immichRelease("v2.7.5")).toBeUndefined();
        expect(immichRelease("3.2.4")).toBeUndefined();
        expect(immichRelease("v3.2")).toBeUndefined();
        expect(immichRelease("v3.2.4-rc1")).toBeUndefined();
    });

    test("release lines ignore leading zeros and patch numbers", () => {
        expect(immichReleaseLine("v3.02.17")).toBe("v3.2");
        expect(immichReleaseLine("release")).toBeUndefined();
    });

    test("the known versions read as a list for error messages", () => {
        expect(knownImmichVersions()).toBe("v3.0.x, v3.1.x, v3.2.x");
    });
});
