import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DockerHost } from "../docker/docker-host";
import { VM_USER_ID } from "../docker/host-directory";
import { PROXY_NETWORK_NAME } from "../docker/networks";
import { DockerService } from "../docker/service";
import { appFoldersCommand } from "./app-folders";
import { appFolders, appPaths } from "./directories";
import type { AppsLayout } from "./directories";
import { jellyfinEnvironment } from "./environment";
import { firstAdminCommand } from "./first-admin";
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
    /** The multi-arch index digest of that tag, "sha256:<64 hex>" (Docker pulls by it). Required. */
    readonly digest: string;
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
/** The first admin the startup wizard creates. */
export const JELLYFIN_ADMIN_USER = "admin";
/** Where the libraries appear in the container (read-only), and the collection type of each. */
export const JELLYFIN_LIBRARIES = [
    { name: "Movies", collectionType: "movies", path: "/media/movies" },
    { name: "Shows", collectionType: "tvshows", path: "/media/tv" },
] as const;

/** Jellyfin: config on the VM disk, its cache on the data disk, movies and TV read-only from the data disk. */
export class Jellyfin extends pulumi.ComponentResource {
    /** Creates and checks Jellyfin's folders on the VM. */
    public readonly folders: pulumi.Resource;
    /** The first admin's password. */
    public readonly adminPassword: random.RandomPassword;
    /** The Jellyfin container. */
    public readonly service: DockerService;
    /** Completes the startup wizard (admin, libraries, known proxy) once, before anyone else can. */
    public readonly firstAdmin: pulumi.Resource;
    /** What the proxy forwards to: "container:port". */
    public readonly upstream: string;
    /** The admin login, secret. */
    public readonly adminCredentials: pulumi.Output<{ user: string; password: string }>;
    /** Its proxy host. */
    public readonly proxyHost: ProxyHostSpec;

    constructor(name: string, args: JellyfinArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:apps:Jellyfin", name, {}, opts);
        const paths = appPaths(args.layout).jellyfin;
        const memory = splitMemory("jellyfin", args.memoryMiB);
        this.folders = appFoldersCommand(name, "jellyfin", args.host, appFolders(args.layout, "jellyfin"), args.layout.dataMountPoint, this);
        this.adminPassword = new random.RandomPassword(`${name}-admin-password`, { length: 24, special: false }, { parent: this });
        const adminPassword = pulumi.secret(this.adminPassword.result);
        this.service = new DockerService(`${name}-jellyfin`, {
            host: args.host,
            app: "jellyfin",
            image: jellyfinImage(args.version, args.digest),
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
                { source: paths.movies, target: JELLYFIN_LIBRARIES[0].path, readOnly: true },
                { source: paths.tv, target: JELLYFIN_LIBRARIES[1].path, readOnly: true },
            ],
            environment: jellyfinEnvironment(args.hostname, args.timezone),
            user: `${VM_USER_ID}:${VM_USER_ID}`,
            devices: args.hardwareTranscoding === undefined ? undefined : ["/dev/dri/renderD128"],
            groupIds: args.hardwareTranscoding === undefined ? undefined : [args.hardwareTranscoding.renderGroupId],
            startAfter: [this.folders],
        }, { parent: this });
        this.firstAdmin = firstAdminCommand(name, args.host, {
            app: "jellyfin",
            script: "jellyfin-first-admin",
            container: this.service.containerName,
            network: PROXY_NETWORK_NAME,
            port: JELLYFIN_PORT,
            environment: {
                ADMIN_USER: JELLYFIN_ADMIN_USER,
                LIBRARIES: JELLYFIN_LIBRARIES.map((library) => `${library.name}:${library.collectionType}:${library.path}`).join(" "),
                // Without it Jellyfin ignores X-Forwarded-For and sees every client as the proxy.
                KNOWN_PROXY: args.host.proxyAddress,
            },
            password: adminPassword,
            containerId: this.service.container.id,
        }, [this.service.container], this);
        this.upstream = `${this.service.containerName}:${JELLYFIN_PORT}`;
        this.adminCredentials = pulumi.secret(pulumi.output({ user: JELLYFIN_ADMIN_USER, password: adminPassword }));
        this.proxyHost = jellyfinProxyHost(args.hostname, this.service.containerName, JELLYFIN_PORT);
        this.registerOutputs({ upstream: this.upstream });
    }
}
