// The rules of config-rules-{proxmox,backups,names,apps}.ts called directly on the parsed prod stack,
// edited: each rule first refused on bad input, then the boundary it draws, then the broken shapes
// it meets when the schema has already failed (a missing, null or mistyped section must yield no
// problem of the rule's own, never a TypeError that hides the schema's problem list).
import { appsRules } from "../../stacks/config-rules-apps";
import { backupRules } from "../../stacks/config-rules-backups";
import { namesProblems } from "../../stacks/config-rules-names";
import { hostSshUserRule } from "../../stacks/config-rules-proxmox";
import type { ConfigProblem } from "../../stacks/config-rules";
import { DEFAULT_IMAGE_DIGESTS } from "../../stacks/config-schema-images";
import { committedConfig, parseValues } from "../helpers/config";

type Mutable = Record<string, unknown>;

let prod: Mutable;
beforeAll(() => {
    prod = structuredClone(parseValues(committedConfig("prod")));
});

/** A deep copy of the parsed prod stack with `edit` applied. */
function prodWith(edit: (config: Mutable) => void = () => undefined): Mutable {
    const config = structuredClone(prod);
    edit(config);
    return config;
}

function part(config: Mutable, ...path: string[]): Mutable {
    return path.reduce<Mutable>((current, key) => current[key] as Mutable, config);
}

const keys = (problems: readonly ConfigProblem[]) => problems.map((problem) => problem.key);

/** What a section can be once the schema refused it: missing, null, or any other type. */
const BROKEN: readonly unknown[] = [undefined, null, 0, "text", true, false, [], [null], {}];

/** Sets `path` (creating nothing: every parent exists in the prod stack) to `value`, or deletes it for undefined. */
function setAt(config: Mutable, path: readonly string[], value: unknown): void {
    const parent = part(config, ...path.slice(0, -1));
    if (value === undefined) {
        delete parent[path[path.length - 1]!];
    } else {
        parent[path[path.length - 1]!] = value;
    }
}

describe("proxmox.ssh.username (config-rules-proxmox.ts)", () => {
    const withUser = (username: unknown, wireguard?: unknown) => prodWith((config) => {
        part(config, "proxmox", "ssh")["username"] = username;
        if (wireguard !== undefined) {
            config["wireguard"] = wireguard;
        }
    });

    it("refuses another user than root while WireGuard runs, naming the user and both ways out", () => {
        expect(hostSshUserRule(prodWith())).toEqual([]);
        const problems = hostSshUserRule(withUser("pulumi"));
        expect(keys(problems)).toEqual(["proxmox.ssh.username"]);
        expect(problems[0]!.message).toMatch(/^pulumi cannot run the WireGuard server's host commands: `pct exec` and `modprobe` .* \(root, or homelab:wireguard\.enabled: false\)$/);
    });

    it("WireGuard counts as running unless enabled is false (the schema's default is on)", () => {
        expect(keys(hostSshUserRule(withUser("pulumi", { enabled: true })))).toEqual(["proxmox.ssh.username"]);
        expect(keys(hostSshUserRule(withUser("pulumi", {})))).toEqual(["proxmox.ssh.username"]);
        expect(hostSshUserRule(withUser("pulumi", { enabled: false }))).toEqual([]);
    });

    it.each(["proxmox", "proxmox.ssh", "proxmox.ssh.username"])("%s of any broken shape is skipped", (dotted) => {
        const path = dotted.split(".");
        // "text" at the username is a user name; everywhere else it is a broken section.
        for (const value of BROKEN.filter((broken) => path.length < 3 || typeof broken !== "string")) {
            const config = withUser("pulumi");
            setAt(config, path, value);
            expect({ value, problems: hostSshUserRule(config) }).toEqual({ value, problems: [] });
        }
    });

    it("a broken wireguard section does not say enabled: false, so the user is still refused", () => {
        for (const value of BROKEN) {
            const config = withUser("pulumi");
            setAt(config, ["wireguard"], value);
            expect({ value, problems: keys(hostSshUserRule(config)) }).toEqual({ value, problems: ["proxmox.ssh.username"] });
        }
    });
});

describe("homelab:backups (config-rules-backups.ts)", () => {
    const backups = (config: Mutable) => part(config, "backups");

    it("the committed prod stack, with a job, a retention and a repository, has no backups problem", () => {
        expect(backupRules(prodWith())).toEqual([]);
    });

    it("a datastore without a schedule is refused at the schedule, naming the datastore", () => {
        const problems = backupRules(prodWith((config) => delete backups(config)["schedule"]));
        expect(keys(problems)).toEqual(["backups.schedule"]);
        expect(problems[0]!.message).toMatch(/^is missing while homelab:backups\.datastore is backup \(.*a calendar event such as "01:30".*\)$/);
    });

    it("a schedule without a datastore is refused at the datastore, naming the schedule", () => {
        const problems = backupRules(prodWith((config) => delete backups(config)["datastore"]));
        expect(keys(problems)).toEqual(["backups.datastore"]);
        expect(problems[0]!.message).toMatch(/^is missing while homelab:backups\.schedule is "01:30" \(a Proxmox datastore .*\)$/);
    });

    it("neither is no vzdump job, and accepted", () => {
        expect(backupRules(prodWith((config) => {
            delete backups(config)["datastore"];
            delete backups(config)["schedule"];
        }))).toEqual([]);
    });

    it.each(["datastore", "schedule"])("a %s of the wrong type is the schema's problem alone: the other key is not reported missing", (key) => {
        for (const value of [null, 0, 7, true, [], ["backup"], {}]) {
            const config = prodWith((edited) => {
                backups(edited)[key] = value;
            });
            expect({ value, problems: backupRules(config) }).toEqual({ value, problems: [] });
        }
    });

    it("a retention that keeps nothing is refused; any one count above 0 keeps something", () => {
        const withRetention = (retention: unknown) => backupRules(prodWith((config) => {
            backups(config)["retention"] = retention;
        }));
        expect(withRetention({ daily: 0, weekly: 0, monthly: 0 })).toEqual([{ key: "backups.retention", message: "keeps nothing: daily, weekly and monthly are all 0 (at least one of them above 0)" }]);
        expect(withRetention({ daily: 1, weekly: 0, monthly: 0 })).toEqual([]);
        expect(withRetention({ daily: 0, weekly: 1, monthly: 0 })).toEqual([]);
        expect(withRetention({ daily: 0, weekly: 0, monthly: 1 })).toEqual([]);
    });

    it("a retention the schema refused is not judged", () => {
        for (const retention of [...BROKEN, { daily: "0", weekly: 0, monthly: 0 }, { daily: 0, weekly: null, monthly: 0 }, { daily: 0, weekly: 0 }]) {
            const config = prodWith((edited) => {
                backups(edited)["retention"] = retention;
            });
            expect({ retention, problems: backupRules(config) }).toEqual({ retention, problems: [] });
        }
    });

    it("a repository needs its password; without a repository none is needed", () => {
        const problems = backupRules(prodWith((config) => delete config["resticPassword"]));
        expect(keys(problems)).toEqual(["resticPassword"]);
        expect(problems[0]!.message).toMatch(/^is missing while homelab:backups\.repository is set \(.*config set --secret resticPassword.*\)$/);
        expect(backupRules(prodWith((config) => {
            delete config["resticPassword"];
            delete backups(config)["repository"];
        }))).toEqual([]);
    });

    it("only an absent password is missing: one of another type is not reported again", () => {
        // parseStackConfig hands secrets over as text; the rules take any value and skip a mistyped one.
        for (const value of [null, 12345678, true, [], {}]) {
            const config = prodWith((edited) => {
                edited["resticPassword"] = value;
            });
            expect({ value, problems: backupRules(config) }).toEqual({ value, problems: [] });
        }
    });

    /** The backups problems' keys with a local repository at `repository` and the data disk at `mountPoint`. */
    const onDataDisk = (repository: string, mountPoint: unknown) => keys(backupRules(prodWith((config) => {
        backups(config)["repository"] = repository;
        part(config, "dataDisk")["mountPoint"] = mountPoint;
    })));

    it("a local repository on the data disk, at it, or holding it is refused, naming both paths", () => {
        const problems = backupRules(prodWith((config) => {
            backups(config)["repository"] = "/home/homelab/media/restic";
        }));
        expect(problems).toEqual([{ key: "backups.repository", message: "/home/homelab/media/restic is on the data disk it backs up (/home/homelab/media) (a path on another disk, or sftp:, rest: or s3:)" }]);
        expect(onDataDisk("/home/homelab/media", "/home/homelab/media")).toEqual(["backups.repository"]);
        expect(onDataDisk("/home/homelab", "/home/homelab/media")).toEqual(["backups.repository"]);
        // Trailing slashes do not hide it, in either direction.
        expect(onDataDisk("/mnt/data//", "/mnt/data/media")).toEqual(["backups.repository"]);
        expect(onDataDisk("/mnt/data/media/restic", "/mnt/data/media//")).toEqual(["backups.repository"]);
    });

    it("a local repository beside the data disk is accepted, even when its name starts like the mount point", () => {
        expect(onDataDisk("/home/homelab/media2/restic", "/home/homelab/media")).toEqual([]);
        expect(onDataDisk("/home/homelab/med", "/home/homelab/media")).toEqual([]);
        expect(onDataDisk("/mnt/backup/restic", "/home/homelab/media")).toEqual([]);
    });

    it("a relative or empty path (which the schema refuses) is not compared", () => {
        // "" would be an ancestor of every absolute path once its trailing slashes are stripped.
        expect(onDataDisk("", "/home/homelab/media")).toEqual([]);
        expect(onDataDisk("/home/homelab/media/restic", "")).toEqual([]);
        expect(onDataDisk("home/homelab/media", "home/homelab/media")).toEqual([]);
        expect(onDataDisk("sftp:nas:/home/homelab/media", "/home/homelab/media")).toEqual([]);
    });

    it("a data disk of any broken shape skips the comparison, but not the password", () => {
        for (const value of BROKEN) {
            for (const path of [["dataDisk"], ["dataDisk", "mountPoint"]]) {
                const config = prodWith((edited) => {
                    backups(edited)["repository"] = "/home/homelab/media/restic";
                    delete edited["resticPassword"];
                });
                setAt(config, path, value);
                expect({ path, value, problems: keys(backupRules(config)) }).toEqual({ path, value, problems: ["resticPassword"] });
            }
        }
    });

    it("a backups section of any broken shape yields no backups problem", () => {
        for (const value of BROKEN) {
            const config = prodWith((edited) => delete edited["resticPassword"]);
            setAt(config, ["backups"], value);
            expect({ value, problems: backupRules(config) }).toEqual({ value, problems: [] });
        }
        expect(backupRules(undefined)).toEqual([]);
        expect(backupRules(null)).toEqual([]);
    });
});

describe("names and certificates (config-rules-names.ts)", () => {
    const LETS_ENCRYPT = { mode: "letsencrypt-dns", domain: "home.example.net", dnsProvider: "cloudflare" };
    /** prod with Let's Encrypt for home.example.net, every served name under it. */
    const letsEncrypt = (edit: (config: Mutable) => void = () => undefined) => prodWith((config) => {
        config["tls"] = { ...LETS_ENCRYPT };
        config["tlsDnsCredentials"] = "dns_cloudflare_api_token = abc";
        for (const [app, label] of Object.entries({ jellyfin: "jellyfin", navidrome: "music", immich: "photos", nextcloud: "cloud" })) {
            part(config, "apps", app)["hostname"] = `${label}.home.example.net`;
        }
        part(config, "names")["proxyAdmin"] = "proxy.home.example.net";
        edit(config);
    });
    const extraHost = (hostname: unknown, forwardHost: unknown = "192.168.1.50") => ({ hostname, forwardHost, forwardPort: 8123, forwardScheme: "http", websockets: false });

    it("the committed prod stack has no names problem, and neither has Let's Encrypt with every name under the domain", () => {
        expect(namesProblems(prodWith())).toEqual([]);
        expect(namesProblems(letsEncrypt())).toEqual([]);
    });

    it("a name an app and another key share is refused at the later key, naming the first", () => {
        const problems = namesProblems(prodWith((config) => {
            part(config, "names")["extraHosts"] = [extraHost("music.home.arpa")];
        }));
        expect(problems).toEqual([{ key: "names.extraHosts[0].hostname", message: '"music.home.arpa" is already homelab:apps.navidrome.hostname (a name of its own: each name gets one DNS answer, one proxy host and one certificate)' }]);
        expect(keys(namesProblems(prodWith((config) => {
            part(config, "names")["proxmox"] = "cloud.home.arpa";
        })))).toEqual(["names.proxmox"]);
    });

    it("two extra hosts sharing a name are refused at the second, with its index", () => {
        const problems = namesProblems(prodWith((config) => {
            part(config, "names")["extraHosts"] = [extraHost("printer.home.arpa"), extraHost("router.home.arpa"), extraHost("printer.home.arpa")];
        }));
        expect(problems).toEqual([{ key: "names.extraHosts[2].hostname", message: expect.stringMatching(/^"printer\.home\.arpa" is already homelab:names\.extraHosts\[0\]\.hostname \(/) as string }]);
    });

    it("two apps sharing a name are left to config-rules.ts, which names both apps", () => {
        expect(namesProblems(prodWith((config) => {
            part(config, "apps", "jellyfin")["hostname"] = "music.home.arpa";
        }))).toEqual([]);
    });

    it("a disabled app's name, and NPM's admin name while NPM is off, are free for another key", () => {
        expect(namesProblems(prodWith((config) => {
            part(config, "apps", "navidrome")["enabled"] = false;
            part(config, "names")["extraHosts"] = [extraHost("music.home.arpa")];
        }))).toEqual([]);
        expect(namesProblems(prodWith((config) => {
            part(config, "apps", "nginxProxyManager")["enabled"] = false;
            part(config, "names")["proxmox"] = "proxy.home.arpa";
        }))).toEqual([]);
        // With NPM on, the same name is its admin UI's.
        expect(keys(namesProblems(prodWith((config) => {
            part(config, "names")["proxmox"] = "proxy.home.arpa";
        })))).toEqual(["names.proxmox"]);
    });

    it.each(["jellyfin", "navidrome", "immich", "nextcloud"])("%s's name counts while it is enabled", (app) => {
        const taken = prodWith((config) => {
            part(config, "names")["proxmox"] = part(config, "apps", app)["hostname"];
        });
        expect(keys(namesProblems(taken))).toEqual(["names.proxmox"]);
        part(taken, "apps", app)["enabled"] = false;
        expect(namesProblems(taken)).toEqual([]);
    });

    it("refuses a served name outside the Let's Encrypt domain, suggesting its first label under the domain", () => {
        const problems = namesProblems(letsEncrypt((config) => {
            part(config, "apps", "immich")["hostname"] = "photos.home.arpa";
        }));
        expect(problems).toEqual([{ key: "apps.immich.hostname", message: '"photos.home.arpa" is not under the Let\'s Encrypt domain home.example.net (a name ending in .home.example.net, such as photos.home.example.net; or homelab:tls.mode "internal")' }]);
    });

    it("every served key is checked: NPM's admin name and the extra hosts too", () => {
        expect(keys(namesProblems(letsEncrypt((config) => {
            part(config, "names")["proxyAdmin"] = "proxy.lan";
            part(config, "names")["extraHosts"] = [extraHost("printer.home.example.net"), extraHost("router.lan")];
        })))).toEqual(["names.proxyAdmin", "names.extraHosts[1].hostname"]);
    });

    it("the domain itself is under the domain, a name that only ends like it is not", () => {
        expect(namesProblems(letsEncrypt((config) => {
            part(config, "apps", "jellyfin")["hostname"] = "home.example.net";
        }))).toEqual([]);
        expect(keys(namesProblems(letsEncrypt((config) => {
            part(config, "apps", "jellyfin")["hostname"] = "myhome.example.net";
        })))).toEqual(["apps.jellyfin.hostname"]);
    });

    it("names NPM does not serve need no certificate: the Proxmox name, a disabled app's, and all of them while NPM is off", () => {
        expect(namesProblems(letsEncrypt((config) => {
            part(config, "names")["proxmox"] = "pve.lan";
            Object.assign(part(config, "apps", "nextcloud"), { enabled: false, hostname: "cloud.lan" });
        }))).toEqual([]);
        expect(namesProblems(letsEncrypt((config) => {
            part(config, "apps", "nginxProxyManager")["enabled"] = false;
            part(config, "apps", "jellyfin")["hostname"] = "jellyfin.lan";
            part(config, "names")["proxyAdmin"] = "proxy.lan";
            part(config, "names")["extraHosts"] = [extraHost("router.lan")];
        }))).toEqual([]);
    });

    it("Let's Encrypt needs the domain, the DNS provider and the credentials, each named with an example", () => {
        const problems = namesProblems(prodWith((config) => {
            config["tls"] = { mode: "letsencrypt-dns" };
        }));
        expect(problems).toEqual([
            { key: "tls.domain", message: expect.stringMatching(/^is missing \(the public domain you own, such as example\.net, when homelab:tls\.mode is "letsencrypt-dns"\)$/) as string },
            { key: "tls.dnsProvider", message: expect.stringMatching(/^is missing \(NPM's id of your DNS provider, such as cloudflare, when homelab:tls\.mode is "letsencrypt-dns"\)$/) as string },
            { key: "tlsDnsCredentials", message: expect.stringMatching(/^is missing \(your DNS provider's API credentials for certbot, set with `npm run -s pulumi -- config set --secret tlsDnsCredentials`, when homelab:tls\.mode is "letsencrypt-dns"\)$/) as string },
        ]);
    });

    it("internal TLS needs none of them and checks no name", () => {
        expect(namesProblems(letsEncrypt((config) => {
            config["tls"] = { mode: "internal" };
            delete config["tlsDnsCredentials"];
            part(config, "apps", "jellyfin")["hostname"] = "jellyfin.lan";
        }))).toEqual([]);
    });

    it("a domain, provider or credentials of the wrong type is the schema's problem alone, and a mistyped domain checks no name", () => {
        for (const value of [null, 5, true, [], {}]) {
            for (const key of ["domain", "dnsProvider"]) {
                const config = letsEncrypt((edited) => {
                    part(edited, "tls")[key] = value;
                    part(edited, "apps", "jellyfin")["hostname"] = "jellyfin.lan";
                });
                const expected = key === "domain" ? [] : ["apps.jellyfin.hostname"];
                expect({ key, value, problems: keys(namesProblems(config)) }).toEqual({ key, value, problems: expected });
            }
            const credentials = letsEncrypt((edited) => {
                edited["tlsDnsCredentials"] = value;
            });
            expect({ value, problems: namesProblems(credentials) }).toEqual({ value, problems: [] });
        }
    });

    it("an extra host's upstream must be a container name, IPv4 address or DNS name, named by its index", () => {
        const problems = namesProblems(prodWith((config) => {
            part(config, "names")["extraHosts"] = [extraHost("printer.home.arpa", "printer.lan"), extraHost("router.home.arpa", 'x"; return 200')];
        }));
        expect(problems).toEqual([{ key: "names.extraHosts[1].forwardHost", message: expect.stringMatching(/^"x\\"; return 200" is not a container name, IPv4 address or DNS name \(such as homeassistant, 192\.168\.1\.50 or printer\.lan; NPM would paste anything else into nginx's config\)$/) as string }]);
    });

    it("sections and entries of any broken shape yield no names problem", () => {
        const paths = [["names"], ["names", "extraHosts"], ["names", "proxyAdmin"], ["names", "proxmox"], ["tls"], ["tls", "mode"], ["apps"], ["apps", "jellyfin"], ["apps", "nginxProxyManager"]];
        for (const path of paths) {
            for (const value of BROKEN.filter((broken) => typeof broken !== "string" || path.length === 1)) {
                const config = letsEncrypt((edited) => {
                    part(edited, "names")["extraHosts"] = [extraHost("printer.home.example.net")];
                });
                setAt(config, path, value);
                expect({ path, value, problems: namesProblems(config) }).toEqual({ path, value, problems: [] });
            }
        }
        for (const entry of BROKEN) {
            const config = letsEncrypt((edited) => {
                part(edited, "names")["extraHosts"] = [entry, extraHost(5, 7), extraHost(null, ["printer.lan"])];
            });
            expect({ entry, problems: namesProblems(config) }).toEqual({ entry, problems: [] });
        }
        expect(namesProblems(undefined)).toEqual([]);
        expect(namesProblems(null)).toEqual([]);
    });
});

describe("the apps as their upstreams run them (config-rules-apps.ts)", () => {
    const NEW_DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
    const immich = (config: Mutable) => part(config, "apps", "immich");

    it("the committed prod stack has no apps problem", () => {
        expect(appsRules(prodWith())).toEqual([]);
    });

    it("Immich's memory may be exactly machine learning's floor (768 + 2560 + 512 + 64 MiB), not 1 MiB less", () => {
        expect(appsRules(prodWith((config) => {
            immich(config)["memoryMiB"] = 3904;
        }))).toEqual([]);
        expect(keys(appsRules(prodWith((config) => {
            immich(config)["memoryMiB"] = 3903;
        })))).toEqual(["apps.immich.memoryMiB"]);
    });

    it("a low Immich memory is not judged while Immich or its machine learning is off, nor when the schema refused it", () => {
        for (const edit of [{ enabled: false }, { machineLearning: false }, { memoryMiB: "1024" }, { memoryMiB: null }]) {
            const config = prodWith((edited) => {
                Object.assign(immich(edited), { memoryMiB: 1024 }, edit);
            });
            expect({ edit, problems: appsRules(config) }).toEqual({ edit, problems: [] });
        }
    });

    it("x86-64-v2-AES is refused only while Immich runs its machine learning; other CPU types are fine", () => {
        const withCpu = (cpuType: unknown, edit: Mutable = {}) => keys(appsRules(prodWith((config) => {
            part(config, "vm")["cpuType"] = cpuType;
            Object.assign(immich(config), edit);
        })));
        expect(withCpu("x86-64-v2-AES")).toEqual(["vm.cpuType"]);
        expect(withCpu("x86-64-v2-AES", { enabled: false })).toEqual([]);
        expect(withCpu("x86-64-v2-AES", { machineLearning: false })).toEqual([]);
        expect(withCpu("x86-64-v3")).toEqual([]);
        expect(withCpu("host")).toEqual([]);
        expect(withCpu(null)).toEqual([]);
    });

    it.each([["jellyfin", "10.11.12"], ["navidrome", "0.64.0"], ["nextcloud", "33.0.8"], ["nginxProxyManager", "2.15.2"]])("%s at %s keeps its default digest: refused while enabled, not while disabled, not with its own digest", (app, version) => {
        const bumped = (edit: Mutable) => keys(appsRules(prodWith((config) => {
            Object.assign(part(config, "apps", app), { version }, edit);
        })));
        expect(bumped({})).toEqual([`apps.${app}.digest`]);
        expect(bumped({ enabled: false })).toEqual([]);
        expect(bumped({ digest: NEW_DIGEST })).toEqual([]);
    });

    it("Immich's two digests follow its own switches: the server's while Immich runs, machine learning's while that runs", () => {
        const bumped = (edit: Mutable) => keys(appsRules(prodWith((config) => {
            Object.assign(immich(config), { version: "v3.2.2" }, edit);
        })));
        expect(bumped({})).toEqual(["apps.immich.imageDigests.server", "apps.immich.imageDigests.machineLearning"]);
        expect(bumped({ machineLearning: false })).toEqual(["apps.immich.imageDigests.server"]);
        expect(bumped({ enabled: false })).toEqual([]);
        expect(bumped({ imageDigests: { server: NEW_DIGEST, machineLearning: NEW_DIGEST } })).toEqual([]);
        // The rules see the schema's output, where a digest left out is the default version's.
        expect(bumped({ imageDigests: { server: NEW_DIGEST, machineLearning: DEFAULT_IMAGE_DIGESTS.immich.machineLearning } })).toEqual(["apps.immich.imageDigests.machineLearning"]);
        expect(bumped({ imageDigests: { server: DEFAULT_IMAGE_DIGESTS.immich.server, machineLearning: NEW_DIGEST } })).toEqual(["apps.immich.imageDigests.server"]);
    });

    it("a version the schema or the Immich table refuses is reported there, so its digest is not judged", () => {
        // ["10.11.12"] reads as "10.11.12" to a RegExp: only its type tells it apart.
        for (const version of ["latest", "10.11", "v10.11.12", "10.11.12-rc1", "10.11.12 ", " 10.11.12", 10.11, null, ["10.11.12"]]) {
            const config = prodWith((edited) => {
                part(edited, "apps", "jellyfin")["version"] = version;
            });
            expect({ version, problems: appsRules(config) }).toEqual({ version, problems: [] });
        }
        for (const version of ["v9.9.9", "3.2.2", 3.2, null]) {
            const config = prodWith((edited) => {
                immich(edited)["version"] = version;
            });
            expect({ version, problems: appsRules(config) }).toEqual({ version, problems: [] });
        }
    });

    it("sections of any broken shape yield no apps problem", () => {
        for (const path of [["apps"], ["apps", "immich"], ["apps", "jellyfin"], ["apps", "immich", "imageDigests"], ["vm"]]) {
            for (const value of BROKEN) {
                const config = prodWith();
                setAt(config, path, value);
                expect({ path, value, problems: appsRules(config) }).toEqual({ path, value, problems: [] });
            }
        }
        expect(appsRules(undefined)).toEqual([]);
        expect(appsRules(null)).toEqual([]);
    });
});
