// Small readers over a Plan, shared by the stack and component tests.
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import type * as Harness from "../../tools/plan/harness";
import { cachedPlan } from "./plan-cache";
import { committedStackText } from "./stack-text";

/** The plan of a committed stack (or of `configFile`), evaluated once per test run. */
export function planStack(stack: string, configFile?: string): Promise<Plan> {
    return configFile === undefined
        ? cachedPlan(stack, committedStackText(stack), async () => (await harness()).planStack(stack))
        : harness().then((loaded) => loaded.planStack(stack, configFile));
}

/** The plan of a variation of a stack file's text, evaluated once per test run. */
export function planStackText(stack: string, text: string): Promise<Plan> {
    return cachedPlan(stack, text, async () => (await harness()).planStackText(stack, text));
}

/** The program and the SDKs load only when a plan is not in this run's cache yet (about a second a file). */
function harness(): Promise<typeof Harness> {
    return import("../../tools/plan/harness");
}

/** Every resource of a type, e.g. "proxmoxve:index/vmLegacy:VmLegacy". */
export function resourcesOfType(plan: Plan, type: string): PlannedResource[] {
    return plan.resources.filter((resource) => resource.type === type);
}

/** The one resource of a type (and name, when given); fails the test when there is not exactly one. */
export function onlyResource(plan: Plan, type: string, name?: string): PlannedResource {
    const matches = resourcesOfType(plan, type).filter((resource) => name === undefined || resource.name === name);
    if (matches.length !== 1) {
        throw new Error(`expected exactly one ${type}${name === undefined ? "" : ` named ${name}`}, found ${matches.length}: ${matches.map((resource) => resource.name).join(", ")}`);
    }
    return matches[0]!;
}

export function resourceByName(plan: Plan, name: string): PlannedResource {
    const found = plan.resources.find((resource) => resource.name === name);
    if (found === undefined) {
        throw new Error(`no resource named ${name}; names: ${plan.resources.map((resource) => resource.name).join(", ")}`);
    }
    return found;
}

export { committedStackText };

/** URNs added, removed and present in both plans with different inputs or options. */
export function comparePlans(before: Plan, after: Plan): { added: string[]; removed: string[]; changed: string[] } {
    const index = (plan: Plan) => new Map(plan.resources.map((resource) => [resource.urn, JSON.stringify(resource)]));
    const first = index(before);
    const second = index(after);
    return {
        added: [...second.keys()].filter((urn) => !first.has(urn)),
        removed: [...first.keys()].filter((urn) => !second.has(urn)),
        changed: [...second.keys()].filter((urn) => first.has(urn) && first.get(urn) !== second.get(urn)),
    };
}
