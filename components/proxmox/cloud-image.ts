// Naming of the downloaded cloud image on the Proxmox datastore.

/**
 * The file name the image gets in the datastore's `import` content: the URL's base name with a
 * `.qcow2` extension (Ubuntu's .img is qcow2 inside, and Proxmox imports by extension), the first
 * 12 hex digits of its checksum, so a newer pinned image is a new file next to the old one instead of
 * an overwrite of a file a VM was imported from, and `.vm<id>` of the VM that imports it. The VMID
 * makes each stack's copy its own: the dev and prod stacks share the host, a file is owned by the
 * state that declared it, and destroying one stack deletes its files (the Debian template carries
 * `.ct<id>` for the same reason).
 */
export function cloudImageFileName(url: string, sha256: string, vmId: number): string {
    const baseName = url.split("/").pop() ?? "";
    const stem = baseName.replace(/\.(img|qcow2)$/, "");
    if (!/^[A-Za-z0-9._-]+$/.test(stem) || !/^[0-9a-f]{64}$/.test(sha256) || !Number.isInteger(vmId) || vmId < 100) {
        throw new Error(`cannot name a cloud image from ${url}, ${sha256} and VMID ${vmId}`);
    }
    return `${stem}-${sha256.slice(0, 12)}.vm${vmId}.qcow2`;
}
