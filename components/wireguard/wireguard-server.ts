// The one door into the homelab: a WireGuard server in an unprivileged Debian LXC container on the
// Proxmox host, with its peers declared in config. It lives outside the Docker VM so remote access
// survives a broken VM and still reaches the Proxmox UI to repair it.
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { formatIpv4, parseIpv4InterfaceAddress, parseIpv4Network } from "../network/ipv4";
import type { ProxmoxHost } from "../proxmox/proxmox-host";
import { clampPrivateKey, digestOf, publicKeyOf, WIREGUARD_KEY_BYTES } from "./keys";
import { allocatePeerAddresses, serverTunnelAddress } from "./peer-addresses";
import { readScript, shellQuote } from "./scripts";
import { formatEndpoint, peerAllowedIps, renderServerConfig } from "./wg-quick-files";
import type { PeerRouting } from "./wg-quick-files";
import { WireGuardPeer } from "./wireguard-peer";

/**
 * The Debian 13 standard template (the release Proxmox VE 9 is built on), pinned: Proxmox keeps
 * published template versions, and a moving name would replace the container
 * (operatingSystem.templateFileId is ForceNew). Newer names: `pveam available --section system`.
 */
export const DEBIAN_TEMPLATE = {
    url: "https://download.proxmox.com/images/system/debian-13-standard_13.1-2_amd64.tar.zst",
    baseName: "debian-13-standard_13.1-2_amd64",
} as const;

/** One peer as configured. */
export interface WireGuardPeerSpec {
    /** The peer's name. Required. */
    readonly name: string;
    /** A fixed tunnel address (dotted quad). Default: derived from the name (stable). */
    readonly address?: string;
    /** split: the LAN and the tunnel only; full: all traffic. Required. */
    readonly routing: PeerRouting;
}

export interface WireGuardServerArgs {
    /** The Proxmox host: provider, node name and SSH connection. Required. */
    readonly host: Pick<ProxmoxHost, "provider" | "nodeName" | "sshConnection">;
    /** The container's VMID. Required. */
    readonly containerId: number;
    /** The container's host name. Default: "wireguard". */
    readonly hostname?: string;
    /** The container's static LAN address with prefix, e.g. 192.168.1.90/24. Required. */
    readonly address: string;
    /** The LAN's router, the container's gateway. Required. */
    readonly gateway: string;
    /** The Proxmox bridge on the LAN. Required. */
    readonly bridge: string;
    /** The LAN in CIDR form; split-routing peers route it into the tunnel. Required. */
    readonly lan: string;
    /** DNS servers for the container itself. Required. */
    readonly dnsServers: readonly string[];
    /** Datastore for the container's root disk. Required. */
    readonly datastore: string;
    /** Datastore the template is downloaded to (needs the vztmpl content type). Required. */
    readonly templateDatastore: string;
    /** Root disk size. Default: 4 GiB. */
    readonly diskGiB?: number;
    /** Memory. Default: 256 MiB. */
    readonly memoryMiB?: number;
    /** CPU cores. Default: 1. */
    readonly cores?: number;
    /** The UDP port WireGuard listens on (and the router forwards). Required. */
    readonly port: number;
    /** The tunnel network in CIDR form; the server takes its first address. Required. */
    readonly subnet: string;
    /** The tunnel MTU. Required. */
    readonly mtu: number;
    /** The public DNS name or IP peers connect to. Required. */
    readonly endpoint: string;
    /** DNS servers peers use while connected. Required. */
    readonly peerDns: readonly string[];
    /** The peers. Default: none. */
    readonly peers?: readonly WireGuardPeerSpec[];
    /** The container's LAN interface, which peer traffic is masqueraded out of. Default: "eth0". */
    readonly lanInterface?: string;
    /** Protect the container from deletion and replacement. Default: false. */
    readonly protect?: boolean;
}

/** The WireGuard server container, the host's kernel module, the server config and the peers. */
export class WireGuardServer extends pulumi.ComponentResource {
    /** The Debian template on the host's files datastore. */
    public readonly template: proxmoxve.download.File;
    /** The unprivileged LXC container. */
    public readonly container: proxmoxve.ContainerLegacy;
    /** Loads the wireguard and NAT modules on the host, now and at boot. */
    public readonly hostModules: command.remote.Command;
    /** 32 random bytes: the server's private key. */
    public readonly privateKeyBytes: random.RandomBytes;
    /** The server's public key (base64). */
    public readonly publicKey: pulumi.Output<string>;
    /** The peers by name. */
    public readonly peers: ReadonlyMap<string, WireGuardPeer>;
    /** wg0.conf's text (secret). */
    public readonly serverConfig: pulumi.Output<string>;
    /** Writes wg0.conf into the container and applies it. */
    public readonly configCommand: command.remote.Command;
    /** The router rule the owner adds, e.g. "UDP 51820 → 192.168.1.90:51820". */
    public readonly portForward: string;
    /** What peers connect to, "host:port". */
    public readonly endpoint: string;

    constructor(name: string, args: WireGuardServerArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered: a bad peer list must not leave half a server declared.
        const subnet = parseIpv4Network(args.subnet);
        const containerAddress = parseIpv4InterfaceAddress(args.address);
        if (subnet === undefined || containerAddress === undefined) {
            throw new Error(`WireGuardServer ${name}: subnet ${args.subnet} and address ${args.address} must be CIDR (validated config guarantees it)`);
        }
        const peerSpecs = args.peers ?? [];
        const allocation = allocatePeerAddresses(subnet, peerSpecs);
        if (allocation.conflicts.length > 0) {
            throw new Error(`WireGuardServer ${name}: peers share addresses: ${allocation.conflicts.map((conflict) => `${conflict.name} and ${conflict.takenBy} (${conflict.address})`).join(", ")}`);
        }
        super("homelab:wireguard:WireGuardServer", name, {}, opts);
        const lanInterface = args.lanInterface ?? "eth0";
        const provider = args.host.provider;
        this.endpoint = formatEndpoint(args.endpoint, args.port);
        this.portForward = `UDP ${args.port} → ${formatIpv4(containerAddress.address)}:${args.port}`;

        this.template = new proxmoxve.download.File(`${name}-template`, {
            nodeName: args.host.nodeName,
            datastoreId: args.templateDatastore,
            contentType: "vztmpl",
            url: DEBIAN_TEMPLATE.url,
            // The container id in the name keeps each stack's copy its own: the dev and prod stacks
            // share the host, and one stack deleting a shared file would break the other.
            fileName: `${DEBIAN_TEMPLATE.baseName}.ct${args.containerId}.tar.zst`,
            overwrite: false,
        }, { parent: this, provider });

        this.hostModules = new command.remote.Command(`${name}-host-modules`, {
            connection: args.host.sshConnection,
            create: readScript("load-host-modules.sh"),
            // sshd refuses the previous output as environment variables (AcceptEnv); nothing reads it.
            addPreviousOutputInEnv: false,
        }, { parent: this });

        this.container = new proxmoxve.ContainerLegacy(`${name}-container`, {
            nodeName: args.host.nodeName,
            vmId: args.containerId,
            description: "WireGuard server: the homelab's only way in from outside. Managed by Pulumi.",
            unprivileged: true,
            // Debian 13's systemd sandboxes its units with namespaces, which an unprivileged container
            // only allows with nesting (Proxmox warns without it); nesting is the one feature an API
            // token may set, and in an unprivileged container it grants nothing on the host.
            features: { nesting: true },
            startOnBoot: true,
            started: true,
            // The door in comes up first, so it is there to repair whatever else fails to start.
            startup: { order: 1 },
            operatingSystem: { templateFileId: this.template.id, type: "debian" },
            cpu: { cores: args.cores ?? 1 },
            memory: { dedicated: args.memoryMiB ?? 256, swap: 0 },
            // Explicit: the provider's default datastore "local" is ForceNew and would replace the container.
            disk: { datastoreId: args.datastore, size: args.diskGiB ?? 4 },
            networkInterfaces: [{ name: lanInterface, bridge: args.bridge, firewall: false }],
            initialization: {
                hostname: args.hostname ?? "wireguard",
                ipConfigs: [{ ipv4: { address: args.address, gateway: args.gateway } }],
                dns: { servers: [...args.dnsServers] },
            },
            // Proxmox stores container tags sorted and lower-case; anything else diffs forever.
            tags: ["homelab", "wireguard"],
        }, {
            parent: this,
            provider,
            protect: args.protect ?? false,
            // The VMID is fixed: a replacement must remove the old container before creating the new
            // one ("CT 110 already exists" otherwise), and so the config command re-runs on the new one.
            deleteBeforeReplace: true,
            // An update of `features` sends every flag (fuse=0,keyctl=0,...), and Proxmox lets only
            // root@pam change flags other than nesting: after creation the token must not touch them.
            // docs/provider-contract.md says what changing them takes.
            ignoreChanges: ["features"],
        });

        this.privateKeyBytes = new random.RandomBytes(`${name}-private-key`, { length: WIREGUARD_KEY_BYTES }, { parent: this });
        const privateKey = pulumi.secret(this.privateKeyBytes.base64.apply(clampPrivateKey));
        this.publicKey = pulumi.unsecret(privateKey.apply(publicKeyOf));

        const peers = new Map<string, WireGuardPeer>();
        for (const spec of peerSpecs) {
            peers.set(spec.name, new WireGuardPeer(`${name}-peer-${spec.name}`, {
                address: allocation.addresses.get(spec.name)!,
                allowedIps: peerAllowedIps(spec.routing, args.subnet, args.lan),
                dns: args.peerDns,
                mtu: args.mtu,
                serverPublicKey: this.publicKey,
                endpoint: this.endpoint,
            }, { parent: this }));
        }
        this.peers = peers;

        const peerEntries = [...peers.entries()].map(([peerName, peer]) =>
            pulumi.all([peer.publicKey, peer.presharedKey]).apply(([publicKey, presharedKey]) => ({ name: peerName, address: peer.address, publicKey, presharedKey })),
        );
        this.serverConfig = pulumi.secret(
            pulumi.all([privateKey, pulumi.all(peerEntries)]).apply(([serverPrivateKey, entries]) =>
                renderServerConfig({
                    privateKey: serverPrivateKey,
                    address: formatIpv4(serverTunnelAddress(subnet)),
                    subnet: args.subnet,
                    listenPort: args.port,
                    mtu: args.mtu,
                    lanInterface,
                    peers: entries,
                }),
            ),
        );
        // The digest in the command text makes every change of wg0.conf an update that re-runs it,
        // without putting the file in the text: SHA-256 of a file holding 256-bit keys reveals none of them.
        const configDigest = pulumi.unsecret(this.serverConfig.apply(digestOf));
        this.configCommand = new command.remote.Command(`${name}-config`, {
            // Through the host with `pct exec`: no SSH server or key in the container, and the same
            // root SSH login the host module command uses. The file travels on stdin, never in the text.
            connection: args.host.sshConnection,
            create: pulumi.interpolate`# wg0.conf sha256 ${configDigest}\npct exec ${args.containerId} -- bash -c ${shellQuote(readScript("configure-server.sh"))}\n`,
            stdin: this.serverConfig,
            logging: "none",
            addPreviousOutputInEnv: false,
            // A new container starts empty: replace (re-run) the command with it.
            triggers: [this.container.id],
        }, { parent: this, dependsOn: [this.container, this.hostModules] });

        this.registerOutputs({ publicKey: this.publicKey, endpoint: this.endpoint, portForward: this.portForward });
    }
}
