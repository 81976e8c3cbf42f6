// Rules about how the program reaches the Proxmox host, from what the host's tools accept.
import type { ConfigProblem } from "./config-rules";

function at(value: unknown, ...path: string[]): unknown {
    return path.reduce<unknown>((current, part) => (current !== null && typeof current === "object" ? (current as Record<string, unknown>)[part] : undefined), value);
}

/**
 * The WireGuard server's host commands run `modprobe` and `pct exec` as `proxmox.ssh.username`,
 * without sudo. `pct` dies with "please run as root" for anyone else (pve-common
 * PVE::RESTEnvironment::setup_default_cli_env, called by pve-container PVE::CLI::pct), and loading
 * a kernel module needs root, so the user must be root while the server is enabled.
 */
export function hostSshUserRule(config: unknown): ConfigProblem[] {
    const username = at(config, "proxmox", "ssh", "username");
    const wireguardEnabled = at(config, "wireguard", "enabled") !== false;
    if (wireguardEnabled && typeof username === "string" && username !== "root") {
        return [{
            key: "proxmox.ssh.username",
            message: `${username} cannot run the WireGuard server's host commands: \`pct exec\` and \`modprobe\` run without sudo and refuse any user but root (root, or homelab:wireguard.enabled: false)`,
        }];
    }
    return [];
}
