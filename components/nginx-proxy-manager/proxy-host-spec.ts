// What an app declares about its own proxy host, from what it already knows. The names component
// turns each spec into a certificate and an NPM proxy host; the DNS server answers its hostname.

/** One app's proxy host, as the app knows it. */
export interface ProxyHostSpec {
    /** The app's key, e.g. "immich": resource names derive from it, never from the hostname. */
    readonly app: string;
    /** The name it is served under, e.g. photos.home.arpa. */
    readonly hostname: string;
    /** Where NPM forwards: a container name on the proxy network (or 127.0.0.1 for NPM itself). */
    readonly forwardHost: string;
    /** The upstream's port. */
    readonly forwardPort: number;
    /** The upstream's scheme. Default: http. */
    readonly forwardScheme?: "http" | "https";
    /** Whether the app uses websockets. */
    readonly websockets: boolean;
    /** Raw nginx inside the host's server block (upload sizes, timeouts, redirects). Default: none. */
    readonly advancedConfig?: string;
}
