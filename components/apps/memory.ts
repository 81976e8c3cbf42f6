// How an app's memory budget (apps.<app>.memoryMiB, the total the config's budget rule checks) is
// split across its containers. Every container first gets its floor, the least it runs with under
// load as its upstream measured it; what is left above the floors is shared out by fixed per-mille
// fractions, rounded down, so the parts never add up to more than the total.

/** One container's part of its app's memory. */
export interface MemoryShare {
    /** Per-mille of what is left above the floors (all shares of an app add up to 1000). */
    readonly perMille: number;
    /** The least memory, in MiB, the container gets: what it needs under its heaviest normal load. */
    readonly minimumMiB: number;
}

/** PHP's memory_limit per request in the Nextcloud image (ENV PHP_MEMORY_LIMIT 512M), which cron.php (the PHP CLI) has too. */
export const NEXTCLOUD_PHP_MEMORY_LIMIT_MIB = 512;

/**
 * The floors and shares, with the reasons:
 * - Immich machine learning: 2.5 GiB. CLIP, the buffalo_l face models and PP-OCR load together
 *   during an import; a 2 GiB limit was reported OOM-killed (adampetrovic/home-ops#2464).
 * - Immich server 768 MiB (thumbnail and transcode spikes from 291 MiB idle), Postgres 512 MiB
 *   (shared buffers plus the vector index builds), Valkey 64 MiB (5 MiB idle).
 * - Nextcloud app: two heavy requests at PHP's 512 MiB memory_limit, plus 256 MiB for Apache and
 *   the light workers; cron: one cron.php run at the same limit plus 128 MiB.
 */
export const MEMORY_SHARES = {
    jellyfin: { jellyfin: { perMille: 1000, minimumMiB: 512 } },
    navidrome: { navidrome: { perMille: 1000, minimumMiB: 128 } },
    immich: {
        server: { perMille: 500, minimumMiB: 768 },
        machineLearning: { perMille: 300, minimumMiB: 2560 },
        postgres: { perMille: 200, minimumMiB: 512 },
        valkey: { perMille: 0, minimumMiB: 64 },
    },
    /** Immich with apps.immich.machineLearning false: no machine-learning container. */
    immichWithoutMachineLearning: {
        server: { perMille: 700, minimumMiB: 768 },
        postgres: { perMille: 300, minimumMiB: 512 },
        valkey: { perMille: 0, minimumMiB: 64 },
    },
    nextcloud: {
        app: { perMille: 600, minimumMiB: 2 * NEXTCLOUD_PHP_MEMORY_LIMIT_MIB + 256 },
        cron: { perMille: 200, minimumMiB: NEXTCLOUD_PHP_MEMORY_LIMIT_MIB + 128 },
        postgres: { perMille: 200, minimumMiB: 256 },
        redis: { perMille: 0, minimumMiB: 64 },
    },
    nginxProxyManager: { nginxProxyManager: { perMille: 1000, minimumMiB: 128 } },
} as const satisfies Record<string, Record<string, MemoryShare>>;

export type MemoryShares = typeof MEMORY_SHARES;

/** Each container's `memory` limit (MiB) for an app with `totalMiB`; throws when the total is below the floors. */
export function splitMemory<App extends keyof MemoryShares>(app: App, totalMiB: number): Record<keyof MemoryShares[App], number> {
    const shares = MEMORY_SHARES[app] as Record<string, MemoryShare>;
    const minimum = minimumTotalMiB(app);
    if (totalMiB < minimum) {
        const floors = Object.entries(shares).map(([container, share]) => `${container} ${share.minimumMiB}`).join(" + ");
        throw new Error(`${app} with ${totalMiB} MiB is below its minimum of ${minimum} MiB (${floors})`);
    }
    const spare = totalMiB - minimum;
    const parts: Record<string, number> = {};
    for (const [container, share] of Object.entries(shares)) {
        parts[container] = share.minimumMiB + Math.floor((spare * share.perMille) / 1000);
    }
    return parts as Record<keyof MemoryShares[App], number>;
}

/** The smallest total for which every container of the app gets its floor: the floors added up. */
export function minimumTotalMiB(app: keyof MemoryShares): number {
    return Object.values(MEMORY_SHARES[app] as Record<string, MemoryShare>).reduce((sum, share) => sum + share.minimumMiB, 0);
}

/**
 * The Postgres command for a container with a `limitMiB` memory limit: the image's own command,
 * with shared_buffers set to a quarter of the limit (Postgres's rule of thumb for a dedicated
 * machine). Shared buffers count against the container's memory cgroup once they are touched, so a
 * value near the limit gets Postgres OOM-killed as its cache fills: Immich's image sets 512MB in
 * its postgresql.conf, more than the whole Postgres share of a 2 GiB Immich. `-c` on the command
 * line overrides the config file. `imageArguments` are the image's own CMD arguments after
 * `postgres`, which the replacement must keep (Immich's names the config file that preloads vchord).
 */
export function postgresCommand(limitMiB: number, imageArguments: readonly string[] = []): string[] {
    return ["postgres", ...imageArguments, "-c", `shared_buffers=${Math.floor(limitMiB / 4)}MB`];
}
