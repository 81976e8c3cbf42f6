import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { remoteScriptCommand, shellQuote } from "../proxmox/bootstrap-scripts";
import {
    BACKUP_INSTALL_DIRECTORY,
    BACKUP_SCRIPTS,
    backupDirectories,
    readBackupScript,
    renderBackupEnvironment,
    renderBackupUnits,
    renderDatabasesFile,
    renderPathList,
} from "./backup-files";
import type { BackupSchedules, BackupSettings } from "./backup-files";

/** A backup of one app that must finish before the app's containers change. */
export interface PreUpgradeBackup {
    /** The app, as in BackupSettings.appPaths (immich, nextcloud). Required. */
    readonly app: string;
    /**
     * What re-runs the backup: it changes exactly when the app's data is about to be migrated (a
     * Nextcloud major, an Immich release line). An Output that fails stops the upgrade. Required.
     */
    readonly trigger: pulumi.Input<string>;
}

/** restic on the VM: the nightly backup, the weekly check, the monthly drill. */
export interface VmBackupsArgs {
    /** SSH to the VM as its admin user (passwordless sudo). Required. */
    readonly connection: command.types.input.remote.ConnectionArgs;
    /** What the scripts are told. Required. */
    readonly settings: BackupSettings;
    /** When the jobs run. Required. */
    readonly schedules: BackupSchedules;
    /** The repository's password (secret). Required. */
    readonly password: pulumi.Input<string>;
    /** Credentials as NAME=value lines (secret). Default: none. */
    readonly environment?: pulumi.Input<string>;
    /** What must exist first: the VM's bootstrap (the data-disk guard, Docker). Required. */
    readonly dependsOn: readonly pulumi.Resource[];
    /** Backups run before an app's upgrade. Default: none. */
    readonly preUpgrade?: readonly PreUpgradeBackup[];
}

/** The files the installer writes: path → [mode, content]. */
export function backupBundle(settings: BackupSettings, schedules: BackupSchedules): Record<string, [string, string]> {
    const folders = backupDirectories(settings);
    const files: Record<string, [string, string]> = {};
    for (const script of BACKUP_SCRIPTS) {
        files[`${BACKUP_INSTALL_DIRECTORY}/${script}.sh`] = ["0755", readBackupScript(script)];
    }
    files["/usr/local/sbin/homelab-restic"] = ["0755", readBackupScript("homelab-restic")];
    files[`${folders.config}/backup.env`] = ["0600", renderBackupEnvironment(settings)];
    files[`${folders.config}/databases`] = ["0644", renderDatabasesFile(settings.databases)];
    files[`${folders.config}/paths`] = ["0644", renderPathList(settings.paths)];
    files[`${folders.config}/excludes`] = ["0644", renderPathList(settings.excludes, "an excluded path")];
    for (const [app, paths] of Object.entries(settings.appPaths)) {
        files[`${folders.config}/apps/${app}.paths`] = ["0644", renderPathList(paths)];
    }
    for (const [unit, content] of Object.entries(renderBackupUnits(schedules))) {
        files[`/etc/systemd/system/${unit}`] = ["0644", content];
    }
    return files;
}

function base64(text: string): string {
    return Buffer.from(text, "utf8").toString("base64");
}

/**
 * Installs restic, the scripts, their configuration and timers on the VM over SSH, like the
 * bootstrap steps: the files travel inside the command, so a changed script or setting re-runs the
 * installer; the secrets travel on stdin, never in the logged command text. Each pre-upgrade backup
 * is a command of its own whose trigger is the app's version: the homelab makes the app's
 * containers depend on it, so the backup finishes before the new version starts migrating.
 */
export class VmBackups extends pulumi.ComponentResource {
    /** The installer. */
    public readonly install: command.remote.Command;
    /** The pre-upgrade backups, by app. */
    public readonly preUpgradeBackups: Readonly<Record<string, command.remote.Command>>;

    constructor(name: string, args: VmBackupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:backups:VmBackups", name, {}, opts);
        const folders = backupDirectories(args.settings);
        const bundle = Object.entries(backupBundle(args.settings, args.schedules))
            .map(([path, [mode, content]]) => `${mode} ${path} ${base64(content)}\n`)
            .join("");
        const timers = Object.keys(renderBackupUnits(args.schedules)).filter((unit) => unit.endsWith(".timer"));
        const secrets = pulumi.secret(pulumi.all([args.password, args.environment ?? ""]).apply(([password, environment]) => `${base64(password)}\n${base64(environment)}\n`));
        this.install = new command.remote.Command(`${name}-install`, {
            connection: args.connection,
            create: remoteScriptCommand("install-backups", readBackupScript("install-backups"), {
                BUNDLE_BASE64: base64(bundle),
                BACKUP_CONFIG: `${folders.config}/backup.env`,
                INSTALL_DIRECTORY: BACKUP_INSTALL_DIRECTORY,
                TIMERS: timers.join(" "),
            }),
            stdin: secrets,
            logging: "stdoutAndStderr",
            // sshd refuses the previous output as environment (AcceptEnv); the script never reads it.
            addPreviousOutputInEnv: false,
        }, { parent: this, dependsOn: [...args.dependsOn] });

        const backups: Record<string, command.remote.Command> = {};
        for (const backup of args.preUpgrade ?? []) {
            if (args.settings.appPaths[backup.app] === undefined) {
                throw new Error(`backups: no paths for ${backup.app}, so nothing to back up before its upgrade`);
            }
            backups[backup.app] = new command.remote.Command(`${name}-before-${backup.app}-upgrade`, {
                connection: args.connection,
                create: pulumi.output(backup.trigger).apply((trigger) => `sudo ${BACKUP_INSTALL_DIRECTORY}/backup-run.sh --app ${backup.app} ${shellQuote(`before ${trigger}`)}`),
                // Nothing to undo: the snapshot is worth keeping when the app goes.
                triggers: [backup.trigger],
                logging: "stdoutAndStderr",
                addPreviousOutputInEnv: false,
            }, { parent: this, dependsOn: [this.install] });
        }
        this.preUpgradeBackups = backups;
        this.registerOutputs({});
    }
}
