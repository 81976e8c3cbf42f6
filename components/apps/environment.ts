// Each app's non-secret environment, derived from the few facts the owner declares (hostname,
// time zone, the proxy network's subnet) so that nothing is typed twice. Secrets are added by the
// components, wrapped with pulumi.secret.

/** The public URL of an app behind the proxy. */
export function httpsUrl(hostname: string): string {
    return `https://${hostname}`;
}

export function jellyfinEnvironment(hostname: string, timezone: string): Record<string, string> {
    return {
        // Only what UDP auto-discovery answers with (apps.md §1); the proxy handles real links.
        JELLYFIN_PublishedServerUrl: httpsUrl(hostname),
        TZ: timezone,
    };
}

export function navidromeEnvironment(timezone: string): Record<string, string> {
    return {
        // A missing data disk only marks tracks missing; it never deletes them from the library.
        ND_SCANNER_PURGEMISSING: "never",
        ND_ENABLEINSIGHTSCOLLECTOR: "false",
        ND_LOGLEVEL: "info",
        TZ: timezone,
    };
}

/** Container names the Immich containers reach each other by (there is no compose service DNS). */
export interface ImmichHosts {
    readonly postgres: string;
    readonly valkey: string;
    readonly machineLearning: string;
}

export const IMMICH_DATABASE = { name: "immich", user: "postgres" } as const;

export function immichServerEnvironment(hosts: ImmichHosts, timezone: string): Record<string, string> {
    return {
        DB_HOSTNAME: hosts.postgres,
        DB_USERNAME: IMMICH_DATABASE.user,
        DB_DATABASE_NAME: IMMICH_DATABASE.name,
        REDIS_HOSTNAME: hosts.valkey,
        IMMICH_MACHINE_LEARNING_URL: `http://${hosts.machineLearning}:3003`,
        TZ: timezone,
    };
}

export function immichPostgresEnvironment(): Record<string, string> {
    return {
        POSTGRES_USER: IMMICH_DATABASE.user,
        POSTGRES_DB: IMMICH_DATABASE.name,
        POSTGRES_INITDB_ARGS: "--data-checksums",
    };
}

export const NEXTCLOUD_DATABASE = { name: "nextcloud", user: "nextcloud" } as const;
export const NEXTCLOUD_ADMIN_USER = "admin";
/** Where Nextcloud keeps user files inside the container: outside /var/www/html, as the image's README recommends. */
export const NEXTCLOUD_DATA_DIRECTORY = "/data";

/** What Nextcloud reads at every request (the image's config/*.config.php read these): app and cron both need it. */
export function nextcloudRuntimeEnvironment(hostname: string, proxySubnet: string, redisHost: string, timezone: string): Record<string, string> {
    return {
        REDIS_HOST: redisHost,
        // The apache image ignores TRUSTED_PROXIES unless remoteip's rewrite is off.
        APACHE_DISABLE_REWRITE_IP: "1",
        TRUSTED_PROXIES: proxySubnet,
        OVERWRITEPROTOCOL: "https",
        OVERWRITEHOST: hostname,
        OVERWRITECLIURL: httpsUrl(hostname),
        TZ: timezone,
    };
}

/** What only the first start (the unattended install) reads; the app container alone gets it. */
export function nextcloudInstallEnvironment(hostname: string, postgresHost: string): Record<string, string> {
    return {
        POSTGRES_HOST: postgresHost,
        POSTGRES_DB: NEXTCLOUD_DATABASE.name,
        POSTGRES_USER: NEXTCLOUD_DATABASE.user,
        NEXTCLOUD_ADMIN_USER: NEXTCLOUD_ADMIN_USER,
        NEXTCLOUD_TRUSTED_DOMAINS: hostname,
        NEXTCLOUD_DATA_DIR: NEXTCLOUD_DATA_DIRECTORY,
    };
}

export function nextcloudPostgresEnvironment(): Record<string, string> {
    return { POSTGRES_DB: NEXTCLOUD_DATABASE.name, POSTGRES_USER: NEXTCLOUD_DATABASE.user };
}

export function nginxProxyManagerEnvironment(adminEmail: string, timezone: string): Record<string, string> {
    return {
        // With both INITIAL_ADMIN_* set, 2.13+ creates the admin at first start and skips the
        // unauthenticated setup wizard that lets whoever reaches port 81 first own the proxy.
        INITIAL_ADMIN_EMAIL: adminEmail,
        TZ: timezone,
    };
}
