// The WireGuard part of the committed stacks' plans, and how the plan changes when peers come and go.
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { deterministicBytes, SECRET_MARK } from "../../tools/plan/capture";
import { clampPrivateKey } from "../../components/wireguard/keys";
import { comparePlans, onlyResource, planStack, planStackText, resourceByName, resourcesOfType } from "../helpers/plan";
import { editedStackText } from "../helpers/stack-text";

const CONTAINER = "proxmoxve:index/containerLegacy:ContainerLegacy";
const DOWNLOAD = "proxmoxve:download/file:File";
const RANDOM_BYTES = "random:index/randomBytes:RandomBytes";
const PEER = "homelab:wireguard:WireGuardPeer";

type Wireguard = { peers: Record<string, unknown>[] } & Record<string, unknown>;
const editWireguard = (stack: string, edit: (wireguard: Wireguard) => void) =>
    editedStackText(stack, (config) => edit(config["homelab:wireguard"] as Wireguard));

let prod: Plan;
let dev: Plan;
let withTablet: Plan;
let withoutPhone: Plan;
let disabled: Plan;
let otherVmDatastore: Plan;

beforeAll(async () => {
    prod = await planStack("prod");
    dev = await planStack("dev");
    withTablet = await planStackText("prod", editWireguard("prod", (wg) => wg.peers.push({ name: "tablet" })));
    withoutPhone = await planStackText("prod", editWireguard("prod", (wg) => (wg.peers = wg.peers.filter((peer) => peer["name"] !== "phone"))));
    disabled = await planStackText("prod", editWireguard("prod", (wg) => (wg["enabled"] = false)));
    otherVmDatastore = await planStackText("prod", editedStackText("prod", (config) => ((config["homelab:vm"] as Record<string, unknown>)["datastore"] = "fast-ssd")));
}, 120_000);

const wireguardResources = (plan: Plan) => plan.resources.filter((resource) => resource.name.startsWith("homelab-wireguard"));
const input = (resource: PlannedResource, key: string) => resource.inputs[key];

describe("prod: the WireGuard container", () => {
    it("is exactly one unprivileged, protected LXC container that starts on boot", () => {
        const container = onlyResource(prod, CONTAINER);
        expect(container.name).toBe("homelab-wireguard-container");
        expect(input(container, "unprivileged")).toBe(true);
        expect(container.protect).toBe(true);
        expect(input(container, "startOnBoot")).toBe(true);
        expect(input(container, "started")).toBe(true);
        expect(input(container, "vmId")).toBe(110);
        // A fixed VMID: a replacement must delete the old container first, or Proxmox refuses the id.
        expect(container.deleteBeforeReplace).toBe(true);
    });

    it("has the static LAN address, gateway, bridge and DNS from the stack config", () => {
        const container = onlyResource(prod, CONTAINER);
        expect(input(container, "initialization")).toEqual({
            dns: { servers: ["192.168.1.1"] },
            hostname: "wireguard",
            ipConfigs: [{ ipv4: { address: "192.168.1.90/24", gateway: "192.168.1.1" } }],
        });
        expect(input(container, "networkInterfaces")).toEqual([{ name: "eth0", bridge: "vmbr0", firewall: false }]);
    });

    it("sets its disk's datastore explicitly (the provider's default is ForceNew), from vm.datastore by default", () => {
        expect(input(onlyResource(prod, CONTAINER), "disk")).toEqual({ datastoreId: "local-lvm", size: 4 });
        expect(input(onlyResource(otherVmDatastore, CONTAINER), "disk")).toEqual({ datastoreId: "fast-ssd", size: 4 });
    });

    it("has sorted lower-case tags (Proxmox stores them so; anything else diffs forever)", () => {
        const tags = input(onlyResource(prod, CONTAINER), "tags") as string[];
        expect(tags.length).toBeGreaterThan(0);
        expect(tags).toEqual([...tags].sort());
        expect(tags.every((tag) => tag === tag.toLowerCase())).toBe(true);
    });

    it("is made from the pinned Debian template it downloads, never overwritten", () => {
        const template = onlyResource(prod, DOWNLOAD, "homelab-wireguard-template");
        expect(template.name).toBe("homelab-wireguard-template");
        expect(template.inputs).toMatchObject({ contentType: "vztmpl", datastoreId: "local", nodeName: "pve", overwrite: false });
        expect(input(template, "url")).toMatch(/^https:\/\/download\.proxmox\.com\/images\/system\/debian-1[23]-standard_[\d.]+-\d+_amd64\.tar\.zst$/);
        const container = onlyResource(prod, CONTAINER);
        // The mock gives a download the id the provider gives: <datastore>:<content type>/<file name>.
        expect(input(container, "operatingSystem")).toEqual({ templateFileId: `local:vztmpl/${String(input(template, "fileName"))}`, type: "debian" });
        expect(container.dependencies).toContain(template.urn);
    });

    it("is not protected in dev, has its own host name and its own template file", () => {
        const container = onlyResource(dev, CONTAINER);
        expect(container.protect).toBe(false);
        expect((input(container, "initialization") as { hostname: string }).hostname).toBe("wireguard-dev");
        expect(input(onlyResource(dev, DOWNLOAD, "homelab-wireguard-template"), "fileName")).not.toBe(input(onlyResource(prod, DOWNLOAD, "homelab-wireguard-template"), "fileName"));
    });
});

describe("prod: the commands", () => {
    it("loads the wireguard module on the Proxmox host, persistently, over the host's SSH connection", () => {
        const hostModules = resourceByName(prod, "homelab-wireguard-host-modules");
        const script = String(input(hostModules, "create"));
        expect(script).toMatch(/modprobe "\$module"/);
        expect(script).toMatch(/set -- wireguard /);
        expect(script).toContain("/etc/modules-load.d/");
        expect(input(hostModules, "connection")).toBe(SECRET_MARK);
        expect(input(hostModules, "addPreviousOutputInEnv")).toBe(false);
    });

    it("writes wg0.conf through pct exec, after the container and the host module, with the file only on stdin", () => {
        const configCommand = resourceByName(prod, "homelab-wireguard-config");
        const container = onlyResource(prod, CONTAINER);
        expect(configCommand.dependencies).toContain(container.urn);
        expect(configCommand.dependencies).toContain(resourceByName(prod, "homelab-wireguard-host-modules").urn);
        expect(input(configCommand, "triggers")).toEqual([`${container.name}-id`]);
        expect(input(configCommand, "stdin")).toBe(SECRET_MARK);
        expect(input(configCommand, "logging")).toBe("none");
        expect(input(configCommand, "addPreviousOutputInEnv")).toBe(false);
        const create = String(input(configCommand, "create"));
        expect(create).toMatch(/^# wg0\.conf sha256 [0-9a-f]{64}\npct exec 110 -- bash -c '/);
        expect(create).toContain("wg syncconf wg0 <(wg-quick strip wg0)");
    });

    it("shows no key anywhere in the plan: every input and output derived from RandomBytes is secret", () => {
        const text = JSON.stringify(prod);
        const keyResources = resourcesOfType(prod, RANDOM_BYTES);
        expect(keyResources.length).toBeGreaterThan(0);
        for (const resource of keyResources) {
            // The mock's bytes for this resource, in every form the program could print them.
            const bytes = deterministicBytes(resource.name, 32);
            for (const form of [bytes.toString("base64"), clampPrivateKey(bytes.toString("base64")), bytes.toString("hex")]) {
                expect(text).not.toContain(form);
            }
        }
    });
});

describe("prod: keys and outputs", () => {
    it("has one private key and one preshared key per peer, and one private key for the server, all 32 bytes", () => {
        const names = resourcesOfType(prod, RANDOM_BYTES).map((resource) => resource.name).sort();
        expect(names).toEqual([
            "homelab-wireguard-peer-laptop-preshared-key",
            "homelab-wireguard-peer-laptop-private-key",
            "homelab-wireguard-peer-phone-preshared-key",
            "homelab-wireguard-peer-phone-private-key",
            "homelab-wireguard-private-key",
        ]);
        expect(resourcesOfType(prod, RANDOM_BYTES).every((resource) => input(resource, "length") === 32)).toBe(true);
        expect(resourcesOfType(prod, PEER).map((peer) => peer.name).sort()).toEqual(["homelab-wireguard-peer-laptop", "homelab-wireguard-peer-phone"]);
    });

    it("outputs the peers' configs and QR codes as a secret, and the router rule, endpoint and addresses in the clear", () => {
        expect(prod.outputs["wireguardPeers"]).toBe(SECRET_MARK);
        expect(prod.outputs["wireguardPortForward"]).toBe("UDP 51820 → 192.168.1.90:51820");
        expect(prod.outputs["wireguardEndpoint"]).toBe("vpn.example.com:51820");
        expect(prod.outputs["wireguardServerPublicKey"]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
        const addresses = prod.outputs["wireguardPeerAddresses"] as Record<string, string>;
        expect(Object.keys(addresses).sort()).toEqual(["laptop", "phone"]);
        expect(Object.values(addresses).every((address) => /^10\.8\.0\.\d+$/.test(address) && address !== "10.8.0.1")).toBe(true);
    });

    it("uses dev's own port in its outputs", () => {
        expect(dev.outputs["wireguardPortForward"]).toBe("UDP 51821 → 192.168.1.190:51821");
        expect(dev.outputs["wireguardEndpoint"]).toBe("vpn.example.com:51821");
    });
});

describe("peers come and go", () => {
    it("adding a peer adds only its resources and changes only the server's config command", () => {
        const { added, removed, changed } = comparePlans(prod, withTablet);
        expect(added.map((urn) => urn.split("::").pop()).sort()).toEqual([
            "homelab-wireguard-peer-tablet",
            "homelab-wireguard-peer-tablet-preshared-key",
            "homelab-wireguard-peer-tablet-private-key",
        ]);
        expect(removed).toEqual([]);
        expect(changed).toEqual([resourceByName(prod, "homelab-wireguard-config").urn]);
        const before = prod.outputs["wireguardPeerAddresses"] as Record<string, string>;
        expect(withTablet.outputs["wireguardPeerAddresses"]).toEqual({ ...before, tablet: expect.stringMatching(/^10\.8\.0\.\d+$/) as unknown });
    });

    it("removing the first peer removes only its resources and leaves the others' keys and addresses as they were", () => {
        const { added, removed, changed } = comparePlans(prod, withoutPhone);
        expect(added).toEqual([]);
        expect(removed.map((urn) => urn.split("::").pop()).sort()).toEqual([
            "homelab-wireguard-peer-phone",
            "homelab-wireguard-peer-phone-preshared-key",
            "homelab-wireguard-peer-phone-private-key",
        ]);
        expect(changed).toEqual([resourceByName(prod, "homelab-wireguard-config").urn]);
        const before = prod.outputs["wireguardPeerAddresses"] as Record<string, string>;
        expect(withoutPhone.outputs["wireguardPeerAddresses"]).toEqual({ laptop: before["laptop"] });
    });
});

describe("WireGuard disabled", () => {
    it("declares no WireGuard resource and no WireGuard output", () => {
        expect(wireguardResources(disabled)).toEqual([]);
        expect(Object.keys(disabled.outputs).filter((key) => key.startsWith("wireguard"))).toEqual([]);
        expect(wireguardResources(prod).length).toBeGreaterThan(0);
    });
});
