// Each app's own folders step: one remote command per app, over SSH to the VM, after the VM's
// bootstrap and before the app's containers. Adding, removing or changing one app's folders touches
// that app's command only, never the VM's bootstrap.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import type { DockerHost } from "../docker/docker-host";
import { VM_USER_ID } from "../docker/host-directory";
import { directoryProblems, GUARD_PATH, remoteScriptCommand } from "../proxmox/bootstrap-scripts";
import type { AppFolder } from "./directories";
import { renderFolderList } from "./directories";

export const APP_SCRIPTS_DIRECTORY = join(__dirname, "scripts");

/** The text of one of the apps' scripts in ./scripts. */
export function readAppScript(script: string): string {
    return readFileSync(join(APP_SCRIPTS_DIRECTORY, `${script}.sh`), "utf8");
}

/** The environment app-folders.sh runs with for one app; throws on a malformed folder. */
export function appFoldersEnvironment(app: string, folders: readonly AppFolder[], dataMountPoint: string): Record<string, string> {
    for (const folder of folders) {
        const problems = directoryProblems(folder);
        if (problems.length > 0) {
            throw new Error(`${app} folder ${folder.path}: ${problems.join("; ")}`);
        }
    }
    return {
        APP: app,
        FOLDERS_BASE64: Buffer.from(renderFolderList(folders), "utf8").toString("base64"),
        DATA_MOUNT_POINT: dataMountPoint,
        GUARD_PATH,
        DEFAULT_OWNER: `${VM_USER_ID}:${VM_USER_ID}`,
    };
}

/**
 * The command that creates or checks `folders` for `app`, as a child of `parent`. Its containers
 * must start after it (pass it in their startAfter).
 */
export function appFoldersCommand(name: string, app: string, host: DockerHost, folders: readonly AppFolder[], dataMountPoint: string, parent: pulumi.Resource): command.remote.Command {
    const environment = appFoldersEnvironment(app, folders, dataMountPoint);
    return new command.remote.Command(`${name}-folders`, {
        connection: host.vmShell.connection,
        create: remoteScriptCommand(`${app}-folders`, readAppScript("app-folders"), environment),
        // A replaced VM (a new bootstrap) is a fresh disk: the folders must be made again.
        triggers: [host.vmShell.bootstrapId],
        logging: "stdoutAndStderr",
        addPreviousOutputInEnv: false,
    }, { parent, dependsOn: host.bootstrap });
}
