#!/bin/bash
# `npm run test:network`: the network tier (root). Jest builds and tears down the namespaces itself;
# this trap is the last resort when Jest dies or is killed: it kills every process in this run's
# namespaces by pid, deletes the namespaces (their links go with them) and their private files.
# The whole run is bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" -ne 0 ]; then
    echo "the network tier needs root (network namespaces): run it as root, as .ci/run does" >&2
    exit 1
fi

run_id="hlnet$$"
export HOMELAB_NETWORK_RUN_ID="$run_id"

cleanup() {
    local status=$?
    local namespace pid round
    for namespace in $(ip netns list | awk '{print $1}' | grep "^$run_id-" || true); do
        for round in 1 2 3; do
            for pid in $(ip netns pids "$namespace"); do
                kill -KILL "$pid" 2>/dev/null || true
            done
            [ -z "$(ip netns pids "$namespace")" ] && break
            sleep 0.2
        done
        echo "network tier: removed leftover namespace $namespace (round $round)" >&2
        ip netns delete "$namespace"
        status=1
    done
    rm -rf "${TMPDIR:-/tmp}/$run_id-"*
    exit "$status"
}
trap cleanup EXIT INT TERM

timeout --kill-after=5 120 npx jest --config jest.network.config.js --runInBand "$@"
