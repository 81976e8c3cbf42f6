// The stack configuration: the owner's interface. Each rule is shown failing on bad input and
// passing on the committed stacks.
import { DOCKER_PACKAGE_DEFAULTS } from "../../stacks/config-schema";
import { ConfigError } from "../../stacks/parse-config";
import { committedConfig, parseValues, problemsAfter, section } from "../helpers/config";

describe("the committed stacks", () => {
    it.each(["prod", "dev"])("%s parses into a frozen StackConfig with defaults filled in", (stack) => {
        const config = parseValues(committedConfig(stack));
        expect(Object.isFrozen(config)).toBe(true);
        expect(Object.isFrozen(config.vm.sshPublicKeys)).toBe(true);
        // Neither file sets the log rotation, so it must come from the schema's defaults.
        expect(config.docker).toEqual({ logMaxSizeMiB: 10, logMaxFiles: 3, ...DOCKER_PACKAGE_DEFAULTS });
        expect(() => {
            (config.vm as { cores: number }).cores = 64;
        }).toThrow(TypeError);
    });

    it("prod carries the owner's values from ARCHITECTURE.md §1", () => {
        const config = parseValues(committedConfig("prod"));
        expect(config.proxmox.endpoint).toBe("https://192.168.1.120:8006");
        expect(config.network.bridge).toBe("vmbr0");
        expect(config.network.lan).toBe("192.168.1.0/24");
        expect(config.vm).toMatchObject({ cores: 2, memoryMiB: 10240, diskGiB: 32, address: "192.168.1.89/24" });
        expect(config.protect).toBe(true);
    });
});

describe("every problem at once", () => {
    it("lists each mistake of a config with several, naming every key", () => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "vm")["address"] = "10.0.0.5/24";
            section(values, "wireguard")["peers"] = [{ name: "phone" }, { name: "phone" }];
            section(section(values, "apps"), "jellyfin")["version"] = "latest";
            delete section(values, "wireguard")["endpoint"];
            section(values, "vm")["memoryMib"] = 4096;
        });
        expect(problems).toEqual(expect.arrayContaining([
            expect.stringMatching(/^homelab:vm\.address: 10\.0\.0\.5\/24 is outside the LAN 192\.168\.1\.0\/24 \(/),
            expect.stringMatching(/^homelab:wireguard\.peers\[1\]\.name: "phone" is already the name of peers\[0\]/),
            expect.stringMatching(/^homelab:apps\.jellyfin\.version: "latest" is not allowed \(an exact release/),
            expect.stringMatching(/^homelab:wireguard\.endpoint: is missing \(/),
            expect.stringMatching(/^homelab:vm\.memoryMib: "memoryMib" is not a known key \(did you mean "memoryMiB"\?/),
        ]));
        expect(problems).toHaveLength(5);
    });

    it("throws one ConfigError whose message has one line per problem", () => {
        const values = committedConfig("prod");
        section(values, "vm")["cores"] = 0;
        section(values, "network")["gateway"] = "10.1.1.1";
        let caught: unknown;
        try {
            parseValues(values);
        } catch (error) {
            caught = error;
        }
        expect(caught).toBeInstanceOf(ConfigError);
        const lines = (caught as ConfigError).message.split("\n");
        expect(lines[0]).toBe("The stack configuration has 2 problems:");
        expect(lines.slice(1)).toEqual([
            expect.stringMatching(/^ {2}homelab:vm\.cores: 0 is out of range \(a whole number of cores from 1 to 64\)$/),
            expect.stringMatching(/^ {2}homelab:network\.gateway: 10\.1\.1\.1 is not a host of the LAN/),
        ]);
    });
});

describe("unknown keys", () => {
    it("rejects an unknown top-level key and names the known ones", () => {
        expect(problemsAfter("prod", (values) => {
            values["vmm"] = { id: 5 };
        })).toEqual([expect.stringMatching(/^homelab:vmm: "vmm" is not a known key \(did you mean "vm"\?.*known keys: proxmox, proxmoxApiToken/)]);
    });

    it("rejects a misspelt nested key without a suggestion when nothing is close", () => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "network")["nameservers"] = ["1.1.1.1"];
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:network\.nameservers: "nameservers" is not a known key \(known keys: lan, gateway, dns, bridge\)$/)]);
    });

    it("accepts the committed files, which use only known keys", () => {
        expect(problemsAfter("prod", () => undefined)).toEqual([]);
        expect(problemsAfter("dev", () => undefined)).toEqual([]);
    });
});

describe("addresses on the LAN", () => {
    it.each([
        ["vm.address outside the LAN", (values: Record<string, unknown>) => { section(values, "vm")["address"] = "192.168.2.89/24"; }, /^homelab:vm\.address: .* is outside the LAN/],
        ["vm.address with another prefix", (values: Record<string, unknown>) => { section(values, "vm")["address"] = "192.168.1.89/16"; }, /^homelab:vm\.address: .* has prefix \/16 but the LAN is/],
        ["vm.address on the gateway", (values: Record<string, unknown>) => { section(values, "vm")["address"] = "192.168.1.1/24"; }, /^homelab:vm\.address: .* is the gateway's address/],
        ["vm.address the broadcast address", (values: Record<string, unknown>) => { section(values, "vm")["address"] = "192.168.1.255/24"; }, /^homelab:vm\.address: .* is outside the LAN/],
        ["the gateway outside the LAN", (values: Record<string, unknown>) => { section(values, "network")["gateway"] = "192.168.0.1"; }, /^homelab:network\.gateway: .* is not a host of the LAN/],
        ["the container on the VM's address", (values: Record<string, unknown>) => { section(values, "wireguard")["address"] = "192.168.1.89/24"; }, /^homelab:wireguard\.address: .* is also homelab:vm\.address/],
        ["the container outside the LAN", (values: Record<string, unknown>) => { section(values, "wireguard")["address"] = "172.16.0.9/24"; }, /^homelab:wireguard\.address: .* is outside the LAN/],
        ["a LAN with host bits", (values: Record<string, unknown>) => { section(values, "network")["lan"] = "192.168.1.7/24"; }, /^homelab:network\.lan: "192\.168\.1\.7\/24" is not allowed \(a network in CIDR form/],
        ["a DNS server that is not an address", (values: Record<string, unknown>) => { section(values, "network")["dns"] = ["dns.local"]; }, /^homelab:network\.dns\[0\]: "dns\.local" is not allowed \(an IPv4 address/],
    ])("rejects %s", (_case, edit, expected) => {
        const problems = problemsAfter("prod", edit);
        expect(problems).toEqual([expect.stringMatching(expected)]);
    });

    it("accepts a VM and a container on other free LAN addresses", () => {
        expect(problemsAfter("prod", (values) => {
            section(values, "vm")["address"] = "192.168.1.20/24";
            section(values, "wireguard")["address"] = "192.168.1.21/24";
        })).toEqual([]);
    });
});

describe("guest ids", () => {
    it("rejects a container id equal to the VM id, and accepts distinct ids", () => {
        expect(problemsAfter("prod", (values) => {
            section(values, "wireguard")["containerId"] = 100;
        })).toEqual([expect.stringMatching(/^homelab:wireguard\.containerId: 100 is also the VM's id/)]);
        expect(problemsAfter("prod", (values) => {
            section(values, "wireguard")["containerId"] = 101;
        })).toEqual([]);
    });

    it("rejects a VMID below 100, which Proxmox reserves", () => {
        expect(problemsAfter("prod", (values) => {
            section(values, "vm")["id"] = 99;
        })).toEqual([expect.stringMatching(/^homelab:vm\.id: 99 is out of range \(a Proxmox VMID from 100/)]);
    });
});

describe("pinned versions", () => {
    // Navidrome's, Jellyfin's, Nextcloud's and NPM's tags are "X.Y.Z": no v, no floating "0.64".
    it.each(["latest", "", "3", "v3", "10.11.x", "0.64", "v0.63.2", "0.63.2-alpine"])("rejects %j for Navidrome", (version) => {
        expect(problemsAfter("prod", (values) => {
            section(section(values, "apps"), "navidrome")["version"] = version;
        })).toEqual([expect.stringMatching(/^homelab:apps\.navidrome\.version: .* \(an exact release "X\.Y\.Z" such as "10\.11\.11": major, minor and patch, without a leading v\)$/)]);
    });

    it.each([["nextcloud", "33.0"], ["jellyfin", "10.11"], ["nginxProxyManager", "v2.15.1"]])("refuses %s %j, naming its key", (app, version) => {
        expect(problemsAfter("prod", (values) => {
            section(section(values, "apps"), app)["version"] = version;
        })).toEqual([expect.stringMatching(new RegExp(`^homelab:apps\\.${app}\\.version: .* \\(an exact release "X\\.Y\\.Z"`))]);
    });

    it.each(["3.2.4", "v3.2", "v3"])("refuses the Immich version %j: its tags are vX.Y.Z", (version) => {
        expect(problemsAfter("prod", (values) => {
            section(section(values, "apps"), "immich")["version"] = version;
        })).toEqual(expect.arrayContaining([expect.stringMatching(/^homelab:apps\.immich\.version: .* \(an exact Immich release "vX\.Y\.Z"/)]));
    });

    it.each(["0.63.2", "0.64.0"])("accepts %j (with a digest)", (version) => {
        expect(problemsAfter("prod", (values) => {
            Object.assign(section(section(values, "apps"), "navidrome"), { version, digest: `sha256:${"b".repeat(64)}` });
        })).toEqual([]);
    });
});

describe("secrets", () => {
    it("rejects an API token stored in plain text", () => {
        const values = committedConfig("prod");
        expect(() => parseValues(values, { allowPlaceholders: true }, new Set())).toThrow(/homelab:proxmoxApiToken: is stored in plain text \(remove it and set it again with `npm run -s pulumi -- config set --secret proxmoxApiToken`\)/);
        expect(() => parseValues(values, { allowPlaceholders: true }, new Set(["proxmoxApiToken", "resticPassword"]))).not.toThrow();
    });

    it("rejects a missing or malformed API token", () => {
        expect(problemsAfter("prod", (values) => {
            delete values["proxmoxApiToken"];
        })).toEqual([expect.stringMatching(/^homelab:proxmoxApiToken: is missing \(a token such as pulumi@pve!homelab=/)]);
        expect(problemsAfter("prod", (values) => {
            values["proxmoxApiToken"] = "root:secret";
        })).toEqual([expect.stringMatching(/^homelab:proxmoxApiToken: is not valid \(the value is not shown: it is a secret\) \(a token such as pulumi@pve!homelab=/)]);
    });
});

describe("placeholders", () => {
    it("refuses the committed placeholders outside the offline plan, naming each", () => {
        const problems = problemsAfter("prod", () => undefined, {});
        expect(problems).toEqual([
            expect.stringMatching(/^homelab:vm\.sshPublicKeys\[0\]: is the committed placeholder/),
            expect.stringMatching(/^homelab:dataDisk\.usbId: 059f:0000 is the committed placeholder/),
            expect.stringMatching(/^homelab:wireguard\.endpoint: vpn\.example\.com is a placeholder/),
            expect.stringMatching(/^homelab:apps\.nginxProxyManager\.adminEmail: admin@example\.com is a placeholder/),
        ]);
    });

    it("accepts the owner's real values", () => {
        expect(problemsAfter("prod", (values) => {
            section(values, "vm")["sshPublicKeys"] = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq owner@laptop"];
            section(values, "dataDisk")["usbId"] = "059f:1052";
            section(values, "wireguard")["endpoint"] = "home.owner.net";
            section(section(values, "apps"), "nginxProxyManager")["adminEmail"] = "owner@owner.net";
        }, {})).toEqual([]);
    });
});

describe("memory budget", () => {
    it("rejects apps that need more than the VM minus 1 GiB for the OS, and says by how much and what to do", () => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "vm")["memoryMiB"] = 8192;
        });
        // Defaults: 1536 + 384 + 4096 + 2240 + 384 = 8640 > 8192 - 1024 = 7168.
        expect(problems).toEqual([expect.stringMatching(/^homelab:apps: the enabled apps need 8640 MiB \(.*immich 4096.*\) but the VM leaves them 7168 MiB .*give the VM at least 9664 MiB.*machineLearning to false \(saves at least 2560 MiB\)/)]);
    });

    it("counts only enabled apps", () => {
        expect(problemsAfter("prod", (values) => {
            section(values, "vm")["memoryMiB"] = 8192;
            section(section(values, "apps"), "jellyfin")["enabled"] = false;
            section(section(values, "apps"), "navidrome")["enabled"] = false;
        })).toEqual([]);
    });
});
