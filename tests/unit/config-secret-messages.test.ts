// A problem with a secret must not print the secret: the problem list reaches a terminal, a preview
// log and CI output. Each case sets a value that is wrong in a way the schema catches and that
// carries a recognisable marker, and checks the message names the key but not the marker.
import { formatProblem, parseStackConfig, ConfigError } from "../../stacks/parse-config";
import { PROJECT } from "../../tools/paths";
import { parseStackFile } from "../../tools/plan/stack-file";
import { committedStackText } from "../helpers/stack-text";

const MARKER = "SECRETMARKER";

function problemsWith(key: string, value: string): string[] {
    const { config, secretKeys } = parseStackFile(committedStackText("prod"), PROJECT);
    const values: Record<string, string> = Object.fromEntries(Object.entries(config).map(([name, setting]) => [name.slice(`${PROJECT}:`.length), setting]));
    values[key] = value;
    const secrets = new Set([...secretKeys.map((name) => name.slice(`${PROJECT}:`.length)), key]);
    try {
        parseStackConfig(values, secrets, { allowPlaceholders: true });
        return [];
    } catch (error) {
        if (error instanceof ConfigError) {
            return error.problems.map(formatProblem);
        }
        throw error;
    }
}

describe("a wrong secret value", () => {
    it.each([
        ["proxmoxApiToken", `root@pam!homelab=${MARKER}`],
        ["sshPrivateKey", `ssh-ed25519 AAAA${MARKER} not a private key`],
        ["resticPassword", `short\n${MARKER}`],
        ["resticEnvironment", `"${MARKER}"`],
    ])("%s: is named, and its value is not shown", (key, value) => {
        const problems = problemsWith(key, value);
        const own = problems.filter((line) => line.startsWith(`homelab:${key}:`));
        expect(own).toHaveLength(1);
        expect(own[0]).toContain("the value is not shown");
        expect(problems.join("\n")).not.toContain(MARKER);
    });

    it("an ordinary key still shows the bad value, so the owner sees what was read", () => {
        expect(problemsWith("protect", `yes-${MARKER}`).join("\n")).toContain(MARKER);
    });
});
