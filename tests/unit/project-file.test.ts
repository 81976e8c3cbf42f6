// Pulumi.yaml is read by the Pulumi CLI, which validates it against its embedded schema; we check
// the same schema here, plus the rules the CLI enforces in Go that the schema alone cannot express.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { stackConfigSchema } from "../../stacks/config-schema";
import { PROJECT_ROOT } from "../../tools/paths";
import { readSchema } from "../helpers/schemas";

const schema = readSchema("pulumi-project/project.json");
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
const project = parse(readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    runtime: { name: string; options: { typescript: boolean } };
    backend: { url: string };
    config: Record<string, { type: string; default?: unknown; value?: unknown; items?: unknown }>;
};

describe("Pulumi.yaml", () => {
    it("validates against Pulumi's project schema", () => {
        expect(validate(project)).toBe(true);
        expect(validate.errors ?? []).toEqual([]);
    });

    it("the schema check fails on a broken project file (so the test above can fail)", () => {
        expect(validate({ ...project, runtime: { name: "nodejs", option: {} } })).toBe(false);
        expect(validate({ ...project, config: { "homelab:vm": { type: "strin" } } })).toBe(false);
    });

    it("is the homelab project on the TypeScript nodejs runtime with a local file backend", () => {
        expect(project.name).toBe("homelab");
        expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true } });
        expect(project.backend.url).toMatch(/^file:\/\//);
    });

    it("declares exactly the keys the config schema knows, with types and no defaults (those live in code)", () => {
        const declared = Object.keys(project.config).map((key) => key.replace(/^homelab:/, "")).sort();
        expect(declared).toEqual(Object.keys(stackConfigSchema.shape).sort());
        for (const [key, declaration] of Object.entries(project.config)) {
            expect(key.startsWith("homelab:")).toBe(true);
            // The CLI's Go-side rules: no default+value together; arrays need items.
            expect("value" in declaration).toBe(false);
            expect("default" in declaration).toBe(false);
            expect(declaration.type === "array" ? declaration.items : "n/a").toBeDefined();
        }
    });
});
