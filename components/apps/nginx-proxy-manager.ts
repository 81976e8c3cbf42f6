import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DockerHost } from "../docker/docker-host";
import { DockerService } from "../docker/service";
import { appFoldersCommand } from "./app-folders";
import { appFolders, appPaths } from "./directories";
import type { AppsLayout } from "./directories";
import { nginxProxyManagerEnvironment } from "./environment";
import { nginxProxyManagerImage } from "./images";
import { splitMemory } from "./memory";

/** Nginx Proxy Manager's settings. */
export interface NginxProxyManagerArgs {
    /** The Docker engine. Required. */
    readonly host: DockerHost;
    /** Where its data and certificates live on the VM. Required. */
    readonly layout: AppsLayout;
    /** The image tag, e.g. 2.15.1. Required. */
    readonly version: string;
    /** The multi-arch index digest of that tag, "sha256:<64 hex>" (Docker pulls by it). Required. */
    readonly digest: string;
    /** The first admin's e-mail (the login). Required. */
    readonly adminEmail: string;
    /** The VM's LAN address: 80, 443 and the admin port 81 listen only there. Required. */
    readonly listenAddress: string;
    /** Memory limit in MiB. Required. */
    readonly memoryMiB: number;
    /** The container's time zone. Required. */
    readonly timezone: string;
}

export const NGINX_PROXY_MANAGER_ADMIN_PORT = 81;

/** Nginx Proxy Manager: the only container that publishes ports. */
export class NginxProxyManager extends pulumi.ComponentResource {
    /** Creates and checks the proxy's folders on the VM. */
    public readonly folders: pulumi.Resource;
    /** The first admin's password. */
    public readonly adminPassword: random.RandomPassword;
    /** The container. */
    public readonly service: DockerService;
    /** The admin UI, http://<vm address>:81. */
    public readonly adminUrl: string;
    /**
     * The initial admin login, secret: what NPM created on its empty database. NPM reads it only
     * then, so after a change in NPM's UI (or of adminEmail in the config) this is no longer the login.
     */
    public readonly adminCredentials: pulumi.Output<{ email: string; password: string }>;

    constructor(name: string, args: NginxProxyManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:apps:NginxProxyManager", name, {}, opts);
        const paths = appPaths(args.layout).nginxProxyManager;
        this.folders = appFoldersCommand(name, "nginx-proxy-manager", args.host, appFolders(args.layout, "nginxProxyManager"), args.layout.dataMountPoint, this);
        this.adminPassword = new random.RandomPassword(`${name}-admin-password`, { length: 24, special: false }, { parent: this });
        const adminPassword = pulumi.secret(this.adminPassword.result);
        this.service = new DockerService(`${name}-nginx-proxy-manager`, {
            host: args.host,
            app: "nginx-proxy-manager",
            image: nginxProxyManagerImage(args.version, args.digest),
            containerName: "nginx-proxy-manager",
            memoryMiB: splitMemory("nginxProxyManager", args.memoryMiB).nginxProxyManager,
            // The check the docs recommend: the API at :81 answers {"status":"OK"}.
            healthcheck: { tests: ["CMD", "/usr/bin/check-health"], interval: "10s", timeout: "3s", retries: 3, startPeriod: "1m" },
            // The one fixed address on the proxy network: the only one the apps trust for forwarded headers.
            networks: [{ name: args.host.proxyNetworkName, ipv4Address: args.host.proxyAddress }],
            mounts: [
                { source: paths.data, target: "/data" },
                { source: paths.letsencrypt, target: "/etc/letsencrypt" },
            ],
            environment: nginxProxyManagerEnvironment(args.adminEmail, args.timezone),
            secretEnvironment: { INITIAL_ADMIN_PASSWORD: adminPassword },
            ports: [80, 443, NGINX_PROXY_MANAGER_ADMIN_PORT].map((port) => ({ internal: port, external: port, ip: args.listenAddress })),
            startAfter: [this.folders],
            // INITIAL_ADMIN_* act only on an empty database: a changed e-mail must not replace the
            // container for nothing (envs force a replacement). The image tag still does.
            ignoreChanges: ["envs"],
        }, { parent: this });
        this.adminUrl = `http://${args.listenAddress}:${NGINX_PROXY_MANAGER_ADMIN_PORT}`;
        this.adminCredentials = pulumi.secret(pulumi.output({ email: args.adminEmail, password: adminPassword }));
        this.registerOutputs({ adminUrl: this.adminUrl });
    }
}
