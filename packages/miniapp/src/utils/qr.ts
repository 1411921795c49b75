import qrcode from 'qrcode-generator';

/**
 * A QR code as a GIF data URL, generated in pure JS on the device (no network, no canvas): works in the
 * mini-program's <Image> and in the browser alike. Error correction M; the member code is short (≈ 20 chars).
 */
export function qrDataUrl(text: string, cellSize = 6, margin = 2): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return qr.createDataURL(cellSize, margin);
}
