import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { HostDirectory } from "../docker/host-directory";
import { VM_USER_ID } from "../docker/host-directory";
import {
    baseDirectories,
    BOOTSTRAP_SCRIPTS,
    GUARD_PATH,
    readScript,
    remoteScriptCommand,
    renderDaemonJson,
    renderDirectoryList,
    renderDockerDropIn,
    VIRTUAL_DATA_DISK_SERIAL,
} from "./bootstrap-scripts";
import type { BootstrapStep, DockerSettings, VmLayout } from "./bootstrap-scripts";

/** How the data disk reaches the VM. */
export type DataDiskSource = "usb" | "virtual";

/** What the bootstrap turns a fresh Ubuntu VM into: a Docker host that guards its data disk. */
export interface DockerHostBootstrapArgs {
    /** SSH to the VM as its admin user (host = the VM's address). Required. */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** The VM user that runs Docker commands (joins the docker group). Required. */
    readonly user: string;
    /** Where the home directory, app configuration and data disk live. Required. */
    readonly layout: VmLayout;
    /** The VM's time zone (IANA). Required. */
    readonly timezone: string;
    /** The data disk: where it comes from and its filesystem label. Required. */
    readonly dataDisk: { readonly source: DataDiskSource; readonly filesystemLabel: string };
    /** Docker's log rotation. Required. */
    readonly docker: DockerSettings;
    /** Directories the apps need, created in addition to the base layout. Default: none. */
    readonly directories?: readonly HostDirectory[];
    /** A value that changes when the VM is replaced (its id): every step then runs again. Required. */
    readonly vmIdentity: pulumi.Input<string>;
}

/**
 * The steps that run over SSH once the VM is up, in order: wait for cloud-init, system settings, the
 * data disk and its guard, Docker Engine, daemon.json, the directory layout. Each step is idempotent
 * and carries its script in its command, so editing a script or a setting re-runs only that step.
 */
export class DockerHostBootstrap extends pulumi.ComponentResource {
    /** Each step's command, by script name. */
    public readonly steps: Readonly<Record<BootstrapStep, command.remote.Command>>;
    /** The last step: everything Docker-related is in place once it has run. */
    public readonly lastStep: command.remote.Command;

    constructor(name: string, args: DockerHostBootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:proxmox:DockerHostBootstrap", name, {}, opts);
        const { layout } = args;
        const environments: Record<BootstrapStep, Record<string, string>> = {
            "wait-cloud-init": {},
            "system-settings": { TIMEZONE: args.timezone },
            "data-disk": {
                DATA_DISK_SOURCE: args.dataDisk.source,
                DATA_DISK_LABEL: args.dataDisk.filesystemLabel,
                DATA_MOUNT_POINT: layout.dataMountPoint,
                ...(args.dataDisk.source === "virtual" ? { DATA_DISK_SERIAL: VIRTUAL_DATA_DISK_SERIAL } : {}),
                GUARD_PATH,
                GUARD_SCRIPT_BASE64: base64(readScript("data-disk-guard")),
                DOCKER_DROP_IN_BASE64: base64(renderDockerDropIn(layout.dataMountPoint)),
            },
            "install-docker": {
                DOCKER_ENGINE_VERSION: args.docker.engineVersion,
                CONTAINERD_VERSION: args.docker.containerdVersion,
                COMPOSE_VERSION: args.docker.composeVersion,
                DOCKER_USER: args.user,
            },
            "docker-daemon": { DAEMON_JSON_BASE64: base64(renderDaemonJson(args.docker)) },
            directories: {
                DIRECTORIES_BASE64: base64(renderDirectoryList([...baseDirectories(layout), ...(args.directories ?? [])])),
                DATA_MOUNT_POINT: layout.dataMountPoint,
                GUARD_PATH,
                DEFAULT_OWNER: `${VM_USER_ID}:${VM_USER_ID}`,
            },
        };
        const steps: Partial<Record<BootstrapStep, command.remote.Command>> = {};
        let previous: command.remote.Command | undefined = undefined;
        for (const step of BOOTSTRAP_SCRIPTS) {
            const current: command.remote.Command = new command.remote.Command(`${name}-${step}`, {
                connection: args.connection,
                create: remoteScriptCommand(step, readScript(step), environments[step]),
                // Nothing to undo on delete: the VM goes with it, or the state is worth keeping.
                // A replaced VM is a fresh machine and must get every step again. Its id is the fixed
                // VMID, so the value does not change; what re-runs the steps is that the VM is replaced
                // delete-before-replace, and the engine then replaces every dependent whose input
                // (these triggers) comes from it. Keep the VM's deleteBeforeReplace.
                triggers: [args.vmIdentity],
                logging: "stdoutAndStderr",
                // The previous output would go as environment variables, which sshd refuses by
                // default (AcceptEnv); the scripts never read it, so every update would only warn.
                addPreviousOutputInEnv: false,
            }, { parent: this, dependsOn: previous === undefined ? [] : [previous] });
            steps[step] = current;
            previous = current;
        }
        this.steps = steps as Record<BootstrapStep, command.remote.Command>;
        this.lastStep = this.steps.directories;
        this.registerOutputs({});
    }
}

function base64(text: string): string {
    return Buffer.from(text, "utf8").toString("base64");
}
