// Cross-field rules of homelab:backups. Like config-rules.ts they read the configuration
// defensively: a value of the wrong type was already reported by the schema and is skipped here.
import type { ConfigProblem } from "./config-rules";

function at(value: unknown, ...path: string[]): unknown {
    return path.reduce<unknown>((current, part) => (current !== null && typeof current === "object" ? (current as Record<string, unknown>)[part] : undefined), value);
}

function textAt(value: unknown, ...path: string[]): string | undefined {
    const found = at(value, ...path);
    return typeof found === "string" ? found : undefined;
}

function isSameOrInside(path: string, ancestor: string): boolean {
    const trimmed = ancestor.replace(/\/+$/, "");
    return path === trimmed || path.startsWith(`${trimmed}/`);
}

/**
 * A vzdump job needs both where and when: one without the other is a job that never runs. Only an
 * absent value is missing: one of the wrong type (null included) is the schema's problem already.
 */
function proxmoxJobRule(config: unknown): ConfigProblem[] {
    const datastore = at(config, "backups", "datastore");
    const schedule = at(config, "backups", "schedule");
    if (typeof datastore === "string" && schedule === undefined) {
        return [{ key: "backups.schedule", message: `is missing while homelab:backups.datastore is ${datastore} (when the Proxmox backup job runs, a calendar event such as "01:30"; or remove datastore for no vzdump job)` }];
    }
    if (typeof schedule === "string" && datastore === undefined) {
        return [{ key: "backups.datastore", message: `is missing while homelab:backups.schedule is "${schedule}" (a Proxmox datastore with the backup content type, such as backup)` }];
    }
    return [];
}

/** restic forget with nothing to keep would delete every snapshot; vzdump would keep none. */
function retentionRule(config: unknown): ConfigProblem[] {
    const retention = at(config, "backups", "retention");
    const counts = ["daily", "weekly", "monthly"].map((key) => at(retention, key));
    if (!counts.every((count) => count === 0)) {
        return [];
    }
    return [{ key: "backups.retention", message: "keeps nothing: daily, weekly and monthly are all 0 (at least one of them above 0)" }];
}

/** A repository needs its password, and a local one must not sit on the disk it backs up. */
function repositoryRules(config: unknown): ConfigProblem[] {
    const repository = textAt(config, "backups", "repository");
    if (repository === undefined) {
        return [];
    }
    const problems: ConfigProblem[] = [];
    if (at(config, "resticPassword") === undefined) {
        problems.push({ key: "resticPassword", message: "is missing while homelab:backups.repository is set (the repository's password: `npm run -s pulumi -- config set --secret resticPassword`; keep a copy outside the homelab)" });
    }
    const mountPoint = textAt(config, "dataDisk", "mountPoint");
    if (repository.startsWith("/") && mountPoint !== undefined && mountPoint.startsWith("/") && (isSameOrInside(repository, mountPoint) || isSameOrInside(mountPoint, repository))) {
        problems.push({ key: "backups.repository", message: `${repository} is on the data disk it backs up (${mountPoint}) (a path on another disk, or sftp:, rest: or s3:)` });
    }
    return problems;
}

/** Every backups rule; config-rules.ts runs them with its own. */
export function backupRules(config: unknown): ConfigProblem[] {
    return [...proxmoxJobRule(config), ...retentionRule(config), ...repositoryRules(config)];
}
