// Where every app keeps its data on the VM, and the directories the VM bootstrap must create
// (with owner and mode) before Docker starts: bind mounts fail when their source is missing, which
// is the guard that keeps an unmounted data disk from being filled on the root disk.
import type { HostDirectory } from "../docker/host-directory";
import { VM_USER_ID } from "../docker/host-directory";
import { ALPINE_POSTGRES_USER, DEBIAN_POSTGRES_USER } from "./images";

/** The two roots the apps' data lives under. */
export interface AppsLayout {
    /** Config and databases on the VM's own disk, e.g. /home/homelab/docker. */
    readonly configRoot: string;
    /** The data disk's mount point, e.g. /home/homelab/media. Only subdirectories are ever bound. */
    readonly dataMountPoint: string;
}

/** Which apps are deployed. */
export interface EnabledApps {
    readonly jellyfin: boolean;
    readonly navidrome: boolean;
    readonly immich: boolean;
    readonly nextcloud: boolean;
    readonly nginxProxyManager: boolean;
}

const USER = `${VM_USER_ID}:${VM_USER_ID}`;
/** Apache in the Nextcloud image runs as www-data, uid 33 on Debian. */
export const NEXTCLOUD_WWW_DATA = "33:33";
const ROOT = "0:0";

/** Every path an app binds, named by role; sources on the data disk are subdirectories of it. */
export function appPaths(layout: AppsLayout) {
    const config = (...parts: string[]) => [layout.configRoot, ...parts].join("/");
    const data = (part: string) => `${layout.dataMountPoint}/${part}`;
    return {
        jellyfin: { root: config("jellyfin"), config: config("jellyfin", "config"), cache: config("jellyfin", "cache"), movies: data("movies"), tv: data("tv") },
        navidrome: { data: config("navidrome"), music: data("music") },
        immich: { root: config("immich"), postgres: config("immich", "postgres"), modelCache: config("immich", "model-cache"), uploads: data("photos") },
        nextcloud: { root: config("nextcloud"), html: config("nextcloud", "html"), postgres: config("nextcloud", "postgres"), data: data("nextcloud") },
        nginxProxyManager: { root: config("npm"), data: config("npm", "data"), letsencrypt: config("npm", "letsencrypt") },
    } as const;
}

function directory(path: string, owner: string, mode: string): HostDirectory {
    return { path, owner, mode };
}

/**
 * The directories the enabled apps need, parents before children. The UbuntuVm bootstrap creates
 * them after the data disk is mounted and before Docker starts. Containers see only their bind
 * mounts, so a parent's mode never has to let a container's uid through. The owner's media folders
 * (movies, tv, music, photos) belong to the VM's base layout (baseDirectories), which the bootstrap
 * creates for every stack; listing them here too once gave two modes for one folder.
 */
export function appHostDirectories(layout: AppsLayout, enabled: EnabledApps): HostDirectory[] {
    const paths = appPaths(layout);
    const directories: HostDirectory[] = [];
    if (enabled.jellyfin) {
        directories.push(
            directory(paths.jellyfin.root, USER, "0750"),
            directory(paths.jellyfin.config, USER, "0750"),
            directory(paths.jellyfin.cache, USER, "0750"),
        );
    }
    if (enabled.navidrome) {
        directories.push(directory(paths.navidrome.data, USER, "0750"));
    }
    if (enabled.immich) {
        directories.push(
            directory(paths.immich.root, USER, "0750"),
            // initdb refuses a data directory that others can read.
            directory(paths.immich.postgres, DEBIAN_POSTGRES_USER, "0700"),
            directory(paths.immich.modelCache, USER, "0750"),
        );
    }
    if (enabled.nextcloud) {
        directories.push(
            directory(paths.nextcloud.root, USER, "0750"),
            directory(paths.nextcloud.html, NEXTCLOUD_WWW_DATA, "0750"),
            directory(paths.nextcloud.postgres, ALPINE_POSTGRES_USER, "0700"),
            // Nextcloud checks its data directory is 0770 and owned by www-data.
            directory(paths.nextcloud.data, NEXTCLOUD_WWW_DATA, "0770"),
        );
    }
    if (enabled.nginxProxyManager) {
        directories.push(
            directory(paths.nginxProxyManager.root, USER, "0750"),
            // NPM runs as root (it binds 80 and 443 and manages certbot's files).
            directory(paths.nginxProxyManager.data, ROOT, "0750"),
            directory(paths.nginxProxyManager.letsencrypt, ROOT, "0750"),
        );
    }
    return directories;
}
