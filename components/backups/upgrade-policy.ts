// Which version changes of the stateful apps are safe, as pure rules: the program refuses an unsafe
// one against the deployed versions before any container changes, and the offline plan diff marks
// it UNSAFE UPGRADE. Both read these functions, so they cannot disagree.
import { IMMICH_REQUIRED_STOPS } from "../apps/immich-releases";
import type { ImmichRequiredStop } from "../apps/immich-releases";

type Version = readonly [number, number, number];

/** "33.0.7", "v3.2.4" → [33, 0, 7]; undefined for anything else, and for no version at all. */
export function parseVersion(text: string | undefined): Version | undefined {
    // Stryker disable next-line StringLiteral: equivalent, any text without a version parses like "" (to undefined)
    const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text ?? "");
    return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compare(first: Version, second: Version): number {
    return first[0] - second[0] || first[1] - second[1] || first[2] - second[2];
}

/**
 * Nextcloud upgrades one major at a time and never downgrades (its entrypoint refuses both and
 * the container loops). Returns the refusal, naming the versions and the next allowed step, or
 * undefined when the change is safe (no change is), nothing is deployed yet, the app is not wanted
 * (off), or either version is not "X.Y.Z" (the config schema refuses such a version before).
 */
export function nextcloudUpgradeProblem(deployed: string | undefined, wanted: string | undefined): string | undefined {
    const from = parseVersion(deployed);
    const to = parseVersion(wanted);
    if (from === undefined || to === undefined) {
        return undefined;
    }
    if (compare(to, from) < 0) {
        return `Nextcloud ${wanted} would downgrade the deployed ${deployed}, which Nextcloud refuses (stay at ${deployed} or newer; to go back, restore the backup taken before the upgrade, docs/backups.md)`;
    }
    if (to[0] > from[0] + 1) {
        return `Nextcloud ${deployed} to ${wanted} skips ${to[0] - from[0] - 1} major version(s); Nextcloud upgrades one major at a time (next allowed: ${from[0] + 1}.x, the newest ${from[0] + 1}.0.x release; deploy it, then ${wanted})`;
    }
    return undefined;
}

/**
 * Immich does not support going back to an earlier version, and some releases must be passed
 * through (IMMICH_REQUIRED_STOPS: each stop's `from` is older than its `reaching`, so staying on a
 * version never needs one). Returns the refusal or undefined, as nextcloudUpgradeProblem does.
 */
export function immichUpgradeProblem(deployed: string | undefined, wanted: string | undefined, stops: readonly ImmichRequiredStop[] = IMMICH_REQUIRED_STOPS): string | undefined {
    const from = parseVersion(deployed);
    const to = parseVersion(wanted);
    if (from === undefined || to === undefined) {
        return undefined;
    }
    if (compare(to, from) < 0) {
        return `Immich ${wanted} would downgrade the deployed ${deployed}; Immich does not support switching back to an earlier version (stay at ${deployed} or newer; to go back, restore the backup taken before the upgrade, docs/backups.md)`;
    }
    for (const stop of stops) {
        const reaching = parseVersion(stop.reaching)!;
        const required = parseVersion(stop.from)!;
        if (compare(to, reaching) >= 0 && compare(from, required) < 0) {
            return `Immich ${deployed} to ${wanted} skips the required release ${stop.from}: ${stop.reason} (next allowed: ${stop.from} or a later release before ${stop.reaching}; deploy it, then ${wanted})`;
        }
    }
    return undefined;
}

/** Each app's migration step of a parsed version. */
const MIGRATION_STEPS: Readonly<Record<"nextcloud" | "immich", (version: Version) => string>> = {
    nextcloud: ([major]) => `Nextcloud ${major}`,
    immich: ([major, minor]) => `Immich v${major}.${minor}`,
};

/**
 * The part of a version whose change migrates the app's data: Nextcloud's major, Immich's release
 * line. A version that does not parse is its own step, so any change of it counts as a migration.
 */
export function migrationStep(app: "nextcloud" | "immich", version: string): string {
    const parsed = parseVersion(version);
    return parsed === undefined ? version : MIGRATION_STEPS[app](parsed);
}
