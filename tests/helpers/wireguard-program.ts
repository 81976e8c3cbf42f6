// Runs the WireGuardServer component under the plan's mocks and resolves what the plan only shows
// as "[secret]": the server's wg0.conf and each peer's config and QR code, as the program builds them.
import type * as pulumi from "@pulumi/pulumi";
import { capturePlan } from "../../tools/plan/capture";
import type { Plan } from "../../tools/plan/capture";
import type { WireGuardServerArgs } from "../../components/wireguard/wireguard-server";
import { WireGuardServer } from "../../components/wireguard/wireguard-server";
import { ProxmoxHost } from "../../components/proxmox/proxmox-host";
import { NOBLE_CLOUD_IMAGE } from "../../stacks/config-schema";

export interface ResolvedWireGuard {
    readonly plan: Plan;
    readonly serverConfig: string;
    readonly serverPublicKey: string;
    readonly peers: ReadonlyMap<string, { readonly address: string; readonly publicKey: string; readonly config: string; readonly qrCode: string }>;
    readonly portForward: string;
    readonly endpoint: string;
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** The args prod's stack file gives, for tests that vary one of them. */
export const PROD_LIKE_ARGS: Omit<WireGuardServerArgs, "host"> = {
    containerId: 110,
    address: "192.168.1.90/24",
    gateway: "192.168.1.1",
    bridge: "vmbr0",
    lan: "192.168.1.0/24",
    dnsServers: ["192.168.1.1"],
    datastore: "local-lvm",
    templateDatastore: "local",
    port: 51820,
    subnet: "10.8.0.0/24",
    mtu: 1420,
    endpoint: "vpn.example.com",
    peerDns: ["192.168.1.1"],
    peers: [{ name: "phone", routing: "split" }, { name: "laptop", routing: "full" }],
    protect: true,
};

/** Declares a WireGuardServer (on a ProxmoxHost) under mocks and resolves its outputs. */
export async function resolveWireGuard(args: Omit<WireGuardServerArgs, "host"> = PROD_LIKE_ARGS): Promise<ResolvedWireGuard> {
    let server: WireGuardServer | undefined;
    const plan = await capturePlan({
        project: "homelab",
        stack: "component-test",
        config: {},
        secretKeys: [],
        validate: () => undefined,
        program: () => {
            const host = new ProxmoxHost("test-proxmox", {
                endpoint: "https://192.168.1.120:8006",
                nodeName: "pve",
                apiToken: "test@pve!t=00000000-0000-0000-0000-000000000000",
                ssh: { username: "root", address: "192.168.1.120", port: 22 },
                cloudImage: { ...NOBLE_CLOUD_IMAGE, datastoreId: "local", vmId: 100 },
            });
            server = new WireGuardServer("test-wireguard", { host, ...args });
            return {};
        },
    });
    const declared = server!;
    const peers = new Map<string, { address: string; publicKey: string; config: string; qrCode: string }>();
    for (const [name, peer] of declared.peers) {
        peers.set(name, { address: peer.address, publicKey: await valueOf(peer.publicKey), config: await valueOf(peer.config), qrCode: await valueOf(peer.qrCode) });
    }
    return {
        plan,
        serverConfig: await valueOf(declared.serverConfig),
        serverPublicKey: await valueOf(declared.publicKey),
        peers,
        portForward: declared.portForward,
        endpoint: declared.endpoint,
    };
}
