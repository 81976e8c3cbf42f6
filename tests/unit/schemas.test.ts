// The vendored schemas must be the ones the project was specified against (../shared/schemas).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";
import { SCHEMAS_DIR } from "../helpers/schemas";

const SHARED = join(PROJECT_ROOT, "..", "shared", "schemas");
const VENDORED = ["cloud-init-26.2/schema-cloud-config-v1.json", "pulumi-project/project.json"];

describe("vendored schemas", () => {
    it.each(VENDORED)("%s is byte-identical to ../shared/schemas when that folder exists", (file) => {
        const vendored = readFileSync(join(SCHEMAS_DIR, file));
        expect(vendored.length).toBeGreaterThan(1000);
        if (existsSync(SHARED)) {
            expect(vendored.equals(readFileSync(join(SHARED, file)))).toBe(true);
        }
    });
});
