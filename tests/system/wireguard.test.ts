// The WireGuard files, keys and QR codes checked by the real tools: wg, wg-quick, zbarimg, shellcheck.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publicKeyOf } from "../../components/wireguard/keys";
import { pngFromDataUrl } from "../../components/wireguard/qr-code";
import { readScript } from "../../components/wireguard/scripts";
import { planStack, resourceByName } from "../helpers/plan";
import { requireTool, runTool } from "../helpers/system-tools";
import { resolveWireGuard } from "../helpers/wireguard-program";
import type { ResolvedWireGuard } from "../helpers/wireguard-program";

let resolved: ResolvedWireGuard;
let workDirectory: string;

beforeAll(async () => {
    requireTool("wg", "wireguard-tools");
    requireTool("wg-quick", "wireguard-tools");
    requireTool("zbarimg", "zbar-tools");
    requireTool("shellcheck", "shellcheck");
    resolved = await resolveWireGuard();
    workDirectory = mkdtempSync(join(tmpdir(), "homelab-wireguard-"));
    chmodSync(workDirectory, 0o700);
}, 60_000);

afterAll(() => {
    rmSync(workDirectory, { recursive: true, force: true });
});

function privateKeyIn(config: string): string {
    const line = config.split("\n").find((candidate) => candidate.startsWith("PrivateKey = "));
    return line!.slice("PrivateKey = ".length);
}

/** wg-quick insists on root even to parse; without root, a user namespace makes us root for it alone. */
function wgQuickStrip(path: string): { status: number; stdout: string; stderr: string } {
    return process.getuid?.() === 0 ? runTool("wg-quick", ["strip", path]) : runTool("unshare", ["--user", "--map-root-user", "wg-quick", "strip", path]);
}

/** Writes a config as <directory>/<interface>.conf (wg-quick takes the interface name from the file name). */
function writeConfig(interfaceName: string, text: string): string {
    const path = join(workDirectory, `${interfaceName}.conf`);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
}

/**
 * `wg setconf` parses the whole file before it touches the interface: a parse error prints
 * "Configuration parsing error"; a valid file gets as far as the (absent) interface and fails there.
 */
function expectWgParses(strippedText: string, name: string): void {
    const path = join(workDirectory, `${name}.stripped`);
    writeFileSync(path, strippedText, { mode: 0o600 });
    const result = runTool("wg", ["setconf", "hlcheck0", path]);
    expect(result.stderr).not.toMatch(/parsing error|unrecognized|not the correct/i);
    expect(result.stderr).toMatch(/Unable to modify interface/);
}

describe("keys against wg", () => {
    it("derives RFC 7748 Alice's public key as `wg pubkey` does from the unclamped private key", () => {
        const alice = Buffer.from("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", "hex").toString("base64");
        const result = runTool("wg", ["pubkey"], `${alice}\n`);
        expect(result.status).toBe(0);
        expect(result.stdout.trim()).toBe(publicKeyOf(alice));
    });

    it("derives the same public keys as `wg pubkey` for the program's server and peer keys", () => {
        const privateKeys = [privateKeyIn(resolved.serverConfig), ...[...resolved.peers.values()].map((peer) => privateKeyIn(peer.config))];
        for (const privateKey of privateKeys) {
            expect(runTool("wg", ["pubkey"], `${privateKey}\n`).stdout.trim()).toBe(publicKeyOf(privateKey));
        }
    });

    it("derives the same public keys as `wg pubkey` for keys from `wg genkey`", () => {
        for (let round = 0; round < 5; round++) {
            const privateKey = runTool("wg", ["genkey"]).stdout.trim();
            expect(runTool("wg", ["pubkey"], `${privateKey}\n`).stdout.trim()).toBe(publicKeyOf(privateKey));
        }
    });
});

describe("config files against wg-quick and wg", () => {
    it("parses the server's wg0.conf with `wg-quick strip`, and what remains with `wg setconf`", () => {
        const result = wgQuickStrip(writeConfig("wg0", resolved.serverConfig));
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        // wg-quick took its own keys (Address, MTU, PostUp, PostDown) and left the rest for wg.
        expect(result.stdout).not.toMatch(/^(Address|MTU|PostUp|PostDown) =/m);
        expect(result.stdout.match(/^\[Peer\]$/gm)).toHaveLength(resolved.peers.size);
        expectWgParses(result.stdout, "wg0");
    });

    it("parses every peer's config with `wg-quick strip`, and what remains with `wg setconf`", () => {
        for (const [name, peer] of resolved.peers) {
            const result = wgQuickStrip(writeConfig(name, peer.config));
            expect(result.stderr).toBe("");
            expect(result.status).toBe(0);
            expect(result.stdout).not.toMatch(/^(Address|MTU|DNS) =/m);
            // wg resolves the endpoint's name while parsing, and the test machine may have no DNS:
            // the documentation address 203.0.113.7 (RFC 5737) stands in for vpn.example.com.
            expect(result.stdout).toContain("Endpoint = vpn.example.com:51820");
            expectWgParses(result.stdout.replace("Endpoint = vpn.example.com:", "Endpoint = 203.0.113.7:"), name);
        }
    });

    it("would notice a broken file: `wg setconf` rejects a mangled key", () => {
        const broken = resolved.serverConfig.replace(/^PrivateKey = .*$/m, "PrivateKey = not-a-key");
        const path = join(workDirectory, "broken.stripped");
        writeFileSync(path, wgQuickStrip(writeConfig("wg1", broken)).stdout, { mode: 0o600 });
        expect(runTool("wg", ["setconf", "hlcheck0", path]).stderr).toMatch(/parsing error/i);
    });
});

describe("QR codes against zbarimg", () => {
    it("decode with `zbarimg --raw` to exactly each peer's config", () => {
        for (const [name, peer] of resolved.peers) {
            const path = join(workDirectory, `${name}.png`);
            writeFileSync(path, pngFromDataUrl(peer.qrCode), { mode: 0o600 });
            const result = runTool("zbarimg", ["--raw", "-q", path]);
            expect(result.status).toBe(0);
            // zbarimg ends each decoded symbol with one newline of its own.
            expect(result.stdout).toBe(`${peer.config}\n`);
        }
    });
});

describe("the scripts", () => {
    it("pass shellcheck", () => {
        const scripts = ["configure-server.sh", "load-host-modules.sh"].map((name) => join(__dirname, "..", "..", "components", "wireguard", name));
        const result = runTool("shellcheck", ["--severity=style", ...scripts]);
        expect(result.stdout).toBe("");
        expect(result.status).toBe(0);
    });

    it("reach the container byte for byte through the config command's quoting", async () => {
        const plan = await planStack("prod");
        const create = String(resourceByName(plan, "homelab-wireguard-config").inputs["create"]);
        // A stand-in `pct` records what it would run inside the container: `exec <id> -- bash -c <script>`.
        const bin = join(workDirectory, "bin");
        const received = join(workDirectory, "received-script");
        runTool("mkdir", ["-p", bin]);
        writeFileSync(join(bin, "pct"), `#!/bin/sh\nprintf '%s' "$1 $2 $3 $4 $5" > ${received}.argv\nprintf '%s' "$6" > ${received}\n`, { mode: 0o700 });
        const result = runTool("env", [`PATH=${bin}:${process.env["PATH"] ?? ""}`, "sh", "-c", create]);
        expect(result.stderr).toBe("");
        expect(readFileSync(`${received}.argv`, "utf8")).toBe("exec 110 -- bash -c");
        expect(readFileSync(received, "utf8")).toBe(readScript("configure-server.sh"));
    }, 60_000);
});
