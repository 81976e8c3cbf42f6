// The replace table against the providers' sources: every row names the upstream file it was read
// from, and the rows the sources contradicted before are checked one by one.
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { diffPlans } from "../../tools/plan/diff";
import { REPLACE_RULES, replacesOnChange } from "../../tools/plan/replace-table";
import { planStack } from "../helpers/plan";

const VM = "proxmoxve:index/vmLegacy:VmLegacy";
const CONTAINER = "proxmoxve:index/containerLegacy:ContainerLegacy";
const DOCKER_CONTAINER = "docker:index/container:Container";

const UPSTREAM = /^((bpg\/terraform-provider-proxmox v0\.111\.1|kreuzwerker\/terraform-provider-docker v4\.5\.0|pulumi\/pulumi-command v1\.2\.1|hashicorp\/terraform-provider-random|hashicorp\/terraform-provider-tls) [\w/.-]+\.go|homelab components\/[\w/.-]+\.ts) \S+/;

let prod: Plan;

beforeAll(async () => {
    prod = await planStack("prod");
});

describe("the replace table's sources", () => {
    it("every row cites the upstream repository, version, file and function it was read from", () => {
        expect(REPLACE_RULES.filter((rule) => !UPSTREAM.test(rule.source)).map((rule) => rule.type)).toEqual([]);
    });

    it("covers every custom resource type the prod plan registers", () => {
        const types = [...new Set(prod.resources.filter((resource) => resource.custom && !resource.type.startsWith("pulumi:providers:")).map((resource) => resource.type))];
        expect(types.filter((type) => !REPLACE_RULES.some((rule) => rule.type === type))).toEqual([]);
    });
});

describe("rows corrected from the sources", () => {
    // fwprovider/cluster/hardwaremapping/resource_usb.go usbResource.Schema: no RequiresReplace on name.
    it("a USB mapping's name is an in-place update for the provider", () => {
        expect(replacesOnChange("proxmoxve:hardware/mapping/usb:Usb", "name")).toBe(false);
    });

    // proxmoxtf/resource/container/container.go Container(): operating_system is a list-level
    // ForceNew, which the plugin SDK applies to the block's count only (helper/schema/schema.go
    // schemaMap.diffList); inside it only template_file_id is ForceNew.
    it("ContainerLegacy operatingSystem: the template replaces, the type does not", () => {
        expect(replacesOnChange(CONTAINER, "operatingSystem.templateFileId")).toBe(true);
        expect(replacesOnChange(CONTAINER, "operatingSystem.type")).toBe(false);
        expect(replacesOnChange(CONTAINER, "operatingSystem")).toBe(true);
    });

    // Same file: mount_point is a list-level ForceNew (adding or removing one), plus volume and size.
    it("ContainerLegacy mountPoints: adding or removing one replaces, so do volume and size; backup does not", () => {
        expect(replacesOnChange(CONTAINER, "mountPoints")).toBe(true);
        expect(replacesOnChange(CONTAINER, "mountPoints[1].volume")).toBe(true);
        expect(replacesOnChange(CONTAINER, "mountPoints[0].size")).toBe(true);
        expect(replacesOnChange(CONTAINER, "mountPoints[0].backup")).toBe(false);
    });

    // Same file, Container() CustomizeDiff: ForceNewIf on mkDisk when a size shrinks.
    it("ContainerLegacy disk.size: a decrease replaces, an increase does not", () => {
        expect(replacesOnChange(CONTAINER, "disk.size", { before: 8, after: 4 })).toBe(true);
        expect(replacesOnChange(CONTAINER, "disk.size", { before: 4, after: 8 })).toBe(false);
        const container = prod.resources.find((resource) => resource.type === CONTAINER)!;
        const withDisk = (size: number): Plan => ({
            ...prod,
            resources: prod.resources.map((resource): PlannedResource => (resource.urn === container.urn ? { ...resource, inputs: { ...resource.inputs, disk: { ...(resource.inputs["disk"] as object), size } } } : resource)),
        });
        expect(diffPlans(withDisk(8), withDisk(4)).changed).toEqual([expect.objectContaining({ urn: container.urn, replace: true, replaceKeys: ["disk.size"] })]);
        expect(diffPlans(withDisk(4), withDisk(8)).changed).toEqual([expect.objectContaining({ urn: container.urn, replace: false })]);
    });

    // proxmoxtf/resource/vm/vm.go VM(): amd_sev is ForceNew at the list level only.
    it("VmLegacy amdSev replaces only as a whole block", () => {
        expect(replacesOnChange(VM, "amdSev")).toBe(true);
        expect(replacesOnChange(VM, "amdSev.type")).toBe(false);
    });

    // proxmoxtf/resource/file.go File(): file_mode is ForceNew.
    it("FileLegacy fileMode replaces", () => {
        expect(replacesOnChange("proxmoxve:index/fileLegacy:FileLegacy", "fileMode")).toBe(true);
    });

    // pulumi-command provider/pkg/provider/remote/copy.go: only Triggers is tagged replaceOnChanges.
    it("remote CopyToRemote remotePath is an update", () => {
        expect(replacesOnChange("command:remote:CopyToRemote", "remotePath")).toBe(false);
        expect(replacesOnChange("command:remote:CopyToRemote", "triggers[0]")).toBe(true);
    });

    // kreuzwerker resource_docker_container.go: dns_search and host are ForceNew; Pulumi names them
    // dnsSearches and hosts (the installed @pulumi/docker ContainerArgs).
    it("docker Container dnsSearches and hosts replace under their Pulumi names", () => {
        expect(replacesOnChange(DOCKER_CONTAINER, "dnsSearches[0]")).toBe(true);
        expect(replacesOnChange(DOCKER_CONTAINER, "hosts[0].ip")).toBe(true);
        expect(replacesOnChange(DOCKER_CONTAINER, "dnsSearch")).toBe(false);
    });
});

describe("rows for this project's own dynamic providers", () => {
    // The table must say what the providers' diff() says, or the plan diff would mislabel changes.
    it("match what each provider's diff returns", async () => {
        const { ProxyHostProvider } = await import("../../components/nginx-proxy-manager/proxy-host-provider");
        const { CertificateProvider } = await import("../../components/nginx-proxy-manager/certificate-provider");
        const connection = { url: "http://192.0.2.10:81", email: "a@b.test", password: "p" };
        const host = {
            connection, owner: "o", domainNames: ["a.home.arpa"], forwardScheme: "http" as const, forwardHost: "app", forwardPort: 80, certificateId: 1,
            sslForced: true, http2Support: true, hstsEnabled: true, hstsSubdomains: false, blockExploits: true, cachingEnabled: false,
            allowWebsocketUpgrade: false, accessListId: 0, advancedConfig: "", hostId: 1,
        };
        const proxyHosts = new ProxyHostProvider();
        expect((await proxyHosts.diff("1", host, { ...host, domainNames: ["b.home.arpa"] })).replaces).toEqual([]);
        expect(replacesOnChange("pulumi-nodejs:dynamic/nginx-proxy-manager:ProxyHost", "domainNames[0]")).toBe(false);
        expect((await proxyHosts.diff("1", host, { ...host, connection: { ...connection, url: "http://192.0.2.11:81" } })).replaces).toEqual(["connection"]);
        expect(replacesOnChange("pulumi-nodejs:dynamic/nginx-proxy-manager:ProxyHost", "connection")).toBe(true);
        const certificate = { connection, niceName: "n", domainNames: ["a.home.arpa"], source: { kind: "custom" as const, certificate: "c", certificateKey: "k" }, certificateId: 1, expiresOn: "" };
        expect((await new CertificateProvider().diff("1", certificate, { ...certificate, domainNames: ["b.home.arpa"] })).replaces).toEqual(["domainNames"]);
        expect(replacesOnChange("pulumi-nodejs:dynamic/nginx-proxy-manager:Certificate", "domainNames[0]")).toBe(true);
    });
});
