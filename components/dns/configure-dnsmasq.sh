#!/bin/bash
# Runs inside the WireGuard container (through `pct exec` on the Proxmox host) on every change of
# the homelab's DNS configuration. stdin: the complete /etc/dnsmasq.d/homelab.conf. Idempotent.
set -euo pipefail

live=/etc/dnsmasq.d/homelab.conf
staged=/etc/dnsmasq.d/.homelab.conf.new

# Right after the container is created, systemd may still be booting; "degraded" is fine here.
systemctl is-system-running --wait > /dev/null || true

if ! command -v dnsmasq > /dev/null; then
    for _ in $(seq 1 30); do
        getent hosts deb.debian.org > /dev/null && break
        sleep 2
    done
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q < /dev/null
    # The package's own config is all comments; it reads every file in /etc/dnsmasq.d.
    apt-get install -y -q --no-install-recommends dnsmasq < /dev/null
fi

mkdir -p /etc/dnsmasq.d
cat > "$staged"
chmod 644 "$staged"
# Refuse a file dnsmasq cannot read before it replaces the working one.
dnsmasq --test --conf-file="$staged"
mv "$staged" "$live"
systemctl enable dnsmasq > /dev/null 2>&1
systemctl restart dnsmasq
systemctl is-active --quiet dnsmasq
