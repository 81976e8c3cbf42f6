// Every image the apps run, as plain data. Versions the owner picks come from the stack config;
// the supporting images here are pinned by us and bumped deliberately.

/** Jellyfin's official image (Debian-based, ships jellyfin-ffmpeg). */
export function jellyfinImage(version: string): string {
    return `docker.io/jellyfin/jellyfin:${version}`;
}

/** Navidrome's official image (Alpine-based). */
export function navidromeImage(version: string): string {
    return `docker.io/deluan/navidrome:${version}`;
}

/** Immich's server; the machine-learning image must carry the same tag. */
export function immichServerImage(version: string): string {
    return `ghcr.io/immich-app/immich-server:${version}`;
}

/** Immich's machine learning, always at the server's version. */
export function immichMachineLearningImage(version: string): string {
    return `ghcr.io/immich-app/immich-machine-learning:${version}`;
}

/** Nextcloud with Apache and mod_php: one container on port 80, the .htaccess rewrites included. */
export function nextcloudImage(version: string): string {
    return `docker.io/library/nextcloud:${version}-apache`;
}

/**
 * Nextcloud's database. Pinned to a 17.x minor: an unpinned `postgres:alpine` jumps majors (which
 * needs pg_upgrade), and 18 moved PGDATA (apps.md §4). Alpine: the postgres user is uid 70.
 */
export const NEXTCLOUD_POSTGRES_IMAGE = "docker.io/library/postgres:17.6-alpine";
/** The uid:gid the Alpine postgres image runs as, which owns its data directory. */
export const ALPINE_POSTGRES_USER = "70:70";
/** Immich's Postgres image is built on the Debian postgres image: the postgres user is uid 999. */
export const DEBIAN_POSTGRES_USER = "999:999";

/** Nextcloud's file-locking and memory cache; nothing is persisted. */
export const NEXTCLOUD_REDIS_IMAGE = "docker.io/library/redis:7.4.5-alpine";

/** Nginx Proxy Manager. */
export function nginxProxyManagerImage(version: string): string {
    return `docker.io/jc21/nginx-proxy-manager:${version}`;
}
