// The vendored schemas are byte-for-byte the upstream files SOURCES.md names: schemas/SHA256SUMS
// records each one's digest (written when it was vendored, `sha256sum -c` reads it too), so an edit,
// a truncation or an unlisted file in a vendored folder fails here, in every clone.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SCHEMAS_DIR } from "../helpers/schemas";

/** The folders copied from upstream unchanged (the *-sdk-* folders are derived, and checked by openapi-documents.test.ts). */
const VENDORED_FOLDERS = ["cloud-init-26.2", "pulumi-project", "npm-api-v2.15.1"];

function filesUnder(folder: string): string[] {
    return readdirSync(folder, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(SCHEMAS_DIR, join(entry.parentPath, entry.name)))
        .sort();
}

function recordedDigests(): Map<string, string> {
    const lines = readFileSync(join(SCHEMAS_DIR, "SHA256SUMS"), "utf8").split("\n").filter((line) => line !== "");
    return new Map(lines.map((line) => {
        const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
        if (match === null) {
            throw new Error(`schemas/SHA256SUMS: not a sha256sum line: ${line}`);
        }
        return [match[2]!, match[1]!];
    }));
}

describe("vendored schemas", () => {
    it("every file of a vendored folder is listed in SHA256SUMS, and nothing else is", () => {
        const onDisk = VENDORED_FOLDERS.flatMap((folder) => filesUnder(join(SCHEMAS_DIR, folder))).sort();
        expect(onDisk.length).toBeGreaterThanOrEqual(15);
        expect([...recordedDigests().keys()].sort()).toEqual(onDisk);
    });

    it("each vendored file has the digest recorded when it was copied", () => {
        const changed = [...recordedDigests()].filter(([file, digest]) => createHash("sha256").update(readFileSync(join(SCHEMAS_DIR, file))).digest("hex") !== digest);
        expect(changed.map(([file]) => file)).toEqual([]);
    });
});
