#!/usr/bin/env bash
# Bootstrap step 2: day-2 system settings that do not belong in the first-boot user-data.
# Environment: TIMEZONE (an IANA zone such as Europe/Paris).
set -euo pipefail
: "${TIMEZONE:?TIMEZONE is required}"

if [[ ! -e "/usr/share/zoneinfo/$TIMEZONE" ]]; then
    echo "unknown time zone $TIMEZONE (no /usr/share/zoneinfo/$TIMEZONE on the VM)" >&2
    exit 1
fi
current=$(timedatectl show --property=Timezone --value)
if [[ "$current" == "$TIMEZONE" ]]; then
    echo "time zone already $TIMEZONE"
else
    timedatectl set-timezone "$TIMEZONE"
    echo "time zone changed from $current to $TIMEZONE"
fi
