// renderDnsmasqConfig: the text engineer #12's network tier and the system tests run dnsmasq on.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DNSMASQ_CONFIG_PATH, renderDnsmasqConfig } from "../../components/dns/dnsmasq-config";
import { PROJECT_ROOT } from "../../tools/paths";

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

describe("renderDnsmasqConfig, line by line", () => {
    it("is exactly the header, the listener, the no-leak options, the upstreams and two lines per name", () => {
        const text = renderDnsmasqConfig({
            listenAddresses: ["192.168.1.90", "10.8.0.1"],
            port: 5300,
            upstreams: [{ address: "192.168.1.1", port: 53 }],
            records: [{ hostname: "b.home.arpa", address: "192.168.1.89" }, { hostname: "a.home.arpa", address: "192.168.1.88" }],
        });
        expect(text.split("\n")).toEqual([
            // A reader of the file on the container learns where it comes from.
            expect.stringMatching(/^# .*written by Pulumi.*overwritten/) as unknown as string,
            "port=5300",
            "listen-address=192.168.1.90",
            "listen-address=10.8.0.1",
            "bind-interfaces",
            "no-resolv",
            "no-hosts",
            "domain-needed",
            // dnsmasq's default cache is 150 names; the homelab's clients share this one.
            "cache-size=1000",
            // An explicit port is written even when it is the default.
            "server=192.168.1.1#53",
            "local=/a.home.arpa/",
            "host-record=a.home.arpa,192.168.1.88",
            "local=/b.home.arpa/",
            "host-record=b.home.arpa,192.168.1.89",
            // The file ends with a newline.
            "",
        ]);
    });

    it("sorts names in code-unit order, whichever of two comes first", () => {
        const hostnames = (records: { hostname: string; address: string }[]) => renderDnsmasqConfig({ ...settings, records }).split("\n").filter((line) => line.startsWith("local=")).map((line) => line.slice("local=/".length, -1));
        const first = { hostname: "a.home.arpa", address: "192.168.1.89" };
        const second = { hostname: "b.home.arpa", address: "192.168.1.89" };
        const third = { hostname: "c.home.arpa", address: "192.168.1.89" };
        expect(hostnames([first, second, third])).toEqual(["a.home.arpa", "b.home.arpa", "c.home.arpa"]);
        expect(hostnames([third, second, first])).toEqual(["a.home.arpa", "b.home.arpa", "c.home.arpa"]);
        expect(hostnames([second, third, first])).toEqual(["a.home.arpa", "b.home.arpa", "c.home.arpa"]);
    });

    it("refuses a name given twice wherever the two stand in the list", () => {
        const records = [{ hostname: "a.home.arpa", address: "192.168.1.89" }, { hostname: "b.home.arpa", address: "192.168.1.89" }, { hostname: "a.home.arpa", address: "192.168.1.89" }];
        expect(() => renderDnsmasqConfig({ ...settings, records })).toThrow("dnsmasq: a.home.arpa has two records (one address per name)");
    });
});

describe("DNSMASQ_CONFIG_PATH", () => {
    it("is the file the container's script installs, in the folder Debian's dnsmasq reads", () => {
        const script = readFileSync(join(PROJECT_ROOT, "components", "dns", "configure-dnsmasq.sh"), "utf8");
        expect(/^live=(.+)$/m.exec(script)?.[1]).toBe(DNSMASQ_CONFIG_PATH);
        expect(DNSMASQ_CONFIG_PATH).toMatch(/^\/etc\/dnsmasq\.d\/[a-z]+\.conf$/);
    });
});
