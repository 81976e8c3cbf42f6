// The stack configuration as a schema: every key the owner may set, its type, what is allowed
// and its default. Cross-field rules live in config-rules.ts; loading lives in config.ts.
import { z } from "zod";
import { minimumTotalMiB } from "../components/apps/memory";
import { parseIpv4, parseIpv4InterfaceAddress, parseIpv4Network } from "../components/network/ipv4";
import { BACKUP_SECRET_KEYS, backupSecretsShape, backupsSchema } from "./config-schema-backups";
import { appDigestField, immichDigestsShape } from "./config-schema-images";
import { NAMES_SECRET_KEYS, namesConfigSchemas } from "./config-schema-names";
import { privateKeyEncryption } from "./ssh-private-key";

/** Builds a schema-level error: "<what is wrong> (<what is allowed>)". */
export function allowed(what: string): { error: (issue: z.core.$ZodRawIssue) => string } {
    return { error: (issue) => `${describeProblem(issue)} (${what})` };
}

/**
 * Like `allowed`, for a secret: the message never repeats the value, because a problem list is
 * printed in a terminal and in CI logs where a key or a token must not appear, even in part.
 */
export function allowedSecret(what: string): { error: (issue: z.core.$ZodRawIssue) => string } {
    return { error: (issue) => `${issue.input === undefined ? "is missing" : "is not valid (the value is not shown: it is a secret)"} (${what})` };
}

/**
 * Like `allowed`, for a version string: YAML reads an unquoted `10.10` as the number 10.1, so a
 * number here gets a message that says so and to quote it, instead of "not a valid string".
 */
function allowedVersion(what: string): { error: (issue: z.core.$ZodRawIssue) => string } {
    return {
        error: (issue) =>
            typeof issue.input === "number"
                ? `${issue.input} is a YAML number, not a version: unquoted, a version such as 10.10 reads as the number 10.1 (write the version in quotes, e.g. version: "10.10.0"; ${what})`
                : `${describeProblem(issue)} (${what})`,
    };
}

function show(value: unknown): string {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeProblem(issue: z.core.$ZodRawIssue): string {
    const input: unknown = issue.input;
    if (input === undefined) {
        return "is missing";
    }
    switch (issue.code) {
        case "invalid_type":
            return `${show(input)} is not a valid ${String(issue.expected)}`;
        case "too_small":
        case "too_big":
            if (Array.isArray(input)) {
                return `has ${input.length} entries`;
            }
            return `${show(input)} is out of range`;
        default:
            return `${show(input)} is not allowed`;
    }
}

/** A strict object: a key that is not in `shape` is an error naming the keys that are. */
export function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
    const known = Object.keys(shape);
    return z.strictObject(shape, {
        error: (issue) => {
            if (issue.code === "unrecognized_keys") {
                return issue.keys.map((key) => unknownKeyMessage(key, known)).join("; ");
            }
            return `${describeProblem(issue)} (an object with the keys ${known.join(", ")})`;
        },
    });
}

/** "unknown key (known keys: …)", with a suggestion when the key is a near miss of a known one. */
function unknownKeyMessage(key: string, known: readonly string[]): string {
    const suggestion = known.find((candidate) => isNearMiss(key, candidate));
    const hint = suggestion === undefined ? "" : `did you mean "${suggestion}"? `;
    return `"${key}" is not a known key (${hint}known keys: ${known.join(", ")})`;
}

function isNearMiss(typed: string, candidate: string): boolean {
    const a = typed.toLowerCase();
    const b = candidate.toLowerCase();
    if (a === b) {
        return true;
    }
    // Levenshtein distance of at most 2 catches the usual typos without suggesting nonsense.
    const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = previous[0]!;
        previous[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = previous[j]!;
            previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return previous[b.length]! <= 2;
}

const ipv4 = z.string(allowed("an IPv4 address such as 192.168.1.1")).refine((text) => parseIpv4(text) !== undefined);
const ipv4Network = z
    .string(allowed("a network in CIDR form such as 192.168.1.0/24, with no host bits set"))
    .refine((text) => parseIpv4Network(text) !== undefined);
const ipv4InterfaceAddress = z
    .string(allowed("an address with its prefix length, such as 192.168.1.89/24"))
    .refine((text) => parseIpv4InterfaceAddress(text) !== undefined);

/** RFC 1123 host names: labels of letters, digits and inner hyphens, at most 253 characters. */
export const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
export const dnsName = z.string(allowed("a DNS name such as jellyfin.home.arpa: lower-case letters, digits, hyphens and dots")).regex(DNS_NAME);
const hostLabel = z.string(allowed("one DNS label: 1-63 lower-case letters, digits or inner hyphens")).regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);

/**
 * An exact release, spelled the way the app's image tags are: "X.Y.Z", with a leading v only for
 * Immich (the only one of the apps whose tags have it). "latest", a bare major or a floating
 * "33.0" would let the image move under us.
 */
const exactVersion = z
    .string(allowedVersion('an exact release "X.Y.Z" such as "10.11.11": major, minor and patch, without a leading v'))
    .regex(/^\d+\.\d+\.\d+$/);
const immichVersion = z
    .string(allowedVersion('an exact Immich release "vX.Y.Z" such as "v3.2.4": with the leading v, major, minor and patch'))
    .regex(/^v\d+\.\d+\.\d+$/);

const mebibytes = (minimum: number) => z.int(allowed(`a whole number of MiB, at least ${minimum}`)).min(minimum);
export const port = z.int(allowed("a port number from 1 to 65535")).min(1).max(65535);
const proxmoxGuestId = z.int(allowed("a Proxmox VMID from 100 to 999999999")).min(100).max(999_999_999);
const absolutePath = z
    .string(allowed("an absolute path such as /home/homelab/media, without spaces or quotes"))
    .regex(/^\/[A-Za-z0-9._/-]*$/)
    .refine((path) => !path.split("/").includes(".."));

const SSH_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( \S.*)?$/;
const sshPublicKey = z.string(allowed('an OpenSSH public key line such as "ssh-ed25519 AAAA... you@laptop"')).regex(SSH_PUBLIC_KEY);

/** The smallest system disk: the 3.5 GiB noble image plus ~12 GiB of container images (apps.md §7.3). */
export const MINIMUM_SYSTEM_DISK_GIB = 16;
/** Memory the VM keeps for Ubuntu, dockerd and the page cache, outside every container limit. */
export const OPERATING_SYSTEM_RESERVE_MIB = 1024;

const proxmoxSchema = strictObject({
    /** The Proxmox API URL, e.g. https://192.168.1.120:8006. */
    endpoint: z.string(allowed("an https:// URL such as https://192.168.1.120:8006")).regex(/^https:\/\/[^\s/]+(:\d+)?\/?$/),
    /** The Proxmox node name (not its address), e.g. pve. */
    node: hostLabel,
    /** Accept the self-signed certificate a fresh Proxmox install serves. */
    insecure: z.boolean(allowed("true or false")).default(false),
    /** Datastore for the cloud image, the cloud-init snippet and the LXC template (needs the import, snippets and vztmpl content types). */
    filesDatastore: z.string(allowed("a Proxmox datastore id such as local")).regex(/^[A-Za-z][A-Za-z0-9_.-]*$/).default("local"),
    ssh: strictObject({
        /** The SSH user on the Proxmox host (needed for snippet uploads). */
        username: z.string(allowed("a user name such as root")).regex(/^[a-z_][a-z0-9_-]*$/).default("root"),
        /** The host's address for SSH. */
        address: z.union([ipv4, dnsName], allowed("the host's IPv4 address or DNS name")),
        /** The SSH port. */
        port: port.default(22),
    }),
});

const networkSchema = strictObject({
    /** The home LAN. */
    lan: ipv4Network,
    /** The LAN's router. */
    gateway: ipv4,
    /** DNS servers for the VM, the container and the WireGuard peers. */
    dns: z.array(ipv4, allowed("a list of 1-3 IPv4 addresses")).min(1).max(3),
    /** The Proxmox bridge on the LAN. */
    bridge: z.string(allowed("a Linux bridge name such as vmbr0")).regex(/^[A-Za-z0-9_.-]{1,15}$/).default("vmbr0"),
});

/**
 * The Ubuntu 24.04 (noble) cloud image, a dated release pinned by URL and SHA-256. The checksum
 * was not computed here: it is the value several independent public projects pin for this exact
 * URL, one of them after checking Canonical's signed SHA256SUMS; check it against
 * https://cloud-images.ubuntu.com/releases/noble/release-20260814/SHA256SUMS before the first `up`.
 */
export const NOBLE_CLOUD_IMAGE = {
    url: "https://cloud-images.ubuntu.com/releases/noble/release-20260814/ubuntu-24.04-server-cloudimg-amd64.img",
    sha256: "6e40c07ae715f744f84af0bec76415cc1987dd115b4b8de437818561f01a3733",
} as const;

const cloudImageSchema = strictObject({
    /** A dated noble release image (never a moving `current/` URL, which would change under the checksum). */
    url: z
        .string(allowed("an https:// URL of a dated Ubuntu 24.04 cloud image ending in .img, such as .../releases/noble/release-20260814/ubuntu-24.04-server-cloudimg-amd64.img"))
        .regex(/^https:\/\/[^\s'"]+\/[A-Za-z0-9._-]+\.img$/)
        .refine((url) => !/\/current\//.test(url)),
    /** The image's SHA-256 from the release's SHA256SUMS; Proxmox checks the download against it. */
    sha256: z.string(allowed("64 lower-case hex digits, the image's line in the release's SHA256SUMS")).regex(/^[0-9a-f]{64}$/),
});

const vmSchema = strictObject({
    /** The VMID. */
    id: proxmoxGuestId,
    /** The VM's name in Proxmox, also its host name. */
    name: hostLabel,
    /** vCPUs. */
    cores: z.int(allowed("a whole number of cores from 1 to 64")).min(1).max(64).default(2),
    /** Memory. */
    memoryMiB: mebibytes(2048).default(8192),
    /** Size of the system disk. */
    diskGiB: z.int(allowed(`a whole number of GiB, at least ${MINIMUM_SYSTEM_DISK_GIB} (the noble image plus container images)`)).min(MINIMUM_SYSTEM_DISK_GIB).default(32),
    /** Static address with prefix. */
    address: ipv4InterfaceAddress,
    /** Datastore for the VM's disks. */
    datastore: z.string(allowed("a Proxmox datastore id such as local-lvm")).regex(/^[A-Za-z][A-Za-z0-9_.-]*$/).default("local-lvm"),
    /** The admin user cloud-init creates. */
    user: z.string(allowed("a Linux user name: lower-case letters, digits, _ or -, not root")).regex(/^[a-z_][a-z0-9_-]{0,31}$/).refine((name) => name !== "root").default("homelab"),
    /** Public keys allowed to log in as that user. */
    sshPublicKeys: z.array(sshPublicKey, allowed("a list of at least one OpenSSH public key")).min(1),
    /** The QEMU CPU type: host on this single node (x86-64-v2-AES hides AVX, which Immich's machine learning needs). */
    cpuType: z.enum(["x86-64-v2-AES", "x86-64-v3", "x86-64-v4", "host"], allowed("x86-64-v2-AES, x86-64-v3, x86-64-v4 or host")).default("host"),
    /** Time zone for the VM and the containers. */
    timezone: z.string(allowed("an IANA time zone such as Europe/Paris")).regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/).default("Etc/UTC"),
    /** The cloud image the system disk is imported from; a change only affects a VM created afterwards. */
    cloudImage: cloudImageSchema.default({ ...NOBLE_CLOUD_IMAGE }),
});

const filesystemLabel = z
    .string(allowed("an ext4 label: 1-16 letters, digits, _ or -, no spaces or quotes"))
    .regex(/^[A-Za-z0-9_-]{1,16}$/);

const usbDataDiskSchema = strictObject({
    /** usb: the owner's external disk, passed through by vendor:product id. */
    source: z.literal("usb"),
    /** The disk's vendor:product id from `lsusb`. */
    usbId: z.string(allowed('a vendor:product id of 4+4 hex digits from lsusb, such as "059f:1234"')).regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/),
    /** The filesystem label the VM mounts it by. */
    filesystemLabel,
    /** Where the disk is mounted in the VM. */
    mountPoint: absolutePath,
});

const virtualDataDiskSchema = strictObject({
    /** virtual: a second VM disk that the bootstrap formats and labels (test stack). */
    source: z.literal("virtual"),
    /** Size of the virtual disk. */
    sizeGiB: z.int(allowed("a whole number of GiB from 1 to 4096")).min(1).max(4096).default(16),
    /** The filesystem label the bootstrap writes and the VM mounts it by. */
    filesystemLabel,
    /** Where the disk is mounted in the VM. */
    mountPoint: absolutePath,
});

const dataDiskSchema = z.discriminatedUnion("source", [usbDataDiskSchema, virtualDataDiskSchema], allowed('source "usb" (with usbId) or "virtual" (with sizeGiB)'));

/**
 * Docker Engine from Docker's apt repository, pinned. 28.x rather than 29.x: Docker 29 raised the
 * minimum API version its daemon accepts, which older clients (such as the Docker provider's) may not speak.
 */
export const DOCKER_PACKAGE_DEFAULTS = {
    engineVersion: "5:28.5.2-1~ubuntu.24.04~noble",
    containerdVersion: "1.7.29-1~ubuntu.24.04~noble",
    composeVersion: "2.40.3-1~ubuntu.24.04~noble",
} as const;

/** An apt version string of Docker's noble repository. */
const nobleAptVersion = z
    .string(allowedVersion('an exact apt version from Docker\'s noble repository, such as "5:28.5.2-1~ubuntu.24.04~noble" (`apt-cache madison docker-ce` on the VM)'))
    .regex(/^(\d+:)?\d+\.\d+\.\d+-\d+~ubuntu\.24\.04~noble$/);

const dockerSchema = strictObject({
    /** Size at which a container's log file is rotated. */
    logMaxSizeMiB: z.int(allowed("a whole number of MiB from 1 to 1024")).min(1).max(1024).default(10),
    /** Rotated log files kept per container. */
    logMaxFiles: z.int(allowed("a whole number from 1 to 100")).min(1).max(100).default(3),
    /** The docker-ce and docker-ce-cli package version. */
    engineVersion: nobleAptVersion.default(DOCKER_PACKAGE_DEFAULTS.engineVersion),
    /** The containerd.io package version. */
    containerdVersion: nobleAptVersion.default(DOCKER_PACKAGE_DEFAULTS.containerdVersion),
    /** The docker-compose-plugin package version. */
    composeVersion: nobleAptVersion.default(DOCKER_PACKAGE_DEFAULTS.composeVersion),
});

/** The pinned, known-good version of every app and its memory budget. */
export const APP_DEFAULTS = {
    jellyfin: { version: "10.11.11", hostname: "jellyfin.home.arpa", memoryMiB: 1536 },
    navidrome: { version: "0.63.2", hostname: "music.home.arpa", memoryMiB: 384 },
    immich: { version: "v3.2.4", hostname: "photos.home.arpa", memoryMiB: 4096 },
    nextcloud: { version: "33.0.7", hostname: "cloud.home.arpa", memoryMiB: 2240 },
    nginxProxyManager: { version: "2.15.1", memoryMiB: 384 },
} as const;

function webAppSchema<Extra extends z.core.$ZodLooseShape = Record<never, never>>(
    defaults: { version: string; hostname: string; memoryMiB: number },
    minimumMemoryMiB: number,
    version: z.ZodString = exactVersion,
    extra: Extra = {} as Extra,
) {
    return strictObject({
        ...extra,
        /** Whether the app is deployed. */
        enabled: z.boolean(allowed("true or false")).default(true),
        /** The image version. */
        version: version.default(defaults.version),
        /** The name the app is reached by through the proxy. */
        hostname: dnsName.default(defaults.hostname),
        /** Memory for all of the app's containers together. */
        memoryMiB: mebibytes(minimumMemoryMiB).default(defaults.memoryMiB),
    });
}

const appsSchema = strictObject({
    jellyfin: webAppSchema(APP_DEFAULTS.jellyfin, minimumTotalMiB("jellyfin"), exactVersion, appDigestField(allowed, "jellyfin")).prefault({}),
    navidrome: webAppSchema(APP_DEFAULTS.navidrome, minimumTotalMiB("navidrome"), exactVersion, appDigestField(allowed, "navidrome")).prefault({}),
    // The minimum without machine learning; config-rules-apps.ts checks the one with it.
    immich: webAppSchema(APP_DEFAULTS.immich, minimumTotalMiB("immichWithoutMachineLearning"), immichVersion, {
        /** Smart search, faces and OCR: the machine-learning container (at least 2.5 GiB, and a CPU with AVX). */
        machineLearning: z.boolean(allowed("true or false")).default(true),
        /** The digests of the version's server and machine-learning images (default: the default version's). */
        imageDigests: strictObject(immichDigestsShape(allowed)).prefault({}),
    }).prefault({}),
    nextcloud: webAppSchema(APP_DEFAULTS.nextcloud, minimumTotalMiB("nextcloud"), exactVersion, appDigestField(allowed, "nextcloud")).prefault({}),
    nginxProxyManager: strictObject({
        /** Whether the proxy is deployed. */
        enabled: z.boolean(allowed("true or false")).default(true),
        /** The image version. */
        version: exactVersion.default(APP_DEFAULTS.nginxProxyManager.version),
        ...appDigestField(allowed, "nginxProxyManager"),
        /**
         * The first admin's e-mail (its password is generated), lower-cased: NPM keeps the initial
         * e-mail as given but lower-cases the login identity, so a capital letter would lock the owner out.
         */
        adminEmail: z.email(allowed("an e-mail address")).transform((email) => email.toLowerCase()),
        /** Memory for the proxy. */
        memoryMiB: mebibytes(minimumTotalMiB("nginxProxyManager")).default(APP_DEFAULTS.nginxProxyManager.memoryMiB),
    }),
});

const peerSchema = strictObject({
    /** The peer's name (its config file is <name>.conf). */
    name: z.string(allowed("1-32 lower-case letters, digits or hyphens, starting with a letter or digit")).regex(/^[a-z0-9][a-z0-9-]{0,31}$/),
    /** A fixed tunnel address; allocated stably from the subnet when absent. */
    address: ipv4.optional(),
    /** split: only the LAN and the tunnel go through WireGuard; full: everything. */
    routing: z.enum(["split", "full"], allowed('"split" or "full"')).default("split"),
});

const wireguardSchema = strictObject({
    /** Whether the WireGuard server is deployed. */
    enabled: z.boolean(allowed("true or false")).default(true),
    /** The LXC container's VMID. */
    containerId: proxmoxGuestId,
    /** The container's host name. */
    hostname: hostLabel.default("wireguard"),
    /** The container's memory. */
    memoryMiB: mebibytes(128).default(256),
    /** The container's root disk size. */
    diskGiB: z.int(allowed("a whole number of GiB from 2 to 64")).min(2).max(64).default(4),
    /** Datastore for the container's root disk; homelab:vm.datastore when absent. */
    datastore: z.string(allowed("a Proxmox datastore id such as local-lvm")).regex(/^[A-Za-z][A-Za-z0-9_.-]*$/).optional(),
    /** The container's static LAN address with prefix. */
    address: ipv4InterfaceAddress,
    /** The UDP port the router forwards to the container. */
    port: port.default(51820),
    /** The tunnel network; the server takes its first address. */
    subnet: ipv4Network.default("10.8.0.0/24"),
    /** The public DNS name or IP peers connect to. */
    endpoint: z.union([ipv4, dnsName], allowed("the public DNS name or IPv4 address of your home connection, such as vpn.example.com")),
    /** The tunnel MTU. */
    mtu: z.int(allowed("a whole number from 1280 to 1500")).min(1280).max(1500).default(1420),
    /** DNS servers peers use; the LAN's DNS when absent. */
    dns: z.array(ipv4, allowed("a list of 1-3 IPv4 addresses")).min(1).max(3).optional(),
    /** The peers (phones, laptops, ...). */
    peers: z.array(peerSchema, allowed("a list of peers")).default([]),
});

/** The raw stack configuration, one entry per `homelab:<key>`. */
export const stackConfigSchema = strictObject({
    /** The Proxmox host and how to reach it. */
    proxmox: proxmoxSchema,
    /** The Proxmox API token (secret). */
    proxmoxApiToken: z
        .string(allowedSecret("a token such as pulumi@pve!homelab=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, set with `npm run -s pulumi -- config set --secret proxmoxApiToken`"))
        .regex(/^[^@\s]+@[^!\s]+![A-Za-z][A-Za-z0-9_.-]*=[0-9a-fA-F-]{36}$/),
    /** An unencrypted private key for SSH to the host and the VM; the SSH agent is used when absent (secret). */
    sshPrivateKey: z
        .string(allowedSecret("an OpenSSH or PEM private key, set with `npm run -s pulumi -- config set --secret sshPrivateKey -- \"$(cat key)\"`"))
        .regex(/^-----BEGIN [A-Z ]*PRIVATE KEY-----/)
        .refine((key) => privateKeyEncryption(key) !== "encrypted", {
            error: "is encrypted with a passphrase, which nothing can type during `pulumi up` (leave it unset and load the key into your SSH agent with `ssh-add`, or set a key without a passphrase)",
        })
        .optional(),
    /** The home LAN. */
    network: networkSchema,
    /** The Ubuntu VM that runs Docker. */
    vm: vmSchema,
    /** The data disk: the USB disk in prod, a virtual disk in dev. */
    dataDisk: dataDiskSchema,
    /** Docker daemon settings. */
    docker: dockerSchema.prefault({}),
    /** The apps. */
    apps: appsSchema,
    /** The WireGuard server and its peers. */
    wireguard: wireguardSchema,
    /** Names, certificates and DNS (config-schema-names.ts). */
    ...namesConfigSchemas({ allowed, allowedSecret, strictObject, dnsName, port }),
    /** Protect the VM, the USB mapping and the WireGuard container from deletion and replacement. */
    protect: z.boolean(allowed("true or false")).default(true),
    /** Backups: the Proxmox vzdump job and restic on the VM (config-schema-backups.ts). Default: none. */
    backups: backupsSchema({ allowed, strictObject }).optional(),
    ...backupSecretsShape({ allowed: allowedSecret }),
});

/** Keys whose values are secrets and must be set with `pulumi config set --secret`. */
export const SECRET_KEYS = ["proxmoxApiToken", "sshPrivateKey", ...NAMES_SECRET_KEYS, ...BACKUP_SECRET_KEYS] as const;

export type ParsedStackConfig = z.output<typeof stackConfigSchema>;
