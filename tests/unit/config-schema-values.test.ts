// The schema value by value: each pattern is anchored at both ends, each range holds at its edges,
// each default is the one the docs give, and each message says what it is about. Every case sets one
// key of a committed stack and looks only at the problems of that key, so the cross-field rules
// (which answer at other keys) do not blur what the schema itself decides.
import { DEFAULT_IMAGE_DIGESTS } from "../../stacks/config-schema-images";
import { committedConfig, parseValues, problemsAfter } from "../helpers/config";

type Stack = "prod" | "dev";

function setAt(values: Record<string, unknown>, key: string, value: unknown): void {
    const parts = key.split(".");
    let current = values;
    for (const part of parts.slice(0, -1)) {
        if (current[part] === null || typeof current[part] !== "object") {
            current[part] = {};
        }
        current = current[part] as Record<string, unknown>;
    }
    if (value === undefined) {
        delete current[parts[parts.length - 1]!];
    } else {
        current[parts[parts.length - 1]!] = value;
    }
}

/** The problems the schema reports at `key` (or inside it) once `key` is set to `value`. */
function problemsAt(key: string, value: unknown, stack: Stack = "prod"): string[] {
    return problemsAfter(stack, (values) => setAt(values, key, value)).filter((problem) => problem.startsWith(`homelab:${key}: `) || problem.startsWith(`homelab:${key}[`) || problem.startsWith(`homelab:${key}.`));
}

const TOKEN = "pulumi@pve!homelab=0123abcd-0123-4567-89ab-0123456789ab";
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl you@laptop";
const ENGINE = "5:28.5.2-1~ubuntu.24.04~noble";
const long = (label: string, count: number) => Array.from({ length: count }, () => label).join(".");

// [key, value, stack?]: each accepted value must give no problem at its key.
const ACCEPTED: readonly (readonly [string, unknown, Stack?])[] = [
    ["proxmox.endpoint", "https://192.168.1.120:8006"],
    ["proxmox.endpoint", "https://pve.home.arpa/"],
    ["proxmox.endpoint", "https://pve.home.arpa"],
    ["proxmox.node", "p"],
    ["proxmox.filesDatastore", "local2"],
    ["proxmox.ssh.username", "root"],
    ["network.dns", ["192.168.1.1", "192.168.1.2", "192.168.1.3"]],
    ["network.bridge", "vmbr10"],
    ["vm.sshPublicKeys", [ED25519, ED25519.replace("you@laptop", "phone")]],
    ["vm.cpuType", "x86-64-v2-AES", "dev"], // dev runs Immich without machine learning, which needs AVX
    ["vm.cpuType", "x86-64-v3", "dev"], // dev runs Immich without machine learning, which needs AVX
    ["vm.cpuType", "x86-64-v4", "dev"], // dev runs Immich without machine learning, which needs AVX
    ["vm.cpuType", "host", "dev"], // dev runs Immich without machine learning, which needs AVX
    ["vm.timezone", "UTC"],
    ["vm.timezone", "Europe/Paris"],
    ["vm.timezone", "America/Argentina/Buenos_Aires"],
    ["vm.timezone", "Etc/GMT+5"],
    ["vm.user", "ab"],
    ["dataDisk.sizeGiB", 4096, "dev"],
    ["docker.logMaxSizeMiB", 1],
    ["docker.logMaxSizeMiB", 10],
    ["docker.logMaxSizeMiB", 1024],
    ["docker.logMaxFiles", 1],
    ["docker.logMaxFiles", 3],
    ["docker.logMaxFiles", 100],
    ["docker.engineVersion", "10:28.5.2-1~ubuntu.24.04~noble"],
    ["docker.engineVersion", "5:28.5.2-12~ubuntu.24.04~noble"],
    ["docker.engineVersion", "28.5.2-1~ubuntu.24.04~noble"],
    ["wireguard.mtu", 1280],
    ["wireguard.mtu", 1420],
    ["wireguard.mtu", 1500],
    ["wireguard.dns", ["192.168.1.1", "192.168.1.2"]],
    ["wireguard.dns", ["192.168.1.1", "192.168.1.2", "192.168.1.3"]],
    ["wireguard.peers", [{ name: "phone", routing: "split" }, { name: "laptop", routing: "full" }]],
    ["apps.jellyfin.hostname", "x.home.arpa"],
    ["apps.jellyfin.hostname", "jellyfin.x"],
    ["proxmoxApiToken", TOKEN],
    ["vm.sshPublicKeys", [ED25519.replace(" you@laptop", "")]],
];

// [key, value, why, stack?]: each refused value must give a problem at its key.
const REFUSED: readonly (readonly [string, unknown, string, Stack?])[] = [
    ["proxmox.endpoint", "xhttps://192.168.1.120:8006", "text before https://"],
    ["proxmox.endpoint", "https://pve.home.arpa/api", "a path after the host"],
    ["proxmox.node", "-pve", "a leading hyphen"],
    ["proxmox.node", "pve-", "a trailing hyphen"],
    ["proxmox.filesDatastore", "1local", "a leading digit"],
    ["proxmox.filesDatastore", "local!", "a trailing character outside the id's"],
    ["proxmox.ssh.username", "1root", "a leading digit"],
    ["proxmox.ssh.username", "root!", "a trailing character outside a user name's"],
    ["network.gateway", "192.168.1.300", "an octet over 255"],
    ["vm.address", "192.168.1.300/24", "an octet over 255, with a prefix"],
    ["network.dns", [], "no server"],
    ["network.dns", ["192.168.1.1", "192.168.1.2", "192.168.1.3", "192.168.1.4"], "four servers"],
    ["network.bridge", "my bridge", "a space"],
    ["vm.cloudImage.url", "xhttps://cloud-images.ubuntu.com/releases/noble/release-20260814/a.img", "text before https://"],
    ["vm.cloudImage.url", "https://cloud-images.ubuntu.com/releases/noble/release-20260814/a.img.sig", "a name not ending in .img"],
    ["vm.cloudImage.sha256", "0".repeat(65), "65 hex digits"],
    ["vm.datastore", "1local", "a leading digit"],
    ["vm.datastore", "local-lvm!", "a trailing character outside the id's"],
    ["vm.user", "1admin", "a leading digit"],
    ["vm.user", "admin!", "a trailing character outside a user name's"],
    ["vm.user", "root", "root"],
    ["vm.sshPublicKeys", [], "no key"],
    ["vm.sshPublicKeys", [`command="x" ${ED25519}`], "options before the key type"],
    ["vm.sshPublicKeys", ["ssh-ed25519 AAAA#"], "a character outside base64 after the key"],
    ["vm.sshPublicKeys", ["ssh-ed25519 AAAA "], "a space and no comment after the key"],
    ["vm.timezone", "1Europe/Paris", "a leading digit"],
    ["vm.timezone", "Europe/Paris!", "a trailing character outside a zone name's"],
    ["vm.timezone", "Europe/", "an empty last part"],
    ["dataDisk.usbId", "059f:12345", "five hex digits for the product"],
    ["dataDisk.usbId", "0059f:1234", "five hex digits for the vendor"],
    ["dataDisk.sizeGiB", 4097, "over 4096", "dev"],
    ["dataDisk.sizeGiB", 0, "under 1", "dev"],
    ["docker.logMaxSizeMiB", 1025, "over 1024"],
    ["docker.logMaxSizeMiB", 0, "under 1"],
    ["docker.logMaxFiles", 101, "over 100"],
    ["docker.logMaxFiles", 0, "under 1"],
    ["docker.engineVersion", `x${ENGINE}`, "text before the version"],
    ["docker.engineVersion", `${ENGINE}1`, "text after noble"],
    ["wireguard.mtu", 1279, "under 1280"],
    ["wireguard.mtu", 1501, "over 1500"],
    ["wireguard.dns", [], "no server"],
    ["wireguard.dns", ["192.168.1.1", "192.168.1.2", "192.168.1.3", "192.168.1.4"], "four servers"],
    ["wireguard.peers", [{ name: "-phone" }], "a leading hyphen"],
    ["wireguard.peers", [{ name: "phone!" }], "a trailing character outside a peer name's"],
    ["apps.jellyfin.hostname", `${long("a", 127)}.bb`, "254 characters"],
    ["apps.immich.version", "xv3.2.4", "text before the v"],
    ["apps.immich.version", "v3.2.4x", "text after the patch"],
    ["proxmoxApiToken", ` ${TOKEN}`, "a leading space"],
    ["proxmoxApiToken", `${TOKEN}0`, "a 37-character secret"],
    ["sshPrivateKey", "x-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "text before the BEGIN line"],
];

describe("the schema, value by value", () => {
    // Every row gets its stack: jest hands a shorter row's test a done callback in the missing place.
    it.each(ACCEPTED.map(([key, value, stack]) => [key, value, stack ?? "prod"] as const))("accepts %s = %j in %s", (key, value, stack) => {
        expect(problemsAt(key, value, stack)).toEqual([]);
    });

    it.each(REFUSED.map(([key, value, why, stack]) => [key, value, why, stack ?? "prod"] as const))("refuses %s = %j (%s) in %s", (key, value, _why, stack) => {
        // The schema's own wording, "<what is wrong> (<what is allowed>)": a rule answering at the same key does not count.
        const schemaProblem = /^homelab:\S+: (.+ is not allowed|.+ is out of range|has \d+ entries|is not valid \(the value is not shown: it is a secret\)|.+ is not a valid \w+) \(.{12,}\)$/;
        expect(problemsAt(key, value, stack).filter((problem) => schemaProblem.test(problem))).not.toEqual([]);
    });

    it("accepts every Immich release form the rule allows: multi-digit major, minor and patch", () => {
        // Only the schema's problem: a release without a known database image is also refused, by a rule.
        for (const version of ["v10.2.4", "v3.20.4", "v3.2.40"]) {
            expect(problemsAt("apps.immich.version", version).filter((problem) => problem.includes("an exact Immich release"))).toEqual([]);
        }
    });

    it("accepts a PKCS#8 key, whose BEGIN line has no algorithm word", () => {
        const key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
        expect(problemsAt("sshPrivateKey", key)).toEqual([]);
    });
});

describe("the schema's defaults, for keys a stack leaves out", () => {
    let parsed: ReturnType<typeof parseValues>;
    beforeAll(() => {
        const values = committedConfig("prod");
        for (const key of ["proxmox.insecure", "proxmox.filesDatastore", "proxmox.ssh.username", "network.bridge", "vm.datastore", "vm.user", "vm.timezone", "wireguard.subnet", "wireguard.peers", "protect"]) {
            setAt(values, key, undefined);
        }
        parsed = parseValues(values);
    });

    it("are the documented ones", () => {
        expect(parsed.proxmox.insecure).toBe(false);
        expect(parsed.proxmox.filesDatastore).toBe("local");
        expect(parsed.proxmox.ssh.username).toBe("root");
        expect(parsed.network.bridge).toBe("vmbr0");
        expect(parsed.vm.datastore).toBe("local-lvm");
        expect(parsed.vm.user).toBe("homelab");
        expect(parsed.vm.timezone).toBe("Etc/UTC");
        expect(parsed.wireguard.subnet).toBe("10.8.0.0/24");
        expect(parsed.wireguard.peers).toEqual([]);
        expect(parsed.protect).toBe(true);
    });

    it("give each app the digest of its default image when the stack sets none", () => {
        const values = committedConfig("prod");
        setAt(values, "apps.nextcloud.digest", undefined);
        expect(parseValues(values).apps.nextcloud.digest).toBe(DEFAULT_IMAGE_DIGESTS.nextcloud);
    });
});

describe("the schema's messages", () => {
    it("say a required key is missing, and what it takes", () => {
        expect(problemsAt("vm.address", undefined)).toEqual(["homelab:vm.address: is missing (an address with its prefix length, such as 192.168.1.89/24)"]);
    });

    it("count a list's entries when it is too short, and say what the list takes", () => {
        expect(problemsAt("network.dns", [])).toEqual(["homelab:network.dns: has 0 entries (a list of 1-3 IPv4 addresses)"]);
        expect(problemsAt("wireguard.dns", [])).toEqual(["homelab:wireguard.dns: has 0 entries (a list of 1-3 IPv4 addresses)"]);
        expect(problemsAt("vm.sshPublicKeys", [])).toEqual(["homelab:vm.sshPublicKeys: has 0 entries (a list of at least one OpenSSH public key)"]);
        expect(problemsAt("wireguard.peers", "phone")).toEqual(['homelab:wireguard.peers: "phone" is not a valid array (a list of peers)']);
    });

    it("say what an address must be, at the entry that is not one", () => {
        expect(problemsAt("network.dns", ["192.168.1.300"])).toEqual(['homelab:network.dns[0]: "192.168.1.300" is not allowed (an IPv4 address such as 192.168.1.1)']);
    });

    it("say what a private key must be without showing it", () => {
        expect(problemsAt("sshPrivateKey", "nope")).toEqual([
            "homelab:sshPrivateKey: is not valid (the value is not shown: it is a secret) (an OpenSSH or PEM private key, set with `npm run -s pulumi -- config set --secret sshPrivateKey -- \"$(cat key)\"`)",
        ]);
    });

    it("give each unknown key of a section its own problem, at its own path", () => {
        expect(problemsAt("docker", { logMaxFiles: 3, colour: 1, flavour: 2 })).toEqual([
            'homelab:docker.colour: "colour" is not a known key (known keys: logMaxSizeMiB, logMaxFiles, engineVersion, containerdVersion, composeVersion)',
            'homelab:docker.flavour: "flavour" is not a known key (known keys: logMaxSizeMiB, logMaxFiles, engineVersion, containerdVersion, composeVersion)',
        ]);
    });

    it("show a value of up to 60 characters whole, and a longer one cut to 57 and an ellipsis", () => {
        // Lengths of the JSON text, quotes included: 57 + "!" + 2 quotes is 60; one more is cut to its first 57 (a quote and 56).
        expect(problemsAt("vm.timezone", `${"x".repeat(58)}!`)).toEqual([`homelab:vm.timezone: "${"x".repeat(56)}... is not allowed (an IANA time zone such as Europe/Paris)`]);
        expect(problemsAt("vm.timezone", `${"x".repeat(57)}!`)).toEqual([`homelab:vm.timezone: "${"x".repeat(57)}!" is not allowed (an IANA time zone such as Europe/Paris)`]);
    });

    it("say a YAML number is not a version, and to quote it", () => {
        const [problem] = problemsAt("apps.jellyfin.version", 10.1);
        expect(problem).toMatch(/^homelab:apps\.jellyfin\.version: 10\.1 is a YAML number, not a version: unquoted, .*write the version in quotes.*"X\.Y\.Z"/);
    });

    it("say what a section must be when it is not an object, naming its keys", () => {
        expect(problemsAt("docker", "big")).toEqual([
            'homelab:docker: "big" is not a valid object (an object with the keys logMaxSizeMiB, logMaxFiles, engineVersion, containerdVersion, composeVersion)',
        ]);
    });

    it("suggest a known key for a near miss: another case, up to two edits, but not three", () => {
        const suggestion = (typed: string) => /did you mean "(\w+)"\?/.exec(problemsAt("proxmox", { ...committedConfig("prod")["proxmox"] as object, [typed]: "x" }).join(" "))?.[1];
        expect(suggestion("NODE")).toBe("node");
        expect(suggestion("nodexy")).toBe("node");
        expect(suggestion("nodxyz")).toBeUndefined();
        expect(suggestion("zzzzzzz")).toBeUndefined();
    });

    it("give the virtual data disk's size its own allowed range", () => {
        expect(problemsAt("dataDisk.sizeGiB", 0, "dev")).toEqual(["homelab:dataDisk.sizeGiB: 0 is out of range (a whole number of GiB from 1 to 4096)"]);
    });
});
