// The contract between the apps and the VM bootstrap: the directories an app needs on the VM,
// which the bootstrap creates (with owner and mode) before Docker starts any container.

/** One directory the bootstrap creates on the VM. */
export interface HostDirectory {
    /** Absolute path on the VM. */
    readonly path: string;
    /** Numeric owner as "uid:gid" (containers run as numeric users). */
    readonly owner: string;
    /** Octal mode such as "0750". */
    readonly mode: string;
}

/** The uid and gid cloud-init gives the first user it creates (our admin user). */
export const VM_USER_ID = 1000;
