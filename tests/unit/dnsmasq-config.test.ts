// renderDnsmasqConfig: the text engineer #12's network tier and the system tests run dnsmasq on.
import { renderDnsmasqConfig } from "../../components/dns/dnsmasq-config";

const settings = {
    listenAddresses: ["192.168.1.90"],
    upstreams: [{ address: "192.168.1.1" }, { address: "127.0.0.1", port: 5353 }],
    records: [{ hostname: "photos.home.arpa", address: "192.168.1.89" }, { hostname: "cloud.home.arpa", address: "192.168.1.89" }],
};

describe("renderDnsmasqConfig", () => {
    it("listens only where told, forwards to the upstreams in order and answers each name, sorted", () => {
        const lines = renderDnsmasqConfig(settings).split("\n");
        expect(lines.filter((line) => /^(port|listen-address|server|local|host-record)=/.test(line))).toEqual([
            "port=53",
            "listen-address=192.168.1.90",
            "server=192.168.1.1",
            "server=127.0.0.1#5353",
            "local=/cloud.home.arpa/",
            "host-record=cloud.home.arpa,192.168.1.89",
            "local=/photos.home.arpa/",
            "host-record=photos.home.arpa,192.168.1.89",
        ]);
        expect(lines).toEqual(expect.arrayContaining(["bind-interfaces", "no-resolv", "no-hosts", "domain-needed"]));
        // No DHCP: the router keeps that job.
        expect(lines.some((line) => line.startsWith("dhcp"))).toBe(false);
    });

    it("is the same text whatever order the apps come in", () => {
        expect(renderDnsmasqConfig({ ...settings, records: [...settings.records].reverse() })).toBe(renderDnsmasqConfig(settings));
    });

    it("refuses two addresses for one name", () => {
        const twice = { ...settings, records: [...settings.records, { hostname: "photos.home.arpa", address: "192.168.1.90" }] };
        expect(() => renderDnsmasqConfig(twice)).toThrow("dnsmasq: photos.home.arpa has two records (one address per name)");
    });
});
