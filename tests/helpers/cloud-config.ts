// cloud-init's own cloud-config schema as an Ajv validator, for user-data the program renders.
import Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import { DNS_NAME } from "../../stacks/config-schema";
import { readSchema } from "./schemas";

/**
 * The schema declares draft-04 but uses nothing only draft-04 has (no boolean exclusiveMinimum or
 * exclusiveMaximum, no `id`) and uses `$defs`, which Ajv's default draft understands; so Ajv 8 runs it
 * with the `$schema` line removed. Its formats are uri, hostname and date: Ajv has none built in
 * (ajv-formats is not a dependency), so they are given here: hostname as DNS names, the others unchecked.
 */
export function cloudConfigValidator(): ValidateFunction {
    const schema = { ...readSchema("cloud-init-26.2/schema-cloud-config-v1.json") } as Record<string, unknown>;
    delete schema["$schema"];
    const ajv = new Ajv({ strict: false, allErrors: true, formats: { hostname: DNS_NAME, uri: true, date: true } });
    return ajv.compile(schema);
}
