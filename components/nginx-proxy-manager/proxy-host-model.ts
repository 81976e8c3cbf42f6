// What a proxy host is, in the provider's terms and in NPM's, and the rules NPM applies on its side
// (npm-api-observed.md): applied here first, so that what is sent is what is stored and a preview
// never shows a change NPM would undo.
import type { NpmConnection } from "./api-client";

/** A proxy host as the program declares it. */
export interface ProxyHostInputs {
    /** The NPM API and its admin login. */
    readonly connection: NpmConnection;
    /** Who made the host: "<project>/<stack>/<resource name>", stamped in the host's meta. */
    readonly owner: string;
    /** The names it serves. */
    readonly domainNames: readonly string[];
    readonly forwardScheme: "http" | "https";
    /** A container name on the proxy network, an IPv4 address or a DNS name. */
    readonly forwardHost: string;
    readonly forwardPort: number;
    /** NPM's certificate id; 0 = none. */
    readonly certificateId: number;
    readonly sslForced: boolean;
    readonly http2Support: boolean;
    readonly hstsEnabled: boolean;
    readonly hstsSubdomains: boolean;
    readonly blockExploits: boolean;
    readonly cachingEnabled: boolean;
    readonly allowWebsocketUpgrade: boolean;
    /** NPM's access list id; 0 = public. */
    readonly accessListId: number;
    /** Raw nginx inside the host's server block. */
    readonly advancedConfig: string;
}

/** The proxy host fields that are compared with NPM and written to it (everything but the login). */
export const PROXY_HOST_FIELDS = [
    "owner", "domainNames", "forwardScheme", "forwardHost", "forwardPort", "certificateId", "sslForced", "http2Support",
    "hstsEnabled", "hstsSubdomains", "blockExploits", "cachingEnabled", "allowWebsocketUpgrade", "accessListId", "advancedConfig",
] as const;

/** The meta key holding the owner marker. */
export const OWNER_META_KEY = "homelab_owner";

/** A proxy host as NPM's API returns it (the fields this provider reads). */
export interface ApiProxyHost {
    readonly id: number;
    readonly domain_names: string[];
    readonly forward_scheme: string;
    readonly forward_host: string;
    readonly forward_port: number;
    readonly certificate_id: number;
    readonly ssl_forced: boolean;
    readonly http2_support: boolean;
    readonly hsts_enabled: boolean;
    readonly hsts_subdomains: boolean;
    readonly block_exploits: boolean;
    readonly caching_enabled: boolean;
    readonly allow_websocket_upgrade: boolean;
    readonly access_list_id: number;
    readonly advanced_config: string;
    readonly enabled: boolean;
    readonly meta: Record<string, unknown> | null;
    readonly locations: unknown[] | null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** A container name (Docker allows letters, digits, _ . -) or an RFC 1123 DNS name. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** What NPM's domain_names pattern lets through, narrowed to plain DNS names (wildcards allowed). */
const DOMAIN_NAME = /^(\*\.)?(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * NPM pastes forward_host into nginx config unquoted and accepts any 1-255 characters, so
 * `127.0.0.1"; return 200 x; #` becomes a working directive: only names and addresses pass.
 */
export function isForwardHost(text: string): boolean {
    return IPV4.test(text) || (HOST_NAME.test(text) && !/^\d+(\.\d+)*$/.test(text));
}

export function isDomainName(text: string): boolean {
    return DOMAIN_NAME.test(text);
}

/** NPM compares domains case-insensitively and returns them sorted in JS code-unit order. */
export function canonicalDomains(domains: readonly string[]): string[] {
    return [...new Set(domains.map((domain) => domain.toLowerCase()))].sort();
}

/**
 * NPM's cleanSslHstsData, applied client-side: no certificate ⇒ no Force SSL or HTTP/2; no Force
 * SSL ⇒ no HSTS; no HSTS ⇒ no HSTS for subdomains. (NPM applies it only when certificate_id is
 * absent from the request, so a host written with certificate_id 0 would keep flags it then drops.)
 */
export function normalise(inputs: ProxyHostInputs): ProxyHostInputs {
    // In a preview the id of a certificate not yet created is unknown (not a number): the flags
    // stay as declared, since the host will have that certificate.
    const certificate = typeof inputs.certificateId !== "number" || inputs.certificateId > 0;
    const sslForced = certificate && inputs.sslForced;
    const hstsEnabled = sslForced && inputs.hstsEnabled;
    return {
        ...inputs,
        domainNames: canonicalDomains(inputs.domainNames),
        sslForced,
        http2Support: certificate && inputs.http2Support,
        hstsEnabled,
        hstsSubdomains: hstsEnabled && inputs.hstsSubdomains,
    };
}

/** Problems with a declared host, each naming its property; empty when it can be sent. */
export function inputProblems(inputs: ProxyHostInputs): { property: string; reason: string }[] {
    const problems: { property: string; reason: string }[] = [];
    if (inputs.domainNames.length === 0 || inputs.domainNames.length > 100) {
        problems.push({ property: "domainNames", reason: `has ${inputs.domainNames.length} names (1 to 100)` });
    }
    for (const domain of inputs.domainNames) {
        if (!isDomainName(domain)) {
            problems.push({ property: "domainNames", reason: `${JSON.stringify(domain)} is not a DNS name (letters, digits, hyphens and dots)` });
        }
    }
    if (!isForwardHost(inputs.forwardHost)) {
        problems.push({ property: "forwardHost", reason: `${JSON.stringify(inputs.forwardHost)} is not a container name, IPv4 address or DNS name (NPM would paste it into nginx's config as it is)` });
    }
    if (!Number.isInteger(inputs.forwardPort) || inputs.forwardPort < 1 || inputs.forwardPort > 65535) {
        problems.push({ property: "forwardPort", reason: `${inputs.forwardPort} is not a port (1 to 65535)` });
    }
    if (inputs.forwardScheme !== "http" && inputs.forwardScheme !== "https") {
        problems.push({ property: "forwardScheme", reason: `${JSON.stringify(inputs.forwardScheme)} is not http or https` });
    }
    return problems;
}

/** The complete body of a POST or PUT: every writable field, so no server-side default applies. */
export function requestBody(inputs: ProxyHostInputs): Record<string, unknown> {
    const host = normalise(inputs);
    return {
        domain_names: host.domainNames,
        forward_scheme: host.forwardScheme,
        forward_host: host.forwardHost,
        forward_port: host.forwardPort,
        certificate_id: host.certificateId,
        ssl_forced: host.sslForced,
        http2_support: host.http2Support,
        hsts_enabled: host.hstsEnabled,
        hsts_subdomains: host.hstsSubdomains,
        block_exploits: host.blockExploits,
        caching_enabled: host.cachingEnabled,
        allow_websocket_upgrade: host.allowWebsocketUpgrade,
        access_list_id: host.accessListId,
        advanced_config: host.advancedConfig,
        enabled: true,
        meta: { [OWNER_META_KEY]: host.owner },
        locations: [],
    };
}

/** The owner marker of a host as read from NPM; undefined for a host made by hand. */
export function ownerOf(host: ApiProxyHost): string | undefined {
    const owner = host.meta?.[OWNER_META_KEY];
    return typeof owner === "string" ? owner : undefined;
}

/** The declared fields as NPM holds them, for drift (nginx_online and nginx_err stripped, locations null = []). */
export function observedFields(host: ApiProxyHost): Omit<ProxyHostInputs, "connection"> {
    return {
        owner: ownerOf(host) ?? "",
        domainNames: canonicalDomains(host.domain_names),
        forwardScheme: host.forward_scheme === "https" ? "https" : "http",
        forwardHost: host.forward_host,
        forwardPort: host.forward_port,
        certificateId: Number(host.certificate_id),
        sslForced: host.ssl_forced,
        http2Support: host.http2_support,
        hstsEnabled: host.hsts_enabled,
        hstsSubdomains: host.hsts_subdomains,
        blockExploits: host.block_exploits,
        cachingEnabled: host.caching_enabled,
        allowWebsocketUpgrade: host.allow_websocket_upgrade,
        accessListId: Number(host.access_list_id),
        advancedConfig: host.advanced_config,
    };
}

/** The fields whose values differ between two hosts. */
export function changedFields(olds: Partial<ProxyHostInputs>, news: ProxyHostInputs): string[] {
    return PROXY_HOST_FIELDS.filter((field) => JSON.stringify(olds[field]) !== JSON.stringify(news[field]));
}

/** Who holds a domain, for the error that names a hand-made host. */
export function describeHost(host: ApiProxyHost): string {
    const owner = ownerOf(host);
    return `proxy host #${host.id} (${canonicalDomains(host.domain_names).join(", ")} → ${host.forward_scheme}://${host.forward_host}:${host.forward_port}, ${owner === undefined ? "made by hand in NPM" : `managed by ${owner}`})`;
}
