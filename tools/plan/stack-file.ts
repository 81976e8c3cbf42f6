// Reads a Pulumi.<stack>.yaml the way the Pulumi CLI hands it to the program: every value as a
// string (objects and lists as JSON) under a namespaced key, plus the list of secret keys.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** Stand-ins for secrets the plan cannot decrypt or that the owner sets only on their machine. */
export const SECRET_PLACEHOLDERS: Readonly<Record<string, string>> = {
    "homelab:proxmoxApiToken": "plan@pve!placeholder=00000000-0000-0000-0000-000000000000",
    "homelab:sshPrivateKey": "-----BEGIN OPENSSH PRIVATE KEY-----\nplaceholder\n-----END OPENSSH PRIVATE KEY-----\n",
    "homelab:resticPassword": "placeholder-restic-password",
};
const GENERIC_SECRET_PLACEHOLDER = "placeholder";

/** Secrets every real stack has but no committed file holds (they are set with --secret). */
const ALWAYS_SET_SECRETS = ["homelab:proxmoxApiToken", "homelab:resticPassword"];

export interface StackFileConfig {
    /** Full key ("homelab:vm") to the string value Pulumi passes the program. */
    readonly config: Record<string, string>;
    /** Keys whose values are secrets (and are placeholders here). */
    readonly secretKeys: string[];
}

function isSecure(value: unknown): value is { secure: unknown } {
    return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** Replaces `secure:` leaves with `placeholder`; reports whether there were any. */
function replaceSecureLeaves(value: unknown, placeholder: string): { value: unknown; hadSecret: boolean } {
    if (isSecure(value)) {
        return { value: placeholder, hadSecret: true };
    }
    if (Array.isArray(value)) {
        const items = value.map((item) => replaceSecureLeaves(item, placeholder));
        return { value: items.map((item) => item.value), hadSecret: items.some((item) => item.hadSecret) };
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value).map(([key, item]) => [key, replaceSecureLeaves(item, placeholder)] as const);
        return { value: Object.fromEntries(entries.map(([key, item]) => [key, item.value])), hadSecret: entries.some(([, item]) => item.hadSecret) };
    }
    return { value, hadSecret: false };
}

/** Parses the text of a Pulumi.<stack>.yaml; `project` namespaces keys written without one. */
export function parseStackFile(text: string, project: string): StackFileConfig {
    const document = (parse(text) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, rawValue] of Object.entries(document.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        const { value, hadSecret } = replaceSecureLeaves(rawValue, SECRET_PLACEHOLDERS[key] ?? GENERIC_SECRET_PLACEHOLDER);
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
        if (hadSecret) {
            secretKeys.push(key);
        }
    }
    for (const key of ALWAYS_SET_SECRETS) {
        if (config[key] === undefined) {
            config[key] = SECRET_PLACEHOLDERS[key] ?? GENERIC_SECRET_PLACEHOLDER;
            secretKeys.push(key);
        }
    }
    return { config, secretKeys };
}

export function readStackFile(path: string, project: string): StackFileConfig {
    return parseStackFile(readFileSync(path, "utf8"), project);
}
