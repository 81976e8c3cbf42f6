#!/usr/bin/env bash
# The restore drill (homelab-restore-drill.service, monthly; run it by hand any time): restores the
# latest nightly snapshot's database dumps and a random sample of the data disk's files into a
# scratch folder, restores each dump into a throwaway Postgres container of the app's own image
# (no network), runs sanity queries there, and compares every sampled file with the live data.
# A file whose size and modification time match the live one but whose content does not is
# corrupted on one side: the drill reports it and fails. Nothing live is written to.
#
# usage: restore-drill.sh
# Environment: HOMELAB_BACKUP_CONFIG (see backup-common.sh). Report: <STATUS_DIRECTORY>/drill-report.txt.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=backup-common.sh
source "$here/backup-common.sh"

load_configuration
scratch=""
drill_containers=()
job_cleanup() {
    local container
    for container in "${drill_containers[@]}"; do
        docker rm -f "$container" >/dev/null 2>&1 || true
    done
    if [[ -n "$scratch" ]]; then
        rm -rf -- "$scratch"
    fi
}
begin_job drill
require_data_disk

report="$STATUS_DIRECTORY/drill-report.txt"
problems=0
: >"$report.new"
note() {
    echo "$*" | tee -a "$report.new"
}
problem() {
    problems=$((problems + 1))
    note "PROBLEM: $*"
}

step "latest snapshot"
snapshot=$(restic snapshots --json --tag nightly | grep -o '"id":"[0-9a-f]\{64\}"' | tail -n 1 | cut -d '"' -f 4 || true)
[[ -n "$snapshot" ]] || { echo "drill: the repository has no nightly snapshot" >&2; exit 1; }
note "drill of snapshot ${snapshot:0:8} on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
scratch=$(mktemp -d "${DRILL_DIRECTORY:-/var/tmp}/homelab-drill.XXXXXX")

step "sample files"
sample=()
while IFS= read -r path; do
    sample+=("$path")
done < <(restic ls "$snapshot" | grep -F -- "$DATA_MOUNT_POINT/" | while IFS= read -r path; do [[ -f "$path" ]] && printf '%s\n' "$path"; done | shuf -n "${DRILL_SAMPLE_FILES:-20}")
note "sampled ${#sample[@]} files of the data disk"

step "restore"
includes=(--include "$DUMP_DIRECTORY")
for path in "${sample[@]}"; do
    includes+=(--include "$path")
done
restic restore "$snapshot" --target "$scratch" "${includes[@]}"

step "compare files"
for path in "${sample[@]}"; do
    restored="$scratch$path"
    if [[ ! -f "$restored" ]]; then
        problem "$path is in the snapshot but was not restored"
    elif [[ "$(stat -c '%s %Y' -- "$restored")" != "$(stat -c '%s %Y' -- "$path")" ]]; then
        note "changed since the snapshot, not compared: $path"
    elif [[ "$(sha256sum <"$restored")" != "$(sha256sum <"$path")" ]]; then
        problem "CORRUPTED: $path differs from its backup although size and time match (check the disk: the live file or the repository is damaged)"
    else
        note "same: $path"
    fi
done

step "restore dumps"
while read -r -u 3 app _container _database user image arguments; do
    [[ -z "${app:-}" || "$app" == \#* ]] && continue
    dump="$scratch$DUMP_DIRECTORY/$app.pgdump"
    if [[ ! -s "$dump" ]]; then
        problem "$app: the snapshot has no database dump"
        continue
    fi
    container="homelab-drill-$app"
    drill_containers+=("$container")
    docker rm -f "$container" >/dev/null 2>&1 || true
    # shellcheck disable=SC2086 # the image's own arguments, split as the databases file gives them
    docker run -d --name "$container" --network none -e POSTGRES_USER="$user" -e POSTGRES_PASSWORD=drill -e POSTGRES_DB=drill "$image" ${arguments:-} >/dev/null
    ready=false
    for _ in $(seq 1 90); do
        if docker exec "$container" pg_isready --username="$user" --dbname=drill >/dev/null 2>&1; then
            ready=true
            break
        fi
        sleep 2
    done
    if [[ "$ready" != true ]]; then
        problem "$app: the throwaway Postgres ($image) did not start"
        continue
    fi
    if ! docker exec -i "$container" pg_restore --username="$user" --dbname=drill --no-owner --exit-on-error <"$dump"; then
        problem "$app: pg_restore of the dump failed"
        continue
    fi
    tables=$(docker exec "$container" psql --username="$user" --dbname=drill -At -c "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")
    # Exact counts, table by table (\gexec runs each generated query): the statistics lag a restore.
    rows=$(docker exec -i "$container" psql --username="$user" --dbname=drill -At <<<"SELECT format('SELECT count(*) FROM %I.%I', schemaname, relname) FROM pg_stat_user_tables \gexec" | awk '{ total += $1 } END { print total + 0 }')
    if [[ "$tables" -eq 0 ]]; then
        problem "$app: the restored database has no tables"
    elif [[ "$rows" -eq 0 ]]; then
        # Every app's database has rows from its first start on (its migrations table at least).
        problem "$app: the restored database has no rows"
    else
        note "$app: restored $tables tables, $rows rows"
    fi
    docker rm -f "$container" >/dev/null
done 3<"$DATABASES_FILE"

mv -f -- "$report.new" "$report"
step "verdict"
if [[ $problems -gt 0 ]]; then
    echo "drill: $problems problem(s); see $report" >&2
    exit 1
fi
echo "drill: every dump restored and every sampled file matches; report in $report"
