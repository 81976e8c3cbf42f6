// The upgrade rules at their edges: exactly one major, exactly the required Immich release, the
// same version, and versions the rules cannot read. The expected answers follow from Nextcloud's
// one-major-at-a-time rule and Immich's required stops (components/apps/immich-releases.ts:
// v1.137 needs v1.132 or later, v3 needs v1.133 or later), not from the functions' output.
import { IMMICH_REQUIRED_STOPS } from "../../components/apps/immich-releases";
import { immichUpgradeProblem, migrationStep, nextcloudUpgradeProblem, parseVersion } from "../../components/backups/upgrade-policy";

describe("parseVersion", () => {
    it("reads major, minor and patch of every width, with or without the leading v", () => {
        expect(parseVersion("33.0.17")).toEqual([33, 0, 17]);
        expect(parseVersion("v1.137.12")).toEqual([1, 137, 12]);
    });

    it.each(["latest", "release-33.0.7", "33.0", "", undefined])("reads no version in %p", (text) => {
        expect(parseVersion(text)).toBeUndefined();
    });
});

describe("Nextcloud at the edges", () => {
    it("allows exactly the next major, from any minor of the deployed one", () => {
        expect(nextcloudUpgradeProblem("31.9.9", "32.0.0")).toBeUndefined();
    });

    it("refuses two majors ahead even from the last patch of the deployed major", () => {
        expect(nextcloudUpgradeProblem("31.9.9", "33.0.0")).toMatch(/^Nextcloud 31\.9\.9 to 33\.0\.0 skips 1 major version\(s\); .*next allowed: 32\.x, the newest 32\.0\.x release; deploy it, then 33\.0\.0\)$/);
    });

    it("counts the skipped majors and names the one right after the deployed", () => {
        // 30 → 33 skips 31 and 32; the next step is 31.
        expect(nextcloudUpgradeProblem("30.0.1", "33.0.7")).toBe("Nextcloud 30.0.1 to 33.0.7 skips 2 major version(s); Nextcloud upgrades one major at a time (next allowed: 31.x, the newest 31.0.x release; deploy it, then 33.0.7)");
    });

    it("refuses a minor downgrade, with the whole message", () => {
        expect(nextcloudUpgradeProblem("33.1.0", "33.0.9")).toBe("Nextcloud 33.0.9 would downgrade the deployed 33.1.0, which Nextcloud refuses (stay at 33.1.0 or newer; to go back, restore the backup taken before the upgrade, docs/backups.md)");
    });

    it.each([["33.0.7", "latest"], ["latest", "33.0.7"], ["33.0.7", undefined]])("judges nothing it cannot read, or an app that is off: %s to %s", (from, to) => {
        expect(nextcloudUpgradeProblem(from, to)).toBeUndefined();
    });
});

describe("Immich at the edges of its required stops", () => {
    it("every stop requires a release older than the one that needs it, so staying on a version never needs a stop", () => {
        for (const stop of IMMICH_REQUIRED_STOPS) {
            expect([stop.from, immichUpgradeProblem(stop.from, stop.reaching)]).toEqual([stop.from, undefined]);
            expect(immichUpgradeProblem(stop.reaching, stop.from)).toMatch(/would downgrade/);
        }
    });

    it("allows going from exactly the required release to the release that needs it", () => {
        expect(immichUpgradeProblem("v1.132.0", "v1.137.0")).toBeUndefined();
        expect(immichUpgradeProblem("v1.133.0", "v3.0.0")).toBeUndefined();
    });

    it("refuses from the last release before the required one", () => {
        expect(immichUpgradeProblem("v1.131.9", "v1.137.0")).toMatch(/skips the required release v1\.132\.0: v1\.137 no longer has the migrations from before v1\.132 \(/);
        expect(immichUpgradeProblem("v1.132.9", "v3.0.0")).toMatch(/skips the required release v1\.133\.0: v3 dropped pgvecto\.rs/);
    });

    it("allows an old install to go to the stop itself, or to any release before the one that needs it", () => {
        expect(immichUpgradeProblem("v1.120.0", "v1.132.0")).toBeUndefined();
        expect(immichUpgradeProblem("v1.120.0", "v1.136.9")).toBeUndefined();
        // v2 does not need the VectorChord migration yet, only v1.132 or later.
        expect(immichUpgradeProblem("v1.132.0", "v2.7.5")).toBeUndefined();
    });

    it("names the earliest stop first when an upgrade skips several", () => {
        expect(immichUpgradeProblem("v1.120.0", "v3.2.4")).toMatch(/^Immich v1\.120\.0 to v3\.2\.4 skips the required release v1\.132\.0:/);
    });

    it("applies the stops it is given, and none when given none", () => {
        const stops = [{ reaching: "v2.0.0", from: "v1.140.0", reason: "a test stop" }];
        expect(immichUpgradeProblem("v1.139.0", "v2.0.0", stops)).toBe("Immich v1.139.0 to v2.0.0 skips the required release v1.140.0: a test stop (next allowed: v1.140.0 or a later release before v2.0.0; deploy it, then v2.0.0)");
        expect(immichUpgradeProblem("v1.120.0", "v3.2.4", [])).toBeUndefined();
    });

    it("refuses a downgrade across release lines, with the whole message", () => {
        expect(immichUpgradeProblem("v3.2.4", "v3.1.9")).toBe("Immich v3.1.9 would downgrade the deployed v3.2.4; Immich does not support switching back to an earlier version (stay at v3.2.4 or newer; to go back, restore the backup taken before the upgrade, docs/backups.md)");
    });

    it.each([["v3.2.4", "v3.2.4"], ["v1.120.0", "v1.120.0"], ["v3.2.4", "latest"], ["release", "v3.2.4"], ["v1.120.0", undefined]])("has nothing to say about %s to %s", (from, to) => {
        expect(immichUpgradeProblem(from, to)).toBeUndefined();
    });
});

describe("migration steps at the edges", () => {
    it("a patch or minor of Nextcloud is the same step, a minor of Immich is not", () => {
        expect(migrationStep("nextcloud", "33.4.1")).toBe(migrationStep("nextcloud", "33.0.7"));
        expect(migrationStep("immich", "v3.3.0")).toBe("Immich v3.3");
        expect(migrationStep("immich", "v3.2.9")).toBe("Immich v3.2");
    });

    it("a version it cannot read is its own step", () => {
        expect(migrationStep("nextcloud", "latest")).toBe("latest");
        expect(migrationStep("immich", "main")).toBe("main");
    });
});
