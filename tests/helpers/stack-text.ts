// Edits a committed stack file's YAML to make a variation for one test.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { stackFilePath } from "../../tools/paths";

/** The committed stack file's text, to plan variations of it. */
export function committedStackText(stack: string): string {
    return readFileSync(stackFilePath(stack), "utf8");
}

/** Returns the stack file text with `edit` applied to its `config` mapping (plain JS object). */
export function editedStackText(stack: string, edit: (config: Record<string, unknown>) => void): string {
    const document = parseDocument(committedStackText(stack));
    const data = document.toJS() as { config: Record<string, unknown> };
    edit(data.config);
    return `${JSON.stringify(data, null, 2)}\n`;
}
