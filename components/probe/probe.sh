#!/bin/bash
# The post-deploy probe. Runs on the LAN side, in the WireGuard container (through `pct exec` on the
# Proxmox host): every app name must resolve through the homelab DNS and answer over HTTPS with a
# certificate the homelab CA signed. Retries while the apps start, then fails naming, for each app
# still failing, the app, the URL and what went wrong.
# Usage: probe.sh <attempts> <seconds between attempts> <DNS server> <app>=<https URL>...
# stdin: the homelab CA certificate (PEM); empty: the container's trust store (a public CA).
set -euo pipefail
umask 077

if [ "$#" -lt 4 ]; then
    echo "usage: probe.sh <attempts> <interval seconds> <DNS server> <app>=<https URL>... (CA certificate, or nothing, on stdin)" >&2
    exit 2
fi
attempts=$1
interval=$2
dns_server=$3
shift 3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ca_file="$work/homelab-ca.pem"
cat > "$ca_file"
trust=(--cacert "$ca_file")
trusted_by="the homelab CA"
if [ ! -s "$ca_file" ]; then
    trust=()
    trusted_by="the container's trust store"
elif ! grep -q -- "-----BEGIN CERTIFICATE-----" "$ca_file"; then
    echo "probe: stdin is not a CA certificate in PEM (expected the homelab CA, or nothing)" >&2
    exit 2
fi

# dig asks the homelab DNS itself (not whatever the container resolves with); curl speaks HTTPS.
if ! command -v dig > /dev/null || ! command -v curl > /dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q < /dev/null > /dev/null
    apt-get install -y -q --no-install-recommends bind9-dnsutils curl < /dev/null > /dev/null
fi

# Checks one app; prints "ok ..." or the reason it failed, and returns non-zero on failure.
check() {
    local app=$1 url=$2
    local rest authority host port answer address status
    rest=${url#https://}
    if [ "$rest" = "$url" ]; then
        echo "$app $url: not an https:// URL"
        return 1
    fi
    authority=${rest%%/*}
    host=${authority%%:*}
    port=443
    if [ "$authority" != "$host" ]; then
        port=${authority#*:}
    fi
    answer=$(dig +short +time=2 +tries=2 "@$dns_server" "$host" A 2>&1) || true
    address=$(printf '%s\n' "$answer" | grep -E '^[0-9]+(\.[0-9]+){3}$' | head -n 1) || true
    if [ -z "$address" ]; then
        echo "$app $url: $host does not resolve through the homelab DNS at $dns_server (dig: ${answer:-no address})"
        return 1
    fi
    if ! status=$(curl --silent --show-error --max-time 10 "${trust[@]}" --resolve "$host:$port:$address" \
        --output /dev/null --write-out '%{http_code}' "$url" 2> "$work/curl-error"); then
        # curl explains on further lines; the first says what failed.
        echo "$app $url ($host is $address): $(head -n 1 "$work/curl-error")"
        return 1
    fi
    # Any answer below 500 is the app (a login redirect is an answer); 5xx is the proxy without its app.
    if [ "$status" -ge 500 ]; then
        echo "$app $url ($host is $address): HTTP $status from the proxy: the app behind it does not answer"
        return 1
    fi
    echo "ok $app $url ($host is $address, HTTP $status, certificate verified by $trusted_by)"
}

pending=("$@")
for attempt in $(seq 1 "$attempts"); do
    still_failing=()
    reasons=()
    for site in "${pending[@]}"; do
        if result=$(check "${site%%=*}" "${site#*=}"); then
            echo "probe: $result"
        else
            still_failing+=("$site")
            reasons+=("$result")
        fi
    done
    if [ "${#still_failing[@]}" -eq 0 ]; then
        echo "probe: all $# apps answer by name over HTTPS"
        exit 0
    fi
    pending=("${still_failing[@]}")
    if [ "$attempt" -lt "$attempts" ]; then
        # Said as it happens, so a long wait in the `up` log shows what it waits for.
        for reason in "${reasons[@]}"; do
            echo "probe: attempt $attempt of $attempts: $reason"
        done
        sleep "$interval"
    fi
done
for reason in "${reasons[@]}"; do
    echo "probe: FAILED $reason" >&2
done
echo "probe: ${#pending[@]} of $# apps do not answer by name over HTTPS after $attempts attempts" >&2
exit 1
