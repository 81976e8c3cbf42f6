// The app rules of the stack configuration: each rule fails on bad input and passes on good input.
import { IMMICH_RELEASES } from "../../components/apps/immich-releases";
import { minimumTotalMiB, splitMemory } from "../../components/apps/memory";
import type { MemoryShares } from "../../components/apps/memory";
import { PROXY_NETWORK_SUBNET } from "../../components/docker/networks";
import { formatProblem } from "../../stacks/parse-config";
import { appsOf, validateEditedStack } from "../helpers/config";

const keysOf = (problems: readonly { key: string }[]) => problems.map((problem) => problem.key);

describe("app hostnames", () => {
    test.each(["Jellyfin.home.arpa", "jellyfin_home.arpa", "jellyfin.home.arpa.", "-jellyfin.home.arpa", "https://jellyfin.home.arpa"])("%s is not a DNS name", (hostname) => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["jellyfin"]!["hostname"] = hostname;
        });
        expect(keysOf(problems)).toEqual(["apps.jellyfin.hostname"]);
        expect(problems[0]!.message).toContain("a DNS name");
    });

    test("a multi-label lower-case name is accepted", () => {
        const { problems, config } = validateEditedStack("prod", (edited) => {
            appsOf(edited)["jellyfin"]!["hostname"] = "media-1.lan.example.org";
        });
        expect(problems).toEqual([]);
        expect(config?.apps.jellyfin.hostname).toBe("media-1.lan.example.org");
    });

    test("two enabled apps on one hostname are refused, naming the first owner", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["navidrome"]!["hostname"] = "jellyfin.home.arpa";
        });
        expect(keysOf(problems)).toEqual(["apps.navidrome.hostname"]);
        expect(formatProblem(problems[0]!)).toMatch(/^homelab:apps\.navidrome\.hostname: "jellyfin\.home\.arpa" is already the hostname of apps\.jellyfin/);
    });

    test("a disabled app may keep a hostname another app uses", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["navidrome"]!["hostname"] = "jellyfin.home.arpa";
            appsOf(config)["navidrome"]!["enabled"] = false;
        });
        expect(problems).toEqual([]);
    });
});

describe("memory budget", () => {
    test("apps needing more than the VM minus 1 GiB for the OS are refused, with the numbers and the choices", () => {
        // prod: 10240 - 1024 = 9216 MiB for apps; the defaults use 8640, so +577 MiB tips it over.
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["memoryMiB"] = 4096 + 577;
        });
        expect(keysOf(problems)).toEqual(["apps"]);
        expect(problems[0]!.message).toContain("need 9217 MiB");
        expect(problems[0]!.message).toContain("leaves them 9216 MiB");
        expect(problems[0]!.message).toContain("give the VM at least 10241 MiB");
        expect(problems[0]!.message).toContain("homelab:apps.immich.machineLearning to false (saves at least 2560 MiB)");
    });

    test("exactly the budget is accepted", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["memoryMiB"] = 4096 + 576;
        });
        expect(problems).toEqual([]);
    });

    test("the 8 GiB VM cannot hold every app with machine learning; without it, it can", () => {
        const withMachineLearning = validateEditedStack("prod", (config) => {
            (config["homelab:vm"] as Record<string, unknown>)["memoryMiB"] = 8192;
        });
        expect(keysOf(withMachineLearning.problems)).toEqual(["apps"]);
        expect(withMachineLearning.problems[0]!.message).toContain("need 8640 MiB");
        const without = validateEditedStack("prod", (config) => {
            (config["homelab:vm"] as Record<string, unknown>)["memoryMiB"] = 8192;
            appsOf(config)["immich"]!["machineLearning"] = false;
            appsOf(config)["immich"]!["memoryMiB"] = 1536;
        });
        expect(without.problems).toEqual([]);
    });

    test("disabling an app frees its memory", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["memoryMiB"] = 5000;
            appsOf(config)["jellyfin"]!["enabled"] = false;
        });
        expect(problems).toEqual([]);
    });

    // The schema's minimum per app (config-schema.ts) must leave every container its floor.
    test.each([
        ["jellyfin", 512],
        ["navidrome", 128],
        ["immich", 1344],
        ["nextcloud", 2240],
        ["nginxProxyManager", 128],
    ] as const)("%s: the schema's minimum %i MiB is enforced and splits above every container's floor", (app: keyof MemoryShares, minimum: number) => {
        // Immich's schema minimum is the one without machine learning (a rule checks the other).
        const withoutMachineLearning = (config: Record<string, unknown>) => {
            if (app === "immich") {
                appsOf(config)["immich"]!["machineLearning"] = false;
            }
        };
        const below = validateEditedStack("prod", (config) => {
            withoutMachineLearning(config);
            appsOf(config)[app]!["memoryMiB"] = minimum - 1;
        });
        expect(keysOf(below.problems)).toEqual([`apps.${app}.memoryMiB`]);
        const at = validateEditedStack("prod", (config) => {
            withoutMachineLearning(config);
            appsOf(config)[app]!["memoryMiB"] = minimum;
        });
        expect(at.problems).toEqual([]);
        const split = app === "immich" ? "immichWithoutMachineLearning" : app;
        expect(minimumTotalMiB(split)).toBe(minimum);
        expect(() => splitMemory(split, minimum)).not.toThrow();
    });
});

describe("Immich version", () => {
    test("a release line without known database images is refused, naming the known ones", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["version"] = "v3.3.0";
        });
        expect(keysOf(problems)).toEqual(["apps.immich.version"]);
        expect(problems[0]!.message).toContain("has no known database image");
        expect(problems[0]!.message).toContain("v3.2.2, v3.2.4");
    });

    test("an old line the table leaves out (v2, whose Valkey digest apps.md does not give) is refused", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["version"] = "v2.7.5";
        });
        expect(keysOf(problems)).toEqual(["apps.immich.version"]);
    });

    test("a version without the leading v names no image and says so", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["version"] = "3.2.4";
        });
        expect(keysOf(problems)).toEqual(["apps.immich.version"]);
        expect(problems[0]!.message).toContain("with the leading v");
        expect(problems[0]!.message).toMatch(/an exact Immich release "vX\.Y\.Z"/);
    });

    test.each(IMMICH_RELEASES.map((release) => release.version))("%s is accepted (with its images' digests)", (version) => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["version"] = version;
            appsOf(config)["immich"]!["imageDigests"] = { server: `sha256:${"b".repeat(64)}`, machineLearning: `sha256:${"c".repeat(64)}` };
        });
        expect(problems).toEqual([]);
    });

    test("a disabled Immich's version is not checked against the table", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["version"] = "v9.9.9";
            appsOf(config)["immich"]!["enabled"] = false;
        });
        expect(problems).toEqual([]);
    });
});

describe("Immich's machine learning", () => {
    test("below machine learning's floor the Immich budget is refused, naming the key and the way out", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["memoryMiB"] = 3903;
        });
        expect(keysOf(problems)).toEqual(["apps.immich.memoryMiB"]);
        expect(problems[0]!.message).toBe("3903 MiB is below the 3904 MiB Immich needs with machine learning (at least 3904 MiB; or set homelab:apps.immich.machineLearning to false, which needs 1344 MiB)");
        const off = validateEditedStack("prod", (config) => {
            appsOf(config)["immich"]!["memoryMiB"] = 3903;
            appsOf(config)["immich"]!["machineLearning"] = false;
        });
        expect(off.problems).toEqual([]);
    });

    test("the CPU type x86-64-v2-AES, which hides AVX, is refused while machine learning runs", () => {
        const { problems } = validateEditedStack("prod", (config) => {
            (config["homelab:vm"] as Record<string, unknown>)["cpuType"] = "x86-64-v2-AES";
        });
        expect(keysOf(problems)).toEqual(["vm.cpuType"]);
        expect(problems[0]!.message).toContain("hides AVX");
        const off = validateEditedStack("prod", (config) => {
            (config["homelab:vm"] as Record<string, unknown>)["cpuType"] = "x86-64-v2-AES";
            appsOf(config)["immich"]!["machineLearning"] = false;
        });
        expect(off.problems).toEqual([]);
    });

    test("the VM's CPU type defaults to host", () => {
        expect(validateEditedStack("prod", () => undefined).config?.vm.cpuType).toBe("host");
    });
});

describe("Nginx Proxy Manager's admin e-mail", () => {
    test("is lower-cased: NPM lower-cases the login identity, and a capital would lock the owner out", () => {
        const { problems, config } = validateEditedStack("prod", (edited) => {
            appsOf(edited)["nginxProxyManager"]!["adminEmail"] = "Owner@Home.Example";
        });
        expect(problems).toEqual([]);
        expect(config?.apps.nginxProxyManager.adminEmail).toBe("owner@home.example");
    });

    test("a text that is no e-mail is still refused, naming the key", () => {
        const { problems } = validateEditedStack("prod", (edited) => {
            appsOf(edited)["nginxProxyManager"]!["adminEmail"] = "Owner at home";
        });
        expect(keysOf(problems)).toEqual(["apps.nginxProxyManager.adminEmail"]);
    });
});

describe("the Docker proxy network", () => {
    test(`a WireGuard subnet overlapping ${PROXY_NETWORK_SUBNET} is refused`, () => {
        const { problems } = validateEditedStack("prod", (config) => {
            (config["homelab:wireguard"] as Record<string, unknown>)["subnet"] = "172.30.0.0/16";
        });
        expect(keysOf(problems)).toEqual(["wireguard.subnet"]);
        expect(problems[0]!.message).toContain("overlaps the Docker proxy network");
    });

    test(`a LAN overlapping ${PROXY_NETWORK_SUBNET} is refused`, () => {
        const { problems } = validateEditedStack("prod", (config) => {
            config["homelab:network"] = { lan: "172.16.0.0/12", gateway: "172.16.0.1", dns: ["172.16.0.1"], bridge: "vmbr0" };
            (config["homelab:vm"] as Record<string, unknown>)["address"] = "172.16.1.89/12";
            (config["homelab:wireguard"] as Record<string, unknown>)["address"] = "172.16.1.90/12";
        });
        expect(keysOf(problems)).toEqual(["network.lan"]);
    });

    test("the committed stacks stay clear of it", () => {
        expect(validateEditedStack("prod", () => undefined).problems).toEqual([]);
        expect(validateEditedStack("dev", () => undefined).problems).toEqual([]);
    });
});
