// How an app's memory budget (apps.<app>.memoryMiB, the total the config's budget rule checks) is
// split across its containers. Shares are fixed per-mille fractions, rounded down, so the parts
// never add up to more than the total; each container also has a floor below which it cannot run.

/** One container's part of its app's memory. */
export interface MemoryShare {
    /** Per-mille of the app's total (all shares of an app add up to 1000). */
    readonly perMille: number;
    /** The least memory, in MiB, the container can start and idle with. */
    readonly minimumMiB: number;
}

/**
 * The fixed shares, with the reasons from apps.md §8:
 * - Immich: machine learning peaks highest (models load lazily, 1.25 GB+ with all jobs), the
 *   server spikes on thumbnails and transcodes, Postgres idles at ~0.2 GB, Valkey at ~20 MB.
 * - Nextcloud: Apache/PHP takes most (512 MB per request), cron runs the same PHP for background
 *   jobs and previews, Postgres 256–512 MB, Redis tens of MB.
 */
export const MEMORY_SHARES = {
    jellyfin: { jellyfin: { perMille: 1000, minimumMiB: 512 } },
    navidrome: { navidrome: { perMille: 1000, minimumMiB: 128 } },
    immich: {
        server: { perMille: 300, minimumMiB: 384 },
        machineLearning: { perMille: 450, minimumMiB: 512 },
        postgres: { perMille: 200, minimumMiB: 256 },
        valkey: { perMille: 50, minimumMiB: 64 },
    },
    nextcloud: {
        app: { perMille: 450, minimumMiB: 256 },
        cron: { perMille: 250, minimumMiB: 128 },
        postgres: { perMille: 200, minimumMiB: 128 },
        redis: { perMille: 100, minimumMiB: 64 },
    },
    nginxProxyManager: { nginxProxyManager: { perMille: 1000, minimumMiB: 128 } },
} as const satisfies Record<string, Record<string, MemoryShare>>;

export type MemoryShares = typeof MEMORY_SHARES;

/** Each container's `memory` limit (MiB) for an app with `totalMiB`; throws when a part falls below its floor. */
export function splitMemory<App extends keyof MemoryShares>(app: App, totalMiB: number): Record<keyof MemoryShares[App], number> {
    const shares = MEMORY_SHARES[app] as Record<string, MemoryShare>;
    const parts: Record<string, number> = {};
    for (const [container, share] of Object.entries(shares)) {
        const part = Math.floor((totalMiB * share.perMille) / 1000);
        if (part < share.minimumMiB) {
            throw new Error(`${app} with ${totalMiB} MiB leaves ${container} ${part} MiB, below its minimum of ${share.minimumMiB} MiB`);
        }
        parts[container] = part;
    }
    return parts as Record<keyof MemoryShares[App], number>;
}

/** The smallest total for which every container of the app gets at least its floor. */
export function minimumTotalMiB(app: keyof MemoryShares): number {
    const shares = Object.values(MEMORY_SHARES[app] as Record<string, MemoryShare>);
    return Math.max(...shares.map((share) => Math.ceil((share.minimumMiB * 1000) / share.perMille)));
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
