// The vendored schemas must be the ones the project was specified against (../shared/schemas).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";
import { SCHEMAS_DIR } from "../helpers/schemas";

const SHARED = join(PROJECT_ROOT, "..", "shared", "schemas");
const NPM_API = ["common.json", "components/proxy-host-object.json", "components/certificate-object.json", "components/access-list-object.json", "components/user-object.json",
    "paths/tokens/post.json", "paths/nginx/proxy-hosts/post.json", "paths/nginx/proxy-hosts/hostID/put.json", "paths/nginx/certificates/post.json",
    "paths/nginx/access-lists/post.json", "paths/nginx/access-lists/listID/put.json", "LICENSE"].map((file) => `npm-api-v2.15.1/${file}`);
const VENDORED = ["cloud-init-26.2/schema-cloud-config-v1.json", "pulumi-project/project.json", ...NPM_API];

describe("vendored schemas", () => {
    it.each(VENDORED)("%s is byte-identical to ../shared/schemas when that folder exists", (file) => {
        const vendored = readFileSync(join(SCHEMAS_DIR, file));
        expect(vendored.length).toBeGreaterThan(500);
        if (existsSync(SHARED)) {
            expect(vendored.equals(readFileSync(join(SHARED, file)))).toBe(true);
        }
    });
});
