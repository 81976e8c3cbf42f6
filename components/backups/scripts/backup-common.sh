#!/usr/bin/env bash
# Shared by backup-run.sh, backup-check.sh and restore-drill.sh (sourced, never run on its own):
# the configuration, restic's environment, the data-disk guard, and the status file and webhook
# that make every run's result visible.
#
# The configuration file (HOMELAB_BACKUP_CONFIG, default /etc/homelab-backup/backup.env) holds
# NAME='value' lines that the VmBackups component renders:
#   RESTIC_REPOSITORY, RESTIC_PASSWORD_FILE, RESTIC_ENVIRONMENT_FILE (NAME=value credentials),
#   RESTIC_CACHE_DIR, DATA_MOUNT_POINT, GUARD_PATH, DUMP_DIRECTORY, STATUS_DIRECTORY,
#   DATABASES_FILE (one "app container database user image [postgres args]" per line),
#   NEXTCLOUD_CONTAINER, BACKUP_PATHS_FILE and EXCLUDES_FILE (one path per line),
#   APP_PATHS_DIRECTORY (<app>.paths: the paths of one app), KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY,
#   DRILL_SAMPLE_FILES, DRILL_DIRECTORY, WEBHOOK_URL (may be empty).

# Loads the configuration and exports what restic reads. Credentials are read as data, never
# sourced: a value is not a command.
load_configuration() {
    local config=${HOMELAB_BACKUP_CONFIG:-/etc/homelab-backup/backup.env}
    [[ -r "$config" ]] || { echo "homelab backup: cannot read the configuration $config" >&2; exit 2; }
    # shellcheck source=/dev/null
    source "$config"
    : "${RESTIC_REPOSITORY:?}" "${RESTIC_PASSWORD_FILE:?}" "${DATA_MOUNT_POINT:?}" "${GUARD_PATH:?}" "${STATUS_DIRECTORY:?}"
    export RESTIC_REPOSITORY RESTIC_PASSWORD_FILE
    if [[ -n "${RESTIC_CACHE_DIR:-}" ]]; then
        export RESTIC_CACHE_DIR
    fi
    if [[ -n "${RESTIC_ENVIRONMENT_FILE:-}" && -f "$RESTIC_ENVIRONMENT_FILE" ]]; then
        local name value
        while IFS='=' read -r name value; do
            [[ "$name" =~ ^[A-Z_]+$ ]] || continue
            export "$name=$value"
        done <"$RESTIC_ENVIRONMENT_FILE"
    fi
}

# Begins a job: the status file and webhook report its result whatever happens next. One job at
# a time: the nightly backup, the check, the drill and a pre-upgrade backup wait for each other.
# $1: the job's name (backup, check, drill).
begin_job() {
    job_name=$1
    job_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    current_step="start"
    mkdir -p -- "$STATUS_DIRECTORY"
    trap 'finish_job $?' EXIT
    exec 9>"$STATUS_DIRECTORY/.lock"
    step "waiting for other backup jobs"
    flock -w 14400 9
}

# Names the step that is running, so a failure says where it happened.
step() {
    current_step=$1
    echo "homelab $job_name: $current_step"
}

# Writes <STATUS_DIRECTORY>/<job>.status (last run, result, failing step, last success) and posts
# the result to WEBHOOK_URL. The exit status is kept, so the systemd unit fails when the job did.
finish_job() {
    local status=$1 now result last_success="" status_file staged message
    # A job may define job_cleanup (scratch folders, throwaway containers); it runs first.
    if declare -F job_cleanup >/dev/null; then
        job_cleanup || true
    fi
    now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    status_file="$STATUS_DIRECTORY/$job_name.status"
    if [[ -f "$status_file" ]]; then
        last_success=$(sed -n 's/^last_success=//p' "$status_file")
    fi
    if [[ $status -eq 0 ]]; then
        result=ok
        last_success=$now
        message="homelab $job_name on $(hostname): ok"
    else
        result=failed
        message="homelab $job_name on $(hostname): FAILED at step \"$current_step\" (exit $status)"
    fi
    staged=$(mktemp "$STATUS_DIRECTORY/.status.XXXXXX")
    {
        echo "job=$job_name"
        echo "result=$result"
        echo "failed_step=$([[ $status -eq 0 ]] || echo "$current_step")"
        echo "exit_status=$status"
        echo "started=$job_started"
        echo "finished=$now"
        echo "last_success=$last_success"
    } >"$staged"
    mv -f -- "$staged" "$status_file"
    echo "$message"
    if [[ -n "${WEBHOOK_URL:-}" ]]; then
        curl -fsS -m 20 --retry 2 -H "Content-Type: text/plain" --data-binary "$message" -- "$WEBHOOK_URL" >/dev/null ||
            echo "homelab $job_name: could not reach the webhook" >&2
    fi
    exit "$status"
}

# Refuses to go on unless the data disk is mounted: an empty mount point must never be backed up
# (or, later, pruned against) as if it were the data.
require_data_disk() {
    step "data disk guard"
    "$GUARD_PATH" "$DATA_MOUNT_POINT"
}
