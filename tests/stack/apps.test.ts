// The apps in the committed prod stack, and what disabling or bumping one app changes.
import { appHostDirectories } from "../../components/apps/directories";
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { comparePlans, planStack, planStackText, resourcesOfType } from "../helpers/plan";
import { appsOf } from "../helpers/config";
import { editedStackText } from "../helpers/stack-text";
import { baseDirectories, vmLayout } from "../../components/proxmox/bootstrap-scripts";

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const NETWORK = "docker:index/network:Network";
// From Pulumi.prod.yaml: vm.address, vm.user's home and dataDisk.mountPoint.
const VM_ADDRESS = "192.168.1.89";
const CONFIG_ROOT = "/home/homelab/docker";
const DATA_MOUNT = "/home/homelab/media";

interface Mount { type: string; source: string; target: string; readOnly: boolean }
interface Port { internal: number; external: number; ip: string }

const labelOf = (container: PlannedResource, label: string) =>
    (container.inputs["labels"] as { label: string; value: string }[]).find((entry) => entry.label === label)?.value;
const containerNamed = (plan: Plan, name: string) => {
    const found = resourcesOfType(plan, CONTAINER).find((container) => container.inputs["name"] === name);
    if (found === undefined) {
        throw new Error(`no container named ${name}`);
    }
    return found;
};
/** The RemoteImage a container runs (its image input is that image's id, a dependency). */
const imageOf = (plan: Plan, container: PlannedResource) => {
    const images = resourcesOfType(plan, IMAGE).filter((image) => container.dependencies.includes(image.urn));
    expect(images).toHaveLength(1);
    return String(images[0]!.inputs["name"]);
};
const mountsOf = (container: PlannedResource) => (container.inputs["mounts"] ?? []) as Mount[];
const networksOf = (container: PlannedResource) => (container.inputs["networksAdvanced"] as { name: string }[]).map((network) => network.name);
const under = (path: string, root: string) => path.startsWith(`${root}/`);

describe("the apps in the prod plan", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await planStack("prod");
    });
    const containers = () => resourcesOfType(plan, CONTAINER);

    test("Immich and Nextcloud have 4 containers, the others 1 each", () => {
        const counts: Record<string, number> = {};
        for (const container of containers()) {
            const app = labelOf(container, "homelab.app") ?? "unlabelled";
            counts[app] = (counts[app] ?? 0) + 1;
        }
        expect(counts).toEqual({ jellyfin: 1, navidrome: 1, immich: 4, nextcloud: 4, "nginx-proxy-manager": 1 });
        for (const container of containers()) {
            expect(labelOf(container, "homelab.stack")).toBe("prod");
        }
    });

    test("every container: pinned image, unless-stopped, healthcheck, memory limit, deleteBeforeReplace, stop grace", () => {
        for (const container of containers()) {
            const image = imageOf(plan, container);
            // A tag with a version number (never latest), optionally followed by a digest.
            expect(image).toMatch(/:[A-Za-z0-9._-]*\d+\.?[A-Za-z0-9._-]*(@sha256:[0-9a-f]{64})?$/);
            expect(image).not.toMatch(/:latest/);
            expect(container.inputs["restart"]).toBe("unless-stopped");
            expect((container.inputs["healthcheck"] as { tests: string[] }).tests.length).toBeGreaterThan(1);
            expect(container.inputs["memory"]).toBeGreaterThan(0);
            expect(container.deleteBeforeReplace).toBe(true);
            // Without it the provider kills the container with no stop timeout at all.
            expect(container.inputs["destroyGraceSeconds"]).toBeGreaterThanOrEqual(30);
        }
    });

    test("healthcheck durations are written as Docker reports them back (\"5m0s\", not \"5m\")", () => {
        // The provider reads them from Docker as Go durations; any other spelling diffs on every preview.
        const goDuration = /^(?:[1-9]\d*h(?:[0-5]?\d)m(?:[0-5]?\d)s|[1-9]\d*m(?:[0-5]?\d)s|(?:[1-5]?\d)s)$/;
        const spelledOtherwise: string[] = [];
        for (const container of containers()) {
            const healthcheck = container.inputs["healthcheck"] as Record<string, unknown>;
            for (const key of ["interval", "timeout", "startPeriod"]) {
                if (!goDuration.test(String(healthcheck[key]))) {
                    spelledOtherwise.push(`${String(container.inputs["name"])} ${key}=${String(healthcheck[key])}`);
                }
            }
        }
        expect(spelledOtherwise).toEqual([]);
    });

    test("every image is pulled for the VM's platform", () => {
        for (const image of resourcesOfType(plan, IMAGE)) {
            expect(image.inputs).toMatchObject({ platform: "linux/amd64", keepLocally: true });
        }
    });

    test("no host-path volumes anywhere: data only through bind mounts", () => {
        for (const container of containers()) {
            expect(container.inputs["volumes"]).toBeUndefined();
            for (const mount of mountsOf(container)) {
                expect(mount.type).toBe("bind");
            }
        }
    });

    test("every bind source is a directory the VM bootstrap creates", () => {
        // What the bootstrap creates: the owner's base layout plus what the apps ask for.
        const layout = vmLayout("homelab", DATA_MOUNT);
        expect(layout.configRoot).toBe(CONFIG_ROOT);
        const created = [...baseDirectories(layout), ...appHostDirectories(layout, { jellyfin: true, navidrome: true, immich: true, nextcloud: true, nginxProxyManager: true })]
            .map((directory) => directory.path);
        for (const container of containers()) {
            for (const mount of mountsOf(container)) {
                expect(created).toContain(mount.source);
                expect(mount.source).not.toBe(DATA_MOUNT);
            }
        }
    });

    test("password-like values are secret: no plain env entry names one, and each holder has its secrets", () => {
        const secretsPerContainer: Record<string, number> = {};
        for (const container of containers()) {
            const envs = (container.inputs["envs"] ?? []) as string[];
            for (const entry of envs.filter((candidate) => candidate !== "[secret]")) {
                expect(entry.split("=")[0]).not.toMatch(/PASSWORD|SECRET|TOKEN|_KEY/);
            }
            secretsPerContainer[String(container.inputs["name"])] = envs.filter((entry) => entry === "[secret]").length;
        }
        // DB_PASSWORD; POSTGRES_PASSWORD ×2; POSTGRES_PASSWORD + NEXTCLOUD_ADMIN_PASSWORD; INITIAL_ADMIN_PASSWORD.
        expect(secretsPerContainer).toMatchObject({
            "immich-server": 1,
            "immich-postgres": 1,
            "nextcloud-postgres": 1,
            nextcloud: 2,
            "nginx-proxy-manager": 1,
        });
        expect(plan.outputs["adminCredentials"]).toBe("[secret]");
    });

    test("only Nginx Proxy Manager publishes ports: 80, 443 and 81 on the VM's address", () => {
        const publishing = containers().filter((container) => ((container.inputs["ports"] ?? []) as Port[]).length > 0);
        expect(publishing.map((container) => container.inputs["name"])).toEqual(["nginx-proxy-manager"]);
        const ports = publishing[0]!.inputs["ports"] as Port[];
        expect(ports.map((port) => port.external).sort((a, b) => a - b)).toEqual([80, 81, 443]);
        for (const port of ports) {
            expect(port.ip).toBe(VM_ADDRESS);
            expect(port.internal).toBe(port.external);
        }
    });

    test("databases and caches sit only on internal networks", () => {
        const internal = new Set(resourcesOfType(plan, NETWORK).filter((network) => network.inputs["internal"] === true).map((network) => String(network.inputs["name"])));
        expect([...internal].sort()).toEqual(["immich-backend", "nextcloud-backend"]);
        for (const name of ["immich-postgres", "immich-valkey", "nextcloud-postgres", "nextcloud-redis"]) {
            const networks = networksOf(containerNamed(plan, name));
            expect(networks.length).toBeGreaterThan(0);
            for (const network of networks) {
                expect(internal.has(network)).toBe(true);
            }
        }
    });

    test("each app's front end joins the proxy network; each app's backend stays its own", () => {
        for (const name of ["jellyfin", "navidrome", "immich-server", "nextcloud", "nginx-proxy-manager"]) {
            expect(networksOf(containerNamed(plan, name))).toContain("proxy");
        }
        for (const container of containers()) {
            const app = labelOf(container, "homelab.app");
            for (const network of networksOf(container).filter((candidate) => candidate.endsWith("-backend"))) {
                expect(network).toBe(`${app}-backend`);
            }
        }
    });

    test("every container depends on each network it joins, the proxy network included", () => {
        // Joining by a plain name carries no dependency: the container could be created before its
        // network, and a destroy could delete the network while containers still use it.
        const networks = resourcesOfType(plan, NETWORK);
        for (const container of containers()) {
            for (const name of networksOf(container)) {
                const network = networks.find((candidate) => candidate.inputs["name"] === name);
                expect(network).toBeDefined();
                expect({ container: container.inputs["name"], network: name, dependsOnIt: container.dependencies.includes(network!.urn) })
                    .toEqual({ container: container.inputs["name"], network: name, dependsOnIt: true });
            }
        }
    });

    test("both Postgres containers size shared_buffers to a quarter of their memory limit", () => {
        for (const name of ["immich-postgres", "nextcloud-postgres"]) {
            const container = containerNamed(plan, name);
            const command = container.inputs["command"] as string[];
            expect(command[0]).toBe("postgres");
            const buffers = Number(/^shared_buffers=(\d+)MB$/.exec(command[command.length - 1] ?? "")?.[1]);
            expect(buffers).toBeGreaterThan(0);
            expect(buffers).toBeLessThanOrEqual(Number(container.inputs["memory"]) / 4);
        }
        // Immich's image preloads VectorChord from its config file: replacing the CMD must keep it.
        expect(containerNamed(plan, "immich-postgres").inputs["command"]).toEqual(
            expect.arrayContaining(["config_file=/etc/postgresql/postgresql.conf"]),
        );
    });

    test("Immich's server and machine learning run the same tag", () => {
        const tag = (name: string) => imageOf(plan, containerNamed(plan, name)).split(":").pop();
        expect(tag("immich-server")).toBe("v3.2.4");
        expect(tag("immich-machine-learning")).toBe(tag("immich-server"));
    });

    test("Immich's database is on the VM disk; uploads and media on the data disk", () => {
        const source = (name: string, target: string) => mountsOf(containerNamed(plan, name)).find((mount) => mount.target === target)?.source ?? "";
        expect(under(source("immich-postgres", "/var/lib/postgresql/data"), CONFIG_ROOT)).toBe(true);
        expect(under(source("immich-postgres", "/var/lib/postgresql/data"), DATA_MOUNT)).toBe(false);
        expect(under(source("nextcloud-postgres", "/var/lib/postgresql/data"), CONFIG_ROOT)).toBe(true);
        expect(under(source("immich-server", "/data"), DATA_MOUNT)).toBe(true);
        expect(under(source("nextcloud", "/data"), DATA_MOUNT)).toBe(true);
        for (const [name, target] of [["jellyfin", "/media/movies"], ["jellyfin", "/media/tv"], ["navidrome", "/music"]] as const) {
            const mount = mountsOf(containerNamed(plan, name)).find((candidate) => candidate.target === target);
            expect(under(mount?.source ?? "", DATA_MOUNT)).toBe(true);
            expect(mount?.readOnly).toBe(true);
        }
    });

    test("Nextcloud's cron shares the app's image and mounts", () => {
        const app = containerNamed(plan, "nextcloud");
        const cron = containerNamed(plan, "nextcloud-cron");
        expect(cron.inputs["image"]).toBe(app.inputs["image"]);
        expect(mountsOf(cron)).toEqual(mountsOf(app));
        expect(cron.inputs["entrypoints"]).toEqual(["/cron.sh"]);
    });

    test("the container limits fit the VM with 1 GiB left for the OS", () => {
        const total = containers().reduce((sum, container) => sum + Number(container.inputs["memory"]), 0);
        expect(total).toBeLessThanOrEqual(8192 - 1024);
    });

    test("every Docker resource goes through the DockerHost's provider", () => {
        const [provider] = resourcesOfType(plan, "pulumi:providers:docker");
        expect(resourcesOfType(plan, "pulumi:providers:docker")).toHaveLength(1);
        for (const resource of plan.resources.filter((candidate) => candidate.type.startsWith("docker:"))) {
            expect(resource.provider).toBe(provider!.urn);
        }
    });

    test("outputs: upstreams, the admin URL and the DNS records for the owner", () => {
        expect(plan.outputs["appUpstreams"]).toEqual({ jellyfin: "jellyfin:8096", navidrome: "navidrome:4533", immich: "immich-server:2283", nextcloud: "nextcloud:80" });
        expect(plan.outputs["proxyAdminUrl"]).toBe(`http://${VM_ADDRESS}:81`);
        expect(plan.outputs["dnsRecords"]).toEqual({
            "cloud.home.arpa": VM_ADDRESS,
            "jellyfin.home.arpa": VM_ADDRESS,
            "music.home.arpa": VM_ADDRESS,
            "photos.home.arpa": VM_ADDRESS,
        });
    });

    // Each case: the component type whose subtree is the app, a version bump, and the resource
    // names the bump must change (its images and the containers running them).
    const CASES = [
        { key: "jellyfin", type: "homelab:apps:Jellyfin", bump: "10.11.12", changes: ["jellyfin-jellyfin-image", "jellyfin-jellyfin-container"] },
        { key: "navidrome", type: "homelab:apps:Navidrome", bump: "0.63.3", changes: ["navidrome-navidrome-image", "navidrome-navidrome-container"] },
        { key: "immich", type: "homelab:apps:Immich", bump: "v3.2.5", changes: ["immich-server-image", "immich-server-container", "immich-machine-learning-image", "immich-machine-learning-container"] },
        { key: "nextcloud", type: "homelab:apps:Nextcloud", bump: "33.0.8", changes: ["nextcloud-app-image", "nextcloud-app-container", "nextcloud-cron-container"] },
        { key: "nginxProxyManager", type: "homelab:apps:NginxProxyManager", bump: "2.15.2", changes: ["nginx-proxy-manager-nginx-proxy-manager-image", "nginx-proxy-manager-nginx-proxy-manager-container"] },
    ] as const;
    const inApp = (urn: string, type: string) => urn.split("::")[2]!.split("$").includes(type);
    const planEdited = (edit: (apps: Record<string, Record<string, unknown>>) => void) =>
        planStackText("prod", editedStackText("prod", (config) => edit(appsOf(config))));

    test.each(CASES)("disabling $key removes exactly its resources", async ({ key, type }) => {
        const disabled = await planEdited((apps) => {
            apps[key]!["enabled"] = false;
        });
        const { added, removed, changed } = comparePlans(plan, disabled);
        expect(added).toEqual([]);
        // The VM's directories step gets the shorter folder list; it never deletes folders, so the
        // app's data stays on disk. The post-deploy probe checks the apps that are left.
        expect(changed.map((urn) => urn.split("::").pop())).toEqual(["homelab-probe-run", "homelab-vm-bootstrap-directories"]);
        const expected = plan.resources.filter((resource) => inApp(resource.urn, type)).map((resource) => resource.urn);
        expect(expected.length).toBeGreaterThan(1);
        expect(removed.sort()).toEqual(expected.sort());
    });

    test.each(CASES)("bumping $key's version changes only its images and containers", async ({ key, bump, changes }) => {
        const bumped = await planEdited((apps) => {
            apps[key]!["version"] = bump;
        });
        const { added, removed, changed } = comparePlans(plan, bumped);
        expect(added).toEqual([]);
        expect(removed).toEqual([]);
        // The post-deploy probe re-runs against the new version.
        expect(changed.map((urn) => urn.split("::").pop()!.replace(/^homelab-apps-/, "")).sort()).toEqual([...changes, "homelab-probe-run"].sort());
    });
});
