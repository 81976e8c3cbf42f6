// Every problem the schema reports names its key and says what is allowed: "<what is wrong>
// (<what is allowed>)". Walked over every key of the parsed prod stack, defaults included.
import { SECRET_KEYS } from "../../stacks/config-schema";
import { committedConfig, parseValues, problemsAfter } from "../helpers/config";

type Path = (string | number)[];

function leafPaths(value: unknown, path: Path = []): Path[] {
    if (Array.isArray(value)) {
        return value.flatMap((item, index) => leafPaths(item, [...path, index]));
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key]));
    }
    return [path];
}

function setAt(values: Record<string, unknown>, path: Path, value: unknown): void {
    let current = values as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
        if (current[key] === null || typeof current[key] !== "object") {
            current[key] = {};
        }
        current = current[key] as Record<string | number, unknown>;
    }
    current[path[path.length - 1]!] = value;
}

const shown = (path: Path) => path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text === "" ? part : `${text}.${part}`), "");

describe("schema messages", () => {
    let paths: Path[] = [];
    beforeAll(() => {
        // Secrets are text as typed, and their messages never show the value (config-secret-messages.test.ts).
        const skipped = new Set<string>(SECRET_KEYS);
        paths = leafPaths(parseValues(committedConfig("prod"))).filter((path) => !skipped.has(shown(path)));
    });

    it("a value of the wrong type at any key is one problem at that key, saying what is allowed", () => {
        expect(paths.length).toBeGreaterThan(60);
        const unclear = paths.flatMap((path) => {
            const problems = problemsAfter("prod", (values) => setAt(values, path, [{ wrong: true }]));
            const pattern = new RegExp(`^homelab:${shown(path).replace(/[.[\]]/g, "\\$&")}: .+ is not (a valid \\w+|allowed) \\([^()]{12,}.*\\)$`);
            // vm.cloudImage defaults as a whole: setting one of its keys leaves the other missing.
            const atKey = problems.filter((problem) => problem.startsWith(`homelab:${shown(path)}: `));
            return atKey.length === 1 && pattern.test(atKey[0]!) ? [] : [{ key: shown(path), problems }];
        });
        expect(unclear).toEqual([]);
    });
});
