// The post-deploy probe in the committed prod plan: what it runs, what it waits for, and when it
// re-runs. (The network tier runs this very command against the real dnsmasq and nginx.)
import { PostDeployProbe, readProbeScript } from "../../components/probe/post-deploy-probe";
import { shellQuote } from "../../components/wireguard/scripts";
import type { Plan } from "../../tools/plan/capture";
import { comparePlans, planStack, planStackText, resourceByName } from "../helpers/plan";
import { editedStackText } from "../helpers/stack-text";

let plan: Plan;

beforeAll(async () => {
    plan = await planStack("prod");
}, 60_000);

const PROBE = "homelab-probe-run";

function probeUrn(of: Plan): string {
    return resourceByName(of, PROBE).urn;
}

describe("the post-deploy probe in the prod plan", () => {
    it("runs probe.sh byte for byte in the WireGuard container, for every proxy host's URL, through the homelab DNS", () => {
        const create = String(resourceByName(plan, PROBE).inputs["create"]);
        const dnsServer = String(plan.outputs["dnsServer"]);
        expect(dnsServer).toBe("192.168.1.90");
        const urls = plan.outputs["appUrls"] as Record<string, string>;
        const sites = Object.keys(urls).sort().map((app) => shellQuote(`${app}=${urls[app]}`)).join(" ");
        expect(Object.keys(urls)).toHaveLength(5);
        expect(create).toBe(`pct exec 110 -- bash -c ${shellQuote(readProbeScript())} probe 30 5 '${dnsServer}' ${sites}\n`);
    });

    it("verifies against the homelab CA: the CA certificate is its stdin", () => {
        // The plan's mock stands in for the PEM the tls provider makes, naming the resource it came from.
        expect(resourceByName(plan, PROBE).inputs["stdin"]).toMatch(/^\[certificate of homelab-ca-certificate [0-9a-f]+\]$/);
    });

    it("waits for every proxy host, the DNS configuration, every app container and the WireGuard configuration", () => {
        const dependencies = resourceByName(plan, PROBE).dependencies;
        const ofType = (type: string) => plan.resources.filter((resource) => resource.type === type).map((resource) => resource.urn);
        const proxyHosts = plan.resources.filter((resource) => resource.name.endsWith("-proxy-host") && resource.custom).map((resource) => resource.urn);
        const containers = ofType("docker:index/container:Container");
        expect(proxyHosts).toHaveLength(5);
        expect(containers.length).toBeGreaterThanOrEqual(5);
        expect(dependencies).toEqual(expect.arrayContaining([...proxyHosts, ...containers, resourceByName(plan, "homelab-dns-config").urn, resourceByName(plan, "homelab-wireguard-config").urn]));
    });

    it("shows no change when nothing changed, nor for a change off the path to the apps", async () => {
        const again = await planStack("prod");
        expect(comparePlans(plan, again).changed).toEqual([]);
        const moreMemory = await planStackText("prod", editedStackText("prod", (config) => {
            (config["homelab:vm"] as { memoryMiB: number }).memoryMiB = 12288;
        }));
        const { changed } = comparePlans(plan, moreMemory);
        expect(changed.length).toBeGreaterThan(0);
        expect(changed).not.toContain(probeUrn(plan));
    });

    it("re-runs when an app's name changes: its triggers and command name the new URL", async () => {
        const renamed = await planStackText("prod", editedStackText("prod", (config) => {
            (config["homelab:apps"] as Record<string, { hostname: string }>)["immich"]!.hostname = "pictures.home.arpa";
        }));
        expect(comparePlans(plan, renamed).changed).toContain(probeUrn(plan));
        const triggers = JSON.stringify(resourceByName(renamed, PROBE).inputs["triggers"]);
        expect(triggers).toContain("immich=https://pictures.home.arpa");
        expect(triggers).not.toContain("photos.home.arpa");
    });
});

describe("PostDeployProbe's guards", () => {
    const base = { connection: { host: "192.168.1.120" }, containerId: 110, dnsServer: "192.168.1.90", dependsOn: [] };

    it("refuses an empty list and URLs that are not https, naming them", () => {
        expect(() => new PostDeployProbe("probe", { ...base, sites: [] })).toThrow("no sites to probe");
        expect(() => new PostDeployProbe("probe", { ...base, sites: [{ app: "jellyfin", url: "http://jellyfin.home.arpa/" }] })).toThrow("not https URLs: jellyfin=http://jellyfin.home.arpa/");
    });
});
