// The Proxmox layer in the plans of both committed stacks: the VM cannot be replaced silently, the
// USB disk goes through a mapping, the bootstrap waits for the VM, and a day-2 change re-runs one
// command while a first-boot change is a visible (and in prod refused) replacement.
import { parse } from "yaml";
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { cloudConfigValidator } from "../helpers/cloud-config";
import { comparePlans, onlyResource, planStack, planStackText, resourceByName, resourcesOfType } from "../helpers/plan";
import { editedStackText } from "../helpers/stack-text";

const VM = "proxmoxve:index/vmLegacy:VmLegacy";
const USB_MAPPING = "proxmoxve:hardware/mapping/usb:Usb";
const SNIPPET = "proxmoxve:index/fileLegacy:FileLegacy";
const DOWNLOAD = "proxmoxve:download/file:File";
const COMMAND = "command:remote:Command";
const STEPS = ["wait-cloud-init", "system-settings", "data-disk", "install-docker", "docker-daemon", "directories"];

type Json = Record<string, unknown>;

function field<T>(resource: PlannedResource, key: string): T {
    return resource.inputs[key] as T;
}

/** The bootstrap commands, in the order they run. */
function steps(plan: Plan): PlannedResource[] {
    return STEPS.map((step) => resourceByName(plan, `homelab-vm-bootstrap-${step}`));
}

/** An environment value a bootstrap command passes its script (`NAME='value'`). */
function environmentOf(command: PlannedResource, name: string): string | undefined {
    return new RegExp(`\\b${name}='([^']*)'`).exec(String(command.inputs["create"]))?.[1];
}

/** Every object anywhere under a `usbs` list, to look for a raw `host`. */
function usbEntries(value: unknown, underUsbs = false): Json[] {
    if (Array.isArray(value)) {
        return value.flatMap((item) => usbEntries(item, underUsbs));
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Json).flatMap(([key, child]) => usbEntries(child, key === "usbs"));
        return underUsbs ? [value as Json, ...entries] : entries;
    }
    if (typeof value === "string" && value.startsWith("[")) {
        try {
            return usbEntries(JSON.parse(value) as unknown, underUsbs);
        } catch {
            return [];
        }
    }
    return [];
}

function protectedResourceNames(plan: Plan): string[] {
    return plan.resources.filter((resource) => resource.protect).map((resource) => resource.name);
}

let prod: Plan;
let dev: Plan;
beforeAll(async () => {
    prod = await planStack("prod");
    dev = await planStack("dev");
});

describe.each(["prod", "dev"])("the %s VM", (stack) => {
    const plan = () => (stack === "prod" ? prod : dev);

    it("is one VmLegacy with an explicit name, VMID and node, through the explicit provider", () => {
        const vm = onlyResource(plan(), VM);
        expect(vm.inputs).toMatchObject({ name: stack === "prod" ? "ubuntu" : "ubuntu-dev", vmId: stack === "prod" ? 100 : 900, nodeName: "pve" });
        expect(vm.provider).toBe(onlyResource(plan(), "pulumi:providers:proxmoxve").urn);
    });

    it("imports its system disk from the downloaded noble image with importFrom, never fileId", () => {
        const vm = onlyResource(plan(), VM);
        const image = onlyResource(plan(), DOWNLOAD, "homelab-proxmox-cloud-image");
        const system = field<Json[]>(vm, "disks")[0]!;
        expect(system).toMatchObject({ interface: "scsi0", size: 32, datastoreId: "local-lvm" });
        // The download's id is "<datastore>:import/<fileName>" (providers.md §2.1).
        expect(system["importFrom"]).toBe(`${String(image.inputs["datastoreId"])}:import/${String(image.inputs["fileName"])}`);
        expect(vm.dependencies).toContain(image.urn);
        expect(field<Json[]>(vm, "disks").every((disk) => disk["fileId"] === undefined)).toBe(true);
        expect(field<string>(vm, "scsiHardware")).toBe("virtio-scsi-single");
    });

    it("downloads a dated noble image pinned by checksum and never overwrites it", () => {
        const image = onlyResource(plan(), DOWNLOAD, "homelab-proxmox-cloud-image");
        expect(image.inputs).toMatchObject({ contentType: "import", overwrite: false, checksumAlgorithm: "sha256" });
        expect(String(image.inputs["url"])).toMatch(/^https:\/\/cloud-images\.ubuntu\.com\/releases\/noble\/release-\d{8}\/ubuntu-24\.04-server-cloudimg-amd64\.img$/);
        expect(String(image.inputs["checksum"])).toMatch(/^[0-9a-f]{64}$/);
        expect(String(image.inputs["fileName"])).toMatch(/\.qcow2$/);
    });

    it("has 2 cores of the configured CPU type, fixed memory, the guest agent and a serial console", () => {
        const vm = onlyResource(plan(), VM);
        // host: x86-64-v2-AES would hide AVX from Immich's machine learning.
        expect(vm.inputs["cpu"]).toEqual({ cores: 2, sockets: 1, type: "host" });
        const memory = stack === "prod" ? 10240 : 6144;
        expect(vm.inputs["memory"]).toEqual({ dedicated: memory, floating: memory });
        expect(vm.inputs["agent"]).toMatchObject({ enabled: true, timeout: "5m" });
        expect(vm.inputs["serialDevices"]).toEqual([{ device: "socket" }]);
        expect(vm.inputs["operatingSystem"]).toEqual({ type: "l26" });
    });

    it("applies the provider pitfalls: sorted lower-case tags, speed diffs ignored per disk, stop on destroy, no surprise reboots", () => {
        const vm = onlyResource(plan(), VM);
        const tags = field<string[]>(vm, "tags");
        expect(tags).toEqual([...tags].sort());
        expect(tags.every((tag) => tag === tag.toLowerCase())).toBe(true);
        const diskCount = field<Json[]>(vm, "disks").length;
        expect(vm.ignoreChanges).toEqual(expect.arrayContaining(Array.from({ length: diskCount }, (_, index) => `disks[${index}].speed`)));
        expect(vm.ignoreChanges.some((path) => path.includes("*"))).toBe(false);
        expect(vm.inputs).toMatchObject({ stopOnDestroy: true, rebootAfterUpdate: false, onBoot: true, started: true });
        expect(field<Json>(vm, "startup")["order"]).toEqual(expect.any(Number));
    });

    it("has a static address, gateway and DNS through cloud-init, and the first-boot snippet", () => {
        const vm = onlyResource(plan(), VM);
        const snippet = onlyResource(plan(), SNIPPET);
        const initialization = field<Json>(vm, "initialization");
        expect(initialization["ipConfigs"]).toEqual([{ ipv4: { address: stack === "prod" ? "192.168.1.89/24" : "192.168.1.189/24", gateway: "192.168.1.1" } }]);
        expect(initialization["dns"]).toEqual({ servers: ["192.168.1.1"] });
        const source = field<Json>(snippet, "sourceRaw");
        expect(initialization["userDataFileId"]).toBe(`local:snippets/${String(source["fileName"])}`);
        expect(snippet.inputs).toMatchObject({ contentType: "snippets", datastoreId: "local", nodeName: "pve" });
        expect(field<Json[]>(vm, "networkDevices")).toEqual([{ bridge: "vmbr0", model: "virtio", firewall: false }]);
    });

    it("renders user-data that cloud-init's schema accepts, with no password and ssh_pwauth false", () => {
        const data = String(field<Json>(onlyResource(plan(), SNIPPET), "sourceRaw")["data"]);
        const document = parse(data) as Json;
        const validate = cloudConfigValidator();
        expect(validate(document) ? [] : validate.errors).toEqual([]);
        expect(document["ssh_pwauth"]).toBe(false);
        // lock_passwd: true is the one password-related key allowed: it locks the account's password.
        expect(data).not.toMatch(/^[\s-]*(passwd|hashed_passwd|plain_text_passwd|password|chpasswd):/m);
        expect(data).toMatch(/^\s*lock_passwd: true$/m);
    });

    it("never passes a raw USB device (usbs[].host), which Proxmox refuses from API tokens", () => {
        // The search finds a raw device where there is one, also inside JSON-encoded inputs.
        expect(usbEntries({ usbs: [{ host: "059f:1061" }] })).toEqual([{ host: "059f:1061" }]);
        expect(usbEntries({ vm: JSON.stringify([{ usbs: [{ host: "2-1" }] }]) })).toEqual([{ host: "2-1" }]);
        const entries = plan().resources.flatMap((resource) => usbEntries(resource.inputs));
        expect(entries).toHaveLength(stack === "prod" ? 1 : 0);
        expect(entries.filter((entry) => "host" in entry)).toEqual([]);
    });

    it("bootstraps in six steps over SSH to the VM's address, each after the previous and after the VM", () => {
        const vm = onlyResource(plan(), VM);
        const commands = steps(plan());
        // Every remote command on the VM is one of the bootstrap steps (WireGuard's run on the host).
        const onTheVm = resourcesOfType(plan(), COMMAND).filter((command) => command.urn.includes("homelab:proxmox:UbuntuVm$"));
        expect(onTheVm).toHaveLength(STEPS.length);
        commands.forEach((command, index) => {
            expect(command.dependencies).toContain(vm.urn);
            if (index > 0) {
                expect(command.dependencies).toContain(commands[index - 1]!.urn);
            }
            // The connection (address, user, maybe a key) is always stored as a secret.
            expect(command.inputs["connection"]).toBe("[secret]");
            expect(String(command.inputs["create"])).toMatch(new RegExp(`^: homelab bootstrap step=${STEPS[index]} sha256=[0-9a-f]{16}\\n`));
            // The VM's id as trigger. The id is the fixed VMID and survives a replacement; the steps run
            // again on a new VM because it is replaced delete-before-replace, which replaces the
            // dependents whose inputs come from it (the engine's calculateDependentReplacements).
            expect(command.inputs["triggers"]).toEqual([`${vm.name}-id`]);
            expect(vm.deleteBeforeReplace).toBe(true);
            // sshd refuses the previous-output environment variables; sending them only warns.
            expect(command.inputs["addPreviousOutputInEnv"]).toBe(false);
        });
    });

    it("pins Docker from Docker's repository and keeps the data disk found by label", () => {
        const [, , dataDisk, installDocker] = steps(plan());
        expect(environmentOf(installDocker!, "DOCKER_ENGINE_VERSION")).toMatch(/^5:28\.\d+\.\d+-1~ubuntu\.24\.04~noble$/);
        expect(environmentOf(dataDisk!, "DATA_DISK_LABEL")).toBe(stack === "prod" ? "lacie" : "homelab-dev");
        expect(environmentOf(dataDisk!, "DATA_MOUNT_POINT")).toBe("/home/homelab/media");
        expect(String(dataDisk!.inputs["create"])).not.toMatch(/\/dev\/sd[a-z]/);
    });

});

it("both stacks export the VM's id, address and SSH command", () => {
    expect(prod.outputs).toMatchObject({ vmId: 100, vmAddress: "192.168.1.89", vmSshCommand: "ssh homelab@192.168.1.89" });
    expect(dev.outputs).toMatchObject({ vmId: 900, vmAddress: "192.168.1.189", vmSshCommand: "ssh homelab@192.168.1.189" });
});

describe("prod", () => {
    it("is protected: the VM in Pulumi and in Proxmox, and the USB mapping", () => {
        const vm = onlyResource(prod, VM);
        expect(vm.protect).toBe(true);
        expect(vm.inputs["protection"]).toBe(true);
        expect(onlyResource(prod, USB_MAPPING).protect).toBe(true);
    });

    it("passes the USB disk through one mapping of the configured vendor:product id, as usb3", () => {
        const mapping = onlyResource(prod, USB_MAPPING);
        const vm = onlyResource(prod, VM);
        expect(mapping.inputs["maps"]).toEqual([{ node: "pve", id: "059f:0000" }]);
        expect(String(mapping.inputs["name"])).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(vm.inputs["usbs"]).toEqual([{ mapping: mapping.inputs["name"], usb3: true }]);
        expect(vm.dependencies).toContain(mapping.urn);
    });

    it("has one disk and tells the bootstrap the data disk is the USB one", () => {
        expect(field<Json[]>(onlyResource(prod, VM), "disks")).toHaveLength(1);
        const dataDisk = steps(prod)[2]!;
        expect(environmentOf(dataDisk, "DATA_DISK_SOURCE")).toBe("usb");
        expect(environmentOf(dataDisk, "DATA_DISK_SERIAL")).toBeUndefined();
    });
});

describe("dev", () => {
    it("has no USB mapping and no USB device", () => {
        expect(resourcesOfType(dev, USB_MAPPING)).toEqual([]);
        expect(onlyResource(dev, VM).inputs["usbs"]).toEqual([]);
    });

    it("has a second virtual disk of the configured size, which the bootstrap finds by its serial", () => {
        const vm = onlyResource(dev, VM);
        const disks = field<Json[]>(vm, "disks");
        expect(disks).toHaveLength(2);
        expect(disks[1]).toMatchObject({ interface: "scsi1", size: 16, datastoreId: "local-lvm" });
        expect(disks[1]!["importFrom"]).toBeUndefined();
        const dataDisk = steps(dev)[2]!;
        expect(environmentOf(dataDisk, "DATA_DISK_SOURCE")).toBe("virtual");
        expect(environmentOf(dataDisk, "DATA_DISK_SERIAL")).toBe(disks[1]!["serial"]);
    });

    it("differs from prod in VMID, name and address, and is not protected", () => {
        const devVm = onlyResource(dev, VM);
        const prodVm = onlyResource(prod, VM);
        for (const key of ["vmId", "name"]) {
            expect(devVm.inputs[key]).not.toEqual(prodVm.inputs[key]);
        }
        const address = (vm: PlannedResource) => JSON.stringify(field<Json>(vm, "initialization")["ipConfigs"]);
        expect(address(devVm)).not.toBe(address(prodVm));
        expect(devVm.protect).toBe(false);
        expect(devVm.inputs["protection"]).toBe(false);
        expect(protectedResourceNames(dev)).toEqual([]);
    });
});

describe("changes", () => {
    it("a day-2 setting (log rotation size) changes only the docker-daemon command", async () => {
        const changed = await planStackText("prod", editedStackText("prod", (config) => {
            config["homelab:docker"] = { logMaxSizeMiB: 50 };
        }));
        const difference = comparePlans(prod, changed);
        expect(difference.added).toEqual([]);
        expect(difference.removed).toEqual([]);
        expect(difference.changed).toEqual([resourceByName(prod, "homelab-vm-bootstrap-docker-daemon").urn]);
        const daemonJson = Buffer.from(environmentOf(resourceByName(changed, "homelab-vm-bootstrap-docker-daemon"), "DAEMON_JSON_BASE64")!, "base64").toString("utf8");
        expect(JSON.parse(daemonJson)).toMatchObject({ "log-opts": { "max-size": "50m" } });
    });

    it("a first-boot setting (an SSH key) changes the snippet's name and so the VM, which prod protects", async () => {
        const changed = await planStackText("prod", editedStackText("prod", (config) => {
            const vm = config["homelab:vm"] as Json;
            vm["sshPublicKeys"] = [...(vm["sshPublicKeys"] as string[]), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNlY29uZC1rZXk owner@phone"];
        }));
        const difference = comparePlans(prod, changed);
        const vm = onlyResource(changed, VM);
        expect(difference.changed.sort()).toEqual([onlyResource(prod, SNIPPET).urn, vm.urn].sort());
        expect(field<Json>(vm, "initialization")["userDataFileId"]).not.toEqual(field<Json>(onlyResource(prod, VM), "initialization")["userDataFileId"]);
        // userDataFileId forces a new VM (providers.md §1): protect makes `pulumi up` refuse it, and the
        // fixed VMID needs the old VM gone before a new one can exist.
        expect(vm.protect).toBe(true);
        expect(vm.deleteBeforeReplace).toBe(true);
    });
});
