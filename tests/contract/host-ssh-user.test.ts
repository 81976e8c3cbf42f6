// pct refuses any user but root: pve-common src/PVE/RESTEnvironment.pm setup_default_cli_env dies
// "please run as root" when $> != 0, and pve-container src/PVE/CLI/pct.pm calls it for every
// command. The WireGuard host commands run `pct exec` and `modprobe` over SSH without sudo.
import { problemsAfter, section } from "../helpers/config";

const setSshUser = (username: string) => (values: Record<string, unknown>) => {
    (section(values, "proxmox")["ssh"] as Record<string, unknown>)["username"] = username;
};

describe("proxmox.ssh.username with the WireGuard server", () => {
    it("refuses a non-root user, naming the key and what is allowed", () => {
        expect(problemsAfter("prod", setSshUser("pulumi"))).toEqual([
            expect.stringMatching(/^homelab:proxmox\.ssh\.username: pulumi cannot run the WireGuard server's host commands: .*\(root, or homelab:wireguard\.enabled: false\)$/),
        ]);
    });

    it("accepts root", () => {
        expect(problemsAfter("prod", setSshUser("root"))).toEqual([]);
    });

    it("accepts another user when the WireGuard server is off (no pct, no modprobe)", () => {
        expect(problemsAfter("prod", (values) => {
            setSshUser("pulumi")(values);
            section(values, "wireguard")["enabled"] = false;
        })).toEqual([]);
    });
});
