// The API token's role, re-derived from what the plans of both stacks ask Proxmox to do: each rule
// names the Proxmox source that checks the privilege. The README's `pveum role add` must grant
// exactly the union, and docs/provider-contract.md must explain each privilege.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { planStack } from "../helpers/plan";

interface PrivilegeRule {
    readonly privileges: readonly string[];
    /** The resource type whose declaration needs them. */
    readonly type: string;
    /** Whether this resource's inputs need them. Default: every resource of the type. */
    readonly when?: (resource: PlannedResource) => boolean;
    /** The Proxmox source that checks them. */
    readonly source: string;
}

const VM = "proxmoxve:index/vmLegacy:VmLegacy";
const CONTAINER = "proxmoxve:index/containerLegacy:ContainerLegacy";
const has = (key: string) => (resource: PlannedResource) => resource.inputs[key] !== undefined && resource.inputs[key] !== null;
const nonEmpty = (key: string) => (resource: PlannedResource) => Array.isArray(resource.inputs[key]) && (resource.inputs[key] as unknown[]).length > 0;

const RULES: readonly PrivilegeRule[] = [
    // --- the VM (qemu-server src/PVE/API2/Qemu.pm) ---
    { type: VM, privileges: ["VM.Allocate", "Datastore.AllocateSpace"], source: "qemu-server Qemu.pm create_vm, $check_storage_access (new disks)" },
    { type: VM, privileges: ["VM.Audit"], source: "qemu-server Qemu.pm vm_config, vm_status (every refresh)" },
    { type: VM, privileges: ["VM.PowerMgmt"], when: (vm) => vm.inputs["started"] === true, source: "qemu-server Qemu.pm vm_start, vm_stop, vm_shutdown" },
    { type: VM, privileges: ["VM.Config.CPU"], when: has("cpu"), source: "qemu-server Qemu.pm $check_vm_modify_config_perm ($cpuoptions)" },
    { type: VM, privileges: ["VM.Config.Memory"], when: has("memory"), source: "qemu-server Qemu.pm $check_vm_modify_config_perm ($memoryoptions)" },
    { type: VM, privileges: ["VM.Config.Options"], source: "qemu-server Qemu.pm $check_vm_modify_config_perm ($generaloptions: name, description, onboot, agent, ostype, protection)" },
    { type: VM, privileges: ["Sys.Modify"], when: has("startup"), source: "qemu-server Qemu.pm $check_vm_modify_config_perm (startup: Sys.Modify on /)" },
    { type: VM, privileges: ["VM.Config.HWType"], when: (vm) => has("scsiHardware")(vm) || has("vga")(vm) || nonEmpty("serialDevices")(vm) || nonEmpty("usbs")(vm), source: "qemu-server Qemu.pm $hwtypeoptions, $check_vm_create_serial_perm, check_usb_perm" },
    { type: VM, privileges: ["Mapping.Use"], when: nonEmpty("usbs"), source: "qemu-server Qemu.pm check_usb_perm (Mapping.Use on /mapping/usb/<name>)" },
    { type: VM, privileges: ["VM.Config.Network", "SDN.Use"], when: nonEmpty("networkDevices"), source: "qemu-server Qemu.pm $check_vm_modify_config_perm (netN), QemuServer.pm check_bridge_access" },
    { type: VM, privileges: ["VM.Config.Disk"], when: nonEmpty("disks"), source: "qemu-server Qemu.pm update_vm (drives), resize_vm" },
    { type: VM, privileges: ["VM.Config.CDROM"], when: (vm) => has("cdrom")(vm) || has("initialization")(vm), source: "qemu-server Qemu.pm update_vm (CD-ROM drives, and the cloud-init drive with VM.Config.Cloudinit)" },
    { type: VM, privileges: ["VM.Config.Cloudinit"], when: has("initialization"), source: "qemu-server Qemu.pm $check_vm_modify_config_perm ($cloudinitoptions: cicustom, nameserver, ipconfigN)" },
    // --- the image and the snippet (pve-storage, pve-manager) ---
    { type: "proxmoxve:download/file:File", privileges: ["Datastore.AllocateTemplate", "Sys.Audit", "Sys.Modify"], source: "pve-storage API2/Storage/Status.pm download_url; pve-manager API2/Nodes.pm query_url_metadata" },
    { type: "proxmoxve:download/file:File", privileges: ["Datastore.Allocate"], source: "pve-storage API2/Storage/Content.pm delete" },
    { type: "proxmoxve:index/fileLegacy:FileLegacy", privileges: ["Datastore.Allocate"], source: "pve-storage Storage.pm check_volume_access (snippets are listed only with Datastore.Allocate), Content.pm delete" },
    { type: "proxmoxve:index/fileLegacy:FileLegacy", privileges: ["Datastore.Audit"], source: "pve-storage API2/Storage/Content.pm index, Status.pm read_status (read: Audit or AllocateSpace)" },
    // --- the USB mapping (pve-manager API2/Cluster/Mapping/USB.pm) ---
    { type: "proxmoxve:hardware/mapping/usb:Usb", privileges: ["Mapping.Modify"], source: "pve-manager API2/Cluster/Mapping/USB.pm create, update, delete" },
    { type: "proxmoxve:hardware/mapping/usb:Usb", privileges: ["Mapping.Audit"], source: "pve-manager API2/Cluster/Mapping/USB.pm get, index (read: Audit, Use or Modify)" },
    // --- the WireGuard container (pve-container src/PVE/API2/LXC.pm, src/PVE/LXC.pm) ---
    { type: CONTAINER, privileges: ["VM.Allocate", "Datastore.AllocateSpace", "VM.Audit", "VM.PowerMgmt"], source: "pve-container API2/LXC.pm create_vm, vm_config, vm_start" },
    { type: CONTAINER, privileges: ["VM.Config.CPU", "VM.Config.Memory", "VM.Config.Disk", "VM.Config.Network", "VM.Config.Options", "SDN.Use"], source: "pve-container LXC.pm check_ct_modify_config_perm, check_bridge_access" },
    // --- the vzdump job of the guests (pve-manager API2/Backup.pm) ---
    { type: "proxmoxve:backup/job:Job", privileges: ["Sys.Modify", "Datastore.Allocate"], source: "pve-manager API2/Backup.pm create_job, update_job (Sys.Modify on /), assert_param_permission_create (Datastore.Allocate on /storage/<storage>)" },
    { type: "proxmoxve:backup/job:Job", privileges: ["Sys.Audit"], source: "pve-manager API2/Backup.pm read_job (Sys.Audit on /: the provider reads the job back after every write)" },
];

function derivedPrivileges(plans: readonly Plan[]): string[] {
    const needed = new Set<string>();
    for (const resource of plans.flatMap((plan) => plan.resources)) {
        for (const rule of RULES.filter((candidate) => candidate.type === resource.type && (candidate.when ?? (() => true))(resource))) {
            rule.privileges.forEach((privilege) => needed.add(privilege));
        }
    }
    return [...needed].sort();
}

const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
const contract = readFileSync(join(PROJECT_ROOT, "docs", "provider-contract.md"), "utf8");
const setup = readFileSync(join(PROJECT_ROOT, "docs", "proxmox-setup.md"), "utf8");
const readmePrivileges = (/pveum role add HomelabPulumi --privs "([^"]+)"/.exec(readme)?.[1] ?? "").split(",").sort();

let plans: Plan[];

beforeAll(async () => {
    plans = [await planStack("prod"), await planStack("dev")];
});

describe("the API token's role", () => {
    it("every privilege rule cites the Proxmox source that checks it", () => {
        expect(RULES.filter((rule) => !/^(qemu-server|pve-container|pve-storage|pve-manager) \S+\.pm \S/.test(rule.source))).toEqual([]);
    });

    it("the README's role grants exactly what the two stacks' plans need", () => {
        expect(readmePrivileges).toEqual(derivedPrivileges(plans));
    });

    it("drops VM.GuestAgent.Audit: the provider never queries the agent with waitForIp disabled", () => {
        // bpg proxmox/nodes/vms/vms.go WaitForNetworkInterfacesFromVMAgent returns at once when
        // WaitForIPConfig.Skip (agent.waitForIp.disabled) is set; nothing else asks the agent.
        const vm = plans[0]!.resources.find((resource) => resource.type === VM)!;
        expect((vm.inputs["agent"] as { waitForIp: { disabled: boolean } }).waitForIp.disabled).toBe(true);
        expect(readmePrivileges).not.toContain("VM.GuestAgent.Audit");
    });

    it("docs/provider-contract.md explains every privilege of the role", () => {
        const section = contract.slice(contract.indexOf("## The API token's role"));
        expect(readmePrivileges.filter((privilege) => !section.includes(`| \`${privilege}\` |`))).toEqual([]);
    });

    it("no longer calls initialization.upgrade root-only: it is a cloud-init option (ciupgrade, VM.Config.Cloudinit)", () => {
        // qemu-server Qemu.pm $cloudinitoptions lists ciupgrade; the setup guide said root@pam only.
        for (const text of [readme, setup]) {
            expect(text).not.toMatch(/`initialization\.upgrade`[^.]*root@pam/);
        }
        expect(setup).toContain("`ciupgrade`, under `VM.Config.Cloudinit`");
        expect(contract).toContain("ciupgrade");
    });
});
