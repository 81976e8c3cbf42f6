// The Proxmox layer's generated files and scripts, checked by the tools that will run them:
// shellcheck for every bootstrap script, `cloud-init schema` for the user-data, and the data-disk
// guard and the directory step run for real against folders that are and are not mount points.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scriptPath, SCRIPTS_DIRECTORY } from "../../components/proxmox/bootstrap-scripts";
import { renderUserData } from "../../components/proxmox/cloud-init";
import { committedConfig, parseValues } from "../helpers/config";
import { requireTool, runTool } from "../helpers/system-tools";

const scripts = readdirSync(SCRIPTS_DIRECTORY).filter((file) => file.endsWith(".sh")).sort();
let scratch: string;

beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "homelab-proxmox-"));
});
afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
});

describe("shellcheck", () => {
    it("finds the bootstrap scripts", () => {
        expect(scripts).toEqual(expect.arrayContaining(["data-disk-guard.sh", "data-disk.sh", "install-docker.sh", "directories.sh"]));
    });

    it("rejects a script with an unquoted expansion, so a pass means something", () => {
        const shellcheck = requireTool("shellcheck", "shellcheck");
        const bad = join(scratch, "bad.sh");
        writeFileSync(bad, "#!/usr/bin/env bash\nrm -rf $1/data\n");
        expect(runTool(shellcheck, [bad]).status).not.toBe(0);
    });

    it.each(scripts)("passes %s with no finding at any severity", (script) => {
        const shellcheck = requireTool("shellcheck", "shellcheck");
        const result = runTool(shellcheck, ["--severity=style", "--shell=bash", join(SCRIPTS_DIRECTORY, script)]);
        expect(result.stdout).toBe("");
        expect(result.status).toBe(0);
    });
});

describe("cloud-init schema", () => {
    it("rejects a user-data with a wrong type, so a pass means something", () => {
        const cloudInit = requireTool("cloud-init", "cloud-init");
        const bad = join(scratch, "bad-user-data.yaml");
        writeFileSync(bad, "#cloud-config\nusers:\n  - name: homelab\n    lock_passwd: \"yes\"\n");
        expect(runTool(cloudInit, ["schema", "--config-file", bad]).status).not.toBe(0);
    });

    it.each(["prod", "dev"])("accepts the %s stack's user-data", (stack) => {
        const cloudInit = requireTool("cloud-init", "cloud-init");
        const config = parseValues(committedConfig(stack));
        const file = join(scratch, `${stack}-user-data.yaml`);
        writeFileSync(file, renderUserData({ hostname: config.vm.name, user: config.vm.user, sshPublicKeys: config.vm.sshPublicKeys }));
        const result = runTool(cloudInit, ["schema", "--config-file", file]);
        expect(result.stderr).toBe("");
        expect(result.stdout).toContain(`Valid cloud-config: ${file}`);
        expect(result.status).toBe(0);
    });
});

/** A directory that is a mount point here: the root, or /proc. */
function mountedDirectory(): string {
    const mountpoint = requireTool("mountpoint", "util-linux");
    const found = ["/", "/proc", "/dev"].find((path) => runTool(mountpoint, ["-q", path]).status === 0);
    if (found === undefined) {
        throw new Error("none of /, /proc, /dev is a mount point here");
    }
    return found;
}

describe("the data-disk guard", () => {
    const guard = scriptPath("data-disk-guard");

    it("accepts a folder that is a mount point", () => {
        const result = runTool("bash", [guard, mountedDirectory()]);
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/is mounted/);
    });

    it("refuses a plain folder, saying the disk is missing and that Docker stays stopped", () => {
        const plain = join(scratch, "media");
        spawnSync("mkdir", ["-p", plain]);
        expect(runTool(requireTool("mountpoint", "util-linux"), ["-q", plain]).status).not.toBe(0);
        const result = runTool("bash", [guard, plain]);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(`nothing is mounted at ${plain} (is the data disk unplugged?)`);
        expect(result.stderr).toContain("Docker stays stopped");
    });

    it("refuses a folder that does not exist", () => {
        const result = runTool("bash", [guard, join(scratch, "absent")]);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/does not exist/);
    });

    it("refuses to guess: a relative path or no argument is a usage error", () => {
        expect(runTool("bash", [guard, "media"]).status).toBe(2);
        expect(runTool("bash", [guard]).status).toBe(2);
    });
});

describe("the directories step", () => {
    const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;

    function runDirectories(dataMountPoint: string, lines: string[]): { status: number; stdout: string; stderr: string } {
        const result = spawnSync("bash", [scriptPath("directories")], {
            encoding: "utf8",
            env: {
                PATH: process.env["PATH"],
                DIRECTORIES_BASE64: Buffer.from(lines.map((line) => `${line}\n`).join("")).toString("base64"),
                DATA_MOUNT_POINT: dataMountPoint,
                GUARD_PATH: scriptPath("data-disk-guard"),
                DEFAULT_OWNER: owner,
            },
        });
        return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    }

    it("creates nothing on a data disk that is not mounted, and fails", () => {
        const home = join(scratch, "home-unmounted");
        const media = join(home, "media");
        spawnSync("mkdir", ["-p", media]);
        const result = runDirectories(media, [`${home}/docker ${owner} 0755`, `${media}/movies ${owner} 0755`]);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("nothing is mounted");
        expect(() => statSync(join(media, "movies"))).toThrow();
    });

    it("creates missing directories with their mode, parents included, and leaves existing ones alone", () => {
        const home = join(scratch, "home-mounted");
        spawnSync("mkdir", ["-p", join(home, "kept")]);
        spawnSync("chmod", ["0700", join(home, "kept")]);
        // The mount point here is a real one, so only directories outside it are created.
        const result = runDirectories(mountedDirectory(), [`${home}/docker/immich/postgres ${owner} 0750`, `${home}/kept ${owner} 0755`]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(statSync(join(home, "docker", "immich", "postgres")).mode & 0o777).toBe(0o750);
        expect(statSync(join(home, "docker", "immich")).mode & 0o777).toBe(0o755);
        expect(statSync(join(home, "kept")).mode & 0o777).toBe(0o700);
        expect(result.stdout).toContain("3 created");
        expect(runDirectories(mountedDirectory(), [`${home}/docker/immich/postgres ${owner} 0750`]).stdout).toContain("0 created");
    });

    it.each([["a path with ..", "/srv/../etc 0:0 0755"], ["a bad owner", "/srv/x root 0755"], ["a bad mode", "/srv/x 0:0 755x"]])("refuses %s", (_, line) => {
        const result = runDirectories(mountedDirectory(), [line]);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^directories: (refusing|bad)/);
    });
});
