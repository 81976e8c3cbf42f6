// The upgrade rules of the stateful apps, and the program's guard against the deployed versions
// (a StackReference to the stack itself, answered here by the mock runtime).
import * as pulumi from "@pulumi/pulumi";
import { immichUpgradeProblem, migrationStep, nextcloudUpgradeProblem } from "../../components/backups/upgrade-policy";
import { checkedMigrationSteps, deployedAppVersions, guardedMigrationSteps, upgradeProblems } from "../../stacks/upgrade-guard";
import type { AppVersions } from "../../stacks/upgrade-guard";

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

describe("Nextcloud: one major at a time, never down", () => {
    it("refuses 31 to 33, naming both versions and the next allowed major", () => {
        expect(nextcloudUpgradeProblem("31.0.9", "33.0.7")).toBe("Nextcloud 31.0.9 to 33.0.7 skips 1 major version(s); Nextcloud upgrades one major at a time (next allowed: 32.x, the newest 32.0.x release; deploy it, then 33.0.7)");
    });

    it.each([["32.0.13", "33.0.7"], ["33.0.7", "33.0.8"], ["33.0.7", "33.1.0"], ["33.0.7", "33.0.7"]])("allows %s to %s", (from, to) => {
        expect(nextcloudUpgradeProblem(from, to)).toBeUndefined();
    });

    it.each([["33.0.7", "32.0.13"], ["33.0.7", "33.0.5"]])("refuses the downgrade %s to %s", (from, to) => {
        expect(nextcloudUpgradeProblem(from, to)).toMatch(new RegExp(`^Nextcloud ${to} would downgrade the deployed ${from}`));
    });

    it("guards nothing on a first deploy", () => {
        expect(nextcloudUpgradeProblem(undefined, "33.0.7")).toBeUndefined();
    });
});

describe("Immich: the release table's required stops, never down", () => {
    it("refuses v1.131 to v1.137, naming the required v1.132", () => {
        expect(immichUpgradeProblem("v1.131.0", "v1.137.0")).toMatch(/^Immich v1\.131\.0 to v1\.137\.0 skips the required release v1\.132\.0: .*\(next allowed: v1\.132\.0 or a later release before v1\.137\.0; deploy it, then v1\.137\.0\)$/);
    });

    it("refuses v1.132 to v3.2.4: the VectorChord migration of v1.133 has not run", () => {
        expect(immichUpgradeProblem("v1.132.3", "v3.2.4")).toMatch(/skips the required release v1\.133\.0/);
    });

    it.each([["v1.135.3", "v1.137.0"], ["v1.140.0", "v3.0.0"], ["v3.0.1", "v3.2.4"], ["v3.2.4", "v3.2.5"]])("allows %s to %s", (from, to) => {
        expect(immichUpgradeProblem(from, to)).toBeUndefined();
    });

    it("refuses going back, even within a release line", () => {
        expect(immichUpgradeProblem("v3.2.4", "v3.2.3")).toMatch(/^Immich v3\.2\.3 would downgrade the deployed v3\.2\.4; Immich does not support switching back/);
    });

    it("migration steps: Nextcloud's major, Immich's release line", () => {
        expect([migrationStep("nextcloud", "33.0.7"), migrationStep("immich", "v3.2.4")]).toEqual(["Nextcloud 33", "Immich v3.2"]);
    });
});

describe("the program's guard", () => {
    it("names the config key of every refused app", () => {
        expect(upgradeProblems({ nextcloud: "31.0.9", immich: "v3.2.4" }, { nextcloud: "33.0.7", immich: "v3.1.0" }).map((line) => line.split(": ")[0])).toEqual(["homelab:apps.nextcloud.version", "homelab:apps.immich.version"]);
        expect(upgradeProblems({}, { nextcloud: "33.0.7" })).toEqual([]);
    });

    it("throws on an unsafe change, or gives the migration steps the pre-upgrade backups are triggered by", async () => {
        expect(() => checkedMigrationSteps({ nextcloud: "31.0.9" }, { nextcloud: "33.0.7" })).toThrow(/refused before anything changes:\n {2}homelab:apps\.nextcloud\.version: Nextcloud 31\.0\.9 to 33\.0\.7 skips/);
        await expect(valueOf(guardedMigrationSteps(pulumi.output<AppVersions>({ nextcloud: "32.0.13" }), { nextcloud: "33.0.7", immich: "v3.2.4" }))).resolves.toEqual({ nextcloud: "Nextcloud 33", immich: "Immich v3.2" });
    });

    describe("reads the deployed versions from the stack's own outputs", () => {
        const references: string[] = [];
        beforeAll(async () => {
            await pulumi.runtime.setMocks({
                newResource: (args) => {
                    const inputs = args.inputs as Record<string, unknown>;
                    if (args.type === "pulumi:pulumi:StackReference") {
                        references.push(String(inputs["name"]));
                        // What the backend answers for a stack whose last up deployed Nextcloud 32.
                        return { id: String(inputs["name"]), state: { ...inputs, outputs: { appVersions: { nextcloud: "32.0.13", immich: "v3.2.4" }, vmId: 100 } } };
                    }
                    return { id: `${args.name}-id`, state: inputs };
                },
                call: () => ({}),
            }, "homelab", "prod", false, "owner");
        });

        it("references this very stack and returns its appVersions", async () => {
            const parent = new pulumi.ComponentResource("homelab:index:Homelab", "homelab");
            await expect(valueOf(deployedAppVersions("homelab-deployed-versions", parent))).resolves.toEqual({ nextcloud: "32.0.13", immich: "v3.2.4" });
            expect(references).toEqual(["owner/homelab/prod"]);
        });
    });
});
