// A config mistake as `pulumi preview` meets it: the real entry point (index.ts) under the mock
// runtime, with a broken stack file. The SDK's program runner prints a RunError's message alone and
// every other error as "unhandled exception" with its stack trace
// (@pulumi/pulumi cmd/run/run.js, uncaughtHandler: `if (errors_1.RunError.isInstance(err))`).
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfigError } from "../../stacks/config";
import { PROJECT } from "../../tools/paths";
import { parseStackFile } from "../../tools/plan/stack-file";
import { editedStackText } from "../helpers/stack-text";

/**
 * The error index.ts's program rejects with for `stackText`. Pulumi calls the exported function
 * itself (inside runInPulumiStack, whose rejection its uncaughtHandler reports); the mocks refuse
 * every resource and data source, so the config is shown to fail before anything is declared.
 */
async function entryPointError(stackText: string): Promise<unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- index.ts is `export =`, as Pulumi loads it
    const entryPoint = require("../../index") as () => Promise<Record<string, pulumi.Input<unknown>>>;
    const { config, secretKeys } = parseStackFile(stackText, PROJECT);
    pulumi.runtime.setAllConfig(config, secretKeys);
    await pulumi.runtime.setMocks({
        newResource: () => {
            throw new Error("no resource may be registered with a broken configuration");
        },
        call: () => {
            throw new Error("no data source may be read with a broken configuration");
        },
    }, PROJECT, "prod", false);
    try {
        await entryPoint();
    } catch (error) {
        return error;
    }
    return undefined;
}

describe("a config mistake in a real preview", () => {
    it("reaches the engine as a RunError that lists every problem, placeholders included", async () => {
        const broken = editedStackText("prod", (config) => {
            const vm = config["homelab:vm"] as Record<string, unknown>;
            vm["address"] = "10.0.0.5/24";
            ((config["homelab:apps"] as Record<string, Record<string, unknown>>)["jellyfin"]!)["version"] = 10.1;
            config["homelab:vm.memoryMiB"] = "4096";
        });
        const error = await entryPointError(broken);
        expect(error).toBeInstanceOf(StackConfigError);
        expect(error).toBeInstanceOf(pulumi.RunError);
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        const lines = (error as Error).message.split("\n");
        const problems = (error as StackConfigError).problems.map((problem) => `homelab:${problem.key}`);
        expect(lines[0]).toBe(`The stack configuration has ${problems.length} problems:`);
        expect(lines).toHaveLength(problems.length + 1);
        // The three mistakes made above, and the placeholders a real preview refuses (the plan accepts them).
        expect(problems).toEqual(expect.arrayContaining([
            "homelab:vm.address",
            "homelab:apps.jellyfin.version",
            "homelab:vm.memoryMiB",
            "homelab:vm.sshPublicKeys[0]",
            "homelab:wireguard.endpoint",
        ]));
        expect(lines.slice(1).every((line) => line.startsWith("  homelab:"))).toBe(true);
        // The pure parser's own error is no RunError: unwrapped, the SDK would print a stack trace.
        expect(pulumi.RunError.isInstance(new ConfigError((error as StackConfigError).problems))).toBe(false);
    });

    it("the committed stack with its placeholders is refused the same way, not planned", async () => {
        const error = await entryPointError(editedStackText("prod", () => undefined));
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        expect((error as Error).message).toMatch(/^The stack configuration has \d+ problems?:\n {2}homelab:/);
    });
});
