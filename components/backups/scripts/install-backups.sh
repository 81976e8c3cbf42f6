#!/usr/bin/env bash
# Installs the VM's backups: restic from Ubuntu's archive, the scripts and their configuration, the
# repository's password and credentials (read from stdin, never from the command line, which Pulumi
# logs), the systemd timers, and the repository itself when it has not been initialised yet.
# Idempotent: a re-run rewrites the same files and initialises nothing twice.
#
# Environment:
#   BUNDLE_BASE64   base64 of "<mode> <absolute path> <base64 content>" lines: every file to write
#   BACKUP_CONFIG   the backup.env among them (its folder gets the secrets)
#   INSTALL_DIRECTORY, TIMERS (space-separated unit names to enable)
# stdin: two lines, the base64 of the repository password and of the credentials (NAME=value lines).
set -euo pipefail
: "${BUNDLE_BASE64:?}" "${BACKUP_CONFIG:?}" "${INSTALL_DIRECTORY:?}" "${TIMERS:?}"

# The secrets first: nothing below (apt-get included) may read them off stdin.
read -r password_base64 || true
read -r environment_base64 || true
[[ -n "${password_base64:-}" ]] || { echo "backups: no repository password on stdin" >&2; exit 1; }

if ! command -v restic >/dev/null; then
    echo "backups: installing restic"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends restic >/dev/null
fi

written=0
while read -r mode path content; do
    [[ "$mode" =~ ^0[0-7]{3}$ && "$path" == /* ]] || { echo "backups: bad bundle line for $path" >&2; exit 1; }
    install -d -m 0755 -- "$(dirname "$path")"
    staged=$(mktemp "$(dirname "$path")/.install.XXXXXX")
    base64 -d <<<"$content" >"$staged"
    chmod "$mode" -- "$staged"
    mv -f -- "$staged" "$path"
    written=$((written + 1))
done < <(base64 -d <<<"$BUNDLE_BASE64")
echo "backups: wrote $written files"

config_directory=$(dirname "$BACKUP_CONFIG")
chmod 0700 -- "$config_directory"
(
    umask 077
    base64 -d <<<"$password_base64" >"$config_directory/restic-password"
    base64 -d <<<"${environment_base64:-}" >"$config_directory/restic.env"
)

# shellcheck source-path=SCRIPTDIR source=backup-common.sh
source "$INSTALL_DIRECTORY/backup-common.sh"
HOMELAB_BACKUP_CONFIG=$BACKUP_CONFIG load_configuration
install -d -m 0700 -- "$DUMP_DIRECTORY"
install -d -m 0755 -- "$STATUS_DIRECTORY"
install -d -m 0700 -- "$RESTIC_CACHE_DIR"
if restic cat config >/dev/null 2>&1; then
    echo "backups: the repository $RESTIC_REPOSITORY is ready"
else
    echo "backups: initialising the repository $RESTIC_REPOSITORY"
    restic init
fi

systemctl daemon-reload
read -r -a timers <<<"$TIMERS"
systemctl enable --now "${timers[@]}"
echo "backups: timers enabled: ${timers[*]}"
