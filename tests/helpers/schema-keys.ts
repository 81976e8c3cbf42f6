// Walks the zod config schema to list every leaf key, so docs and tests can be checked against it.
import type { z } from "zod";

interface Definition {
    type: string;
    shape?: Record<string, z.ZodType>;
    innerType?: z.ZodType;
    element?: z.ZodType;
    options?: z.ZodType[];
}

function definitionOf(schema: z.ZodType): Definition {
    return (schema as unknown as { _zod: { def: Definition } })._zod.def;
}

/** Every leaf key path of the schema: "vm.address", "wireguard.peers[].name", ... */
export function leafKeys(schema: z.ZodType, prefix = ""): string[] {
    const definition = definitionOf(schema);
    switch (definition.type) {
        case "default":
        case "prefault":
        case "optional":
        case "pipe":
            return leafKeys(definition.innerType ?? (definition as unknown as { in: z.ZodType }).in, prefix);
        case "object":
            return Object.entries(definition.shape ?? {}).flatMap(([key, child]) => leafKeys(child, prefix === "" ? key : `${prefix}.${key}`));
        case "array": {
            const element = definitionOf(definition.element!);
            return element.type === "object" ? leafKeys(definition.element!, `${prefix}[]`) : [prefix];
        }
        case "union":
            return [...new Set((definition.options ?? []).flatMap((option) => leafKeys(option, prefix)))];
        default:
            return [prefix];
    }
}
