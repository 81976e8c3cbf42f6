// Rules for names and certificates across keys: the Let's Encrypt domain covers every served name,
// no name belongs to two things, an extra host's upstream is a name or an address (NPM pastes it into
// nginx config as it is).
import { isForwardHost } from "../components/nginx-proxy-manager/proxy-host-model";
import type { ConfigProblem } from "./config-rules";

const WEB_APPS = ["jellyfin", "navidrome", "immich", "nextcloud"] as const;

function at(value: unknown, ...path: (string | number)[]): unknown {
    return path.reduce<unknown>((current, part) => (current !== null && typeof current === "object" ? (current as Record<string | number, unknown>)[part] : undefined), value);
}
const textAt = (value: unknown, ...path: (string | number)[]) => {
    const found = at(value, ...path);
    return typeof found === "string" ? found : undefined;
};
const listAt = (value: unknown, ...path: (string | number)[]) => {
    const found = at(value, ...path);
    // Stryker disable next-line ArrayDeclaration: equivalent, a phantom text entry has no hostname and no forwardHost, so every rule skips it like a missing entry
    return Array.isArray(found) ? (found as unknown[]) : [];
};
const enabled = (config: unknown, app: string) => at(config, "apps", app, "enabled") !== false;

/** A name and the key it comes from; `served` when NPM serves it (and so needs a certificate). */
interface NamedKey {
    readonly key: string;
    readonly hostname: string;
    readonly served: boolean;
}

function namedKeys(config: unknown): NamedKey[] {
    // Stryker disable next-line ArrayDeclaration: equivalent, a phantom text entry has no key, hostname or served flag: no rule matches or reports it
    const names: NamedKey[] = [];
    const proxyEnabled = enabled(config, "nginxProxyManager");
    for (const app of WEB_APPS) {
        const hostname = textAt(config, "apps", app, "hostname");
        if (enabled(config, app) && hostname !== undefined) {
            names.push({ key: `apps.${app}.hostname`, hostname, served: proxyEnabled });
        }
    }
    const proxyAdmin = textAt(config, "names", "proxyAdmin");
    if (proxyEnabled && proxyAdmin !== undefined) {
        names.push({ key: "names.proxyAdmin", hostname: proxyAdmin, served: true });
    }
    const proxmox = textAt(config, "names", "proxmox");
    if (proxmox !== undefined) {
        names.push({ key: "names.proxmox", hostname: proxmox, served: false });
    }
    listAt(config, "names", "extraHosts").forEach((extra, index) => {
        const hostname = textAt(extra, "hostname");
        if (hostname !== undefined) {
            names.push({ key: `names.extraHosts[${index}].hostname`, hostname, served: proxyEnabled });
        }
    });
    return names;
}

/** A name used twice. Two apps sharing one is config-rules.ts's uniqueHostnameRule; this adds the rest. */
function sharedNameRule(config: unknown): ConfigProblem[] {
    const owners = new Map<string, string>();
    const problems: ConfigProblem[] = [];
    for (const { key, hostname } of namedKeys(config)) {
        const owner = owners.get(hostname);
        // namedKeys lists the apps first: when the later key is an app's, the owner is another app.
        if (owner === undefined) {
            owners.set(hostname, key);
        } else if (!key.startsWith("apps.")) {
            problems.push({ key, message: `"${hostname}" is already homelab:${owner} (a name of its own: each name gets one DNS answer, one proxy host and one certificate)` });
        }
    }
    return problems;
}

function letsEncryptRules(config: unknown): ConfigProblem[] {
    if (textAt(config, "tls", "mode") !== "letsencrypt-dns") {
        return [];
    }
    const problems: ConfigProblem[] = [];
    const domain = textAt(config, "tls", "domain");
    if (at(config, "tls", "domain") === undefined) {
        problems.push({ key: "tls.domain", message: 'is missing (the public domain you own, such as example.net, when homelab:tls.mode is "letsencrypt-dns")' });
    }
    if (at(config, "tls", "dnsProvider") === undefined) {
        problems.push({ key: "tls.dnsProvider", message: 'is missing (NPM\'s id of your DNS provider, such as cloudflare, when homelab:tls.mode is "letsencrypt-dns")' });
    }
    if (at(config, "tlsDnsCredentials") === undefined) {
        problems.push({ key: "tlsDnsCredentials", message: 'is missing (your DNS provider\'s API credentials for certbot, set with `npm run -s pulumi -- config set --secret tlsDnsCredentials`, when homelab:tls.mode is "letsencrypt-dns")' });
    }
    if (domain !== undefined) {
        for (const { key, hostname, served } of namedKeys(config)) {
            if (served && hostname !== domain && !hostname.endsWith(`.${domain}`)) {
                problems.push({ key, message: `"${hostname}" is not under the Let's Encrypt domain ${domain} (a name ending in .${domain}, such as ${hostname.split(".")[0]}.${domain}; or homelab:tls.mode "internal")` });
            }
        }
    }
    return problems;
}

function extraHostRules(config: unknown): ConfigProblem[] {
    return listAt(config, "names", "extraHosts").flatMap((extra, index) => {
        const forwardHost = textAt(extra, "forwardHost");
        return forwardHost === undefined || isForwardHost(forwardHost)
            ? []
            : [{ key: `names.extraHosts[${index}].forwardHost`, message: `${JSON.stringify(forwardHost)} is not a container name, IPv4 address or DNS name (such as homeassistant, 192.168.1.50 or printer.lan; NPM would paste anything else into nginx's config)` }];
    });
}

/** Every names and certificates rule. */
export function namesProblems(config: unknown): ConfigProblem[] {
    return [...sharedNameRule(config), ...letsEncryptRules(config), ...extraHostRules(config)];
}
