import fc from "fast-check";
import { MEMORY_SHARES, minimumTotalMiB, postgresCommand, splitMemory } from "../../components/apps/memory";
import type { MemoryShare, MemoryShares } from "../../components/apps/memory";
import { APP_DEFAULTS } from "../../stacks/config-schema";

const APPS = Object.keys(MEMORY_SHARES) as (keyof MemoryShares)[];
const sharesOf = (app: keyof MemoryShares) => Object.values(MEMORY_SHARES[app] as Record<string, MemoryShare>);

describe("splitting an app's memory across its containers", () => {
    test.each(APPS)("%s: the shares add up to the whole", (app) => {
        expect(sharesOf(app).reduce((sum, share) => sum + share.perMille, 0)).toBe(1000);
    });

    test.each(APPS)("%s: the parts never add up to more than the total", (app) => {
        fc.assert(
            fc.property(fc.integer({ min: minimumTotalMiB(app), max: 65536 }), (total) => {
                const parts: number[] = Object.values<number>(splitMemory(app, total));
                return parts.reduce((sum, part) => sum + part, 0) <= total;
            }),
        );
    });

    test.each(APPS)("%s: at the default budget every container gets at least its floor", (app) => {
        const parts = splitMemory(app, APP_DEFAULTS[app].memoryMiB) as Record<string, number>;
        for (const [container, share] of Object.entries(MEMORY_SHARES[app] as Record<string, MemoryShare>)) {
            expect(parts[container]).toBeGreaterThanOrEqual(share.minimumMiB);
        }
    });

    test("Immich at its 3328 MiB default: ML gets the most, Valkey the least", () => {
        expect(splitMemory("immich", 3328)).toEqual({ server: 998, machineLearning: 1497, postgres: 665, valkey: 166 });
    });

    test("Nextcloud at its 1408 MiB default", () => {
        // 45% / 25% / 20% / 10%, rounded down.
        expect(splitMemory("nextcloud", 1408)).toEqual({ app: 633, cron: 352, postgres: 281, redis: 140 });
    });

    test.each(APPS)("%s: one MiB below the minimum total is refused, naming the starved container", (app) => {
        const minimum = minimumTotalMiB(app);
        expect(() => splitMemory(app, minimum)).not.toThrow();
        expect(() => splitMemory(app, minimum - 1)).toThrow(/below its minimum/);
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
