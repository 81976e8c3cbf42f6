// An in-process stand-in for Nginx Proxy Manager v2.15.1's API on 127.0.0.1 (random port), built
// on what the real one was observed to do (npm-api-observed.md), not on its OpenAPI files:
// 404 for a GET/DELETE without a token, 500 for a POST without one, 400 for a wrong password,
// locations:null, partial PUT, case-insensitive domain uniqueness, the certificate_id
// normalisation bug, nginx_online only after the write, soft deletes, keys returned by GET.
// Every request body is validated against NPM's own vendored request schemas.
import { X509Certificate, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { requestProblem } from "./npm-request-schemas";
import type { RequestKind } from "./npm-request-schemas";

type Row = Record<string, unknown> & { id: number; deleted?: boolean };

export interface FakeNpmOptions {
    /** The admin, stored exactly as given (login lower-cases the identity). */
    readonly email: string;
    readonly password: string;
    /** Requests answered with nginx's 502 before the backend is up. Default: 0. */
    readonly startupRequests?: number;
    /** nginx's verdict on a host's config: an error text takes it offline. Default: always online. */
    readonly nginxError?: (host: Row) => string | undefined;
    /** The DNS provider credentials Let's Encrypt issuance succeeds with. Default: none succeed. */
    readonly letsEncryptCredentials?: string;
}

/** One request as received. */
export interface ReceivedRequest {
    readonly method: string;
    readonly path: string;
    readonly body: unknown;
}

const HOST_DEFAULTS = {
    certificate_id: 0, ssl_forced: false, http2_support: false, hsts_enabled: false, hsts_subdomains: false, block_exploits: false,
    caching_enabled: false, allow_websocket_upgrade: false, access_list_id: 0, advanced_config: "", enabled: true, trust_forwarded_proto: false,
};

export class FakeNpmApi {
    readonly hosts = new Map<number, Row>();
    readonly certificates = new Map<number, Row>();
    readonly accessLists = new Map<number, Row>();
    readonly requests: ReceivedRequest[] = [];
    /** Bodies the vendored schemas rejected: a correct client sends none. */
    readonly schemaViolations: string[] = [];
    logins = 0;
    private readonly tokens = new Set<string>();
    private nextId = { host: 1, certificate: 1, list: 1 };
    private served = 0;
    private server: Server | undefined;
    url = "";

    constructor(readonly options: FakeNpmOptions) {}

    async start(): Promise<this> {
        this.server = createServer((request, response) => void this.handle(request, response));
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    }

    /** A host made by hand in the UI: no owner marker. */
    addHandMadeHost(domains: string[], forwardHost = "192.168.1.50", forwardPort = 8123): Row {
        const row: Row = { id: this.nextId.host++, ...HOST_DEFAULTS, domain_names: [...domains].sort(), forward_scheme: "http", forward_host: forwardHost, forward_port: forwardPort, meta: { nginx_online: true, nginx_err: null }, locations: null };
        this.hosts.set(row.id, row);
        return row;
    }

    /** Names held by redirection or 404 hosts made by hand: NPM's uniqueness check covers them too. */
    readonly otherHostDomains = new Set<string>();

    private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const chunk of request) {
            chunks.push(chunk as Buffer);
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const url = new URL(request.url ?? "/", "http://fake");
        const method = request.method ?? "GET";
        const type = request.headers["content-type"] ?? "";
        const body: unknown = type.startsWith("multipart/form-data") ? parseMultipart(raw, type) : raw === "" ? undefined : JSON.parse(raw);
        this.requests.push({ method, path: url.pathname + url.search, body });
        const send = (status: number, payload: unknown) => {
            response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
        };
        const fail = (status: number, message: string) => send(status, { error: { code: status, message } });
        if (this.served++ < (this.options.startupRequests ?? 0)) {
            response.writeHead(502, { "content-type": "text/html" }).end("<html><body><h1>502 Bad Gateway</h1></body></html>");
            return;
        }
        const path = url.pathname;
        if (path === "/api/" && method === "GET") {
            return send(200, { status: "OK", setup: true, version: { major: 2, minor: 15, revision: 1 } });
        }
        if (path === "/api/tokens" && method === "POST") {
            const problem = this.invalid("token", body);
            if (problem !== undefined) {
                return fail(400, problem);
            }
            const { identity, secret } = body as { identity: string; secret: string };
            this.logins++;
            if (identity.trim().toLowerCase() !== this.options.email || secret !== this.options.password) {
                return fail(400, "Invalid email or password");
            }
            const token = randomBytes(16).toString("hex");
            this.tokens.add(token);
            return send(200, { token, expires: new Date(Date.now() + 86_400_000).toISOString() });
        }
        const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
        if (token === undefined) {
            // Observed: no token on GET or DELETE is a 404, on POST a 500; never a 401.
            return method === "GET" || method === "DELETE" ? fail(404, `Not Found - ${path.replace(/^\/api/, "")}`) : fail(500, "No authorization token");
        }
        if (!this.tokens.has(token)) {
            return fail(500, "invalid signature");
        }
        if (path === "/api/users/me") {
            return send(200, { id: 1, email: this.options.email, roles: ["admin"] });
        }
        this.route(method, path, url.searchParams, body, send, fail);
    }

    private invalid(kind: RequestKind, body: unknown): string | undefined {
        const problem = requestProblem(kind, body);
        if (problem !== undefined) {
            this.schemaViolations.push(`${kind}: ${problem}`);
        }
        return problem;
    }

    private route(method: string, path: string, query: URLSearchParams, body: unknown, send: (status: number, payload: unknown) => void, fail: (status: number, message: string) => void): void {
        const match = /^\/api\/nginx\/(proxy-hosts|certificates|access-lists)(?:\/([^/]+))?(?:\/(upload))?$/.exec(path);
        if (match === null) {
            return fail(404, `Not Found - ${path}`);
        }
        const [, collection, idText, action] = match;
        const id = idText === undefined ? undefined : Number(idText);
        if (idText !== undefined && !Number.isInteger(id)) {
            return fail(400, "Internal Error");
        }
        const table = collection === "proxy-hosts" ? this.hosts : collection === "certificates" ? this.certificates : this.accessLists;
        const row = id === undefined ? undefined : table.get(id);
        const live = row !== undefined && row.deleted !== true ? row : undefined;
        if (id !== undefined && live === undefined) {
            return fail(404, "Not Found");
        }
        if (collection === "proxy-hosts") {
            return this.proxyHosts(method, live, query, body, send, fail);
        }
        if (collection === "certificates") {
            return this.certificateRoute(method, live, action, body, send, fail);
        }
        return this.accessListRoute(method, live, body, send, fail);
    }

    private proxyHosts(method: string, host: Row | undefined, query: URLSearchParams, body: unknown, send: (status: number, payload: unknown) => void, fail: (status: number, message: string) => void): void {
        if (method === "GET" && host === undefined) {
            const like = (query.get("query") ?? "").toLowerCase();
            return send(200, [...this.hosts.values()].filter((row) => row.deleted !== true && (row["domain_names"] as string[]).join(",").toLowerCase().includes(like)));
        }
        if (method === "GET") {
            return send(200, host);
        }
        if (method === "DELETE") {
            host!.deleted = true;
            return send(200, true);
        }
        const create = method === "POST";
        const problem = this.invalid(create ? "proxyHostCreate" : "proxyHostUpdate", body);
        if (problem !== undefined) {
            return fail(400, problem);
        }
        const fields = body as Record<string, unknown>;
        const domains = (fields["domain_names"] as string[] | undefined) ?? (host?.["domain_names"] as string[]);
        const taken = domains.find((domain, index) => domains.findIndex((other) => other.toLowerCase() === domain.toLowerCase()) !== index || this.otherHostDomains.has(domain.toLowerCase()) ||
            [...this.hosts.values()].some((row) => row.deleted !== true && row.id !== host?.id && (row["domain_names"] as string[]).some((name) => name.toLowerCase() === domain.toLowerCase())));
        if (taken !== undefined) {
            return fail(400, `${taken} is already in use`);
        }
        const merged: Row = create
            ? { id: this.nextId.host++, ...HOST_DEFAULTS, meta: {}, locations: null, ...fields }
            : { ...host!, ...fields };
        merged["domain_names"] = [...domains].sort();
        // cleanSslHstsData runs only when certificate_id is absent from the request (observed bug).
        if (!("certificate_id" in fields)) {
            merged["ssl_forced"] = false;
            merged["http2_support"] = false;
            merged["hsts_enabled"] = false;
            merged["hsts_subdomains"] = false;
        }
        merged["certificate_id"] = Number(merged["certificate_id"]);
        const answer = { ...merged, meta: { ...(merged["meta"] as object) } };
        const error = this.options.nginxError?.(merged);
        merged["meta"] = { ...(merged["meta"] as object), nginx_online: error === undefined, nginx_err: error ?? null };
        this.hosts.set(merged.id, merged);
        // The write's own answer is read before nginx ran: no nginx_online in it.
        send(create ? 201 : 200, answer);
    }

    private certificateRoute(method: string, certificate: Row | undefined, action: string | undefined, body: unknown, send: (status: number, payload: unknown) => void, fail: (status: number, message: string) => void): void {
        if (method === "GET" && certificate === undefined) {
            return send(200, [...this.certificates.values()].filter((row) => row.deleted !== true));
        }
        if (method === "GET") {
            return send(200, certificate);
        }
        if (method === "DELETE") {
            certificate!.deleted = true;
            return send(200, true);
        }
        if (action === "upload") {
            const problem = this.invalid("certificateUpload", body);
            if (problem !== undefined) {
                return fail(400, problem);
            }
            const files = body as { certificate: string; certificate_key: string };
            let parsed: X509Certificate;
            try {
                parsed = new X509Certificate(files.certificate);
            } catch {
                return fail(400, "Certificate is not valid");
            }
            const names = (parsed.subjectAltName ?? "").split(", ").filter((entry) => entry.startsWith("DNS:")).map((entry) => entry.slice(4));
            Object.assign(certificate!, { domain_names: names, expires_on: new Date(parsed.validTo).toISOString(), meta: { certificate: files.certificate, certificate_key: files.certificate_key } });
            return send(200, { certificate: {}, certificate_key: true });
        }
        const problem = this.invalid("certificateCreate", body);
        if (problem !== undefined) {
            return fail(400, problem);
        }
        const fields = body as { provider: string; nice_name?: string; domain_names?: string[]; meta?: Record<string, unknown> };
        if (fields.provider === "letsencrypt" && fields.meta?.["dns_provider_credentials"] !== this.options.letsEncryptCredentials) {
            return send(500, { error: { code: 500, message: "Some challenges have failed." }, debug: { stack: ["certbot certonly --dns-..."] } });
        }
        const row: Row = {
            id: this.nextId.certificate++, provider: fields.provider, nice_name: fields.nice_name ?? (fields.domain_names ?? []).join(", "),
            domain_names: fields.domain_names ?? [], expires_on: new Date(Date.now() + 90 * 86_400_000).toISOString(), meta: fields.meta ?? {},
        };
        this.certificates.set(row.id, row);
        send(201, row);
    }

    private accessListRoute(method: string, list: Row | undefined, body: unknown, send: (status: number, payload: unknown) => void, fail: (status: number, message: string) => void): void {
        if (method === "GET") {
            // Passwords are never returned.
            return list === undefined ? send(200, [...this.accessLists.values()]) : send(200, { ...list, items: (list["items"] as { username: string }[]).map((item) => ({ username: item.username, password: "" })) });
        }
        if (method === "DELETE") {
            list!.deleted = true;
            return send(200, true);
        }
        const problem = this.invalid(method === "POST" ? "accessListCreate" : "accessListUpdate", body);
        if (problem !== undefined) {
            return fail(400, problem);
        }
        const row: Row = list === undefined
            ? { id: this.nextId.list++, satisfy_any: false, pass_auth: false, items: [], clients: [], meta: {}, ...(body as object) }
            : Object.assign(list, body);
        this.accessLists.set(row.id, row);
        send(method === "POST" ? 201 : 200, row);
    }
}

/** Enough of multipart/form-data for the certificate upload's text fields. */
function parseMultipart(raw: string, contentType: string): Record<string, string> {
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1] ?? "";
    const fields: Record<string, string> = {};
    for (const part of raw.split(`--${boundary}`)) {
        const match = /name="([^"]+)"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*)\r\n$/.exec(part);
        if (match !== null) {
            fields[match[1]!] = match[2]!;
        }
    }
    return fields;
}
