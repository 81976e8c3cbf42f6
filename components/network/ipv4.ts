// Small, dependency-free IPv4 arithmetic shared by the config checks and the WireGuard allocator.

/** An IPv4 network: the address as an unsigned 32-bit number and the prefix length. */
export interface Ipv4Network {
    readonly base: number;
    readonly prefix: number;
}

/** An interface address such as 192.168.1.89/24: the host address and the prefix of its network. */
export interface Ipv4InterfaceAddress {
    readonly address: number;
    readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses dotted-quad text ("192.168.1.1"); undefined when it is not one. */
export function parseIpv4(text: string): number | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || !parts.every((part) => OCTET.test(part))) {
        return undefined;
    }
    return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

export function formatIpv4(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

function parsePrefix(text: string | undefined): number | undefined {
    if (
        // Stryker disable next-line ConditionalExpression: equivalent, RegExp.test(undefined) tests the text "undefined", which has no digits
        text === undefined ||
        !/^\d{1,2}$/.test(text)
    ) {
        return undefined;
    }
    const prefix = Number(text);
    return prefix <= 32 ? prefix : undefined;
}

function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

/** The first address of the network that `address` belongs to. */
function networkBase(address: number, prefix: number): number {
    return address - (address % blockSize(prefix));
}

/** Parses "a.b.c.d/n" where a.b.c.d is the network address itself (no host bits set). */
export function parseIpv4Network(text: string): Ipv4Network | undefined {
    const [addressText, prefixText, ...rest] = text.split("/");
    // Stryker disable next-line StringLiteral: equivalent, split() always returns a first element, so the fallback never applies
    const base = parseIpv4(addressText ?? "");
    const prefix = parsePrefix(prefixText);
    if (
        rest.length > 0 ||
        // Stryker disable next-line ConditionalExpression: equivalent, an undefined base or prefix makes networkBase NaN, which equals no base, so the result is undefined anyway
        base === undefined || prefix === undefined
    ) {
        return undefined;
    }
    return networkBase(base, prefix) === base ? { base, prefix } : undefined;
}

/** Parses "a.b.c.d/n" where a.b.c.d is a host inside the network (an interface address). */
export function parseIpv4InterfaceAddress(text: string): Ipv4InterfaceAddress | undefined {
    const [addressText, prefixText, ...rest] = text.split("/");
    // Stryker disable next-line StringLiteral: equivalent, split() always returns a first element, so the fallback never applies
    const address = parseIpv4(addressText ?? "");
    const prefix = parsePrefix(prefixText);
    if (rest.length > 0 || address === undefined || prefix === undefined) {
        return undefined;
    }
    return { address, prefix };
}

export function formatIpv4Network(network: Ipv4Network): string {
    return `${formatIpv4(network.base)}/${network.prefix}`;
}

export function networkContains(network: Ipv4Network, address: number): boolean {
    return networkBase(address, network.prefix) === network.base;
}

export function networksOverlap(first: Ipv4Network, second: Ipv4Network): boolean {
    // Stryker disable next-line EqualityOperator: equivalent, with equal prefixes either network may play the wider one
    const wider = first.prefix <= second.prefix ? first : second;
    const narrower = wider === first ? second : first;
    return networkContains(wider, narrower.base);
}

/** The network's own address or its broadcast address: never a host (for prefixes up to /30). */
export function isNetworkOrBroadcast(network: Ipv4Network, address: number): boolean {
    if (network.prefix >= 31) {
        return false;
    }
    return address === network.base || address === network.base + blockSize(network.prefix) - 1;
}

/** Every usable host address of the network, lowest first. */
export function hostAddresses(network: Ipv4Network): number[] {
    const size = blockSize(network.prefix);
    const first = network.prefix >= 31 ? network.base : network.base + 1;
    const last = network.prefix >= 31 ? network.base + size - 1 : network.base + size - 2;
    const hosts: number[] = [];
    for (let address = first; address <= last; address++) {
        hosts.push(address);
    }
    return hosts;
}
