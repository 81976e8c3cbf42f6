// The resource-graph diagram in docs/architecture.md is generated from the prod plan; a stale one fails here.
import { readFileSync } from "node:fs";
import { currentDiagram, DIAGRAM_END, DIAGRAM_START, DIAGRAM_DOCUMENT_PATH, withDiagram } from "../../tools/diagram";

describe("the architecture document's diagram", () => {
    it("equals the one generated from the prod plan (run `npm run diagram` when this fails)", async () => {
        const document = readFileSync(DIAGRAM_DOCUMENT_PATH, "utf8");
        expect(document).toBe(withDiagram(document, await currentDiagram()));
    });

    it("the staleness check notices a changed diagram", () => {
        const readme = `intro\n${DIAGRAM_START}\n\`\`\`mermaid\nflowchart LR\n  old\n\`\`\`\n${DIAGRAM_END}\nrest\n`;
        expect(withDiagram(readme, "flowchart LR\n  new\n")).not.toBe(readme);
        expect(withDiagram(readme, "flowchart LR\n  old\n")).toBe(readme);
    });
});
