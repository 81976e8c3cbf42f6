// What the bridged Proxmox provider (bpg/terraform-provider-proxmox v0.111.1, bridged by
// @muhlba91/pulumi-proxmoxve 8.6.0) and Proxmox itself do beyond what the mocks show, encoded
// against the plans of both committed stacks. Each test names the upstream file and function.
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { diffPlans, renderDiffMarkdown } from "../../tools/plan/diff";
import { onlyResource, planStack, planStackText } from "../helpers/plan";
import { editedStackText } from "../helpers/stack-text";

const VM = "proxmoxve:index/vmLegacy:VmLegacy";
const CONTAINER = "proxmoxve:index/containerLegacy:ContainerLegacy";
const USB_MAPPING = "proxmoxve:hardware/mapping/usb:Usb";
const DOWNLOAD = "proxmoxve:download/file:File";

type Json = Record<string, unknown>;
const vmSection = (config: Json) => config["homelab:vm"] as Json;

let prod: Plan;
let dev: Plan;
/** prod with the VM renamed. */
let prodRenamed: Plan;
/** prod with the VM's disk grown and its memory raised, in one change. */
let prodResizedWithMoreMemory: Plan;

// One at a time: the Pulumi runtime under mocks is a process-wide singleton.
beforeAll(async () => {
    prod = await planStack("prod");
    dev = await planStack("dev");
    prodRenamed = await planStackText("prod", editedStackText("prod", (config) => {
        vmSection(config)["name"] = "docker-host";
    }));
    prodResizedWithMoreMemory = await planStackText("prod", editedStackText("prod", (config) => {
        vmSection(config)["diskGiB"] = 64;
        vmSection(config)["memoryMiB"] = 12288;
    }));
});

/** The plan with one resource's inputs edited. */
function withInputs(plan: Plan, urn: string, edit: (inputs: Json) => Json): Plan {
    return { ...plan, resources: plan.resources.map((resource) => (resource.urn === urn ? { ...resource, inputs: edit(structuredClone(resource.inputs) as Json) } : resource)) };
}

const vmOf = (plan: Plan): PlannedResource => onlyResource(plan, VM);

describe("VmLegacy: the CD-ROM drive", () => {
    // proxmoxtf/resource/vm/vm.go VM(): `cdrom` has a DefaultFunc (ide3, file_id ""), which the
    // bridge applies in Check; vmCreateCustom then turns the empty file id into "cdrom", the host's
    // physical drive. qemu-server src/PVE/API2/Qemu.pm $check_storage_access demands Sys.Console on
    // "/" for a `cdrom` volume and checks nothing for `none`.
    it.each(["prod", "dev"])("the %s VM declares its CD-ROM as the empty drive `none`, never the physical `cdrom`", (stack) => {
        const plan = stack === "prod" ? prod : dev;
        expect(vmOf(plan).inputs["cdrom"]).toEqual({ fileId: "none", interface: "ide3" });
    });
});

describe("hardware.mapping.Usb: a renamed VM", () => {
    // fwprovider/cluster/hardwaremapping/resource_usb.go usbResource.Schema: `name` has no
    // RequiresReplace; usbResource.Update PUTs to hmPlan.Name, the new name, which does not exist.
    it("keeps the mapping's name when vm.name changes", () => {
        const before = onlyResource(prod, USB_MAPPING);
        const after = onlyResource(prodRenamed, USB_MAPPING);
        expect(vmOf(prodRenamed).inputs["name"]).toBe("docker-host");
        expect(after.inputs["name"]).toBe(before.inputs["name"]);
        expect(diffPlans(prod, prodRenamed).changed.map((change) => change.name)).not.toContain(after.name);
    });

    it("replaces the mapping, rather than renaming it in place, whenever its name does change", () => {
        const mapping = onlyResource(prod, USB_MAPPING);
        expect(mapping.replaceOnChanges).toEqual(["name"]);
        const renamed = withInputs(prod, mapping.urn, (inputs) => ({ ...inputs, name: "data-disk-other" }));
        const change = diffPlans(prod, renamed).changed.find((changed) => changed.urn === mapping.urn);
        expect(change).toMatchObject({ replace: true, replaceKeys: ["name"] });
    });

    it("the VM passes the disk through by the mapping's own name", () => {
        const mapping = onlyResource(prod, USB_MAPPING);
        expect(vmOf(prod).inputs["usbs"]).toEqual([{ mapping: mapping.inputs["name"], usb3: true }]);
        expect(vmOf(prod).dependencies).toContain(mapping.urn);
    });
});

describe("download.File: one file per stack", () => {
    // fwprovider/nodes/resource_download_file.go: Create refuses a file that already exists
    // ("File already exists in the datastore", overwrite_unmanaged false), so the second stack's
    // first up fails; were it adopted, Delete would remove the other stack's image on destroy.
    it("the dev and prod stacks download the cloud image to different files on the shared host", () => {
        const files = (plan: Plan) => plan.resources.filter((resource) => resource.type === DOWNLOAD).map((resource) => `${String(resource.inputs["datastoreId"])}:${String(resource.inputs["contentType"])}/${String(resource.inputs["fileName"])}`);
        expect(files(prod)).toHaveLength(2);
        expect(files(dev)).toHaveLength(2);
        expect(files(prod).filter((file) => files(dev).includes(file))).toEqual([]);
        const image = (plan: Plan) => onlyResource(plan, DOWNLOAD, "homelab-proxmox-cloud-image").inputs["fileName"];
        expect(image(prod)).toMatch(/\.vm100\.qcow2$/);
        expect(image(dev)).toMatch(new RegExp(`\\.vm${String(vmOf(dev).inputs["vmId"])}\\.qcow2$`));
    });
});

describe("download.File: names Proxmox parses", () => {
    // pve-storage src/PVE/Storage/Plugin.pm parse_volname: `import/` needs SAFE_CHAR+ and a
    // disk-image extension (Storage.pm $SAFE_CHAR_WITH_WHITESPACE_CLASS_RE, $IMPORT_EXT_RE_1);
    // `vztmpl/` needs a tar extension ($VZTMPL_EXT_RE_1). Anything else is not a volume at all.
    const IMPORT_VOLUME = /^import\/[ a-zA-Z0-9\-.+=_]+\.(ova|ovf|qcow2|raw|vmdk)$/;
    const VZTMPL_VOLUME = /^vztmpl\/[^/]+\.(tar|tar\.(gz|xz|zst|bz2))$/i;
    it.each(["prod", "dev"])("every %s download is a volume name of its content type", (stack) => {
        for (const download of (stack === "prod" ? prod : dev).resources.filter((resource) => resource.type === DOWNLOAD)) {
            const volume = `${String(download.inputs["contentType"])}/${String(download.inputs["fileName"])}`;
            expect(volume).toMatch(download.inputs["contentType"] === "import" ? IMPORT_VOLUME : VZTMPL_VOLUME);
        }
    });
});

describe("ContainerLegacy: features after creation", () => {
    // proxmoxtf/resource/container/container.go containerUpdate → containerGetFeaturesForUpdate
    // sends every flag (fuse=0,keyctl=0,nesting=1,mknod=0: proxmox/nodes/containers/containers_types.go
    // CustomFeatures.EncodeValues), and pve-container src/PVE/LXC.pm check_ct_modify_config_perm
    // refuses "changing feature flags (except nesting)" to anyone but root@pam.
    it("the WireGuard container sets only nesting and ignores later changes to `features`", () => {
        const container = onlyResource(prod, CONTAINER);
        expect(container.inputs["features"]).toEqual({ nesting: true });
        expect(container.ignoreChanges).toContain("features");
    });
});

describe("VmLegacy: a disk resize in the same update as a reboot", () => {
    // proxmoxtf/resource/vm/vm.go vmUpdate: a memory (or cpu, usb, ...) change sets rebootRequired;
    // vmPowerOffForPendingChanges finds the VM running with reboot_after_update false, and the resize
    // then fails with rebootAfterUpdateDisabledError("resize disks").
    it("the plan diff warns when vm.diskGiB grows together with vm.memoryMiB", () => {
        const change = diffPlans(prod, prodResizedWithMoreMemory).changed.find((changed) => changed.type === VM);
        expect(change?.keys).toEqual(expect.arrayContaining(["disks[0].size", "memory.dedicated"]));
        expect(change?.warnings).toEqual([expect.stringMatching(/disk resize together with memory\.dedicated, memory\.floating .*update of its own/)]);
        expect(renderDiffMarkdown(diffPlans(prod, prodResizedWithMoreMemory))).toContain("> [!WARNING]");
    });

    it("does not warn about a resize on its own, which the provider applies to the running VM", () => {
        const vm = vmOf(prod);
        const resized = withInputs(prod, vm.urn, (inputs) => {
            (inputs["disks"] as Json[])[0]!["size"] = 64;
            return inputs;
        });
        const change = diffPlans(prod, resized).changed.find((changed) => changed.type === VM);
        expect(change?.keys).toEqual(["disks[0].size"]);
        expect(change?.warnings).toEqual([]);
        expect(renderDiffMarkdown(diffPlans(prod, resized))).not.toContain("[!WARNING]");
    });
});

describe("nothing Proxmox keeps for root@pam", () => {
    // What an API token may never set, read from the sources: qemu-server Qemu.pm
    // $check_vm_modify_config_perm ("only root can set '$opt'": args, hookscript, affinity,
    // hugepages), $check_vm_create_serial_perm (serial ports other than socket), check_usb_perm
    // (raw `host` devices); vm.go setCPUArchitecture (cpu.architecture needs a root ticket);
    // pve-container LXC.pm check_ct_modify_config_perm (devN passthrough, hookscript, mount points
    // that are not volumes, feature flags other than nesting).
    it.each(["prod", "dev"])("the %s plan sets none of the root-only VM and container options", (stack) => {
        const plan = stack === "prod" ? prod : dev;
        const vm = vmOf(plan).inputs;
        const cpu = vm["cpu"] as Json;
        const memory = vm["memory"] as Json;
        expect([cpu["architecture"], cpu["affinity"], vm["kvmArguments"], vm["hookScriptFileId"], memory["hugepages"], vm["hostpcis"]]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
        expect((vm["serialDevices"] as Json[]).map((serial) => serial["device"])).toEqual(["socket"]);
        expect((vm["usbs"] as Json[]).filter((usb) => usb["host"] !== undefined)).toEqual([]);
        const container = onlyResource(plan, CONTAINER).inputs;
        expect([container["hookScriptFileId"], container["devicePassthroughs"], container["mountPoints"], container["idmaps"]]).toEqual([undefined, undefined, undefined, undefined]);
        expect(Object.keys(container["features"] as Json)).toEqual(["nesting"]);
    });
});
