// The shell scripts next to this file, read at runtime (so shellcheck checks the very same files),
// and the quoting that passes one as a single argument through `pct exec`.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The text of one of this module's `*.sh` files. */
export function readScript(fileName: "configure-server.sh" | "load-host-modules.sh"): string {
    return readFileSync(join(__dirname, fileName), "utf8");
}

/** Quotes text as one POSIX shell word: single quotes, each inner ' written as '\''. */
export function shellQuote(text: string): string {
    return `'${text.replace(/'/g, `'\\''`)}'`;
}
