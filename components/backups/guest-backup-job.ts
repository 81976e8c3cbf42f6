import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";

/** How many backups of each guest vzdump keeps. */
export interface Retention {
    /** Daily backups kept. Required. */
    readonly daily: number;
    /** Weekly backups kept. Required. */
    readonly weekly: number;
    /** Monthly backups kept. Required. */
    readonly monthly: number;
}

/** A scheduled vzdump of some guests of one node. */
export interface GuestBackupJobArgs {
    /** The Proxmox provider (an API token). Required. */
    readonly provider: proxmoxve.Provider;
    /** The node the guests run on. Required. */
    readonly nodeName: string;
    /** The job's id in Proxmox (Datacenter › Backup); changing it replaces the job. Required. */
    readonly jobId: string;
    /** The datastore the dumps go to; it needs the backup content type. Required. */
    readonly datastore: string;
    /** When the job runs, a PVE calendar event such as "01:30". Required. */
    readonly schedule: string;
    /** The VMIDs of the guests (the VM and the WireGuard container). Required. */
    readonly guestIds: readonly pulumi.Input<number>[];
    /** How many dumps are kept. Required. */
    readonly retention: Retention;
    /** Written on each dump; PVE fills in {{guestname}}, {{vmid}}, {{node}}. Required. */
    readonly notes: string;
    /** The guests' resources: the job is created once they exist. Default: none. */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/** PVE's prune-backups map: a count of 0 is left out rather than sent (PVE reads absent as "not this rule"). */
export function pruneBackups(retention: Retention): Record<string, string> {
    const entries: [string, number][] = [["keep-daily", retention.daily], ["keep-weekly", retention.weekly], ["keep-monthly", retention.monthly]];
    return Object.fromEntries(entries.filter(([, count]) => count > 0).map(([key, count]) => [key, String(count)]));
}

/**
 * The Proxmox backup job (vzdump) of the guests: snapshot mode (no downtime; the VM's guest agent
 * freezes its filesystems), zstd, the retention as the job's own prune settings. The USB data disk
 * is passed through to the VM as a USB device, which vzdump never reads: restic covers it.
 *
 * What the API token needs (pve-manager PVE/API2/Backup.pm, create_job and
 * assert_param_permission_create; the bpg provider POSTs /cluster/backup and reads it back with a
 * GET, fwprovider/cluster/backup/resource.go): Sys.Modify and Sys.Audit on /, and
 * Datastore.Allocate on /storage/<datastore>. Only root@pam may set script, tmpdir or dumpdir, and
 * bwlimit, ionice or performance need Sys.Modify again, so none of them is set here. The scheduler
 * runs the job as root@pam, so no VM.Backup on the guests is needed for the schedule itself.
 */
export class GuestBackupJob extends pulumi.ComponentResource {
    /** The job in Proxmox. */
    public readonly job: proxmoxve.backup.Job;

    constructor(name: string, args: GuestBackupJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:backups:GuestBackupJob", name, {}, opts);
        if (Object.keys(pruneBackups(args.retention)).length === 0) {
            throw new Error("a backup job that keeps nothing would delete every dump (keep at least one daily, weekly or monthly)");
        }
        this.job = new proxmoxve.backup.Job(`${name}-job`, {
            resourceId: args.jobId,
            node: args.nodeName,
            storage: args.datastore,
            schedule: args.schedule,
            vmids: args.guestIds.map((id) => pulumi.output(id).apply(String)),
            enabled: true,
            mode: "snapshot",
            compress: "zstd",
            // 0: half of the host's cores, so a dump does not starve the guests.
            zstd: 0,
            pruneBackups: pruneBackups(args.retention),
            notesTemplate: args.notes,
            // A job missed while the host was off runs when it is back.
            repeatMissed: true,
            mailnotification: "failure",
        }, { parent: this, provider: args.provider, dependsOn: [...(args.dependsOn ?? [])] });
        this.registerOutputs({ jobId: args.jobId });
    }
}
