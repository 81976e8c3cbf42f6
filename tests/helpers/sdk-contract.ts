// The request contract of an app's API, read from the app's own generated TypeScript SDK on npm
// (exact-pinned devDependencies): neither Immich nor Jellyfin publishes its OpenAPI document in a
// registry package, but their SDKs are generated from it. The paths and methods come from the SDK's
// JavaScript, the body, query and response types from its declarations through the TypeScript
// checker. validateValue() then checks a JSON value against such a type: required properties,
// no unknown ones, primitive types, literal unions (enums), arrays and nested objects.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../../tools/paths";

/** An installed package's folder (their exports maps hide package.json from require.resolve). */
function packageFolder(name: string): string {
    return join(PROJECT_ROOT, "node_modules", ...name.split("/"));
}

/** One operation of the API: how it is called and what it takes and returns. */
export interface Operation {
    /** The SDK's name for it, e.g. signUpAdmin. */
    readonly name: string;
    readonly method: string;
    /** The path with parameters as [^/]+, anchored. */
    readonly path: RegExp;
    /** Allowed query parameters and their types. */
    readonly query: ReadonlyMap<string, ts.Type>;
    /** The JSON body's type, when the operation takes one. */
    readonly body?: ts.Type;
    /** Whether the body is required. */
    readonly bodyRequired: boolean;
    /** The JSON response's type, when it has one. */
    readonly response?: ts.Type;
}

/** An API contract: its operations and the checker their types belong to. */
export interface Contract {
    readonly checker: ts.TypeChecker;
    readonly operations: readonly Operation[];
    /** Named model types loaded on request (for bodies the SDK types as `any`). */
    readonly models: ReadonlyMap<string, ts.Type>;
}

function pathPattern(literal: string): RegExp {
    const escaped = literal.replace(/\$\{[^}]*\}/g, "\u0000").replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\u0000/g, "[^/]+");
    return new RegExp(`^${escaped}$`);
}

function program(root: string): { program: ts.Program; checker: ts.TypeChecker; source: ts.SourceFile } {
    const created = ts.createProgram([root], { strict: true, noEmit: true, skipLibCheck: true, types: [] });
    const source = created.getSourceFile(root);
    if (source === undefined) {
        throw new Error(`cannot read ${root}`);
    }
    return { program: created, checker: created.getTypeChecker(), source };
}

function unwrapPromise(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
    const argument = checker.getTypeArguments(type as ts.TypeReference)[0] ?? (type.aliasTypeArguments?.[0]);
    if (argument === undefined || (argument.flags & ts.TypeFlags.Never) !== 0) {
        return undefined;
    }
    return argument;
}

/** Immich's contract for the named SDK functions (@immich/sdk, build/fetch-client). */
export function immichContract(names: readonly string[]): Contract {
    const packageRoot = packageFolder("@immich/sdk");
    const javascript = readFileSync(join(packageRoot, "build", "fetch-client.js"), "utf8");
    const { checker, source } = program(join(packageRoot, "build", "fetch-client.d.ts"));
    const baseUrl = /baseUrl: "([^"]*)"/.exec(javascript)?.[1] ?? "";
    const operations = names.map((name): Operation => {
        const start = javascript.indexOf(`export function ${name}(`);
        if (start < 0) {
            throw new Error(`@immich/sdk has no function ${name}`);
        }
        const block = javascript.slice(start, javascript.indexOf("\n}\n", start));
        const literal = /oazapfts\.fetch\w*\((?:"([^"]*)"|`([^`]*)`)/.exec(block);
        if (literal === null) {
            throw new Error(`no path in ${name}`);
        }
        const method = /method: "(\w+)"/.exec(block)?.[1] ?? "GET";
        const bodyVariable = /body: (\w+)/.exec(block)?.[1];
        const declaration = source.statements.find((statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && statement.name?.text === name)!;
        const signature = checker.getSignatureFromDeclaration(declaration)!;
        let body: ts.Type | undefined;
        const first = signature.parameters[0];
        if (bodyVariable !== undefined && first !== undefined && first.name !== "opts") {
            const argument = checker.getTypeOfSymbolAtLocation(first, declaration);
            const property = argument.getProperty(bodyVariable);
            body = property === undefined ? undefined : checker.getTypeOfSymbolAtLocation(property, declaration);
        }
        const query = new Map<string, ts.Type>();
        const queryBlock = /QS\.query\(QS\.explode\(\{([^}]*)\}/.exec(block)?.[1];
        if (queryBlock !== undefined && first !== undefined) {
            const argument = checker.getTypeOfSymbolAtLocation(first, declaration);
            for (const key of queryBlock.split(",").map((part) => part.trim()).filter((part) => part !== "")) {
                const property = argument.getProperty(key);
                if (property !== undefined) {
                    query.set(key, checker.getTypeOfSymbolAtLocation(property, declaration));
                }
            }
        }
        return {
            name,
            method,
            path: pathPattern(`${baseUrl}${literal[1] ?? literal[2] ?? ""}`),
            query,
            ...(body === undefined ? {} : { body }),
            bodyRequired: body !== undefined,
            ...withResponse(unwrapPromise(checker, signature.getReturnType())),
        };
    });
    return { checker, operations, models: new Map() };
}

function withResponse(response: ts.Type | undefined): { response?: ts.Type } {
    return response === undefined ? {} : { response };
}

/** Jellyfin's contract for the named operations, as "<api file stem>.<method>" (@jellyfin/sdk, lib/generated-client). */
export function jellyfinContract(names: readonly string[], models: readonly string[] = []): Contract {
    const packageRoot = packageFolder("@jellyfin/sdk");
    const files = [...new Set(names.map((name) => name.split(".")[0]!))];
    const modelFile = (model: string) => join(packageRoot, "lib", "generated-client", "models", `${model.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}.d.ts`);
    const roots = [...files.map((file) => join(packageRoot, "lib", "generated-client", "api", `${file}.d.ts`)), ...models.map(modelFile)];
    const created = ts.createProgram(roots, { strict: true, noEmit: true, skipLibCheck: true, types: [] });
    const checker = created.getTypeChecker();
    const operations = names.map((qualified): Operation => {
        const [file, name] = qualified.split(".") as [string, string];
        const javascript = readFileSync(join(packageRoot, "lib", "generated-client", "api", `${file}.js`), "utf8");
        const start = javascript.indexOf(`        ${name}: async (`);
        if (start < 0) {
            throw new Error(`@jellyfin/sdk ${file} has no ${name}`);
        }
        const block = javascript.slice(start, javascript.indexOf("\n        },\n", start));
        const path = /const localVarPath = `([^`]*)`/.exec(block)?.[1]?.replace(/\{(\w+)\}/g, "${$1}");
        const method = /method: '(\w+)'/.exec(block)?.[1];
        if (path === undefined || method === undefined) {
            throw new Error(`no path or method in ${qualified}`);
        }
        const queryNames = [...block.matchAll(/localVarQueryParameter\['(\w+)'\]/g)].map((match) => match[1]!);
        const bodyVariable = /serializeDataIfNeeded\((\w+),/.exec(block)?.[1];
        // The param creator's declaration: (name?: string, ..., body?: Dto, options?) => Promise<RequestArgs>;
        // the response type is the one of the Api class method with the same name.
        const source = created.getSourceFile(join(packageRoot, "lib", "generated-client", "api", `${file}.d.ts`))!;
        const creator = findProperty(source, `${name}`, (node) => ts.isPropertySignature(node) && ts.isFunctionTypeNode(node.type!));
        const parameters = creator === undefined ? [] : ((creator as ts.PropertySignature).type as ts.FunctionTypeNode).parameters;
        const query = new Map<string, ts.Type>();
        let body: ts.Type | undefined;
        let bodyRequired = false;
        for (const parameter of parameters) {
            const parameterName = (parameter.name as ts.Identifier).text;
            const type = checker.getTypeFromTypeNode(parameter.type!);
            if (queryNames.includes(parameterName)) {
                query.set(parameterName, type);
            } else if (parameterName === bodyVariable) {
                body = type;
                bodyRequired = parameter.questionToken === undefined;
            }
        }
        const apiMethod = findProperty(source, name, (node) => ts.isMethodDeclaration(node));
        const response = apiMethod === undefined ? undefined : responseOfAxios(checker, checker.getSignatureFromDeclaration(apiMethod as ts.MethodDeclaration)!.getReturnType());
        return { name: qualified, method, path: pathPattern(path), query, ...(body === undefined ? {} : { body }), bodyRequired, ...withResponse(response) };
    });
    const modelTypes = new Map<string, ts.Type>();
    for (const model of models) {
        const source = created.getSourceFile(modelFile(model));
        const declaration = source?.statements.find((statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === model);
        if (declaration === undefined) {
            throw new Error(`@jellyfin/sdk has no model ${model}`);
        }
        modelTypes.set(model, checker.getTypeAtLocation(declaration));
    }
    return { checker, operations, models: modelTypes };
}

function findProperty(source: ts.SourceFile, name: string, accept: (node: ts.Node) => boolean): ts.Node | undefined {
    let found: ts.Node | undefined;
    const visit = (node: ts.Node): void => {
        if (found === undefined && accept(node) && (node as ts.NamedDeclaration).name !== undefined && ((node as ts.NamedDeclaration).name as ts.Identifier).text === name) {
            found = node;
            return;
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

/** Promise<AxiosResponse<T>> → T (undefined for void). */
function responseOfAxios(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
    const axios = unwrapPromise(checker, type);
    const data = axios?.getProperty("data");
    if (axios === undefined || data === undefined) {
        return undefined;
    }
    const dataType = checker.getTypeOfSymbol(data);
    return (dataType.flags & (ts.TypeFlags.Void | ts.TypeFlags.Any)) !== 0 ? undefined : dataType;
}

/**
 * The problems of `value` against `type`, each naming where; empty when it conforms. `partial`
 * allows required properties to be absent (a test double's answers carry only what is read).
 */
export function validateValue(checker: ts.TypeChecker, value: unknown, type: ts.Type, where = "body", partial = false): string[] {
    const flags = type.flags;
    if ((flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) {
        return [];
    }
    if (type.isUnion()) {
        const results = type.types.map((member) => validateValue(checker, value, member, where, partial));
        return results.some((problems) => problems.length === 0) ? [] : [`${where}: ${JSON.stringify(value)} matches none of ${checker.typeToString(type)}`];
    }
    if ((flags & ts.TypeFlags.Null) !== 0) {
        return value === null ? [] : [`${where}: expected null`];
    }
    if ((flags & ts.TypeFlags.Undefined) !== 0) {
        return value === undefined ? [] : [`${where}: expected nothing`];
    }
    if (type.isStringLiteral()) {
        return value === type.value ? [] : [`${where}: expected "${type.value}"`];
    }
    if ((flags & ts.TypeFlags.BooleanLiteral) !== 0) {
        return value === (checker.typeToString(type) === "true") ? [] : [`${where}: expected ${checker.typeToString(type)}`];
    }
    if ((flags & ts.TypeFlags.String) !== 0) {
        return typeof value === "string" ? [] : [`${where}: ${JSON.stringify(value)} is not a string`];
    }
    if ((flags & ts.TypeFlags.Number) !== 0) {
        return typeof value === "number" ? [] : [`${where}: ${JSON.stringify(value)} is not a number`];
    }
    if ((flags & ts.TypeFlags.Boolean) !== 0) {
        return typeof value === "boolean" ? [] : [`${where}: ${JSON.stringify(value)} is not a boolean`];
    }
    if (checker.isArrayType(type)) {
        if (!Array.isArray(value)) {
            return [`${where}: ${JSON.stringify(value)} is not an array`];
        }
        const element = checker.getTypeArguments(type as ts.TypeReference)[0]!;
        return value.flatMap((item, index) => validateValue(checker, item, element, `${where}[${index}]`, partial));
    }
    if ((flags & ts.TypeFlags.Object) !== 0) {
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            return [`${where}: ${JSON.stringify(value)} is not an object`];
        }
        if (checker.getIndexInfosOfType(type).length > 0) {
            return [];
        }
        const record = value as Record<string, unknown>;
        const properties = checker.getPropertiesOfType(type);
        const known = new Set(properties.map((property) => property.name));
        const problems = Object.keys(record).filter((key) => !known.has(key)).map((key) => `${where}: unknown property ${key} (known: ${[...known].join(", ")})`);
        for (const property of properties) {
            const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
            if (!(property.name in record)) {
                if (!optional && !partial) {
                    problems.push(`${where}: missing required property ${property.name}`);
                }
                continue;
            }
            problems.push(...validateValue(checker, record[property.name], checker.getTypeOfSymbol(property), `${where}.${property.name}`, partial));
        }
        return problems;
    }
    return [`${where}: cannot check against ${checker.typeToString(type)}`];
}

/** A query value as the server would bind it to `type`: numbers and booleans from their text, arrays comma-separated. */
export function validateQueryValue(checker: ts.TypeChecker, text: string, type: ts.Type, where: string): string[] {
    const candidates = type.isUnion() ? type.types : [type];
    const parsed: unknown[] = [text];
    if (text === "true" || text === "false") {
        parsed.push(text === "true");
    }
    if (/^-?\d+(\.\d+)?$/.test(text)) {
        parsed.push(Number(text));
    }
    parsed.push(text.split(","));
    return candidates.some((candidate) => parsed.some((value) => validateValue(checker, value, candidate, where).length === 0))
        ? []
        : [`${where}: ${JSON.stringify(text)} is not a ${checker.typeToString(type)}`];
}
