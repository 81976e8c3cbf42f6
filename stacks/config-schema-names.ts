// The configuration of names, certificates and the homelab's DNS: `homelab:tls`,
// `homelab:tlsDnsCredentials` and `homelab:names`. Built from config-schema.ts's own building blocks
// (passed in, so the two files do not import each other at load time).
import { z } from "zod";
import type { allowed, allowedSecret, dnsName, port, strictObject } from "./config-schema";

interface SchemaParts {
    readonly allowed: typeof allowed;
    readonly allowedSecret: typeof allowedSecret;
    readonly strictObject: typeof strictObject;
    readonly dnsName: typeof dnsName;
    readonly port: typeof port;
}

/** The names the homelab's DNS answers besides the apps', by default. */
export const NAME_DEFAULTS = { proxyAdmin: "proxy.home.arpa", proxmox: "pve.home.arpa" } as const;

export function namesConfigSchemas({ allowed, allowedSecret, strictObject, dnsName, port }: SchemaParts) {
    const tls = strictObject({
        /** internal: the homelab's own CA signs every name (works for home.arpa); letsencrypt-dns: NPM gets public certificates by DNS challenge. */
        mode: z.enum(["internal", "letsencrypt-dns"], allowed('"internal" or "letsencrypt-dns"')).default("internal"),
        /** letsencrypt-dns: the public domain you own; every hostname must be under it. */
        domain: dnsName.optional(),
        /** letsencrypt-dns: NPM's id of your DNS provider, e.g. cloudflare (the list in NPM's UI under SSL Certificates → Add → DNS challenge). */
        dnsProvider: z.string(allowed("an NPM DNS provider id such as cloudflare, route53 or duckdns")).regex(/^[a-z0-9][a-z0-9_-]*$/).optional(),
        /** letsencrypt-dns: seconds to wait for the TXT record to propagate. */
        propagationSeconds: z.int(allowed("a whole number of seconds from 0 to 3600")).min(0).max(3600).default(60),
    });
    const extraHost = strictObject({
        /** The name it is reached by. */
        hostname: dnsName,
        /** Where NPM forwards: a container name on the proxy network, an IPv4 address or a DNS name (checked by the config rules). */
        forwardHost: z.string(allowed("a container name, IPv4 address or DNS name")),
        /** The upstream's port. */
        forwardPort: port,
        /** The upstream's scheme. */
        forwardScheme: z.enum(["http", "https"], allowed('"http" or "https"')).default("http"),
        /** Whether the upstream uses websockets. */
        websockets: z.boolean(allowed("true or false")).default(false),
    });
    const names = strictObject({
        /** The name of Nginx Proxy Manager's admin UI (served by NPM, only to the LAN and the tunnel). */
        proxyAdmin: dnsName.default(NAME_DEFAULTS.proxyAdmin),
        /** The name of the Proxmox host (answered with its address; its UI stays on :8006). */
        proxmox: dnsName.default(NAME_DEFAULTS.proxmox),
        /** More proxy hosts for services on the LAN, e.g. a printer's or a router's UI. */
        extraHosts: z.array(extraHost, allowed("a list of { hostname, forwardHost, forwardPort }")).default([]),
    });
    return {
        tls: tls.prefault({}),
        /** letsencrypt-dns: the DNS provider's credentials file for certbot (secret), e.g. "dns_cloudflare_api_token = ...". */
        tlsDnsCredentials: z.string(allowedSecret("the DNS provider's credentials, set with `npm run -s pulumi -- config set --secret tlsDnsCredentials -- \"$(cat credentials.ini)\"`")).min(1).optional(),
        names: names.prefault({}),
    };
}

/** The secret key this section adds. */
export const NAMES_SECRET_KEYS = ["tlsDnsCredentials"] as const;
