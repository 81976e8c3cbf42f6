// The program's upgrade guard beyond the happy path of upgrade-policy.test.ts: what it reads from a
// stack that has no usable outputs yet, where the reference sits in the tree, the offline plan's
// runtime without an organization, and the refusal and the migration steps in full.
import * as pulumi from "@pulumi/pulumi";
import { checkedMigrationSteps, deployedAppVersions, UpgradeRefused, upgradeProblems } from "../../stacks/upgrade-guard";

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

describe("the refusal and the steps", () => {
    it("refuses every unsafe app at once, one indented line each, as an UpgradeRefused", () => {
        let refusal: unknown;
        try {
            checkedMigrationSteps({ nextcloud: "31.0.9", immich: "v3.2.4" }, { nextcloud: "33.0.7", immich: "v3.1.0" });
        } catch (error) {
            refusal = error;
        }
        expect(refusal).toBeInstanceOf(UpgradeRefused);
        // The name is what Pulumi prints before the message.
        expect((refusal as Error).name).toBe("UpgradeRefused");
        expect((refusal as Error).message.split("\n")).toEqual([
            "The app upgrade is refused before anything changes:",
            expect.stringMatching(/^ {2}homelab:apps\.nextcloud\.version: Nextcloud 31\.0\.9 to 33\.0\.7 skips 1 major/),
            expect.stringMatching(/^ {2}homelab:apps\.immich\.version: Immich v3\.1\.0 would downgrade the deployed v3\.2\.4/),
        ]);
    });

    it("has a step for each wanted app only: an app that is off has none, not an empty one", () => {
        expect(checkedMigrationSteps({}, { nextcloud: "33.0.7" })).toStrictEqual({ nextcloud: "Nextcloud 33" });
        expect(checkedMigrationSteps({ nextcloud: "31.0.9" }, { immich: "v3.2.4" })).toStrictEqual({ immich: "Immich v3.2" });
        expect(checkedMigrationSteps({ nextcloud: "32.0.13", immich: "v3.2.2" }, {})).toStrictEqual({});
    });

    it("judges an app only against its own deployed version", () => {
        // Nextcloud 31 deployed, Immich wanted: Immich has nothing deployed, so nothing to refuse.
        expect(upgradeProblems({ nextcloud: "31.0.9" }, { immich: "v3.2.4" })).toEqual([]);
        expect(upgradeProblems({ immich: "v3.2.4" }, { nextcloud: "33.0.7", immich: "v3.2.3" })).toEqual([expect.stringMatching(/^homelab:apps\.immich\.version: Immich v3\.2\.3 would downgrade/)]);
    });
});

/** Mocks whose StackReference answers `outputs` (absent: a stack with no outputs yet); records each reference's name. */
async function mockStackReference(outputs: unknown, organization: string | undefined, stack: string): Promise<{ references: string[] }> {
    const seen = { references: [] as string[] };
    await pulumi.runtime.setMocks({
        newResource: (args) => {
            const inputs = args.inputs as Record<string, unknown>;
            if (args.type === "pulumi:pulumi:StackReference") {
                seen.references.push(String(inputs["name"]));
                return { id: String(inputs["name"]), state: outputs === undefined ? { ...inputs } : { ...inputs, outputs } };
            }
            return { id: `${args.name}-id`, state: inputs };
        },
        call: () => ({}),
    }, "homelab", stack, false, organization);
    return seen;
}

describe("the deployed versions of a stack without usable outputs", () => {
    it.each([
        ["no outputs at all (never deployed)", undefined],
        ["outputs without appVersions (deployed before the guard)", { vmId: 100 }],
        ["appVersions null", { appVersions: null }],
        ["appVersions a text", { appVersions: "32.0.13" }],
    ])("%s: nothing deployed to guard", async (_, outputs) => {
        await mockStackReference(outputs, "owner", "prod");
        const parent = new pulumi.ComponentResource("homelab:index:Homelab", "homelab");
        await expect(valueOf(deployedAppVersions("homelab-deployed-versions", parent))).resolves.toEqual({});
    });
});

describe("where the reference is", () => {
    it("a child of the given parent, so its URN stays under the homelab", async () => {
        await mockStackReference({ appVersions: { nextcloud: "32.0.13" } }, "owner", "prod");
        const constructed: string[] = [];
        // A resource's transformations run on it and on its children, not on resources elsewhere.
        const parent = new pulumi.ComponentResource("homelab:index:Homelab", "homelab", {}, {
            transformations: [(args) => {
                constructed.push(`${args.type}::${args.name}`);
                return undefined;
            }],
        });
        await expect(valueOf(deployedAppVersions("homelab-deployed-versions", parent))).resolves.toEqual({ nextcloud: "32.0.13" });
        expect(constructed).toEqual(["homelab:index:Homelab::homelab", "pulumi:pulumi:StackReference::homelab-deployed-versions"]);
    });

    it("without an organization (the offline plan's runtime, the diy backend) it names the stack under \"organization\"", async () => {
        const seen = await mockStackReference({ appVersions: { immich: "v3.2.4" } }, undefined, "dev");
        const parent = new pulumi.ComponentResource("homelab:index:Homelab", "homelab");
        await expect(valueOf(deployedAppVersions("homelab-deployed-versions", parent))).resolves.toEqual({ immich: "v3.2.4" });
        expect(seen.references).toEqual(["organization/homelab/dev"]);
    });
});
