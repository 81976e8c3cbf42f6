import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DockerHost } from "../docker/docker-host";
import { VM_USER_ID } from "../docker/host-directory";
import { DockerService } from "../docker/service";
import { appPaths } from "./directories";
import type { AppsLayout } from "./directories";
import { IMMICH_DATABASE, immichPostgresEnvironment, immichServerEnvironment } from "./environment";
import { DEBIAN_POSTGRES_USER, immichMachineLearningImage, immichServerImage } from "./images";
import { immichRelease, knownImmichVersions } from "./immich-releases";
import { postgresCommand, splitMemory } from "./memory";
import { immichProxyHost } from "./proxy-hosts";
import type { ProxyHostSpec } from "../nginx-proxy-manager/proxy-host-spec";

/** Immich's settings. */
export interface ImmichArgs {
    /** The Docker engine. Required. */
    readonly host: DockerHost;
    /** Where the database, model cache and uploads live on the VM. Required. */
    readonly layout: AppsLayout;
    /** The release tag for server and machine learning, e.g. v3.2.4; it must be in IMMICH_RELEASES. Required. */
    readonly version: string;
    /** The name the proxy serves it under. Required. */
    readonly hostname: string;
    /** Memory for the four containers together, in MiB. Required. */
    readonly memoryMiB: number;
    /** The containers' time zone. Required. */
    readonly timezone: string;
}

export const IMMICH_PORT = 2283;
/** The arguments of the Immich Postgres image's CMD: its config file preloads the vchord extension. */
export const IMMICH_POSTGRES_IMAGE_ARGUMENTS = ["-c", "config_file=/etc/postgresql/postgresql.conf"] as const;
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
    /** The database password: letters and digits only, as Immich requires. */
    public readonly databasePassword: random.RandomPassword;
    public readonly server: DockerService;
    public readonly machineLearning: DockerService;
    public readonly postgres: DockerService;
    public readonly valkey: DockerService;
    /** What the proxy forwards to: "container:port". */
    public readonly upstream: string;
    /** Its proxy host. */
    public readonly proxyHost: ProxyHostSpec;

    constructor(name: string, args: ImmichArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:apps:Immich", name, {}, opts);
        const release = immichRelease(args.version);
        if (release === undefined) {
            // The config rule reports this first; the component refuses on its own too.
            throw new Error(`Immich ${args.version} has no known database image (known: ${knownImmichVersions()})`);
        }
        const paths = appPaths(args.layout).immich;
        const memory = splitMemory("immich", args.memoryMiB);
        const user = `${VM_USER_ID}:${VM_USER_ID}`;
        this.backendNetwork = new docker.Network(`${name}-backend`, {
            name: "immich-backend",
            driver: "bridge",
            internal: true,
            labels: [{ label: "homelab.app", value: "immich" }, { label: "homelab.stack", value: args.host.stack }],
        }, args.host.childOptions(this));
        this.databasePassword = new random.RandomPassword(`${name}-database-password`, { length: 32, special: false }, { parent: this });
        const password = pulumi.secret(this.databasePassword.result);
        const backend = this.backendNetwork.name;

        this.postgres = new DockerService(`${name}-postgres`, {
            host: args.host,
            app: "immich",
            image: release.postgresImage,
            containerName: IMMICH_CONTAINERS.postgres,
            memoryMiB: memory.postgres,
            healthcheck: {
                tests: ["CMD-SHELL", `pg_isready --dbname=${IMMICH_DATABASE.name} --username=${IMMICH_DATABASE.user} || exit 1`],
                interval: "30s", timeout: "5s", retries: 5, startPeriod: "5m",
            },
            networks: [backend],
            // On the VM's own disk: Immich does not support its database on network or USB storage.
            mounts: [{ source: paths.postgres, target: "/var/lib/postgresql/data" }],
            environment: immichPostgresEnvironment(),
            secretEnvironment: { POSTGRES_PASSWORD: password },
            user: DEBIAN_POSTGRES_USER,
            // The image's postgresql.conf sets shared_buffers to 512MB whatever the limit.
            command: postgresCommand(memory.postgres, IMMICH_POSTGRES_IMAGE_ARGUMENTS),
            sharedMemoryMiB: 128,
        }, { parent: this });
        this.valkey = new DockerService(`${name}-valkey`, {
            host: args.host,
            app: "immich",
            image: release.valkeyImage,
            containerName: IMMICH_CONTAINERS.valkey,
            memoryMiB: memory.valkey,
            healthcheck: { tests: ["CMD-SHELL", "redis-cli ping || exit 1"], interval: "30s", timeout: "5s", retries: 3, startPeriod: "10s" },
            networks: [backend],
        }, { parent: this });
        this.machineLearning = new DockerService(`${name}-machine-learning`, {
            host: args.host,
            app: "immich",
            image: immichMachineLearningImage(args.version),
            containerName: IMMICH_CONTAINERS.machineLearning,
            memoryMiB: memory.machineLearning,
            healthcheck: { tests: ["CMD-SHELL", "python3 healthcheck.py"], interval: "30s", timeout: "10s", retries: 3, startPeriod: "2m" },
            // The backend for the server's requests; the proxy network only for downloading models.
            networks: [backend, args.host.proxyNetworkName],
            mounts: [{ source: paths.modelCache, target: "/cache" }],
            environment: { TZ: args.timezone },
            user,
        }, { parent: this });
        this.server = new DockerService(`${name}-server`, {
            host: args.host,
            app: "immich",
            image: immichServerImage(args.version),
            containerName: IMMICH_CONTAINERS.server,
            memoryMiB: memory.server,
            healthcheck: { tests: ["CMD", "immich-healthcheck"], interval: "30s", timeout: "10s", retries: 3, startPeriod: "5m" },
            networks: [args.host.proxyNetworkName, backend],
            // Uploads on the data disk; Immich's .immich markers refuse to start when it is missing.
            mounts: [{ source: paths.uploads, target: "/data" }],
            environment: immichServerEnvironment(IMMICH_CONTAINERS, args.timezone),
            secretEnvironment: { DB_PASSWORD: password },
            user,
            startAfter: [this.postgres.container, this.valkey.container],
        }, { parent: this });
        this.upstream = `${IMMICH_CONTAINERS.server}:${IMMICH_PORT}`;
        this.proxyHost = immichProxyHost(args.hostname, IMMICH_CONTAINERS.server, IMMICH_PORT);
        this.registerOutputs({ upstream: this.upstream });
    }
}
