// Every image the apps run, as plain data. Versions the owner picks come from the stack config,
// each with the digest of its tag (the project pins every image by tag AND digest: with both,
// Docker pulls by the digest, so a re-pushed tag cannot change what runs); the supporting images
// here are pinned by us and bumped deliberately.

/** "<repository>:<tag>@<digest>": the tag for people, the digest for Docker. */
function pinned(tag: string, digest: string): string {
    return `${tag}@${digest}`;
}

/** Jellyfin's official image (Debian-based, ships jellyfin-ffmpeg). */
export function jellyfinImageTag(version: string): string {
    return `docker.io/jellyfin/jellyfin:${version}`;
}

/** The same, pinned to the digest of that tag ("sha256:" and 64 hex digits). */
export function jellyfinImage(version: string, digest: string): string {
    return pinned(jellyfinImageTag(version), digest);
}

/** Navidrome's official image (Alpine-based). */
export function navidromeImageTag(version: string): string {
    return `docker.io/deluan/navidrome:${version}`;
}

/** The same, pinned to the digest of that tag ("sha256:" and 64 hex digits). */
export function navidromeImage(version: string, digest: string): string {
    return pinned(navidromeImageTag(version), digest);
}

/** Immich's server; the machine-learning image must carry the same tag. */
export function immichServerImageTag(version: string): string {
    return `ghcr.io/immich-app/immich-server:${version}`;
}

/** The same, pinned to the digest of that tag ("sha256:" and 64 hex digits). */
export function immichServerImage(version: string, digest: string): string {
    return pinned(immichServerImageTag(version), digest);
}

/** Immich's machine learning, always at the server's version. */
export function immichMachineLearningImageTag(version: string): string {
    return `ghcr.io/immich-app/immich-machine-learning:${version}`;
}

/** The same, pinned to the digest of that tag ("sha256:" and 64 hex digits). */
export function immichMachineLearningImage(version: string, digest: string): string {
    return pinned(immichMachineLearningImageTag(version), digest);
}

/** Nextcloud with Apache and mod_php: one container on port 80, the .htaccess rewrites included. */
export function nextcloudImageTag(version: string): string {
    return `docker.io/library/nextcloud:${version}-apache`;
}

/** The same, pinned to the digest of that tag ("sha256:" and 64 hex digits). */
export function nextcloudImage(version: string, digest: string): string {
    return pinned(nextcloudImageTag(version), digest);
}

/**
 * Nextcloud's database. Pinned to the current 17.x patch release by tag and digest: an unpinned
 * `postgres:alpine` jumps majors (which needs pg_upgrade), and 18 moved PGDATA. Alpine: the postgres
 * user is uid 70. The digest is the one several public Renovate-pinned repositories agree on; it
 * could not be checked against the registry from here: `docker pull` it once before bumping.
 */
export const NEXTCLOUD_POSTGRES_IMAGE =
    "docker.io/library/postgres:17.10-alpine@sha256:742f40ea20b9ff2ff31db5458d127452988a2164df9e17441e191f3b72252193";
/** The uid:gid the Alpine postgres image runs as, which owns its data directory. */
export const ALPINE_POSTGRES_USER = "70:70";
/** Immich's Postgres image is built on the Debian postgres image: the postgres user is uid 999. */
export const DEBIAN_POSTGRES_USER = "999:999";

/**
 * How long Docker waits for a database to stop before it kills it (docker stop, the daemon's own
 * shutdown): Docker's default is 10 s, and Postgres needs longer to checkpoint a busy cache.
 */
export const DATABASE_STOP_TIMEOUT_SECONDS = 90;

/** The uid:gid of the valkey user in the official (Debian) valkey image, which owns its /data. */
export const VALKEY_USER = "999:999";

/**
 * Nextcloud's file-locking and memory cache; nothing is persisted. 7.4.6 fixed CVE-2025-49844
 * (remote code execution through Lua); 7.4.8 is the current 7.4 patch release. Digest as above:
 * agreed by public pinned repositories, not checked against the registry from here.
 */
export const NEXTCLOUD_REDIS_IMAGE =
    "docker.io/library/redis:7.4.8-alpine@sha256:7aec734b2bb298a1d769fd8729f13b8514a41bf90fcdd1f38ec52267fbaa8ee6";

/** Nginx Proxy Manager. */
export function nginxProxyManagerImageTag(version: string): string {
    return `docker.io/jc21/nginx-proxy-manager:${version}`;
}

/** The same, pinned to the digest of that tag ("sha256:" and 64 hex digits). */
export function nginxProxyManagerImage(version: string, digest: string): string {
    return pinned(nginxProxyManagerImageTag(version), digest);
}
