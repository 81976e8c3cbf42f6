// QR codes of a peer's config: what the WireGuard mobile apps scan. The QR holds the whole config
// text, private key included, so every QR is as secret as the config itself.
import * as QRCode from "qrcode";

// Medium error correction: a config (~400 bytes) still fits a QR a phone reads easily from a screen.
const ERROR_CORRECTION = "M" as const;

/** The QR code as a PNG data URL ("data:image/png;base64,..."), to paste into a browser or save. */
export function qrCodePngDataUrl(text: string): Promise<string> {
    return QRCode.toDataURL(text, { errorCorrectionLevel: ERROR_CORRECTION, margin: 4, scale: 6 });
}

/** The QR code as text for a terminal (half-height blocks, so it fits a normal window). */
export function qrCodeForTerminal(text: string): Promise<string> {
    return QRCode.toString(text, { type: "terminal", small: true, errorCorrectionLevel: ERROR_CORRECTION });
}

const PNG_DATA_URL_PREFIX = "data:image/png;base64,";

/** The PNG bytes inside a PNG data URL. */
export function pngFromDataUrl(dataUrl: string): Buffer {
    if (!dataUrl.startsWith(PNG_DATA_URL_PREFIX)) {
        throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 30)}...`);
    }
    return Buffer.from(dataUrl.slice(PNG_DATA_URL_PREFIX.length), "base64");
}
