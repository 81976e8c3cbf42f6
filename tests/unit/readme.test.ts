// The README is the owner's manual: its commands must exist and its key table must be complete.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_DOCKER_SSH_OPTIONS } from "../../components/docker/networks";
import { stackConfigSchema } from "../../stacks/config-schema";
import { PROJECT_ROOT } from "../../tools/paths";
import { committedConfig, parseValues } from "../helpers/config";
import { leafKeys } from "../helpers/schema-keys";

/** The dev VM's address without its prefix, as Pulumi.dev.yaml sets it. */
function committedDevVmAddress(): string {
    return parseValues(committedConfig("dev")).vm.address.split("/")[0]!;
}

const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("README.md", () => {
    it("sets up with exactly two commands, npm ci then npm test", () => {
        const quickStart = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("### Tests"));
        const firstBlock = /```sh\n([\s\S]*?)```/.exec(quickStart)?.[1];
        expect(firstBlock?.trim().split("\n")).toEqual(["npm ci", "npm test"]);
    });

    it("names only npm scripts that exist", () => {
        const used = [...readme.matchAll(/npm run ([a-z:]+)/g)].map((match) => match[1]!);
        expect(used.length).toBeGreaterThan(0);
        expect(used.filter((script) => !(script in scripts))).toEqual([]);
    });

    it("says the VM does not start without its mapped USB disk, rather than that it boots without it", () => {
        // PVE's parse_usb_device dies with "USB Mapping invalid (hardware probably changed)" when the
        // mapped device is not on the host, so only the guest (not the VM) can come up without the disk.
        const section = readme.slice(readme.indexOf("### When the USB disk is missing"), readme.indexOf("### First-boot settings")).replace(/\s+/g, " ");
        expect(section).toContain("Proxmox does not start the VM while the disk is absent from the host");
        expect(section).toContain("USB Mapping invalid (hardware probably changed)");
        expect(section).not.toMatch(/the VM still boots/);
    });

    it("tells the owner to forget a recreated dev VM's host key, which the Docker provider's ssh would refuse", () => {
        const section = readme.slice(readme.indexOf("### The dev stack"), readme.indexOf("## The apps"));
        expect(DEFAULT_DOCKER_SSH_OPTIONS).toContain("StrictHostKeyChecking=accept-new");
        expect(section).toContain(`ssh-keygen -R ${committedDevVmAddress()}`);
    });

    it("documents every configuration key in its reference table", () => {
        const keys = leafKeys(stackConfigSchema);
        expect(keys).toContain("vm.address");
        expect(keys).toContain("wireguard.peers[].routing");
        const documented = (key: string) => readme.includes(`| \`${key}\` |`) || readme.includes(`| \`${key.replace(/^apps\.[A-Za-z]+\./, "apps.<app>.")}\` |`);
        expect(keys.filter((key) => !documented(key))).toEqual([]);
    });

    it("lists every committed stack's static addresses for the owner to keep out of DHCP", () => {
        const section = readme.slice(readme.indexOf("#### Keep the static addresses out of DHCP"), readme.indexOf("### 2. Log in"));
        for (const stack of ["prod", "dev"]) {
            const config = parseValues(committedConfig(stack));
            const row = section.split("\n").find((line) => line.startsWith(`| ${stack} |`));
            expect(row).toBe(`| ${stack} | ${config.vm.address.split("/")[0]!} | ${config.wireguard.address.split("/")[0]!} |`);
        }
    });
});
