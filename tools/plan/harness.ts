// The one way the tests and `npm run plan` evaluate a stack: the committed (or given) stack file,
// validated by the program's own config loader, then the program itself under mocks.
import { loadStackConfig } from "../../stacks/config";
import { program } from "../../stacks/program";
import { capturePlan } from "./capture";
import type { Plan } from "./capture";
import { parseStackFile, readStackFile } from "./stack-file";
import type { StackFileConfig } from "./stack-file";
import { PROJECT, stackFilePath } from "../paths";

export { PROJECT, PROJECT_ROOT, stackFilePath } from "../paths";

/** Plans a stack from already-parsed stack configuration; `revealSecrets` shows secret values (default: false). */
export function planFromConfig(stack: string, stackConfig: StackFileConfig, revealSecrets = false): Promise<Plan> {
    const options = { allowPlaceholders: true };
    return capturePlan({
        project: PROJECT,
        stack,
        config: stackConfig.config,
        secretKeys: stackConfig.secretKeys,
        validate: () => void loadStackConfig(options),
        program: () => program(options),
        revealSecrets,
    });
}

/** Plans a stack from its Pulumi.<stack>.yaml, or from `configFile` in that format. */
export function planStack(stack: string, configFile?: string): Promise<Plan> {
    return planFromConfig(stack, readStackFile(configFile ?? stackFilePath(stack), PROJECT));
}

/** Plans a stack from the text of a stack file (tests use it to plan variations of a stack). */
export function planStackText(stack: string, text: string, revealSecrets = false): Promise<Plan> {
    return planFromConfig(stack, parseStackFile(text, PROJECT), revealSecrets);
}
