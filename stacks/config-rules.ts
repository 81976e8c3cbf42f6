// Rules that span several keys. They run even when some keys failed the schema (so every problem
// is reported in one run), which is why they read the configuration defensively: a value of the
// wrong type is simply skipped here, because the schema has already reported it.
import {
    formatIpv4,
    formatIpv4Network,
    isNetworkOrBroadcast,
    networkContains,
    networksOverlap,
    parseIpv4,
    parseIpv4InterfaceAddress,
    parseIpv4Network,
} from "../components/network/ipv4";
import type { Ipv4Network } from "../components/network/ipv4";
import { immichRelease, isImmichTag, knownImmichVersions } from "../components/apps/immich-releases";
import { PROXY_NETWORK_SUBNET } from "../components/docker/networks";
import { vmLayout } from "../components/proxmox/bootstrap-scripts";
import { allocatePeerAddresses, isUsablePeerAddress, serverTunnelAddress } from "../components/wireguard/peer-addresses";
import { appsRules, immichMachineLearningOn, machineLearningSavingMiB } from "./config-rules-apps";
import { hostSshUserRule } from "./config-rules-proxmox";
import { OPERATING_SYSTEM_RESERVE_MIB } from "./config-schema";
import { backupRules } from "./config-rules-backups";
import { namesProblems } from "./config-rules-names";

/** One configuration problem: the key path below `homelab:` and "<what is wrong> (<what is allowed>)". */
export interface ConfigProblem {
    readonly key: string;
    readonly message: string;
}

/** The configuration as far as the schema could process it: defaults applied, bad values as typed. */
type PartialConfig = unknown;
type Rule = (config: PartialConfig) => ConfigProblem[];

export const APP_KEYS = ["jellyfin", "navidrome", "immich", "nextcloud", "nginxProxyManager"] as const;

function at(value: unknown, ...path: (string | number)[]): unknown {
    return path.reduce<unknown>((current, part) => (current !== null && typeof current === "object" ? (current as Record<string | number, unknown>)[part] : undefined), value);
}

function textAt(value: unknown, ...path: (string | number)[]): string | undefined {
    const found = at(value, ...path);
    return typeof found === "string" ? found : undefined;
}

function numberAt(value: unknown, ...path: (string | number)[]): number | undefined {
    const found = at(value, ...path);
    return typeof found === "number" ? found : undefined;
}

function listAt(value: unknown, ...path: (string | number)[]): unknown[] {
    const found = at(value, ...path);
    return Array.isArray(found) ? found : [];
}

/** A switch that is on unless it is explicitly false (how `enabled` defaults). */
function enabledAt(value: unknown, ...path: (string | number)[]): boolean {
    return at(value, ...path, "enabled") !== false;
}

function lanAddressRules(config: PartialConfig): ConfigProblem[] {
    const lanText = textAt(config, "network", "lan");
    const lan = lanText === undefined ? undefined : parseIpv4Network(lanText);
    if (lan === undefined) {
        return [];
    }
    const lanShown = formatIpv4Network(lan);
    const problems: ConfigProblem[] = [];
    const gatewayText = textAt(config, "network", "gateway");
    const gateway = gatewayText === undefined ? undefined : parseIpv4(gatewayText);
    if (gateway !== undefined && (!networkContains(lan, gateway) || isNetworkOrBroadcast(lan, gateway))) {
        problems.push({ key: "network.gateway", message: `${gatewayText} is not a host of the LAN ${lanShown} (an address inside homelab:network.lan)` });
    }
    const hostKeys = [["vm", "address"], ...(enabledAt(config, "wireguard") ? [["wireguard", "address"]] : [])] as const;
    const usedBy = new Map<number, string>();
    for (const [section, field] of hostKeys) {
        const key = `${section}.${field}`;
        const text = textAt(config, section, field);
        const parsed = text === undefined ? undefined : parseIpv4InterfaceAddress(text);
        if (parsed === undefined) {
            continue;
        }
        if (!networkContains(lan, parsed.address) || isNetworkOrBroadcast(lan, parsed.address)) {
            problems.push({ key, message: `${text} is outside the LAN ${lanShown} (a host address inside homelab:network.lan)` });
        } else if (parsed.prefix !== lan.prefix) {
            problems.push({ key, message: `${text} has prefix /${parsed.prefix} but the LAN is ${lanShown} (the LAN's prefix, /${lan.prefix})` });
        } else if (parsed.address === gateway) {
            problems.push({ key, message: `${text} is the gateway's address (a free address on the LAN)` });
        }
        const owner = usedBy.get(parsed.address);
        if (owner !== undefined) {
            problems.push({ key, message: `${text} is also homelab:${owner} (an address of its own)` });
        }
        usedBy.set(parsed.address, key);
    }
    return problems;
}

function guestIdRules(config: PartialConfig): ConfigProblem[] {
    const vmId = numberAt(config, "vm", "id");
    const containerId = numberAt(config, "wireguard", "containerId");
    if (enabledAt(config, "wireguard") && vmId !== undefined && vmId === containerId) {
        return [{ key: "wireguard.containerId", message: `${containerId} is also the VM's id (a VMID different from homelab:vm.id)` }];
    }
    return [];
}

function wireguardRules(config: PartialConfig): ConfigProblem[] {
    if (!enabledAt(config, "wireguard")) {
        return [];
    }
    const problems: ConfigProblem[] = [];
    const subnetText = textAt(config, "wireguard", "subnet");
    const subnet = subnetText === undefined ? undefined : parseIpv4Network(subnetText);
    const lanText = textAt(config, "network", "lan");
    const lan = lanText === undefined ? undefined : parseIpv4Network(lanText);
    if (subnet !== undefined && lan !== undefined && networksOverlap(subnet, lan)) {
        problems.push({ key: "wireguard.subnet", message: `${subnetText} overlaps the LAN ${lanText} (a private network apart from the LAN, such as 10.8.0.0/24)` });
    }
    if (subnet !== undefined && subnet.prefix > 30) {
        problems.push({ key: "wireguard.subnet", message: `${subnetText} has no room for peers (a prefix of /30 or shorter)` });
    }
    const seenNames = new Map<string, number>();
    const seenAddresses = new Map<number, number>();
    listAt(config, "wireguard", "peers").forEach((peer, index) => {
        const name = textAt(peer, "name");
        const previousName = name === undefined ? undefined : seenNames.get(name);
        if (name !== undefined && previousName !== undefined) {
            problems.push({ key: `wireguard.peers[${index}].name`, message: `"${name}" is already the name of peers[${previousName}] (a name used once)` });
        } else if (name !== undefined) {
            seenNames.set(name, index);
        }
        const addressText = textAt(peer, "address");
        const address = addressText === undefined ? undefined : parseIpv4(addressText);
        if (address === undefined || subnet === undefined) {
            return;
        }
        const key = `wireguard.peers[${index}].address`;
        if (!networkContains(subnet, address) || isNetworkOrBroadcast(subnet, address)) {
            problems.push({ key, message: `${addressText} is outside the WireGuard subnet ${subnetText} (a host address inside homelab:wireguard.subnet)` });
        } else if (address === serverTunnelAddress(subnet)) {
            problems.push({ key, message: `${addressText} is the server's own tunnel address (any other address in ${subnetText})` });
        }
        const previousAddress = seenAddresses.get(address);
        if (previousAddress !== undefined) {
            problems.push({ key, message: `${formatIpv4(address)} is already the address of peers[${previousAddress}] (an address used once)` });
        } else {
            seenAddresses.set(address, index);
        }
    });
    problems.push(...peerAllocationRules(config, subnet));
    return problems;
}

/**
 * Peers without an address get one derived from their name; when that lands on another peer's
 * address the owner pins one of them, because moving either silently would break its device.
 */
function peerAllocationRules(config: PartialConfig, subnet: Ipv4Network | undefined): ConfigProblem[] {
    if (subnet === undefined || subnet.prefix > 30) {
        return [];
    }
    const peers = listAt(config, "wireguard", "peers").map((peer) => ({ name: textAt(peer, "name"), address: textAt(peer, "address") }));
    const capacity = 2 ** (32 - subnet.prefix) - 3;
    if (peers.length > capacity) {
        return [{ key: "wireguard.peers", message: `has ${peers.length} peers but ${formatIpv4Network(subnet)} has room for ${capacity} (a larger homelab:wireguard.subnet, such as a /24)` }];
    }
    // Only a clean list can be allocated; the rules above report names and addresses that are not.
    const names = peers.map((peer) => peer.name);
    const explicit = peers.flatMap((peer) => (peer.address === undefined ? [] : [parseIpv4(peer.address)]));
    const clean = peers.every((peer) => peer.name !== undefined && (peer.address === undefined || isUsable(subnet, peer.address))) &&
        new Set(names).size === names.length && new Set(explicit).size === explicit.length;
    if (!clean) {
        return [];
    }
    const allocation = allocatePeerAddresses(subnet, peers.map((peer) => ({ name: peer.name!, ...(peer.address === undefined ? {} : { address: peer.address }) })));
    return allocation.conflicts.map((conflict) => ({
        key: `wireguard.peers[${conflict.index}].address`,
        message: `peers "${conflict.takenBy}" and "${conflict.name}" both get ${conflict.address} from their names (give the peer you are adding an address of its own${conflict.suggestion === undefined ? "" : `, such as ${conflict.suggestion}`}; the peer already in use keeps ${conflict.address}, so its device keeps working)`,
    }));
}

function isUsable(subnet: Ipv4Network, text: string): boolean {
    const address = parseIpv4(text);
    return address !== undefined && isUsablePeerAddress(subnet, address);
}

function enabledApps(config: PartialConfig): { key: string; app: unknown }[] {
    return APP_KEYS.filter((key) => enabledAt(config, "apps", key)).map((key) => ({ key, app: at(config, "apps", key) }));
}

function memoryBudgetRule(config: PartialConfig): ConfigProblem[] {
    const vmMemory = numberAt(config, "vm", "memoryMiB");
    const apps = enabledApps(config).map(({ key, app }) => ({ key, memory: numberAt(app, "memoryMiB") }));
    if (vmMemory === undefined || apps.some(({ memory }) => memory === undefined)) {
        return [];
    }
    const total = apps.reduce((sum, { memory }) => sum + (memory ?? 0), 0);
    const budget = vmMemory - OPERATING_SYSTEM_RESERVE_MIB;
    if (total <= budget) {
        return [];
    }
    const parts = apps.map(({ key, memory }) => `${key} ${memory}`).join(" + ");
    return [{
        key: "apps",
        message: `the enabled apps need ${total} MiB (${parts}) but the VM leaves them ${budget} MiB (at most homelab:vm.memoryMiB minus ${OPERATING_SYSTEM_RESERVE_MIB} MiB for the OS: give the VM at least ${total + OPERATING_SYSTEM_RESERVE_MIB} MiB (the Proxmox host's memory allowing), lower an app's memoryMiB, disable an app${immichMachineLearningOn(config) ? `, or set homelab:apps.immich.machineLearning to false (saves at least ${machineLearningSavingMiB()} MiB)` : ""})`,
    }];
}

function uniqueHostnameRule(config: PartialConfig): ConfigProblem[] {
    const owners = new Map<string, string>();
    const problems: ConfigProblem[] = [];
    for (const { key, app } of enabledApps(config)) {
        const hostname = textAt(app, "hostname");
        if (hostname === undefined) {
            continue;
        }
        const owner = owners.get(hostname);
        if (owner !== undefined) {
            problems.push({ key: `apps.${key}.hostname`, message: `"${hostname}" is already the hostname of apps.${owner} (one hostname per app)` });
        } else {
            owners.set(hostname, key);
        }
    }
    return problems;
}

/** Immich's database and cache images change between releases: only versions with known images deploy. */
function immichVersionRule(config: PartialConfig): ConfigProblem[] {
    const version = textAt(config, "apps", "immich", "version");
    // A version that is not spelled as an Immich tag at all is the schema's to report.
    if (!enabledAt(config, "apps", "immich") || version === undefined || !isImmichTag(version) || immichRelease(version) !== undefined) {
        return [];
    }
    const message = `"${version}" has no known database image (one of ${knownImmichVersions()}; for another release add the Postgres and Valkey images its own docker-compose.yml pins to components/apps/immich-releases.ts)`;
    return [{ key: "apps.immich.version", message }];
}

/** The Docker proxy network's fixed subnet must not shadow the LAN or the tunnel on the VM. */
function proxyNetworkRule(config: PartialConfig): ConfigProblem[] {
    const proxy = parseIpv4Network(PROXY_NETWORK_SUBNET)!;
    const problems: ConfigProblem[] = [];
    const checks = [["network", "lan"], ...(enabledAt(config, "wireguard") ? [["wireguard", "subnet"]] : [])] as const;
    for (const [section, field] of checks) {
        const text = textAt(config, section, field);
        const network = text === undefined ? undefined : parseIpv4Network(text);
        if (network !== undefined && networksOverlap(network, proxy)) {
            problems.push({ key: `${section}.${field}`, message: `${text} overlaps the Docker proxy network ${PROXY_NETWORK_SUBNET} on the VM (a network apart from ${PROXY_NETWORK_SUBNET})` });
        }
    }
    return problems;
}

/** Directories of the VM's own system that a data disk must never be mounted over. */
const SYSTEM_DIRECTORIES = ["/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var"];

function isSameOrInside(path: string, ancestor: string): boolean {
    return path === ancestor || path.startsWith(`${ancestor.replace(/\/$/, "")}/`);
}

function dataDiskRules(config: PartialConfig): ConfigProblem[] {
    const rawMountPoint = textAt(config, "dataDisk", "mountPoint");
    if (rawMountPoint === undefined || !rawMountPoint.startsWith("/")) {
        return [];
    }
    const mountPoint = rawMountPoint.length > 1 ? rawMountPoint.replace(/\/+$/, "") : rawMountPoint;
    const wanted = "(a directory of its own such as /home/homelab/media or /mnt/data)";
    if (SYSTEM_DIRECTORIES.includes(mountPoint) || mountPoint.startsWith("/var/lib/docker") || isSameOrInside(mountPoint, "/usr") || isSameOrInside(mountPoint, "/etc") || isSameOrInside(mountPoint, "/boot")) {
        return [{ key: "dataDisk.mountPoint", message: `${rawMountPoint} is a system directory of the VM ${wanted}` }];
    }
    const user = textAt(config, "vm", "user");
    if (user !== undefined) {
        const { homeDirectory, configRoot } = vmLayout(user, mountPoint);
        if (mountPoint === homeDirectory || isSameOrInside(configRoot, mountPoint) || isSameOrInside(mountPoint, configRoot)) {
            return [{ key: "dataDisk.mountPoint", message: `${rawMountPoint} would hide or hold ${configRoot}, where app configuration lives on the VM disk ${wanted}` }];
        }
    }
    return [];
}

const RULES: readonly Rule[] = [lanAddressRules, guestIdRules, wireguardRules, memoryBudgetRule, uniqueHostnameRule, immichVersionRule, proxyNetworkRule, dataDiskRules, hostSshUserRule, appsRules, namesProblems, backupRules];

/** Runs every cross-field rule and returns all problems found. */
export function crossFieldProblems(config: PartialConfig): ConfigProblem[] {
    return RULES.flatMap((rule) => rule(config));
}

/** The marker the committed stack files put on values only the owner knows. */
export const PLACEHOLDER_MARK = "REPLACE-ME";
/** RFC 2606 reserves these names: they can never be the owner's real endpoint or mailbox. */
const RESERVED_EXAMPLE_DOMAIN = /(^|[.@])example\.(com|net|org)$/;

/** Values left at the committed placeholders, which would deploy a homelab nobody can reach. */
export function placeholderProblems(config: PartialConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    listAt(config, "vm", "sshPublicKeys").forEach((key, index) => {
        if (typeof key === "string" && key.includes(PLACEHOLDER_MARK)) {
            problems.push({ key: `vm.sshPublicKeys[${index}]`, message: "is the committed placeholder (your own public key, e.g. the line in ~/.ssh/id_ed25519.pub)" });
        }
    });
    const usbId = textAt(config, "dataDisk", "usbId");
    if (textAt(config, "dataDisk", "source") === "usb" && usbId?.endsWith(":0000") === true) {
        problems.push({ key: "dataDisk.usbId", message: `${usbId} is the committed placeholder (your disk's vendor:product id from \`lsusb\` on the Proxmox host)` });
    }
    const endpoint = textAt(config, "wireguard", "endpoint");
    if (enabledAt(config, "wireguard") && endpoint !== undefined && RESERVED_EXAMPLE_DOMAIN.test(endpoint)) {
        problems.push({ key: "wireguard.endpoint", message: `${endpoint} is a placeholder (the public DNS name or IP of your home connection)` });
    }
    const adminEmail = textAt(config, "apps", "nginxProxyManager", "adminEmail");
    if (enabledAt(config, "apps", "nginxProxyManager") && adminEmail !== undefined && RESERVED_EXAMPLE_DOMAIN.test(adminEmail)) {
        problems.push({ key: "apps.nginxProxyManager.adminEmail", message: `${adminEmail} is a placeholder (your own e-mail address, the admin login)` });
    }
    return problems;
}
