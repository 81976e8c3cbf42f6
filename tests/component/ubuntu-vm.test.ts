// The contract UbuntuVm offers the apps: the Docker host URL (derived from the last bootstrap step),
// the resource to depend on, and where things live on the VM.
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { DOCKER_PACKAGE_DEFAULTS } from "../../stacks/config-schema";
import { UbuntuVm } from "../../components/proxmox/ubuntu-vm";
import type { UbuntuVmArgs } from "../../components/proxmox/ubuntu-vm";

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}

const registered: pulumi.runtime.MockResourceArgs[] = [];
let provider: proxmoxve.Provider;

/** Registration is asynchronous: wait until whatever was declared has reached the mocks. */
function settle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 200));
}

beforeAll(async () => {
    await pulumi.runtime.setMocks({
        newResource(args) {
            registered.push(args);
            // As the command provider does: stdout is whatever the command printed, here nothing.
            const inputs = args.inputs as Record<string, unknown>;
            const state: Record<string, unknown> = args.type === "command:remote:Command" ? { ...inputs, stdout: "", stderr: "" } : inputs;
            return { id: `${args.name}-id`, state };
        },
        call: (args) => args.inputs as Record<string, unknown>,
    }, "homelab", "component", false);
    provider = new proxmoxve.Provider("component-provider", { endpoint: "https://pve:8006" });
});

function args(overrides: Partial<UbuntuVmArgs> = {}): UbuntuVmArgs {
    return {
        provider,
        nodeName: "pve",
        vmId: 100,
        name: "ubuntu",
        cores: 2,
        cpuType: "x86-64-v2-AES",
        memoryMiB: 8192,
        diskGiB: 32,
        datastoreId: "local-lvm",
        imageFileId: "local:import/noble.qcow2",
        snippetDatastoreId: "local",
        address: "192.168.1.89/24",
        gateway: "192.168.1.1",
        dnsServers: ["192.168.1.1"],
        bridge: "vmbr0",
        user: "homelab",
        sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3Q owner@laptop"],
        timezone: "Europe/Paris",
        dataDisk: { source: "usb", usbMappingName: "data-disk-ubuntu", filesystemLabel: "lacie", mountPoint: "/home/homelab/media" },
        docker: { logMaxSizeMiB: 10, logMaxFiles: 3, ...DOCKER_PACKAGE_DEFAULTS },
        ...overrides,
    };
}

describe("UbuntuVm", () => {
    it("offers the apps the Docker host URL, resolved from the last bootstrap step's output", async () => {
        const vm = new UbuntuVm("contract", args());
        expect(await valueOf(vm.dockerHostUrl)).toBe("ssh://homelab@192.168.1.89");
        expect(vm.bootstrapComplete).toBe(vm.bootstrap.steps.directories);
        expect({ home: vm.homeDirectory, config: vm.configRoot, data: vm.dataMountPoint, address: vm.address, vmId: vm.vmId }).toEqual({
            home: "/home/homelab",
            config: "/home/homelab/docker",
            data: "/home/homelab/media",
            address: "192.168.1.89",
            vmId: 100,
        });
    });

    it("passes the apps' directories to the last step, and refuses a malformed one before anything is registered", async () => {
        const vm = new UbuntuVm("with-directories", args({ directories: [{ path: "/home/homelab/docker/jellyfin", owner: "1000:1000", mode: "0750" }] }));
        const create = await valueOf(vm.bootstrap.steps.directories.create as pulumi.Output<string>);
        const list = Buffer.from(/DIRECTORIES_BASE64='([^']*)'/.exec(create)![1]!, "base64").toString("utf8");
        expect(list).toContain("/home/homelab/docker/jellyfin 1000:1000 0750\n");
        expect(list).toContain("/home/homelab/media/movies 1000:1000 0755\n");
        await settle();
        const before = registered.length;
        expect(() => new UbuntuVm("bad-directories", args({ directories: [{ path: "docker/x", owner: "1000:1000", mode: "0750" }] }))).toThrow(/must be absolute/);
        await settle();
        expect(registered.slice(before).filter((resource) => resource.custom).map((resource) => resource.name)).toEqual([]);
    });
});
