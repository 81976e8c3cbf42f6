#!/usr/bin/env bash
# The data-disk guard: exits 0 only when <mount point> has a filesystem mounted on it.
# docker.service runs it as ExecStartPre (next to RequiresMountsFor=), so while the data disk is
# missing Docker, and with it every container, stays down instead of writing into the empty
# directory on the VM's small root disk. The bootstrap also runs it before creating directories
# on the data disk.
set -euo pipefail

if [[ $# -ne 1 || "$1" != /* ]]; then
    echo "usage: data-disk-guard.sh <absolute mount point>" >&2
    exit 2
fi
mount_point=$1

if [[ ! -d "$mount_point" ]]; then
    echo "data disk guard: refusing: $mount_point does not exist, so the data disk cannot be mounted there" >&2
    exit 1
fi
if ! mountpoint -q -- "$mount_point"; then
    echo "data disk guard: refusing: nothing is mounted at $mount_point (is the data disk unplugged?)." >&2
    echo "data disk guard: Docker stays stopped until it is mounted: plug the disk in, then run" >&2
    echo "data disk guard:   sudo mount $mount_point && sudo systemctl start docker" >&2
    exit 1
fi
echo "data disk guard: $mount_point is mounted"
