// The OpenAPI 3.0 documents of exactly the operations the first-admin scripts call
// (components/apps/scripts/{immich,jellyfin}-first-admin.sh), derived from the apps' npm SDKs and
// vendored under schemas/<sdk>-<version>/openapi.json: the stubs of tests/helpers/api-stub.ts
// validate every request against them. A bumped SDK writes a new folder, so the unit test that
// compares the committed documents with a fresh derivation fails until `npm run schemas:openapi`.
import { join } from "node:path";
import { PROJECT_ROOT } from "../paths";
import type { Schema } from "./json-schema";
import { SchemaWriter } from "./json-schema";
import type { SdkOperation, SdkOperations } from "./sdk-operations";
import { immichOperations, jellyfinOperations, packageVersion } from "./sdk-operations";

/** One operation a script calls: the SDK's name for it, and where the SDK's types say too little. */
export interface ScriptOperation {
    readonly sdk: string;
    /** Path parameters the script always fills with one value: the path is written with it. */
    readonly fixedPath?: Readonly<Record<string, string>>;
    /** A named model for a body the SDK types as `any`. */
    readonly body?: string;
    /** A named model for an answer the SDK types as a file. */
    readonly response?: string;
    /** Why the derived operation differs from the SDK's, written into the document. */
    readonly note?: string;
}

/** An app's derived document: where it is vendored and what it is derived from. */
export interface AppApi {
    readonly app: "immich" | "jellyfin";
    /** The npm package the document is derived from. */
    readonly sdk: string;
    /** The server release the SDK is used against (components/apps/*.ts pin it). */
    readonly server: string;
    readonly operations: readonly ScriptOperation[];
}

const NETWORK_NOTE = "Jellyfin serves /System/Configuration/{key} for every named configuration and its SDK types the body as any and the answer as a file; "
    + "the script only uses the key network, whose type is NetworkConfiguration (Jellyfin's NetworkConfigurationStore), so the path is written with it.";

export const IMMICH_API: AppApi = {
    app: "immich",
    sdk: "@immich/sdk",
    server: "v3.2.4",
    operations: ["pingServer", "getServerConfig", "signUpAdmin", "login", "getMyUser", "getAllLibraries", "createLibrary", "scanLibrary"].map((sdk) => ({ sdk })),
};

export const JELLYFIN_API: AppApi = {
    app: "jellyfin",
    sdk: "@jellyfin/sdk",
    server: "10.11.11",
    operations: [
        { sdk: "system-api.getPublicSystemInfo" },
        { sdk: "startup-api.updateInitialConfiguration" },
        { sdk: "startup-api.getFirstUser" },
        { sdk: "startup-api.updateStartupUser" },
        { sdk: "library-structure-api.getVirtualFolders" },
        { sdk: "library-structure-api.addVirtualFolder" },
        { sdk: "user-api.authenticateUserByName" },
        { sdk: "configuration-api.getNamedConfiguration", fixedPath: { key: "network" }, response: "NetworkConfiguration", note: NETWORK_NOTE },
        { sdk: "configuration-api.updateNamedConfiguration", fixedPath: { key: "network" }, body: "NetworkConfiguration", note: NETWORK_NOTE },
        { sdk: "startup-api.setRemoteAccess" },
        { sdk: "startup-api.completeWizard" },
    ],
};

export const APP_APIS: readonly AppApi[] = [IMMICH_API, JELLYFIN_API];

/** The vendored document's path, relative to the project: named after the installed SDK's version. */
export function documentPath(api: AppApi): string {
    return join("schemas", `${api.sdk.replace(/^@/, "").replace("/", "-")}-${packageVersion(api.sdk)}`, "openapi.json");
}

export function absoluteDocumentPath(api: AppApi): string {
    return join(PROJECT_ROOT, documentPath(api));
}

/** The operationId the app's own document gives it: Immich's are the SDK's function names, Jellyfin's its C# action names. */
function operationId(api: AppApi, operation: SdkOperation): string {
    if (api.app === "immich") {
        return operation.name;
    }
    const method = operation.name.split(".")[1]!;
    return `${method[0]!.toUpperCase()}${method.slice(1)}`;
}

function readSdk(api: AppApi): SdkOperations {
    const names = api.operations.map((operation) => operation.sdk);
    const models = api.operations.flatMap((operation) => [operation.body, operation.response]).filter((model): model is string => model !== undefined);
    return api.app === "immich" ? immichOperations(names) : jellyfinOperations(names, [...new Set(models)]);
}

const JSON_MEDIA = "application/json";

/** The document of `api`'s script operations, derived from the installed SDK. */
export function deriveDocument(api: AppApi): Schema {
    const sdk = readSdk(api);
    const writer = new SchemaWriter(sdk.checker);
    const model = (name: string): Schema => writer.schemaOf(sdk.models.get(name)!);
    const paths: Record<string, Record<string, Schema>> = {};
    api.operations.forEach((script, index) => {
        const operation = sdk.operations[index]!;
        const fixed = script.fixedPath ?? {};
        const path = operation.path.replace(/\{(\w+)\}/g, (whole, name: string) => fixed[name] ?? whole);
        const parameters = operation.parameters.filter((parameter) => !(parameter.in === "path" && parameter.name in fixed)).map((parameter) => ({
            name: parameter.name,
            in: parameter.in,
            // OpenAPI: a path parameter is always required.
            required: parameter.in === "path" || parameter.required,
            ...(parameter.description === undefined ? {} : { description: parameter.description }),
            schema: writer.schemaOf(parameter.type),
        }));
        const bodySchema = script.body === undefined ? (operation.body === undefined ? undefined : writer.schemaOf(operation.body.type)) : model(script.body);
        const responseSchema = script.response === undefined ? (operation.response === undefined ? undefined : writer.schemaOf(operation.response)) : model(script.response);
        (paths[path] ??= {})[operation.method] = {
            operationId: operationId(api, operation),
            ...(operation.summary === undefined ? {} : { summary: operation.summary }),
            ...(script.note === undefined ? {} : { description: script.note }),
            "x-sdk-operation": operation.name,
            parameters,
            ...(bodySchema === undefined ? {} : { requestBody: { required: script.body !== undefined || (operation.body?.required ?? false), content: { [JSON_MEDIA]: { schema: bodySchema } } } }),
            // The SDKs do not say which 2xx code each operation answers with, only what it carries.
            responses: { "2XX": { description: responseSchema === undefined ? "Success, no content read" : "Success", ...(responseSchema === undefined ? {} : { content: { [JSON_MEDIA]: { schema: responseSchema } } }) } },
        };
    });
    const version = packageVersion(api.sdk);
    const components = Object.fromEntries([...writer.components.entries()].sort(([left], [right]) => left.localeCompare(right)));
    return {
        openapi: "3.0.3",
        info: {
            title: `${api.app === "immich" ? "Immich" : "Jellyfin"} API: the operations homelab's first-admin script calls`,
            version: `${api.sdk} ${version}`,
            description: `Derived by tools/openapi-from-sdk.ts (npm run schemas:openapi) from the npm package ${api.sdk} ${version}, which is generated from the app's published OpenAPI document; `
                + `used against the ${api.app === "immich" ? "Immich" : "Jellyfin"} server ${api.server}. Not the upstream document: see schemas/SOURCES.md.`,
        },
        paths,
        components: { schemas: components },
    };
}

/** The text the document is vendored as. */
export function documentText(document: Schema): string {
    return `${JSON.stringify(document, null, 2)}\n`;
}
