import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DockerHost } from "../docker/docker-host";
import { VM_USER_ID } from "../docker/host-directory";
import { DockerService } from "../docker/service";
import { appFoldersCommand } from "./app-folders";
import { appFolders, appPaths } from "./directories";
import type { AppsLayout } from "./directories";
import { NAVIDROME_ADMIN_USER, navidromeEnvironment } from "./environment";
import { navidromeImage } from "./images";
import { splitMemory } from "./memory";
import { navidromeProxyHost } from "./proxy-hosts";
import type { ProxyHostSpec } from "../nginx-proxy-manager/proxy-host-spec";

/** Navidrome's settings. */
export interface NavidromeArgs {
    /** The Docker engine. Required. */
    readonly host: DockerHost;
    /** Where data and music live on the VM. Required. */
    readonly layout: AppsLayout;
    /** The image tag, e.g. 0.63.2. Required. */
    readonly version: string;
    /** The multi-arch index digest of that tag, "sha256:<64 hex>" (Docker pulls by it). Required. */
    readonly digest: string;
    /** The name the proxy serves it under. Required. */
    readonly hostname: string;
    /** Memory limit in MiB. Required. */
    readonly memoryMiB: number;
    /** The container's time zone. Required. */
    readonly timezone: string;
}

export const NAVIDROME_PORT = 4533;

/** Navidrome: its database on the VM disk, the music read-only from the data disk. */
export class Navidrome extends pulumi.ComponentResource {
    /** Creates and checks Navidrome's folders on the VM. */
    public readonly folders: pulumi.Resource;
    /** The first admin's password. */
    public readonly adminPassword: random.RandomPassword;
    /** The Navidrome container. */
    public readonly service: DockerService;
    /** What the proxy forwards to: "container:port". */
    public readonly upstream: string;
    /** The admin login, secret. */
    public readonly adminCredentials: pulumi.Output<{ user: string; password: string }>;
    /** Its proxy host. */
    public readonly proxyHost: ProxyHostSpec;

    constructor(name: string, args: NavidromeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:apps:Navidrome", name, {}, opts);
        const paths = appPaths(args.layout).navidrome;
        this.folders = appFoldersCommand(name, "navidrome", args.host, appFolders(args.layout, "navidrome"), args.layout.dataMountPoint, this);
        this.adminPassword = new random.RandomPassword(`${name}-admin-password`, { length: 24, special: false }, { parent: this });
        const adminPassword = pulumi.secret(this.adminPassword.result);
        this.service = new DockerService(`${name}-navidrome`, {
            host: args.host,
            app: "navidrome",
            image: navidromeImage(args.version, args.digest),
            containerName: "navidrome",
            memoryMiB: splitMemory("navidrome", args.memoryMiB).navidrome,
            // The image has no healthcheck; /ping is the server's heartbeat and busybox has wget.
            healthcheck: {
                tests: ["CMD-SHELL", `wget -q --spider http://localhost:${NAVIDROME_PORT}/ping || exit 1`],
                interval: "30s", timeout: "5s", retries: 3, startPeriod: "30s",
            },
            networks: [args.host.proxyNetworkName],
            mounts: [
                { source: paths.data, target: "/data" },
                { source: paths.music, target: "/music", readOnly: true },
            ],
            environment: navidromeEnvironment(args.timezone),
            // On an empty database Navidrome creates user "admin" with this password at start
            // (server/initial_setup.go), so the first visitor cannot claim the admin. Ignored afterwards.
            secretEnvironment: { ND_DEVAUTOCREATEADMINPASSWORD: adminPassword },
            // PUID/PGID have no effect in this image; without `user` it runs as root.
            user: `${VM_USER_ID}:${VM_USER_ID}`,
            startAfter: [this.folders],
        }, { parent: this });
        this.upstream = `${this.service.containerName}:${NAVIDROME_PORT}`;
        this.adminCredentials = pulumi.secret(pulumi.output({ user: NAVIDROME_ADMIN_USER, password: adminPassword }));
        this.proxyHost = navidromeProxyHost(args.hostname, this.service.containerName, NAVIDROME_PORT);
        this.registerOutputs({ upstream: this.upstream });
    }
}
