import jsQR from "jsqr";
import { PNG } from "pngjs";
import { pngFromDataUrl, qrCodeForTerminal, qrCodePngDataUrl } from "../../components/wireguard/qr-code";
import { samplePeerConfig } from "../helpers/wireguard-samples";

function decodeQr(png: Buffer): string | undefined {
    const image = PNG.sync.read(png);
    return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

describe("peer QR codes", () => {
    it.each(["split", "full"] as const)("decode back to exactly the %s-routing config text", async (routing) => {
        const config = samplePeerConfig(routing);
        const dataUrl = await qrCodePngDataUrl(config);
        expect(dataUrl.startsWith("data:image/png;base64,")).toBe(true);
        expect(decodeQr(pngFromDataUrl(dataUrl))).toBe(config);
    });

    it("differ for different configs (the decoder is not reading a constant)", async () => {
        const split = decodeQr(pngFromDataUrl(await qrCodePngDataUrl(samplePeerConfig("split"))));
        const full = decodeQr(pngFromDataUrl(await qrCodePngDataUrl(samplePeerConfig("full"))));
        expect(split).not.toBe(full);
    });

    it("render for a terminal as block characters", async () => {
        const text = await qrCodeForTerminal(samplePeerConfig());
        expect(text).toMatch(/[▀▄█]/);
        expect(text.split("\n").length).toBeGreaterThan(20);
    });

    it("refuses a data URL that is not a PNG", () => {
        expect(() => pngFromDataUrl("data:image/svg+xml;base64,PHN2Zz4=")).toThrow(/not a PNG/);
    });
});
