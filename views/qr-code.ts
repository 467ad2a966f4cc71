// QR codes as SVG, drawn by the `qrcode` package (never by hand). Black on white with the
// standard four-module quiet zone, so a printed code scans as reliably as the one on screen.
import QRCode from "qrcode";

/** The QR code of `text` as a standalone SVG document, `size` px wide (it scales without loss). */
export function qrSvg(text: string, size = 512): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4, width: size, color: { dark: "#000000", light: "#ffffff" } });
}
