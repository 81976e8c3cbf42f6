// The homelab's backups from the validated configuration: the Proxmox backup job of the guests and
// restic on the VM, with a backup of each stateful app before its data is migrated.
import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { appPaths } from "../components/apps/directories";
import type { AppsLayout } from "../components/apps/directories";
import { IMMICH_DATABASE, NEXTCLOUD_DATABASE } from "../components/apps/environment";
import { IMMICH_CONTAINERS } from "../components/apps/immich";
import { immichRelease } from "../components/apps/immich-releases";
import { NEXTCLOUD_POSTGRES_IMAGE } from "../components/apps/images";
import { NEXTCLOUD_CONTAINERS } from "../components/apps/nextcloud";
import type { BackupDatabase, BackupSettings } from "../components/backups/backup-files";
import { GuestBackupJob } from "../components/backups/guest-backup-job";
import { VmBackups } from "../components/backups/vm-backups";
import type { PreUpgradeBackup } from "../components/backups/vm-backups";
import { GUARD_PATH } from "../components/proxmox/bootstrap-scripts";
import type { ProxmoxHost } from "../components/proxmox/proxmox-host";
import type { StackConfig } from "./config";
import type { AppVersions } from "./upgrade-guard";

/** What the backups are declared against. */
export interface HomelabBackupParts {
    /** SSH to the VM (the bootstrap's connection) and its last bootstrap step. */
    readonly vm: { readonly connection: command.types.input.remote.ConnectionArgs; readonly bootstrapComplete: pulumi.Resource };
    /** Where config and data live on the VM. */
    readonly layout: AppsLayout;
    /** Each guarded app's migration step ("Nextcloud 33"), failing when its upgrade is refused. */
    readonly migrationSteps: pulumi.Output<AppVersions>;
}

/** The databases of the enabled apps, as the dump and the drill reach them. */
export function backupDatabases(apps: StackConfig["apps"]): BackupDatabase[] {
    const databases: BackupDatabase[] = [];
    const immich = immichRelease(apps.immich.version);
    if (apps.immich.enabled && immich !== undefined) {
        databases.push({ app: "immich", container: IMMICH_CONTAINERS.postgres, database: IMMICH_DATABASE.name, user: IMMICH_DATABASE.user, image: immich.postgresImage, arguments: ["postgres", ...immich.postgresArguments] });
    }
    if (apps.nextcloud.enabled) {
        databases.push({ app: "nextcloud", container: NEXTCLOUD_CONTAINERS.postgres, database: NEXTCLOUD_DATABASE.name, user: NEXTCLOUD_DATABASE.user, image: NEXTCLOUD_POSTGRES_IMAGE });
    }
    return databases;
}

/** What restic backs up: the whole data disk and ~/docker, minus live database files and caches. */
export function backupSettings(config: StackConfig, layout: AppsLayout): BackupSettings {
    const backups = config.backups!;
    const paths = appPaths(layout);
    return {
        repository: backups.repository!,
        dataMountPoint: layout.dataMountPoint,
        guardPath: GUARD_PATH,
        paths: [layout.dataMountPoint, layout.configRoot],
        // Live Postgres files are not consistent while they run: their dumps are backed up instead.
        excludes: [paths.immich.postgres, paths.nextcloud.postgres, paths.immich.modelCache, paths.jellyfin.cache],
        // Before an upgrade, what the new version migrates: Immich's own files (not the owner's
        // photos, which it only reads) and its config, Nextcloud's files and code.
        appPaths: { immich: [paths.immich.uploads, paths.immich.root], nextcloud: [paths.nextcloud.data, paths.nextcloud.root] },
        databases: backupDatabases(config.apps),
        ...(config.apps.nextcloud.enabled ? { nextcloudContainer: NEXTCLOUD_CONTAINERS.app } : {}),
        retention: backups.retention,
        ...(backups.webhookUrl === undefined ? {} : { webhookUrl: backups.webhookUrl }),
    };
}

/**
 * The Proxmox backup job of the VM and the WireGuard container, once both exist (PVE reports a
 * missing guest only when the job runs). Undefined without homelab:backups.datastore.
 */
export function declareGuestBackupJob(name: string, config: StackConfig, proxmox: ProxmoxHost, guests: readonly { readonly id: number; readonly resource: pulumi.Resource }[], parent: pulumi.Resource): GuestBackupJob | undefined {
    const backups = config.backups;
    if (backups?.datastore === undefined || backups.schedule === undefined) {
        return undefined;
    }
    return new GuestBackupJob(name, {
        provider: proxmox.provider,
        nodeName: config.proxmox.node,
        jobId: `homelab-${pulumi.getStack()}`,
        datastore: backups.datastore,
        schedule: backups.schedule,
        guestIds: guests.map((guest) => guest.id),
        retention: backups.retention,
        notes: `{{guestname}} ({{vmid}}), homelab stack ${pulumi.getStack()}; the USB data disk is not in this dump (restic backs it up)`,
        dependsOn: guests.map((guest) => guest.resource),
    }, { parent });
}

/** restic on the VM and the pre-upgrade backups. Nothing without homelab:backups.repository. */
export function declareVmBackups(name: string, config: StackConfig, parts: HomelabBackupParts, parent: pulumi.Resource): { readonly vmBackups?: VmBackups; readonly beforeAppChanges: readonly command.remote.Command[] } {
    const backups = config.backups;
    if (backups?.repository === undefined) {
        return { beforeAppChanges: [] };
    }
    const preUpgrade: PreUpgradeBackup[] = [];
    // One per guarded app whether it is enabled or not, so that switching an app off or on does not
    // change what every container depends on; a disabled app's backup finds nothing and says so.
    for (const app of ["nextcloud", "immich"] as const) {
        preUpgrade.push({ app, trigger: parts.migrationSteps.apply((steps) => steps[app] ?? `${app} (not deployed)`) });
    }
    const vmBackups = new VmBackups(`${name}-vm`, {
        connection: parts.vm.connection,
        settings: backupSettings(config, parts.layout),
        schedules: { backup: backups.dataSchedule, check: backups.checkSchedule, drill: backups.drillSchedule },
        password: pulumi.secret(config.resticPassword ?? ""),
        ...(config.resticEnvironment === undefined ? {} : { environment: pulumi.secret(config.resticEnvironment) }),
        dependsOn: [parts.vm.bootstrapComplete],
        preUpgrade,
    }, { parent });
    return { vmBackups, beforeAppChanges: Object.values(vmBackups.preUpgradeBackups) };
}
