// Where every app keeps its data on the VM, and the folders each app's own folders step creates or
// checks (after the VM bootstrap, before the app's containers): bind mounts fail when their source
// is missing, which is the guard that keeps an unmounted data disk from being filled on the root disk.
import type { HostDirectory } from "../docker/host-directory";
import { VM_USER_ID } from "../docker/host-directory";
import { ALPINE_POSTGRES_USER, DEBIAN_POSTGRES_USER, VALKEY_USER } from "./images";

/** The two roots the apps' data lives under. */
export interface AppsLayout {
    /** Config and databases on the VM's own disk, e.g. /home/homelab/docker. */
    readonly configRoot: string;
    /** The data disk's mount point, e.g. /home/homelab/media. Only subdirectories are ever bound. */
    readonly dataMountPoint: string;
}

/** The apps, by their config key. */
export type AppKey = "jellyfin" | "navidrome" | "immich" | "nextcloud" | "nginxProxyManager";

/**
 * What the folders step does with one folder:
 * - "own": the app owns it: created when missing, and an existing one with another owner or mode is set back;
 * - "seed": created when missing; afterwards the container manages its owner (Nextcloud's entrypoint
 *   rsyncs its code with --chown www-data:root), so an existing one is only checked to be a folder;
 * - "read": the owner's folder the app only reads (the VM's base layout creates it): it must exist.
 */
export type FolderAccess = "own" | "seed" | "read";

/** One folder an app binds, and what its folders step does with it. */
export interface AppFolder extends HostDirectory {
    /** Whether the app owns the folder, only seeds it, or only reads it. */
    readonly access: FolderAccess;
}

const USER = `${VM_USER_ID}:${VM_USER_ID}`;
/** Apache in the Nextcloud image runs as www-data, uid 33 on Debian. */
export const NEXTCLOUD_WWW_DATA = "33:33";
const ROOT = "0:0";

/** Every path an app binds, named by role; sources on the data disk are subdirectories of it. */
export function appPaths(layout: AppsLayout) {
    const config = (...parts: string[]) => [layout.configRoot, ...parts].join("/");
    const data = (...parts: string[]) => [layout.dataMountPoint, ...parts].join("/");
    return {
        // The cache holds transcodes and trickplay, and Jellyfin refuses to start with under 2 GiB
        // free on it (StorageHelper.cs, checked at every start): on the data disk, not the 32 GiB one.
        jellyfin: { root: config("jellyfin"), config: config("jellyfin", "config"), dataRoot: data("jellyfin"), cache: data("jellyfin", "cache"), movies: data("movies"), tv: data("tv") },
        navidrome: { data: config("navidrome"), music: data("music") },
        immich: {
            root: config("immich"),
            postgres: config("immich", "postgres"),
            modelCache: config("immich", "model-cache"),
            // Valkey keeps its job queue in /data: a replaced container must not lose it.
            valkey: config("immich", "valkey"),
            // Immich writes library/, thumbs/, encoded-video/, profile/ and backups/ here.
            uploads: data("immich"),
            // The owner's photos, read-only, registered as an external library.
            photos: data("photos"),
        },
        nextcloud: { root: config("nextcloud"), html: config("nextcloud", "html"), postgres: config("nextcloud", "postgres"), data: data("nextcloud") },
        nginxProxyManager: { root: config("npm"), data: config("npm", "data"), letsencrypt: config("npm", "letsencrypt") },
    } as const;
}

function folder(path: string, owner: string, mode: string, access: FolderAccess = "own"): AppFolder {
    return { path, owner, mode, access };
}

/** The owner's media folders, which the VM's base layout creates (owner VM user, 0755). */
function mediaFolder(path: string): AppFolder {
    return folder(path, USER, "0755", "read");
}

/**
 * The folders one app needs, parents before children. Containers see only their bind mounts, so a
 * parent's mode never has to let a container's uid through.
 */
export function appFolders(layout: AppsLayout, app: AppKey): AppFolder[] {
    const paths = appPaths(layout);
    switch (app) {
        case "jellyfin":
            return [
                folder(paths.jellyfin.root, USER, "0750"),
                folder(paths.jellyfin.config, USER, "0750"),
                folder(paths.jellyfin.dataRoot, USER, "0750"),
                folder(paths.jellyfin.cache, USER, "0750"),
                mediaFolder(paths.jellyfin.movies),
                mediaFolder(paths.jellyfin.tv),
            ];
        case "navidrome":
            return [folder(paths.navidrome.data, USER, "0750"), mediaFolder(paths.navidrome.music)];
        case "immich":
            return [
                folder(paths.immich.root, USER, "0750"),
                // initdb refuses a data directory that others can read.
                folder(paths.immich.postgres, DEBIAN_POSTGRES_USER, "0700"),
                folder(paths.immich.modelCache, USER, "0750"),
                // The valkey image's entrypoint chowns /data to its valkey user when it starts as root.
                folder(paths.immich.valkey, VALKEY_USER, "0750"),
                folder(paths.immich.uploads, USER, "0750"),
                mediaFolder(paths.immich.photos),
            ];
        case "nextcloud":
            return [
                folder(paths.nextcloud.root, USER, "0750"),
                folder(paths.nextcloud.html, NEXTCLOUD_WWW_DATA, "0750", "seed"),
                folder(paths.nextcloud.postgres, ALPINE_POSTGRES_USER, "0700"),
                // Nextcloud checks its data directory is 0770 and owned by www-data.
                folder(paths.nextcloud.data, NEXTCLOUD_WWW_DATA, "0770"),
            ];
        case "nginxProxyManager":
            return [
                folder(paths.nginxProxyManager.root, USER, "0750"),
                // NPM runs as root (it binds 80 and 443 and manages certbot's files).
                folder(paths.nginxProxyManager.data, ROOT, "0750"),
                folder(paths.nginxProxyManager.letsencrypt, ROOT, "0750"),
            ];
    }
}

/** The list app-folders.sh reads: one "access path owner mode" line per folder, in order. */
export function renderFolderList(folders: readonly AppFolder[]): string {
    return folders.map((entry) => `${entry.access} ${entry.path} ${entry.owner} ${entry.mode}\n`).join("");
}
