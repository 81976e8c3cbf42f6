// The Docker networks every app shares, as plain data: the configuration rules read them to check
// that the proxy network never overlaps the LAN or the WireGuard tunnel.
import { formatIpv4, parseIpv4Network } from "../network/ipv4";

/** The bridge network Nginx Proxy Manager and the app front-ends join. */
export const PROXY_NETWORK_NAME = "proxy";
/**
 * The proxy network's fixed subnet. Nextcloud trusts forwarded headers from exactly this range, so
 * it must be known before Docker assigns anything; 172.30/24 is outside Docker's default pools'
 * first allocations and outside the usual home LANs.
 */
export const PROXY_NETWORK_SUBNET = "172.30.0.0/24";

/**
 * Options for the local `ssh` binary the docker provider runs (`ssh … docker system dial-stdio`).
 * accept-new trusts the VM's host key on first contact and refuses a changed one afterwards;
 * the timeout keeps a powered-off VM from hanging a preview. The key comes from the SSH agent or
 * ~/.ssh/config: the provider cannot take a private key as a (secret) value.
 */
export const DEFAULT_DOCKER_SSH_OPTIONS: readonly string[] = ["-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=30"];

/**
 * The gateway Docker gives a bridge network with this subnet: its first host address. Declared
 * explicitly because Docker reports it back after a daemon restart even when it was not set, and
 * the provider then sees a changed ipam_config, which forces the network's replacement
 * (kreuzwerker/terraform-provider-docker#54).
 */
export function bridgeGateway(subnet: string): string {
    const network = parseIpv4Network(subnet);
    if (network === undefined || network.prefix > 30) {
        throw new Error(`${subnet} is not an IPv4 network (a.b.c.d/n, n at most 30) a bridge can use`);
    }
    return formatIpv4(network.base + 1);
}

/**
 * Nginx Proxy Manager's fixed address: the second host address (the first is the gateway). It is
 * outside dynamicAddressRange, so no other container can be given it first.
 */
export function proxyAddress(subnet: string): string {
    const network = parseIpv4Network(subnet);
    if (network === undefined || network.prefix > 29) {
        throw new Error(`${subnet} is not an IPv4 network (a.b.c.d/n, n at most 29) with room for a fixed proxy address`);
    }
    return formatIpv4(network.base + 2);
}

/** The upper half of the subnet, where Docker picks the other containers' addresses. */
export function dynamicAddressRange(subnet: string): string {
    const network = parseIpv4Network(subnet);
    if (network === undefined || network.prefix > 29) {
        throw new Error(`${subnet} is not an IPv4 network (a.b.c.d/n, n at most 29) that can be split in two`);
    }
    const half = 2 ** (32 - network.prefix - 1);
    return `${formatIpv4(network.base + half)}/${network.prefix + 1}`;
}
