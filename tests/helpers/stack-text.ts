// Edits a committed stack file's YAML to make a variation for one test.
import { parseDocument } from "yaml";
import { committedStackText } from "./plan";

/** Returns the stack file text with `edit` applied to its `config` mapping (plain JS object). */
export function editedStackText(stack: string, edit: (config: Record<string, unknown>) => void): string {
    const document = parseDocument(committedStackText(stack));
    const data = document.toJS() as { config: Record<string, unknown> };
    edit(data.config);
    return `${JSON.stringify(data, null, 2)}\n`;
}
