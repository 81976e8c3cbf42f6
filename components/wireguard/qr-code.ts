// QR codes of a peer's config: what the WireGuard mobile apps scan. The QR holds the whole config
// text, private key included, so every QR is as secret as the config itself.
import * as QRCode from "qrcode";

const PNG_DATA_URL_PREFIX = "data:image/png;base64,";

// Medium error correction: a config (~400 bytes) still fits a QR a phone reads easily from a screen.
const ERROR_CORRECTION = "M" as const;

/**
 * PNG encoder settings (pngjs, through qrcode). Every QR row is repeated `scale` times, so the "Up"
 * filter alone turns most rows into zeros: about half the size of pngjs's default, which tries all
 * five filters per row and is ~15 times slower (it dominated the offline plan's run time).
 */
const PNG_ENCODING: { filterType: number; deflateStrategy: number } = { filterType: 2, deflateStrategy: 0 };

/** The QR code as a PNG (5 pixels per module, a 4-module quiet zone). */
export function qrCodePng(text: string): Promise<Buffer> {
    return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: ERROR_CORRECTION, margin: 4, scale: 5, rendererOpts: PNG_ENCODING });
}

/** The QR code as a PNG data URL ("data:image/png;base64,..."), to paste into a browser or save. */
export async function qrCodePngDataUrl(text: string): Promise<string> {
    return `${PNG_DATA_URL_PREFIX}${(await qrCodePng(text)).toString("base64")}`;
}

/** The QR code as text for a terminal (half-height blocks, so it fits a normal window). */
export function qrCodeForTerminal(text: string): Promise<string> {
    return QRCode.toString(text, { type: "terminal", small: true, errorCorrectionLevel: ERROR_CORRECTION });
}

/** The PNG bytes inside a PNG data URL. */
export function pngFromDataUrl(dataUrl: string): Buffer {
    if (!dataUrl.startsWith(PNG_DATA_URL_PREFIX)) {
        throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 30)}...`);
    }
    return Buffer.from(dataUrl.slice(PNG_DATA_URL_PREFIX.length), "base64");
}
