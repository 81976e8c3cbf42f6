import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DockerHost } from "./docker-host";

/** A host directory bound into the container. Only bind mounts: their source must already exist. */
export interface BindMount {
    /** Absolute path on the VM. */
    readonly source: string;
    /** Path in the container. */
    readonly target: string;
    /** Mount read-only. */
    readonly readOnly?: boolean;
}

/** A port published on one address of the VM (never 0.0.0.0). */
export interface PublishedPort {
    /** The container's port. */
    readonly internal: number;
    /** The VM's port. */
    readonly external: number;
    /** The VM address it listens on. */
    readonly ip: string;
}

/** A container's healthcheck. */
export interface Healthcheck {
    /** The command, e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]. */
    readonly tests: readonly string[];
    /** Time between checks. */
    readonly interval: string;
    /** Time one check may take. */
    readonly timeout: string;
    /** Failures before the container counts as unhealthy. */
    readonly retries: number;
    /** Grace period after start (first starts run migrations). */
    readonly startPeriod: string;
}

/** A network the container joins at a fixed address. */
export interface FixedAddressNetwork {
    /** The network's name (its output, for the dependency). */
    readonly name: pulumi.Input<string>;
    /** The container's IPv4 address on it. */
    readonly ipv4Address: string;
}

/** A file written into the container before it starts. */
export interface ContainerFile {
    /** Absolute path in the container. */
    readonly path: string;
    /** The file's text. */
    readonly content: string;
    /** Whether it is executable. */
    readonly executable: boolean;
}

/** One container and its image, with every guard the homelab requires. */
export interface DockerServiceArgs {
    /** The engine the container runs on. Required. */
    readonly host: DockerHost;
    /** The app the container belongs to, for labels. Required. */
    readonly app: string;
    /** The image reference with a pinned tag (and digest where known), or an image another service already pulls. Required. */
    readonly image: string | docker.RemoteImage;
    /** The container's name, which is also its DNS name on its networks. Required. */
    readonly containerName: string;
    /** The memory limit in MiB. Required. */
    readonly memoryMiB: number;
    /** The healthcheck. Required. */
    readonly healthcheck: Healthcheck;
    /** Names of the networks to join, or a network with a fixed address (the default bridge is left). Required. */
    readonly networks: readonly (pulumi.Input<string> | FixedAddressNetwork)[];
    /** Bind mounts. Default: none. */
    readonly mounts?: readonly BindMount[];
    /** Plain environment. Default: none. */
    readonly environment?: Readonly<Record<string, string>>;
    /** Environment values that are secrets; each entry stays secret in state and in the plan. Default: none. */
    readonly secretEnvironment?: Readonly<Record<string, pulumi.Input<string>>>;
    /** "uid:gid" to run as, where the image supports it. Default: the image's user. */
    readonly user?: string;
    /** Ports published on the VM. Default: none (only the proxy publishes). */
    readonly ports?: readonly PublishedPort[];
    /** Replaces the image's command (CMD). Default: the image's. */
    readonly command?: readonly string[];
    /** Replaces the image's entrypoint. Default: the image's. */
    readonly entrypoint?: readonly string[];
    /** /dev/shm size in MiB. Default: Docker's 64. */
    readonly sharedMemoryMiB?: number;
    /** Host devices, e.g. /dev/dri/renderD128. Default: none. */
    readonly devices?: readonly string[];
    /** Extra group ids for the container's user. Default: none. */
    readonly groupIds?: readonly number[];
    /** Resources created before this one: other containers (Docker has no depends_on; the apps retry anyway), the app's folders. Default: none. */
    readonly startAfter?: readonly pulumi.Resource[];
    /** Seconds Docker waits after SIGTERM before it kills the container (docker stop, daemon shutdown). Default: Docker's 10. */
    readonly stopTimeoutSeconds?: number;
    /** Files written into the container before it starts (a change replaces it). Default: none. */
    readonly files?: readonly ContainerFile[];
    /** Input names whose changes are ignored after the container exists (e.g. envs read only at first start). Default: none. */
    readonly ignoreChanges?: readonly string[];
}

/** "KEY=value" lines, sorted by key so the plan is stable. */
export function environmentLines(environment: Readonly<Record<string, string>>): string[] {
    return Object.keys(environment)
        .sort()
        .map((key) => `${key}=${environment[key]}`);
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * A whole-second duration ("5m", "90s", "1h") as Go's time.Duration prints it ("5m0s", "1m30s",
 * "1h0m0s"). The docker provider reads a container's healthcheck back from Docker in that form, so
 * "5m" in the program and "5m0s" in the state would show a change on every preview.
 */
export function canonicalDuration(text: string): string {
    const match = DURATION.exec(text);
    if (text === "" || match === null) {
        throw new Error(`duration ${JSON.stringify(text)}: expected whole hours, minutes and seconds such as "5m" or "1m30s"`);
    }
    const total = Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    if (hours > 0) {
        return `${hours}h${minutes}m${seconds}s`;
    }
    return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** The labels every container carries: which app and which stack it belongs to. */
export function serviceLabels(app: string, stack: string): { label: string; value: string }[] {
    return [
        { label: "homelab.app", value: app },
        { label: "homelab.stack", value: stack },
    ];
}

/**
 * How long a container may take to stop when Pulumi deletes or replaces it. Without
 * destroyGraceSeconds the docker provider stops with a 0 s timeout, i.e. SIGKILL at once: Postgres
 * would skip its clean shutdown and Nextcloud or Immich die mid-request on every version bump.
 * Docker returns as soon as the container exits, so the margin costs nothing.
 */
export const STOP_GRACE_SECONDS = 60;

/** The service building block: a pinned RemoteImage and a guarded container. */
export class DockerService extends pulumi.ComponentResource {
    /** The image (this service's own, or the shared one it was given). */
    public readonly image: docker.RemoteImage;
    /** The container. */
    public readonly container: docker.Container;
    /** The container's name. */
    public readonly containerName: string;

    constructor(name: string, args: DockerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:docker:Service", name, {}, opts);
        this.containerName = args.containerName;
        this.image = typeof args.image === "string"
            ? new docker.RemoteImage(`${name}-image`, {
                name: args.image,
                // The VM is amd64 whatever machine runs Pulumi.
                platform: "linux/amd64",
                // A superseded image is removed from the VM's 32 GiB disk once the upgrade is done:
                // the replacement is pulled first, the containers move to it, then the old one goes.
                keepLocally: false,
            }, args.host.childOptions(this))
            : args.image;
        const secretLines = Object.keys(args.secretEnvironment ?? {})
            .sort()
            .map((key) => pulumi.secret(pulumi.interpolate`${key}=${args.secretEnvironment?.[key] ?? ""}`));
        this.container = new docker.Container(`${name}-container`, {
            name: args.containerName,
            image: this.image.imageId,
            restart: "unless-stopped",
            destroyGraceSeconds: STOP_GRACE_SECONDS,
            memory: args.memoryMiB,
            healthcheck: {
                tests: [...args.healthcheck.tests],
                interval: canonicalDuration(args.healthcheck.interval),
                timeout: canonicalDuration(args.healthcheck.timeout),
                startPeriod: canonicalDuration(args.healthcheck.startPeriod),
                retries: args.healthcheck.retries,
            },
            // "bridge" is what the engine reports back; leaving it out shows a diff on every up
            // (pulumi-docker#1272). The provider still detaches the default bridge when it attaches networksAdvanced.
            networkMode: "bridge",
            networksAdvanced: args.networks.map((network) => (isFixedAddress(network) ? { name: network.name, ipv4Address: network.ipv4Address } : { name: network })),
            mounts: (args.mounts ?? []).map((mount) => ({ type: "bind", source: mount.source, target: mount.target, readOnly: mount.readOnly ?? false })),
            envs: [...environmentLines(args.environment ?? {}), ...secretLines],
            labels: serviceLabels(args.app, args.host.stack),
            user: args.user,
            ports: args.ports?.map((port) => ({ internal: port.internal, external: port.external, ip: port.ip, protocol: "tcp" })),
            command: args.command === undefined ? undefined : [...args.command],
            entrypoints: args.entrypoint === undefined ? undefined : [...args.entrypoint],
            shmSize: args.sharedMemoryMiB,
            devices: args.devices?.map((device) => ({ hostPath: device, containerPath: device, permissions: "rwm" })),
            groupAdds: args.groupIds?.map(String),
            stopTimeout: args.stopTimeoutSeconds,
            uploads: args.files?.map((file) => ({ file: file.path, content: file.content, executable: file.executable })),
        }, {
            ...args.host.childOptions(this),
            // A fixed name collides when the replacement is created first (pulumi-docker#1356).
            deleteBeforeReplace: true,
            // The provider neither replaces nor updates a container for a new healthcheck: the change
            // would reach the state only, never Docker. Recreating the container is how it applies.
            replaceOnChanges: ["healthcheck"],
            dependsOn: [...args.host.bootstrap, this.image, ...(args.startAfter ?? [])],
            ignoreChanges: args.ignoreChanges === undefined ? undefined : [...args.ignoreChanges],
        });
        this.registerOutputs({ containerName: this.containerName });
    }
}

function isFixedAddress(network: pulumi.Input<string> | FixedAddressNetwork): network is FixedAddressNetwork {
    return typeof network === "object" && !pulumi.Output.isInstance(network) && "ipv4Address" in network;
}
