#!/usr/bin/env bash
# The weekly repository check (homelab-backup-check.service): restic check of the repository's
# structure, plus a fresh subset of the data read back and verified against its hashes each week.
# Environment: HOMELAB_BACKUP_CONFIG (see backup-common.sh); CHECK_READ_DATA_SUBSET (default 5%).
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=backup-common.sh
source "$here/backup-common.sh"

load_configuration
begin_job check
step "restic check"
restic check --read-data-subset="${CHECK_READ_DATA_SUBSET:-5%}"
