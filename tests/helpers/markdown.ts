// Reading the README and docs/*.md as the owner does: sections by heading, links, code blocks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../tools/paths";

/** A document's path relative to the project root, e.g. "README.md" or "docs/apps.md". */
export type DocumentPath = string;

/** The README and every file in docs/, relative to the project root. */
export function documentPaths(): DocumentPath[] {
    return ["README.md", ...readdirSync(join(PROJECT_ROOT, "docs")).filter((file) => file.endsWith(".md")).sort().map((file) => `docs/${file}`)];
}

export function readDocument(path: DocumentPath): string {
    return readFileSync(join(PROJECT_ROOT, path), "utf8");
}

/** The text without its fenced code blocks (a `# comment` in a shell block is no heading). */
export function withoutCodeBlocks(text: string): string {
    return text.replace(/^```[\s\S]*?^```/gm, "");
}

/** The lines inside the fenced code blocks, in order. */
export function codeLines(text: string): string[] {
    return [...text.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].flatMap((match) => match[1]!.split("\n")).filter((line) => line.trim() !== "");
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
    return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

/** The anchors of a document's headings. */
export function headingSlugs(text: string): Set<string> {
    return new Set([...withoutCodeBlocks(text).matchAll(/^#{1,6} (.+)$/gm)].map((match) => headingSlug(match[1]!)));
}

/**
 * The section from the heading line `heading` (exact, with its #s) to the next heading of the same
 * or a higher level; throws when the heading is missing, so a renamed section fails loudly.
 */
export function section(text: string, heading: string): string {
    const level = /^#+/.exec(heading)?.[0].length ?? 0;
    const prose = text.split("\n");
    const start = prose.indexOf(heading);
    if (level === 0 || start < 0) {
        throw new Error(`no heading "${heading}"`);
    }
    let inCode = false;
    for (let index = start + 1; index < prose.length; index++) {
        const line = prose[index]!;
        if (line.startsWith("```")) {
            inCode = !inCode;
        }
        const deeper = /^(#+) /.exec(line);
        if (!inCode && deeper !== null && deeper[1]!.length <= level) {
            return prose.slice(start, index).join("\n");
        }
    }
    return prose.slice(start).join("\n");
}

/** Every relative link target in a document, as written (`file.md#anchor`, `#anchor`, `file.md`). */
export function relativeLinks(text: string): string[] {
    return [...withoutCodeBlocks(text).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/.test(target));
}
