// Two mistakes the YAML and the Pulumi CLI make easy: a version YAML reads as a number, and a flat
// key `pulumi config set` writes without --path. Each gets a message that says what happened.
import { parse } from "yaml";
import { formatProblem, parseStackConfig, ConfigError } from "../../stacks/parse-config";
import { PROJECT } from "../../tools/paths";
import { parseStackFile } from "../../tools/plan/stack-file";
import { committedStackText } from "../helpers/stack-text";

/** The problem lines for a stack file's text, as the program reports them ([] when valid). */
function problemsOf(text: string): string[] {
    // The secrets the plan stands in for (proxmoxApiToken, resticPassword) count as set with --secret.
    const { config, secretKeys } = parseStackFile(text, PROJECT);
    const values = Object.fromEntries(Object.entries(config).map(([key, value]) => [key.slice(`${PROJECT}:`.length), value]));
    try {
        parseStackConfig(values, new Set(secretKeys.map((key) => key.slice(`${PROJECT}:`.length))), { allowPlaceholders: true });
        return [];
    } catch (error) {
        if (error instanceof ConfigError) {
            return error.problems.map(formatProblem);
        }
        throw error;
    }
}

const prod = committedStackText("prod");

describe("a version YAML reads as a number", () => {
    it("is what YAML makes of an unquoted 10.10 (a quoted one stays a string)", () => {
        expect(parse("version: 10.10")).toEqual({ version: 10.1 });
        expect(parse('version: "10.10"')).toEqual({ version: "10.10" });
    });

    it("is named as a YAML number with the advice to quote it", () => {
        expect(prod).toContain("      version: 10.11.11\n");
        expect(problemsOf(prod)).toEqual([]);
        const edited = prod.replace("      version: 10.11.11\n", "      version: 10.10\n");
        expect(problemsOf(edited)).toEqual([
            'homelab:apps.jellyfin.version: 10.1 is a YAML number, not a version: unquoted, a version such as 10.10 reads as the number 10.1 (write the version in quotes, e.g. version: "10.10.0"; an exact release "X.Y.Z" such as "10.11.11": major, minor and patch, without a leading v)',
        ]);
    });

    it("a quoted version passes, and a string that is no version keeps the ordinary message", () => {
        // Another version moves with its own digest (config-rules-apps.ts); this one only has to differ.
        const otherVersion = prod.replace("      version: 10.11.11\n", '      version: "10.10.0"\n').replace(/(\n {6}digest: )sha256:[0-9a-f]{64}/, `$1sha256:${"b".repeat(64)}`);
        expect(problemsOf(otherVersion)).toEqual([]);
        expect(problemsOf(prod.replace("      version: 10.11.11\n", '      version: "10.10"\n'))).toEqual([
            'homelab:apps.jellyfin.version: "10.10" is not allowed (an exact release "X.Y.Z" such as "10.11.11": major, minor and patch, without a leading v)',
        ]);
        expect(problemsOf(prod.replace("      version: 10.11.11\n", "      version: latest\n"))).toEqual([
            'homelab:apps.jellyfin.version: "latest" is not allowed (an exact release "X.Y.Z" such as "10.11.11": major, minor and patch, without a leading v)',
        ]);
    });
});

describe("a flat key such as homelab:vm.memoryMiB", () => {
    // `pulumi config set homelab:vm.memoryMiB 4096` without --path writes a top-level key named
    // "vm.memoryMiB" (a string), next to the `vm` object; the program would never read it.
    const flat = `${prod}  homelab:vm.memoryMiB: "4096"\n`;

    it("is one problem that suggests --path, not an unknown key", () => {
        expect(parse(flat)).toHaveProperty(["config", "homelab:vm.memoryMiB"], "4096");
        expect(problemsOf(flat)).toEqual([
            "homelab:vm.memoryMiB: is a flat key, which `pulumi config set` writes without --path; the program reads the nested key only " +
                "(remove it with `npm run -s pulumi -- config rm 'homelab:vm.memoryMiB'` and set it with `npm run -s pulumi -- config set --path 'homelab:vm.memoryMiB' <value>`, or edit the stack file)",
        ]);
    });

    it("also with a list index, while a dotted key under no known key stays an unknown key", () => {
        expect(problemsOf(`${prod}  homelab:wireguard.peers[0].name: tablet\n`)).toEqual([expect.stringMatching(/^homelab:wireguard\.peers\[0\]\.name: is a flat key, which `pulumi config set` writes without --path;/)]);
        expect(problemsOf(`${prod}  homelab:vmm.memoryMiB: "4096"\n`)).toEqual([expect.stringMatching(/^homelab:vmm\.memoryMiB: "vmm\.memoryMiB" is not a known key/)]);
    });
});
