// The operations of an app's API as its generated TypeScript SDK on npm declares them (exact-pinned
// devDependencies): neither Immich nor Jellyfin publishes its OpenAPI document in a registry
// package, but both SDKs are generated from it. Paths and methods come from the SDK's JavaScript,
// parameter, body and response types from its declarations through the TypeScript checker.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../paths";

/** An installed package's folder (their exports maps hide package.json from require.resolve). */
export function packageFolder(name: string): string {
    return join(PROJECT_ROOT, "node_modules", ...name.split("/"));
}

/** The installed version of a package, read from its package.json. */
export function packageVersion(name: string): string {
    return (JSON.parse(readFileSync(join(packageFolder(name), "package.json"), "utf8")) as { version: string }).version;
}

/** One parameter of an operation, with the SDK's type for it. */
export interface SdkParameter {
    readonly name: string;
    readonly in: "path" | "query";
    readonly required: boolean;
    readonly type: ts.Type;
    /** The SDK's JSDoc for it, when it has one. */
    readonly description?: string;
}

/** One operation as the SDK calls it. */
export interface SdkOperation {
    /** The SDK's name for it: Immich's function (its operationId), Jellyfin's "<api file stem>.<method>". */
    readonly name: string;
    /** Lower case, as OpenAPI keys it. */
    readonly method: string;
    /** The SDK's one-line summary of it, when it has one. */
    readonly summary?: string;
    /** OpenAPI's path template, e.g. /api/libraries/{id}/scan. */
    readonly path: string;
    readonly parameters: readonly SdkParameter[];
    /** The JSON body's type and whether the SDK requires it. */
    readonly body?: { readonly type: ts.Type; readonly required: boolean };
    /** The JSON answer's type, when it has one. */
    readonly response?: ts.Type;
}

/** What an SDK declares: its operations, named models, and the checker their types belong to. */
export interface SdkOperations {
    readonly checker: ts.TypeChecker;
    readonly operations: readonly SdkOperation[];
    readonly models: ReadonlyMap<string, ts.Type>;
}

const COMPILER_OPTIONS: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };

/** Parsed declaration files, shared by every program (the standard library's are most of the time). */
const parsed = new Map<string, ts.SourceFile>();

function createProgram(roots: readonly string[]): ts.Program {
    const host = ts.createCompilerHost(COMPILER_OPTIONS);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError) => {
        let source = parsed.get(fileName);
        if (source === undefined) {
            source = read(fileName, languageVersion, onError);
            if (source !== undefined) {
                parsed.set(fileName, source);
            }
        }
        return source;
    };
    return ts.createProgram([...roots], COMPILER_OPTIONS, host);
}

function unwrapPromise(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
    const argument = checker.getTypeArguments(type as ts.TypeReference)[0] ?? type.aliasTypeArguments?.[0];
    return argument === undefined || (argument.flags & ts.TypeFlags.Never) !== 0 ? undefined : argument;
}

/**
 * A JSDoc comment as the upstream document's description: Jellyfin's generator escapes quotes
 * for the JavaScript it writes (`user\'s`), which the comment keeps.
 */
export function descriptionText(text: string): string | undefined {
    const unescaped = text.replace(/\\(['"])/g, "$1").trim();
    return unescaped === "" ? undefined : unescaped;
}

function documentation(checker: ts.TypeChecker, symbol: ts.Symbol): string | undefined {
    return descriptionText(ts.displayPartsToString(symbol.getDocumentationComment(checker)));
}

/** Immich's operations for the named SDK functions (@immich/sdk, build/fetch-client). */
export function immichOperations(names: readonly string[]): SdkOperations {
    const packageRoot = packageFolder("@immich/sdk");
    const javascript = readFileSync(join(packageRoot, "build", "fetch-client.js"), "utf8");
    const root = join(packageRoot, "build", "fetch-client.d.ts");
    const program = createProgram([root]);
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(root)!;
    const baseUrl = /baseUrl: "([^"]*)"/.exec(javascript)?.[1] ?? "";
    const operations = names.map((name): SdkOperation => {
        const start = javascript.indexOf(`export function ${name}(`);
        if (start < 0) {
            throw new Error(`@immich/sdk has no function ${name}`);
        }
        const block = javascript.slice(start, javascript.indexOf("\n}\n", start));
        const literal = /oazapfts\.fetch\w*\((?:"([^"]*)"|`([^`]*)`)/.exec(block);
        if (literal === null) {
            throw new Error(`no path in ${name}`);
        }
        const path = `${baseUrl}${literal[1] ?? literal[2] ?? ""}`.replace(/\$\{encodeURIComponent\((\w+)\)\}/g, "{$1}");
        const method = (/method: "(\w+)"/.exec(block)?.[1] ?? "GET").toLowerCase();
        const bodyVariable = /body: (\w+)/.exec(block)?.[1];
        const queryNames = (/QS\.query\(QS\.explode\(\{([^}]*)\}/.exec(block)?.[1] ?? "").split(",").map((part) => part.trim()).filter((part) => part !== "");
        const declaration = source.statements.find((statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && statement.name?.text === name)!;
        const signature = checker.getSignatureFromDeclaration(declaration)!;
        const first = signature.parameters[0];
        const argument = first === undefined || first.name === "opts" ? undefined : checker.getTypeOfSymbolAtLocation(first, declaration);
        const property = (key: string) => argument?.getProperty(key);
        const parameter = (key: string, where: "path" | "query"): SdkParameter => {
            const symbol = property(key);
            if (symbol === undefined) {
                throw new Error(`${name}: no parameter ${key} in its declaration`);
            }
            const description = documentation(checker, symbol);
            return { name: key, in: where, required: (symbol.flags & ts.SymbolFlags.Optional) === 0, type: checker.getTypeOfSymbolAtLocation(symbol, declaration), ...(description === undefined ? {} : { description }) };
        };
        const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
        const bodySymbol = bodyVariable === undefined ? undefined : property(bodyVariable);
        const response = unwrapPromise(checker, signature.getReturnType());
        const summary = documentation(checker, checker.getSymbolAtLocation(declaration.name!)!);
        return {
            name,
            method,
            ...(summary === undefined ? {} : { summary }),
            path,
            parameters: [...pathNames.map((key) => parameter(key, "path")), ...queryNames.map((key) => parameter(key, "query"))],
            ...(bodySymbol === undefined ? {} : { body: { type: checker.getTypeOfSymbolAtLocation(bodySymbol, declaration), required: (bodySymbol.flags & ts.SymbolFlags.Optional) === 0 } }),
            ...(response === undefined ? {} : { response }),
        };
    });
    return { checker, operations, models: new Map() };
}

function jellyfinModelFile(packageRoot: string, model: string): string {
    return join(packageRoot, "lib", "generated-client", "models", `${model.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}.d.ts`);
}

/** Jellyfin's operations, named "<api file stem>.<method>", and named models (@jellyfin/sdk, lib/generated-client). */
export function jellyfinOperations(names: readonly string[], models: readonly string[] = []): SdkOperations {
    const packageRoot = packageFolder("@jellyfin/sdk");
    const apiFile = (file: string, extension: string) => join(packageRoot, "lib", "generated-client", "api", `${file}.${extension}`);
    const files = [...new Set(names.map((name) => name.split(".")[0]!))];
    const program = createProgram([...files.map((file) => apiFile(file, "d.ts")), ...models.map((model) => jellyfinModelFile(packageRoot, model))]);
    const checker = program.getTypeChecker();
    const operations = names.map((qualified): SdkOperation => {
        const [file, name] = qualified.split(".") as [string, string];
        const javascript = readFileSync(apiFile(file, "js"), "utf8");
        const start = javascript.indexOf(`        ${name}: async (`);
        if (start < 0) {
            throw new Error(`@jellyfin/sdk ${file} has no ${name}`);
        }
        const block = javascript.slice(start, javascript.indexOf("\n        },\n", start));
        const path = /const localVarPath = `([^`]*)`/.exec(block)?.[1];
        const method = /method: '(\w+)'/.exec(block)?.[1];
        if (path === undefined || method === undefined) {
            throw new Error(`no path or method in ${qualified}`);
        }
        const queryNames = [...block.matchAll(/localVarQueryParameter\['(\w+)'\]/g)].map((match) => match[1]!);
        const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
        const bodyVariable = /serializeDataIfNeeded\((\w+),/.exec(block)?.[1];
        // The parameter creator's declaration: (name?: string, ..., body?: Dto, options?) => Promise<RequestArgs>;
        // the answer's type is the one of the Api class method with the same name.
        const source = program.getSourceFile(apiFile(file, "d.ts"))!;
        const creator = findNamed(source, name, (node) => ts.isPropertySignature(node) && node.type !== undefined && ts.isFunctionTypeNode(node.type)) as ts.PropertySignature | undefined;
        const creatorParameters = creator === undefined ? [] : (creator.type as ts.FunctionTypeNode).parameters;
        const tags = creator === undefined ? [] : ts.getJSDocTags(creator);
        const parameters: SdkParameter[] = [];
        let body: SdkOperation["body"];
        for (const node of creatorParameters) {
            const parameterName = (node.name as ts.Identifier).text;
            const type = checker.getTypeFromTypeNode(node.type!);
            const required = node.questionToken === undefined;
            const where = pathNames.includes(parameterName) ? "path" : queryNames.includes(parameterName) ? "query" : undefined;
            if (where !== undefined) {
                const tag = tags.find((candidate) => ts.isJSDocParameterTag(candidate) && ts.isIdentifier(candidate.name) && candidate.name.text === parameterName);
                const description = typeof tag?.comment === "string" ? descriptionText(tag.comment) : undefined;
                parameters.push({ name: parameterName, in: where, required, type, ...(description === undefined ? {} : { description }) });
            } else if (parameterName === bodyVariable) {
                body = { type, required };
            }
        }
        // OpenAPI lists path parameters first, in the template's order.
        parameters.sort((left, right) => (left.in === right.in ? 0 : left.in === "path" ? -1 : 1));
        const apiMethod = findNamed(source, name, (node) => ts.isMethodDeclaration(node)) as ts.MethodDeclaration | undefined;
        const response = apiMethod === undefined ? undefined : responseOfAxios(checker, checker.getSignatureFromDeclaration(apiMethod)!.getReturnType());
        const summaryTag = tags.find((tag) => tag.tagName.text === "summary");
        const summary = typeof summaryTag?.comment === "string" ? descriptionText(summaryTag.comment) : undefined;
        return { name: qualified, method: method.toLowerCase(), ...(summary === undefined ? {} : { summary }), path, parameters, ...(body === undefined ? {} : { body }), ...(response === undefined ? {} : { response }) };
    });
    const modelTypes = new Map<string, ts.Type>();
    for (const model of models) {
        const declaration = program.getSourceFile(jellyfinModelFile(packageRoot, model))?.statements.find((statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === model);
        if (declaration === undefined) {
            throw new Error(`@jellyfin/sdk has no model ${model}`);
        }
        modelTypes.set(model, checker.getTypeAtLocation(declaration));
    }
    return { checker, operations, models: modelTypes };
}

function findNamed(source: ts.SourceFile, name: string, accept: (node: ts.Node) => boolean): ts.Node | undefined {
    let found: ts.Node | undefined;
    const visit = (node: ts.Node): void => {
        const declared = (node as ts.NamedDeclaration).name;
        if (found === undefined && accept(node) && declared !== undefined && ts.isIdentifier(declared) && declared.text === name) {
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
