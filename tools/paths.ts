// Where the project lives, without loading any SDK (tests that only read files import this).
import { join } from "node:path";

export const PROJECT = "homelab";
export const PROJECT_ROOT = join(__dirname, "..");

export function stackFilePath(stack: string): string {
    return join(PROJECT_ROOT, `Pulumi.${stack}.yaml`);
}
