// The Docker networks every app shares, as plain data: the configuration rules read them to check
// that the proxy network never overlaps the LAN or the WireGuard tunnel.

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
