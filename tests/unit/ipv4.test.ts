// The IPv4 arithmetic every address rule stands on: each parser is shown rejecting bad text.
import {
    formatIpv4,
    hostAddresses,
    isNetworkOrBroadcast,
    networkContains,
    networksOverlap,
    parseIpv4,
    parseIpv4InterfaceAddress,
    parseIpv4Network,
} from "../../components/network/ipv4";

describe("parseIpv4", () => {
    it("reads dotted quads and formats them back", () => {
        expect(parseIpv4("192.168.1.89")).toBe(((192 * 256 + 168) * 256 + 1) * 256 + 89);
        expect(formatIpv4(parseIpv4("10.8.0.1")!)).toBe("10.8.0.1");
        expect(formatIpv4(parseIpv4("255.255.255.255")!)).toBe("255.255.255.255");
    });

    it.each(["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "", "a.b.c.d", "1.2.3.4 "])("rejects %j", (text) => {
        expect(parseIpv4(text)).toBeUndefined();
    });
});

describe("networks and interface addresses", () => {
    it("a network has no host bits; an interface address may", () => {
        expect(parseIpv4Network("192.168.1.0/24")).toEqual({ base: parseIpv4("192.168.1.0"), prefix: 24 });
        expect(parseIpv4Network("192.168.1.7/24")).toBeUndefined();
        expect(parseIpv4InterfaceAddress("192.168.1.7/24")).toEqual({ address: parseIpv4("192.168.1.7"), prefix: 24 });
    });

    it("accepts the widest and the narrowest prefix, /0 and /32", () => {
        expect(parseIpv4Network("0.0.0.0/0")).toEqual({ base: 0, prefix: 0 });
        expect(parseIpv4Network("10.8.0.7/32")).toEqual({ base: parseIpv4("10.8.0.7"), prefix: 32 });
        expect(parseIpv4InterfaceAddress("10.8.0.7/32")).toEqual({ address: parseIpv4("10.8.0.7"), prefix: 32 });
    });

    // The prefix must be one or two digits and nothing else: Number() alone would read "8 ", "1e1"
    // and "1.5" as numbers.
    it.each(["192.168.1.0", "192.168.1.0/33", "192.168.1.0/-1", "192.168.1.0/24/1", "192.168.1.0/x", "10.0.0.0/8 ", "10.0.0.0/1e1", "10.0.0.0/1.5", "10.0.0.0/008", "300.0.0.0/8", "10.0.0/8"])("rejects %j as a network and as an interface address", (text) => {
        expect(parseIpv4Network(text)).toBeUndefined();
        expect(parseIpv4InterfaceAddress(text)).toBeUndefined();
    });

    it("knows containment, overlap and the two addresses that are never hosts", () => {
        const lan = parseIpv4Network("192.168.1.0/24")!;
        expect(networkContains(lan, parseIpv4("192.168.1.254")!)).toBe(true);
        expect(networkContains(lan, parseIpv4("192.168.2.1")!)).toBe(false);
        expect(networksOverlap(lan, parseIpv4Network("192.168.0.0/16")!)).toBe(true);
        expect(networksOverlap(parseIpv4Network("192.168.0.0/16")!, lan)).toBe(true);
        expect(networksOverlap(lan, parseIpv4Network("10.8.0.0/24")!)).toBe(false);
        expect(isNetworkOrBroadcast(lan, parseIpv4("192.168.1.0")!)).toBe(true);
        expect(isNetworkOrBroadcast(lan, parseIpv4("192.168.1.255")!)).toBe(true);
        expect(isNetworkOrBroadcast(lan, parseIpv4("192.168.1.1")!)).toBe(false);
    });

    it("a /31 or /32 has no network or broadcast address: every address is a host (RFC 3021)", () => {
        const pair = parseIpv4Network("10.0.0.0/31")!;
        expect(isNetworkOrBroadcast(pair, parseIpv4("10.0.0.0")!)).toBe(false);
        expect(isNetworkOrBroadcast(pair, parseIpv4("10.0.0.1")!)).toBe(false);
        expect(isNetworkOrBroadcast(parseIpv4Network("10.0.0.5/32")!, parseIpv4("10.0.0.5")!)).toBe(false);
        // A /30 still has both: .0 and .3 are not hosts, .1 and .2 are.
        const small = parseIpv4Network("10.0.0.0/30")!;
        expect([0, 1, 2, 3].map((last) => isNetworkOrBroadcast(small, parseIpv4(`10.0.0.${last}`)!))).toEqual([true, false, false, true]);
    });

    it("overlap between networks of the same size is equality", () => {
        const lan = parseIpv4Network("192.168.1.0/24")!;
        expect(networksOverlap(lan, parseIpv4Network("192.168.1.0/24")!)).toBe(true);
        expect(networksOverlap(lan, parseIpv4Network("192.168.2.0/24")!)).toBe(false);
        expect(networksOverlap(parseIpv4Network("192.168.2.0/24")!, lan)).toBe(false);
    });

    it("lists the usable hosts: 254 in a /24, both addresses of a /31", () => {
        const hosts = hostAddresses(parseIpv4Network("10.8.0.0/24")!);
        expect(hosts).toHaveLength(254);
        expect(formatIpv4(hosts[0]!)).toBe("10.8.0.1");
        expect(formatIpv4(hosts[253]!)).toBe("10.8.0.254");
        expect(hostAddresses(parseIpv4Network("10.0.0.0/31")!).map(formatIpv4)).toEqual(["10.0.0.0", "10.0.0.1"]);
        expect(hostAddresses(parseIpv4Network("10.0.0.9/32")!).map(formatIpv4)).toEqual(["10.0.0.9"]);
        expect(hostAddresses(parseIpv4Network("10.0.0.4/30")!).map(formatIpv4)).toEqual(["10.0.0.5", "10.0.0.6"]);
    });
});
