import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DockerHost } from "../docker/docker-host";
import { PROXY_NETWORK_NAME } from "../docker/networks";
import { VM_USER_ID } from "../docker/host-directory";
import { DockerService } from "../docker/service";
import { appFoldersCommand } from "./app-folders";
import { appFolders, appPaths } from "./directories";
import type { AppsLayout } from "./directories";
import { IMMICH_PHOTOS_TARGET, immichPostgresEnvironment, immichServerEnvironment } from "./environment";
import { firstAdminCommand } from "./first-admin";
import { DATABASE_STOP_TIMEOUT_SECONDS, DEBIAN_POSTGRES_USER, immichMachineLearningImage, immichServerImage } from "./images";
import { immichRelease, knownImmichVersions } from "./immich-releases";
import { postgresCommand, splitMemory } from "./memory";
import { immichProxyHost } from "./proxy-hosts";
import type { ProxyHostSpec } from "../nginx-proxy-manager/proxy-host-spec";

/** Immich's settings. */
/** The digests of Immich's own two images at one release tag. */
export interface ImmichImageDigests {
    /** Of ghcr.io/immich-app/immich-server. */
    readonly server: string;
    /** Of ghcr.io/immich-app/immich-machine-learning (unused when machine learning is off). */
    readonly machineLearning: string;
}

export interface ImmichArgs {
    /** The Docker engine. Required. */
    readonly host: DockerHost;
    /** Where the database, model cache, uploads and the owner's photos live on the VM. Required. */
    readonly layout: AppsLayout;
    /** The release tag for server and machine learning, e.g. v3.2.4; it must be in IMMICH_RELEASES. Required. */
    readonly version: string;
    /** The multi-arch index digests ("sha256:<64 hex>") of that tag of the server and machine-learning images. Required. */
    readonly imageDigests: ImmichImageDigests;
    /** The name the proxy serves it under. Required. */
    readonly hostname: string;
    /** Memory for the containers together, in MiB. Required. */
    readonly memoryMiB: number;
    /** The containers' time zone. Required. */
    readonly timezone: string;
    /** Run the machine-learning container (smart search, faces, OCR). Default: true. */
    readonly machineLearning?: boolean;
    /** The first admin's e-mail (the login). Required. */
    readonly adminEmail: string;
}

export const IMMICH_PORT = 2283;
export const IMMICH_CONTAINERS = {
    server: "immich-server",
    // The server's default machine-learning URL already uses this name.
    machineLearning: "immich-machine-learning",
    postgres: "immich-postgres",
    valkey: "immich-valkey",
} as const;

/** Immich: server and machine learning at one version, Postgres and Valkey on an internal network. */
export class Immich extends pulumi.ComponentResource {
    /** The network only Immich's containers join; it has no route out. */
    public readonly backendNetwork: docker.Network;
    /** Machine learning's way out (it downloads its models), without the proxy network; absent without machine learning. */
    public readonly egressNetwork?: docker.Network;
    /** The database password: letters and digits only, as Immich requires. */
    public readonly databasePassword: random.RandomPassword;
    /** The first admin's password. */
    public readonly adminPassword: random.RandomPassword;
    /** Creates and checks Immich's folders on the VM. */
    public readonly folders: pulumi.Resource;
    public readonly server: DockerService;
    public readonly machineLearning?: DockerService;
    public readonly postgres: DockerService;
    public readonly valkey: DockerService;
    /** Creates the first admin and the external library of the owner's photos, once. */
    public readonly firstAdmin: pulumi.Resource;
    /** What the proxy forwards to: "container:port". */
    public readonly upstream: string;
    /** The admin login, secret. */
    public readonly adminCredentials: pulumi.Output<{ email: string; password: string }>;
    /** Its proxy host. */
    public readonly proxyHost: ProxyHostSpec;

    constructor(name: string, args: ImmichArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:apps:Immich", name, {}, opts);
        const release = immichRelease(args.version);
        if (release === undefined) {
            // The config rule reports this first; the component refuses on its own too.
            throw new Error(`Immich ${args.version} has no known database image (known: ${knownImmichVersions()})`);
        }
        const withMachineLearning = args.machineLearning ?? true;
        const paths = appPaths(args.layout).immich;
        const memory: { server: number; postgres: number; valkey: number; machineLearning?: number } = withMachineLearning
            ? splitMemory("immich", args.memoryMiB)
            : splitMemory("immichWithoutMachineLearning", args.memoryMiB);
        const user = `${VM_USER_ID}:${VM_USER_ID}`;
        const labels = [{ label: "homelab.app", value: "immich" }, { label: "homelab.stack", value: args.host.stack }];
        this.folders = appFoldersCommand(name, "immich", args.host, appFolders(args.layout, "immich"), args.layout.dataMountPoint, this);
        this.backendNetwork = new docker.Network(`${name}-backend`, { name: "immich-backend", driver: "bridge", internal: true, labels }, args.host.childOptions(this));
        this.databasePassword = new random.RandomPassword(`${name}-database-password`, { length: 32, special: false }, { parent: this });
        this.adminPassword = new random.RandomPassword(`${name}-admin-password`, { length: 24, special: false }, { parent: this });
        const password = pulumi.secret(this.databasePassword.result);
        const adminPassword = pulumi.secret(this.adminPassword.result);
        const backend = this.backendNetwork.name;
        const startAfterFolders = [this.folders];

        this.postgres = new DockerService(`${name}-postgres`, {
            host: args.host,
            app: "immich",
            image: release.postgresImage,
            containerName: IMMICH_CONTAINERS.postgres,
            memoryMiB: memory.postgres,
            // The image's own check: pg_isready, and no data-checksum failures.
            healthcheck: { tests: release.postgresHealthcheck, interval: "30s", timeout: "10s", retries: 5, startPeriod: "5m" },
            networks: [backend],
            // On the VM's own disk: Immich does not support its database on network or USB storage.
            mounts: [{ source: paths.postgres, target: "/var/lib/postgresql/data" }],
            environment: immichPostgresEnvironment(),
            secretEnvironment: { POSTGRES_PASSWORD: password },
            user: DEBIAN_POSTGRES_USER,
            // The image's postgresql.conf sets shared_buffers to 512MB whatever the limit.
            command: postgresCommand(memory.postgres, release.postgresArguments),
            sharedMemoryMiB: 128,
            stopTimeoutSeconds: DATABASE_STOP_TIMEOUT_SECONDS,
            startAfter: startAfterFolders,
        }, { parent: this });
        this.valkey = new DockerService(`${name}-valkey`, {
            host: args.host,
            app: "immich",
            image: release.valkeyImage,
            containerName: IMMICH_CONTAINERS.valkey,
            memoryMiB: memory.valkey,
            healthcheck: { tests: ["CMD-SHELL", "redis-cli ping || exit 1"], interval: "30s", timeout: "5s", retries: 3, startPeriod: "10s" },
            networks: [backend],
            // The job queue: a replaced container picks up where the old one stopped.
            mounts: [{ source: paths.valkey, target: "/data" }],
            stopTimeoutSeconds: DATABASE_STOP_TIMEOUT_SECONDS,
            startAfter: startAfterFolders,
        }, { parent: this });
        if (withMachineLearning) {
            // An unauthenticated API: never on the proxy network. Its own bridge gives it the way out
            // to download models; the backend is where the server reaches it.
            this.egressNetwork = new docker.Network(`${name}-egress`, { name: "immich-egress", driver: "bridge", labels }, args.host.childOptions(this));
            this.machineLearning = new DockerService(`${name}-machine-learning`, {
                host: args.host,
                app: "immich",
                image: immichMachineLearningImage(args.version, args.imageDigests.machineLearning),
                containerName: IMMICH_CONTAINERS.machineLearning,
                memoryMiB: memory.machineLearning ?? 0,
                healthcheck: { tests: ["CMD-SHELL", "python3 healthcheck.py"], interval: "30s", timeout: "10s", retries: 3, startPeriod: "2m" },
                networks: [backend, this.egressNetwork.name],
                mounts: [{ source: paths.modelCache, target: "/cache" }],
                environment: { TZ: args.timezone },
                user,
                startAfter: startAfterFolders,
            }, { parent: this });
        }
        this.server = new DockerService(`${name}-server`, {
            host: args.host,
            app: "immich",
            image: immichServerImage(args.version, args.imageDigests.server),
            containerName: IMMICH_CONTAINERS.server,
            memoryMiB: memory.server,
            healthcheck: { tests: ["CMD", "immich-healthcheck"], interval: "30s", timeout: "10s", retries: 3, startPeriod: "5m" },
            networks: [args.host.proxyNetworkName, backend],
            mounts: [
                // Its own upload folder on the data disk; the .immich markers refuse a start when it is missing.
                { source: paths.uploads, target: "/data" },
                { source: paths.photos, target: IMMICH_PHOTOS_TARGET, readOnly: true },
            ],
            environment: immichServerEnvironment(IMMICH_CONTAINERS, args.timezone, args.host.proxyAddress, withMachineLearning),
            secretEnvironment: { DB_PASSWORD: password },
            user,
            startAfter: [...startAfterFolders, this.postgres.container, this.valkey.container],
        }, { parent: this });
        this.firstAdmin = firstAdminCommand(name, args.host, {
            app: "immich",
            script: "immich-first-admin",
            container: IMMICH_CONTAINERS.server,
            network: PROXY_NETWORK_NAME,
            port: IMMICH_PORT,
            environment: { ADMIN_EMAIL: args.adminEmail, PHOTOS_PATH: IMMICH_PHOTOS_TARGET },
            password: adminPassword,
            containerId: this.server.container.id,
        }, [this.server.container], this);
        this.upstream = `${IMMICH_CONTAINERS.server}:${IMMICH_PORT}`;
        this.adminCredentials = pulumi.secret(pulumi.output({ email: args.adminEmail, password: adminPassword }));
        this.proxyHost = immichProxyHost(args.hostname, IMMICH_CONTAINERS.server, IMMICH_PORT);
        this.registerOutputs({ upstream: this.upstream });
    }
}
