// The cross-field and placeholder rules called directly on schema output, including the broken
// shapes they meet when the schema has already failed. Each case was a mutant of
// stacks/config-rules.ts that no other test noticed (see docs/testing.md).
import { parseIpv4Network } from "../../components/network/ipv4";
import { nameDerivedAddress } from "../../components/wireguard/peer-addresses";
import { crossFieldProblems, placeholderProblems } from "../../stacks/config-rules";
import type { ConfigProblem } from "../../stacks/config-rules";
import { committedConfig, parseValues } from "../helpers/config";

type Mutable = Record<string, unknown>;

let prod: Mutable;
beforeAll(() => {
    prod = structuredClone(parseValues(committedConfig("prod")));
});

/** A deep copy of the parsed prod stack, to edit. */
function prodConfig(): Mutable {
    return structuredClone(prod);
}

function part(config: Mutable, ...path: string[]): Mutable {
    return path.reduce<Mutable>((current, key) => current[key] as Mutable, config);
}

const keys = (problems: readonly ConfigProblem[]) => problems.map((problem) => problem.key);

describe("the committed prod stack as the rules see it", () => {
    it("has no cross-field problem and only the four placeholders", () => {
        expect(crossFieldProblems(prodConfig())).toEqual([]);
        expect(keys(placeholderProblems(prodConfig()))).toEqual(["vm.sshPublicKeys[0]", "dataDisk.usbId", "wireguard.endpoint", "apps.nginxProxyManager.adminEmail"]);
    });
});

describe("placeholders only count where they are used", () => {
    it("a disabled WireGuard's example.com endpoint is not reported", () => {
        const config = prodConfig();
        part(config, "wireguard")["enabled"] = false;
        expect(keys(placeholderProblems(config))).not.toContain("wireguard.endpoint");
    });

    it("a disabled Nginx Proxy Manager's example.com admin e-mail is not reported", () => {
        const config = prodConfig();
        part(config, "apps", "nginxProxyManager")["enabled"] = false;
        expect(keys(placeholderProblems(config))).not.toContain("apps.nginxProxyManager.adminEmail");
    });

    it("a usbId ending in :0000 on a disk that is not a USB disk is not reported", () => {
        const config = prodConfig();
        part(config, "dataDisk")["source"] = "virtual";
        expect(keys(placeholderProblems(config))).not.toContain("dataDisk.usbId");
    });

    it("real values are not placeholders; only the marked key of several is reported", () => {
        const config = prodConfig();
        part(config, "vm")["sshPublicKeys"] = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwn owner@laptop", "ssh-ed25519 AAAA REPLACE-ME"];
        part(config, "dataDisk")["usbId"] = "059f:1234";
        part(config, "wireguard")["endpoint"] = "vpn.example.org.my-home.net";
        part(config, "apps", "nginxProxyManager")["adminEmail"] = "owner@notexample.com";
        expect(placeholderProblems(config)).toEqual([{ key: "vm.sshPublicKeys[1]", message: expect.stringContaining("committed placeholder") as string }]);
    });

    it.each(["vpn.example.com", "example.net", "me@example.org", "a.b.example.com"])("%s is an RFC 2606 placeholder", (value) => {
        const config = prodConfig();
        part(config, "wireguard")["endpoint"] = value;
        expect(keys(placeholderProblems(config))).toContain("wireguard.endpoint");
    });
});

describe("rules about a disabled part", () => {
    it("a disabled WireGuard's container id may equal the VM's id", () => {
        const config = prodConfig();
        part(config, "wireguard")["containerId"] = 100;
        expect(keys(crossFieldProblems(config))).toEqual(["wireguard.containerId"]);
        part(config, "wireguard")["enabled"] = false;
        expect(crossFieldProblems(config)).toEqual([]);
    });

    it("a disabled Immich's version is not checked against the known releases", () => {
        const config = prodConfig();
        part(config, "apps", "immich")["version"] = "v9.9.9";
        expect(keys(crossFieldProblems(config))).toEqual(["apps.immich.version"]);
        part(config, "apps", "immich")["enabled"] = false;
        expect(crossFieldProblems(config)).toEqual([]);
    });
});

describe("the memory budget", () => {
    it("names every enabled app with its memory, the total and what the VM leaves", () => {
        const config = prodConfig();
        part(config, "vm")["memoryMiB"] = 4096;
        part(config, "apps", "nextcloud")["enabled"] = false;
        const apps = part(config, "apps");
        const memory = (app: string) => part(apps, app)["memoryMiB"] as number;
        const total = memory("jellyfin") + memory("navidrome") + memory("immich") + memory("nginxProxyManager");
        const parts = ["jellyfin", "navidrome", "immich", "nginxProxyManager"].map((app) => `${app} ${memory(app)}`).join(" + ");
        const problems = crossFieldProblems(config);
        expect(problems).toEqual([{ key: "apps", message: expect.any(String) as string }]);
        expect(problems[0]!.message.startsWith(`the enabled apps need ${total} MiB (${parts}) but the VM leaves them 3072 MiB (`)).toBe(true);
    });
});

describe("the WireGuard subnet's capacity", () => {
    // A /29 has 8 addresses: network, server (.1) and broadcast leave 5 for peers.
    const peersOf = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `peer-${index}`, address: `10.8.0.${index + 2}` }));

    it("a subnet filled exactly is fine", () => {
        const config = prodConfig();
        part(config, "wireguard")["subnet"] = "10.8.0.0/29";
        part(config, "wireguard")["peers"] = peersOf(5);
        expect(crossFieldProblems(config)).toEqual([]);
    });

    it("one peer more is reported once, with the room there is", () => {
        const config = prodConfig();
        part(config, "wireguard")["subnet"] = "10.8.0.0/29";
        part(config, "wireguard")["peers"] = [...peersOf(5), { name: "tablet" }];
        expect(crossFieldProblems(config)).toEqual([{ key: "wireguard.peers", message: expect.stringMatching(/^has 6 peers but 10\.8\.0\.0\/29 has room for 5 \(/) as string }]);
    });
});

describe("peer addresses the allocator must never see", () => {
    // The allocator throws on an address that is not a usable peer address; the rules report it
    // instead and keep it away from the allocation, so the owner gets a problem list, not a crash.
    it.each([
        ["10.9.0.5", /is outside the WireGuard subnet/],
        ["10.8.0.0", /is outside the WireGuard subnet/],
        ["10.8.0.255", /is outside the WireGuard subnet/],
        ["10.8.0.1", /is the server's own tunnel address/],
    ])("%s is reported, not allocated", (address, message) => {
        const config = prodConfig();
        part(config, "wireguard")["peers"] = [{ name: "phone", address }, { name: "laptop" }];
        expect(crossFieldProblems(config)).toEqual([{ key: "wireguard.peers[0].address", message: expect.stringMatching(message) as string }]);
    });

    it("an address that is not IPv4 text (which the schema reports) is skipped", () => {
        const config = prodConfig();
        part(config, "wireguard")["peers"] = [{ name: "phone", address: "10.8.0.300" }, { name: "laptop" }];
        expect(crossFieldProblems(config)).toEqual([]);
    });

    it("peers without a name (which the schema reports) stop the allocation, not the run, and are no duplicates", () => {
        const config = prodConfig();
        part(config, "wireguard")["peers"] = [{ address: "10.8.0.7" }, { name: "laptop" }, {}];
        expect(crossFieldProblems(config)).toEqual([]);
    });

    it("a name collision is reported beside a peer with an explicit address", () => {
        // Two names that want the same address in the prod subnet, found the way an owner would meet them.
        const subnet = parseIpv4Network("10.8.0.0/24")!;
        const byAddress = new Map<number, string>();
        let pair: [string, string] | undefined;
        for (let index = 0; pair === undefined && index < 10000; index++) {
            const name = `tablet-${index}`;
            const earlier = byAddress.get(nameDerivedAddress(subnet, name));
            pair = earlier === undefined ? undefined : [earlier, name];
            byAddress.set(nameDerivedAddress(subnet, name), name);
        }
        const [first, second] = pair ?? ["", ""];
        const config = prodConfig();
        part(config, "wireguard")["peers"] = [{ name: "pinned", address: "10.8.0.250" }, { name: first }, { name: second }];
        expect(keys(crossFieldProblems(config))).toEqual(["wireguard.peers[2].address"]);
    });

    it("a /31 subnet is reported once, as having no room, and never allocated", () => {
        const config = prodConfig();
        part(config, "wireguard")["subnet"] = "10.8.0.0/31";
        expect(crossFieldProblems(config)).toEqual([{ key: "wireguard.subnet", message: "10.8.0.0/31 has no room for peers (a prefix of /30 or shorter)" }]);
    });
});

describe("the data disk never mounts over the VM's system", () => {
    const SYSTEM = ["/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var"];
    const INSIDE = ["/var/lib/docker", "/var/lib/docker/volumes", "/var/lib/docker/", "/usr/local/media", "/etc/media", "/boot/efi", "/usr/", "/var//", "/opt///"];
    const mountProblems = (mountPoint: string) => {
        const config = prodConfig();
        part(config, "dataDisk")["mountPoint"] = mountPoint;
        return crossFieldProblems(config);
    };

    it.each([...SYSTEM, ...SYSTEM.filter((path) => path !== "/").map((path) => `${path}/`), ...INSIDE])("%s is refused", (mountPoint) => {
        expect(mountProblems(mountPoint)).toEqual([{ key: "dataDisk.mountPoint", message: `${mountPoint} is a system directory of the VM (a directory of its own such as /home/homelab/media or /mnt/data)` }]);
    });

    // Folders beside or below the system ones that merely share a prefix are the owner's to use.
    it.each(["/mnt/data", "/srv/media", "/var/media", "/opt/media", "/usrdata", "/etcetera", "/bootstrap", "/home/homelab/media", "/home/homelab/media/", "/home/homelab/dockerfiles"])("%s is accepted", (mountPoint) => {
        expect(mountProblems(mountPoint)).toEqual([]);
    });

    it.each(["/home/homelab", "/home/homelab/", "/home/homelab/docker", "/home/homelab/docker/", "/home/homelab/docker/media", "/home"])("%s would hide or hold the app configuration, or is a system directory", (mountPoint) => {
        expect(mountProblems(mountPoint)).toHaveLength(1);
    });

    it("the app configuration follows the VM user", () => {
        const config = prodConfig();
        part(config, "vm")["user"] = "owner";
        part(config, "dataDisk")["mountPoint"] = "/home/owner";
        expect(crossFieldProblems(config)).toEqual([{ key: "dataDisk.mountPoint", message: expect.stringContaining("would hide or hold /home/owner/docker") as string }]);
        part(config, "dataDisk")["mountPoint"] = "/home/homelab";
        expect(crossFieldProblems(config)).toEqual([]);
    });

    it("a relative or empty mount point (which the schema reports) is skipped", () => {
        expect(mountProblems("var/lib/docker")).toEqual([]);
        expect(mountProblems("")).toEqual([]);
    });
});

describe("values the schema already refused reach the rules as they were typed", () => {
    // parseStackConfig runs the rules on whatever the schema processed, so every rule must skip a
    // missing, null or mistyped value instead of throwing a TypeError that hides the problem list.
    const BROKEN: readonly unknown[] = [undefined, null, 0, 7, "text", true, false, [], [null], {}];

    it.each(BROKEN.map((value) => [value]))("a whole configuration of %j yields no problem", (value) => {
        expect(crossFieldProblems(value)).toEqual([]);
        expect(placeholderProblems(value)).toEqual([]);
    });

    const SECTIONS = ["proxmox", "network", "vm", "dataDisk", "apps", "wireguard"];
    it.each(SECTIONS)("a %s section of any broken shape yields no cross-field problem", (sectionKey) => {
        for (const value of BROKEN) {
            const config = prodConfig();
            config[sectionKey] = value;
            expect({ value, problems: crossFieldProblems(config) }).toEqual({ value, problems: [] });
            expect(() => placeholderProblems(config)).not.toThrow();
        }
    });

    /** Every leaf of the prod config, as a path. */
    function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
        if (Array.isArray(value)) {
            return [path, ...value.flatMap((item, index) => leafPaths(item, [...path, index]))];
        }
        if (value !== null && typeof value === "object") {
            return [path, ...Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key]))];
        }
        return [path];
    }

    it("any one value of the prod stack replaced by a value of another type yields no cross-field problem", () => {
        const paths = leafPaths(prodConfig()).filter((path) => path.length > 1);
        expect(paths.length).toBeGreaterThan(50);
        for (const path of paths) {
            const parentOf = (config: Mutable) => path.slice(0, -1).reduce<Record<string | number, unknown>>((current, key) => current[key] as Record<string | number, unknown>, config);
            const original = parentOf(prod)[path[path.length - 1]!];
            // A number stays a number of another size, which the rules rightly judge: swap the type instead.
            for (const value of [null, typeof original === "number" ? "12" : 12, ["x"], { enabled: false }]) {
                const config = prodConfig();
                parentOf(config)[path[path.length - 1]!] = value;
                const problems = crossFieldProblems(config);
                expect({ path: path.join("."), value, problems }).toEqual({ path: path.join("."), value, problems: [] });
                expect(() => placeholderProblems(config)).not.toThrow();
            }
        }
    });

    it("two missing ids are not the same id, and missing hostnames are not the same hostname", () => {
        const config = prodConfig();
        part(config, "vm")["id"] = null;
        part(config, "wireguard")["containerId"] = "100";
        for (const app of ["jellyfin", "navidrome", "immich", "nextcloud", "nginxProxyManager"]) {
            part(config, "apps", app)["hostname"] = null;
        }
        expect(crossFieldProblems(config)).toEqual([]);
    });

    it("one app's mistyped memory skips the budget, which would otherwise be exceeded", () => {
        const config = prodConfig();
        part(config, "vm")["memoryMiB"] = 2048;
        expect(keys(crossFieldProblems(config))).toEqual(["apps"]);
        part(config, "apps", "jellyfin")["memoryMiB"] = "1536";
        expect(crossFieldProblems(config)).toEqual([]);
    });

    it("a mistyped VM user skips the app-configuration check, whatever the mount point", () => {
        const config = prodConfig();
        part(config, "vm")["user"] = 5;
        part(config, "dataDisk")["mountPoint"] = "/home/undefined";
        expect(crossFieldProblems(config)).toEqual([]);
    });

    it("peers with addresses in a mistyped subnet are skipped", () => {
        const config = prodConfig();
        part(config, "wireguard")["subnet"] = 24;
        part(config, "wireguard")["peers"] = [{ name: "phone", address: "10.8.0.7" }, { name: "laptop", address: "192.168.1.7" }];
        expect(crossFieldProblems(config)).toEqual([]);
    });

    it("peers of broken shapes are skipped one by one", () => {
        const config = prodConfig();
        part(config, "wireguard")["peers"] = [null, 5, "phone", [], { name: 5, address: 7 }, { name: "laptop", address: ["10.8.0.9"] }, { name: "tablet" }];
        expect(crossFieldProblems(config)).toEqual([]);
    });
});
