import fc from "fast-check";
import { MEMORY_SHARES, minimumTotalMiB, NEXTCLOUD_PHP_MEMORY_LIMIT_MIB, postgresCommand, splitMemory } from "../../components/apps/memory";
import type { MemoryShare, MemoryShares } from "../../components/apps/memory";
import { APP_DEFAULTS } from "../../stacks/config-schema";

const APPS = Object.keys(MEMORY_SHARES) as (keyof MemoryShares)[];
const sharesOf = (app: keyof MemoryShares) => Object.values(MEMORY_SHARES[app] as Record<string, MemoryShare>);

describe("splitting an app's memory across its containers", () => {
    test.each(APPS)("%s: the shares of what is above the floors add up to the whole", (app) => {
        expect(sharesOf(app).reduce((sum, share) => sum + share.perMille, 0)).toBe(1000);
    });

    test.each(APPS)("%s: every part is at least its floor, and the parts never add up to more than the total", (app) => {
        fc.assert(
            fc.property(fc.integer({ min: minimumTotalMiB(app), max: 65536 }), (total) => {
                const parts = splitMemory(app, total) as Record<string, number>;
                const floorsHeld = Object.entries(MEMORY_SHARES[app] as Record<string, MemoryShare>).every(([container, share]) => (parts[container] ?? 0) >= share.minimumMiB);
                return floorsHeld && Object.values(parts).reduce((sum, part) => sum + part, 0) <= total;
            }),
        );
    });

    test("Immich's machine learning never gets less than 2.5 GiB (OOM-killed at 2 GiB with CLIP, faces and OCR)", () => {
        expect(MEMORY_SHARES.immich.machineLearning.minimumMiB).toBeGreaterThanOrEqual(2560);
        expect(splitMemory("immich", minimumTotalMiB("immich")).machineLearning).toBe(2560);
    });

    test("Immich at its 4096 MiB default: the floors, plus the 192 MiB above them shared 50/30/20/0", () => {
        // Floors 768 + 2560 + 512 + 64 = 3904.
        expect(splitMemory("immich", APP_DEFAULTS.immich.memoryMiB)).toEqual({ server: 864, machineLearning: 2617, postgres: 550, valkey: 64 });
    });

    test("Nextcloud: the app holds two requests at PHP's memory_limit, cron one (cron.php runs with the same limit)", () => {
        const parts = splitMemory("nextcloud", APP_DEFAULTS.nextcloud.memoryMiB);
        expect(parts.app).toBeGreaterThanOrEqual(2 * NEXTCLOUD_PHP_MEMORY_LIMIT_MIB);
        expect(parts.cron).toBeGreaterThanOrEqual(NEXTCLOUD_PHP_MEMORY_LIMIT_MIB);
        expect(parts).toEqual({ app: 1280, cron: 640, postgres: 256, redis: 64 });
    });

    test.each(APPS)("%s: one MiB below the floors is refused, listing them", (app) => {
        const minimum = minimumTotalMiB(app);
        expect(() => splitMemory(app, minimum)).not.toThrow();
        expect(() => splitMemory(app, minimum - 1)).toThrow(new RegExp(`^${app} with ${minimum - 1} MiB is below its minimum of ${minimum} MiB \\(`));
    });
});

describe("Postgres's shared buffers follow its container's limit", () => {
    const sharedBuffersMiB = (command: readonly string[]) => {
        const setting = command.find((argument) => argument.startsWith("shared_buffers="));
        const match = /^shared_buffers=(\d+)MB$/.exec(setting ?? "");
        if (match === null) {
            throw new Error(`no shared_buffers=<n>MB in ${command.join(" ")}`);
        }
        return Number(match[1]);
    };

    test("a quarter of the limit, rounded down, whatever the limit", () => {
        fc.assert(
            fc.property(fc.integer({ min: 64, max: 65536 }), (limit) => {
                const buffers = sharedBuffersMiB(postgresCommand(limit));
                return buffers <= limit / 4 && buffers > limit / 4 - 1;
            }),
        );
    });

    test("the image's own arguments are kept, before the override (the last -c wins)", () => {
        const command = postgresCommand(665, ["-c", "config_file=/etc/postgresql/postgresql.conf"]);
        expect(command).toEqual(["postgres", "-c", "config_file=/etc/postgresql/postgresql.conf", "-c", "shared_buffers=166MB"]);
    });
});
