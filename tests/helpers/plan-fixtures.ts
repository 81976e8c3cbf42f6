// Hand-made plans for the plan diff's unit tests: one resource with the options the engine records.
import type { Plan, PlannedResource } from "../../tools/plan/capture";

/** A custom resource of `type` named `name` with `inputs`; every option off unless `extra` sets it. */
export function resource(name: string, type: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource {
    return {
        urn: `urn:pulumi:prod::homelab::${type}::${name}`, type, name, parent: null, provider: null, custom: true,
        dependencies: [], protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], inputs, ...extra,
    };
}

/** A prod plan of `resources`, without outputs. */
export function plan(...resources: PlannedResource[]): Plan {
    return { project: "homelab", stack: "prod", resources, outputs: {} };
}

export const VM = "proxmoxve:index/vmLegacy:VmLegacy";
export const CONTAINER = "docker:index/container:Container";
