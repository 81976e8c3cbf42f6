#!/usr/bin/env bash
# Bootstrap step 6: the directory layout on the VM (app configuration under the home directory on
# the VM disk, media and app data on the data disk). Each line of the list is
# "<absolute path> <uid>:<gid> <octal mode>". A directory is created with that owner and mode when it
# is missing; an existing one is left alone, because containers (databases especially) may have set
# their own owner or mode on it. Missing parents get DEFAULT_OWNER and mode 0755. Nothing is created
# on the data disk unless it is mounted.
#
# Environment: DIRECTORIES_BASE64 (the list), DATA_MOUNT_POINT, GUARD_PATH, DEFAULT_OWNER (uid:gid).
set -euo pipefail
: "${DIRECTORIES_BASE64:?}" "${DATA_MOUNT_POINT:?}" "${GUARD_PATH:?}" "${DEFAULT_OWNER:?}"

guard_checked=false
created=0

create_directory() {
    local path=$1 owner=$2 mode=$3
    install -d -o "${owner%%:*}" -g "${owner##*:}" -m "$mode" -- "$path"
    created=$((created + 1))
}

while read -r path owner mode; do
    [[ -n "$path" ]] || continue
    if [[ ! "$path" =~ ^/[A-Za-z0-9._/-]+$ || "/$path/" == *"/../"* ]]; then
        echo "directories: refusing the path '$path' (absolute, no spaces, quotes or ..)" >&2
        exit 1
    fi
    [[ "$owner" =~ ^[0-9]+:[0-9]+$ ]] || { echo "directories: bad owner '$owner' for $path (uid:gid)" >&2; exit 1; }
    [[ "$mode" =~ ^0?[0-7]{3}$ ]] || { echo "directories: bad mode '$mode' for $path (octal such as 0750)" >&2; exit 1; }
    if [[ "$path/" == "$DATA_MOUNT_POINT/"* && $guard_checked == false ]]; then
        "$GUARD_PATH" "$DATA_MOUNT_POINT"
        guard_checked=true
    fi
    [[ -d "$path" ]] && continue
    missing=()
    parent=$(dirname -- "$path")
    while [[ ! -d "$parent" ]]; do
        missing=("$parent" "${missing[@]}")
        parent=$(dirname -- "$parent")
    done
    for ancestor in "${missing[@]}"; do
        create_directory "$ancestor" "$DEFAULT_OWNER" 0755
    done
    create_directory "$path" "$owner" "$mode"
done < <(base64 -d <<<"$DIRECTORIES_BASE64")

echo "directories: $created created"
