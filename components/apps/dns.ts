// The local DNS records the owner adds by hand: every enabled app's hostname → the VM's address,
// where Nginx Proxy Manager listens.

/** An app with a hostname. */
export interface HostnamedApp {
    readonly enabled: boolean;
    readonly hostname: string;
}

/** hostname → VM address for each enabled app, sorted by hostname. */
export function dnsRecords(apps: readonly HostnamedApp[], vmAddress: string): Record<string, string> {
    return Object.fromEntries(
        apps
            .filter((app) => app.enabled)
            .map((app) => app.hostname)
            .sort()
            .map((hostname) => [hostname, vmAddress]),
    );
}
