// Every web app's name in Nginx Proxy Manager: one ProxySite per declared proxy host.
import * as pulumi from "@pulumi/pulumi";
import type { NpmConnection } from "./api-client";
import type { ProxyHostSpec } from "./proxy-host-spec";
import { ProxySite } from "./proxy-site";
import type { SiteTls } from "./proxy-site";

export interface ProxySitesArgs {
    /** The proxy hosts the apps declared. Required. */
    readonly sites: readonly ProxyHostSpec[];
    /** NPM's API and admin login. Required. */
    readonly connection: pulumi.Input<NpmConnection>;
    /** Where certificates come from. Required. */
    readonly tls: SiteTls;
    /** Per app key, the client networks allowed to open it. Default: every site is open to all. */
    readonly allowOnlyFrom?: Readonly<Record<string, readonly string[]>>;
    /** What must exist before NPM is called. Default: nothing. */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/** "nginxProxyManager" → "nginx-proxy-manager": resource names in the project's kebab case. */
export function siteName(app: string): string {
    return app.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

export class ProxySites extends pulumi.ComponentResource {
    /** The sites by app key. */
    public readonly sites: ReadonlyMap<string, ProxySite>;
    /** app key → https://<hostname>. */
    public readonly urls: Record<string, string>;

    constructor(name: string, args: ProxySitesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:nginx-proxy-manager:ProxySites", name, {}, opts);
        const sites = new Map<string, ProxySite>();
        for (const spec of args.sites) {
            sites.set(spec.app, new ProxySite(`${name}-${siteName(spec.app)}`, {
                spec,
                connection: args.connection,
                tls: args.tls,
                allowOnlyFrom: args.allowOnlyFrom?.[spec.app],
                dependsOn: args.dependsOn,
            }, { parent: this }));
        }
        this.sites = sites;
        this.urls = Object.fromEntries([...sites.entries()].map(([app, site]) => [app, site.url]));
        this.registerOutputs({ urls: this.urls });
    }
}
