// homelab:backups and its secrets: each rule first refuses bad input, naming the key, then accepts good input.
import { formatProblem } from "../../stacks/parse-config";
import { committedConfig, parseValues, problemsAfter, section } from "../helpers/config";

const backups = (values: Record<string, unknown>) => section(values, "backups");

describe("homelab:backups", () => {
    it.each(["prod", "dev"])("the committed %s stack is valid and backs up to its repository", (stack) => {
        const config = parseValues(committedConfig(stack));
        expect(config.backups?.repository).toBeDefined();
        expect(config.backups?.datastore).toBeDefined();
    });

    it("a datastore without a schedule is refused, naming backups.schedule", () => {
        const problems = problemsAfter("prod", (values) => {
            delete backups(values)["schedule"];
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:backups\.schedule: is missing while homelab:backups\.datastore is backup/)]);
    });

    it("a schedule without a datastore is refused, naming backups.datastore", () => {
        expect(problemsAfter("prod", (values) => {
            delete backups(values)["datastore"];
        })).toEqual([expect.stringMatching(/^homelab:backups\.datastore: is missing while homelab:backups\.schedule is "01:30"/)]);
    });

    it("neither datastore nor schedule means no vzdump job, and is accepted", () => {
        expect(problemsAfter("prod", (values) => {
            delete backups(values)["datastore"];
            delete backups(values)["schedule"];
        })).toEqual([]);
    });

    it.each(["ftp://nas/restic", "b2:bucket/path", "relative/path", "sftp:host", "rest:ftp://x", "/mnt/../etc", "s3:"])("a repository of an unknown kind (%s) is refused, naming the kinds", (repository) => {
        const problems = problemsAfter("prod", (values) => {
            backups(values)["repository"] = repository;
        });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(/^homelab:backups\.repository: .* is not allowed \(an absolute path on another disk such as \/mnt\/backup\/restic, sftp:user@host:\/path, rest:https:\/\/host:8000\/path or s3:host\/bucket\/path\)$/);
    });

    it.each(["/mnt/backup/restic", "sftp:restic@192.168.1.120:/srv/restic", "sftp:nas:/backups/homelab", "rest:https://user@nas.home.arpa:8000/homelab", "s3:s3.amazonaws.com/bucket/homelab", "s3:https://minio.home.arpa:9000/homelab"])("accepts the repository %s", (repository) => {
        expect(problemsAfter("prod", (values) => {
            backups(values)["repository"] = repository;
        })).toEqual([]);
    });

    it("a local repository on the data disk it backs up is refused", () => {
        expect(problemsAfter("prod", (values) => {
            backups(values)["repository"] = "/home/homelab/media/restic";
        })).toEqual([expect.stringMatching(/^homelab:backups\.repository: \/home\/homelab\/media\/restic is on the data disk it backs up/)]);
    });

    it("a retention of zero everywhere is refused; one count above zero is enough", () => {
        expect(problemsAfter("prod", (values) => {
            backups(values)["retention"] = { daily: 0, weekly: 0, monthly: 0 };
        })).toEqual(["homelab:backups.retention: keeps nothing: daily, weekly and monthly are all 0 (at least one of them above 0)"]);
        expect(problemsAfter("prod", (values) => {
            backups(values)["retention"] = { daily: 0, weekly: 0, monthly: 1 };
        })).toEqual([]);
    });

    it("a typo in a key is named with a suggestion", () => {
        expect(problemsAfter("prod", (values) => {
            backups(values)["repositry"] = "/mnt/backup";
        })).toEqual([expect.stringMatching(/^homelab:backups\.repositry: "repositry" is not a known key \(did you mean "repository"\?/)]);
    });

    it("a schedule on several lines is refused (it goes into a unit file as it is)", () => {
        expect(problemsAfter("prod", (values) => {
            backups(values)["dataSchedule"] = "03:30\nExecStart=/bin/sh";
        })).toEqual([expect.stringMatching(/^homelab:backups\.dataSchedule: .* is not allowed \(a systemd calendar event/)]);
    });
});

describe("the backup secrets", () => {
    it("a repository without its password is refused, naming resticPassword", () => {
        expect(problemsAfter("prod", (values) => {
            delete values["resticPassword"];
        })).toEqual([expect.stringMatching(/^homelab:resticPassword: is missing while homelab:backups\.repository is set/)]);
    });

    it("a password in plain text is refused like the API token", () => {
        const values = committedConfig("prod");
        expect(() => parseValues(values, { allowPlaceholders: true }, new Set(["proxmoxApiToken"]))).toThrow(/homelab:resticPassword: is stored in plain text/);
    });

    it("credentials must be NAME=value lines restic reads", () => {
        const withEnvironment = (text: string) => problemsAfter("prod", (values) => {
            values["resticEnvironment"] = text;
        });
        expect(withEnvironment("AWS_ACCESS_KEY_ID=AKIA123\n# the key\nAWS_SECRET_ACCESS_KEY=abc/def+ghi\n")).toEqual([]);
        expect(withEnvironment("LD_PRELOAD=/tmp/x.so")).toEqual([expect.stringMatching(/^homelab:resticEnvironment: is not valid \(the value is not shown: it is a secret\) \(NAME=value lines with NAME one of AWS_ACCESS_KEY_ID/)]);
        expect(withEnvironment("AWS_SECRET_ACCESS_KEY=$(reboot)")).toHaveLength(1);
    });

    it("every problem is reported at once", () => {
        const problems = problemsAfter("prod", (values) => {
            delete backups(values)["schedule"];
            backups(values)["retention"] = { daily: 0, weekly: 0, monthly: 0 };
            delete values["resticPassword"];
        });
        expect(problems.map((line) => line.split(":").slice(0, 2).join(":")).sort()).toEqual(["homelab:backups.retention", "homelab:backups.schedule", "homelab:resticPassword"]);
        expect(formatProblem({ key: "backups.schedule", message: "x" })).toBe("homelab:backups.schedule: x");
    });
});
