// The first-boot user-data: valid for cloud-init's own schema, key-only login, the guest agent.
import { parse } from "yaml";
import { renderUserData } from "../../components/proxmox/cloud-init";
import { VM_USER_ID } from "../../components/docker/host-directory";
import { cloudConfigValidator } from "../helpers/cloud-config";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKc2ZXJ2ZXIta2V5LWZvci10ZXN0cw owner@laptop";
const SECOND_KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ owner@phone";

const validate = cloudConfigValidator();

function render(keys: readonly string[] = [KEY]): string {
    return renderUserData({ hostname: "ubuntu", user: "homelab", sshPublicKeys: keys });
}

/** Every key anywhere in a parsed YAML document. */
function allKeys(value: unknown): string[] {
    if (Array.isArray(value)) {
        return value.flatMap(allKeys);
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, child]) => [key, ...allKeys(child)]);
    }
    return [];
}

describe("the cloud-config validator", () => {
    it("rejects what cloud-init would reject: an unknown key, a wrong type", () => {
        expect(validate({ ssh_pwauth: false, packages: ["qemu-guest-agent"] })).toBe(true);
        expect(validate({ ssh_pwauth: false, pakages: ["qemu-guest-agent"] })).toBe(false);
        expect(validate({ users: [{ name: "homelab", lock_passwd: "yes" }] })).toBe(false);
    });
});

describe("renderUserData", () => {
    const text = render([KEY, SECOND_KEY]);
    const document = parse(text) as Record<string, unknown>;
    const users = document["users"] as Record<string, unknown>[];

    it("starts with #cloud-config, without which cloud-init ignores the file", () => {
        expect(text.split("\n")[0]).toBe("#cloud-config");
    });

    it("validates against cloud-init's cloud-config schema", () => {
        const valid = validate(document);
        expect(validate.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
    });

    it("creates only the admin user, as the first user (uid VM_USER_ID), with every key, sudo and bash", () => {
        expect(users).toHaveLength(1);
        expect(users[0]).toMatchObject({ name: "homelab", uid: VM_USER_ID, groups: ["sudo"], shell: "/bin/bash", sudo: "ALL=(ALL) NOPASSWD:ALL", ssh_authorized_keys: [KEY, SECOND_KEY] });
    });

    it("allows no password: none is set, the account's password is locked, SSH password login is off", () => {
        expect(document["ssh_pwauth"]).toBe(false);
        expect(users[0]!["lock_passwd"]).toBe(true);
        expect(document["disable_root"]).toBe(true);
        const passwordKeys = allKeys(document).filter((key) => /passw|chpasswd/.test(key) && key !== "lock_passwd");
        expect(passwordKeys).toEqual([]);
    });

    it("installs and starts the guest agent, which Ubuntu cloud images do not ship", () => {
        expect(document["packages"]).toContain("qemu-guest-agent");
        expect(document["runcmd"]).toContainEqual(["systemctl", "enable", "--now", "qemu-guest-agent"]);
    });

    it("sets the host name, since the snippet replaces the user-data Proxmox would generate", () => {
        expect(document["hostname"]).toBe("ubuntu");
        expect(document["manage_etc_hosts"]).toBe(true);
    });

    it("keeps day-2 settings out: no time zone, no Docker, no mounts", () => {
        expect(Object.keys(document).sort()).toEqual(["disable_root", "hostname", "manage_etc_hosts", "package_update", "packages", "runcmd", "ssh_pwauth", "users"]);
    });

    it("refuses to render without a key, since there would be no way in", () => {
        expect(() => render([])).toThrow(/at least one SSH public key/);
    });

    it("keeps a long key on one line", () => {
        const longKey = `ssh-rsa ${"A".repeat(700)} owner@desktop`;
        expect(render([longKey]).split("\n")).toContain(`      - ${longKey}`);
    });
});
