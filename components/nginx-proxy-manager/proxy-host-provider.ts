// The proxy host resource: a Pulumi dynamic provider over NPM's /api/nginx/proxy-hosts.
// It only ever changes or deletes hosts that carry its own owner marker in `meta`; a hand-made
// host holding a wanted name is an error that names it, and nothing is deleted.
import * as pulumi from "@pulumi/pulumi";
import { NpmApiError, NpmClient } from "./api-client";
import type { NpmClientTimings, NpmConnection } from "./api-client";
import { changedFields, describeHost, inputProblems, normalise, observedFields, ownerOf, requestBody } from "./proxy-host-model";
import type { ApiProxyHost, ProxyHostInputs } from "./proxy-host-model";

/** The state of a proxy host: what was declared, as NPM normalises it, and its id. */
export interface ProxyHostOutputs extends ProxyHostInputs {
    readonly hostId: number;
}

const HOSTS = "/api/nginx/proxy-hosts";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The provider; `timings` only differ in tests. */
export class ProxyHostProvider implements pulumi.dynamic.ResourceProvider<ProxyHostInputs, ProxyHostOutputs> {
    constructor(private readonly timings: NpmClientTimings = {}) {}

    private client(connection: NpmConnection): NpmClient {
        return new NpmClient(connection, this.timings);
    }

    check(_olds: ProxyHostInputs, news: ProxyHostInputs): Promise<pulumi.dynamic.CheckResult<ProxyHostInputs>> {
        const failures = inputProblems(news);
        return Promise.resolve(failures.length > 0 ? { failures } : { inputs: normalise(news) });
    }

    diff(_id: string, olds: ProxyHostOutputs, news: ProxyHostInputs): Promise<pulumi.dynamic.DiffResult> {
        const changed = changedFields(olds, news);
        const login = olds.connection.email !== news.connection.email || olds.connection.password !== news.connection.password;
        // Another NPM instance is another host; its names move with it, so the old one goes first.
        const replaces = olds.connection.url === news.connection.url ? [] : ["connection"];
        return Promise.resolve({ changes: changed.length > 0 || login || replaces.length > 0, replaces, deleteBeforeReplace: true });
    }

    async create(inputs: ProxyHostInputs): Promise<pulumi.dynamic.CreateResult<ProxyHostOutputs>> {
        const client = this.client(inputs.connection);
        const holders = await this.holders(client, inputs.domainNames, undefined);
        const own = holders.find((host) => ownerOf(host) === inputs.owner);
        // POST takes no client key: after a timed-out create the host may exist already. Adopt it.
        const others = holders.filter((host) => host !== own);
        refuseHeld(inputs, others);
        let id: number;
        if (own === undefined) {
            id = (await client.call<{ id: number }>("POST", HOSTS, { json: requestBody(inputs) }).catch(explainInUse(inputs))).id;
        } else {
            id = own.id;
            await client.call("PUT", `${HOSTS}/${id}`, { json: requestBody(inputs) });
        }
        const offline = await this.nginxError(client, id);
        if (offline !== undefined) {
            // NPM keeps an offline host and its names; this one is ours and never worked: remove it.
            await client.call("DELETE", `${HOSTS}/${id}`);
            throw new Error(`Nginx Proxy Manager rejected the nginx config of ${inputs.domainNames.join(", ")} (${offline}); the host was removed again. Check its advanced config.`);
        }
        return { id: String(id), outs: { ...normalise(inputs), hostId: id } };
    }

    async read(id: string, props?: ProxyHostOutputs): Promise<pulumi.dynamic.ReadResult<ProxyHostOutputs>> {
        if (props === undefined) {
            throw new Error("importing Nginx Proxy Manager objects is not supported: the provider needs the login that only a created resource carries");
        }
        const host = await this.client(props.connection).find<ApiProxyHost>(`${HOSTS}/${id}`);
        if (host === undefined) {
            // Deleted by hand: an empty id tells Pulumi the resource is gone, and the next up recreates it.
            return { id: "" };
        }
        return { id, props: { ...props, ...observedFields(host), hostId: host.id } };
    }

    async update(id: string, olds: ProxyHostOutputs, news: ProxyHostInputs): Promise<pulumi.dynamic.UpdateResult<ProxyHostOutputs>> {
        const client = this.client(news.connection);
        const current = await client.find<ApiProxyHost>(`${HOSTS}/${id}`);
        if (current === undefined) {
            throw new Error(`proxy host #${id} (${olds.domainNames.join(", ")}) was deleted in Nginx Proxy Manager: run \`pulumi refresh\`, then \`pulumi up\` creates it again`);
        }
        if (ownerOf(current) !== olds.owner) {
            throw new Error(`${describeHost(current)} no longer carries this program's marker ${JSON.stringify(olds.owner)}: it is left alone; remove it from the stack with \`pulumi state delete\` or restore its meta`);
        }
        refuseHeld(news, await this.holders(client, news.domainNames, current.id));
        await client.call("PUT", `${HOSTS}/${id}`, { json: requestBody(news) });
        const offline = await this.nginxError(client, Number(id));
        if (offline !== undefined) {
            throw new Error(`Nginx Proxy Manager rejected the new nginx config of ${news.domainNames.join(", ")} (${offline}): the host is offline until the next successful up`);
        }
        return { outs: { ...normalise(news), hostId: Number(id) } };
    }

    async delete(id: string, props: ProxyHostOutputs): Promise<void> {
        const client = this.client(props.connection);
        const current = await client.find<ApiProxyHost>(`${HOSTS}/${id}`);
        // Ids are never reused, so a host without our marker was changed by hand: never delete it.
        if (current === undefined || ownerOf(current) !== props.owner) {
            return;
        }
        await client.call("DELETE", `${HOSTS}/${id}`);
    }

    /** The hosts that hold any of `domains` (the list query is a SQL LIKE: filtered exactly here). */
    private async holders(client: NpmClient, domains: readonly string[], except: number | undefined): Promise<ApiProxyHost[]> {
        const found = new Map<number, ApiProxyHost>();
        for (const domain of domains) {
            const candidates = await client.call<ApiProxyHost[]>("GET", `${HOSTS}?query=${encodeURIComponent(domain)}`);
            for (const host of candidates) {
                if (host.id !== except && host.domain_names.some((name) => name.toLowerCase() === domain.toLowerCase())) {
                    found.set(host.id, host);
                }
            }
        }
        return [...found.values()];
    }

    /** nginx_err once nginx has run over the host, undefined when it is online. */
    private async nginxError(client: NpmClient, id: number): Promise<string | undefined> {
        // The write's own answer is read before nginx runs; the next GET carries nginx_online.
        for (let attempt = 0; attempt < 10; attempt++) {
            const host = await client.call<ApiProxyHost>("GET", `${HOSTS}/${id}`);
            // Stryker disable next-line OptionalChaining: equivalent, this host was just written with meta holding the owner marker, and NPM keeps meta an object
            const online = host.meta?.["nginx_online"];
            if (online === true) {
                return undefined;
            }
            if (online === false) {
                // Stryker disable next-line OptionalChaining: equivalent, meta holds nginx_online here, so it is an object
                return typeof host.meta?.["nginx_err"] === "string" ? host.meta["nginx_err"] : "nginx_online is false";
            }
            await sleep(500);
        }
        return "nginx never reported the host online";
    }
}

/** NPM checks names across proxy, redirection and 404 hosts; the last two are not listed above. */
function explainInUse(inputs: ProxyHostInputs): (error: unknown) => never {
    return (error) => {
        if (error instanceof NpmApiError && /is already in use/.test(error.apiMessage)) {
            throw new Error(
                `${inputs.domainNames.join(", ")}: ${error.apiMessage} by a redirection or 404 host in Nginx Proxy Manager (no proxy host has it). ` +
                "Nothing was changed or deleted: remove the name from that host in NPM's UI, then run pulumi up again.",
            );
        }
        throw error;
    };
}

function refuseHeld(inputs: ProxyHostInputs, holders: readonly ApiProxyHost[]): void {
    if (holders.length === 0) {
        return;
    }
    const names = holders.map(describeHost).join("; ");
    throw new Error(
        `${inputs.domainNames.join(", ")}: already served by ${names}. Nothing was changed or deleted: ` +
        "remove the name from that host in NPM's UI (or delete the host), then run pulumi up again.",
    );
}

/** The one provider instance: Pulumi serializes it once per run. */
const PROVIDER = new ProxyHostProvider();

/** The inputs of a proxy host, as Pulumi inputs. */
export type ProxyHostArgs = { readonly [Key in keyof ProxyHostInputs]: pulumi.Input<ProxyHostInputs[Key]> };

/** One proxy host in Nginx Proxy Manager. */
export class ProxyHost extends pulumi.dynamic.Resource {
    declare public readonly hostId: pulumi.Output<number>;
    declare public readonly domainNames: pulumi.Output<string[]>;

    constructor(name: string, args: ProxyHostArgs, opts?: pulumi.CustomResourceOptions) {
        super(PROVIDER, name, { ...args, hostId: undefined }, {
            ...opts,
            // The login is a secret; a replacement must free its names before the new host takes them.
            additionalSecretOutputs: ["connection"],
            deleteBeforeReplace: true,
        }, "nginx-proxy-manager", "ProxyHost");
    }
}
