// Stable tunnel addresses for peers that do not set one. A peer's address depends only on its own
// name and the subnet, never on the other peers or the order of the list, so adding or removing a
// peer can never move another one (which would silently break that device's config). The price is
// that two names may want the same address; that is reported as a conflict the owner resolves by
// giving one peer an explicit address, instead of quietly probing one of them elsewhere, because
// any probing makes one peer's address depend on which other peers exist.
import { createHash } from "node:crypto";
import { formatIpv4, hostAddresses, isNetworkOrBroadcast, networkContains, parseIpv4 } from "../network/ipv4";
import type { Ipv4Network } from "../network/ipv4";

/** The WireGuard server's own tunnel address: the subnet's first host. */
export function serverTunnelAddress(subnet: Ipv4Network): number {
    return subnet.base + 1;
}

/** A peer as configured: its name and, optionally, a fixed address. */
export interface PeerAddressRequest {
    readonly name: string;
    readonly address?: string;
}

/** Two peers that would get the same address. */
export interface PeerAddressConflict {
    /** Index in the list of the peer reported (the later of the two). */
    readonly index: number;
    readonly name: string;
    readonly address: string;
    /** The peer that already has that address. */
    readonly takenBy: string;
    /** The lowest address no peer uses and no peer's name maps to, or undefined when the subnet is full. */
    readonly suggestion: string | undefined;
}

export interface PeerAddressAllocation {
    /** Peer name to tunnel address (dotted quad), for every peer. */
    readonly addresses: ReadonlyMap<string, string>;
    /** Empty when every peer has an address of its own. */
    readonly conflicts: readonly PeerAddressConflict[];
}

/** The addresses a name-derived address may take: every host of the subnet except the server's. */
function candidateAddresses(subnet: Ipv4Network): number[] {
    const server = serverTunnelAddress(subnet);
    return hostAddresses(subnet).filter((address) => address !== server);
}

/**
 * The address a peer without an explicit one gets: SHA-256 of its name picks one of the
 * candidates. 48 bits of the digest keep the modulo bias below one in a billion for any subnet.
 */
export function nameDerivedAddress(subnet: Ipv4Network, name: string): number {
    const candidates = candidateAddresses(subnet);
    // Stryker disable next-line ConditionalExpression,BlockStatement: equivalent, unreachable: every prefix has a host besides base + 1 (a /31 or /32 keeps its base), so the guard never fires
    if (candidates.length === 0) {
        // Stryker disable next-line StringLiteral,CallExpression: equivalent, unreachable (see above)
        throw new Error(`the subnet has no address for peers besides the server's`);
    }
    // Stryker disable next-line StringLiteral: equivalent, Hash.update() reads a string as UTF-8 when the encoding is empty
    const hash = createHash("sha256").update(name, "utf8").digest().readUIntBE(0, 6);
    return candidates[hash % candidates.length]!;
}

/** True when an explicit peer address is usable: a host of the subnet and not the server's. */
export function isUsablePeerAddress(subnet: Ipv4Network, address: number): boolean {
    return networkContains(subnet, address) && !isNetworkOrBroadcast(subnet, address) && address !== serverTunnelAddress(subnet);
}

/**
 * Gives every peer its address: the explicit one when set, otherwise the name-derived one. A pure
 * function of the set of peers; the list order only decides which of two conflicting peers is named.
 */
export function allocatePeerAddresses(subnet: Ipv4Network, peers: readonly PeerAddressRequest[]): PeerAddressAllocation {
    const wanted = peers.map((peer) => {
        const explicit = peer.address === undefined ? undefined : parseIpv4(peer.address);
        if (peer.address !== undefined && (explicit === undefined || !isUsablePeerAddress(subnet, explicit))) {
            throw new Error(`peer ${peer.name}: ${peer.address} is not a peer address in the subnet`);
        }
        return explicit ?? nameDerivedAddress(subnet, peer.name);
    });
    const owner = new Map<number, string>();
    const conflicting: { index: number; address: number; takenBy: string }[] = [];
    peers.forEach((peer, index) => {
        const address = wanted[index]!;
        const takenBy = owner.get(address);
        if (takenBy === undefined) {
            owner.set(address, peer.name);
        } else {
            conflicting.push({ index, address, takenBy });
        }
    });
    const used = new Set(wanted);
    const free = candidateAddresses(subnet).find((address) => !used.has(address));
    return {
        addresses: new Map(peers.map((peer, index) => [peer.name, formatIpv4(wanted[index]!)])),
        conflicts: conflicting.map(({ index, address, takenBy }) => ({
            index,
            name: peers[index]!.name,
            address: formatIpv4(address),
            takenBy,
            suggestion: free === undefined ? undefined : formatIpv4(free),
        })),
    };
}
