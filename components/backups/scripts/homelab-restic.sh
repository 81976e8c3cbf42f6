#!/usr/bin/env bash
# restic with the homelab's repository, password and credentials, for restores by hand:
#   sudo homelab-restic snapshots
#   sudo homelab-restic restore latest --tag nightly --target /var/tmp/restore --include /home/homelab/media/photos
# Installed as /usr/local/sbin/homelab-restic; reads the same configuration as the backup jobs.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
library=/usr/local/lib/homelab-backup/backup-common.sh
[[ -f "$library" ]] || library="$here/backup-common.sh"
# shellcheck source-path=SCRIPTDIR source=backup-common.sh
source "$library"
load_configuration
exec restic "$@"
