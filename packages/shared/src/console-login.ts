/**
 * The manager console's QR sign-in (issue #13): what the QR encodes and how the mini-program reads it back. The QR is
 * an ordinary https link (WeChat's "扫普通链接二维码打开小程序" hands it to the mini-program as the `q` parameter), with
 * the 43-character base64url ticket in its `ticket` query parameter.
 */
export const CONSOLE_TICKET = /^[A-Za-z0-9_-]{43}$/;

/** The text of the console's sign-in QR code for `ticket`. */
export function consoleLoginQr(publicBaseUrl: string, ticket: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/console/qr?ticket=${ticket}`;
}

/**
 * The ticket in a scanned text: the console's link (as scanned, or URL-encoded as WeChat passes it in `q`), or a bare
 * ticket; null when the text is anything else (another QR code, a member code, a tampered link).
 */
export function consoleTicketFromQr(text: string | null | undefined): string | null {
  if (!text || text.length > 512) return null;
  let s = text.trim();
  if (/^https?%3A/i.test(s)) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return null;
    }
  }
  if (CONSOLE_TICKET.test(s)) return s;
  const m = /^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?\/console\/qr\?(?:[^#\s]*&)?ticket=([A-Za-z0-9_-]{43})(?:&[^#\s]*)?$/.exec(s);
  return m ? (m[1] as string) : null;
}
