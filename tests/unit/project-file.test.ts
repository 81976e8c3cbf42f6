// Pulumi.yaml is read by the Pulumi CLI, which validates it against its embedded schema; we check
// the same schema here, plus the rules the CLI enforces in Go that the schema alone cannot express.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../tools/paths";
import { readSchema } from "../helpers/schemas";

const schema = readSchema("pulumi-project/project.json");
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
const project = parse(readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    runtime: { name: string; options: { typescript: boolean } };
    backend: { url: string };
    config?: unknown;
};

describe("Pulumi.yaml", () => {
    it("validates against Pulumi's project schema", () => {
        expect(validate(project)).toBe(true);
        expect(validate.errors ?? []).toEqual([]);
    });

    it("the schema check fails on a broken project file (so the test above can fail)", () => {
        expect(validate({ ...project, runtime: { name: "nodejs", option: {} } })).toBe(false);
        expect(validate({ ...project, config: { "homelab:vm": { type: "strin" } } })).toBe(false);
        expect(validate({ ...project, name: "" })).toBe(false);
    });

    it("is the homelab project on the TypeScript nodejs runtime with a local file backend", () => {
        expect(project.name).toBe("homelab");
        expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true } });
        expect(project.backend.url).toMatch(/^file:\/\//);
    });

    it("declares no project config: the CLI would demand every declared key in every stack", () => {
        // A key declared without a default must then be set in each Pulumi.<stack>.yaml, even when
        // the program treats it as optional (pulumi/pulumi#21797); the schema in code owns the keys.
        expect(project.config).toBeUndefined();
    });
});
