// Names, certificates and DNS, composed from the validated configuration: every enabled web app's
// proxy host (declared by the app), NPM's own admin name, the owner's extra hosts, their certificates
// and the DNS server that answers all of them. Used by homelab.ts.
import * as pulumi from "@pulumi/pulumi";
import type { Apps } from "../components/apps/apps";
import { NGINX_PROXY_MANAGER_ADMIN_PORT } from "../components/apps/nginx-proxy-manager";
import { nginxProxyManagerProxyHost } from "../components/apps/proxy-hosts";
import { DnsServer } from "../components/dns/dns-server";
import type { DnsRecord } from "../components/dns/dnsmasq-config";
import { parseIpv4 } from "../components/network/ipv4";
import type { ProxyHostSpec } from "../components/nginx-proxy-manager/proxy-host-spec";
import type { SiteTls } from "../components/nginx-proxy-manager/proxy-site";
import { ProxySites } from "../components/nginx-proxy-manager/proxy-sites";
import type { ProxmoxHost } from "../components/proxmox/proxmox-host";
import { CertificateAuthority } from "../components/tls/certificate-authority";
import type { WireGuardServer } from "../components/wireguard/wireguard-server";
import type { StackConfig } from "./config";

/** The stack output names. */
export const NAMES_OUTPUTS = {
    urls: "appUrls",
    caCertificate: "caCertificate",
    dnsServer: "dnsServer",
    dnsRecords: "dnsRecords",
} as const;

/** Where the homelab's DNS listens: the WireGuard container's LAN address; none without WireGuard. */
export function dnsServerAddress(config: StackConfig): string | undefined {
    return config.wireguard.enabled ? config.wireguard.address.split("/")[0] : undefined;
}

/** The Proxmox host's IPv4 address, from its API endpoint or its SSH address. */
function proxmoxAddress(config: StackConfig): string | undefined {
    const candidates = [new URL(config.proxmox.endpoint).hostname, config.proxmox.ssh.address];
    return candidates.find((candidate) => parseIpv4(candidate) !== undefined);
}

/** The proxy hosts NPM serves: the apps' own, NPM's admin UI, and the owner's extra hosts. */
export function servedSites(config: StackConfig, apps: Apps): ProxyHostSpec[] {
    if (apps.nginxProxyManager === undefined) {
        return [];
    }
    return [
        ...apps.proxyHosts,
        nginxProxyManagerProxyHost(config.names.proxyAdmin, NGINX_PROXY_MANAGER_ADMIN_PORT),
        ...config.names.extraHosts.map((extra): ProxyHostSpec => ({
            // Named after its hostname: extra hosts have no app key, and order in the list must not matter.
            app: `extra-${extra.hostname.replace(/\./g, "-")}`,
            hostname: extra.hostname,
            forwardHost: extra.forwardHost,
            forwardPort: extra.forwardPort,
            forwardScheme: extra.forwardScheme,
            websockets: extra.websockets,
        })),
    ];
}

/** Every name the DNS answers: the served names at the VM (where NPM listens), Proxmox at its host. */
export function dnsRecordsFor(config: StackConfig, sites: readonly ProxyHostSpec[], vmAddress: string): DnsRecord[] {
    const proxmox = proxmoxAddress(config);
    return [
        ...sites.map((site) => ({ hostname: site.hostname, address: vmAddress })),
        ...(proxmox === undefined ? [] : [{ hostname: config.names.proxmox, address: proxmox }]),
    ].sort(
        // Stryker disable next-line EqualityOperator: equivalent, the config rules refuse a name twice, so no two records compare equal (`>=`, which the sort tests kill, is excused with it)
        (first, second) => (first.hostname < second.hostname ? -1 : 1),
    );
}

export interface NamesArgs {
    readonly config: StackConfig;
    readonly apps: Apps;
    readonly proxmox: ProxmoxHost;
    readonly vmAddress: string;
    readonly wireguard: WireGuardServer | undefined;
}

export interface Names {
    readonly certificateAuthority?: CertificateAuthority;
    readonly sites?: ProxySites;
    readonly dnsServer?: DnsServer;
    readonly outputs: Record<string, pulumi.Input<unknown>>;
}

/** Declares the CA, the proxy sites and the DNS server as children of `parent`. */
export function declareNames(name: string, args: NamesArgs, parent: pulumi.Resource): Names {
    const { config, apps } = args;
    const sites = servedSites(config, apps);
    const proxyManager = apps.nginxProxyManager;
    let certificateAuthority: CertificateAuthority | undefined;
    let proxySites: ProxySites | undefined;
    if (proxyManager !== undefined) {
        let tls: SiteTls;
        if (config.tls.mode === "internal") {
            certificateAuthority = new CertificateAuthority(`${name}-ca`, { commonName: `homelab ${pulumi.getStack()} root CA` }, { parent });
            tls = { mode: "internal", authority: certificateAuthority };
        } else {
            tls = {
                mode: "letsencrypt-dns",
                dnsProvider: config.tls.dnsProvider ?? "",
                dnsCredentials: pulumi.secret(config.tlsDnsCredentials ?? ""),
                propagationSeconds: config.tls.propagationSeconds,
            };
        }
        proxySites = new ProxySites(`${name}-names`, {
            sites,
            connection: pulumi.secret(pulumi.output({ url: proxyManager.adminUrl, email: config.apps.nginxProxyManager.adminEmail, password: proxyManager.adminPassword.result })),
            tls,
            // NPM's admin UI answers the LAN and the tunnel only, like its port 81.
            allowOnlyFrom: { nginxProxyManager: [config.network.lan, ...(config.wireguard.enabled ? [config.wireguard.subnet] : [])] },
            dependsOn: [proxyManager.service.container],
        }, { parent });
    }
    const records = dnsRecordsFor(config, sites, args.vmAddress);
    const listenAddress = dnsServerAddress(config);
    const dnsServer = args.wireguard === undefined || listenAddress === undefined
        ? undefined
        : new DnsServer(`${name}-dns`, {
            host: args.proxmox,
            containerId: config.wireguard.containerId,
            containerResourceId: args.wireguard.container.id,
            listenAddress,
            upstreams: config.network.dns,
            records,
            // WireGuard's own configuration runs apt in the same container: one after the other.
            dependsOn: [args.wireguard.container, args.wireguard.configCommand],
        }, { parent });
    return {
        certificateAuthority,
        sites: proxySites,
        dnsServer,
        outputs: {
            ...(proxySites === undefined ? {} : { [NAMES_OUTPUTS.urls]: proxySites.urls }),
            ...(certificateAuthority === undefined ? {} : { [NAMES_OUTPUTS.caCertificate]: certificateAuthority.certificatePem }),
            ...(dnsServer === undefined ? {} : { [NAMES_OUTPUTS.dnsServer]: dnsServer.address }),
            [NAMES_OUTPUTS.dnsRecords]: Object.fromEntries(records.map((record) => [record.hostname, record.address])),
        },
    };
}
