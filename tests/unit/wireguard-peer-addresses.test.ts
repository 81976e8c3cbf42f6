import { createHash } from "node:crypto";
import fc from "fast-check";
import { formatIpv4, isNetworkOrBroadcast, networkContains, parseIpv4, parseIpv4Network } from "../../components/network/ipv4";
import type { Ipv4Network } from "../../components/network/ipv4";
import { allocatePeerAddresses, nameDerivedAddress, serverTunnelAddress } from "../../components/wireguard/peer-addresses";
import type { PeerAddressRequest } from "../../components/wireguard/peer-addresses";

const network = (text: string): Ipv4Network => parseIpv4Network(text)!;
const SUBNET = network("10.8.0.0/24");

/** Subnets from /30 (one peer address) to /22, anywhere in 10.0.0.0/8. */
const subnetArbitrary = fc.record({ prefix: fc.integer({ min: 22, max: 30 }), index: fc.nat() }).map(({ prefix, index }) => {
    const size = 2 ** (32 - prefix);
    const blocks = 2 ** 24 / size;
    return { base: parseIpv4("10.0.0.0")! + (index % blocks) * size, prefix };
});
const nameArbitrary = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,11}$/);

/** A subnet and peers with distinct names; some peers have an explicit usable, distinct address. */
const scenarioArbitrary = subnetArbitrary.chain((subnet) => {
    const hosts = 2 ** (32 - subnet.prefix) - 3;
    return fc.record({
        subnet: fc.constant(subnet),
        peers: fc.uniqueArray(
            fc.record({ name: nameArbitrary, explicit: fc.option(fc.integer({ min: 0, max: hosts - 1 }), { nil: undefined }) }),
            { selector: (peer) => peer.name, maxLength: 12 },
        ).map((peers) => {
            const seen = new Set<number>();
            return peers.map(({ name, explicit }): PeerAddressRequest => {
                if (explicit === undefined || seen.has(explicit)) {
                    return { name };
                }
                seen.add(explicit);
                // Host offsets from .2: never the network address, the server (.1) or the broadcast.
                return { name, address: formatIpv4(subnet.base + 2 + explicit) };
            });
        }),
        extra: nameArbitrary,
    });
});

describe("nameDerivedAddress", () => {
    it("is a host of the subnet other than the server's, for any name and subnet", () => {
        fc.assert(fc.property(subnetArbitrary, nameArbitrary, (subnet, name) => {
            const address = nameDerivedAddress(subnet, name);
            expect(networkContains(subnet, address)).toBe(true);
            expect(isNetworkOrBroadcast(subnet, address)).toBe(false);
            expect(address).not.toBe(serverTunnelAddress(subnet));
        }));
    });

    it("depends on the name: 200 names spread over many addresses of a /24", () => {
        const addresses = new Set(Array.from({ length: 200 }, (_, index) => nameDerivedAddress(SUBNET, `peer-${index}`)));
        // 200 draws from 253 slots give ~138 distinct values on average; a constant or biased hash gives far fewer.
        expect(addresses.size).toBeGreaterThan(110);
    });

    it("gives the only peer address of a /30", () => {
        expect(formatIpv4(nameDerivedAddress(network("10.8.0.0/30"), "phone"))).toBe("10.8.0.2");
    });
});

describe("allocatePeerAddresses", () => {
    it("keeps explicit addresses and gives every peer a distinct host address that is not the server's, when it reports no conflict", () => {
        fc.assert(fc.property(scenarioArbitrary, ({ subnet, peers }) => {
            const { addresses, conflicts } = allocatePeerAddresses(subnet, peers);
            expect(addresses.size).toBe(peers.length);
            for (const peer of peers) {
                if (peer.address !== undefined) {
                    expect(addresses.get(peer.name)).toBe(peer.address);
                }
            }
            if (conflicts.length > 0) {
                return;
            }
            const numeric = [...addresses.values()].map((text) => parseIpv4(text)!);
            expect(new Set(numeric).size).toBe(numeric.length);
            for (const address of numeric) {
                expect(networkContains(subnet, address)).toBe(true);
                expect(isNetworkOrBroadcast(subnet, address)).toBe(false);
                expect(address).not.toBe(serverTunnelAddress(subnet));
            }
        }));
    });

    it("reports a conflict exactly when two peers want the same address", () => {
        fc.assert(fc.property(scenarioArbitrary, ({ subnet, peers }) => {
            const { addresses, conflicts } = allocatePeerAddresses(subnet, peers);
            const distinct = new Set(addresses.values()).size;
            expect(conflicts.length).toBe(peers.length - distinct);
        }));
    });

    it("does not depend on the order of the list", () => {
        fc.assert(fc.property(scenarioArbitrary.chain((scenario) => fc.record({ scenario: fc.constant(scenario), shuffled: fc.shuffledSubarray(scenario.peers, { minLength: scenario.peers.length }) })), ({ scenario, shuffled }) => {
            const original = allocatePeerAddresses(scenario.subnet, scenario.peers);
            const reordered = allocatePeerAddresses(scenario.subnet, shuffled);
            expect(new Map(reordered.addresses)).toEqual(new Map(original.addresses));
            expect(reordered.conflicts.length).toBe(original.conflicts.length);
        }));
    });

    it("never moves another peer when a peer is added (the addition either conflicts or leaves every other address as it was)", () => {
        fc.assert(fc.property(scenarioArbitrary, ({ subnet, peers, extra }) => {
            fc.pre(!peers.some((peer) => peer.name === extra));
            const before = allocatePeerAddresses(subnet, peers);
            fc.pre(before.conflicts.length === 0);
            const after = allocatePeerAddresses(subnet, [...peers, { name: extra }]);
            for (const peer of peers) {
                expect(after.addresses.get(peer.name)).toBe(before.addresses.get(peer.name));
            }
            // A conflict is always pinned on the newcomer, the peer the owner is editing.
            for (const conflict of after.conflicts) {
                expect(conflict.name).toBe(extra);
            }
        }));
    });

    it("never moves another peer when a peer is removed, and a removal never creates a conflict", () => {
        fc.assert(fc.property(scenarioArbitrary, fc.nat(), ({ subnet, peers }, pick) => {
            fc.pre(peers.length > 0);
            const before = allocatePeerAddresses(subnet, peers);
            fc.pre(before.conflicts.length === 0);
            const removed = peers[pick % peers.length]!;
            const after = allocatePeerAddresses(subnet, peers.filter((peer) => peer !== removed));
            expect(after.conflicts).toEqual([]);
            for (const peer of peers.filter((candidate) => candidate !== removed)) {
                expect(after.addresses.get(peer.name)).toBe(before.addresses.get(peer.name));
            }
        }));
    });

    it("names both peers of a collision and suggests a free address, which resolves it", () => {
        // Find two names that want the same address in 10.8.0.0/24 (the birthday bound makes this quick).
        const byAddress = new Map<number, string>();
        let pair: [string, string] | undefined;
        for (let index = 0; pair === undefined; index++) {
            const name = `device-${index}`;
            const address = nameDerivedAddress(SUBNET, name);
            const earlier = byAddress.get(address);
            pair = earlier === undefined ? undefined : [earlier, name];
            byAddress.set(address, name);
        }
        const [first, second] = pair;
        const { conflicts } = allocatePeerAddresses(SUBNET, [{ name: first }, { name: second }]);
        expect(conflicts).toHaveLength(1);
        expect(conflicts[0]).toMatchObject({ index: 1, name: second, takenBy: first, address: formatIpv4(nameDerivedAddress(SUBNET, first)) });
        const suggestion = conflicts[0]!.suggestion!;
        const resolved = allocatePeerAddresses(SUBNET, [{ name: first }, { name: second, address: suggestion }]);
        expect(resolved.conflicts).toEqual([]);
        expect(resolved.addresses.get(first)).toBe(formatIpv4(nameDerivedAddress(SUBNET, first)));
    });

    it("refuses an explicit address outside the subnet or equal to the server's (validated config never passes one)", () => {
        expect(() => allocatePeerAddresses(SUBNET, [{ name: "phone", address: "10.9.0.2" }])).toThrow(/not a peer address/);
        expect(() => allocatePeerAddresses(SUBNET, [{ name: "phone", address: "10.8.0.1" }])).toThrow(/not a peer address/);
    });
});

describe("the details a device's config depends on", () => {
    it("the server takes the subnet's first host", () => {
        expect(formatIpv4(serverTunnelAddress(network("10.8.4.0/22")))).toBe("10.8.4.1");
    });

    it("a name-derived address is SHA-256 of the name, its first 48 bits modulo the candidates from .2 up", () => {
        // Re-derived here from the hex digest, apart from the module's Buffer arithmetic.
        for (const name of ["phone", "laptop", "téléphone"]) {
            const first48 = BigInt(`0x${createHash("sha256").update(Buffer.from(name, "utf8")).digest("hex").slice(0, 12)}`);
            expect(nameDerivedAddress(SUBNET, name)).toBe(parseIpv4("10.8.0.2")! + Number(first48 % 253n));
        }
    });

    it("refuses explicit addresses that are no peer's: network, broadcast and not IPv4 at all", () => {
        for (const address of ["10.8.0.0", "10.8.0.255", "10.8.0.256", "phone"]) {
            expect(() => allocatePeerAddresses(SUBNET, [{ name: "phone", address }])).toThrow(`peer phone: ${address} is not a peer address in the subnet`);
        }
    });

    it("suggests the lowest address that no peer has or wants", () => {
        const [first, second] = collidingNames(SUBNET);
        const taken = nameDerivedAddress(SUBNET, first);
        const { conflicts } = allocatePeerAddresses(SUBNET, [{ name: first }, { name: "pinned", address: "10.8.0.2" }, { name: second }]);
        // .2 is pinned and .1 is the server's, so the lowest free address is .3, or .4 when the pair wants .3.
        expect(conflicts).toEqual([{ index: 2, name: second, takenBy: first, address: formatIpv4(taken), suggestion: taken === parseIpv4("10.8.0.3") ? "10.8.0.4" : "10.8.0.3" }]);
    });

    it("suggests nothing when the subnet is full", () => {
        // A /30 has one peer address (.2): any two peers without an address want it.
        const { addresses, conflicts } = allocatePeerAddresses(network("10.8.0.0/30"), [{ name: "a" }, { name: "b" }]);
        expect([...addresses.values()]).toEqual(["10.8.0.2", "10.8.0.2"]);
        expect(conflicts).toEqual([{ index: 1, name: "b", takenBy: "a", address: "10.8.0.2", suggestion: undefined }]);
    });
});

/** Two names whose derived addresses collide in `subnet` (the birthday bound makes the search short). */
function collidingNames(subnet: Ipv4Network): [string, string] {
    const byAddress = new Map<number, string>();
    for (let index = 0; index < 10000; index++) {
        const name = `device-${index}`;
        const address = nameDerivedAddress(subnet, name);
        const earlier = byAddress.get(address);
        if (earlier !== undefined) {
            return [earlier, name];
        }
        byAddress.set(address, name);
    }
    throw new Error("no two names collide: nameDerivedAddress ignores most of the subnet");
}
