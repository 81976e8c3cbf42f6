// The first-admin step of an app whose first admin would otherwise go to whoever opens its page
// first: a remote command on the VM that waits for the app, checks whether the admin exists, and
// creates it (and what belongs with it: libraries) only when it does not. The VM reaches the
// container at its address on the app's Docker network; nothing is published for it. The password
// travels on the command's standard input, never in its text (which the engine logs).
import * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import type { DockerHost } from "../docker/docker-host";
import { remoteScriptCommand } from "../proxmox/bootstrap-scripts";
import { readAppScript } from "./app-folders";

/** One app's first-admin step. */
export interface FirstAdminStep {
    /** The app, for the step's name in logs. */
    readonly app: string;
    /** The script in ./scripts, e.g. "immich-first-admin". */
    readonly script: string;
    /** The container the step talks to. */
    readonly container: string;
    /** The Docker network the VM reaches the container on. */
    readonly network: string;
    /** The container's port. */
    readonly port: number;
    /** Plain settings for the script (no secrets: the command text is logged). */
    readonly environment: Readonly<Record<string, string>>;
    /** The generated password, sent on standard input. */
    readonly password: pulumi.Input<string>;
    /** A value that changes when the container is replaced (its id): the step then checks again. */
    readonly containerId: pulumi.Input<string>;
}

/** The plain environment a first-admin script gets: where the app is, and its settings. */
export function firstAdminEnvironment(step: Omit<FirstAdminStep, "password" | "containerId">): Record<string, string> {
    return { APP_CONTAINER: step.container, APP_NETWORK: step.network, APP_PORT: String(step.port), ...step.environment };
}

/** The command that runs `step` on the VM once the app's containers exist. */
export function firstAdminCommand(name: string, host: DockerHost, step: FirstAdminStep, dependsOn: pulumi.Resource[], parent: pulumi.Resource): command.remote.Command {
    return new command.remote.Command(`${name}-first-admin`, {
        connection: host.vmShell.connection,
        create: remoteScriptCommand(`${step.app}-first-admin`, readAppScript(step.script), firstAdminEnvironment(step)),
        stdin: step.password,
        triggers: [step.containerId],
        logging: "stdoutAndStderr",
        addPreviousOutputInEnv: false,
    }, { parent, dependsOn: [...host.bootstrap, ...dependsOn] });
}
