import { appFolders, appPaths, renderFolderList } from "../../components/apps/directories";
import type { AppKey } from "../../components/apps/directories";
import { appFoldersEnvironment } from "../../components/apps/app-folders";
import { baseDirectories, vmLayout } from "../../components/proxmox/bootstrap-scripts";

const layout = { configRoot: "/home/homelab/docker", dataMountPoint: "/home/homelab/media" };
const APPS: AppKey[] = ["jellyfin", "navidrome", "immich", "nextcloud", "nginxProxyManager"];
const under = (path: string, root: string) => path.startsWith(`${root}/`);

describe("the folders each app's own step creates or checks", () => {
    const all = APPS.flatMap((app) => appFolders(layout, app));
    const byPath = new Map(all.map((folder) => [folder.path, folder]));

    test("everything lives under the config root or strictly inside the data disk, never on the bare mount point", () => {
        for (const { path } of all) {
            expect(under(path, layout.configRoot) || under(path, layout.dataMountPoint)).toBe(true);
            expect(path).not.toBe(layout.dataMountPoint);
        }
    });

    test.each(APPS)("%s: each path once, parents before their children", (app) => {
        const folders = appFolders(layout, app);
        expect(new Set(folders.map((folder) => folder.path)).size).toBe(folders.length);
        folders.forEach((folder, index) => {
            const parentIndex = folders.findIndex((candidate) => under(folder.path, candidate.path));
            expect(parentIndex === -1 || parentIndex < index).toBe(true);
        });
    });

    test("owners and modes match what each image runs as", () => {
        const paths = appPaths(layout);
        expect(byPath.get(paths.navidrome.data)).toMatchObject({ owner: "1000:1000", access: "own" });
        // Nextcloud refuses a data directory that is not www-data's and 0770.
        expect(byPath.get(paths.nextcloud.data)).toEqual({ path: "/home/homelab/media/nextcloud", owner: "33:33", mode: "0770", access: "own" });
        // The entrypoint rsyncs the code with --chown www-data:root: only seeded, never set back.
        expect(byPath.get(paths.nextcloud.html)).toMatchObject({ owner: "33:33", access: "seed" });
        // Debian-based (Immich's) postgres is uid 999, Alpine's is 70; initdb wants 0700.
        expect(byPath.get(paths.immich.postgres)).toMatchObject({ owner: "999:999", mode: "0700", access: "own" });
        expect(byPath.get(paths.nextcloud.postgres)).toMatchObject({ owner: "70:70", mode: "0700", access: "own" });
        expect(byPath.get(paths.immich.valkey)).toMatchObject({ owner: "999:999", access: "own" });
        for (const { mode } of all) {
            expect(mode).toMatch(/^0[0-7]{3}$/);
        }
    });

    test("databases on the VM disk; Jellyfin's cache, Immich's uploads, Nextcloud's files and the media on the data disk", () => {
        const paths = appPaths(layout);
        expect(under(paths.immich.postgres, layout.configRoot)).toBe(true);
        expect(under(paths.nextcloud.postgres, layout.configRoot)).toBe(true);
        for (const path of [paths.jellyfin.cache, paths.immich.uploads, paths.nextcloud.data, paths.jellyfin.movies, paths.jellyfin.tv, paths.navidrome.music, paths.immich.photos]) {
            expect(under(path, layout.dataMountPoint)).toBe(true);
        }
        // Immich writes library/, thumbs/, backups/ into its upload folder: never the owner's photos.
        expect(paths.immich.uploads).not.toBe(paths.immich.photos);
    });

    test("the owner's media folders are only read: they are the VM's base layout, with its owner and mode", () => {
        const base = new Map(baseDirectories(vmLayout("homelab", layout.dataMountPoint)).map((directory) => [directory.path, directory]));
        const read = all.filter((folder) => folder.access === "read");
        expect(read.map((folder) => folder.path).sort()).toEqual(["movies", "music", "photos", "tv"].map((name) => `${layout.dataMountPoint}/${name}`));
        for (const folder of read) {
            expect(base.get(folder.path)).toEqual({ path: folder.path, owner: folder.owner, mode: folder.mode });
        }
    });

    test.each(APPS)("%s's own folders are no other app's", (app) => {
        const mine = appFolders(layout, app).filter((folder) => folder.access !== "read");
        expect(mine.length).toBeGreaterThan(0);
        const others = APPS.filter((other) => other !== app).flatMap((other) => appFolders(layout, other).map((folder) => folder.path));
        for (const folder of mine) {
            expect(others).not.toContain(folder.path);
        }
    });

    test("the list the script reads: one \"access path owner mode\" line per folder, in order", () => {
        expect(renderFolderList(appFolders(layout, "navidrome"))).toBe("own /home/homelab/docker/navidrome 1000:1000 0750\nread /home/homelab/media/music 1000:1000 0755\n");
    });

    test("a malformed folder is refused before any resource, naming the app and the folder", () => {
        expect(() => appFoldersEnvironment("navidrome", [{ path: "docker/x", owner: "1000:1000", mode: "0750", access: "own" }], layout.dataMountPoint))
            .toThrow(/^navidrome folder docker\/x: path "docker\/x" must be absolute/);
        expect(appFoldersEnvironment("navidrome", appFolders(layout, "navidrome"), layout.dataMountPoint)).toMatchObject({ APP: "navidrome", DATA_MOUNT_POINT: layout.dataMountPoint });
    });
});
