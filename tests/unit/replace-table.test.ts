// The replace table names inputs the provider SDKs really have, and matches paths the way the diff
// writes them. The SDKs' generated constructors list every input as `resourceInputs["<name>"] = args`,
// and their types/input.d.ts declares the nested fields, so a misspelt or emptied entry fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPLACE_ON_CHANGE, replacesOnChange, withoutIndices } from "../../tools/plan/replace-table";
import { PROJECT_ROOT } from "../../tools/paths";

const PACKAGES: Readonly<Record<string, string>> = {
    proxmoxve: "@muhlba91/pulumi-proxmoxve",
    docker: "@pulumi/docker",
    command: "@pulumi/command",
    random: "@pulumi/random",
    tls: "@pulumi/tls",
};

/** "docker:index/container:Container" → node_modules/@pulumi/docker/container.js (the SDK's layout). */
function sdkFiles(type: string): { module: string; inputTypes: string } {
    const [pkg, module, className] = type.split(":") as [string, string, string];
    const root = join(PROJECT_ROOT, "node_modules", PACKAGES[pkg]!);
    const [directory, file] = module.includes("/") ? module.split(/\/(?=[^/]+$)/) as [string, string] : [module, className.charAt(0).toLowerCase() + className.slice(1)];
    return { module: join(root, directory === "index" ? "" : directory, `${file}.js`), inputTypes: join(root, "types", "input.d.ts") };
}

describe("REPLACE_ON_CHANGE", () => {
    // Dynamic providers (pulumi-nodejs:dynamic/...) are this project's own code, with no SDK to read.
    const cases = Object.entries(REPLACE_ON_CHANGE).filter(([type]) => !type.startsWith("pulumi-nodejs:")).map(([type, fields]) => [type, fields] as const);

    it.each(cases)("%s: each field is an input of the SDK's resource", (type, fields) => {
        const { module, inputTypes } = sdkFiles(type);
        const source = readFileSync(module, "utf8");
        expect(source).toContain(`__pulumiType = '${type}'`);
        const inputs = new Set([...source.matchAll(/resourceInputs\["(\w+)"\] = args/g)].map((match) => match[1]));
        for (const field of fields) {
            // "a#" means the list's length; the input is still "a".
            const [top, ...nested] = field.replace(/\[\]|#$/g, "").split(".");
            expect({ field, input: inputs.has(top) }).toEqual({ field, input: true });
            for (const name of nested) {
                const declared = readFileSync(inputTypes, "utf8");
                expect({ field, declared: new RegExp(`\\b${name}\\??:`).test(declared) }).toEqual({ field, declared: true });
            }
        }
        expect(new Set(fields).size).toBe(fields.length);
    });
});

describe("withoutIndices", () => {
    it("drops every list index, at any depth and of any length", () => {
        expect(withoutIndices("disks[0].fileId")).toBe("disks[].fileId");
        expect(withoutIndices("mountPoints[12].volume")).toBe("mountPoints[].volume");
        expect(withoutIndices("a[1].b[23][4]")).toBe("a[].b[][]");
        expect(withoutIndices("memory.dedicated")).toBe("memory.dedicated");
    });
});

describe("replacesOnChange", () => {
    const CONTAINER = "docker:index/container:Container";

    it("matches the field itself and anything inside it", () => {
        expect(replacesOnChange(CONTAINER, "mounts")).toBe(true);
        expect(replacesOnChange(CONTAINER, "mounts[2].readOnly")).toBe(true);
        expect(replacesOnChange("docker:index/network:Network", "ipamConfigs[0].subnet")).toBe(true);
        expect(replacesOnChange("proxmoxve:index/vmLegacy:VmLegacy", "initialization.type")).toBe(true);
        expect(replacesOnChange("docker:index/remoteImage:RemoteImage", "build.context")).toBe(true);
    });

    it("does not match a field that only shares a prefix, nor a parent of a nested field", () => {
        expect(replacesOnChange(CONTAINER, "names")).toBe(false);
        expect(replacesOnChange(CONTAINER, "envsExtra")).toBe(false);
        expect(replacesOnChange("proxmoxve:index/vmLegacy:VmLegacy", "initialization")).toBe(false);
        expect(replacesOnChange("proxmoxve:index/vmLegacy:VmLegacy", "initialization.dns.servers")).toBe(false);
        expect(replacesOnChange("proxmoxve:index/vmLegacy:VmLegacy", "disks[0].size")).toBe(false);
    });

    it("an unknown type replaces on nothing", () => {
        expect(replacesOnChange("some:unknown:Type", "name")).toBe(false);
    });
});
