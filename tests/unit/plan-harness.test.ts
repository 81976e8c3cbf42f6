// The harness behind `npm run plan` and the stack tests: what it captures must be what the engine
// would receive, or every plan-based test is testing the wrong thing.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { capturePlan, readableValue, SECRET_MARK } from "../../tools/plan/capture";
import type { Plan } from "../../tools/plan/capture";
import { renderPlanJson, renderPlanTree } from "../../tools/plan/render";
import { parseStackFile } from "../../tools/plan/stack-file";

class Pair extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:test:Pair", name, {}, opts);
        const first = new random.RandomPassword(`${name}-first`, { length: 12 }, { parent: this, protect: true });
        // Implicit: an input computed from another resource's output.
        new random.RandomPassword(`${name}-implicit`, { length: 8, keepers: { seed: first.result } }, { parent: this, ignoreChanges: ["length"] });
        // Explicit: dependsOn only, no data flowing.
        new random.RandomPassword(`${name}-explicit`, { length: 8 }, { parent: this, dependsOn: [first], deleteBeforeReplace: true, retainOnDelete: true });
        this.registerOutputs({});
    }
}

function planOf(program: () => Record<string, pulumi.Input<unknown>>, validate: () => void = () => undefined): Promise<Plan> {
    return capturePlan({ project: "homelab", stack: "test", config: {}, secretKeys: [], validate, program });
}

describe("capturePlan", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await planOf(() => {
            new Pair("pair");
            return { visible: "yes", hidden: pulumi.secret("no") };
        });
    });

    const byName = (name: string) => plan.resources.find((resource) => resource.name === name)!;

    it("records an implicit dependency (an input from another resource's output)", () => {
        expect(byName("pair-implicit").dependencies).toEqual([byName("pair-first").urn]);
    });

    it("records an explicit dependsOn", () => {
        expect(byName("pair-explicit").dependencies).toEqual([byName("pair-first").urn]);
    });

    it("records a resource with no dependencies as having none", () => {
        expect(byName("pair-first").dependencies).toEqual([]);
    });

    it("records the resource options", () => {
        expect(byName("pair-first")).toMatchObject({ protect: true, deleteBeforeReplace: false, retainOnDelete: false, ignoreChanges: [] });
        expect(byName("pair-implicit")).toMatchObject({ protect: false, ignoreChanges: ["length"] });
        expect(byName("pair-explicit")).toMatchObject({ deleteBeforeReplace: true, retainOnDelete: true });
    });

    it("gives engine-style URNs and parents", () => {
        expect(byName("pair").urn).toBe("urn:pulumi:test::homelab::homelab:test:Pair::pair");
        expect(byName("pair-first").urn).toBe("urn:pulumi:test::homelab::homelab:test:Pair$random:index/randomPassword:RandomPassword::pair-first");
        expect(byName("pair-first").parent).toBe(byName("pair").urn);
        expect(byName("pair").parent).toBe("urn:pulumi:test::homelab::pulumi:pulumi:Stack::homelab-test");
    });

    it("prints secret inputs and outputs as [secret]", () => {
        expect(byName("pair-implicit").inputs["keepers"]).toEqual({ seed: SECRET_MARK });
        expect(plan.outputs).toEqual({ hidden: SECRET_MARK, visible: "yes" });
    });

    it("marks custom resources and components apart", () => {
        expect(byName("pair").custom).toBe(false);
        expect(byName("pair-first").custom).toBe(true);
    });
});

describe("an invalid configuration", () => {
    it("registers nothing: the program never runs", async () => {
        const program = jest.fn(() => ({}));
        await expect(planOf(program, () => {
            throw new Error("bad config");
        })).rejects.toThrow("bad config");
        expect(program).not.toHaveBeenCalled();
    });
});

describe("readableValue", () => {
    it("turns the runtime's wire encodings into readable values with sorted keys", () => {
        const wire = {
            zeta: 1,
            alpha: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" },
            unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            reference: { "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:x", id: "1" },
        };
        const readable = readableValue(wire) as Record<string, unknown>;
        expect(readable).toEqual({ alpha: "[secret]", reference: "urn:x", unknown: "[unknown]", zeta: 1 });
        expect(Object.keys(readable)).toEqual(["alpha", "reference", "unknown", "zeta"]);
    });
});

describe("renderers", () => {
    const plan: Plan = {
        project: "homelab",
        stack: "s",
        outputs: { b: 2, a: 1 },
        resources: [
            { urn: "urn:r", type: "pulumi:pulumi:Stack", name: "homelab-s", parent: null, provider: null, custom: false, dependencies: [], protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], inputs: {} },
            { urn: "urn:c", type: "x:y:Z", name: "child", parent: "urn:r", provider: null, custom: true, dependencies: [], protect: true, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: ["a"], inputs: { z: 1, a: 2 } },
        ],
    };

    it("JSON sorts every object's keys, so the same plan is the same bytes", () => {
        const json = renderPlanJson(plan);
        expect(json.indexOf('"a": 1')).toBeLessThan(json.indexOf('"b": 2'));
        expect(json.indexOf('"a": 2')).toBeLessThan(json.indexOf('"z": 1'));
        expect(Object.keys(JSON.parse(json) as object)).toEqual(["outputs", "project", "resources", "stack"]);
    });

    it("the tree shows children under parents with their options", () => {
        const tree = renderPlanTree(plan).split("\n");
        expect(tree).toContain(" +   pulumi:pulumi:Stack  homelab-s");
        expect(tree).toContain(" +   └─ x:y:Z             child      protect; ignoreChanges: a");
        expect(tree).toContain("    + 2 to create");
    });
});

describe("parseStackFile", () => {
    it("passes values as Pulumi would: objects as JSON, secure values as secret placeholders", () => {
        const parsed = parseStackFile([
            "config:",
            "  homelab:vm: { id: 5, sshPublicKeys: [a] }",
            "  protect: false",
            "  homelab:sshPrivateKey: { secure: v1:abc }",
            "  homelab:wireguard: { peers: [ { name: x, psk: { secure: v1:def } } ] }",
        ].join("\n"), "homelab");
        expect(parsed.config["homelab:vm"]).toBe('{"id":5,"sshPublicKeys":["a"]}');
        expect(parsed.config["homelab:protect"]).toBe("false");
        expect(parsed.config["homelab:sshPrivateKey"]).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
        expect(parsed.config["homelab:wireguard"]).toBe('{"peers":[{"name":"x","psk":"placeholder"}]}');
        // The API token is never committed; the plan stands in for it.
        expect(parsed.config["homelab:proxmoxApiToken"]).toMatch(/^plan@pve!placeholder=/);
        expect(parsed.secretKeys.sort()).toEqual(["homelab:proxmoxApiToken", "homelab:resticPassword", "homelab:sshPrivateKey", "homelab:wireguard"]);
    });
});
