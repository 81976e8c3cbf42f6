// The Proxmox layer's configuration rules: each bad input fails with a message that names the key
// and says what is allowed, and the committed value (or a good alternative) passes.
import { MINIMUM_SYSTEM_DISK_GIB, NOBLE_CLOUD_IMAGE } from "../../stacks/config-schema";
import { parseValues, problemsAfter, section, committedConfig } from "../helpers/config";

describe("dataDisk.usbId", () => {
    it.each(["059F:1234", "59f:1234", "059f-1234", "059f:12345", "lacie", ""])("rejects %j, which is not lsusb's hhhh:hhhh", (usbId) => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "dataDisk")["usbId"] = usbId;
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:dataDisk\.usbId: .*vendor:product id of 4\+4 hex digits/)]);
    });

    it("accepts a lower-case vendor:product id", () => {
        expect(problemsAfter("prod", (values) => {
            section(values, "dataDisk")["usbId"] = "059f:1061";
        })).toEqual([]);
    });

    it("is required with source usb", () => {
        const problems = problemsAfter("prod", (values) => {
            delete section(values, "dataDisk")["usbId"];
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:dataDisk\.usbId: is missing/)]);
    });

    it("is not accepted with source virtual, where there is no USB device", () => {
        const problems = problemsAfter("dev", (values) => {
            section(values, "dataDisk")["usbId"] = "059f:1061";
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:dataDisk\.usbId: "usbId" is not a known key/)]);
    });
});

describe("dataDisk.filesystemLabel", () => {
    it.each(["my disk", "lacie's", 'la"cie', "", "a-label-longer-than-16"])("rejects %j", (label) => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "dataDisk")["filesystemLabel"] = label;
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:dataDisk\.filesystemLabel: .*no spaces or quotes/)]);
    });

    it.each(["LACIE", "media_2024", "homelab-dev"])("accepts %j", (label) => {
        expect(problemsAfter("prod", (values) => {
            section(values, "dataDisk")["filesystemLabel"] = label;
        })).toEqual([]);
    });
});

describe("dataDisk.mountPoint", () => {
    it.each(["media", "./media", "~/media", "/home/homelab/my media", "/home/homelab/../media"])("rejects %j, which is not a plain absolute path", (mountPoint) => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "dataDisk")["mountPoint"] = mountPoint;
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:dataDisk\.mountPoint: .*an absolute path/)]);
    });

    it.each(["/", "/home", "/var", "/etc/media", "/usr/local/media", "/var/lib/docker"])("rejects %j, a system directory of the VM", (mountPoint) => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "dataDisk")["mountPoint"] = mountPoint;
        });
        expect(problems).toEqual([`homelab:dataDisk.mountPoint: ${mountPoint} is a system directory of the VM (a directory of its own such as /home/homelab/media or /mnt/data)`]);
    });

    it.each(["/home/homelab", "/home/homelab/docker", "/home/homelab/docker/media"])("rejects %j, which would hide or hold the app configuration", (mountPoint) => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "dataDisk")["mountPoint"] = mountPoint;
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:dataDisk\.mountPoint: .* would hide or hold \/home\/homelab\/docker/)]);
    });

    it("follows the configured user: /home/homelab is fine when the user is someone else", () => {
        expect(problemsAfter("prod", (values) => {
            section(values, "vm")["user"] = "owner";
            section(values, "dataDisk")["mountPoint"] = "/home/homelab";
        })).toEqual([]);
    });

    it.each(["/home/homelab/media", "/mnt/data", "/srv/media"])("accepts %j", (mountPoint) => {
        expect(problemsAfter("prod", (values) => {
            section(values, "dataDisk")["mountPoint"] = mountPoint;
        })).toEqual([]);
    });
});

describe("vm.diskGiB", () => {
    it("rejects a disk smaller than the image plus container images need", () => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "vm")["diskGiB"] = MINIMUM_SYSTEM_DISK_GIB - 1;
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:vm\.diskGiB: 15 is out of range \(a whole number of GiB, at least 16/)]);
    });

    it("rejects a size smaller than the 3.5 GiB image itself", () => {
        expect(problemsAfter("prod", (values) => {
            section(values, "vm")["diskGiB"] = 3;
        })).toEqual([expect.stringMatching(/^homelab:vm\.diskGiB: 3 is out of range/)]);
    });

    it("accepts the minimum", () => {
        expect(problemsAfter("prod", (values) => {
            section(values, "vm")["diskGiB"] = MINIMUM_SYSTEM_DISK_GIB;
        })).toEqual([]);
    });
});

describe("vm.cloudImage", () => {
    it("defaults to the pinned dated noble image with its checksum", () => {
        expect(parseValues(committedConfig("prod")).vm.cloudImage).toEqual(NOBLE_CLOUD_IMAGE);
        expect(NOBLE_CLOUD_IMAGE.url).toMatch(/\/releases\/noble\/release-\d{8}\//);
    });

    it("rejects the moving current/ image, whose bytes change under the checksum", () => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "vm")["cloudImage"] = { url: "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img", sha256: NOBLE_CLOUD_IMAGE.sha256 };
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:vm\.cloudImage\.url: .*dated Ubuntu 24\.04 cloud image/)]);
    });

    it("requires a checksum with a URL", () => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "vm")["cloudImage"] = { url: NOBLE_CLOUD_IMAGE.url };
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:vm\.cloudImage\.sha256: is missing/)]);
    });

    it.each(["abc", NOBLE_CLOUD_IMAGE.sha256.toUpperCase(), `sha256:${NOBLE_CLOUD_IMAGE.sha256}`])("rejects the checksum %j", (sha256) => {
        const problems = problemsAfter("prod", (values) => {
            section(values, "vm")["cloudImage"] = { url: NOBLE_CLOUD_IMAGE.url, sha256 };
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:vm\.cloudImage\.sha256: .*64 lower-case hex digits/)]);
    });

    it("accepts another dated release with its checksum", () => {
        expect(problemsAfter("dev", (values) => {
            section(values, "vm")["cloudImage"] = { url: "https://cloud-images.ubuntu.com/releases/noble/release-20260901/ubuntu-24.04-server-cloudimg-amd64.img", sha256: "0".repeat(64) };
        })).toEqual([]);
    });
});

describe("docker package versions", () => {
    it.each(["latest", "28.5.2", "5:28.5.2-1~ubuntu.22.04~jammy", "5:28.5.2-1~debian.12~bookworm"])("rejects %j, which is not an exact noble version", (version) => {
        const problems = problemsAfter("prod", (values) => {
            values["docker"] = { engineVersion: version };
        });
        expect(problems).toEqual([expect.stringMatching(/^homelab:docker\.engineVersion: .*exact apt version from Docker's noble repository/)]);
    });

    it("accepts exact noble versions, with or without an epoch", () => {
        expect(problemsAfter("prod", (values) => {
            values["docker"] = { engineVersion: "5:28.5.1-1~ubuntu.24.04~noble", containerdVersion: "1.7.28-1~ubuntu.24.04~noble", composeVersion: "2.40.3-1~ubuntu.24.04~noble" };
        })).toEqual([]);
    });
});
