// The docker module's pure helpers.
import { bridgeGateway, PROXY_NETWORK_SUBNET } from "../../components/docker/networks";
import { canonicalDuration } from "../../components/docker/service";

describe("healthcheck durations in the form the docker provider reads back", () => {
    // Go's time.Duration.String() prints the largest unit first and every smaller unit after it
    // down to seconds: 5 minutes is "5m0s", 1 hour "1h0m0s"; under a minute only seconds remain.
    test.each([
        ["30s", "30s"],
        ["0s", "0s"],
        ["5m", "5m0s"],
        ["10m", "10m0s"],
        ["90s", "1m30s"],
        ["1m30s", "1m30s"],
        ["1h", "1h0m0s"],
        ["2h5s", "2h0m5s"],
        ["3600s", "1h0m0s"],
        ["12h", "12h0m0s"],
        ["10m75s", "11m15s"],
    ])("%s → %s", (input, expected) => {
        expect(canonicalDuration(input)).toBe(expected);
    });

    test("is a fixed point on its own output", () => {
        for (const input of ["30s", "5m", "90s", "1h", "2h5s"]) {
            expect(canonicalDuration(canonicalDuration(input))).toBe(canonicalDuration(input));
        }
    });

    test.each(["", "5", "1.5m", "5ms", "m", "1d"])("refuses %j", (input) => {
        expect(() => canonicalDuration(input)).toThrow(/duration/);
    });
});

describe("a bridge network's gateway, as Docker assigns it", () => {
    test.each([
        ["172.30.0.0/24", "172.30.0.1"],
        ["10.0.0.0/8", "10.0.0.1"],
        ["192.168.77.128/25", "192.168.77.129"],
    ])("%s → %s, the first host", (subnet, gateway) => {
        expect(bridgeGateway(subnet)).toBe(gateway);
    });

    test("the proxy network's gateway is inside its subnet", () => {
        expect(bridgeGateway(PROXY_NETWORK_SUBNET)).toBe("172.30.0.1");
    });

    test.each(["172.30.0.1/24", "172.30.0.0", "10.0.0.0/31", "not a network"])("refuses %j", (subnet) => {
        expect(() => bridgeGateway(subnet)).toThrow(/not an IPv4 network/);
    });
});
