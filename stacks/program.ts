// The program both `pulumi up` (through index.ts) and the offline plan run.
import type * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import type { LoadOptions } from "./config";
import { Homelab } from "./homelab";

/** Loads and validates the stack configuration, then declares the homelab; returns the stack outputs. */
export function program(options: LoadOptions = {}): Record<string, pulumi.Input<unknown>> {
    const config = loadStackConfig(options);
    const homelab = new Homelab("homelab", { config });
    return homelab.outputs;
}
