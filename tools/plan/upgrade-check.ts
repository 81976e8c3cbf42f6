// The stateful apps' version changes between two plans, judged by the same rules the program's
// upgrade guard applies (components/backups/upgrade-policy.ts): a Nextcloud jump of more than one
// major, a downgrade, or an Immich upgrade that skips a required release is an UNSAFE UPGRADE,
// which `--fail-on-protected` turns into exit code 3 like a protected resource.
import { immichUpgradeProblem, nextcloudUpgradeProblem } from "../../components/backups/upgrade-policy";
import type { Plan } from "./capture";

export interface UnsafeUpgrade {
    readonly app: string;
    readonly from: string;
    readonly to: string;
    readonly problem: string;
}

/** How each guarded app's version shows in a plan: the tag of its image (pinned by digest too). */
const GUARDED_IMAGES = [
    { app: "nextcloud", image: /^docker\.io\/library\/nextcloud:(\d+\.\d+\.\d+)-apache(@sha256:[0-9a-f]{64})?$/, problem: nextcloudUpgradeProblem },
    { app: "immich", image: /^ghcr\.io\/immich-app\/immich-server:(v\d+\.\d+\.\d+)(@sha256:[0-9a-f]{64})?$/, problem: (from: string | undefined, to: string | undefined) => immichUpgradeProblem(from, to) },
] as const;

/** The version of each guarded app the plan deploys (absent when the app is not in it). */
export function guardedVersions(plan: Plan): Record<string, string> {
    const versions: Record<string, string> = {};
    for (const resource of plan.resources) {
        const name = resource.type === "docker:index/remoteImage:RemoteImage" ? resource.inputs["name"] : undefined;
        for (const guarded of GUARDED_IMAGES) {
            const match = typeof name === "string" ? guarded.image.exec(name) : null;
            if (match !== null) {
                versions[guarded.app] = match[1]!;
            }
        }
    }
    return versions;
}

/** Every guarded app whose version change from `before` to `after` is unsafe. */
export function unsafeUpgrades(before: Plan, after: Plan): UnsafeUpgrade[] {
    const from = guardedVersions(before);
    const to = guardedVersions(after);
    return GUARDED_IMAGES.flatMap((guarded) => {
        const old = from[guarded.app];
        const wanted = to[guarded.app];
        // An app added (nothing deployed) or removed (nothing wanted) has no problem: the rules say so.
        const problem = guarded.problem(old, wanted);
        return problem === undefined ? [] : [{ app: guarded.app, from: old!, to: wanted!, problem }];
    });
}

/** The Markdown block for a pull request; empty when every upgrade is safe. */
export function renderUnsafeUpgrades(upgrades: readonly UnsafeUpgrade[]): string {
    if (upgrades.length === 0) {
        return "";
    }
    return [
        "> [!CAUTION]",
        "> **UNSAFE UPGRADE**: the program refuses this change against the deployed versions before anything changes.",
        ...upgrades.map((upgrade) => `> - **UNSAFE UPGRADE** \`${upgrade.app}\` ${upgrade.from} → ${upgrade.to}: ${upgrade.problem}`),
        "",
    ].join("\n");
}

/** The plan CLI's exit code for a diff: 3 under --fail-on-protected when it is protected or unsafe. */
export function diffExitCode(failOnProtected: boolean, touchesProtected: boolean, upgrades: readonly UnsafeUpgrade[]): number {
    return failOnProtected && (touchesProtected || upgrades.length > 0) ? 3 : 0;
}
