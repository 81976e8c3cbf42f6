#!/usr/bin/env bash
# Jellyfin's startup wizard, completed through its API on the VM once the container exists: the
# admin user, the libraries, the proxy as the one known proxy, then "complete". Until then the
# wizard (and with it the first admin) belongs to whoever opens Jellyfin first. Check first, do
# nothing when done: a completed wizard is left alone, and a library that exists is not added again
# (a run cut short is finished by the next one, as "complete" comes last).
#
# Environment: APP_CONTAINER, APP_NETWORK, APP_PORT (where Jellyfin is), ADMIN_USER, LIBRARIES
# ("Name:collectionType:/path" separated by spaces), KNOWN_PROXY (the proxy's address); BASE_URL
# instead of the three APP_ ones (tests); WAIT_SECONDS (default 900). Standard input: the password.
set -euo pipefail
: "${ADMIN_USER:?}" "${LIBRARIES:?}" "${KNOWN_PROXY:?}"
wait_seconds=${WAIT_SECONDS:-900}

fail() {
    echo "jellyfin first admin: $*" >&2
    exit 1
}

password=$(cat)
[[ -n "$password" ]] || fail "no password on standard input"
export HOMELAB_PASSWORD=$password

if [[ -z "${BASE_URL:-}" ]]; then
    : "${APP_CONTAINER:?}" "${APP_NETWORK:?}" "${APP_PORT:?}"
    address=$(docker inspect --format "{{with index .NetworkSettings.Networks \"$APP_NETWORK\"}}{{.IPAddress}}{{end}}" "$APP_CONTAINER") \
        || fail "no container $APP_CONTAINER"
    [[ -n "$address" ]] || fail "$APP_CONTAINER has no address on the network $APP_NETWORK"
    BASE_URL="http://$address:$APP_PORT"
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Jellyfin wants to know the client on every call; the token joins it once there is one.
client='MediaBrowser Client="homelab", Device="pulumi", DeviceId="homelab-first-admin", Version="1"'
printf 'Authorization: %s\n' "$client" >"$scratch/headers"

# request METHOD PATH [JSON]: prints the response body; fails on a status outside 2xx.
request() {
    local method=$1 path=$2 body=${3:-} status
    local arguments=(--silent --show-error --max-time 60 --request "$method" --header "Accept: application/json"
        --header "@$scratch/headers" --output "$scratch/body" --write-out "%{http_code}")
    if [[ -n "$body" ]]; then
        arguments+=(--header "Content-Type: application/json" --data-binary @-)
    fi
    status=$(printf '%s' "$body" | curl "${arguments[@]}" "$BASE_URL$path") || fail "$method $path: no answer"
    [[ "$status" == 2* ]] || fail "$method $path answered $status: $(head -c 300 "$scratch/body")"
    cat "$scratch/body"
}

# json EXPRESSION: evaluates a Python expression over the JSON on standard input as `v`.
json() {
    python3 -c 'import json, os, sys; v = json.load(sys.stdin); r = eval(sys.argv[1]); print(json.dumps(r) if isinstance(r, (dict, list)) else r)' "$1"
}

# body EXPRESSION: prints a JSON document built by a Python expression (the password is in env).
body() {
    python3 -c 'import json, os, sys; print(json.dumps(eval(sys.argv[1])))' "$1"
}

deadline=$((SECONDS + wait_seconds))
until curl --silent --fail --max-time 10 --output "$scratch/public" "$BASE_URL/System/Info/Public"; do
    ((SECONDS < deadline)) || fail "Jellyfin did not answer at $BASE_URL within ${wait_seconds}s"
    sleep 5
done
if [[ $(json 'v["StartupWizardCompleted"]' <"$scratch/public") == True ]]; then
    echo "jellyfin first admin: the startup wizard is complete: nothing to do"
    exit 0
fi

request POST /Startup/Configuration '{"UICulture": "en-US", "MetadataCountryCode": "US", "PreferredMetadataLanguage": "en"}' >/dev/null
# Creates the first user when there is none (Jellyfin's wizard needs one to rename).
request GET /Startup/User >/dev/null
request POST /Startup/User "$(ADMIN_USER=$ADMIN_USER body '{"Name": os.environ["ADMIN_USER"], "Password": os.environ["HOMELAB_PASSWORD"]}')" >/dev/null
echo "jellyfin first admin: the admin is $ADMIN_USER"

existing=$(request GET /Library/VirtualFolders | json '[folder["Name"] for folder in v]')
for library in $LIBRARIES; do
    IFS=: read -r name collection path <<<"$library"
    if [[ $(NAME=$name json 'os.environ["NAME"] in v' <<<"$existing") == True ]]; then
        echo "jellyfin first admin: the library $name exists"
        continue
    fi
    # Read-only media: metadata and trickplay stay in Jellyfin's own folders.
    request POST "/Library/VirtualFolders?name=$name&collectionType=$collection&paths=$path&refreshLibrary=true" \
        '{"LibraryOptions": {"EnableRealtimeMonitor": true, "SaveLocalMetadata": false, "SaveTrickplayWithMedia": false}}' >/dev/null
    echo "jellyfin first admin: added the library $name ($collection, $path)"
done

token=$(request POST /Users/AuthenticateByName "$(ADMIN_USER=$ADMIN_USER body '{"Username": os.environ["ADMIN_USER"], "Pw": os.environ["HOMELAB_PASSWORD"]}')" | json 'v["AccessToken"]')
printf 'Authorization: %s, Token="%s"\n' "$client" "$token" >"$scratch/headers"
network=$(request GET /System/Configuration/network | KNOWN_PROXY=$KNOWN_PROXY json 'dict(v, KnownProxies=[os.environ["KNOWN_PROXY"]])')
request POST /System/Configuration/network "$network" >/dev/null
echo "jellyfin first admin: the known proxy is $KNOWN_PROXY"

request POST /Startup/RemoteAccess '{"EnableRemoteAccess": true, "EnableAutomaticPortMapping": false}' >/dev/null
request POST /Startup/Complete >/dev/null
echo "jellyfin first admin: the startup wizard is complete"
