// The homelab's DNS answers as a dnsmasq configuration: every name → its address, everything
// else forwarded to the LAN's DNS. Pure: the DNS server component writes exactly this text, and the
// system tests run the real dnsmasq on it.

/** One name dnsmasq answers itself. */
export interface DnsRecord {
    /** The full name, e.g. photos.home.arpa. */
    readonly hostname: string;
    /** Its IPv4 address. */
    readonly address: string;
}

/** A DNS server queries go to when the name is not the homelab's. */
export interface UpstreamServer {
    /** Its IPv4 address. */
    readonly address: string;
    /** Its port. Default: 53. */
    readonly port?: number;
}

export interface DnsmasqSettings {
    /** The addresses dnsmasq listens on (it never answers on any other). Required. */
    readonly listenAddresses: readonly string[];
    /** The port. Default: 53. */
    readonly port?: number;
    /** Where other names are forwarded, in order. Required. */
    readonly upstreams: readonly UpstreamServer[];
    /** The names it answers. Required. */
    readonly records: readonly DnsRecord[];
}

/** The path the DNS server writes the configuration to (Debian's dnsmasq reads /etc/dnsmasq.d). */
export const DNSMASQ_CONFIG_PATH = "/etc/dnsmasq.d/homelab.conf";

/** dnsmasq's configuration text; records sorted by name so the text (and the plan) is stable. */
export function renderDnsmasqConfig(settings: DnsmasqSettings): string {
    // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, V8's sort only asks whether the result is negative (1 and 0 sort alike), and two equal names are refused below; the first comparison's mutants, which the sort tests kill, are excused with them
    const records = [...settings.records].sort((first, second) => (first.hostname < second.hostname ? -1 : first.hostname > second.hostname ? 1 : 0));
    const seen = new Set<string>();
    for (const record of records) {
        if (seen.has(record.hostname)) {
            throw new Error(`dnsmasq: ${record.hostname} has two records (one address per name)`);
        }
        seen.add(record.hostname);
    }
    return [
        "# The homelab's names, written by Pulumi (components/dns); changes here are overwritten.",
        `port=${settings.port ?? 53}`,
        // Only these addresses: never a resolver for the whole internet, never on the Docker bridge.
        ...settings.listenAddresses.map((address) => `listen-address=${address}`),
        "bind-interfaces",
        // Only this file's upstreams and records: not the container's resolv.conf or /etc/hosts.
        "no-resolv",
        "no-hosts",
        // Never forward plain names without a dot (they are not the internet's).
        "domain-needed",
        "cache-size=1000",
        ...settings.upstreams.map((upstream) => `server=${upstream.address}${upstream.port === undefined ? "" : `#${upstream.port}`}`),
        // local=: the name and everything below it are answered here and never forwarded, so an
        // AAAA query gets an empty answer instead of the router's NXDOMAIN (which some clients then
        // cache for the name); host-record: the name's A record.
        ...records.flatMap((record) => [`local=/${record.hostname}/`, `host-record=${record.hostname},${record.address}`]),
        "",
    ].join("\n");
}
