import { findPeerConfig, readStackOutputs, renderPeer } from "../../tools/peer/peer-output";
import { samplePeerConfig } from "../helpers/wireguard-samples";

// What `pulumi stack output --show-secrets --json` prints for a stack with two peers.
const config = samplePeerConfig();
const SAMPLE_OUTPUTS = JSON.stringify({
    proxmoxEndpoint: "https://192.168.1.120:8006",
    wireguardEndpoint: "vpn.example.com:51820",
    wireguardPeers: {
        laptop: { config: "[Interface]\nPrivateKey = other\n", qrCode: "data:image/png;base64,AAAA" },
        phone: { config, qrCode: "data:image/png;base64,AAAA" },
    },
});

describe("npm run peer: finding the peer", () => {
    it("returns exactly the named peer's config", () => {
        expect(findPeerConfig(SAMPLE_OUTPUTS, "phone")).toEqual({ ok: true, config });
    });

    it("names the known peers when the peer does not exist", () => {
        const result = findPeerConfig(SAMPLE_OUTPUTS, "tablet");
        expect(result).toEqual({ ok: false, error: expect.stringContaining('no peer named "tablet" (peers: laptop, phone;') as unknown });
    });

    it("says to pass --show-secrets when the peers are hidden", () => {
        const hidden = JSON.stringify({ wireguardPeers: "[secret]" });
        expect(findPeerConfig(hidden, "phone")).toEqual({ ok: false, error: expect.stringContaining("--show-secrets") as unknown });
    });

    it("explains a stack without WireGuard outputs and output that is not JSON", () => {
        expect(findPeerConfig(JSON.stringify({ proxmoxEndpoint: "x" }), "phone")).toEqual({ ok: false, error: expect.stringContaining("no wireguardPeers output") as unknown });
        expect(findPeerConfig("error: no stack named 'prod'", "phone")).toEqual({ ok: false, error: expect.stringContaining("not JSON") as unknown });
    });
});

describe("npm run peer: printing", () => {
    it("prints the config verbatim followed by a terminal QR code", async () => {
        const printed = await renderPeer("phone", config);
        expect(printed).toContain(config.trimEnd());
        expect(printed.indexOf("[Interface]")).toBeLessThan(printed.search(/[▀▄█]/));
        expect(printed.split("\n")[0]).toContain("phone.conf");
    });
});

describe("npm run peer: calling the Pulumi CLI", () => {
    it("gives a clear error when the CLI cannot be started", () => {
        const result = readStackOutputs("prod", ["/nonexistent/pulumi-cli"]);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.error).toMatch(/could not read the outputs of stack "prod" with the Pulumi CLI .*ENOENT[\s\S]*The Pulumi CLI is needed/);
    });

    it("passes the stack and --show-secrets --json, and returns the CLI's stdout", () => {
        // `echo` stands in for the CLI: its output is the argument list the CLI would get.
        const result = readStackOutputs("dev", ["echo"]);
        expect(result).toEqual({ ok: true, json: "stack output --stack dev --show-secrets --json\n" });
    });

    it("reports a failing CLI with its message", () => {
        const result = readStackOutputs("prod", ["sh", "-c", "echo 'error: no stack named prod' >&2; exit 255", "pulumi"]);
        expect(!result.ok && result.error).toContain("error: no stack named prod");
    });
});
