// System tests run the real tool a generated file is for. A missing tool fails the test (never a
// skip) and says which Debian package brings it.
import { execFileSync, spawnSync } from "node:child_process";

export function requireTool(command: string, debianPackage: string): string {
    const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
    if (found.status !== 0) {
        throw new Error(`${command} is not installed: run \`apt-get install ${debianPackage}\` (the system tests need it; .ci/run installs it)`);
    }
    return found.stdout.trim();
}

/** Runs a tool; returns its exit status and output instead of throwing. */
export function runTool(command: string, args: readonly string[], input?: string): { status: number; stdout: string; stderr: string } {
    const result = spawnSync(command, [...args], { encoding: "utf8", input });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export { execFileSync };
