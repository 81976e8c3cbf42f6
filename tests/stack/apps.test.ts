// The apps in the committed prod stack, and what disabling or bumping one app changes.
import { appFolders } from "../../components/apps/directories";
import type { AppKey } from "../../components/apps/directories";
import type { Plan, PlannedResource } from "../../tools/plan/capture";
import { comparePlans, planStack, planStackText, resourcesOfType } from "../helpers/plan";
import { appsOf, committedConfig } from "../helpers/config";
import { editedStackText } from "../helpers/stack-text";
import { vmLayout } from "../../components/proxmox/bootstrap-scripts";

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const NETWORK = "docker:index/network:Network";
const COMMAND = "command:remote:Command";
// NPM's fixed address on the proxy network (172.30.0.0/24): the one the apps trust.
const PROXY_ADDRESS = "172.30.0.2";
const APP_KEYS = { jellyfin: "jellyfin", navidrome: "navidrome", immich: "immich", nextcloud: "nextcloud", "nginx-proxy-manager": "nginxProxyManager" } as const satisfies Record<string, AppKey>;
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
const envOf = (container: PlannedResource) => (container.inputs["envs"] ?? []) as string[];
const commandNamed = (plan: Plan, name: string) => {
    const found = resourcesOfType(plan, COMMAND).find((candidate) => candidate.name === name);
    if (found === undefined) {
        throw new Error(`no command named ${name}`);
    }
    return found;
};
/** One environment value a remote script command passes (NAME='value' on its sudo line). */
const commandVariable = (command: PlannedResource, name: string) => new RegExp(`${name}='([^']*)'`).exec(String(command.inputs["create"]))?.[1];
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
            // A tag with a version number (never latest) AND the digest Docker pulls by.
            expect(image).toMatch(/:[A-Za-z0-9._-]*\d+\.?[A-Za-z0-9._-]*@sha256:[0-9a-f]{64}$/);
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

    test("each app's own image is its version's tag at the digest the stack pins beside it", () => {
        const pinned = committedConfig("prod")["apps"] as Record<string, Record<string, unknown>>;
        const imageNamed = (container: string) => imageOf(plan, containerNamed(plan, container));
        const expected = (repository: string, tag: string, digest: unknown) => `${repository}:${tag}@${String(digest)}`;
        const immichDigests = pinned["immich"]!["imageDigests"] as Record<string, unknown>;
        expect(imageNamed("jellyfin")).toBe(expected("docker.io/jellyfin/jellyfin", "10.11.11", pinned["jellyfin"]!["digest"]));
        expect(imageNamed("navidrome")).toBe(expected("docker.io/deluan/navidrome", "0.63.2", pinned["navidrome"]!["digest"]));
        expect(imageNamed("immich-server")).toBe(expected("ghcr.io/immich-app/immich-server", "v3.2.4", immichDigests["server"]));
        expect(imageNamed("immich-machine-learning")).toBe(expected("ghcr.io/immich-app/immich-machine-learning", "v3.2.4", immichDigests["machineLearning"]));
        expect(imageNamed("nextcloud")).toBe(expected("docker.io/library/nextcloud", "33.0.7-apache", pinned["nextcloud"]!["digest"]));
        expect(imageNamed("nginx-proxy-manager")).toBe(expected("docker.io/jc21/nginx-proxy-manager", "2.15.1", pinned["nginxProxyManager"]!["digest"]));
    });

    test("every image is pulled for the VM's platform", () => {
        for (const image of resourcesOfType(plan, IMAGE)) {
            // keepLocally false: once an upgrade's containers run the new image, the old one is removed.
            expect(image.inputs).toMatchObject({ platform: "linux/amd64", keepLocally: false });
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

    test("each app has its own folders step, listing exactly that app's folders, after the VM's bootstrap", () => {
        const layout = vmLayout("homelab", DATA_MOUNT);
        expect(layout.configRoot).toBe(CONFIG_ROOT);
        const bootstrapLast = resourcesOfType(plan, COMMAND).find((command) => command.name === "homelab-vm-bootstrap-directories")!;
        for (const [label, key] of Object.entries(APP_KEYS)) {
            const folders = commandNamed(plan, `homelab-apps-${label}-folders`);
            const listed = Buffer.from(commandVariable(folders, "FOLDERS_BASE64") ?? "", "base64").toString("utf8");
            expect(listed.split("\n").filter((line) => line !== "")).toEqual(appFolders(layout, key).map((folder) => `${folder.access} ${folder.path} ${folder.owner} ${folder.mode}`));
            expect(commandVariable(folders, "APP")).toBe(label);
            expect(folders.dependencies).toContain(bootstrapLast.urn);
            expect(folders.parent).toBe(plan.resources.find((resource) => resource.name === `homelab-apps-${label}`)!.urn);
        }
        // The VM's own directories step knows the base layout only.
        const bootstrapList = Buffer.from(commandVariable(bootstrapLast, "DIRECTORIES_BASE64") ?? "", "base64").toString("utf8");
        expect(bootstrapList).not.toMatch(/docker\/(jellyfin|navidrome|immich|nextcloud|npm)/);
    });

    test("every bind source is a folder of its app's step, and the container is created after that step", () => {
        const layout = vmLayout("homelab", DATA_MOUNT);
        for (const container of containers()) {
            const label = labelOf(container, "homelab.app") as keyof typeof APP_KEYS;
            const paths = appFolders(layout, APP_KEYS[label]).map((folder) => folder.path);
            for (const mount of mountsOf(container)) {
                expect(paths).toContain(mount.source);
                expect(mount.source).not.toBe(DATA_MOUNT);
            }
            if (mountsOf(container).length > 0) {
                expect(container.dependencies).toContain(commandNamed(plan, `homelab-apps-${label}-folders`).urn);
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
        // DB_PASSWORD; POSTGRES_PASSWORD ×2; POSTGRES_PASSWORD + NEXTCLOUD_ADMIN_PASSWORD; INITIAL_ADMIN_PASSWORD;
        // ND_DEVAUTOCREATEADMINPASSWORD.
        expect(secretsPerContainer).toMatchObject({
            navidrome: 1,
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

    test("exactly the front ends join the proxy network; each app's backend and egress stay its own", () => {
        const onProxy = containers().filter((container) => networksOf(container).includes("proxy")).map((container) => container.inputs["name"]);
        // Not machine learning (an unauthenticated API), not cron (nothing reaches it), not the databases.
        expect(onProxy.sort()).toEqual(["immich-server", "jellyfin", "navidrome", "nextcloud", "nginx-proxy-manager"]);
        expect(networksOf(containerNamed(plan, "immich-machine-learning")).sort()).toEqual(["immich-backend", "immich-egress"]);
        expect(networksOf(containerNamed(plan, "nextcloud-cron")).sort()).toEqual(["nextcloud-backend", "nextcloud-egress"]);
        for (const name of ["immich-egress", "nextcloud-egress"]) {
            // A way out: not internal.
            expect(resourcesOfType(plan, NETWORK).find((network) => network.inputs["name"] === name)?.inputs["internal"]).toBeUndefined();
        }
        for (const container of containers()) {
            const app = labelOf(container, "homelab.app");
            for (const network of networksOf(container).filter((candidate) => candidate.endsWith("-backend") || candidate.endsWith("-egress"))) {
                expect(network.replace(/-(backend|egress)$/, "")).toBe(app);
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

    test("Nginx Proxy Manager has the fixed proxy address, and the apps trust only it", () => {
        const npm = containerNamed(plan, "nginx-proxy-manager");
        expect(npm.inputs["networksAdvanced"]).toEqual([{ name: "proxy", ipv4Address: PROXY_ADDRESS }]);
        for (const name of ["nextcloud", "nextcloud-cron"]) {
            expect(envOf(containerNamed(plan, name))).toContain(`TRUSTED_PROXIES=${PROXY_ADDRESS}`);
        }
        expect(envOf(containerNamed(plan, "immich-server"))).toContain(`IMMICH_TRUSTED_PROXIES=${PROXY_ADDRESS}`);
        expect(commandVariable(commandNamed(plan, "homelab-apps-jellyfin-first-admin"), "KNOWN_PROXY")).toBe(PROXY_ADDRESS);
    });

    test("databases and Valkey get 60 s or more to stop cleanly (Docker's default is 10 s)", () => {
        for (const name of ["immich-postgres", "nextcloud-postgres", "immich-valkey", "nextcloud-redis"]) {
            expect(containerNamed(plan, name).inputs["stopTimeout"]).toBeGreaterThanOrEqual(60);
        }
    });

    test("Immich's Postgres keeps the image's own healthcheck script", () => {
        expect((containerNamed(plan, "immich-postgres").inputs["healthcheck"] as { tests: string[] }).tests).toEqual(["CMD", "/usr/local/bin/healthcheck.sh"]);
    });

    test("Nextcloud: uploads up to the proxy's body limit, and the hook that re-applies the hostname on every start", () => {
        const app = containerNamed(plan, "nextcloud");
        expect(envOf(app)).toEqual(expect.arrayContaining(["PHP_UPLOAD_LIMIT=16G", `APACHE_BODY_LIMIT=${16 * 1024 ** 3}`, "PHP_MEMORY_LIMIT=512M", "HOMELAB_TRUSTED_DOMAIN=cloud.home.arpa"]));
        const uploads = app.inputs["uploads"] as { file: string; content: string; executable: boolean }[];
        expect(uploads).toHaveLength(1);
        expect(uploads[0]).toMatchObject({ file: "/docker-entrypoint-hooks.d/before-starting/10-homelab-trusted-domain.sh", executable: true });
        expect(uploads[0]!.content).toContain("occ config:system:set trusted_domains 1");
    });

    test("Nginx Proxy Manager ignores later changes to INITIAL_ADMIN_*, which act only on an empty database", () => {
        expect(containerNamed(plan, "nginx-proxy-manager").ignoreChanges).toEqual(["envs"]);
        expect(containerNamed(plan, "jellyfin").ignoreChanges).toEqual([]);
    });

    test("first admins: Navidrome's from a generated password, Jellyfin's and Immich's by a step after their containers", () => {
        expect(envOf(containerNamed(plan, "navidrome"))).toContain("[secret]");
        for (const [app, container] of [["jellyfin", "jellyfin"], ["immich", "immich-server"]] as const) {
            const step = commandNamed(plan, `homelab-apps-${app}-first-admin`);
            expect(step.dependencies).toContain(containerNamed(plan, container).urn);
            // The password goes on standard input, never into the logged command text.
            expect(step.inputs["stdin"]).toBe("[secret]");
            expect(String(step.inputs["create"])).not.toMatch(/PASSWORD=/);
        }
        expect(commandVariable(commandNamed(plan, "homelab-apps-immich-first-admin"), "PHOTOS_PATH")).toBe("/mnt/photos");
        expect(plan.outputs["adminCredentials"]).toBe("[secret]");
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
        // "<repository>:<tag>@sha256:<hex>": the tag sits between the last ":" before the "@" and it.
        const tag = (name: string) => imageOf(plan, containerNamed(plan, name)).split("@")[0]!.split(":").pop();
        expect(tag("immich-server")).toBe("v3.2.4");
        // Machine learning at its 2.5 GiB floor or above.
        expect(containerNamed(plan, "immich-machine-learning").inputs["memory"]).toBeGreaterThanOrEqual(2560);
        expect(tag("immich-machine-learning")).toBe(tag("immich-server"));
    });

    test("Immich's database is on the VM disk; uploads and media on the data disk", () => {
        const source = (name: string, target: string) => mountsOf(containerNamed(plan, name)).find((mount) => mount.target === target)?.source ?? "";
        expect(under(source("immich-postgres", "/var/lib/postgresql/data"), CONFIG_ROOT)).toBe(true);
        expect(under(source("immich-postgres", "/var/lib/postgresql/data"), DATA_MOUNT)).toBe(false);
        expect(under(source("nextcloud-postgres", "/var/lib/postgresql/data"), CONFIG_ROOT)).toBe(true);
        // Immich's own upload folder, not the owner's photos, which it reads as an external library.
        expect(source("immich-server", "/data")).toBe(`${DATA_MOUNT}/immich`);
        expect(mountsOf(containerNamed(plan, "immich-server")).find((mount) => mount.target === "/mnt/photos")).toEqual({ type: "bind", source: `${DATA_MOUNT}/photos`, target: "/mnt/photos", readOnly: true });
        // The job queue survives a replaced Valkey.
        expect(under(source("immich-valkey", "/data"), CONFIG_ROOT)).toBe(true);
        // Jellyfin's cache (transcodes) on the data disk: Jellyfin refuses to start with under 2 GiB free there.
        expect(source("jellyfin", "/cache")).toBe(`${DATA_MOUNT}/jellyfin/cache`);
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
        const vmMemory = (resourcesOfType(plan, "proxmoxve:index/vmLegacy:VmLegacy")[0]!.inputs["memory"] as { dedicated: number }).dedicated;
        expect(vmMemory).toBe(10240);
        expect(total).toBeLessThanOrEqual(vmMemory - 1024);
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
            // NPM's admin UI through NPM, and the Proxmox host (tests/stack/names.test.ts has the rest).
            "proxy.home.arpa": VM_ADDRESS,
            "pve.home.arpa": "192.168.1.120",
        });
    });

    // Each case: the component type whose subtree is the app, a version bump with its digests (a
    // version alone is refused: config-apps.test.ts), and the resource names the bump must change
    // (its images and the containers running them). The digests only have to differ: never pulled.
    const BUMPED_DIGEST = `sha256:${"b".repeat(64)}`;
    const CASES = [
        { key: "jellyfin", type: "homelab:apps:Jellyfin", bump: { version: "10.11.12", digest: BUMPED_DIGEST }, changes: ["jellyfin-jellyfin-image", "jellyfin-jellyfin-container"] },
        { key: "navidrome", type: "homelab:apps:Navidrome", bump: { version: "0.63.3", digest: BUMPED_DIGEST }, changes: ["navidrome-navidrome-image", "navidrome-navidrome-container"] },
        // Another release of the table (bumps must stay inside it); the version and digests are all that change.
        {
            key: "immich",
            type: "homelab:apps:Immich",
            bump: { version: "v3.2.2", imageDigests: { server: BUMPED_DIGEST, machineLearning: `sha256:${"c".repeat(64)}` } },
            changes: ["immich-server-image", "immich-server-container", "immich-machine-learning-image", "immich-machine-learning-container"],
        },
        { key: "nextcloud", type: "homelab:apps:Nextcloud", bump: { version: "33.0.8", digest: BUMPED_DIGEST }, changes: ["nextcloud-app-image", "nextcloud-app-container", "nextcloud-cron-container"] },
        { key: "nginxProxyManager", type: "homelab:apps:NginxProxyManager", bump: { version: "2.15.2", digest: BUMPED_DIGEST }, changes: ["nginx-proxy-manager-nginx-proxy-manager-image", "nginx-proxy-manager-nginx-proxy-manager-container"] },
    ] as const;
    const inApp = (urn: string, type: string) => urn.split("::")[2]!.split("$").includes(type);
    const planEdited = (edit: (apps: Record<string, Record<string, unknown>>) => void) =>
        planStackText("prod", editedStackText("prod", (config) => edit(appsOf(config))));

    /** The app's resources and its name's (without NPM: every name and the CA). */
    const appAndItsName = (key: string, type: string) => {
        const site = key === "nginxProxyManager" ? "homelab-names" : `homelab-names-${key}`;
        const namedAfterApp = (resource: PlannedResource) => resource.name === site || resource.name.startsWith(`${site}-`) || (key === "nginxProxyManager" && resource.name.startsWith("homelab-ca"));
        return plan.resources.filter((resource) => inApp(resource.urn, type) || namedAfterApp(resource)).map((resource) => resource.urn);
    };
    const disabledPlans = new Map<string, Promise<Plan>>();
    const planDisabled = (key: string) => {
        if (!disabledPlans.has(key)) {
            disabledPlans.set(key, planEdited((apps) => {
                apps[key]!["enabled"] = false;
            }));
        }
        return disabledPlans.get(key)!;
    };

    /** An app with a database is in the backups' dump list, and its pre-upgrade backup's trigger names its step. */
    const backupChanges = (key: string): string[] => (key === "immich" || key === "nextcloud" ? [`homelab-backups-vm-before-${key}-upgrade`, "homelab-backups-vm-install"] : []);

    test.each(CASES)("disabling $key removes exactly its resources, its folders step included, and changes nothing else", async ({ key, type }) => {
        const { added, removed, changed } = comparePlans(plan, await planDisabled(key));
        expect(added).toEqual([]);
        // The app's folders go with its own step (which never deletes them: the data stays on disk);
        // the VM's bootstrap is not touched. The DNS server stops answering the app's name.
        expect(changed.map((urn) => urn.split("::").pop()).sort()).toEqual(["homelab-dns-config", ...backupChanges(key)].sort());
        const expected = appAndItsName(key, type);
        expect(expected.length).toBeGreaterThan(1);
        expect(expected.map((urn) => urn.split("::").pop())).toContain(`homelab-apps-${type === "homelab:apps:NginxProxyManager" ? "nginx-proxy-manager" : key}-folders`);
        expect(removed.sort()).toEqual(expected.sort());
    });

    test.each(CASES)("adding $key to a stack without it adds exactly its resources and changes nothing else", async ({ key, type }) => {
        const { added, removed, changed } = comparePlans(await planDisabled(key), plan);
        expect(removed).toEqual([]);
        expect(changed.map((urn) => urn.split("::").pop()).sort()).toEqual(["homelab-dns-config", ...backupChanges(key)].sort());
        expect(added.sort()).toEqual(appAndItsName(key, type).sort());
    });

    test.each(CASES)("bumping $key's version changes only its images and containers", async ({ key, bump, changes }) => {
        const bumped = await planEdited((apps) => {
            Object.assign(apps[key]!, bump);
        });
        const { added, removed, changed } = comparePlans(plan, bumped);
        expect(added).toEqual([]);
        expect(removed).toEqual([]);
        expect(changed.map((urn) => urn.split("::").pop()!.replace(/^homelab-apps-/, "")).sort()).toEqual([...changes].sort());
    });
});
