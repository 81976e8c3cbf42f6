// NPM v2.15.1's own request schemas (vendored under schemas/npm-api-v2.15.1), compiled with ajv:
// the fake API validates every body with them, as the real server's validator does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import type { ValidateFunction } from "ajv";
import { SCHEMAS_DIR } from "./schemas";

const ROOT = join(SCHEMAS_DIR, "npm-api-v2.15.1");
const BASE = "https://npm-api.schemas/";
const FILES = [
    "common.json",
    "components/proxy-host-object.json",
    "components/certificate-object.json",
    "components/access-list-object.json",
    "components/user-object.json",
    "paths/tokens/post.json",
    "paths/nginx/proxy-hosts/post.json",
    "paths/nginx/proxy-hosts/hostID/put.json",
    "paths/nginx/certificates/post.json",
    "paths/nginx/access-lists/post.json",
    "paths/nginx/access-lists/listID/put.json",
];

/** The request bodies the fake validates. */
export type RequestKind = "token" | "proxyHostCreate" | "proxyHostUpdate" | "certificateCreate" | "certificateUpload" | "accessListCreate" | "accessListUpdate";

const JSON_BODY = "#/requestBody/content/application~1json/schema";
const TARGETS: Record<RequestKind, string> = {
    token: `paths/tokens/post.json${JSON_BODY}`,
    proxyHostCreate: `paths/nginx/proxy-hosts/post.json${JSON_BODY}`,
    proxyHostUpdate: `paths/nginx/proxy-hosts/hostID/put.json${JSON_BODY}`,
    certificateCreate: `paths/nginx/certificates/post.json${JSON_BODY}`,
    certificateUpload: "common.json#/properties/certificate_files/content/multipart~1form-data/schema",
    accessListCreate: `paths/nginx/access-lists/post.json${JSON_BODY}`,
    accessListUpdate: `paths/nginx/access-lists/listID/put.json${JSON_BODY}`,
};

let compiled: Map<RequestKind, ValidateFunction> | undefined;

function validators(): Map<RequestKind, ValidateFunction> {
    if (compiled === undefined) {
        // The schemas carry OpenAPI's "example" keyword, which JSON Schema does not know.
        const ajv = new Ajv2020({ strict: false, allErrors: false });
        for (const file of FILES) {
            const schema = JSON.parse(readFileSync(join(ROOT, file), "utf8")) as Record<string, unknown>;
            // common.json names itself "common"; its file URL is what the others' relative $refs reach.
            ajv.addSchema({ ...schema, $id: `${BASE}${file}` });
        }
        compiled = new Map(Object.entries(TARGETS).map(([kind, target]) => [kind as RequestKind, ajv.compile({ $ref: `${BASE}${target}` })]));
    }
    return compiled;
}

/** The first problem as NPM words it ("data/forward_port must be >= 1"), or undefined when valid. */
export function requestProblem(kind: RequestKind, body: unknown): string | undefined {
    const validate = validators().get(kind)!;
    if (validate(body)) {
        return undefined;
    }
    const error = validate.errors?.[0];
    return `data${error?.instancePath ?? ""} ${error?.message ?? "is invalid"}`;
}
