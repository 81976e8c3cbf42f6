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
    /** Names of the networks to join (the default bridge is left). Required. */
    readonly networks: readonly pulumi.Input<string>[];
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
    /** Containers created before this one (Docker has no depends_on; the apps retry anyway). Default: none. */
    readonly startAfter?: readonly pulumi.Resource[];
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
                // The VM is amd64 whatever machine runs Pulumi; keeping the image lets a
                // replaced container start from the local copy.
                platform: "linux/amd64",
                keepLocally: true,
            }, args.host.childOptions(this))
            : args.image;
        const secretLines = Object.keys(args.secretEnvironment ?? {})
            .sort()
            // Stryker disable next-line OptionalChaining: equivalent, the keys come from secretEnvironment, so it is defined here
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
            networksAdvanced: args.networks.map((network) => ({ name: network })),
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
        }, {
            ...args.host.childOptions(this),
            // A fixed name collides when the replacement is created first (pulumi-docker#1356).
            deleteBeforeReplace: true,
            dependsOn: [...args.host.bootstrap, this.image, ...(args.startAfter ?? [])],
        });
        this.registerOutputs({ containerName: this.containerName });
    }
}
