import * as pulumi from "@pulumi/pulumi";
import type { DockerHost } from "../docker/docker-host";
import { VM_USER_ID } from "../docker/host-directory";
import { DockerService } from "../docker/service";
import { appPaths } from "./directories";
import type { AppsLayout } from "./directories";
import { jellyfinEnvironment } from "./environment";
import { jellyfinImage } from "./images";
import { splitMemory } from "./memory";
import { jellyfinProxyHost } from "./proxy-hosts";
import type { ProxyHostSpec } from "../nginx-proxy-manager/proxy-host-spec";

/** Jellyfin's settings. */
export interface JellyfinArgs {
    /** The Docker engine. Required. */
    readonly host: DockerHost;
    /** Where config and media live on the VM. Required. */
    readonly layout: AppsLayout;
    /** The image tag, e.g. 10.11.11. Required. */
    readonly version: string;
    /** The name the proxy serves it under. Required. */
    readonly hostname: string;
    /** Memory limit in MiB. Required. */
    readonly memoryMiB: number;
    /** The containers' time zone. Required. */
    readonly timezone: string;
    /** Intel VAAPI/QSV through /dev/dri/renderD128, with the gid of the VM's render group; the VM needs a GPU passed through. Default: off. */
    readonly hardwareTranscoding?: { readonly renderGroupId: number };
}

export const JELLYFIN_PORT = 8096;

/** Jellyfin: config and cache on the VM disk, movies and TV read-only from the data disk. */
export class Jellyfin extends pulumi.ComponentResource {
    /** The Jellyfin container. */
    public readonly service: DockerService;
    /** What the proxy forwards to: "container:port". */
    public readonly upstream: string;
    /** Its proxy host. */
    public readonly proxyHost: ProxyHostSpec;

    constructor(name: string, args: JellyfinArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:apps:Jellyfin", name, {}, opts);
        const paths = appPaths(args.layout).jellyfin;
        const memory = splitMemory("jellyfin", args.memoryMiB);
        this.service = new DockerService(`${name}-jellyfin`, {
            host: args.host,
            app: "jellyfin",
            image: jellyfinImage(args.version),
            containerName: "jellyfin",
            memoryMiB: memory.jellyfin,
            // The image's own check (apps.md §1), with room for 10.11's first-start migrations.
            healthcheck: {
                tests: ["CMD-SHELL", `curl --noproxy localhost -Lk -fsS http://localhost:${JELLYFIN_PORT}/health || exit 1`],
                interval: "30s", timeout: "30s", retries: 3, startPeriod: "5m",
            },
            networks: [args.host.proxyNetworkName],
            mounts: [
                { source: paths.config, target: "/config" },
                { source: paths.cache, target: "/cache" },
                { source: paths.movies, target: "/media/movies", readOnly: true },
                { source: paths.tv, target: "/media/tv", readOnly: true },
            ],
            environment: jellyfinEnvironment(args.hostname, args.timezone),
            user: `${VM_USER_ID}:${VM_USER_ID}`,
            devices: args.hardwareTranscoding === undefined ? undefined : ["/dev/dri/renderD128"],
            groupIds: args.hardwareTranscoding === undefined ? undefined : [args.hardwareTranscoding.renderGroupId],
        }, { parent: this });
        this.upstream = `${this.service.containerName}:${JELLYFIN_PORT}`;
        this.proxyHost = jellyfinProxyHost(args.hostname, this.service.containerName, JELLYFIN_PORT);
        this.registerOutputs({ upstream: this.upstream });
    }
}
