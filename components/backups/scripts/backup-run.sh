#!/usr/bin/env bash
# The nightly backup (homelab-backup.service), and a pre-upgrade backup of one app (run by Pulumi
# before the app's new version replaces its containers). In order: refuse unless the data disk is
# mounted; reach the repository; dump the databases (first, as Immich's docs ask: database, then
# files); restic backup of the paths, the dumps and nothing in the excludes; apply the retention.
#
# usage: backup-run.sh                      the nightly backup of everything (tag nightly)
#        backup-run.sh --app <app> <reason> one app, before an upgrade (tags pre-upgrade, app:<app>)
# Environment: HOMELAB_BACKUP_CONFIG (see backup-common.sh).
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=backup-common.sh
source "$here/backup-common.sh"

app=""
reason=""
if [[ "${1:-}" == "--app" ]]; then
    [[ $# -eq 3 && "$2" =~ ^[a-z][a-z0-9-]*$ ]] || { echo "usage: backup-run.sh [--app <app> <reason>]" >&2; exit 2; }
    app=$2
    reason=$3
elif [[ $# -ne 0 ]]; then
    echo "usage: backup-run.sh [--app <app> <reason>]" >&2
    exit 2
fi

load_configuration
begin_job "backup${app:+-$app}"
require_data_disk

step "repository"
restic unlock >/dev/null 2>&1 || true
restic cat config >/dev/null

step "database dumps"
if [[ -z "$app" ]]; then
    NEXTCLOUD_CONTAINER=$NEXTCLOUD_CONTAINER "$here/dump-databases.sh" "$DATABASES_FILE" "$DUMP_DIRECTORY"
    paths_file=$BACKUP_PATHS_FILE
    tags=(--tag homelab --tag nightly)
    dumps=("$DUMP_DIRECTORY")
else
    dumps=()
    if grep -q "^$app " "$DATABASES_FILE"; then
        # Before a first deploy the app has no database yet: nothing to lose, nothing to dump.
        NEXTCLOUD_CONTAINER=$NEXTCLOUD_CONTAINER "$here/dump-databases.sh" "$DATABASES_FILE" "$DUMP_DIRECTORY" --if-present "$app"
        [[ -f "$DUMP_DIRECTORY/$app.pgdump" ]] && dumps=("$DUMP_DIRECTORY/$app.pgdump")
    fi
    paths_file="$APP_PATHS_DIRECTORY/$app.paths"
    [[ -f "$paths_file" ]] || { echo "backup: no paths for the app $app ($paths_file)" >&2; exit 1; }
    tags=(--tag homelab --tag pre-upgrade --tag "app:$app")
    echo "backup: $app before an upgrade: $reason"
fi

step "restic backup"
paths=()
while IFS= read -r path; do
    [[ -z "$path" ]] && continue
    if [[ -e "$path" ]]; then
        paths+=("$path")
    else
        echo "backup: $path does not exist; not in this snapshot" >&2
    fi
done <"$paths_file"
paths+=("${dumps[@]}")
if [[ ${#paths[@]} -eq 0 ]]; then
    # An app that is not deployed (yet) has nothing to lose; the nightly backup always has paths.
    [[ -n "$app" ]] || { echo "backup: nothing to back up" >&2; exit 1; }
    echo "backup: $app has no data on this VM; nothing to back up"
    exit 0
fi
time_option=()
# Only the tests set it: snapshots at chosen times show what the retention keeps.
[[ -n "${HOMELAB_BACKUP_TIME:-}" ]] && time_option=(--time "$HOMELAB_BACKUP_TIME")
restic backup "${tags[@]}" "${time_option[@]}" --exclude-file "$EXCLUDES_FILE" -- "${paths[@]}"

step "retention"
KEEP_DAILY=$KEEP_DAILY KEEP_WEEKLY=$KEEP_WEEKLY KEEP_MONTHLY=$KEEP_MONTHLY "$here/apply-retention.sh"
