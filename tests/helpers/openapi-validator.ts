// Validates HTTP requests and answers against an OpenAPI 3.0 document with ajv, as a server's
// request validation would: the operation by method and path (a concrete path before a templated
// one, as OpenAPI orders them), path and query parameters (coerced from their text, unknown ones
// refused), the JSON body, and the answer's body for its status. The stubs of api-stub.ts use it
// with the documents vendored under schemas/ (tools/openapi/documents.ts).
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { AppApi } from "../../tools/openapi/documents";
import { absoluteDocumentPath } from "../../tools/openapi/documents";

type Json = { [key: string]: unknown };

interface Parameter { readonly name: string; readonly in: string; readonly required?: boolean }
interface OperationObject {
    readonly operationId: string;
    readonly parameters?: readonly Parameter[];
    readonly requestBody?: { readonly required?: boolean; readonly content: Record<string, unknown> };
    readonly responses: Record<string, { readonly content?: Record<string, unknown> }>;
}

/** An operation of the document and where it sits in it. */
export interface DocumentOperation {
    readonly id: string;
    readonly method: string;
    readonly path: string;
    /** JSON pointer of the operation object, for $refs into it. */
    readonly pointer: string;
    readonly object: OperationObject;
    readonly pattern: RegExp;
}

const JSON_MEDIA = "application/json";
const pointerPart = (text: string) => text.replace(/~/g, "~0").replace(/\//g, "~1");

/** OpenAPI 3.0's `nullable` written as JSON Schema (ajv does not take it without `type` beside it). */
function toJsonSchema(node: unknown, dropRequired: boolean): unknown {
    if (Array.isArray(node)) {
        return node.map((item) => toJsonSchema(item, dropRequired));
    }
    if (node === null || typeof node !== "object") {
        return node;
    }
    const { nullable, ...rest } = node as Json;
    const converted = Object.fromEntries(Object.entries(rest).filter(([key, value]) => !(dropRequired && key === "required" && Array.isArray(value))).map(([key, value]) => [key, toJsonSchema(value, dropRequired)]));
    if (nullable !== true) {
        return converted;
    }
    return typeof converted["type"] === "string" ? { ...converted, type: [converted["type"], "null"] } : { anyOf: [converted, { type: "null" }] };
}

function describe(where: string, errors: readonly ErrorObject[] | null | undefined): string[] {
    return (errors ?? []).map((error) => {
        const at = `${where}${error.instancePath.replace(/\//g, ".")}`;
        const params = error.params as { additionalProperty?: string; allowedValues?: unknown[] };
        const detail = error.keyword === "additionalProperties" ? ` (${String(params.additionalProperty)})` : error.keyword === "enum" ? ` (${(params.allowedValues ?? []).map(String).join(", ")})` : "";
        return `${at}: ${error.message ?? "is invalid"}${detail}`;
    });
}

export class OpenApiValidator {
    readonly operations: readonly DocumentOperation[];
    private readonly strict: Ajv;
    private readonly partial: Ajv;
    private readonly coercing: Ajv;
    private readonly compiled = new Map<string, ValidateFunction>();

    constructor(document: object) {
        const ajv = (options: ConstructorParameters<typeof Ajv>[0]) => new Ajv({ strict: false, allErrors: true, validateFormats: false, ...options });
        this.strict = ajv({}).addSchema(toJsonSchema(document, false) as object, "document");
        // The stubs' answers carry only the fields the scripts read: every one of its declared type, none unknown.
        this.partial = ajv({}).addSchema(toJsonSchema(document, true) as object, "document");
        // Query and path values arrive as text (and a repeated key as several): coerced to the schema's type.
        this.coercing = ajv({ coerceTypes: "array" }).addSchema(toJsonSchema(document, false) as object, "document");
        const paths = (document as { paths: Record<string, Record<string, OperationObject>> }).paths;
        const operations = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, object]) => ({
            id: object.operationId,
            method,
            path,
            pointer: `#/paths/${pointerPart(path)}/${method}`,
            object,
            pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
        })));
        this.operations = [...operations].sort((left, right) => Number(left.path.includes("{")) - Number(right.path.includes("{")));
    }

    /** The operation `method` `path` is, or undefined. */
    find(method: string, path: string): DocumentOperation | undefined {
        return this.operations.find((operation) => operation.method === method.toLowerCase() && operation.pattern.test(path));
    }

    operation(id: string): DocumentOperation {
        const found = this.operations.find((operation) => operation.id === id);
        if (found === undefined) {
            throw new Error(`the document has no operation ${id}`);
        }
        return found;
    }

    private validator(ajv: Ajv, key: string, schema: object): ValidateFunction {
        const cacheKey = `${ajv === this.strict ? "strict" : ajv === this.partial ? "partial" : "coercing"} ${key}`;
        let validate = this.compiled.get(cacheKey);
        if (validate === undefined) {
            validate = ajv.compile(schema);
            this.compiled.set(cacheKey, validate);
        }
        return validate;
    }

    /** Problems of a request to `operation` (its path, query and body); empty when it conforms. */
    requestProblems(operation: DocumentOperation, request: { path: string; query: URLSearchParams; body: unknown }): string[] {
        const parameters = operation.object.parameters ?? [];
        const problems: string[] = [];
        const reference = (index: number) => ({ $ref: `document${operation.pointer}/parameters/${index}/schema` });
        const groups = (location: string) => parameters.map((parameter, index) => ({ parameter, index })).filter(({ parameter }) => parameter.in === location);
        const pathValues = operation.pattern.exec(request.path)?.groups ?? {};
        const pathData: Json = Object.fromEntries(Object.entries(pathValues).map(([name, value]) => [name, decodeURIComponent(value)]));
        const queryData: Json = {};
        for (const [key, value] of request.query) {
            if (!parameters.some((parameter) => parameter.in === "query" && parameter.name === key)) {
                problems.push(`query: unknown parameter ${key} (known: ${groups("query").map(({ parameter }) => parameter.name).join(", ") || "none"})`);
                continue;
            }
            queryData[key] = [...((queryData[key] as string[] | undefined) ?? []), value];
        }
        for (const [location, data] of [["path", pathData], ["query", queryData]] as const) {
            const declared = groups(location);
            const schema = {
                type: "object",
                properties: Object.fromEntries(declared.map(({ parameter, index }) => [parameter.name, reference(index)])),
                required: declared.filter(({ parameter }) => parameter.required === true).map(({ parameter }) => parameter.name),
            };
            const validate = this.validator(this.coercing, `${operation.pointer} ${location}`, schema);
            if (!validate(data)) {
                problems.push(...describe(location, validate.errors));
            }
        }
        const requestBody = operation.object.requestBody;
        if (request.body === undefined) {
            if (requestBody?.required === true) {
                problems.push("body: missing");
            }
        } else if (requestBody?.content[JSON_MEDIA] === undefined) {
            problems.push("body: this operation takes none");
        } else {
            const validate = this.validator(this.strict, `${operation.pointer} body`, { $ref: `document${operation.pointer}/requestBody/content/${pointerPart(JSON_MEDIA)}/schema` });
            if (!validate(request.body)) {
                problems.push(...describe("body", validate.errors));
            }
        }
        return problems;
    }

    /**
     * Problems of an answer of `operation` with `status` (its body against the declared response,
     * `partial`: the declared fields absent allowed); empty when it conforms.
     */
    responseProblems(operation: DocumentOperation, status: number, body: unknown, partial: boolean): string[] {
        const responses = operation.object.responses;
        const key = [String(status), `${String(status)[0] ?? ""}XX`, "default"].find((candidate) => candidate in responses);
        if (key === undefined) {
            // The derived documents declare successes only: the SDKs say nothing of the errors.
            return status >= 200 && status < 300 ? [`response: ${operation.id} declares no ${status} answer (declared: ${Object.keys(responses).join(", ")})`] : [];
        }
        const declared = responses[key]?.content?.[JSON_MEDIA] !== undefined;
        if (body === undefined || !declared) {
            return body !== undefined && status < 300 ? [`response: ${operation.id} answers ${key} with no content`] : [];
        }
        const validate = this.validator(partial ? this.partial : this.strict, `${operation.pointer} ${key}`, { $ref: `document${operation.pointer}/responses/${key}/content/${pointerPart(JSON_MEDIA)}/schema` });
        return validate(body) ? [] : describe("response", validate.errors);
    }
}

/** The vendored document of `api` (schemas/<sdk>-<version>/openapi.json). */
export function vendoredDocument(api: AppApi): object {
    return JSON.parse(readFileSync(absoluteDocumentPath(api), "utf8")) as object;
}
