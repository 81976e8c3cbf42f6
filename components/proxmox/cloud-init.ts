// The cloud-init user-data snippet: first-boot essentials only. Everything here is baked into the
// VM when it is created; changing it means a new VM (see ubuntu-vm.ts), so day-2 settings belong to
// the bootstrap commands instead.
import { stringify } from "yaml";
import { VM_USER_ID } from "../docker/host-directory";

/** What the first boot needs. */
export interface UserDataArgs {
    /** The VM's host name. Required. */
    readonly hostname: string;
    /** The admin user to create (the first user, so it gets uid VM_USER_ID). Required. */
    readonly user: string;
    /** OpenSSH public keys allowed to log in as that user. Required, at least one. */
    readonly sshPublicKeys: readonly string[];
}

/** The user-data as cloud-init reads it: `#cloud-config` and a YAML document. */
export function renderUserData(args: UserDataArgs): string {
    if (args.sshPublicKeys.length === 0) {
        throw new Error("user-data needs at least one SSH public key: password login is disabled");
    }
    const document = {
        hostname: args.hostname,
        // The user-data replaces the one Proxmox would generate, so the host name is set here.
        manage_etc_hosts: true,
        users: [
            {
                name: args.user,
                uid: VM_USER_ID,
                groups: ["sudo"],
                shell: "/bin/bash",
                // The bootstrap runs its scripts with sudo over SSH, where nobody can type a password.
                sudo: "ALL=(ALL) NOPASSWD:ALL",
                lock_passwd: true,
                ssh_authorized_keys: [...args.sshPublicKeys],
            },
        ],
        disable_root: true,
        ssh_pwauth: false,
        // Ubuntu cloud images do not ship the guest agent that Proxmox talks to.
        package_update: true,
        packages: ["qemu-guest-agent"],
        runcmd: [["systemctl", "enable", "--now", "qemu-guest-agent"]],
    };
    return `#cloud-config\n${stringify(document, { lineWidth: 0 })}`;
}
