// Pulumi runs a dynamic provider from its serialized closure, not from this checkout's modules:
// the proxy host provider must survive serialization, need only Node built-ins, and still work.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AccessListProvider } from "../../components/nginx-proxy-manager/access-list-provider";
import { forgetLogins } from "../../components/nginx-proxy-manager/api-client";
import { CertificateProvider } from "../../components/nginx-proxy-manager/certificate-provider";
import { ProxyHostProvider } from "../../components/nginx-proxy-manager/proxy-host-provider";
import type { ProxyHostInputs } from "../../components/nginx-proxy-manager/proxy-host-model";
import { FakeNpmApi } from "../helpers/fake-npm-api";

interface SerializeClosure {
    serializeFunction(func: () => unknown, options: { allowSecrets: boolean }): Promise<{ text: string; exportName: string }>;
}

let text: string;
let folder: string;
beforeAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own serializer, as dynamic.Resource calls it
    const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as SerializeClosure;
    const provider = new ProxyHostProvider({ readyTimeoutMs: 400, retryIntervalMs: 20 });
    const serialized = await closure.serializeFunction(() => provider, { allowSecrets: true });
    text = serialized.text;
    folder = mkdtempSync(join(tmpdir(), "homelab-provider-"));
}, 30_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the serialized proxy host provider", () => {
    it("requires nothing but Node's http and https", () => {
        const required = [...text.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]).sort();
        expect([...new Set(required)]).toEqual(["http", "https"]);
    });

    it("creates a host through the fake API when loaded on its own", async () => {
        const path = join(folder, "provider.js");
        writeFileSync(path, text);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the serialized module as the provider host does
        const loaded = (require(path) as { handler: () => ProxyHostProvider }).handler();
        forgetLogins();
        const api = await new FakeNpmApi({ email: "owner@homelab.test", password: "pw" }).start();
        try {
            const inputs: ProxyHostInputs = {
                connection: { url: api.url, email: "owner@homelab.test", password: "pw" }, owner: "homelab/test/serialized",
                domainNames: ["music.home.arpa"], forwardScheme: "http", forwardHost: "navidrome", forwardPort: 4533, certificateId: 0,
                sslForced: false, http2Support: false, hstsEnabled: false, hstsSubdomains: false, blockExploits: true, cachingEnabled: false,
                allowWebsocketUpgrade: false, accessListId: 0, advancedConfig: "",
            };
            const created = await loaded.create(inputs);
            expect(api.hosts.get(Number(created.id))!["forward_host"]).toBe("navidrome");
            expect(api.schemaViolations).toEqual([]);
        } finally {
            await api.stop();
        }
    });
});

// The offline plan does not serialize the providers (tools/plan/capture.ts), so this is where a
// provider that would not serialize, or that would need this checkout's modules, is caught.
describe.each([
    ["certificate", () => new CertificateProvider()],
    ["access list", () => new AccessListProvider()],
])("the serialized %s provider", (_kind, make) => {
    it("serializes and requires nothing but Node's http and https", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own serializer, as dynamic.Resource calls it
        const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as SerializeClosure;
        const provider = make();
        const serialized = await closure.serializeFunction(() => provider, { allowSecrets: true });
        const required = [...serialized.text.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]).sort();
        expect([...new Set(required)]).toEqual(["http", "https"]);
        expect(serialized.text).toContain("exports.handler");
    });
});
