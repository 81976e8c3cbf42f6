// The upgrade guard: the stateful apps' versions this stack last deployed, compared with the
// configured ones before any container changes.
//
// Where the deployed versions come from: the stack's own last outputs (`appVersions`), read with a
// StackReference to the stack itself. Pulumi's built-in stack-reference provider reads the outputs
// the backend holds for the stack, which are those of the last `pulumi up` that completed (an up
// that fails keeps the previous ones), and it does so in `pulumi preview` too, before anything runs.
// Reading the running containers instead (docker inspect over SSH) would need the VM to be up for a
// preview, could not tell a half-finished upgrade from a finished one, and would be a second path
// to the same truth. A stack that has never been deployed has no outputs: nothing to guard.
import * as pulumi from "@pulumi/pulumi";
import { immichUpgradeProblem, migrationStep, nextcloudUpgradeProblem } from "../components/backups/upgrade-policy";

/** The guarded apps and their versions as the stack outputs record them. */
export type AppVersions = Partial<Record<"nextcloud" | "immich", string>>;

/** The versions the last completed `pulumi up` of this stack deployed ({} when none). */
export function deployedAppVersions(name: string, parent: pulumi.Resource): pulumi.Output<AppVersions> {
    const self = new pulumi.StackReference(name, { name: `${organization()}/${pulumi.getProject()}/${pulumi.getStack()}` }, { parent });
    // outputs, not getOutput: a stack with no outputs yet (or a mock runtime) has none at all.
    return self.outputs.apply((outputs: Record<string, unknown> | undefined) => {
        const value = outputs?.["appVersions"];
        return value !== null && typeof value === "object" ? (value) : {};
    });
}

/** The stack's organization; the offline plan's mock runtime has none, and "organization" is the diy backend's. */
function organization(): string {
    try {
        return pulumi.getOrganization();
    } catch {
        return "organization";
    }
}

/** A refused upgrade: the message names the config key, the versions and the next allowed one. */
export class UpgradeRefused extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UpgradeRefused";
    }
}

/** The problems of going from `deployed` to `wanted`, one line per app, as config errors read. */
export function upgradeProblems(deployed: AppVersions, wanted: AppVersions): string[] {
    const problems: string[] = [];
    const nextcloud = nextcloudUpgradeProblem(deployed.nextcloud, wanted.nextcloud);
    if (nextcloud !== undefined) {
        problems.push(`homelab:apps.nextcloud.version: ${nextcloud}`);
    }
    const immich = immichUpgradeProblem(deployed.immich, wanted.immich);
    if (immich !== undefined) {
        problems.push(`homelab:apps.immich.version: ${immich}`);
    }
    return problems;
}

/** The migration step of each wanted app ("Nextcloud 33", "Immich v3.2"); throws UpgradeRefused on an unsafe change. */
export function checkedMigrationSteps(deployed: AppVersions, wanted: AppVersions): AppVersions {
    const problems = upgradeProblems(deployed, wanted);
    if (problems.length > 0) {
        throw new UpgradeRefused(`The app upgrade is refused before anything changes:\n  ${problems.join("\n  ")}`);
    }
    const steps: AppVersions = {};
    if (wanted.nextcloud !== undefined) {
        steps.nextcloud = migrationStep("nextcloud", wanted.nextcloud);
    }
    if (wanted.immich !== undefined) {
        steps.immich = migrationStep("immich", wanted.immich);
    }
    return steps;
}

/**
 * checkedMigrationSteps once the deployed versions are known: the Output fails on an unsafe change.
 * The homelab derives the Docker provider's host and the pre-upgrade backups' triggers from it, so
 * a refused upgrade stops every container change: nothing on the Docker host moves.
 */
export function guardedMigrationSteps(deployed: pulumi.Output<AppVersions>, wanted: AppVersions): pulumi.Output<AppVersions> {
    return deployed.apply((versions) => checkedMigrationSteps(versions, wanted));
}
