// The access list resource: who may open a proxy host (client addresses and/or basic-auth users).
import * as pulumi from "@pulumi/pulumi";
import { NpmClient } from "./api-client";
import type { NpmClientTimings, NpmConnection } from "./api-client";

/** One client rule: an IPv4 address or network, or "all". */
export interface AccessClient {
    readonly address: string;
    readonly directive: "allow" | "deny";
}

/** One basic-auth login (the password is secret). */
export interface AccessUser {
    readonly username: string;
    readonly password: string;
}

export interface AccessListInputs {
    readonly connection: NpmConnection;
    /** The list's name in NPM's UI. */
    readonly name: string;
    /** true: a client passes when any rule (address or login) lets it; false: it needs both. */
    readonly satisfyAny: boolean;
    /** Pass the Authorization header on to the upstream. */
    readonly passAuth: boolean;
    readonly clients: readonly AccessClient[];
    readonly users: readonly AccessUser[];
}

export interface AccessListOutputs extends AccessListInputs {
    readonly accessListId: number;
}

interface ApiAccessList {
    readonly id: number;
    readonly name: string;
    readonly satisfy_any: boolean;
    readonly pass_auth: boolean;
    readonly clients?: { address: string; directive: string }[];
    readonly items?: { username: string }[];
}

const LISTS = "/api/nginx/access-lists";
const ADDRESS = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\/([0-9]|[12][0-9]|3[0-2]))?$|^all$/;

function body(inputs: AccessListInputs): Record<string, unknown> {
    return {
        name: inputs.name,
        satisfy_any: inputs.satisfyAny,
        pass_auth: inputs.passAuth,
        clients: inputs.clients.map((client) => ({ address: client.address, directive: client.directive })),
        items: inputs.users.map((user) => ({ username: user.username, password: user.password })),
    };
}

export class AccessListProvider implements pulumi.dynamic.ResourceProvider<AccessListInputs, AccessListOutputs> {
    constructor(private readonly timings: NpmClientTimings = {}) {}

    private client(connection: NpmConnection): NpmClient {
        return new NpmClient(connection, this.timings);
    }

    check(_olds: AccessListInputs, news: AccessListInputs): Promise<pulumi.dynamic.CheckResult<AccessListInputs>> {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        news.clients.forEach((client, index) => {
            if (!ADDRESS.test(client.address)) {
                failures.push({ property: `clients[${index}].address`, reason: `${JSON.stringify(client.address)} is not an IPv4 address, a network in CIDR form or "all"` });
            }
        });
        news.users.forEach((user, index) => {
            if (user.username === "" || user.password === "") {
                failures.push({ property: `users[${index}]`, reason: "needs a user name and a password" });
            }
        });
        if (news.name.trim() === "") {
            failures.push({ property: "name", reason: "is empty" });
        }
        return Promise.resolve(failures.length > 0 ? { failures } : { inputs: news });
    }

    diff(_id: string, olds: AccessListOutputs, news: AccessListInputs): Promise<pulumi.dynamic.DiffResult> {
        const fields = ["name", "satisfyAny", "passAuth", "clients", "users", "connection"] as const;
        const changed = fields.filter((field) => JSON.stringify(olds[field]) !== JSON.stringify(news[field]));
        const replaces = olds.connection.url === news.connection.url ? [] : ["connection"];
        return Promise.resolve({ changes: changed.length > 0, replaces });
    }

    async create(inputs: AccessListInputs): Promise<pulumi.dynamic.CreateResult<AccessListOutputs>> {
        const created = await this.client(inputs.connection).call<ApiAccessList>("POST", LISTS, { json: body(inputs) });
        return { id: String(created.id), outs: { ...inputs, accessListId: created.id } };
    }

    async read(id: string, props?: AccessListOutputs): Promise<pulumi.dynamic.ReadResult<AccessListOutputs>> {
        if (props === undefined) {
            throw new Error("importing Nginx Proxy Manager objects is not supported: the provider needs the login that only a created resource carries");
        }
        const found = await this.client(props.connection).find<ApiAccessList>(`${LISTS}/${id}?expand=items,clients`);
        if (found === undefined) {
            return { id: "" };
        }
        // Passwords never come back; a user whose name is gone shows as a change.
        const names = new Set((found.items ?? []).map((item) => item.username));
        return { id, props: {
            ...props,
            name: found.name,
            satisfyAny: found.satisfy_any,
            passAuth: found.pass_auth,
            clients: (found.clients ?? []).map((client) => ({ address: client.address, directive: client.directive === "deny" ? "deny" : "allow" })),
            users: props.users.filter((user) => names.has(user.username)),
        } };
    }

    async update(id: string, _olds: AccessListOutputs, news: AccessListInputs): Promise<pulumi.dynamic.UpdateResult<AccessListOutputs>> {
        await this.client(news.connection).call("PUT", `${LISTS}/${id}`, { json: body(news) });
        return { outs: { ...news, accessListId: Number(id) } };
    }

    async delete(id: string, props: AccessListOutputs): Promise<void> {
        const client = this.client(props.connection);
        if (await client.find<ApiAccessList>(`${LISTS}/${id}`) !== undefined) {
            await client.call("DELETE", `${LISTS}/${id}`);
        }
    }
}

const PROVIDER = new AccessListProvider();

export type AccessListArgs = { readonly [Key in keyof AccessListInputs]: pulumi.Input<AccessListInputs[Key]> };

/** One access list in Nginx Proxy Manager. */
export class AccessList extends pulumi.dynamic.Resource {
    declare public readonly accessListId: pulumi.Output<number>;

    constructor(name: string, args: AccessListArgs, opts?: pulumi.CustomResourceOptions) {
        super(PROVIDER, name, { ...args, accessListId: undefined }, { ...opts, additionalSecretOutputs: ["connection", "users"] }, "nginx-proxy-manager", "AccessList");
    }
}
