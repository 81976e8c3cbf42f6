// The post-deploy probe's script and the network tier's stand-ins against shellcheck; the network
// tier (npm run test:network) runs them for real.
import { join } from "node:path";
import { requireTool, runTool } from "../helpers/system-tools";

const ROOT = join(__dirname, "..", "..");

describe("the probe and the network tier's shell scripts", () => {
    beforeAll(() => {
        requireTool("shellcheck", "shellcheck");
    });

    it("pass shellcheck", () => {
        const scripts = [
            "components/probe/probe.sh",
            "tests/network/run.sh",
            "tests/network/stand-ins/enter.sh",
            "tests/network/stand-ins/bin/pct",
            "tests/network/stand-ins/bin/systemctl",
            "tests/network/stand-ins/bin/resolvconf",
        ].map((path) => join(ROOT, path));
        const result = runTool("shellcheck", ["--severity=style", "--shell=bash", ...scripts]);
        expect(result.stdout).toBe("");
        expect(result.status).toBe(0);
    });

    it("would notice a problem: shellcheck flags an unquoted variable", () => {
        const result = runTool("shellcheck", ["--severity=style", "--shell=bash", "-"], "#!/bin/bash\nrm $1\n");
        expect(result.stdout).toContain("SC2086");
        expect(result.status).not.toBe(0);
    });
});
