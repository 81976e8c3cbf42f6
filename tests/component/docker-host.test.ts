// "Nothing starts before the Docker host's bootstrap": a fake bootstrap resource stands in for the
// VM's, and the plan must show every Docker resource depending on it.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DockerHost } from "../../components/docker/docker-host";
import { dynamicAddressRange, proxyAddress } from "../../components/docker/networks";
import { DockerService } from "../../components/docker/service";
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { capturePlan } from "../../tools/plan/capture";
import { onlyResource, resourceByName, resourcesOfType } from "../helpers/plan";

function planDockerHost(withBootstrap: boolean): Promise<Plan> {
    return capturePlan({
        project: "homelab",
        stack: "component",
        config: {},
        secretKeys: [],
        validate: () => undefined,
        program: () => {
            const bootstrap = new random.RandomString("bootstrap-complete", { length: 8, special: false });
            // As the VM will: the host is only known once the bootstrap has run.
            const host = withBootstrap ? bootstrap.result.apply(() => "ssh://homelab@192.0.2.10") : pulumi.output("ssh://homelab@192.0.2.10");
            const dockerHost = new DockerHost("docker", {
                host,
                dependsOn: withBootstrap ? [bootstrap] : [],
                stack: "component",
                vmShell: { connection: { host: "192.0.2.10", user: "homelab" }, bootstrapId: bootstrap.id },
            });
            new DockerService("web", {
                host: dockerHost,
                app: "web",
                image: "docker.io/library/nginx:1.29.1",
                containerName: "web",
                memoryMiB: 64,
                healthcheck: { tests: ["CMD", "true"], interval: "30s", timeout: "5s", retries: 3, startPeriod: "5s" },
                networks: [dockerHost.proxyNetworkName],
                mounts: [{ source: "/srv/web", target: "/usr/share/nginx/html", readOnly: true }],
                secretEnvironment: { API_TOKEN: pulumi.output("not-for-the-plan") },
            });
            return {};
        },
    });
}

describe("DockerHost", () => {
    let plan: Plan;
    let unguarded: Plan;
    beforeAll(async () => {
        plan = await planDockerHost(true);
        unguarded = await planDockerHost(false);
    });

    const bootstrapUrn = () => onlyResource(plan, "random:index/randomString:RandomString").urn;
    const dockerResources = (from: Plan) => from.resources.filter((resource) => resource.type.startsWith("docker:") || resource.type === "pulumi:providers:docker");

    test("the provider, the network, the image and the container all depend on the bootstrap", () => {
        const resources = dockerResources(plan);
        expect(resources.map((resource) => resource.type).sort()).toEqual([
            "docker:index/container:Container",
            "docker:index/network:Network",
            "docker:index/remoteImage:RemoteImage",
            "pulumi:providers:docker",
        ]);
        for (const resource of resources) {
            expect(resource.dependencies).toContain(bootstrapUrn());
        }
    });

    test("without a bootstrap nothing shows that dependency (the check above can fail)", () => {
        const bootstrap = onlyResource(unguarded, "random:index/randomString:RandomString").urn;
        for (const resource of dockerResources(unguarded)) {
            expect(resource.dependencies).not.toContain(bootstrap);
        }
    });

    test("every Docker resource uses the host's explicit provider", () => {
        const provider = onlyResource(plan, "pulumi:providers:docker");
        expect(provider.inputs["host"]).toBe("ssh://homelab@192.0.2.10");
        expect(JSON.parse(String(provider.inputs["sshOpts"]))).toEqual(["-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=30"]);
        for (const resource of dockerResources(plan).filter((candidate) => candidate.custom && candidate.type !== "pulumi:providers:docker")) {
            expect(resource.provider).toBe(provider.urn);
        }
    });

    test("the proxy network is a named bridge with a fixed subnet, and Docker picks addresses from its upper half only", () => {
        const network = onlyResource(plan, "docker:index/network:Network");
        // The gateway is explicit: Docker reports it after a restart, and a missing one would then
        // read as a changed ipam_config, which replaces the network.
        expect(network.inputs).toMatchObject({ name: "proxy", driver: "bridge" });
        // The proxy's own fixed address (.2, which the apps trust) lies outside the range Docker hands out.
        expect(network.inputs["ipamConfigs"]).toEqual([{ subnet: "172.30.0.0/24", gateway: "172.30.0.1", ipRange: "172.30.0.128/25" }]);
        expect(proxyAddress("172.30.0.0/24")).toBe("172.30.0.2");
        expect(dynamicAddressRange("172.30.0.0/24")).toBe("172.30.0.128/25");
        expect(dynamicAddressRange("10.1.0.0/16")).toBe("10.1.128.0/17");
        expect(() => proxyAddress("172.30.0.0/30")).toThrow(/at most 29/);
    });

    test("a service on the proxy network depends on the network resource", () => {
        const container = onlyResource(plan, "docker:index/container:Container");
        expect(container.dependencies).toContain(onlyResource(plan, "docker:index/network:Network").urn);
    });

    test("the service block carries every guard", () => {
        const container = onlyResource(plan, "docker:index/container:Container");
        const image = onlyResource(plan, "docker:index/remoteImage:RemoteImage");
        // keepLocally false: a superseded image is removed once its replacement is in use.
        expect(image.inputs).toMatchObject({ name: "docker.io/library/nginx:1.29.1", platform: "linux/amd64", keepLocally: false });
        expect(container.deleteBeforeReplace).toBe(true);
        expect(container.inputs).toMatchObject({
            name: "web",
            restart: "unless-stopped",
            // Deleting a container otherwise stops it with a 0 s timeout (SIGKILL).
            destroyGraceSeconds: 60,
            memory: 64,
            networkMode: "bridge",
            networksAdvanced: [{ name: "proxy" }],
            mounts: [{ type: "bind", source: "/srv/web", target: "/usr/share/nginx/html", readOnly: true }],
            labels: [{ label: "homelab.app", value: "web" }, { label: "homelab.stack", value: "component" }],
        });
        expect(container.inputs["volumes"]).toBeUndefined();
        expect(container.inputs["envs"]).toEqual(["[secret]"]);
        expect(JSON.stringify(plan)).not.toContain("not-for-the-plan");
        expect(resourcesOfType(plan, "docker:index/container:Container")).toHaveLength(1);
    });
});

// DockerService's inputs beyond the guards above: defaults, the optional fields, and the secret
// environment lines, which the plan masks and so are read from the container's (mock-echoed) envs
// output with the secret mark taken off.
const HEALTHCHECK = { tests: ["CMD", "true"], interval: "90s", timeout: "5s", retries: 4, startPeriod: "2m" };

function planServices(): Promise<Plan> {
    return capturePlan({
        project: "homelab",
        stack: "component",
        config: {},
        secretKeys: [],
        validate: () => undefined,
        program: () => {
            const host = new DockerHost("docker", {
                host: pulumi.output("ssh://homelab@192.0.2.10"),
                stack: "component",
                vmShell: { connection: { host: "192.0.2.10", user: "homelab" }, bootstrapId: "bootstrap" },
            });
            const full = new DockerService("full", {
                host,
                app: "full",
                image: "docker.io/library/nginx:1.29.1",
                containerName: "full",
                memoryMiB: 128,
                healthcheck: HEALTHCHECK,
                networks: ["proxy", { name: "backend", ipv4Address: "172.31.0.5" }],
                stopTimeoutSeconds: 30,
                files: [{ path: "/etc/app.conf", content: "a = 1\n", executable: false }],
                ignoreChanges: ["envs"],
                mounts: [
                    { source: "/srv/a", target: "/a" },
                    { source: "/srv/b", target: "/b", readOnly: false },
                    { source: "/srv/c", target: "/c", readOnly: true },
                ],
                environment: { ZONE: "1", ALPHA: "2" },
                secretEnvironment: { TOKEN: pulumi.output("t0ken"), API_KEY: "k3y" },
                user: "1000:1000",
                ports: [{ internal: 80, external: 8080, ip: "192.0.2.10" }],
                command: ["serve", "--port", "80"],
                entrypoint: ["/init"],
                sharedMemoryMiB: 256,
                devices: ["/dev/dri/renderD128"],
                groupIds: [44, 993],
            });
            const image = new docker.RemoteImage("shared-image", { name: "docker.io/library/redis:8.2.1" });
            const bare = new DockerService("bare", {
                host,
                app: "bare",
                image,
                containerName: "bare",
                memoryMiB: 64,
                healthcheck: HEALTHCHECK,
                networks: [],
                startAfter: [full],
            });
            return { fullEnvs: pulumi.unsecret(full.container.envs), bareEnvs: bare.container.envs };
        },
    });
}

describe("DockerService inputs", () => {
    let plan: Plan;
    let full: PlannedResource;
    let bare: PlannedResource;
    beforeAll(async () => {
        plan = await planServices();
        full = resourceByName(plan, "full-container");
        bare = resourceByName(plan, "bare-container");
    });

    it("a bind mount is writable unless it says readOnly", () => {
        expect(full.inputs["mounts"]).toEqual([
            { type: "bind", source: "/srv/a", target: "/a", readOnly: false },
            { type: "bind", source: "/srv/b", target: "/b", readOnly: false },
            { type: "bind", source: "/srv/c", target: "/c", readOnly: true },
        ]);
        expect(bare.inputs["mounts"]).toEqual([]);
    });

    it("secret lines are KEY=value, sorted by key, after the plain lines, and secret in the plan", () => {
        expect(plan.outputs["fullEnvs"]).toEqual(["ALPHA=2", "ZONE=1", "API_KEY=k3y", "TOKEN=t0ken"]);
        expect(full.inputs["envs"]).toEqual(["ALPHA=2", "ZONE=1", "[secret]", "[secret]"]);
        expect(JSON.stringify(full.inputs)).not.toMatch(/t0ken|k3y/);
        expect(plan.outputs["bareEnvs"]).toEqual([]);
    });

    it("passes the optional fields through in the provider's shapes", () => {
        expect(full.inputs).toMatchObject({
            user: "1000:1000",
            ports: [{ internal: 80, external: 8080, ip: "192.0.2.10", protocol: "tcp" }],
            command: ["serve", "--port", "80"],
            entrypoints: ["/init"],
            shmSize: 256,
            devices: [{ hostPath: "/dev/dri/renderD128", containerPath: "/dev/dri/renderD128", permissions: "rwm" }],
            groupAdds: ["44", "993"],
            networksAdvanced: [{ name: "proxy" }, { name: "backend", ipv4Address: "172.31.0.5" }],
            stopTimeout: 30,
            uploads: [{ file: "/etc/app.conf", content: "a = 1\n", executable: false }],
            memory: 128,
        });
        // Healthcheck durations in the form the provider reads back, so a preview shows no change.
        expect(full.inputs["healthcheck"]).toEqual({ tests: ["CMD", "true"], interval: "1m30s", timeout: "5s", startPeriod: "2m0s", retries: 4 });
    });

    it("leaves the image's defaults alone when the optional fields are not given", () => {
        for (const key of ["user", "ports", "command", "entrypoints", "shmSize", "devices", "groupAdds", "stopTimeout", "uploads"]) {
            expect({ key, value: bare.inputs[key] }).toEqual({ key, value: undefined });
        }
        expect(bare.inputs["networksAdvanced"]).toEqual([]);
        expect(bare.ignoreChanges).toEqual([]);
        expect(full.ignoreChanges).toEqual(["envs"]);
        // The provider applies a new healthcheck to neither Docker nor the container: only a replace does.
        expect(full.replaceOnChanges).toEqual(["healthcheck"]);
    });

    it("a shared image is used as given, and startAfter orders the containers", () => {
        expect(resourcesOfType(plan, "docker:index/remoteImage:RemoteImage").map((image) => image.name).sort()).toEqual(["full-image", "shared-image"]);
        expect(bare.dependencies).toContain(resourceByName(plan, "shared-image").urn);
        // Depending on a component means depending on its children.
        expect(bare.dependencies).toContain(resourceByName(plan, "full-container").urn);
        expect(full.dependencies).toContain(resourceByName(plan, "full-image").urn);
        expect(full.deleteBeforeReplace).toBe(true);
    });

    it("labels each container with its app and stack", () => {
        expect(bare.inputs["labels"]).toEqual([{ label: "homelab.app", value: "bare" }, { label: "homelab.stack", value: "component" }]);
    });
});
