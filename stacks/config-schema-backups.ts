// The `homelab:backups` section and its two secrets: the Proxmox backup job of the guests (vzdump)
// and restic on the VM for the data disk, ~/docker and the database dumps. Cross-field rules live
// in config-rules-backups.ts. The schema helpers come from config-schema.ts as arguments (a type-only
// import here), so the two files do not import each other at run time.
import { z } from "zod";
import type { allowed, strictObject } from "./config-schema";

/** The helpers of config-schema.ts that give every schema error its "(what is allowed)". */
export interface SchemaTools {
    readonly allowed: typeof allowed;
    readonly strictObject: typeof strictObject;
}

/** The repository kinds restic is given here: a local path, sftp:, rest: and s3:. */
export const RESTIC_REPOSITORY_KINDS = "an absolute path on another disk such as /mnt/backup/restic, sftp:user@host:/path, rest:https://host:8000/path or s3:host/bucket/path";

/** An absolute path, or one of restic's sftp:, rest: and s3: locations; nothing restic would read differently. */
export const RESTIC_REPOSITORY = /^(\/[A-Za-z0-9._/-]*|sftp:[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\/?[A-Za-z0-9._/-]+|sftp:[A-Za-z0-9.-]+:\/?[A-Za-z0-9._/-]+|rest:https?:\/\/[^\s'"]+|s3:[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._/-]+|s3:https?:\/\/[^\s'"]+)$/;

/** Environment variables restic reads for the supported repository kinds (credentials only). */
export const RESTIC_ENVIRONMENT_NAMES = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_REGION",
    "RESTIC_REST_USERNAME",
    "RESTIC_REST_PASSWORD",
] as const;

/** One `NAME=value` line per credential; blank lines and # comments are allowed. */
function isEnvironmentText(text: string): boolean {
    return text.split("\n").every((line) => {
        const trimmed = line.trim();
        if (trimmed === "" || trimmed.startsWith("#")) {
            return true;
        }
        const match = /^([A-Z_]+)=(\S.*)$/.exec(trimmed);
        return match !== null && (RESTIC_ENVIRONMENT_NAMES as readonly string[]).includes(match[1]!) && !/['"\\`$]/.test(match[2]!);
    });
}

/**
 * A systemd calendar event (PVE's vzdump schedules use the same syntax). The character set keeps it
 * to one line that a unit file and the PVE API take as it is; `systemd-analyze calendar` checks the
 * committed ones in the system tests.
 */
const CALENDAR_EVENT = /^[A-Za-z0-9*:.,/~ -]{1,64}$/;

export function backupsSchema({ allowed, strictObject }: SchemaTools) {
    const calendar = z.string(allowed('a systemd calendar event such as "02:30", "Sun 05:00" or "*-*-01 06:00"')).regex(CALENDAR_EVENT);
    const keep = (fallback: number) => z.int(allowed("a whole number from 0 to 1000")).min(0).max(1000).default(fallback);
    return strictObject({
        /** The Proxmox datastore (with the backup content type) the guests are dumped to; no vzdump job when absent. */
        datastore: z.string(allowed("a Proxmox datastore id with the backup content type, such as backup")).regex(/^[A-Za-z][A-Za-z0-9_.-]*$/).optional(),
        /** When the vzdump job runs (PVE calendar event); required with datastore. */
        schedule: calendar.optional(),
        /** How many daily, weekly and monthly backups are kept, by vzdump and by restic alike. Default: 7, 4, 6. */
        retention: strictObject({
            /** Daily backups kept. Default: 7. */
            daily: keep(7),
            /** Weekly backups kept. Default: 4. */
            weekly: keep(4),
            /** Monthly backups kept. Default: 6. */
            monthly: keep(6),
        }).prefault({}),
        /** The restic repository for the data disk, ~/docker and the dumps; no restic on the VM when absent. */
        repository: z.string(allowed(RESTIC_REPOSITORY_KINDS)).regex(RESTIC_REPOSITORY).refine((path) => !path.split("/").includes("..")).optional(),
        /** When the VM's nightly restic backup runs (systemd OnCalendar). Default: 03:30. */
        dataSchedule: calendar.default("03:30"),
        /** When `restic check` runs (systemd OnCalendar). Default: Sun 05:00 (weekly). */
        checkSchedule: calendar.default("Sun 05:00"),
        /** When the restore drill runs (systemd OnCalendar). Default: *-*-01 06:00 (monthly). */
        drillSchedule: calendar.default("*-*-01 06:00"),
        /** A URL each backup, check and drill POSTs its result to (ntfy, healthchecks, ...). Default: none. */
        webhookUrl: z.string(allowed("an http:// or https:// URL without quotes or spaces")).regex(/^https?:\/\/[^\s'"\\`$]+$/).optional(),
    });
}

/** The two secrets of the backups, top-level keys like proxmoxApiToken (set with --secret). */
export function backupSecretsShape({ allowed }: Pick<SchemaTools, "allowed">) {
    return {
        /** The restic repository's password (secret); required with homelab:backups.repository. */
        resticPassword: z
            .string(allowed("at least 8 characters, set with `npm run -s pulumi -- config set --secret resticPassword`; keep a copy outside the homelab, without it no backup can be read"))
            .min(8)
            .refine((text) => !/[\n\r]/.test(text))
            .optional(),
        /** Credentials for the repository as NAME=value lines (secret), e.g. AWS_ACCESS_KEY_ID for s3:. */
        resticEnvironment: z
            .string(allowed(`NAME=value lines with NAME one of ${RESTIC_ENVIRONMENT_NAMES.join(", ")}, no quotes; set with \`npm run -s pulumi -- config set --secret resticEnvironment -- "$(cat restic.env)"\``))
            .refine(isEnvironmentText)
            .optional(),
    };
}

/** The secret keys this file adds. */
export const BACKUP_SECRET_KEYS = ["resticPassword", "resticEnvironment"] as const;
