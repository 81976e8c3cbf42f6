// Runs the real program under Pulumi's mock runtime and records every register-resource request
// in full (parent, provider, dependencies, options, inputs): what `pulumi up` would ask the engine.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { Mocks, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

/** One resource as the engine would receive it. */
export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly provider: string | null;
    readonly custom: boolean;
    readonly dependencies: readonly string[];
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    /** Input paths the engine replaces the resource for (the `replaceOnChanges` option), sorted; absent in plans recorded before it was. */
    readonly replaceOnChanges?: readonly string[];
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** Everything one program run would register, resources sorted by URN. */
export interface Plan {
    readonly project: string;
    readonly stack: string;
    readonly resources: readonly PlannedResource[];
    readonly outputs: Readonly<Record<string, unknown>>;
}

export const SECRET_MARK = "[secret]";
export const UNKNOWN_MARK = "[unknown]";

/** The subset of the gRPC RegisterResourceRequest that the plan reads. */
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getDependenciesList(): string[];
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface RegisterResourceOutputsRequest {
    getUrn(): string;
    getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type Callback = (error: unknown, response: unknown) => void;

/**
 * Replaces the runtime's wire encodings with readable values; secrets become "[secret]", or their
 * value when `revealSecrets` (only the network tier asks: it runs the very files the program builds).
 */
export function readableValue(value: unknown, revealSecrets = false): unknown {
    const readable = (inner: unknown) => readableValue(inner, revealSecrets);
    if (value === rpc.unknownValue) {
        return UNKNOWN_MARK;
    }
    if (Array.isArray(value)) {
        return value.map(readable);
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const record = value as Record<string, unknown>;
    switch (record[rpc.specialSigKey]) {
        case rpc.specialSecretSig:
            return revealSecrets ? readable(record["value"]) : SECRET_MARK;
        case rpc.specialResourceSig:
            return record["urn"];
        case rpc.specialAssetSig:
            return { asset: readable(record["text"] ?? record["path"] ?? record["uri"]) };
        case rpc.specialArchiveSig:
            return { archive: readable(record["path"] ?? record["uri"] ?? Object.keys(record["assets"] ?? {})) };
        default:
            return Object.fromEntries(
                Object.keys(record)
                    .sort()
                    .map((key) => [key, readable(record[key])]),
            );
    }
}

/** A provider reference is "<urn>::<id>"; the plan names providers by URN, which is stable. */
function providerUrn(reference: string): string | null {
    if (reference === "") {
        return null;
    }
    const separator = reference.lastIndexOf("::");
    return separator > 0 ? reference.slice(0, separator) : reference;
}

/** The URN the engine would give: the parent's qualified type chain (the root stack excluded), then the type. */
function urnFor(parent: string, type: string, name: string): string {
    const parentType = parent === "" ? undefined : parent.split("::")[2];
    const qualifiedType = parentType === undefined || parentType === "pulumi:pulumi:Stack" ? type : `${parentType}$${type}`;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualifiedType}::${name}`;
}

interface RegisterResourceResponse {
    setUrn(urn: string): void;
}

class CapturingMonitor extends MockMonitor {
    readonly captured: PlannedResource[] = [];
    stackOutputs: Record<string, unknown> = {};

    constructor(mocks: Mocks, private readonly revealSecrets: boolean) {
        super(mocks);
    }

    override async registerResource(request: RegisterResourceRequest, callback: Callback): Promise<void> {
        const parent = request.getParent();
        const urn = urnFor(parent, request.getType(), request.getName());
        this.captured.push({
            urn,
            type: request.getType(),
            name: request.getName(),
            parent: parent === "" ? null : parent,
            provider: providerUrn(request.getProvider()),
            custom: request.getCustom(),
            dependencies: [...new Set(request.getDependenciesList())].sort(),
            protect: request.getProtect() === true,
            retainOnDelete: request.getRetainondelete() === true,
            deleteBeforeReplace: request.getDeletebeforereplace(),
            ignoreChanges: [...request.getIgnorechangesList()],
            replaceOnChanges: [...request.getReplaceonchangesList()].sort(),
            inputs: readableInputs(request.getType(), readableValue(request.getObject()?.toJavaScript() ?? {}, this.revealSecrets) as Record<string, unknown>),
        });
        // The mock monitor names children after their parent's last type only; answer with the
        // engine's URN so parents, dependencies and plan diffs use the real identities.
        return super.registerResource(request, (error, response) => {
            (response as RegisterResourceResponse | undefined)?.setUrn(urn);
            callback(error, response);
        });
    }

    override registerResourceOutputs(request: RegisterResourceOutputsRequest, callback: Callback): void {
        if (request.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
            this.stackOutputs = readableValue(request.getOutputs()?.toJavaScript() ?? {}, this.revealSecrets) as Record<string, unknown>;
        }
        callback(null, {});
    }
}

/** A stable stand-in for a value the provider would generate: the same name gives the same bytes. */
export function deterministicBytes(seed: string, length: number): Buffer {
    const blocks: Buffer[] = [];
    for (let counter = 0; blocks.length * 32 < length; counter++) {
        blocks.push(createHash("sha256").update(`${seed}#${counter}`).digest());
    }
    return Buffer.concat(blocks).subarray(0, length);
}

function deterministicText(seed: string, length: number): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return [...deterministicBytes(seed, length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

/** A short digest of a resource's inputs. */
function inputDigest(inputs: Record<string, unknown>): string {
    return createHash("sha256").update(JSON.stringify(readableValue(inputs))).digest("hex").slice(0, 12);
}

/** A stand-in for an id NPM would assign (1-9999), the same for the same resource name. */
function stableNumber(seed: string): number {
    return 1 + (deterministicBytes(seed, 4).readUInt32BE(0) % 9999);
}

/** The plan's text for a dynamic resource's serialized provider code (see readableInputs). */
export const DYNAMIC_PROVIDER_MARK = "[dynamic provider code]";

/**
 * A dynamic resource's inputs carry its provider as serialized JavaScript: kilobytes that differ
 * between the plan's TypeScript loaders and say nothing a reviewer reads. The plan shows a mark.
 */
function readableInputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    return type.startsWith("pulumi-nodejs:dynamic") && "__provider" in inputs ? { ...inputs, __provider: DYNAMIC_PROVIDER_MARK } : inputs;
}

/** What each provider would return for outputs the program reads; inputs are echoed back. */
function mockOutputs(args: MockResourceArgs): MockResourceResult {
    const inputs = args.inputs as Record<string, unknown>;
    const state: Record<string, unknown> = { ...inputs };
    let id = `${args.name}-id`;
    switch (args.type) {
        case "random:index/randomBytes:RandomBytes": {
            const bytes = deterministicBytes(args.name, Number(inputs["length"]));
            // The engine stores these as secrets (additionalSecretOutputs); the mock does it by hand.
            state["base64"] = pulumi.secret(bytes.toString("base64"));
            state["hex"] = pulumi.secret(bytes.toString("hex"));
            break;
        }
        case "random:index/randomPassword:RandomPassword":
            state["result"] = pulumi.secret(deterministicText(args.name, Number(inputs["length"])));
            break;
        case "docker:index/remoteImage:RemoteImage":
            state["imageId"] = `sha256:${deterministicBytes(String(inputs["name"]), 32).toString("hex")}`;
            state["repoDigest"] = `${String(inputs["name"]).split(":")[0]}@sha256:${deterministicBytes(`${String(inputs["name"])}-digest`, 32).toString("hex")}`;
            break;
        case "command:remote:Command":
        case "command:local:Command":
            state["stdout"] = "";
            state["stderr"] = "";
            break;
        case "tls:index/privateKey:PrivateKey":
            // Stand-ins, not keys: the plan shows where each PEM goes, never a real one.
            // Each stand-in carries a digest of the inputs it came from, so that a change flows on to
            // what depends on it (a new name → a new request → a new certificate), as real PEMs would.
            state["privateKeyPem"] = pulumi.secret(`[private key of ${args.name} ${inputDigest(inputs)}]`);
            state["publicKeyPem"] = `[public key of ${args.name} ${inputDigest(inputs)}]`;
            break;
        case "tls:index/certRequest:CertRequest":
            state["certRequestPem"] = `[certificate request of ${args.name} ${inputDigest(inputs)}]`;
            break;
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            state["certPem"] = `[certificate of ${args.name} ${inputDigest(inputs)}]`;
            break;
        case "pulumi-nodejs:dynamic/nginx-proxy-manager:Certificate":
            state["certificateId"] = stableNumber(args.name);
            break;
        case "pulumi-nodejs:dynamic/nginx-proxy-manager:AccessList":
            state["accessListId"] = stableNumber(args.name);
            break;
        case "pulumi-nodejs:dynamic/nginx-proxy-manager:ProxyHost":
            state["hostId"] = stableNumber(args.name);
            break;
        case "proxmoxve:download/file:File":
            id = `${String(inputs["datastoreId"])}:${String(inputs["contentType"])}/${String(inputs["fileName"])}`;
            break;
        case "proxmoxve:index/fileLegacy:FileLegacy": {
            const source = inputs["sourceRaw"] as { fileName?: string } | undefined;
            id = `${String(inputs["datastoreId"])}:${String(inputs["contentType"])}/${source?.fileName ?? args.name}`;
            break;
        }
    }
    return { id, state };
}

/** A data source's answer under mocks: the invoke's inputs to its result. */
export type InvokeAnswer = (inputs: Record<string, unknown>) => Record<string, unknown>;

/** What the data sources the program reads answer offline: a Proxmox host without guests yet. */
export const DEFAULT_INVOKE_ANSWERS: Readonly<Record<string, InvokeAnswer>> = {
    "proxmoxve:index/getVmsLegacy:getVmsLegacy": () => ({ id: "vms", vms: [] }),
    "proxmoxve:index/getContainersLegacy:getContainersLegacy": () => ({ id: "containers", containers: [] }),
};

/** The plan's mocks: its resource outputs, and these data source answers. */
export function mocksAnswering(invokes: Readonly<Record<string, InvokeAnswer>>): Mocks {
    return {
        newResource: mockOutputs,
        call(args) {
            const answer = invokes[args.token];
            if (answer === undefined) {
                throw new Error(`The plan has no mock for the function ${args.token}; add one to tools/plan/capture.ts`);
            }
            return answer(args.inputs as Record<string, unknown>);
        },
    };
}

interface SettingsInternals {
    setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean): void;
    waitForRPCs(): Promise<void>;
}
interface StackInternals {
    runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
}

export interface PlanRequest {
    /** The Pulumi project name. */
    readonly project: string;
    /** The stack name. */
    readonly stack: string;
    /** Full config keys ("homelab:vm") to the string values Pulumi would pass the program. */
    readonly config: Readonly<Record<string, string>>;
    /** The config keys that hold secrets. */
    readonly secretKeys: readonly string[];
    /** Validates the configuration; throws before anything is registered when it is wrong. */
    readonly validate: () => void;
    /** The program; its return value becomes the stack outputs. */
    readonly program: () => Record<string, pulumi.Input<unknown>> | Promise<Record<string, pulumi.Input<unknown>>>;
    /** Data source answers that replace DEFAULT_INVOKE_ANSWERS, by function token. */
    readonly invokes?: Readonly<Record<string, InvokeAnswer>>;
    /** Show secret values instead of "[secret]". Default: false (every plan the owner sees hides them). */
    readonly revealSecrets?: boolean;
}

/** The SDK's closure serializer, as dynamic.Resource looks it up at each call. */
interface ClosureInternals {
    serializeFunction: (func: () => unknown, options: object) => Promise<{ text: string; exportName: string; containsSecrets: boolean }>;
}

/** Evaluates the program once under mocks and returns what it would register. */
export async function capturePlan(request: PlanRequest): Promise<Plan> {
    /* eslint-disable @typescript-eslint/no-require-imports -- runtime internals the SDK does not type */
    const settings = require("@pulumi/pulumi/runtime/settings") as SettingsInternals;
    const stackRuntime = require("@pulumi/pulumi/runtime/stack") as StackInternals;
    const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as ClosureInternals;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const mocks = mocksAnswering({ ...DEFAULT_INVOKE_ANSWERS, ...request.invokes });
    pulumi.runtime.setAllConfig({ ...request.config }, [...request.secretKeys]);
    await pulumi.runtime.setMocks(mocks, request.project, request.stack, false);
    // The SDK takes a stack trace for every promise and resource (leak diagnostics and source
    // positions, neither of which a plan shows); formatting them was over half the evaluation time.
    // Errors keep their messages; HOMELAB_PLAN_STACK_TRACES=1 brings the traces back for debugging.
    const stackTraceLimit = Error.stackTraceLimit;
    if (process.env["HOMELAB_PLAN_STACK_TRACES"] === undefined) {
        Error.stackTraceLimit = 0;
    }
    // A plan shows a dynamic resource's serialized provider only as DYNAMIC_PROVIDER_MARK, so the
    // SDK's closure serialization (it walks the provider's closure with the inspector and parses it
    // with TypeScript: about a second for each process that plans) buys the plan nothing. The real
    // serialization of every provider is tested on its own (tests/unit/npm-provider-serialization).
    const serializer = closure.serializeFunction;
    closure.serializeFunction = () => Promise.resolve({ text: DYNAMIC_PROVIDER_MARK, exportName: "handler", containsSecrets: false });
    const monitor = new CapturingMonitor(mocks, request.revealSecrets ?? false);
    try {
        request.validate();
        settings.setMockOptions(monitor, request.project, request.stack, false);
        await stackRuntime.runInPulumiStack(() => Promise.resolve(request.program()));
        await settings.waitForRPCs();
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        closure.serializeFunction = serializer;
    }
    return {
        project: request.project,
        stack: request.stack,
        resources: [...monitor.captured].sort((first, second) => (first.urn < second.urn ? -1 : first.urn > second.urn ? 1 : 0)),
        outputs: monitor.stackOutputs,
    };
}
