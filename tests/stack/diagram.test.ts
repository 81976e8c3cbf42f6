// The README's resource-graph diagram is generated from the prod plan; a stale one fails here.
import { readFileSync } from "node:fs";
import { currentDiagram, DIAGRAM_END, DIAGRAM_START, README_PATH, withDiagram } from "../../tools/diagram";

describe("the README diagram", () => {
    it("equals the one generated from the prod plan (run `npm run diagram` when this fails)", async () => {
        const readme = readFileSync(README_PATH, "utf8");
        expect(readme).toBe(withDiagram(readme, await currentDiagram()));
    });

    it("the staleness check notices a changed diagram", () => {
        const readme = `intro\n${DIAGRAM_START}\n\`\`\`mermaid\nflowchart LR\n  old\n\`\`\`\n${DIAGRAM_END}\nrest\n`;
        expect(withDiagram(readme, "flowchart LR\n  new\n")).not.toBe(readme);
        expect(withDiagram(readme, "flowchart LR\n  old\n")).toBe(readme);
    });
});
