// The pure parts of the Docker host bootstrap: the command lines, daemon.json, the docker.service
// drop-in and the directory list.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import {
    BOOTSTRAP_SCRIPTS,
    baseDirectories,
    dockerSshUrl,
    GUARD_PATH,
    readScript,
    remoteScriptCommand,
    renderDaemonJson,
    renderDirectoryList,
    renderDockerDropIn,
    DOCKER_STOP_TIMEOUT_SECONDS,
    SCRIPTS_DIRECTORY,
    shellQuote,
    vmLayout,
} from "../../components/proxmox/bootstrap-scripts";
import { DATABASE_STOP_TIMEOUT_SECONDS } from "../../components/apps/images";
import { cloudImageFileName } from "../../components/proxmox/cloud-image";
import { NOBLE_CLOUD_IMAGE } from "../../stacks/config-schema";

describe("the scripts folder", () => {
    it("holds exactly the bootstrap steps and the guard, each a bash script with strict mode", () => {
        const files = readdirSync(SCRIPTS_DIRECTORY).sort();
        expect(files).toEqual([...BOOTSTRAP_SCRIPTS, "data-disk-guard"].map((name) => `${name}.sh`).sort());
        for (const name of [...BOOTSTRAP_SCRIPTS, "data-disk-guard" as const]) {
            const text = readScript(name);
            expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
            expect(text).toMatch(/^set -euo pipefail$/m);
        }
    });
});

describe("remoteScriptCommand", () => {
    const script = "#!/usr/bin/env bash\nset -euo pipefail\necho \"it's $GREETING\"\n";

    it("carries the script so that running the command runs the script with its environment", () => {
        const command = remoteScriptCommand("greet", script, { GREETING: "a 'quoted' hello; $(not run)" });
        // On the VM the command runs as the admin user, with sudo; here `sudo` is a stand-in that runs its arguments.
        const result = spawnSync("bash", ["-c", `sudo() { "$@"; }\n${command}`], { encoding: "utf8" });
        expect(result.stderr).toBe("");
        expect(result.stdout).toBe("it's a 'quoted' hello; $(not run)\n");
        expect(result.status).toBe(0);
    });

    it("fails when the script fails, so Pulumi reports the step as failed", () => {
        const command = remoteScriptCommand("fail", "#!/usr/bin/env bash\nexit 3\n");
        expect(spawnSync("bash", ["-c", `sudo() { "$@"; }\n${command}`]).status).toBe(3);
    });

    it("changes when the script or a setting changes, and names the step and its hash", () => {
        const base = remoteScriptCommand("greet", script, { GREETING: "hello" });
        expect(base.split("\n")[0]).toMatch(/^: homelab bootstrap step=greet sha256=[0-9a-f]{16}$/);
        expect(remoteScriptCommand("greet", script, { GREETING: "hello" })).toBe(base);
        expect(remoteScriptCommand("greet", `${script}echo more\n`, { GREETING: "hello" })).not.toBe(base);
        const changedSetting = remoteScriptCommand("greet", script, { GREETING: "bonjour" });
        expect(changedSetting).not.toBe(base);
        expect(changedSetting.split("\n")[0]).not.toBe(base.split("\n")[0]);
    });

    it("refuses environment names the shell would misread and multi-line values", () => {
        expect(() => remoteScriptCommand("x", script, { "BAD NAME": "1" })).toThrow(/bad environment entry/);
        expect(() => remoteScriptCommand("x", script, { lower: "1" })).toThrow(/bad environment entry/);
        expect(() => remoteScriptCommand("x", script, { VALUE: "two\nlines" })).toThrow(/bad environment entry/);
    });

    it("quotes for the shell, including single quotes", () => {
        const result = spawnSync("bash", ["-c", `printf %s ${shellQuote("it's $HOME `x`")}`], { encoding: "utf8" });
        expect(result.stdout).toBe("it's $HOME `x`");
    });
});

describe("install-docker.sh and apt's locks", () => {
    const script = readScript("install-docker");

    /**
     * Runs `command` with the script's apt helpers, where apt-get is a stand-in that prints its
     * arguments and fails like a held lists lock the first `failures` times.
     */
    function withAptHelpers(command: string, failures: number): { status: number | null; stdout: string } {
        const helpers = ["apt_get", "with_retries"].map((name) => new RegExp(`^${name}\\(\\) \\{\\n[\\s\\S]*?\\n\\}$`, "m").exec(script)?.[0]);
        expect(helpers.every((helper) => helper !== undefined)).toBe(true);
        const program = [
            "set -euo pipefail",
            `failures=${failures}`,
            'apt-get() { echo "apt-get $*"; if ((failures > 0)); then failures=$((failures - 1)); echo "E: Could not get lock /var/lib/apt/lists/lock" >&2; return 100; fi; }',
            "sleep() { :; }",
            ...(helpers as string[]),
            command,
        ].join("\n");
        const result = spawnSync("bash", ["-c", program], { encoding: "utf8" });
        return { status: result.status, stdout: result.stdout };
    }

    it("calls apt-get only through the helper that waits for the dpkg lock and retries downloads", () => {
        // Right after cloud-init, apt-daily or unattended-upgrades may hold the lock on a fresh VM.
        const calls = script.split("\n").filter((line) => /(^|[\s;&|(])apt-get\s/.test(line) && !line.trim().startsWith("#"));
        expect(calls).toEqual(['    apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5 "$@"']);
        expect(withAptHelpers("apt_get install -y docker-ce", 0).stdout).toBe("apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5 install -y docker-ce\n");
        expect(script).toMatch(/^\s*apt_get install /m);
    });

    it("retries apt-get update while the lists lock is held, and fails after five attempts", () => {
        expect(script).toMatch(/^\s*with_retries apt_get update /m);
        const recovered = withAptHelpers("with_retries apt_get update -q", 2);
        expect(recovered.status).toBe(0);
        expect(recovered.stdout.trim().split("\n")).toHaveLength(3);
        const stuck = withAptHelpers("with_retries apt_get update -q", 99);
        expect(stuck.status).toBe(1);
        expect(stuck.stdout.trim().split("\n")).toHaveLength(5);
    });
});

describe("renderDaemonJson", () => {
    it("rotates json-file logs with string values, as dockerd requires", () => {
        const daemon = JSON.parse(renderDaemonJson({ logMaxSizeMiB: 25, logMaxFiles: 4 })) as Record<string, unknown>;
        // live-restore off: dockerd then stops every container itself at the VM's shutdown.
        expect(daemon).toEqual({ "log-driver": "json-file", "log-opts": { "max-size": "25m", "max-file": "4" }, "live-restore": false });
    });
});

describe("renderDockerDropIn", () => {
    it("requires the mount and runs the guard before Docker starts", () => {
        const dropIn = renderDockerDropIn("/home/homelab/media");
        const lines = dropIn.split("\n");
        expect(lines.indexOf("[Unit]")).toBeLessThan(lines.indexOf("RequiresMountsFor=/home/homelab/media"));
        expect(lines.indexOf("[Service]")).toBeLessThan(lines.indexOf(`ExecStartPre=${GUARD_PATH} /home/homelab/media`));
        expect(lines.indexOf("RequiresMountsFor=/home/homelab/media")).toBeLessThan(lines.indexOf("[Service]"));
    });

    it("gives dockerd longer to stop than the longest container stop timeout", () => {
        const lines = renderDockerDropIn("/home/homelab/media").split("\n");
        expect(lines.indexOf("[Service]")).toBeLessThan(lines.indexOf(`TimeoutStopSec=${DOCKER_STOP_TIMEOUT_SECONDS}`));
        expect(DOCKER_STOP_TIMEOUT_SECONDS).toBeGreaterThan(DATABASE_STOP_TIMEOUT_SECONDS + 5);
    });
});

describe("the layout", () => {
    const layout = vmLayout("homelab", "/home/homelab/media");

    it("keeps configuration under ~/docker on the VM disk", () => {
        expect(layout).toEqual({ homeDirectory: "/home/homelab", configRoot: "/home/homelab/docker", dataMountPoint: "/home/homelab/media" });
    });

    it("creates ~/docker and the four media folders, owned by the VM user", () => {
        expect(baseDirectories(layout).map((directory) => `${directory.path} ${directory.owner}`)).toEqual([
            "/home/homelab/docker 1000:1000",
            "/home/homelab/media/movies 1000:1000",
            "/home/homelab/media/tv 1000:1000",
            "/home/homelab/media/music 1000:1000",
            "/home/homelab/media/photos 1000:1000",
        ]);
    });
});

describe("renderDirectoryList", () => {
    it("lists parents before children, each path once", () => {
        const list = renderDirectoryList([
            { path: "/home/homelab/docker/immich/postgres", owner: "999:999", mode: "0700" },
            { path: "/home/homelab/docker", owner: "1000:1000", mode: "0755" },
            { path: "/home/homelab/docker/immich", owner: "1000:1000", mode: "0755" },
            { path: "/home/homelab/docker", owner: "1000:1000", mode: "0755" },
        ]);
        expect(list).toBe("/home/homelab/docker 1000:1000 0755\n/home/homelab/docker/immich 1000:1000 0755\n/home/homelab/docker/immich/postgres 999:999 0700\n");
    });

    it.each([
        [{ path: "relative/dir", owner: "1000:1000", mode: "0755" }, /must be absolute/],
        [{ path: "/home/homelab/my photos", owner: "1000:1000", mode: "0755" }, /must be absolute/],
        [{ path: "/home/homelab/../etc", owner: "1000:1000", mode: "0755" }, /must be absolute/],
        [{ path: "/home/homelab/docker/", owner: "1000:1000", mode: "0755" }, /trailing slash/],
        [{ path: "/srv/x", owner: "homelab", mode: "0755" }, /numeric uid:gid/],
        [{ path: "/srv/x", owner: "1000:1000", mode: "rwx" }, /octal/],
        [{ path: "/srv/x", owner: "1000:1000", mode: "0789" }, /octal/],
    ])("refuses %j", (directory, message) => {
        expect(() => renderDirectoryList([directory])).toThrow(message);
    });

    it("refuses one path asked for with two owners", () => {
        expect(() => renderDirectoryList([
            { path: "/srv/x", owner: "1000:1000", mode: "0755" },
            { path: "/srv/x", owner: "999:999", mode: "0755" },
        ])).toThrow(/requested twice/);
    });
});

describe("names and addresses", () => {
    it("names the Docker host over SSH", () => {
        expect(dockerSshUrl("homelab", "192.168.1.89")).toBe("ssh://homelab@192.168.1.89");
    });

    it("stores the cloud image as qcow2 under a name that changes with its checksum and its VM", () => {
        expect(cloudImageFileName(NOBLE_CLOUD_IMAGE.url, NOBLE_CLOUD_IMAGE.sha256, 100)).toBe(`ubuntu-24.04-server-cloudimg-amd64-${NOBLE_CLOUD_IMAGE.sha256.slice(0, 12)}.vm100.qcow2`);
        expect(cloudImageFileName(NOBLE_CLOUD_IMAGE.url, "f".repeat(64), 100)).not.toBe(cloudImageFileName(NOBLE_CLOUD_IMAGE.url, NOBLE_CLOUD_IMAGE.sha256, 100));
        expect(cloudImageFileName(NOBLE_CLOUD_IMAGE.url, NOBLE_CLOUD_IMAGE.sha256, 101)).not.toBe(cloudImageFileName(NOBLE_CLOUD_IMAGE.url, NOBLE_CLOUD_IMAGE.sha256, 100));
        expect(() => cloudImageFileName("https://example.org/", NOBLE_CLOUD_IMAGE.sha256, 100)).toThrow(/cannot name/);
        expect(() => cloudImageFileName(NOBLE_CLOUD_IMAGE.url, NOBLE_CLOUD_IMAGE.sha256, 1.5)).toThrow(/cannot name/);
    });
});

describe("data-disk.sh's fstab edit", () => {
    const script = readScript("data-disk");

    function fstabAfterEdit(fstab: string, mountPoint: string, label: string): string {
        const helper = /^fstab_without_data_disk\(\) \{\n[\s\S]*?\n\}$/m.exec(script)?.[0];
        expect(helper).toBeDefined();
        const result = spawnSync("bash", ["-c", `set -euo pipefail\n${helper!}\nfstab_without_data_disk "$1" "$2" /dev/stdin`, "fstab-test", mountPoint, label], { input: fstab, encoding: "utf8" });
        expect(result.status).toBe(0);
        return result.stdout;
    }

    it("drops the disk's earlier line when its mount point changed, so it is not mounted twice", () => {
        const fstab = ["LABEL=cloudimg-rootfs / ext4 discard,errors=remount-ro 0 1", "LABEL=lacie /home/homelab/old-media ext4 defaults,nofail 0 2", ""].join("\n");
        expect(fstabAfterEdit(fstab, "/home/homelab/media", "lacie")).toBe("LABEL=cloudimg-rootfs / ext4 discard,errors=remount-ro 0 1\n");
    });

    it("drops another filesystem's line for the same mount point and keeps every other line", () => {
        const fstab = ["LABEL=UEFI /boot/efi vfat umask=0077 0 1", "UUID=1234 /home/homelab/media ext4 defaults 0 2", "LABEL=backup /mnt/backup ext4 defaults,nofail 0 2", ""].join("\n");
        expect(fstabAfterEdit(fstab, "/home/homelab/media", "lacie")).toBe(["LABEL=UEFI /boot/efi vfat umask=0077 0 1", "LABEL=backup /mnt/backup ext4 defaults,nofail 0 2", ""].join("\n"));
    });
});
