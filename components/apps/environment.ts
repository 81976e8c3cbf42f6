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

/** The first admin Navidrome creates from ND_DEVAUTOCREATEADMINPASSWORD on an empty database (consts.DevInitialUserName). */
export const NAVIDROME_ADMIN_USER = "admin";

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

/** Where the owner's photos appear in the Immich server, read-only: the external library's import path. */
export const IMMICH_PHOTOS_TARGET = "/mnt/photos";

export function immichServerEnvironment(hosts: ImmichHosts, timezone: string, proxyAddress: string, machineLearning: boolean): Record<string, string> {
    return {
        DB_HOSTNAME: hosts.postgres,
        DB_USERNAME: IMMICH_DATABASE.user,
        DB_DATABASE_NAME: IMMICH_DATABASE.name,
        REDIS_HOSTNAME: hosts.valkey,
        ...(machineLearning ? { IMMICH_MACHINE_LEARNING_URL: `http://${hosts.machineLearning}:3003` } : { IMMICH_MACHINE_LEARNING_ENABLED: "false" }),
        // Client addresses in X-Forwarded-For are believed from the proxy only.
        IMMICH_TRUSTED_PROXIES: proxyAddress,
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

/**
 * The largest request body the proxy passes to Nextcloud, in GiB: the proxy host's
 * client_max_body_size, PHP's upload_max_filesize/post_max_size and Apache's LimitRequestBody are
 * all set from it, so an upload the proxy lets through is never refused further in.
 */
export const NEXTCLOUD_BODY_LIMIT_GIB = 16;

/** What Nextcloud reads at every request (the image's config/*.config.php read these): app and cron both need it. */
export function nextcloudRuntimeEnvironment(hostname: string, proxyAddress: string, redisHost: string, timezone: string): Record<string, string> {
    return {
        REDIS_HOST: redisHost,
        // The apache image ignores TRUSTED_PROXIES unless remoteip's rewrite is off.
        APACHE_DISABLE_REWRITE_IP: "1",
        // Only the proxy's own address: any other container on the proxy network could claim any client address.
        TRUSTED_PROXIES: proxyAddress,
        OVERWRITEPROTOCOL: "https",
        OVERWRITEHOST: hostname,
        OVERWRITECLIURL: httpsUrl(hostname),
        // The image's defaults are 512M and 1 GiB (its Dockerfile); both follow the proxy's limit.
        PHP_UPLOAD_LIMIT: `${NEXTCLOUD_BODY_LIMIT_GIB}G`,
        APACHE_BODY_LIMIT: String(NEXTCLOUD_BODY_LIMIT_GIB * 1024 ** 3),
        // Read by the before-starting hook, which re-applies it as the trusted domain on every start.
        HOMELAB_TRUSTED_DOMAIN: hostname,
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
        // Read only at the install (entrypoint.sh); the before-starting hook keeps it current.
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
        // unauthenticated setup wizard that lets whoever reaches port 81 first own the proxy. They
        // act only on an empty database: the container ignores later changes to them.
        INITIAL_ADMIN_EMAIL: adminEmail,
        TZ: timezone,
    };
}
