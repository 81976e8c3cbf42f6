// The program both `pulumi up` (through index.ts) and the offline plan run.
import type * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import type { LoadOptions } from "./config";
import { Homelab } from "./homelab";

/**
 * Loads and validates the stack configuration, then declares the homelab; resolves to the stack
 * outputs once the host's existing guests are checked. The config is read before anything is
 * registered, so a config mistake rejects with nothing declared.
 */
export async function program(options: LoadOptions = {}): Promise<Record<string, pulumi.Input<unknown>>> {
    const config = loadStackConfig(options);
    const homelab = new Homelab("homelab", { config });
    await homelab.existingGuestCheck;
    return homelab.outputs;
}
