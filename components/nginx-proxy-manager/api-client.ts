// A small client for Nginx Proxy Manager's REST API (v2.15.1) as it was observed to behave, not
// as its OpenAPI files say: auth failures are 400/404/500 (never 401), a missing token on GET or
// DELETE is a 404, and the API takes seconds to answer after the container starts.
// It runs inside the dynamic providers, whose code Pulumi serializes: only Node built-ins here.
import * as http from "node:http";
import * as https from "node:https";

/** Where the API is and who logs in. */
export interface NpmConnection {
    /** The admin UI's base URL, e.g. http://192.168.1.89:81. */
    readonly url: string;
    /** The admin's e-mail (NPM lower-cases the login identity). */
    readonly email: string;
    /** The admin's password (secret). */
    readonly password: string;
}

/** How patient the client is. */
export interface NpmClientTimings {
    /** How long to wait for the API to answer after the container starts, in ms. Default: 180000. */
    readonly readyTimeoutMs?: number;
    /** Pause between attempts while waiting, in ms. Default: 2000. */
    readonly retryIntervalMs?: number;
    /** Longest single request, in ms; Let's Encrypt issuance runs certbot inside the request. Default: 600000. */
    readonly requestTimeoutMs?: number;
}

/** An answer of the API that was not a success. */
export class NpmApiError extends Error {
    constructor(readonly method: string, readonly path: string, readonly status: number, readonly apiMessage: string) {
        super(`Nginx Proxy Manager: ${method} ${path} answered ${status}: ${apiMessage}`);
        this.name = "NpmApiError";
    }
}

interface RawResponse {
    readonly status: number;
    readonly body: unknown;
}

/** A request body: JSON, or multipart form fields (the certificate upload). */
export type RequestBody = { readonly json: unknown } | { readonly form: Readonly<Record<string, string>> };

function messageOf(body: unknown): string {
    if (body !== null && typeof body === "object" && "error" in body) {
        const error = (body as { error: { message?: unknown } }).error;
        return typeof error?.message === "string" ? error.message : JSON.stringify(error);
    }
    return typeof body === "string" ? body.slice(0, 200) : JSON.stringify(body)?.slice(0, 200) ?? "";
}

function encode(body: RequestBody | undefined): { headers: Record<string, string>; data?: Buffer } {
    if (body === undefined) {
        return { headers: {} };
    }
    if ("json" in body) {
        return { headers: { "content-type": "application/json" }, data: Buffer.from(JSON.stringify(body.json)) };
    }
    const boundary = `----homelab${Date.now().toString(16)}`;
    const parts = Object.entries(body.form).map(([field, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${field}.pem"\r\nContent-Type: application/x-pem-file\r\n\r\n${value}\r\n`);
    return { headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, data: Buffer.from(`${parts.join("")}--${boundary}--\r\n`) };
}

/** One HTTP exchange; a network error rejects, any HTTP status resolves. */
function exchange(url: URL, method: string, headers: Record<string, string>, data: Buffer | undefined, timeoutMs: number): Promise<RawResponse> {
    const transport = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const request = transport.request(url, { method, headers: { accept: "application/json", ...headers, ...(data === undefined ? {} : { "content-length": String(data.length) }) }, timeout: timeoutMs }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                let body: unknown = text;
                try {
                    body = text === "" ? undefined : JSON.parse(text);
                } catch {
                    // nginx's own error pages (502 while the backend starts) are HTML.
                }
                resolve({ status: response.statusCode ?? 0, body });
            });
        });
        request.on("timeout", () => request.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
        request.on("error", reject);
        request.end(data);
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tokens by URL and login, shared by every resource of one run: a login costs ~0.5 s of bcrypt. */
// A global, not a module variable: each serialized provider gets its own copy of module variables.
const TOKENS_KEY = "__homelabNginxProxyManagerTokens";
function tokenCache(): Map<string, Promise<string>> {
    const holder = globalThis as { [TOKENS_KEY]?: Map<string, Promise<string>> };
    holder[TOKENS_KEY] ??= new Map();
    return holder[TOKENS_KEY];
}

/** Forgets every cached login (tests start each case from a fresh run). */
export function forgetLogins(): void {
    tokenCache().clear();
}

/** Calls the API as the admin; logs in once per run and waits for the API to come up first. */
export class NpmClient {
    private readonly base: URL;
    private readonly readyTimeoutMs: number;
    private readonly retryIntervalMs: number;
    private readonly requestTimeoutMs: number;

    constructor(private readonly connection: NpmConnection, timings: NpmClientTimings = {}) {
        this.base = new URL(connection.url);
        this.readyTimeoutMs = timings.readyTimeoutMs ?? 180_000;
        this.retryIntervalMs = timings.retryIntervalMs ?? 2_000;
        this.requestTimeoutMs = timings.requestTimeoutMs ?? 600_000;
    }

    /** Waits until `GET /api/` answers {"status":"OK"}; a fresh /data takes 4-12 s (JWT key generation). */
    async waitUntilReady(): Promise<void> {
        const deadline = Date.now() + this.readyTimeoutMs;
        let last = "no attempt";
        for (;;) {
            try {
                const response = await exchange(new URL("/api/", this.base), "GET", {}, undefined, Math.min(10_000, this.requestTimeoutMs));
                const status = (response.body as { status?: unknown } | undefined)?.status;
                if (response.status === 200 && status === "OK") {
                    return;
                }
                last = `HTTP ${response.status}`;
            } catch (error) {
                last = error instanceof Error ? error.message : String(error);
            }
            if (Date.now() + this.retryIntervalMs > deadline) {
                throw new Error(
                    `Nginx Proxy Manager's API at ${this.base.origin}/api/ did not answer within ${Math.round(this.readyTimeoutMs / 1000)} s (last: ${last}). ` +
                    "Check that the nginx-proxy-manager container is running and healthy (docker ps on the VM), then run pulumi up again.",
                );
            }
            await sleep(this.retryIntervalMs);
        }
    }

    private login(): Promise<string> {
        const key = `${this.base.origin}\n${this.connection.email.toLowerCase()}`;
        const cache = tokenCache();
        let token = cache.get(key);
        if (token === undefined) {
            token = this.freshToken();
            cache.set(key, token);
            // A failed login is not cached: the next resource tries again and reports it too.
            token.catch(() => cache.delete(key));
        }
        return token;
    }

    private async freshToken(): Promise<string> {
        await this.waitUntilReady();
        const response = await exchange(new URL("/api/tokens", this.base), "POST", { "content-type": "application/json" },
            Buffer.from(JSON.stringify({ identity: this.connection.email, secret: this.connection.password })), this.requestTimeoutMs);
        const body = response.body as { token?: unknown; requires_2fa?: unknown } | undefined;
        if (response.status === 200 && typeof body?.token === "string") {
            return body.token;
        }
        if (response.status === 200 && body?.requires_2fa === true) {
            throw new Error(`Nginx Proxy Manager at ${this.base.origin}: ${this.connection.email} has two-factor login enabled, which Pulumi cannot answer (turn it off for this admin)`);
        }
        throw new Error(
            `Nginx Proxy Manager at ${this.base.origin} refused the login of ${this.connection.email} (${messageOf(response.body)}). ` +
            "NPM creates its first admin from INITIAL_ADMIN_EMAIL/PASSWORD only on an empty /data: if the password was changed in the UI " +
            "or /data predates this stack, set the admin's password back to the one in `pulumi stack output adminCredentials --show-secrets`.",
        );
    }

    /** A request as the admin; throws NpmApiError for any status outside 2xx. */
    async call<T>(method: string, path: string, body?: RequestBody): Promise<T> {
        const response = await this.send(method, path, body);
        if (response.status < 200 || response.status > 299) {
            throw new NpmApiError(method, path, response.status, messageOf(response.body));
        }
        return response.body as T;
    }

    /**
     * GET that tells "gone" from "not allowed": NPM answers 404 both for a deleted object and for a
     * request without a valid token, so a 404 counts as gone only once the token is shown to work.
     */
    async find<T>(path: string): Promise<T | undefined> {
        const response = await this.send("GET", path);
        if (response.status === 404) {
            await this.call("GET", "/api/users/me");
            return undefined;
        }
        if (response.status < 200 || response.status > 299) {
            throw new NpmApiError("GET", path, response.status, messageOf(response.body));
        }
        return response.body as T;
    }

    private async send(method: string, path: string, body?: RequestBody): Promise<RawResponse> {
        const token = await this.login();
        const { headers, data } = encode(body);
        return exchange(new URL(path, this.base), method, { ...headers, authorization: `Bearer ${token}` }, data, this.requestTimeoutMs);
    }
}
