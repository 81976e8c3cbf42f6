// What the bridged docker provider (kreuzwerker/terraform-provider-docker v4.5.0, the upstream
// submodule of pulumi-docker) does with a changed healthcheck, encoded against the prod plan.
import type { Plan } from "../../tools/plan/capture";
import { diffPlans, renderDiffMarkdown } from "../../tools/plan/diff";
import { replacesOnChange } from "../../tools/plan/replace-table";
import { planStack, resourcesOfType } from "../helpers/plan";

const CONTAINER = "docker:index/container:Container";

let prod: Plan;

beforeAll(async () => {
    prod = await planStack("prod");
});

describe("docker Container: a changed healthcheck", () => {
    // internal/provider/resource_docker_container.go resourceDockerContainer(): `healthcheck` is
    // Optional+Computed without ForceNew, and resource_docker_container_funcs.go
    // resourceDockerContainerUpdate only applies restart, memory, cpu and blkio limits: a new
    // healthcheck is written to the state and never reaches Docker.
    it("is not a replacement by the provider's own schema", () => {
        expect(replacesOnChange(CONTAINER, "healthcheck.interval")).toBe(false);
    });

    it("every container is replaced on a healthcheck change (replaceOnChanges), with its fixed name removed first", () => {
        const containers = resourcesOfType(prod, CONTAINER);
        expect(containers.length).toBeGreaterThan(4);
        for (const container of containers) {
            expect({ name: container.name, replaceOnChanges: container.replaceOnChanges, deleteBeforeReplace: container.deleteBeforeReplace })
                .toEqual({ name: container.name, replaceOnChanges: ["healthcheck"], deleteBeforeReplace: true });
        }
    });

    // resource_docker_container_funcs.go resourceDockerContainerRead writes the healthcheck back
    // with Go's time.Duration.String(): "5m" in the program against "5m0s" in the state would be a
    // change on every up, and with replaceOnChanges a replacement on every up.
    it("every healthcheck duration is written as Go's Duration.String() prints it, so nothing diffs after a refresh", () => {
        const GO_DURATION = /^(?:[1-9]\d*h(?:\d|[1-5]\d)m(?:\d|[1-5]\d)s|(?:[1-9]|[1-5]\d)m(?:\d|[1-5]\d)s|(?:\d|[1-5]\d)s)$/;
        const durations = resourcesOfType(prod, CONTAINER).flatMap((container) => {
            const healthcheck = container.inputs["healthcheck"] as Record<string, unknown>;
            return ["interval", "timeout", "startPeriod"].map((key) => `${container.name}.${key}=${String(healthcheck[key])}`);
        });
        expect(durations.filter((entry) => !GO_DURATION.test(entry.split("=")[1]!))).toEqual([]);
        expect(["1h0m0s", "1m30s", "5m0s", "30s", "0s"].every((text) => GO_DURATION.test(text))).toBe(true);
        expect(["5m", "90s", "1h", "01m0s"].some((text) => GO_DURATION.test(text))).toBe(false);
    });

    it("the plan diff shows a healthcheck change as a replacement", () => {
        const container = resourcesOfType(prod, CONTAINER)[0]!;
        const edited: Plan = {
            ...prod,
            resources: prod.resources.map((resource) =>
                resource.urn === container.urn
                    ? { ...resource, inputs: { ...resource.inputs, healthcheck: { ...(resource.inputs["healthcheck"] as object), retries: 9 } } }
                    : resource,
            ),
        };
        const diff = diffPlans(prod, edited);
        expect(diff.changed).toEqual([expect.objectContaining({ urn: container.urn, replace: true, replaceKeys: ["healthcheck.retries"] })]);
        expect(renderDiffMarkdown(diff)).toContain("`healthcheck.retries` (replaces)");
    });
});
