// Plan diffs over real variations of the prod stack: each names exactly the resources and keys a
// reviewer needs to see, and a first-boot change is flagged as replacing the protected VM.
import type { Plan } from "../../tools/plan/capture";
import { diffPlans, renderDiffMarkdown, touchesProtected } from "../../tools/plan/diff";
import type { PlanDiff } from "../../tools/plan/diff";
import { planStack, planStackText } from "../helpers/plan";
import { editedStackText } from "../helpers/stack-text";

type Config = Record<string, unknown>;
const section = (config: Config, key: string) => config[`homelab:${key}`] as Record<string, unknown>;
const apps = (config: Config) => section(config, "apps") as Record<string, Record<string, unknown>>;

const EDITS = {
    appVersionBump: (config: Config) => {
        // A version moves with its digest (config-rules-apps.ts); this one only has to differ.
        Object.assign(apps(config)["navidrome"]!, { version: "0.63.3", digest: `sha256:${"b".repeat(64)}` });
    },
    newPeer: (config: Config) => {
        (section(config, "wireguard")["peers"] as unknown[]).push({ name: "tablet" });
    },
    vmMemory: (config: Config) => {
        section(config, "vm")["memoryMiB"] = 12288;
    },
    disabledApp: (config: Config) => {
        apps(config)["jellyfin"]!["enabled"] = false;
    },
    firstBootChange: (config: Config) => {
        (section(config, "vm")["sshPublicKeys"] as string[]).push("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwnerSecondKey second@laptop");
    },
};

let base: Plan;
const diffs = {} as Record<keyof typeof EDITS, PlanDiff>;
const texts = {} as Record<keyof typeof EDITS, string>;

beforeAll(async () => {
    base = await planStack("prod");
    for (const [name, edit] of Object.entries(EDITS) as [keyof typeof EDITS, (config: Config) => void][]) {
        texts[name] = editedStackText("prod", edit);
        diffs[name] = diffPlans(base, await planStackText("prod", texts[name]));
    }
});

const names = (diff: PlanDiff) => ({
    added: diff.added.map((resource) => resource.name).sort(),
    removed: diff.removed.map((resource) => resource.name).sort(),
    changed: Object.fromEntries(diff.changed.map((change) => [change.name, { keys: change.keys, replace: change.replace, protected: change.protectedViolation }])),
});

describe("plan diffs of the prod stack", () => {
    it("an app version bump replaces that app's image and container, nothing else", () => {
        expect(names(diffs.appVersionBump)).toEqual({
            added: [],
            removed: [],
            changed: {
                "homelab-apps-navidrome-navidrome-image": { keys: ["name"], replace: true, protected: false },
                // The container runs the new image's id, which the provider replaces on.
                "homelab-apps-navidrome-navidrome-container": { keys: ["image"], replace: true, protected: false },
                // The post-deploy probe re-runs (a replacement of a command) for the new version.
                "homelab-probe-run": { keys: ["triggers[11]"], replace: true, protected: false },
            },
        });
        expect(touchesProtected(diffs.appVersionBump)).toBe(false);
    });

    it("a new peer adds its keys and updates the server config in place", () => {
        expect(names(diffs.newPeer)).toEqual({
            added: ["homelab-wireguard-peer-tablet", "homelab-wireguard-peer-tablet-preshared-key", "homelab-wireguard-peer-tablet-private-key"],
            removed: [],
            changed: { "homelab-wireguard-config": { keys: ["create"], replace: false, protected: false } },
        });
    });

    it("more VM memory updates the protected VM in place: no replacement, nothing PROTECTED", () => {
        const changed = names(diffs.vmMemory).changed;
        expect(changed["homelab-vm-vm"]).toEqual({ keys: ["memory.dedicated", "memory.floating"], replace: false, protected: false });
        expect(touchesProtected(diffs.vmMemory)).toBe(false);
    });

    it("a disabled app removes that app's resources, its folders and first-admin steps included, and nothing else", () => {
        const diff = names(diffs.disabledApp);
        expect(diff.added).toEqual([]);
        expect(diff.removed).toEqual([
            "homelab-apps-jellyfin",
            "homelab-apps-jellyfin-admin-password",
            "homelab-apps-jellyfin-first-admin",
            "homelab-apps-jellyfin-folders",
            "homelab-apps-jellyfin-jellyfin",
            "homelab-apps-jellyfin-jellyfin-container",
            "homelab-apps-jellyfin-jellyfin-image",
            "homelab-names-jellyfin",
            "homelab-names-jellyfin-certificate",
            "homelab-names-jellyfin-proxy-host",
            "homelab-names-jellyfin-tls",
            "homelab-names-jellyfin-tls-certificate",
            "homelab-names-jellyfin-tls-key",
            "homelab-names-jellyfin-tls-request",
        ]);
        // The VM's bootstrap knows only the base layout: it is not touched. The DNS answer goes, and the
        // post-deploy probe no longer checks jellyfin and re-runs for the others.
        expect(diff.changed).toEqual({
            "homelab-dns-config": { keys: ["create", "stdin"], replace: false, protected: false },
            "homelab-probe-run": { keys: ["create", "triggers"], replace: true, protected: false },
        });
    });

    it("a first-boot change replaces the snippet and the protected VM, marked PROTECTED", () => {
        const diff = names(diffs.firstBootChange);
        expect(diff.changed["homelab-vm-user-data"]).toMatchObject({ replace: true, protected: false });
        expect(diff.changed["homelab-vm-vm"]).toEqual({ keys: ["initialization.userDataFileId"], replace: true, protected: true });
        expect(touchesProtected(diffs.firstBootChange)).toBe(true);
        expect(renderDiffMarkdown(diffs.firstBootChange)).toMatch(/\| \+- replace \*\*PROTECTED\*\* \| `homelab-vm-vm` \| .*`initialization\.userDataFileId` \(replaces\)/);
    });
});
