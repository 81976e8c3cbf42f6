// The resource-graph diagram in docs/architecture.md is generated from the prod plan; a stale one fails here.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentDiagram, DIAGRAM_DOCUMENT_PATH, DIAGRAM_END, DIAGRAM_START, updateDiagram, withDiagram } from "../../tools/diagram";

describe("the architecture document's diagram", () => {
    it("equals the one generated from the prod plan (run `npm run diagram` when this fails)", async () => {
        const document = readFileSync(DIAGRAM_DOCUMENT_PATH, "utf8");
        expect(document).toBe(withDiagram(document, await currentDiagram()));
    });

    it("npm run diagram says whether it changed the document, and leaves a current one untouched", () => {
        const path = join(mkdtempSync(join(tmpdir(), "diagram-")), "architecture.md");
        const stale = `intro\n${DIAGRAM_START}\n\`\`\`mermaid\nflowchart LR\n  old\n\`\`\`\n${DIAGRAM_END}\nrest\n`;
        writeFileSync(path, stale);
        expect(updateDiagram(path, "flowchart LR\n  new\n")).toContain("diagram updated");
        const updated = readFileSync(path, "utf8");
        expect(updated).toContain("  new\n");
        expect(updateDiagram(path, "flowchart LR\n  new\n")).toContain("nothing changed");
        expect(readFileSync(path, "utf8")).toBe(updated);
    });

    it("the staleness check notices a changed diagram", () => {
        const readme = `intro\n${DIAGRAM_START}\n\`\`\`mermaid\nflowchart LR\n  old\n\`\`\`\n${DIAGRAM_END}\nrest\n`;
        expect(withDiagram(readme, "flowchart LR\n  new\n")).not.toBe(readme);
        expect(withDiagram(readme, "flowchart LR\n  old\n")).toBe(readme);
    });
});
