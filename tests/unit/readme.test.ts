// The README is the way in and docs/ the manual: their commands must exist, their links must
// resolve, the real-use steps must run top to bottom, and the key table must be complete.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { DEFAULT_DOCKER_SSH_OPTIONS } from "../../components/docker/networks";
import { SECRET_KEYS, stackConfigSchema } from "../../stacks/config-schema";
import { PROJECT_ROOT } from "../../tools/paths";
import { committedConfig, parseValues, problemsAfter } from "../helpers/config";
import { codeLines, documentPaths, headingSlugs, readDocument, relativeLinks, section } from "../helpers/markdown";
import { leafKeys } from "../helpers/schema-keys";

/** The dev VM's address without its prefix, as Pulumi.dev.yaml sets it. */
function committedDevVmAddress(): string {
    return parseValues(committedConfig("dev")).vm.address.split("/")[0]!;
}

const readme = readDocument("README.md");
const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** One ordering rule of the real-use steps: the first line matching `first` comes before any matching `then`. */
interface OrderRule {
    readonly first: RegExp;
    readonly then: RegExp;
    /** Why `then` needs `first`. */
    readonly because: string;
}

const REAL_USE_ORDER: readonly OrderRule[] = [
    { first: /export PULUMI_CONFIG_PASSPHRASE\b/, then: /npm run -s pulumi -- /, because: "every pulumi command after login needs the passphrase" },
    { first: /pulumi -- login /, then: /pulumi -- stack init /, because: "a stack lives in a backend" },
    { first: /pulumi -- stack init dev /, then: /pulumi -- config set .*--stack dev/, because: "config set needs the stack" },
    { first: /pulumi -- stack init prod /, then: /pulumi -- config set .*--stack prod/, because: "config set needs the stack" },
    { first: /pveum user token add /, then: /config set --secret proxmoxApiToken/, because: "the token's secret is printed by token add" },
    { first: /pvesm set /, then: /pulumi -- (preview|up) /, because: "the image download needs the import content type" },
    { first: /ssh-copy-id root@/, then: /pulumi -- (preview|up) /, because: "the snippet upload needs SSH to the host" },
    { first: /homelab:wireguard\.endpoint/, then: /pulumi -- (preview|up) /, because: "a preview refuses the placeholder endpoint" },
    { first: /pulumi -- up --stack dev/, then: /pulumi -- (preview|up) --stack prod/, because: "dev goes first" },
    { first: /pulumi -- up --stack dev/, then: /--expect-no-changes/, because: "the zero-diff check follows the up" },
];

/** The rules the command lines break: a `then` line before its `first`, or a `first` that is missing. */
function orderProblems(lines: readonly string[], rules: readonly OrderRule[]): string[] {
    return rules.flatMap((rule) => {
        const first = lines.findIndex((line) => rule.first.test(line));
        const then = lines.findIndex((line) => rule.then.test(line));
        if (first < 0) {
            return [`missing ${rule.first.source} (${rule.because})`];
        }
        return then >= 0 && then < first ? [`"${lines[then]!.trim()}" comes before ${rule.first.source} (${rule.because})`] : [];
    });
}

/** `pulumi config set` lines that set a nested homelab key without --path (which writes a flat key). */
function flatConfigSets(lines: readonly string[]): string[] {
    return lines.filter((line) => /pulumi -- config set /.test(line) && /['"]?homelab:[A-Za-z]+\./.test(line) && !line.includes("--path"));
}

describe("README.md", () => {
    it("sets up with exactly two commands, npm ci then npm test", () => {
        const quickStart = section(readme, "## Quick start (offline, no Proxmox needed)");
        const firstBlock = /```sh\n([\s\S]*?)```/.exec(quickStart)?.[1];
        expect(firstBlock?.trim().split("\n")).toEqual(["npm ci", "npm test"]);
    });

    it("saves a plan with --out before comparing against it with --before (what tests/system/plan-cli runs)", () => {
        const lines = codeLines(section(readme, "## Quick start (offline, no Proxmox needed)"));
        const save = lines.findIndex((line) => line.startsWith("npm run plan -- --stack prod --json --out plan.json"));
        const compare = lines.findIndex((line) => line.startsWith("npm run plan -- --stack prod --before plan.json"));
        expect(save).toBeGreaterThanOrEqual(0);
        expect(compare).toBeGreaterThan(save);
        expect(documentPaths().flatMap((path) => codeLines(readDocument(path)).filter((line) => /npm run plan .*--json.*>/.test(line)))).toEqual([]);
    });

    it("sets, per committed stack, every secret that stack cannot do without", () => {
        // A secret is required when the stack's config, without it, has a problem naming it.
        const setLines = codeLines(section(readme, "### 3. Fill in your values and secrets"));
        for (const stack of ["prod", "dev"]) {
            const required = SECRET_KEYS.filter((key) => problemsAfter(stack, (values) => {
                delete values[key];
            }).some((line) => line.startsWith(`homelab:${key}:`)));
            expect(required).toEqual(expect.arrayContaining(["proxmoxApiToken", "resticPassword"]));
            for (const key of required) {
                expect(setLines.filter((line) => line.includes(`config set --secret ${key} `) && line.includes(`--stack ${stack}`))).toHaveLength(1);
            }
        }
    });

    it("lists every committed stack's static addresses for the owner to keep out of DHCP", () => {
        const table = section(readme, "#### Keep the static addresses out of DHCP");
        for (const stack of ["prod", "dev"]) {
            const config = parseValues(committedConfig(stack));
            const row = table.split("\n").find((line) => line.startsWith(`| ${stack} |`));
            expect(row).toBe(`| ${stack} | ${config.vm.address.split("/")[0]!} | ${config.wireguard.address.split("/")[0]!} |`);
        }
    });

    describe("the real-use steps, read top to bottom", () => {
        const realUse = codeLines(section(readme, "## Real use: from zero to `pulumi up`"));

        it("the order check catches the old mistakes: the token set before stack init, prod before dev", () => {
            const oldOrder = [
                "pveum user token add pulumi@pve homelab --privsep 0",
                "npm run -s pulumi -- config set --secret proxmoxApiToken 'pulumi@pve!homelab=x' --stack prod",
                "npm run -s pulumi -- login file://~",
                "export PULUMI_CONFIG_PASSPHRASE='a long passphrase'",
                "npm run -s pulumi -- stack init prod --secrets-provider passphrase",
                "npm run -s pulumi -- up --stack prod",
            ];
            const problems = orderProblems(oldOrder, REAL_USE_ORDER);
            expect(problems).toContain(`"npm run -s pulumi -- config set --secret proxmoxApiToken 'pulumi@pve!homelab=x' --stack prod" comes before pulumi -- stack init prod  (config set needs the stack)`);
            expect(problems).toContain(`"npm run -s pulumi -- config set --secret proxmoxApiToken 'pulumi@pve!homelab=x' --stack prod" comes before export PULUMI_CONFIG_PASSPHRASE\\b (every pulumi command after login needs the passphrase)`);
            expect(problems).toContain("missing homelab:wireguard\\.endpoint (a preview refuses the placeholder endpoint)");
        });

        it("run every command after what it needs", () => {
            expect(realUse.length).toBeGreaterThan(20);
            expect(orderProblems(realUse, REAL_USE_ORDER)).toEqual([]);
        });

        it("set nested keys with --path, which the flat-key check would otherwise refuse", () => {
            expect(flatConfigSets(["npm run -s pulumi -- config set homelab:vm.memoryMiB 8192 --stack dev"])).toHaveLength(1);
            expect(realUse.some((line) => line.includes("config set --path 'homelab:"))).toBe(true);
            expect(documentPaths().flatMap((path) => flatConfigSets(codeLines(readDocument(path))))).toEqual([]);
        });

        it("say that the passphrase is needed in every shell and must be backed up with ~/.pulumi", () => {
            const text = section(readme, "### 2. Log in to a state backend and create the stacks").replace(/\s+/g, " ");
            expect(text).toContain("Every shell that runs `npm run -s pulumi` needs `PULUMI_CONFIG_PASSPHRASE`");
            expect(text).toContain("Back up `~/.pulumi` and the passphrase together");
        });

        it("give both stacks' memory and disk together, from the committed stack files", () => {
            const before = section(readme, "### 0. Before you start");
            const prod = parseValues(committedConfig("prod"));
            const dev = parseValues(committedConfig("dev"));
            const memory = prod.vm.memoryMiB + prod.wireguard.memoryMiB + dev.vm.memoryMiB + dev.wireguard.memoryMiB;
            const virtualData = dev.dataDisk.source === "virtual" ? dev.dataDisk.sizeGiB : 0;
            const disk = prod.vm.diskGiB + prod.wireguard.diskGiB + dev.vm.diskGiB + virtualData + dev.wireguard.diskGiB;
            expect(before).toContain(`| ${prod.vm.memoryMiB} + ${prod.wireguard.memoryMiB} MiB | ${dev.vm.memoryMiB} + ${dev.wireguard.memoryMiB} MiB | ${memory} MiB`);
            expect(before).toContain(`| ${disk} GiB |`);
            expect(before).toContain("Keep your copy of this repository private");
        });

        it("find the disk's label with lsblk -f on the Proxmox host, without mounting it", () => {
            expect(realUse).toContain("lsblk -f      # the LABEL of the LaCie's partition, e.g. lacie  ->  dataDisk.filesystemLabel: lacie");
        });
    });
});

describe("README.md and docs/", () => {
    const documents = documentPaths();

    it("name only npm scripts that exist", () => {
        const used = documents.flatMap((path) => [...readDocument(path).matchAll(/npm run(?: -s)? ([a-z:]+)/g)].map((match) => match[1]!));
        expect(used.length).toBeGreaterThan(0);
        expect(used.filter((script) => !(script in scripts))).toEqual([]);
    });

    it("link only to files and headings that exist", () => {
        const broken = documents.flatMap((path) =>
            relativeLinks(readDocument(path)).filter((target) => {
                const [file, anchor] = target.split("#") as [string, string | undefined];
                const linked = file === "" ? path : normalize(join(dirname(path), file));
                if (!existsSync(join(PROJECT_ROOT, linked))) {
                    return true;
                }
                return anchor !== undefined && !headingSlugs(readDocument(linked)).has(anchor);
            }).map((target) => `${path} → ${target}`),
        );
        expect(documents.length).toBeGreaterThan(5);
        expect(broken).toEqual([]);
    });

    it("the link check notices a missing heading", () => {
        expect(headingSlugs("# A title\n## Setting up the runner, state and secrets\n```sh\n# not a heading\n```\n")).toEqual(new Set(["a-title", "setting-up-the-runner-state-and-secrets"]));
    });

    it("run the Pulumi CLI through the script that pins its version, never a bare npx pulumi", () => {
        expect(scripts["pulumi"]).toMatch(/^PULUMI_VERSION=\d+\.\d+\.\d+ pulumi$/);
        expect(documents.filter((path) => readDocument(path).includes("npm run -s pulumi -- "))).toContain("README.md");
        expect(documents.flatMap((path) => codeLines(readDocument(path)).filter((line) => /\bnpx pulumi\b/.test(line)).map((line) => `${path}: ${line}`))).toEqual([]);
    });

    it("point at nothing outside the repository (a clone has no ../shared)", () => {
        expect(documents.filter((path) => /\.\.\/shared|\/work\/shared/.test(readDocument(path)))).toEqual([]);
    });

    it("say the VM does not start without its mapped USB disk, rather than that it boots without it", () => {
        // PVE's parse_usb_device dies with "USB Mapping invalid (hardware probably changed)" when the
        // mapped device is not on the host, so only the guest (not the VM) can come up without the disk.
        const text = section(readDocument("docs/vm-and-data-disk.md"), "## When the USB disk is missing").replace(/\s+/g, " ");
        expect(text).toContain("Proxmox does not start the VM while the disk is absent from the host");
        expect(text).toContain("USB Mapping invalid (hardware probably changed)");
        expect(text).not.toMatch(/the VM still boots/);
    });

    it("tell the owner to forget a recreated dev VM's host key, which the Docker provider's ssh would refuse", () => {
        const text = section(readDocument("docs/vm-and-data-disk.md"), "## The dev stack");
        expect(DEFAULT_DOCKER_SSH_OPTIONS).toContain("StrictHostKeyChecking=accept-new");
        expect(text).toContain(`ssh-keygen -R ${committedDevVmAddress()}`);
    });

    it("document every configuration key in the reference table", () => {
        const reference = readDocument("docs/configuration.md");
        const keys = leafKeys(stackConfigSchema);
        expect(keys).toContain("vm.address");
        expect(keys).toContain("wireguard.peers[].routing");
        const documented = (key: string) => reference.includes(`| \`${key}\` |`) || reference.includes(`| \`${key.replace(/^apps\.[A-Za-z]+\./, "apps.<app>.")}\` |`);
        expect(keys.filter((key) => !documented(key))).toEqual([]);
    });
});
