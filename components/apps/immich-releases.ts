// Immich releases → exactly what that release's docker-compose.yml pins, and the database image's
// own command and healthcheck. Pure data, read by the configuration rules (an unknown release is a
// config error) and by the Immich component. The pins move between releases (the Valkey digest of
// v3.2.x is not main's), so the table is keyed by exact release: when you add one, copy both images
// from that release's own docker-compose.yml (the release asset, or the file at its tag), never from main.

/** What one Immich release runs beside its server and machine learning. */
export interface ImmichRelease {
    /** The exact release tag, "v<major>.<minor>.<patch>". */
    readonly version: string;
    /** Immich's Postgres image with the vector extensions, as the release's compose pins it. */
    readonly postgresImage: string;
    /**
     * The Postgres image's CMD after `postgres` (its Dockerfile: CMD ["postgres", "-c",
     * "config_file=/etc/postgresql/postgresql.conf"]); the config file preloads vchord, so a
     * replaced command must keep it.
     */
    readonly postgresArguments: readonly string[];
    /**
     * The Postgres image's own healthcheck: pg_isready, then no checksum failures in
     * pg_stat_database (its Dockerfile: HEALTHCHECK CMD /usr/local/bin/healthcheck.sh).
     */
    readonly postgresHealthcheck: readonly string[];
    /** The Valkey (Redis) image, as the release's compose pins it. */
    readonly valkeyImage: string;
}

/** immich-app/base-images postgres/Dockerfile for the 14-vectorchord0.4.3-pgvectors0.2.0 image. */
const POSTGRES_14_VECTORCHORD_0_4_3 = {
    postgresImage: "ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0@sha256:bcf63357191b76a916ae5eb93464d65c07511da41e3bf7a8416db519b40b1c23",
    postgresArguments: ["-c", "config_file=/etc/postgresql/postgresql.conf"],
    postgresHealthcheck: ["CMD", "/usr/local/bin/healthcheck.sh"],
} as const;
/** Valkey 9.1.1, the digest the v3.2.x release composes pin (main's differs). */
const VALKEY_9_V3_2 = "docker.io/valkey/valkey:9@sha256:70739f85ad2ee01a726a965584a0f94895f01b0c60b3cc8b0aeef11eaa6888cf";

/** The known releases. Older lines are absent on purpose: a guessed digest would fail the pull. */
export const IMMICH_RELEASES: readonly ImmichRelease[] = [
    { version: "v3.2.2", ...POSTGRES_14_VECTORCHORD_0_4_3, valkeyImage: VALKEY_9_V3_2 },
    { version: "v3.2.4", ...POSTGRES_14_VECTORCHORD_0_4_3, valkeyImage: VALKEY_9_V3_2 },
];

/** Immich tags its images "v<major>.<minor>.<patch>"; anything else names no image. */
const IMMICH_VERSION = /^v\d+\.\d+\.\d+$/;

/** Whether a version is spelled as an Immich release tag. */
export function isImmichTag(version: string): boolean {
    return IMMICH_VERSION.test(version);
}

/** The pins of an Immich release, or undefined when the table does not know it. */
export function immichRelease(version: string): ImmichRelease | undefined {
    return IMMICH_RELEASES.find((release) => release.version === version);
}

/** "v3.2.2, v3.2.4": the releases the table knows, for error messages. */
export function knownImmichVersions(): string {
    return IMMICH_RELEASES.map((release) => release.version).join(", ");
}

/** A release an install must have run before it may go to `reaching` or later. */
export interface ImmichRequiredStop {
    /** The first release that needs the stop. */
    readonly reaching: string;
    /** The oldest release the install must already be on. */
    readonly from: string;
    /** Why, for the refusal message. */
    readonly reason: string;
}

/**
 * Immich's required intermediate releases (its upgrading notes): v1.137 removed the old TypeORM
 * migrations, so an install lands on v1.132–v1.136 first; v3 removed pgvecto.rs, so an install must
 * have run the VectorChord migration (v1.133 or later) before it.
 */
export const IMMICH_REQUIRED_STOPS: readonly ImmichRequiredStop[] = [
    { reaching: "v1.137.0", from: "v1.132.0", reason: "v1.137 no longer has the migrations from before v1.132" },
    { reaching: "v3.0.0", from: "v1.133.0", reason: "v3 dropped pgvecto.rs: the VectorChord migration of v1.133+ must have run" },
];
