#!/bin/bash
# Runs inside the WireGuard container (through `pct exec` on the Proxmox host) on every change of
# wg0.conf. stdin: the complete wg0.conf. Idempotent: safe to run again with the same file.
set -euo pipefail
umask 077

live=/etc/wireguard/wg0.conf
# wg-quick only accepts a file named <interface>.conf, so the new file is staged under that name.
staging_dir=/etc/wireguard/staging
staged="$staging_dir/wg0.conf"

mkdir -p "$staging_dir"
chmod 700 /etc/wireguard "$staging_dir"
# Read the file first: nothing below may consume stdin.
cat > "$staged"

# Right after the container is created, systemd may still be booting; "degraded" is fine here.
systemctl is-system-running --wait > /dev/null || true

# wireguard-tools for wg and wg-quick; iptables for the forwarding and masquerade hooks.
# The kernel module comes from the Proxmox host: a container cannot load modules.
if ! command -v wg-quick > /dev/null || ! command -v iptables > /dev/null; then
    for _ in $(seq 1 30); do
        getent hosts deb.debian.org > /dev/null && break
        sleep 2
    done
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q < /dev/null
    apt-get install -y -q --no-install-recommends wireguard-tools iptables < /dev/null
fi

# Forwarding survives reboots here; wg0.conf's PostUp sets it again in case anything reset it.
printf 'net.ipv4.ip_forward = 1\n' > /etc/sysctl.d/90-wireguard.conf
chmod 644 /etc/sysctl.d/90-wireguard.conf
sysctl -q -p /etc/sysctl.d/90-wireguard.conf

# Refuse a file wg-quick cannot read, before it replaces the working one.
wg-quick strip "$staged" > /dev/null

# The settings only wg-quick applies (addresses, MTU, hooks); `wg syncconf` cannot change them.
interface_settings() {
    grep -iE '^[[:space:]]*(Address|MTU|DNS|Table|PreUp|PostUp|PreDown|PostDown|SaveConfig)[[:space:]]*=' "$1" || true
}

if systemctl is-active --quiet wg-quick@wg0 && [ -f "$live" ] && [ "$(interface_settings "$live")" = "$(interface_settings "$staged")" ]; then
    # Only keys, the port or peers changed: apply them in place, so connected peers keep their sessions.
    mv "$staged" "$live"
    wg syncconf wg0 <(wg-quick strip wg0)
else
    # First run, or the interface itself changed: stop with the old file (its PostDown removes the
    # old rules), then start with the new one.
    if systemctl is-active --quiet wg-quick@wg0; then
        systemctl stop wg-quick@wg0
    fi
    mv "$staged" "$live"
    systemctl enable wg-quick@wg0
    systemctl start wg-quick@wg0
fi
wg show wg0 > /dev/null
