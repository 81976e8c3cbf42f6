#!/bin/sh
# Runs on the Proxmox host over SSH (as root). A container shares the host's kernel and cannot load
# modules, so the host loads WireGuard and the NAT pieces the container's masquerade rule needs,
# now and on every boot.
set -eu

modules_file=/etc/modules-load.d/homelab-wireguard.conf
set -- wireguard nf_nat nft_chain_nat nft_masq nft_compat xt_MASQUERADE

for module in "$@"; do
    modprobe "$module"
done
printf '%s\n' "# Managed by Pulumi (homelab): kernel modules the WireGuard container needs." "$@" > "$modules_file"
