// A TypeScript type of a generated SDK, written back as the OpenAPI 3.0 schema it was generated
// from: named types become components (referenced with $ref, so recursive models stay finite),
// objects list their properties with `required` and `additionalProperties: false`, literal unions
// become enums, `| null` becomes `nullable`. What TypeScript cannot say is left out rather than
// guessed: integer vs number, formats (uuid, date-time), lengths and ranges.
import * as ts from "typescript";
import { descriptionText } from "./sdk-operations";

/** A JSON (OpenAPI 3.0) schema. */
export type Schema = { [keyword: string]: unknown };

/** Types the SDKs use for a binary answer. */
const BINARY = new Set(["File", "Blob"]);

export class SchemaWriter {
    /** The named schemas met so far, by name. */
    readonly components = new Map<string, Schema>();

    constructor(private readonly checker: ts.TypeChecker) {}

    /** The schema of `type`; `undefined` members (optional properties) are dropped. */
    schemaOf(type: ts.Type): Schema {
        const members = this.members(type).filter((member) => (member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) === 0);
        const nullable = members.some((member) => (member.flags & ts.TypeFlags.Null) !== 0);
        const rest = members.filter((member) => (member.flags & ts.TypeFlags.Null) === 0);
        const schemas = this.collapse(rest).map((member) => (member === "boolean" ? { type: "boolean" } : this.single(member)));
        if (schemas.length === 0) {
            return nullable ? { nullable: true } : {};
        }
        const schema = schemas.length === 1 ? schemas[0]! : { anyOf: schemas };
        if (!nullable) {
            return schema;
        }
        if ("$ref" in schema) {
            return { allOf: [schema], nullable: true };
        }
        // OpenAPI 3.0.3: an enum that allows null lists it.
        return Array.isArray(schema["enum"]) ? { ...schema, enum: [...(schema["enum"] as unknown[]), null], nullable: true } : { ...schema, nullable: true };
    }

    /**
     * A union's members as written: TypeScript flattens `Enum | null` into the enum's literals and
     * null, but keeps the union it was written as (its internal `origin`), where the enum is one member.
     */
    private members(type: ts.Type): readonly ts.Type[] {
        if ((type.flags & ts.TypeFlags.Boolean) !== 0 || !type.isUnion() || this.isNamedEnum(type)) {
            return [type];
        }
        const origin = (type as ts.UnionType & { origin?: ts.Type }).origin;
        const written = origin !== undefined && origin.isUnion() ? origin.types : type.types;
        return written.flatMap((member) => (member.isUnion() && !this.isNamedEnum(member) && (member.flags & ts.TypeFlags.Boolean) === 0 ? this.members(member) : [member]));
    }

    /** `true | false` back to `boolean` (TypeScript spells boolean that way inside unions). */
    private collapse(types: readonly ts.Type[]): (ts.Type | "boolean")[] {
        const isLiteral = (type: ts.Type, value: string) => (type.flags & ts.TypeFlags.BooleanLiteral) !== 0 && this.checker.typeToString(type) === value;
        if (types.some((type) => isLiteral(type, "true")) && types.some((type) => isLiteral(type, "false"))) {
            return [...types.filter((type) => (type.flags & ts.TypeFlags.BooleanLiteral) === 0), "boolean"];
        }
        return [...types];
    }

    private isNamedEnum(type: ts.Type): boolean {
        const named = type.aliasSymbol !== undefined || ((type.symbol?.flags ?? 0) & ts.SymbolFlags.Enum) !== 0;
        return named && type.isUnion() && type.types.every((member) => member.isStringLiteral());
    }

    private single(type: ts.Type): Schema {
        const flags = type.flags;
        if ((flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) {
            return {};
        }
        if ((flags & ts.TypeFlags.Boolean) !== 0) {
            return { type: "boolean" };
        }
        if (this.isNamedEnum(type)) {
            const name = type.aliasSymbol?.name ?? type.symbol.name;
            return this.component(name, () => ({ type: "string", enum: (type as ts.UnionType).types.map((member) => (member as ts.StringLiteralType).value) }));
        }
        if (type.isStringLiteral()) {
            return { type: "string", enum: [type.value] };
        }
        if (type.isNumberLiteral()) {
            return { type: "number", enum: [type.value] };
        }
        if ((flags & ts.TypeFlags.BooleanLiteral) !== 0) {
            return { type: "boolean", enum: [this.checker.typeToString(type) === "true"] };
        }
        if ((flags & ts.TypeFlags.String) !== 0) {
            return { type: "string" };
        }
        if ((flags & ts.TypeFlags.Number) !== 0) {
            return { type: "number" };
        }
        if (this.checker.isArrayType(type)) {
            return { type: "array", items: this.schemaOf(this.checker.getTypeArguments(type as ts.TypeReference)[0]!) };
        }
        if (type.isUnion()) {
            return this.schemaOf(type);
        }
        if ((flags & ts.TypeFlags.Object) !== 0) {
            if (BINARY.has(type.symbol?.name ?? "")) {
                return { type: "string", format: "binary" };
            }
            const name = type.aliasSymbol?.name ?? (((type.symbol?.flags ?? 0) & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) !== 0 ? type.symbol.name : undefined);
            return name === undefined ? this.object(type) : this.component(name, () => this.object(type));
        }
        throw new Error(`no schema for the type ${this.checker.typeToString(type)}`);
    }

    /** A $ref to the named schema, written once (a placeholder first, so recursion ends). */
    private component(name: string, write: () => Schema): Schema {
        if (!this.components.has(name)) {
            this.components.set(name, {});
            this.components.set(name, write());
        }
        return { $ref: `#/components/schemas/${name}` };
    }

    private object(type: ts.Type): Schema {
        const properties: Record<string, Schema> = {};
        const required: string[] = [];
        for (const property of this.checker.getPropertiesOfType(type)) {
            const description = descriptionText(ts.displayPartsToString(property.getDocumentationComment(this.checker)));
            const schema = this.schemaOf(this.checker.getTypeOfSymbol(property));
            // A description cannot sit beside $ref in OpenAPI 3.0 (siblings of $ref are ignored).
            properties[property.name] = description === undefined || "$ref" in schema ? schema : { ...schema, description };
            if ((property.flags & ts.SymbolFlags.Optional) === 0) {
                required.push(property.name);
            }
        }
        const index = this.checker.getIndexInfosOfType(type)[0];
        return {
            type: "object",
            ...(Object.keys(properties).length === 0 ? {} : { properties }),
            ...(required.length === 0 ? {} : { required }),
            additionalProperties: index === undefined ? false : this.schemaOf(index.type),
        };
    }
}
