#!/usr/bin/env bash
# The retention policy: restic forget --prune with the configured daily, weekly and monthly counts,
# applied to each group of snapshots of one host and one set of tags (the nightly backups, and each
# app's pre-upgrade backups, are kept by the same counts but never crowd each other out).
# A count of 0 is left out, as restic reads it; the configuration refuses all three at 0.
#
# Environment: RESTIC_REPOSITORY and RESTIC_PASSWORD_FILE (or the caller's restic environment),
# KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY.
set -euo pipefail
: "${KEEP_DAILY:?}" "${KEEP_WEEKLY:?}" "${KEEP_MONTHLY:?}"

policy=()
[[ "$KEEP_DAILY" -gt 0 ]] && policy+=(--keep-daily "$KEEP_DAILY")
[[ "$KEEP_WEEKLY" -gt 0 ]] && policy+=(--keep-weekly "$KEEP_WEEKLY")
[[ "$KEEP_MONTHLY" -gt 0 ]] && policy+=(--keep-monthly "$KEEP_MONTHLY")
if [[ ${#policy[@]} -eq 0 ]]; then
    echo "retention: every count is 0, which would forget every snapshot; refusing" >&2
    exit 2
fi
restic forget --prune --group-by host,tags "${policy[@]}"
