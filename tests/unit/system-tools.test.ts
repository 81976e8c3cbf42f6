// A system test whose tool is missing must fail and name the Debian package, never skip.
import { requireTool } from "../helpers/system-tools";

describe("requireTool", () => {
    it("throws, naming the package to install, when the tool is missing", () => {
        expect(() => requireTool("homelab-no-such-tool", "homelab-tools")).toThrow("homelab-no-such-tool is not installed: run `apt-get install homelab-tools`");
    });

    it("returns the path of a tool that is there", () => {
        expect(requireTool("sh", "dash")).toMatch(/\/sh$/);
    });
});
