#!/usr/bin/env bash
# One app's folders on the VM, run by that app's component after the VM bootstrap and before the
# app's containers. Each line of the list is "<access> <absolute path> <uid>:<gid> <octal mode>":
#   own   created when missing; an existing folder with another owner or mode is set back, and said so
#   seed  created when missing; an existing one is left to the container (only checked to be a folder)
#   read  the owner's folder the app only reads: it must exist, nothing is changed
# Missing parents get DEFAULT_OWNER and mode 0755. Nothing is created on the data disk unless it is
# mounted (the guard fails first). Every problem names the folder and what was expected.
#
# Environment: APP, FOLDERS_BASE64 (the list), DATA_MOUNT_POINT, GUARD_PATH, DEFAULT_OWNER (uid:gid).
set -euo pipefail
: "${APP:?}" "${FOLDERS_BASE64:?}" "${DATA_MOUNT_POINT:?}" "${GUARD_PATH:?}" "${DEFAULT_OWNER:?}"

guard_checked=false
created=0
fixed=0
checked=0

fail() {
    echo "$APP folders: $*" >&2
    exit 1
}

create_folder() {
    local path=$1 owner=$2 mode=$3
    install -d -o "${owner%%:*}" -g "${owner##*:}" -m "$mode" -- "$path"
    created=$((created + 1))
}

create_with_parents() {
    local path=$1 owner=$2 mode=$3 parent ancestor
    local missing=()
    parent=$(dirname -- "$path")
    while [[ ! -d "$parent" ]]; do
        [[ ! -e "$parent" ]] || fail "$parent exists but is not a folder (expected a folder holding $path)"
        missing=("$parent" "${missing[@]}")
        parent=$(dirname -- "$parent")
    done
    for ancestor in "${missing[@]}"; do
        create_folder "$ancestor" "$DEFAULT_OWNER" 0755
    done
    create_folder "$path" "$owner" "$mode"
}

# Octal modes compared as numbers, so "0750" and "750" are the same mode.
same_mode() {
    [[ $((8#$1)) -eq $((8#$2)) ]]
}

while read -r access path owner mode; do
    [[ -n "${access:-}" ]] || continue
    [[ "$access" =~ ^(own|seed|read)$ ]] || fail "bad access '$access' for $path (own, seed or read)"
    if [[ ! "$path" =~ ^/[A-Za-z0-9._/-]+$ || "/$path/" == *"/../"* ]]; then
        fail "refusing the path '$path' (absolute, no spaces, quotes or ..)"
    fi
    [[ "$owner" =~ ^[0-9]+:[0-9]+$ ]] || fail "bad owner '$owner' for $path (uid:gid)"
    [[ "$mode" =~ ^0?[0-7]{3}$ ]] || fail "bad mode '$mode' for $path (octal such as 0750)"
    if [[ "$path/" == "$DATA_MOUNT_POINT/"* && $guard_checked == false ]]; then
        "$GUARD_PATH" "$DATA_MOUNT_POINT"
        guard_checked=true
    fi
    if [[ -e "$path" && ! -d "$path" ]]; then
        fail "$path exists but is not a folder (expected a folder owned by $owner, mode $mode)"
    fi
    if [[ ! -d "$path" ]]; then
        [[ "$access" != read ]] || fail "$path is missing (expected the owner's folder, which the VM bootstrap creates; this app only reads it)"
        create_with_parents "$path" "$owner" "$mode"
        continue
    fi
    checked=$((checked + 1))
    [[ "$access" == own ]] || continue
    current_owner=$(stat -c '%u:%g' -- "$path")
    current_mode=$(stat -c '%a' -- "$path")
    if [[ "$current_owner" != "$owner" ]] || ! same_mode "$current_mode" "$mode"; then
        chown "$owner" -- "$path" || fail "$path is owned by $current_owner, mode $current_mode, and could not be set to $owner"
        chmod "$mode" -- "$path" || fail "$path has mode $current_mode and could not be set to $mode"
        echo "$APP folders: $path was $current_owner $current_mode, set to $owner $mode"
        fixed=$((fixed + 1))
    fi
done < <(base64 -d <<<"$FOLDERS_BASE64")

echo "$APP folders: $created created, $fixed fixed, $checked already in place"
