import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DockerHost } from "../docker/docker-host";
import { DockerService } from "../docker/service";
import type { BindMount } from "../docker/service";
import { appFoldersCommand, readAppScript } from "./app-folders";
import { appFolders, appPaths } from "./directories";
import type { AppsLayout } from "./directories";
import {
    NEXTCLOUD_ADMIN_USER,
    NEXTCLOUD_DATA_DIRECTORY,
    NEXTCLOUD_DATABASE,
    nextcloudInstallEnvironment,
    nextcloudPostgresEnvironment,
    nextcloudRuntimeEnvironment,
} from "./environment";
import { ALPINE_POSTGRES_USER, DATABASE_STOP_TIMEOUT_SECONDS, NEXTCLOUD_POSTGRES_IMAGE, NEXTCLOUD_REDIS_IMAGE, nextcloudImage } from "./images";
import { NEXTCLOUD_PHP_MEMORY_LIMIT_MIB, postgresCommand, splitMemory } from "./memory";
import { nextcloudProxyHost } from "./proxy-hosts";
import type { ProxyHostSpec } from "../nginx-proxy-manager/proxy-host-spec";

/** Nextcloud's settings. */
export interface NextcloudArgs {
    /** The Docker engine. Required. */
    readonly host: DockerHost;
    /** Where code, database and files live on the VM. Required. */
    readonly layout: AppsLayout;
    /** The Nextcloud version, e.g. 33.0.7 (the image is <version>-apache). Required. */
    readonly version: string;
    /** The multi-arch index digest of the <version>-apache tag, "sha256:<64 hex>" (Docker pulls by it). Required. */
    readonly digest: string;
    /** The name the proxy serves it under: trusted domain, overwrite host and CLI URL. Required. */
    readonly hostname: string;
    /** Memory for the four containers together, in MiB. Required. */
    readonly memoryMiB: number;
    /** The containers' time zone. Required. */
    readonly timezone: string;
}

export const NEXTCLOUD_PORT = 80;
export const NEXTCLOUD_CONTAINERS = {
    app: "nextcloud",
    cron: "nextcloud-cron",
    postgres: "nextcloud-postgres",
    redis: "nextcloud-redis",
} as const;
/** Where the image's entrypoint looks for scripts to run before Apache starts, every start. */
export const NEXTCLOUD_BEFORE_STARTING_HOOK = "/docker-entrypoint-hooks.d/before-starting/10-homelab-trusted-domain.sh";

/** Nextcloud (apache image) with Postgres and Redis on an internal network and a cron container. */
export class Nextcloud extends pulumi.ComponentResource {
    /** The network only Nextcloud's containers join; it has no route out. */
    public readonly backendNetwork: docker.Network;
    /** Cron's way out (app store, feeds, federation), without the proxy network. */
    public readonly egressNetwork: docker.Network;
    /** Creates and checks Nextcloud's folders on the VM. */
    public readonly folders: pulumi.Resource;
    public readonly databasePassword: random.RandomPassword;
    /** The first admin's password (user NEXTCLOUD_ADMIN_USER). */
    public readonly adminPassword: random.RandomPassword;
    public readonly app: DockerService;
    public readonly cron: DockerService;
    public readonly postgres: DockerService;
    public readonly redis: DockerService;
    /** What the proxy forwards to: "container:port". */
    public readonly upstream: string;
    /** Its proxy host. */
    public readonly proxyHost: ProxyHostSpec;
    /** The admin login, secret. */
    public readonly adminCredentials: pulumi.Output<{ user: string; password: string }>;

    constructor(name: string, args: NextcloudArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:apps:Nextcloud", name, {}, opts);
        const paths = appPaths(args.layout).nextcloud;
        const memory = splitMemory("nextcloud", args.memoryMiB);
        const labels = [{ label: "homelab.app", value: "nextcloud" }, { label: "homelab.stack", value: args.host.stack }];
        this.folders = appFoldersCommand(name, "nextcloud", args.host, appFolders(args.layout, "nextcloud"), args.layout.dataMountPoint, this);
        this.backendNetwork = new docker.Network(`${name}-backend`, { name: "nextcloud-backend", driver: "bridge", internal: true, labels }, args.host.childOptions(this));
        this.egressNetwork = new docker.Network(`${name}-egress`, { name: "nextcloud-egress", driver: "bridge", labels }, args.host.childOptions(this));
        const backend = this.backendNetwork.name;
        this.databasePassword = new random.RandomPassword(`${name}-database-password`, { length: 32, special: false }, { parent: this });
        this.adminPassword = new random.RandomPassword(`${name}-admin-password`, { length: 24, special: false }, { parent: this });
        const databasePassword = pulumi.secret(this.databasePassword.result);
        const adminPassword = pulumi.secret(this.adminPassword.result);

        this.postgres = new DockerService(`${name}-postgres`, {
            host: args.host,
            app: "nextcloud",
            image: NEXTCLOUD_POSTGRES_IMAGE,
            containerName: NEXTCLOUD_CONTAINERS.postgres,
            memoryMiB: memory.postgres,
            healthcheck: {
                tests: ["CMD-SHELL", `pg_isready --dbname=${NEXTCLOUD_DATABASE.name} --username=${NEXTCLOUD_DATABASE.user} || exit 1`],
                interval: "30s", timeout: "5s", retries: 5, startPeriod: "1m",
            },
            networks: [backend],
            // postgres 17 keeps PGDATA here (18 moved it); on the VM disk, never the data disk.
            mounts: [{ source: paths.postgres, target: "/var/lib/postgresql/data" }],
            environment: nextcloudPostgresEnvironment(),
            secretEnvironment: { POSTGRES_PASSWORD: databasePassword },
            user: ALPINE_POSTGRES_USER,
            // Postgres's default 128MB of shared buffers is most of a small share of the budget.
            command: postgresCommand(memory.postgres),
            stopTimeoutSeconds: DATABASE_STOP_TIMEOUT_SECONDS,
            startAfter: [this.folders],
        }, { parent: this });
        this.redis = new DockerService(`${name}-redis`, {
            host: args.host,
            app: "nextcloud",
            image: NEXTCLOUD_REDIS_IMAGE,
            containerName: NEXTCLOUD_CONTAINERS.redis,
            memoryMiB: memory.redis,
            healthcheck: { tests: ["CMD-SHELL", "redis-cli ping || exit 1"], interval: "30s", timeout: "5s", retries: 3, startPeriod: "10s" },
            networks: [backend],
            stopTimeoutSeconds: DATABASE_STOP_TIMEOUT_SECONDS,
        }, { parent: this });

        // Cron runs the same code against the same config and files: the mounts must match exactly.
        const mounts: BindMount[] = [
            { source: paths.html, target: "/var/www/html" },
            { source: paths.data, target: NEXTCLOUD_DATA_DIRECTORY },
        ];
        const runtime = {
            ...nextcloudRuntimeEnvironment(args.hostname, args.host.proxyAddress, NEXTCLOUD_CONTAINERS.redis, args.timezone),
            // The image's default, stated: the memory floors of app and cron are sized to it.
            PHP_MEMORY_LIMIT: `${NEXTCLOUD_PHP_MEMORY_LIMIT_MIB}M`,
        };
        const healthcheck = {
            // localhost is always a trusted domain; status.php answers once Apache and PHP run.
            tests: ["CMD-SHELL", `curl -fsS -o /dev/null http://localhost:${NEXTCLOUD_PORT}/status.php || exit 1`],
            interval: "30s", timeout: "10s", retries: 3, startPeriod: "10m",
        };
        // Apache binds port 80 and the entrypoint chowns and rsyncs the code as root, then serves as www-data.
        this.app = new DockerService(`${name}-app`, {
            host: args.host,
            app: "nextcloud",
            image: nextcloudImage(args.version, args.digest),
            containerName: NEXTCLOUD_CONTAINERS.app,
            memoryMiB: memory.app,
            healthcheck,
            networks: [args.host.proxyNetworkName, backend],
            mounts,
            environment: { ...runtime, ...nextcloudInstallEnvironment(args.hostname, NEXTCLOUD_CONTAINERS.postgres) },
            secretEnvironment: { POSTGRES_PASSWORD: databasePassword, NEXTCLOUD_ADMIN_PASSWORD: adminPassword },
            files: [{ path: NEXTCLOUD_BEFORE_STARTING_HOOK, content: readAppScript("nextcloud-before-starting"), executable: true }],
            startAfter: [this.folders, this.postgres.container, this.redis.container],
        }, { parent: this });
        this.cron = new DockerService(`${name}-cron`, {
            host: args.host,
            app: "nextcloud",
            image: this.app.image,
            containerName: NEXTCLOUD_CONTAINERS.cron,
            // The share cron needs for background jobs and preview generation.
            memoryMiB: memory.cron,
            // busybox crond is PID 1 (cron.sh execs it); when it is not, cron.php stops running.
            healthcheck: { tests: ["CMD-SHELL", "grep -q crond /proc/1/cmdline || exit 1"], interval: "1m", timeout: "5s", retries: 3, startPeriod: "1m" },
            // Background jobs reach the database and Redis, and the internet (app store, feeds)
            // through their own bridge: nothing reaches cron, so it has no place on the proxy network.
            networks: [backend, this.egressNetwork.name],
            mounts,
            environment: runtime,
            entrypoint: ["/cron.sh"],
            startAfter: [this.folders, this.app.container],
        }, { parent: this });
        this.upstream = `${NEXTCLOUD_CONTAINERS.app}:${NEXTCLOUD_PORT}`;
        this.proxyHost = nextcloudProxyHost(args.hostname, NEXTCLOUD_CONTAINERS.app, NEXTCLOUD_PORT);
        this.adminCredentials = pulumi.secret(pulumi.output({ user: NEXTCLOUD_ADMIN_USER, password: adminPassword }));
        this.registerOutputs({ upstream: this.upstream });
    }
}
