// The schemas generated files are validated against: the vendored copies in schemas/.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";

export const SCHEMAS_DIR = join(PROJECT_ROOT, "schemas");

export function readSchema(relativePath: string): object {
    return JSON.parse(readFileSync(join(SCHEMAS_DIR, relativePath), "utf8")) as object;
}
