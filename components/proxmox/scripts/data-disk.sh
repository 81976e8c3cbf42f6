#!/usr/bin/env bash
# Bootstrap step 3: the data disk. Finds it by filesystem label (never by /dev/sdX), writes its
# fstab entry (nofail, so a missing disk never blocks boot), mounts it, and installs the guard that
# keeps Docker down while it is missing. A virtual data disk (dev stack) is formatted here, but only
# when it is blank; a disk that already holds anything is never formatted, and the USB disk's
# filesystem is never touched.
#
# Environment:
#   DATA_DISK_SOURCE       usb | virtual
#   DATA_DISK_LABEL        the filesystem label
#   DATA_MOUNT_POINT       where it is mounted
#   DATA_DISK_SERIAL       virtual only: the disk's serial as set in Proxmox
#   GUARD_SCRIPT_BASE64    data-disk-guard.sh, installed as GUARD_PATH
#   GUARD_PATH             where the guard is installed
#   DOCKER_DROP_IN_BASE64  the docker.service drop-in that runs the guard
set -euo pipefail
: "${DATA_DISK_SOURCE:?}" "${DATA_DISK_LABEL:?}" "${DATA_MOUNT_POINT:?}" "${GUARD_SCRIPT_BASE64:?}" "${GUARD_PATH:?}" "${DOCKER_DROP_IN_BASE64:?}"

readonly drop_in=/etc/systemd/system/docker.service.d/10-homelab-data-disk.conf
label=$DATA_DISK_LABEL
mount_point=$DATA_MOUNT_POINT

fail() {
    echo "data disk: $*" >&2
    exit 1
}

# Prints fstab file $3 without the lines that mount point $1 or filesystem label $2.
# (It reads the whole file before write_if_changed, which stages its input, writes it back.)
fstab_without_data_disk() {
    awk -v mount_point="$1" -v source="LABEL=$2" '$2 != mount_point && $1 != source' "$3"
}

# Writes stdin to $1 with mode $2, only when the content differs; prints "changed" when it wrote.
write_if_changed() {
    local target=$1 mode=$2 staged
    staged=$(mktemp)
    cat >"$staged"
    if [[ -f "$target" ]] && cmp -s "$staged" "$target"; then
        rm -f "$staged"
        return 0
    fi
    install -D -m "$mode" "$staged" "$target"
    rm -f "$staged"
    echo changed
}

format_blank_virtual_disk() {
    local serial=${DATA_DISK_SERIAL:?DATA_DISK_SERIAL is required for a virtual data disk}
    local device existing
    device=$(lsblk -dnpo NAME,SERIAL | awk -v serial="$serial" '$2 == serial { print $1 }')
    [[ -n "$device" ]] || fail "no disk with serial $serial: is the virtual data disk attached to the VM?"
    [[ $(wc -l <<<"$device") -eq 1 ]] || fail "several disks have serial $serial: $device"
    existing=$(blkid -p -s LABEL -o value "$device" || true)
    if [[ "$existing" == "$label" ]]; then
        return 0
    fi
    # blkid -p exits 2 when it finds no signature at all: no filesystem, no partition table.
    local probe=0
    blkid -p "$device" >/dev/null 2>&1 || probe=$?
    if [[ $probe -ne 2 || $(lsblk -nro NAME "$device" | wc -l) -ne 1 ]]; then
        fail "$device (serial $serial) is not blank and is not labelled $label; refusing to format it"
    fi
    echo "formatting the blank virtual disk $device as ext4 labelled $label"
    mkfs.ext4 -q -L "$label" "$device"
    udevadm settle
}

case "$DATA_DISK_SOURCE" in
    virtual) format_blank_virtual_disk ;;
    usb) ;;
    *) fail "DATA_DISK_SOURCE must be usb or virtual, not $DATA_DISK_SOURCE" ;;
esac

devices=$(blkid -t "LABEL=$label" -o device || true)
[[ -n "$devices" ]] || fail "no filesystem labelled $label: is the disk plugged in and passed through to the VM? (lsblk -f lists what the VM sees)"
[[ $(wc -l <<<"$devices") -eq 1 ]] || fail "several filesystems are labelled $label ($(tr '\n' ' ' <<<"$devices")); give the data disk a unique label"
filesystem=$(blkid -s TYPE -o value "$devices")
case "$filesystem" in
    ext4) fsck_pass=2 ;;
    xfs | btrfs) fsck_pass=0 ;;
    *) fail "the filesystem labelled $label is $filesystem; containers need POSIX ownership and modes, so use ext4, xfs or btrfs" ;;
esac

# One fstab line for the data disk: earlier lines for its mount point or its label go (a changed
# mount point must not leave the disk mounted twice); every other line is kept as it is.
entry="LABEL=$label $mount_point $filesystem defaults,nofail,x-systemd.device-timeout=10s 0 $fsck_pass"
fstab_changed=$(fstab_without_data_disk "$mount_point" "$label" /etc/fstab | { cat; echo "$entry"; } | write_if_changed /etc/fstab 0644)

guard_changed=$(base64 -d <<<"$GUARD_SCRIPT_BASE64" | write_if_changed "$GUARD_PATH" 0755)
drop_in_changed=$(base64 -d <<<"$DOCKER_DROP_IN_BASE64" | write_if_changed "$drop_in" 0644)
if [[ -n "$fstab_changed$guard_changed$drop_in_changed" ]]; then
    systemctl daemon-reload
fi

if ! mountpoint -q -- "$mount_point"; then
    mkdir -p -- "$mount_point"
    # While nothing is mounted the directory belongs to the root disk; make it immutable so nothing
    # can write into it by mistake. Mounting over it still works.
    chattr +i -- "$mount_point" || echo "data disk: could not make $mount_point immutable; continuing" >&2
    mount -- "$mount_point"
fi
"$GUARD_PATH" "$mount_point"
echo "data disk: $label ($filesystem) is mounted at $mount_point"
