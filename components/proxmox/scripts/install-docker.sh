#!/usr/bin/env bash
# Bootstrap step 4: Docker Engine and the compose plugin from Docker's apt repository, at pinned
# versions (held, so routine upgrades do not move them). The repository key is checked against
# Docker's published fingerprint before it is trusted. On a fresh VM, apt-daily and
# unattended-upgrades may hold apt's locks right after cloud-init: apt waits for them instead of
# failing, and downloads are retried.
#
# Environment: DOCKER_ENGINE_VERSION, CONTAINERD_VERSION, COMPOSE_VERSION (apt versions), DOCKER_USER.
set -euo pipefail
: "${DOCKER_ENGINE_VERSION:?}" "${CONTAINERD_VERSION:?}" "${COMPOSE_VERSION:?}" "${DOCKER_USER:?}"

readonly fingerprint=9DC858229FC7DD38854AE2D88D81803C0EBFCD88
readonly keyring=/etc/apt/keyrings/docker.asc
readonly sources=/etc/apt/sources.list.d/docker.sources
export DEBIAN_FRONTEND=noninteractive

declare -A wanted=(
    [docker-ce]=$DOCKER_ENGINE_VERSION
    [docker-ce-cli]=$DOCKER_ENGINE_VERSION
    [containerd.io]=$CONTAINERD_VERSION
    [docker-compose-plugin]=$COMPOSE_VERSION
)

# apt-get that waits up to 10 minutes for the dpkg lock and retries failed downloads.
apt_get() {
    apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5 "$@"
}

# Runs "$@" up to 5 times, 20 s apart: `apt-get update` also takes the lists lock, which
# DPkg::Lock::Timeout may not wait for ("Could not get lock /var/lib/apt/lists/lock"), and a mirror
# can fail for a moment.
with_retries() {
    local attempt
    for attempt in 1 2 3 4 5; do
        "$@" && return 0
        echo "$* failed (attempt $attempt of 5)" >&2
        [[ $attempt -eq 5 ]] || sleep 20
    done
    return 1
}

installed_version() {
    # shellcheck disable=SC2016 # ${Version} is dpkg-query's format, not a shell expansion.
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true
}

up_to_date=true
for package in "${!wanted[@]}"; do
    if [[ "$(installed_version "$package")" != "${wanted[$package]}" ]]; then
        up_to_date=false
    fi
done

if [[ $up_to_date == true && -s $keyring && -s $sources ]]; then
    echo "Docker packages already at the pinned versions"
else
    install -d -m 0755 /etc/apt/keyrings
    if [[ ! -s $keyring ]]; then
        downloaded=$(mktemp)
        curl -fsSL --retry 5 --retry-connrefused https://download.docker.com/linux/ubuntu/gpg -o "$downloaded"
        actual=$(gpg --show-keys --with-colons "$downloaded" | awk -F: '$1 == "fpr" { print $10; exit }')
        if [[ "$actual" != "$fingerprint" ]]; then
            echo "Docker's repository key has fingerprint '$actual', expected $fingerprint; not trusting it" >&2
            exit 1
        fi
        install -m 0644 "$downloaded" "$keyring"
        rm -f "$downloaded"
    fi
    cat >"$sources" <<SOURCES
Types: deb
URIs: https://download.docker.com/linux/ubuntu
Suites: noble
Components: stable
Architectures: $(dpkg --print-architecture)
Signed-By: $keyring
SOURCES
    with_retries apt_get update -q
    pins=()
    for package in "${!wanted[@]}"; do
        pins+=("$package=${wanted[$package]}")
    done
    # No recommends: they would pull unpinned extras (buildx, rootless extras) at whatever version is current.
    apt_get install -y -q --no-install-recommends --allow-downgrades --allow-change-held-packages "${pins[@]}"
    apt-mark hold "${!wanted[@]}" >/dev/null
fi

if ! id -nG "$DOCKER_USER" | tr ' ' '\n' | grep -qx docker; then
    usermod -aG docker "$DOCKER_USER"
fi
systemctl enable --quiet containerd.service docker.service
docker_version=$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo "not running (is the data disk mounted?)")
echo "Docker Engine ${wanted[docker-ce]}, server: $docker_version"
