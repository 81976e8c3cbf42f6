// Cross-field rules about the apps as their upstreams run them: what Immich's machine learning
// needs from the VM (memory, a CPU type that shows AVX), and a digest for every version the owner
// picks. Called from config-rules.ts; like the rules there, they read the partly validated
// configuration defensively.
import {
    immichMachineLearningImageTag,
    immichServerImageTag,
    jellyfinImageTag,
    navidromeImageTag,
    nextcloudImageTag,
    nginxProxyManagerImageTag,
} from "../components/apps/images";
import { immichRelease } from "../components/apps/immich-releases";
import { minimumTotalMiB } from "../components/apps/memory";
import type { ConfigProblem } from "./config-rules";
import { APP_DEFAULTS } from "./config-schema";
import { DEFAULT_IMAGE_DIGESTS, howToGetDigest } from "./config-schema-images";

function at(value: unknown, ...path: string[]): unknown {
    return path.reduce<unknown>((current, part) => (current !== null && typeof current === "object" ? (current as Record<string, unknown>)[part] : undefined), value);
}

/** Whether Immich runs with its machine learning (both switches default to on). */
export function immichMachineLearningOn(config: unknown): boolean {
    return at(config, "apps", "immich", "enabled") !== false && at(config, "apps", "immich", "machineLearning") !== false;
}

/** What turning Immich's machine learning off saves at the least, in MiB, for the budget rule's message. */
export function machineLearningSavingMiB(): number {
    return minimumTotalMiB("immich") - minimumTotalMiB("immichWithoutMachineLearning");
}

/** Immich's memory must hold machine learning's 2.5 GiB floor when it runs. */
function immichMemoryRule(config: unknown): ConfigProblem[] {
    const memory = at(config, "apps", "immich", "memoryMiB");
    const needed = minimumTotalMiB("immich");
    if (!immichMachineLearningOn(config) || typeof memory !== "number" || memory >= needed) {
        return [];
    }
    return [{
        key: "apps.immich.memoryMiB",
        message: `${memory} MiB is below the ${needed} MiB Immich needs with machine learning (at least ${needed} MiB; or set homelab:apps.immich.machineLearning to false, which needs ${minimumTotalMiB("immichWithoutMachineLearning")} MiB)`,
    }];
}

/**
 * Proxmox's x86-64-v2-AES hides AVX from the guest, and Immich's machine learning needs it
 * (immich-charts#9, fixed by the CPU type host). x86-64-v3 and v4 include AVX.
 */
function immichCpuRule(config: unknown): ConfigProblem[] {
    const cpuType = at(config, "vm", "cpuType");
    if (!immichMachineLearningOn(config) || cpuType !== "x86-64-v2-AES") {
        return [];
    }
    return [{
        key: "vm.cpuType",
        message: "x86-64-v2-AES hides AVX from the VM, which Immich's machine learning needs (host, the default, or x86-64-v3/v4 on a CPU with AVX2; or set homelab:apps.immich.machineLearning to false)",
    }];
}

/** One image whose digest must follow the version: its digest key, its tag at a version, the default version's digest. */
interface PinnedImage {
    readonly app: keyof typeof APP_DEFAULTS;
    readonly digestPath: readonly string[];
    readonly tag: (version: string) => string;
    readonly defaultDigest: string;
    readonly runs: (config: unknown) => boolean;
}

/** The form the schema lets through: "vX.Y.Z" for Immich, "X.Y.Z" for the others. */
const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

const enabled = (app: string) => (config: unknown) => at(config, "apps", app, "enabled") !== false;

const PINNED_IMAGES: readonly PinnedImage[] = [
    { app: "jellyfin", digestPath: ["digest"], tag: jellyfinImageTag, defaultDigest: DEFAULT_IMAGE_DIGESTS.jellyfin, runs: enabled("jellyfin") },
    { app: "navidrome", digestPath: ["digest"], tag: navidromeImageTag, defaultDigest: DEFAULT_IMAGE_DIGESTS.navidrome, runs: enabled("navidrome") },
    { app: "immich", digestPath: ["imageDigests", "server"], tag: immichServerImageTag, defaultDigest: DEFAULT_IMAGE_DIGESTS.immich.server, runs: enabled("immich") },
    { app: "immich", digestPath: ["imageDigests", "machineLearning"], tag: immichMachineLearningImageTag, defaultDigest: DEFAULT_IMAGE_DIGESTS.immich.machineLearning, runs: immichMachineLearningOn },
    { app: "nextcloud", digestPath: ["digest"], tag: nextcloudImageTag, defaultDigest: DEFAULT_IMAGE_DIGESTS.nextcloud, runs: enabled("nextcloud") },
    { app: "nginxProxyManager", digestPath: ["digest"], tag: nginxProxyManagerImageTag, defaultDigest: DEFAULT_IMAGE_DIGESTS.nginxProxyManager, runs: enabled("nginxProxyManager") },
];

/**
 * A version other than the default needs its own digest: the default digest (what a digest the
 * owner did not set falls back to) names the default version's image, and Docker, given
 * tag@digest, pulls the digest and ignores the tag, so the old version would run under the new
 * version's name. Digests cannot be checked offline: one the owner set is taken as given.
 */
function imageDigestRule(config: unknown): ConfigProblem[] {
    return PINNED_IMAGES.flatMap((image) => {
        const version = at(config, "apps", image.app, "version");
        const digest = at(config, "apps", image.app, ...image.digestPath);
        const defaultVersion = APP_DEFAULTS[image.app].version;
        // A version the schema or the Immich table refuses is reported there: its digest is moot.
        const refused = typeof version !== "string" || (image.app === "immich" ? immichRelease(version) === undefined : !EXACT_VERSION.test(version));
        if (!image.runs(config) || refused || version === defaultVersion || digest !== image.defaultDigest) {
            return [];
        }
        return [{
            key: ["apps", image.app, ...image.digestPath].join("."),
            message: `is missing for version ${version} (it is still the digest of ${image.tag(defaultVersion)}; set ${howToGetDigest(image.tag(version))})`,
        }];
    });
}

/** Every apps rule. */
export function appsRules(config: unknown): ConfigProblem[] {
    return [...immichMemoryRule(config), ...immichCpuRule(config), ...imageDigestRule(config)];
}
