#!/usr/bin/env bash
# Bootstrap step 1: wait until cloud-init has finished the VM's first boot, then check the one thing
# the bootstrap relies on from it besides the user: the QEMU guest agent runs (Proxmox shuts the VM
# down and reports its addresses through it).
set -euo pipefail

status=0
cloud-init status --wait >/dev/null || status=$?
# 0: done. 2: done with recoverable problems, such as deprecation warnings (cloud-init 23.4+).
if [[ $status -ne 0 && $status -ne 2 ]]; then
    echo "cloud-init failed on first boot (exit status $status); see /var/log/cloud-init-output.log on the VM" >&2
    cloud-init status --long >&2 || true
    exit 1
fi
if ! systemctl is-active --quiet qemu-guest-agent; then
    echo "qemu-guest-agent is not running although cloud-init installs it; see /var/log/cloud-init-output.log on the VM" >&2
    exit 1
fi
echo "cloud-init finished (status $status); qemu-guest-agent is running"
