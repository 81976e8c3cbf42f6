// A local HTTP stand-in for an app's API that checks every request against the app's OpenAPI
// document (vendored under schemas/, tests/helpers/openapi-validator.ts) and answers with what a
// handler returns, itself checked against the operation's declared answer (the fields it carries),
// so the double cannot drift from what the API declares.
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpenApiValidator } from "./openapi-validator";

/** One request the stub saw. */
export interface SeenRequest {
    /** The operationId it matched, or "unknown". */
    readonly operation: string;
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    readonly body: unknown;
    /** Where it broke the document; empty when it conforms. */
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

/**
 * Starts the stub on 127.0.0.1. `handlers` answer by operationId. A request that breaks the
 * document, or that no operation of it matches, gets 400 and is recorded with its problems; an
 * answer that breaks it gets 500, recorded too.
 */
export async function startApiStub(validator: OpenApiValidator, handlers: Readonly<Record<string, Handler>>): Promise<ApiStub> {
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
            const operation = validator.find(request.method ?? "GET", url.pathname);
            if (operation === undefined) {
                problems.push(`no operation ${request.method ?? ""} ${url.pathname}`);
            } else {
                problems.push(...validator.requestProblems(operation, { path: url.pathname, query: url.searchParams, body }));
            }
            seen.push({ operation: operation?.id ?? "unknown", method: request.method ?? "", url: request.url ?? "", headers: request.headers, body, problems });
            const handler = operation === undefined ? undefined : handlers[operation.id];
            if (operation === undefined || problems.length > 0 || handler === undefined) {
                response.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ problems }));
                return;
            }
            const answer = handler({ body, query: url.searchParams, path: url.pathname, headers: request.headers });
            // Partial: the double carries only the fields the scripts read, each of its declared type.
            const own = validator.responseProblems(operation, answer.status, answer.body, true);
            if (own.length > 0) {
                problems.push(...own.map((problem) => `the stub's own answer breaks the document: ${problem}`));
                response.writeHead(500).end();
                return;
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
