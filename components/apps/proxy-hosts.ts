// Each app's proxy host: its container, port, websockets and the nginx settings it needs behind a
// TLS-terminating proxy (apps.md §3.10 and §4). Plain data; the app components expose them.
import type { ProxyHostSpec } from "../nginx-proxy-manager/proxy-host-spec";

/**
 * Immich's own nginx sample: uploads of whole videos (NPM's global limit is 2000m), no request
 * buffering, and 600 s instead of NPM's 90 s for long uploads and downloads.
 */
export const IMMICH_PROXY_SNIPPET = [
    "client_max_body_size 50000M;",
    "proxy_request_buffering off;",
    "client_body_buffer_size 1024k;",
    "proxy_read_timeout 600s;",
    "proxy_send_timeout 600s;",
    "send_timeout 600s;",
].join("\n");

/**
 * Nextcloud: large web uploads, and the CalDAV/CardDAV discovery redirects, which Apache would
 * otherwise answer with http:// behind the proxy ("not properly set up to resolve /.well-known").
 */
export const NEXTCLOUD_PROXY_SNIPPET = [
    "client_max_body_size 16G;",
    "proxy_request_buffering off;",
    "proxy_read_timeout 600s;",
    "proxy_send_timeout 600s;",
    "location = /.well-known/carddav { return 301 https://$host/remote.php/dav/; }",
    "location = /.well-known/caldav { return 301 https://$host/remote.php/dav/; }",
].join("\n");

export function jellyfinProxyHost(hostname: string, container: string, port: number): ProxyHostSpec {
    // The web client's live updates and SyncPlay use a websocket.
    return { app: "jellyfin", hostname, forwardHost: container, forwardPort: port, websockets: true };
}

export function navidromeProxyHost(hostname: string, container: string, port: number): ProxyHostSpec {
    return { app: "navidrome", hostname, forwardHost: container, forwardPort: port, websockets: false };
}

export function immichProxyHost(hostname: string, container: string, port: number): ProxyHostSpec {
    return { app: "immich", hostname, forwardHost: container, forwardPort: port, websockets: true, advancedConfig: IMMICH_PROXY_SNIPPET };
}

export function nextcloudProxyHost(hostname: string, container: string, port: number): ProxyHostSpec {
    return { app: "nextcloud", hostname, forwardHost: container, forwardPort: port, websockets: false, advancedConfig: NEXTCLOUD_PROXY_SNIPPET };
}

/** NPM's own admin UI, through NPM: 127.0.0.1 inside its container is NPM itself. */
export function nginxProxyManagerProxyHost(hostname: string, adminPort: number): ProxyHostSpec {
    return { app: "nginxProxyManager", hostname, forwardHost: "127.0.0.1", forwardPort: adminPort, websockets: false };
}
