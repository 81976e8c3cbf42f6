#!/bin/bash
# Runs a command inside a test namespace (after `ip netns exec`, which gave it a mount namespace
# of its own): the namespace's private directory is mounted over the paths the WireGuard tools and
# daemons write, so nothing reaches the machine's real files, and wireguard-go's control sockets
# (/run/wireguard/<interface>.sock) never meet another namespace's. The stand-ins come first on PATH.
# Usage: enter.sh <namespace directory> <command> [args...]
set -euo pipefail
directory=$1
shift
for path in etc/wireguard run/wireguard etc/sysctl.d etc/dnsmasq.d etc/resolv.conf; do
    mount --bind "$directory/$path" "/$path"
done
stand_ins=$(cd "$(dirname "$0")" && pwd)
export PATH="$stand_ins/bin:$PATH"
export HOMELAB_NAMESPACE_DIRECTORY="$directory"
exec "$@"
