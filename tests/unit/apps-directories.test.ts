import { appHostDirectories, appPaths } from "../../components/apps/directories";
import type { EnabledApps } from "../../components/apps/directories";

const layout = { configRoot: "/home/homelab/docker", dataMountPoint: "/home/homelab/media" };
const ALL: EnabledApps = { jellyfin: true, navidrome: true, immich: true, nextcloud: true, nginxProxyManager: true };
const APPS = Object.keys(ALL) as (keyof EnabledApps)[];
const only = (app: keyof EnabledApps): EnabledApps => ({ ...{ jellyfin: false, navidrome: false, immich: false, nextcloud: false, nginxProxyManager: false }, [app]: true });
const under = (path: string, root: string) => path.startsWith(`${root}/`);

describe("the directories the VM bootstrap creates for the apps", () => {
    const directories = appHostDirectories(layout, ALL);
    const byPath = new Map(directories.map((directory) => [directory.path, directory]));

    test("everything lives under the config root or strictly inside the data disk, never on the bare mount point", () => {
        for (const { path } of directories) {
            expect(under(path, layout.configRoot) || under(path, layout.dataMountPoint)).toBe(true);
            expect(path).not.toBe(layout.dataMountPoint);
        }
    });

    test("no path is listed twice, and parents come before their children", () => {
        expect(new Set(directories.map((directory) => directory.path)).size).toBe(directories.length);
        directories.forEach((directory, index) => {
            const parentIndex = directories.findIndex((candidate) => under(directory.path, candidate.path));
            expect(parentIndex === -1 || parentIndex < index).toBe(true);
        });
    });

    test("owners and modes match what each image runs as", () => {
        const paths = appPaths(layout);
        expect(byPath.get(paths.navidrome.data)).toMatchObject({ owner: "1000:1000" });
        // Nextcloud refuses a data directory that is not www-data's and 0770.
        expect(byPath.get(paths.nextcloud.data)).toEqual({ path: "/home/homelab/media/nextcloud", owner: "33:33", mode: "0770" });
        expect(byPath.get(paths.nextcloud.html)).toMatchObject({ owner: "33:33" });
        // Debian-based (Immich's) postgres is uid 999, Alpine's is 70; initdb wants 0700.
        expect(byPath.get(paths.immich.postgres)).toMatchObject({ owner: "999:999", mode: "0700" });
        expect(byPath.get(paths.nextcloud.postgres)).toMatchObject({ owner: "70:70", mode: "0700" });
        for (const { mode } of directories) {
            expect(mode).toMatch(/^0[0-7]{3}$/);
        }
    });

    test("databases are on the VM disk; uploads and media on the data disk", () => {
        const paths = appPaths(layout);
        expect(under(paths.immich.postgres, layout.configRoot)).toBe(true);
        expect(under(paths.nextcloud.postgres, layout.configRoot)).toBe(true);
        for (const path of [paths.immich.uploads, paths.nextcloud.data, paths.jellyfin.movies, paths.jellyfin.tv, paths.navidrome.music]) {
            expect(under(path, layout.dataMountPoint)).toBe(true);
        }
    });

    test.each(APPS)("%s's directories are its own: the full list is the union of each app's", (app) => {
        const mine = appHostDirectories(layout, only(app));
        expect(mine.length).toBeGreaterThan(0);
        const others = APPS.filter((other) => other !== app).flatMap((other) => appHostDirectories(layout, only(other)).map((directory) => directory.path));
        for (const directory of mine) {
            expect(others).not.toContain(directory.path);
        }
    });

    test("no app enabled, no directories", () => {
        expect(appHostDirectories(layout, { jellyfin: false, navidrome: false, immich: false, nextcloud: false, nginxProxyManager: false })).toEqual([]);
    });
});
