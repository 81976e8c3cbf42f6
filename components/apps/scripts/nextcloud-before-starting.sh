#!/bin/sh
# Nextcloud's before-starting hook (/docker-entrypoint-hooks.d/before-starting), run by the image's
# entrypoint as www-data on every start, after any install or upgrade. NEXTCLOUD_TRUSTED_DOMAINS is
# read only at the install, so a changed hostname would otherwise be refused ("untrusted domain"):
# the hostname is written again as trusted domain 1 (the install keeps 0 for localhost, which the
# healthcheck uses), with the overwrite settings the proxy needs.
#
# Environment: HOMELAB_TRUSTED_DOMAIN, OVERWRITEHOST, OVERWRITEPROTOCOL, OVERWRITECLIURL.
set -eu
: "${HOMELAB_TRUSTED_DOMAIN:?}" "${OVERWRITEHOST:?}" "${OVERWRITEPROTOCOL:?}" "${OVERWRITECLIURL:?}"

occ() {
    php /var/www/html/occ "$@"
}

if ! occ status --output=json | grep -q '"installed":true'; then
    echo "homelab hook: Nextcloud is not installed yet; nothing to re-apply"
    exit 0
fi
occ config:system:set trusted_domains 1 --value="$HOMELAB_TRUSTED_DOMAIN"
occ config:system:set overwritehost --value="$OVERWRITEHOST"
occ config:system:set overwriteprotocol --value="$OVERWRITEPROTOCOL"
occ config:system:set overwrite.cli.url --value="$OVERWRITECLIURL"
echo "homelab hook: trusted domain and overwrite settings are $HOMELAB_TRUSTED_DOMAIN"
