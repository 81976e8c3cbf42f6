// A local HTTP stand-in for an app's API that checks every request against the app's SDK contract
// (tests/helpers/sdk-contract.ts) and answers with what a handler returns, itself checked against
// the operation's response type (the fields it carries), so the double cannot drift from what the
// API declares.
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Contract, Operation } from "./sdk-contract";
import { validateQueryValue, validateValue } from "./sdk-contract";

/** One request the stub saw. */
export interface SeenRequest {
    /** The SDK operation it matched, or "unknown". */
    readonly operation: string;
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    readonly body: unknown;
    /** Where it broke the contract; empty when it conforms. */
    readonly problems: readonly string[];
}

/** What a handler answers: a status and, for 2xx with a declared response type, a JSON value. */
export interface StubAnswer {
    readonly status: number;
    readonly body?: unknown;
}

export type Handler = (request: { body: unknown; query: URLSearchParams; path: string; headers: IncomingMessage["headers"] }) => StubAnswer;

/** A running stub: its base URL, what it saw, and how to stop it. */
export interface ApiStub {
    readonly baseUrl: string;
    readonly seen: SeenRequest[];
    close(): Promise<void>;
}

function find(contract: Contract, method: string, path: string): Operation | undefined {
    return contract.operations.find((operation) => operation.method === method && operation.path.test(path));
}

/** Problems of a request against its operation: query keys and values, the body's presence and shape. */
export function requestProblems(contract: Contract, operation: Operation, query: URLSearchParams, body: unknown, bodyType?: string): string[] {
    const problems: string[] = [];
    for (const [key, value] of query) {
        const type = operation.query.get(key);
        problems.push(...(type === undefined ? [`query: unknown parameter ${key} (known: ${[...operation.query.keys()].join(", ") || "none"})`] : validateQueryValue(contract.checker, value, type, `query.${key}`)));
    }
    const declared = bodyType === undefined ? operation.body : contract.models.get(bodyType);
    if (body === undefined) {
        if (operation.bodyRequired) {
            problems.push("body: missing");
        }
    } else if (declared === undefined) {
        problems.push("body: this operation takes none");
    } else {
        problems.push(...validateValue(contract.checker, body, declared));
    }
    return problems;
}

/** Models to check against where the SDK's type says nothing (a body typed any, an answer typed File), by operation name. */
export interface TypeOverrides {
    readonly bodies?: Readonly<Record<string, string>>;
    readonly responses?: Readonly<Record<string, string>>;
}

/**
 * Starts the stub on 127.0.0.1. `handlers` answer by operation name. A request that breaks the
 * contract gets 400 and is recorded with its problems; an answer that breaks it gets 500, recorded too.
 */
export async function startApiStub(contract: Contract, handlers: Readonly<Record<string, Handler>>, overrides: TypeOverrides = {}): Promise<ApiStub> {
    const seen: SeenRequest[] = [];
    const server: Server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const url = new URL(request.url ?? "/", "http://stub");
            const text = Buffer.concat(chunks).toString("utf8");
            let body: unknown;
            const problems: string[] = [];
            if (text !== "") {
                try {
                    body = JSON.parse(text);
                } catch {
                    problems.push("body: not JSON");
                }
                if (!String(request.headers["content-type"] ?? "").startsWith("application/json")) {
                    problems.push("body: sent without Content-Type: application/json");
                }
            }
            const operation = find(contract, request.method ?? "GET", url.pathname);
            if (operation === undefined) {
                problems.push(`no operation ${request.method ?? ""} ${url.pathname}`);
            } else {
                problems.push(...requestProblems(contract, operation, url.searchParams, body, overrides.bodies?.[operation.name]));
            }
            seen.push({ operation: operation?.name ?? "unknown", method: request.method ?? "", url: request.url ?? "", headers: request.headers, body, problems });
            const handler = operation === undefined ? undefined : handlers[operation.name];
            if (problems.length > 0 || handler === undefined) {
                response.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ problems }));
                return;
            }
            const answer = handler({ body, query: url.searchParams, path: url.pathname, headers: request.headers });
            const responseName = operation === undefined ? undefined : overrides.responses?.[operation.name];
            const responseType = responseName === undefined ? operation?.response : contract.models.get(responseName);
            if (answer.status >= 200 && answer.status < 300 && responseType !== undefined) {
                // Partial: the double carries only the fields the scripts read, each of its declared type.
                const own = validateValue(contract.checker, answer.body, responseType, "response", true);
                if (own.length > 0) {
                    problems.push(...own.map((problem) => `the stub's own answer breaks the contract: ${problem}`));
                    response.writeHead(500).end();
                    return;
                }
            }
            if (answer.body === undefined) {
                response.writeHead(answer.status).end();
            } else {
                response.writeHead(answer.status, { "Content-Type": "application/json" }).end(JSON.stringify(answer.body));
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        baseUrl: `http://127.0.0.1:${port}`,
        seen,
        close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
    };
}
