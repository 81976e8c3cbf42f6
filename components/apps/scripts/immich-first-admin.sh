#!/usr/bin/env bash
# Immich's first admin and the external library of the owner's photos, run on the VM once the
# server container exists. Check first, do nothing when done: an Immich that already has its admin
# gets no second one, and a library whose import path is already registered is not added again.
# Until this has run, Immich's admin sign-up is open to whoever reaches it first.
#
# Environment: APP_CONTAINER, APP_NETWORK, APP_PORT (where the server is), ADMIN_EMAIL, PHOTOS_PATH
# (the import path in the container); BASE_URL instead of the three APP_ ones (tests); WAIT_SECONDS
# (default 900). Standard input: the admin's password.
set -euo pipefail
: "${ADMIN_EMAIL:?}" "${PHOTOS_PATH:?}"
wait_seconds=${WAIT_SECONDS:-900}

fail() {
    echo "immich first admin: $*" >&2
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
# The bearer token goes to curl in a file, never on its command line.
: >"$scratch/headers"

# request METHOD PATH [JSON]: prints the response body; fails on a status outside 2xx unless
# ALLOW_STATUS names it. The status is left in $scratch/status (callers run it in a subshell).
request() {
    local method=$1 path=$2 body=${3:-}
    local arguments=(--silent --show-error --max-time 60 --request "$method" --header "Accept: application/json"
        --header "@$scratch/headers" --output "$scratch/body" --write-out "%{http_code}")
    if [[ -n "$body" ]]; then
        arguments+=(--header "Content-Type: application/json" --data-binary @-)
    fi
    local status
    status=$(printf '%s' "$body" | curl "${arguments[@]}" "$BASE_URL/api$path") || fail "$method $path: no answer"
    printf '%s' "$status" >"$scratch/status"
    if [[ "$status" != 2* && " ${ALLOW_STATUS:-} " != *" $status "* ]]; then
        fail "$method $path answered $status: $(head -c 300 "$scratch/body")"
    fi
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
until curl --silent --fail --max-time 10 --output /dev/null "$BASE_URL/api/server/ping"; do
    ((SECONDS < deadline)) || fail "the server did not answer at $BASE_URL within ${wait_seconds}s"
    sleep 5
done

initialized=$(request GET /server/config | json 'v["isInitialized"]')
if [[ "$initialized" == False ]]; then
    request POST /auth/admin-sign-up "$(ADMIN_EMAIL=$ADMIN_EMAIL body '{"email": os.environ["ADMIN_EMAIL"], "name": "Admin", "password": os.environ["HOMELAB_PASSWORD"]}')" >/dev/null
    echo "immich first admin: created $ADMIN_EMAIL"
fi

login=$(ALLOW_STATUS=401 request POST /auth/login "$(ADMIN_EMAIL=$ADMIN_EMAIL body '{"email": os.environ["ADMIN_EMAIL"], "password": os.environ["HOMELAB_PASSWORD"]}')")
if [[ $(cat "$scratch/status") == 401 ]]; then
    echo "immich first admin: an admin exists and the generated password does not log in (changed in Immich): nothing to do"
    exit 0
fi
token=$(json 'v["accessToken"]' <<<"$login")
printf 'Authorization: Bearer %s\n' "$token" >"$scratch/headers"
owner=$(request GET /users/me | json 'v["id"]')

libraries=$(request GET /libraries)
if [[ $(PHOTOS_PATH=$PHOTOS_PATH json 'any(os.environ["PHOTOS_PATH"] in library["importPaths"] for library in v)' <<<"$libraries") == True ]]; then
    echo "immich first admin: the library of $PHOTOS_PATH exists: nothing to do"
    exit 0
fi
library=$(request POST /libraries "$(OWNER=$owner PHOTOS_PATH=$PHOTOS_PATH body '{"ownerId": os.environ["OWNER"], "name": "Photos", "importPaths": [os.environ["PHOTOS_PATH"]]}')" | json 'v["id"]')
request POST "/libraries/$library/scan" >/dev/null
echo "immich first admin: added the external library $PHOTOS_PATH and started its scan"
