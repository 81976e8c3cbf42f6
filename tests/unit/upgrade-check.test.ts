// The offline diff's UNSAFE UPGRADE on hand-made plans: which images it reads a version from (the
// references the app components pin, tag and digest, built here by components/apps/images.ts),
// the judgement of each app by its own rule, the Markdown block and the exit code. The prod plan
// itself is diffed in tests/stack/backups.test.ts.
import { immichMachineLearningImage, immichServerImage, nextcloudImage, nextcloudImageTag } from "../../components/apps/images";
import type { Plan } from "../../tools/plan/capture";
import { diffExitCode, guardedVersions, renderUnsafeUpgrades, unsafeUpgrades } from "../../tools/plan/upgrade-check";
import type { UnsafeUpgrade } from "../../tools/plan/upgrade-check";
import { plan, resource } from "../helpers/plan-fixtures";

const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

function withImages(...names: unknown[]): Plan {
    return plan(...names.map((name, index) => resource(`image-${index}`, REMOTE_IMAGE, { name, platform: "linux/amd64", keepLocally: false })));
}

describe("the versions a plan deploys", () => {
    it("reads Nextcloud's and Immich's server versions from the images the apps pin, with or without the digest", () => {
        expect(guardedVersions(withImages(nextcloudImage("33.0.17", DIGEST), immichServerImage("v3.2.14", DIGEST)))).toEqual({ nextcloud: "33.0.17", immich: "v3.2.14" });
        expect(guardedVersions(withImages(nextcloudImageTag("32.0.13")))).toEqual({ nextcloud: "32.0.13" });
    });

    it.each([
        ["another app's image", "docker.io/library/postgres:17.10-alpine"],
        ["Immich's machine learning, which stores nothing", immichMachineLearningImage("v3.2.4", DIGEST)],
        ["another Nextcloud variant", "docker.io/library/nextcloud:33.0.7-fpm"],
        ["a Nextcloud tag with a suffix", "docker.io/library/nextcloud:33.0.7-apache-custom"],
        ["the image behind a mirror's prefix", `mirror.example.net/${nextcloudImage("33.0.7", DIGEST)}`],
        ["a short digest", `${nextcloudImageTag("33.0.7")}@sha256:0123abcd`],
        ["an upper-case digest, which Docker refuses", `${nextcloudImageTag("33.0.7")}@sha256:${"0123456789ABCDEF".repeat(4)}`],
        ["a version without its patch", "docker.io/library/nextcloud:33.0-apache"],
        ["an Immich tag without its v", "ghcr.io/immich-app/immich-server:3.2.4"],
        ["a name that is not text", [nextcloudImage("33.0.7", DIGEST)]],
    ])("guards no version in %s", (_, name) => {
        expect(guardedVersions(withImages(name))).toEqual({});
    });

    it("only images count: a container whose name looks like an image is not one", () => {
        expect(guardedVersions(plan(resource("nextcloud", "docker:index/container:Container", { name: nextcloudImage("33.0.7", DIGEST) })))).toEqual({});
    });
});

describe("unsafe upgrades between two plans", () => {
    let nextcloud31: Plan;
    let nextcloud33: Plan;
    beforeAll(() => {
        nextcloud31 = withImages(nextcloudImage("31.0.9", DIGEST), immichServerImage("v3.2.4", DIGEST));
        nextcloud33 = withImages(nextcloudImage("33.0.7", DIGEST), immichServerImage("v3.2.4", DIGEST));
    });

    it("names the app, both versions and the rule's own refusal", () => {
        expect(unsafeUpgrades(nextcloud31, nextcloud33)).toEqual([{
            app: "nextcloud", from: "31.0.9", to: "33.0.7",
            problem: "Nextcloud 31.0.9 to 33.0.7 skips 1 major version(s); Nextcloud upgrades one major at a time (next allowed: 32.x, the newest 32.0.x release; deploy it, then 33.0.7)",
        }]);
    });

    it("judges Immich by its own required stops, and lists the apps in a fixed order", () => {
        const before = withImages(immichServerImage("v1.131.0", DIGEST), nextcloudImage("31.0.9", DIGEST));
        const after = withImages(immichServerImage("v1.137.0", DIGEST), nextcloudImage("30.0.1", DIGEST));
        expect(unsafeUpgrades(before, after).map((upgrade) => [upgrade.app, upgrade.from, upgrade.to, upgrade.problem.split(" ").slice(0, 6).join(" ")])).toEqual([
            ["nextcloud", "31.0.9", "30.0.1", "Nextcloud 30.0.1 would downgrade the deployed"],
            ["immich", "v1.131.0", "v1.137.0", "Immich v1.131.0 to v1.137.0 skips the"],
        ]);
    });

    it("an app added, removed or unchanged is no unsafe upgrade", () => {
        expect(unsafeUpgrades(withImages(), nextcloud33)).toEqual([]);
        expect(unsafeUpgrades(nextcloud31, withImages())).toEqual([]);
        expect(unsafeUpgrades(nextcloud31, nextcloud31)).toEqual([]);
    });
});

describe("the pull request block and the exit code", () => {
    const nextcloud: UnsafeUpgrade = { app: "nextcloud", from: "31.0.9", to: "33.0.7", problem: "skips 32" };
    const immich: UnsafeUpgrade = { app: "immich", from: "v3.2.4", to: "v3.1.0", problem: "would downgrade" };

    it("a GitHub caution alert: its marker alone on the first line, one quoted line per upgrade, a blank line after", () => {
        expect(renderUnsafeUpgrades([nextcloud, immich])).toBe([
            "> [!CAUTION]",
            "> **UNSAFE UPGRADE**: the program refuses this change against the deployed versions before anything changes.",
            "> - **UNSAFE UPGRADE** `nextcloud` 31.0.9 → 33.0.7: skips 32",
            "> - **UNSAFE UPGRADE** `immich` v3.2.4 → v3.1.0: would downgrade",
            "",
        ].join("\n"));
        expect(renderUnsafeUpgrades([])).toBe("");
    });

    it.each([
        [true, false, 1, 3],
        [true, true, 0, 3],
        [true, false, 0, 0],
        [false, true, 2, 0],
    ])("--fail-on-protected %p, protected %p, %p unsafe upgrade(s): exit %p", (failOnProtected, touchesProtected, count, code) => {
        expect(diffExitCode(failOnProtected, touchesProtected, [nextcloud, immich].slice(0, count))).toBe(code);
    });
});
