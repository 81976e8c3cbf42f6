// The digest half of "pin every image by tag AND digest" for the images whose version the owner
// picks (homelab:apps.<app>.version). The version stays the one thing the owner reads and types;
// the digest beside it is what Docker pulls, so a re-pushed tag cannot change what runs.
// config-rules-apps.ts refuses a version whose digest was left at another version's.
import { z } from "zod";

/** A manifest digest as registries print it: "sha256:" and 64 lower-case hex digits. */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** How the owner finds the digest of a tag: the multi-arch index digest, not one platform's. */
export function howToGetDigest(imageTag: string): string {
    return `the multi-arch index digest of ${imageTag}: \`docker buildx imagetools inspect ${imageTag}\` (the "Digest:" line), \`skopeo inspect docker://${imageTag}\` ("Digest") or the tag's page on the registry`;
}

/**
 * The digests of the default versions (APP_DEFAULTS in config-schema.ts), as "sha256:<hex>".
 * NOT checked against the registries (none is reachable from where this was written): each is the
 * value public repositories pinning the same tag agree on, named below; the first `docker pull`
 * checks it. Bump a version and its digest together.
 */
export const DEFAULT_IMAGE_DIGESTS = {
    /** jellyfin/jellyfin:10.11.11, as six independent public repositories pin it. */
    jellyfin: "sha256:aefb67e6a7ff1debdd154a78a7bbb780fd0c873d8639210a7f6a2016ad2b35db",
    /** deluan/navidrome:0.63.2, the OCI index digest several Renovate-pinned repositories agree on. */
    navidrome: "sha256:9012939114fbb1bb641b81cf96dec5ded15f0aafefe8d47a511d7cb919658e40",
    immich: {
        /** immich-server:v3.2.4, as four independent public repositories pin it. */
        server: "sha256:d317916b28090c33eb36b308464ea391f8b7df1d850fcfea227a39ec879718c2",
        /** immich-machine-learning:v3.2.4 (CPU build), likewise. */
        machineLearning: "sha256:e16c2f166a8174901959fdf85e2e4c7bd1ebc4b37e0b6655de97c41408a260c4",
    },
    /**
     * library/nextcloud:33.0.7-apache, from docker-library/repo-info (generated from Docker Hub):
     * the newest build of that tag seen there (5 Aug 2026). Official images are rebuilt under the
     * same tag, so an older or newer build has another digest; every one stays pullable by digest.
     */
    nextcloud: "sha256:b836b1b5a9e31013f0b1895bc602c577f658efd6ab63c8e42c5e7edb13435522",
    /** jc21/nginx-proxy-manager:2.15.1, as seven independent public repositories pin it. */
    nginxProxyManager: "sha256:52b2c59994f3d36acfcf70a1626f29734df0ed8c71bacc0269f78b6f939858bb",
} as const;

type Allowed = (what: string) => { error: (issue: z.core.$ZodRawIssue) => string };

/** The schema of one digest key, with config-schema.ts's error wording. */
export function imageDigestSchema(allowed: Allowed): z.ZodString {
    return z.string(allowed('an image digest "sha256:" and 64 lower-case hex digits, the multi-arch index digest of the version\'s tag')).regex(IMAGE_DIGEST);
}

/** `digest` for one app, defaulting to the default version's. */
export function appDigestField(allowed: Allowed, app: "jellyfin" | "navidrome" | "nextcloud" | "nginxProxyManager") {
    return {
        /** The digest of the version's image; defaults to the default version's, so set it with the version. */
        digest: imageDigestSchema(allowed).default(DEFAULT_IMAGE_DIGESTS[app]),
    };
}

/** The keys of Immich's `imageDigests` (one per image of its own, both at the version's tag), defaulting to the default version's. */
export function immichDigestsShape(allowed: Allowed) {
    return {
        /** Of ghcr.io/immich-app/immich-server:<version>. */
        server: imageDigestSchema(allowed).default(DEFAULT_IMAGE_DIGESTS.immich.server),
        /** Of ghcr.io/immich-app/immich-machine-learning:<version>. */
        machineLearning: imageDigestSchema(allowed).default(DEFAULT_IMAGE_DIGESTS.immich.machineLearning),
    };
}
