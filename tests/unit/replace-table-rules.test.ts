// Each row of the replace table, checked without planning a stack: its citation names a file of the
// repository the type's package is built from (or this project's own provider file), and its paths
// decide what they should, one field that must replace and one that must not per row, read from the
// upstream file the row cites. tests/contract/replace-table.test.ts checks the table against the prod plan.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";
import { REPLACE_RULES, replacesOnChange } from "../../tools/plan/replace-table";
import type { ReplaceRule } from "../../tools/plan/replace-table";

/** The repository (and version) each package's provider is built from; pulumi-command is its own repository and version. */
function upstreamRepositories(): Readonly<Record<string, string>> {
    const commandVersion = (JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", "@pulumi", "command", "package.json"), "utf8")) as { version: string }).version;
    return {
        // @muhlba91/pulumi-proxmoxve 8.6.0's README: "built on the Terraform Proxmox Provider" (github.com/bpg/terraform-provider-proxmox).
        proxmoxve: "bpg/terraform-provider-proxmox v0.111.1",
        docker: "kreuzwerker/terraform-provider-docker v4.5.0",
        command: `pulumi/pulumi-command v${commandVersion}`,
        random: "hashicorp/terraform-provider-random",
        tls: "hashicorp/terraform-provider-tls",
    };
}

/** "proxmoxve:hardware/mapping/usb:Usb" → ["hardware", "mapping", "usb"]: the words of its module and name, without index, Legacy or the package. */
function typeWords(type: string): string[] {
    const [pkg, module, name] = type.split(":") as [string, string, string];
    const words = [...module.split("/"), name].flatMap((part) => part.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().split(/[\s-]+/));
    return words.filter((word) => !["index", "legacy", "dynamic", pkg].includes(word));
}

/** The words of a file path: "internal/provider/resource_docker_image.go" → internal, provider, resource, docker, image, go. */
function pathWords(path: string): string[] {
    return path.toLowerCase().split(/[/_.-]/);
}

const SYMBOL = String.raw`[A-Za-z]\w*(\.\w+)?(\(\))?`;
const GO_CITATION = new RegExp(String.raw`^(?<file>[\w/.-]+\.go) ${SYMBOL}( and ([\w/.-]+\.go )?${SYMBOL})*$`);
const OWN_CITATION = /^components\/(?<file>[\w/-]+\.ts) (?<className>[A-Z]\w*)\.(?<method>\w+)$/;

/** Rows of this project's own dynamic providers, which cite a file of this repository. */
const isOwn = (rule: ReplaceRule): boolean => rule.type.startsWith("pulumi-nodejs:");

describe("each row's source", () => {
    // Read inside each test: a broken row then fails the test instead of crashing the file.
    const bridgedRules = () => REPLACE_RULES.filter((rule) => !isOwn(rule));

    it("cites the repository the type's package is built from, then a Go file and the function read", () => {
        const repositories = upstreamRepositories();
        for (const rule of bridgedRules()) {
            const repository = repositories[rule.type.split(":")[0]!];
            expect({ type: rule.type, repository: rule.source.startsWith(`${repository} `) }).toEqual({ type: rule.type, repository: true });
            const citation = rule.source.slice(`${repository} `.length);
            expect({ type: rule.type, citation: GO_CITATION.test(citation) }).toEqual({ type: rule.type, citation: true });
        }
    });

    it("cites a file that names the resource (a word of its type is a word of the path)", () => {
        const repositories = upstreamRepositories();
        for (const rule of bridgedRules()) {
            const repository = repositories[rule.type.split(":")[0]!]!;
            const file = GO_CITATION.exec(rule.source.slice(repository.length + 1))?.groups?.["file"] ?? "";
            const shared = typeWords(rule.type).filter((word) => pathWords(file).includes(word));
            expect({ type: rule.type, file, shared: shared.length > 0 }).toEqual({ type: rule.type, file, shared: true });
        }
    });

    it("of this project's own providers names the file that registers the type and its provider's diff", () => {
        const own = REPLACE_RULES.filter(isOwn);
        expect(own.length).toBeGreaterThan(0);
        for (const rule of own) {
            const match = OWN_CITATION.exec(rule.source.replace(/^homelab /, ""));
            expect({ type: rule.type, cited: rule.source.startsWith("homelab ") && match !== null }).toEqual({ type: rule.type, cited: true });
            const path = join(PROJECT_ROOT, "components", match!.groups!["file"]!);
            expect(existsSync(path)).toBe(true);
            const text = readFileSync(path, "utf8");
            const [module, name] = rule.type.replace(/^pulumi-nodejs:dynamic\//, "").split(":") as [string, string];
            expect({ type: rule.type, registers: text.includes(`"${module}", "${name}")`) }).toEqual({ type: rule.type, registers: true });
            expect(text).toContain(`class ${match!.groups!["className"]!} `);
            expect(text).toMatch(new RegExp(String.raw`\n    ${match!.groups!["method"]!}\(`));
        }
    });
});

/** Per row: a path whose change must replace the resource and one whose change must not, from the cited source. */
const EXPECTED: readonly { type: string; replaces: string[]; updates: string[] }[] = [
    // vm.go VM(): vm_id is ForceNewIf, clone is ForceNew; description and memory are updated in vmUpdate.
    { type: "proxmoxve:index/vmLegacy:VmLegacy", replaces: ["vmId", "clone.vmId", "disks[0].fileId"], updates: ["description", "memory.dedicated", "disks[0].size"] },
    // container.go Container(): unprivileged, pool_id and template are ForceNew; description and start_on_boot are not.
    { type: "proxmoxve:index/containerLegacy:ContainerLegacy", replaces: ["unprivileged", "poolId", "initialization.userAccount.keys[0]"], updates: ["description", "startOnBoot", "memory.dedicated"] },
    // resource_docker_container.go: image and env are ForceNew; healthcheck and restart are not (restart is applied by ContainerUpdate).
    { type: "docker:index/container:Container", replaces: ["image", "envs[0]"], updates: ["restart", "healthcheck.tests[0]"] },
    // resource_docker_image.go: name is ForceNew; keep_locally only matters on delete.
    { type: "docker:index/remoteImage:RemoteImage", replaces: ["name"], updates: ["keepLocally"] },
    // resource_docker_network.go: every input is ForceNew (there is no Update).
    { type: "docker:index/network:Network", replaces: ["name", "ipamConfigs[0].gateway"], updates: [] },
    // common/inputs.go ResourceInputs: only triggers carries provider:"replaceOnChanges"; create and connection do not.
    { type: "command:remote:Command", replaces: ["triggers[0]"], updates: ["create", "update", "connection.host", "environment.A"] },
    // copy.go CopyToRemoteInputs: triggers is replaceOnChanges; source and remotePath are plain.
    { type: "command:remote:CopyToRemote", replaces: ["triggers[1]"], updates: ["remotePath", "source"] },
    // file.go File(): source_raw (and its data) and datastore_id are ForceNew; timeout_upload, upload_mode and overwrite are not.
    { type: "proxmoxve:index/fileLegacy:FileLegacy", replaces: ["sourceRaw.data", "datastoreId", "sourceFile.path"], updates: ["timeoutUpload", "overwrite", "uploadMode"] },
    // resource_download_file.go Schema(): url and checksum have RequiresReplace; upload_timeout, verify, overwrite do not.
    { type: "proxmoxve:download/file:File", replaces: ["url", "checksum", "fileName"], updates: ["uploadTimeout", "verify", "overwrite", "overwriteUnmanaged"] },
    // cluster/backup/resource.go: only id has RequiresReplace; the schedule is PUT in place.
    { type: "proxmoxve:backup/job:Job", replaces: ["resourceId"], updates: ["schedule", "storage", "vmids[0]"] },
    // resource_usb.go: name has no RequiresReplace and Update PUTs the new name.
    { type: "proxmoxve:hardware/mapping/usb:Usb", replaces: [], updates: ["name", "maps[0].id"] },
    // resource_bytes.go: both inputs have RequiresReplace.
    { type: "random:index/randomBytes:RandomBytes", replaces: ["length", "keepers.a"], updates: [] },
    // resource_password.go passwordSchemaV3: every input has RequiresReplace.
    { type: "random:index/randomPassword:RandomPassword", replaces: ["length", "special", "minNumeric", "keepers.rotation"], updates: [] },
    // resource_private_key.go: every input has RequiresReplace.
    { type: "tls:index/privateKey:PrivateKey", replaces: ["algorithm", "rsaBits", "ecdsaCurve"], updates: [] },
    // resource_cert_request.go: every input has RequiresReplace.
    { type: "tls:index/certRequest:CertRequest", replaces: ["subject.commonName", "dnsNames[0]", "privateKeyPem"], updates: [] },
    // resource_self_signed_cert.go: early_renewal_hours is the one input without RequiresReplace.
    { type: "tls:index/selfSignedCert:SelfSignedCert", replaces: ["validityPeriodHours", "dnsNames[1]", "allowedUses[0]", "setAuthorityKeyId"], updates: ["earlyRenewalHours"] },
    // resource_locally_signed_cert.go (v4.2.1 and later): the same, max_path_length included (int64planmodifier.RequiresReplace).
    { type: "tls:index/locallySignedCert:LocallySignedCert", replaces: ["caCertPem", "validityPeriodHours", "setSubjectKeyId", "maxPathLength"], updates: ["earlyRenewalHours"] },
];

describe("each row's paths", () => {
    it("has an expectation here for every bridged row", () => {
        expect(REPLACE_RULES.filter((rule) => !isOwn(rule)).map((rule) => rule.type).sort()).toEqual(EXPECTED.map((row) => row.type).sort());
    });

    it.each(EXPECTED.map((row) => [row.type, row] as const))("%s: replaces on what the source forces new, updates the rest", (_type, row) => {
        for (const path of row.replaces) {
            expect({ path, replaces: replacesOnChange(row.type, path) }).toEqual({ path, replaces: true });
        }
        for (const path of row.updates) {
            expect({ path, replaces: replacesOnChange(row.type, path) }).toEqual({ path, replaces: false });
        }
    });
});
