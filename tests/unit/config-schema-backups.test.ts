// The homelab:backups schema and its secrets (config-schema-backups.ts), value by value: each form
// restic, systemd or Proxmox would read differently is refused, naming the key, and each form they
// take is accepted. config-backups.test.ts has the section's rules and its first cases.
import { RESTIC_ENVIRONMENT_NAMES } from "../../stacks/config-schema-backups";
import { committedConfig, parseValues, problemsAfter, section } from "../helpers/config";

const backups = (values: Record<string, unknown>) => section(values, "backups");
const keyOf = (line: string) => line.slice(0, line.indexOf(": "));

/** The problem lines after setting homelab:backups.<key> to `value` on the prod stack. */
const withBackups = (key: string, value: unknown) => problemsAfter("prod", (values) => {
    backups(values)[key] = value;
});

describe("the restic repository", () => {
    it.each([
        "sftp:nas:backups/homelab",
        "sftp:restic@nas.home.arpa:srv/restic",
        "s3:minio.home.arpa:9000/bucket/homelab",
        "s3:http://minio.home.arpa:9000/homelab",
        "rest:http://nas.home.arpa:8000/homelab",
        "/mnt/backup-2/restic.repo_1",
    ])("accepts %s (sftp paths relative to the login's home, ports, plain http)", (repository) => {
        expect(withBackups("repository", repository)).toEqual([]);
    });

    it.each([
        "/mnt/my backup",
        "/mnt/backup'",
        "/mnt/backup/\n/etc",
        " /mnt/backup",
        "rest:https://nas 8000/x",
        "rest:https://nas/x'y",
        's3:https://minio/x"y',
        "sftp:nas:/backups/my repo",
        "sftp:user@:/srv",
        "s3:minio/",
        "s3:minio:port/bucket",
    ])("refuses %j, which restic or the unit file would read differently", (repository) => {
        expect(withBackups("repository", repository).map(keyOf)).toEqual(["homelab:backups.repository"]);
    });
});

describe("the restic credentials", () => {
    const withEnvironment = (text: string) => problemsAfter("prod", (values) => {
        values["resticEnvironment"] = text;
    });

    it("accepts every variable restic reads for the supported repositories, one a line, indented or not", () => {
        expect(RESTIC_ENVIRONMENT_NAMES).toHaveLength(6);
        expect(withEnvironment(RESTIC_ENVIRONMENT_NAMES.map((name, index) => `${index % 2 === 0 ? "  " : ""}${name}=value-${index}  `).join("\n"))).toEqual([]);
        for (const name of RESTIC_ENVIRONMENT_NAMES) {
            expect({ name, problems: withEnvironment(`${name}=x`) }).toEqual({ name, problems: [] });
        }
        expect(withEnvironment("   # a comment\n\n")).toEqual([]);
    });

    it.each([
        "export AWS_ACCESS_KEY_ID=AKIA123",
        "AWS_ACCESS_KEY_ID",
        "AWS_ACCESS_KEY_ID=",
        "AWS_ACCESS_KEY_ID= x",
        "aws_access_key_id=x",
        "AWS_ACCESS_KEY_ID=ab\rcd",
        "AWS_ACCESS_KEY_ID='x'",
        'AWS_ACCESS_KEY_ID="x"',
        "AWS_ACCESS_KEY_ID=a\\b",
        "AWS_ACCESS_KEY_ID=`id`",
        "RESTIC_PASSWORD=x",
        "AWS_ACCESS_KEY_ID=x\nLD_PRELOAD=/tmp/x.so",
        "# restic's credentials\nAWS_ACCESS_KEY_ID=x\nexport AWS_SECRET_ACCESS_KEY=y",
    ])("refuses %j, naming the key", (text) => {
        expect(withEnvironment(text).map(keyOf)).toEqual(["homelab:resticEnvironment"]);
    });

    it("lists every accepted name in the message", () => {
        const [problem] = withEnvironment("RESTIC_PASSWORD=x");
        expect(problem).toContain(`NAME one of ${RESTIC_ENVIRONMENT_NAMES.join(", ")}, no quotes`);
    });

    it("is a secret: stored in plain text it is refused", () => {
        const values = committedConfig("prod");
        values["resticEnvironment"] = "AWS_ACCESS_KEY_ID=x";
        expect(() => parseValues(values, { allowPlaceholders: true }, new Set(["proxmoxApiToken", "resticPassword"]))).toThrow(/homelab:resticEnvironment: is stored in plain text/);
    });
});

describe("the restic password", () => {
    const withPassword = (text: string) => problemsAfter("prod", (values) => {
        values["resticPassword"] = text;
    });

    it("needs at least 8 characters on one line", () => {
        expect(withPassword("12345678")).toEqual([]);
        expect(withPassword("1234567").map(keyOf)).toEqual(["homelab:resticPassword"]);
        expect(withPassword("12345678\n9").map(keyOf)).toEqual(["homelab:resticPassword"]);
        expect(withPassword("12345678\r9").map(keyOf)).toEqual(["homelab:resticPassword"]);
        expect(withPassword("1234567")[0]).toMatch(/^homelab:resticPassword: is not valid \(the value is not shown: it is a secret\) \(at least 8 characters, set with `npm run -s pulumi -- config set --secret resticPassword`; keep a copy outside the homelab/);
    });
});

describe("the schedules, the datastore, the retention and the webhook", () => {
    it("default to 03:30 for the data, Sundays 05:00 for the check and the 1st 06:00 for the drill, keeping 7, 4 and 6", () => {
        const values = committedConfig("prod");
        values["backups"] = { repository: "/mnt/backup/restic" };
        expect(parseValues(values).backups).toEqual({
            repository: "/mnt/backup/restic",
            dataSchedule: "03:30",
            checkSchedule: "Sun 05:00",
            drillSchedule: "*-*-01 06:00",
            retention: { daily: 7, weekly: 4, monthly: 6 },
        });
    });

    it.each(["dataSchedule", "checkSchedule", "drillSchedule", "schedule"])("%s takes systemd calendar events of up to 64 characters on one line", (key) => {
        expect(withBackups(key, "Mon..Fri *-*-* 02:30:00")).toEqual([]);
        expect(withBackups(key, `${"1".repeat(62)}:0`)).toEqual([]);
        for (const refused of ["", `${"1".repeat(63)}:0`, "03:30\n", "03:30;reboot", "$(reboot)", 330]) {
            expect({ refused, problems: withBackups(key, refused).map(keyOf) }).toEqual({ refused, problems: [`homelab:backups.${key}`] });
        }
        expect(withBackups(key, "")[0]).toContain('(a systemd calendar event such as "02:30", "Sun 05:00" or "*-*-01 06:00")');
    });

    it("the datastore is a Proxmox datastore id", () => {
        expect(withBackups("datastore", "backup-2.nas_1")).toEqual([]);
        for (const refused of ["2backup", "back up", "backup/dump", "", "-backup"]) {
            expect({ refused, problems: withBackups("datastore", refused).map(keyOf) }).toEqual({ refused, problems: ["homelab:backups.datastore"] });
        }
        expect(withBackups("datastore", "2backup")[0]).toContain("(a Proxmox datastore id with the backup content type, such as backup)");
    });

    it.each(["daily", "weekly", "monthly"])("keeps a whole %s count from 0 to 1000", (key) => {
        const withCount = (count: unknown) => withBackups("retention", { daily: 7, weekly: 4, monthly: 6, [key]: count });
        expect(withCount(0)).toEqual([]);
        expect(withCount(1000)).toEqual([]);
        for (const refused of [-1, 1001, 2.5, "7"]) {
            expect({ refused, problems: withCount(refused).map(keyOf) }).toEqual({ refused, problems: [`homelab:backups.retention.${key}`] });
        }
        expect(withCount(-1)[0]).toContain("(a whole number from 0 to 1000)");
    });

    it("the webhook is an http or https URL that a unit file and curl take as it is", () => {
        expect(withBackups("webhookUrl", "https://ntfy.sh/homelab-backups?x=1")).toEqual([]);
        expect(withBackups("webhookUrl", "http://192.168.1.10:8080/ping")).toEqual([]);
        for (const refused of ["ftp://nas/x", "https://", "https://a b", "https://x'y", 'https://x"y', "https://x\\y", "https://x`id`", "https://x$y", " https://x"]) {
            expect({ refused, problems: withBackups("webhookUrl", refused).map(keyOf) }).toEqual({ refused, problems: ["homelab:backups.webhookUrl"] });
        }
        expect(withBackups("webhookUrl", "ftp://nas/x")[0]).toContain("(an http:// or https:// URL without quotes or spaces)");
    });
});
