// Immich releases → the exact database and cache images each release's docker-compose.yml names.
// Pure data, read by the configuration rules (an unknown version is a config error) and by the
// Immich component. Digests are copied from /work/shared/reference/apps.md §0 and §3.1; when you
// add a release line, copy both digests from that release's docker-compose.yml, never from main.

/** The supporting images one Immich release line was published with. */
export interface ImmichRelease {
    /** The release line, "v<major>.<minor>": every patch release of it uses these images. */
    readonly line: string;
    /** Immich's Postgres image with the vector extension, pinned by digest. */
    readonly postgresImage: string;
    /** The Valkey (Redis) image, pinned by digest. */
    readonly valkeyImage: string;
}

const POSTGRES_14_VECTORCHORD_0_4_3 =
    "ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0@sha256:bcf63357191b76a916ae5eb93464d65c07511da41e3bf7a8416db519b40b1c23";
const VALKEY_9 = "docker.io/valkey/valkey:9@sha256:546304417feac0874c3dd576e0952c6bb8f06bb4093ea0c9ca303c73cf458f63";

/**
 * The known release lines. v3.0.x–v3.2.x share one compose (apps.md §3.1: main @4cff61e matches
 * the v3.0–v3.2 release composes). The v2 line is absent on purpose: apps.md gives its Valkey
 * digest only truncated, and a guessed digest would fail the pull.
 */
export const IMMICH_RELEASES: readonly ImmichRelease[] = [
    { line: "v3.0", postgresImage: POSTGRES_14_VECTORCHORD_0_4_3, valkeyImage: VALKEY_9 },
    { line: "v3.1", postgresImage: POSTGRES_14_VECTORCHORD_0_4_3, valkeyImage: VALKEY_9 },
    { line: "v3.2", postgresImage: POSTGRES_14_VECTORCHORD_0_4_3, valkeyImage: VALKEY_9 },
];

/** Immich tags its images "v<major>.<minor>.<patch>"; anything else names no image. */
const IMMICH_VERSION = /^v(\d+)\.(\d+)\.(\d+)$/;

/** The release line of a version ("v3.2.4" → "v3.2"), or undefined when it is not an Immich tag. */
export function immichReleaseLine(version: string): string | undefined {
    const match = IMMICH_VERSION.exec(version);
    return match === null ? undefined : `v${Number(match[1])}.${Number(match[2])}`;
}

/** The images for an Immich version, or undefined when the table does not know its release line. */
export function immichRelease(version: string): ImmichRelease | undefined {
    const line = immichReleaseLine(version);
    return IMMICH_RELEASES.find((release) => release.line === line);
}

/** "v3.0.x, v3.1.x, v3.2.x": the versions the table knows, for error messages. */
export function knownImmichVersions(): string {
    return IMMICH_RELEASES.map((release) => `${release.line}.x`).join(", ");
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
