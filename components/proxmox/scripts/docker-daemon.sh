#!/usr/bin/env bash
# Bootstrap step 5: /etc/docker/daemon.json (log rotation and friends). Docker is restarted only when
# the file changed; new log settings apply to containers created afterwards.
#
# Environment: DAEMON_JSON_BASE64 (the whole file).
set -euo pipefail
: "${DAEMON_JSON_BASE64:?}"

readonly target=/etc/docker/daemon.json
staged=$(mktemp)
trap 'rm -f "$staged"' EXIT
base64 -d <<<"$DAEMON_JSON_BASE64" >"$staged"

if [[ -f $target ]] && cmp -s "$staged" "$target"; then
    echo "$target unchanged"
    exit 0
fi
dockerd --validate --config-file "$staged" >/dev/null
install -D -m 0644 "$staged" "$target"
if systemctl is-active --quiet docker.service; then
    systemctl restart docker.service
    echo "$target updated; Docker restarted"
else
    echo "$target updated; Docker is not running (is the data disk mounted?), it reads the file when it starts"
fi
