import * as pulumi from "@pulumi/pulumi";
import type { DockerHost } from "../docker/docker-host";
import type { AppsLayout } from "./directories";
import { Immich } from "./immich";
import type { ImmichImageDigests } from "./immich";
import { Jellyfin } from "./jellyfin";
import { Navidrome } from "./navidrome";
import { Nextcloud } from "./nextcloud";
import { NginxProxyManager } from "./nginx-proxy-manager";
import type { ProxyHostSpec } from "../nginx-proxy-manager/proxy-host-spec";

/** One web app's settings. */
export interface WebAppSettings {
    /** Whether it is deployed. */
    readonly enabled: boolean;
    /** Its image version. */
    readonly version: string;
    /** The digest of that version's image. */
    readonly digest: string;
    /** The name the proxy serves it under. */
    readonly hostname: string;
    /** Memory for all its containers, in MiB. */
    readonly memoryMiB: number;
}

/** Immich's settings: a web app with two images of its own, whose machine learning can be left out. */
export interface ImmichSettings extends Omit<WebAppSettings, "digest"> {
    /** The digests of the server and machine-learning images at that version. */
    readonly imageDigests: ImmichImageDigests;
    /** Whether the machine-learning container runs (smart search, faces, OCR). */
    readonly machineLearning: boolean;
}

/** The proxy's settings. */
export interface ProxySettings {
    /** Whether it is deployed. */
    readonly enabled: boolean;
    /** Its image version. */
    readonly version: string;
    /** The digest of that version's image. */
    readonly digest: string;
    /** The first admin's e-mail. */
    readonly adminEmail: string;
    /** Its memory in MiB. */
    readonly memoryMiB: number;
}

/** Every app on the Docker host. */
export interface AppsArgs {
    /** The Docker engine. Required. */
    readonly host: DockerHost;
    /** Where config and data live on the VM. Required. */
    readonly layout: AppsLayout;
    /** The VM's LAN address (no prefix): the proxy listens there and the DNS records point there. Required. */
    readonly vmAddress: string;
    /** The containers' time zone. Required. */
    readonly timezone: string;
    /** Jellyfin. Required. */
    readonly jellyfin: WebAppSettings;
    /** Navidrome. Required. */
    readonly navidrome: WebAppSettings;
    /** Immich. Required. */
    readonly immich: ImmichSettings;
    /** Nextcloud. Required. */
    readonly nextcloud: WebAppSettings;
    /** Nginx Proxy Manager. Required. */
    readonly nginxProxyManager: ProxySettings;
}

/** The generated admin logins of the enabled apps that have one. */
export interface AdminCredentials {
    /** The initial login only: NPM reads it on its empty database, later changes happen in its UI. */
    readonly nginxProxyManager?: { readonly email: string; readonly password: string };
    readonly nextcloud?: { readonly user: string; readonly password: string };
    readonly navidrome?: { readonly user: string; readonly password: string };
    readonly jellyfin?: { readonly user: string; readonly password: string };
    readonly immich?: { readonly email: string; readonly password: string };
}

/** The five apps, each present only when enabled. */
export class Apps extends pulumi.ComponentResource {
    public readonly jellyfin?: Jellyfin;
    public readonly navidrome?: Navidrome;
    public readonly immich?: Immich;
    public readonly nextcloud?: Nextcloud;
    public readonly nginxProxyManager?: NginxProxyManager;
    /** app → "container:port", what a proxy host forwards to on the proxy network. */
    public readonly upstreams: Record<string, string>;
    /** Nginx Proxy Manager's admin UI, when it is enabled. */
    public readonly proxyAdminUrl?: string;
    /** Generated first-admin logins of every enabled app, secret. */
    public readonly adminCredentials: pulumi.Output<AdminCredentials>;
    /** The enabled web apps' proxy hosts, each declared by its app. */
    public readonly proxyHosts: readonly ProxyHostSpec[];

    constructor(name: string, args: AppsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:apps:Apps", name, {}, opts);
        const common = { host: args.host, layout: args.layout, timezone: args.timezone };
        const child = { parent: this };
        if (args.nginxProxyManager.enabled) {
            this.nginxProxyManager = new NginxProxyManager(`${name}-nginx-proxy-manager`, {
                ...common,
                version: args.nginxProxyManager.version,
                digest: args.nginxProxyManager.digest,
                adminEmail: args.nginxProxyManager.adminEmail,
                listenAddress: args.vmAddress,
                memoryMiB: args.nginxProxyManager.memoryMiB,
            }, child);
        }
        if (args.jellyfin.enabled) {
            this.jellyfin = new Jellyfin(`${name}-jellyfin`, { ...common, version: args.jellyfin.version, digest: args.jellyfin.digest, hostname: args.jellyfin.hostname, memoryMiB: args.jellyfin.memoryMiB }, child);
        }
        if (args.navidrome.enabled) {
            this.navidrome = new Navidrome(`${name}-navidrome`, { ...common, version: args.navidrome.version, digest: args.navidrome.digest, hostname: args.navidrome.hostname, memoryMiB: args.navidrome.memoryMiB }, child);
        }
        if (args.immich.enabled) {
            this.immich = new Immich(`${name}-immich`, {
                ...common,
                version: args.immich.version,
                imageDigests: args.immich.imageDigests,
                hostname: args.immich.hostname,
                memoryMiB: args.immich.memoryMiB,
                machineLearning: args.immich.machineLearning,
                // The owner's one address for every app's first admin.
                adminEmail: args.nginxProxyManager.adminEmail,
            }, child);
        }
        if (args.nextcloud.enabled) {
            this.nextcloud = new Nextcloud(`${name}-nextcloud`, { ...common, version: args.nextcloud.version, digest: args.nextcloud.digest, hostname: args.nextcloud.hostname, memoryMiB: args.nextcloud.memoryMiB }, child);
        }
        const upstreams: Record<string, string> = {};
        for (const [app, component] of [["jellyfin", this.jellyfin], ["navidrome", this.navidrome], ["immich", this.immich], ["nextcloud", this.nextcloud]] as const) {
            if (component !== undefined) {
                upstreams[app] = component.upstream;
            }
        }
        this.upstreams = upstreams;
        this.proxyHosts = [this.jellyfin, this.navidrome, this.immich, this.nextcloud].flatMap((app) => (app === undefined ? [] : [app.proxyHost]));
        this.proxyAdminUrl = this.nginxProxyManager?.adminUrl;
        const logins = {
            nginxProxyManager: this.nginxProxyManager?.adminCredentials,
            nextcloud: this.nextcloud?.adminCredentials,
            navidrome: this.navidrome?.adminCredentials,
            jellyfin: this.jellyfin?.adminCredentials,
            immich: this.immich?.adminCredentials,
        };
        this.adminCredentials = pulumi.secret(pulumi.output(logins).apply((resolved) =>
            Object.fromEntries(Object.entries(resolved).filter(([, login]) => login !== undefined)) as AdminCredentials));
        this.registerOutputs({ upstreams: this.upstreams });
    }
}
