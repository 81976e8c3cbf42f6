#!/usr/bin/env bash
# Consistent dumps of the apps' Postgres databases, taken inside their own containers with
# `docker exec ... pg_dump` (the client always matches the server's major version), in pg_dump's
# custom format, and checked with pg_restore --list before they replace the previous dump.
# Nextcloud is put in maintenance mode while its database is dumped, and a trap switches the mode
# off again on every exit path, a failed dump included.
#
# usage: dump-databases.sh <databases file> <output directory> [--if-present] [app ...]
#   databases file: one "app container database user image [postgres args]" per line
#   --if-present:   skip an app whose database container is not running (a first deploy has none)
#   app ...:        only these apps (default: every line of the file)
# Environment: NEXTCLOUD_CONTAINER (the Nextcloud app container; maintenance mode is skipped when empty).
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: dump-databases.sh <databases file> <output directory> [--if-present] [app ...]" >&2
    exit 2
fi
databases_file=$1
output_directory=$2
shift 2
if_present=false
if [[ "${1:-}" == "--if-present" ]]; then
    if_present=true
    shift
fi
wanted=("$@")

is_wanted() {
    local app=$1 candidate
    [[ ${#wanted[@]} -eq 0 ]] && return 0
    for candidate in "${wanted[@]}"; do
        [[ "$candidate" == "$app" ]] && return 0
    done
    return 1
}

is_running() {
    [[ "$(docker inspect --format '{{.State.Running}}' "$1" 2>/dev/null || true)" == "true" ]]
}

maintenance_on=false
nextcloud_maintenance() {
    docker exec -u www-data "$NEXTCLOUD_CONTAINER" php occ maintenance:mode "$1"
}
switch_maintenance_off() {
    if [[ "$maintenance_on" == true ]]; then
        nextcloud_maintenance --off || echo "dump: could not switch Nextcloud's maintenance mode off: run docker exec -u www-data $NEXTCLOUD_CONTAINER php occ maintenance:mode --off" >&2
        maintenance_on=false
    fi
}
trap switch_maintenance_off EXIT

# $1 app, $2 container, $3 database, $4 user: dumps to <output>/<app>.pgdump through a staged file.
dump_one() {
    local app=$1 container=$2 database=$3 user=$4 staged target
    target="$output_directory/$app.pgdump"
    staged=$(mktemp "$output_directory/.$app.XXXXXX")
    if [[ "$app" == nextcloud && -n "${NEXTCLOUD_CONTAINER:-}" ]]; then
        if is_running "$NEXTCLOUD_CONTAINER"; then
            nextcloud_maintenance --on
            maintenance_on=true
        fi
    fi
    if ! docker exec "$container" pg_dump --format=custom --dbname="$database" --username="$user" >"$staged"; then
        rm -f -- "$staged"
        echo "dump: pg_dump of $database in $container failed" >&2
        return 1
    fi
    switch_maintenance_off
    # A truncated or empty dump must never replace a good one.
    if ! docker exec -i "$container" pg_restore --list <"$staged" >/dev/null; then
        rm -f -- "$staged"
        echo "dump: the dump of $database in $container is not readable by pg_restore" >&2
        return 1
    fi
    chmod 0600 -- "$staged"
    mv -f -- "$staged" "$target"
    echo "dump: $app: $database from $container, $(stat -c %s "$target") bytes"
}

mkdir -p -- "$output_directory"
chmod 0700 -- "$output_directory"
found=0
while read -r -u 3 app container database user _; do
    [[ -z "${app:-}" || "$app" == \#* ]] && continue
    is_wanted "$app" || continue
    found=$((found + 1))
    if ! is_running "$container"; then
        if [[ "$if_present" == true ]]; then
            echo "dump: $app: $container is not running; nothing to dump yet"
            continue
        fi
        echo "dump: $app: its database container $container is not running" >&2
        exit 1
    fi
    dump_one "$app" "$container" "$database" "$user"
done 3<"$databases_file"
if [[ ${#wanted[@]} -gt 0 && $found -eq 0 ]]; then
    echo "dump: none of ${wanted[*]} is in $databases_file" >&2
    exit 1
fi
