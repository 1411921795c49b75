import { qrDataUrl } from './qr';

/** In the browser demo there is no WeChat scanner: a QR code of the order number (the member types or pastes it). */
export async function tillCodeImage(outTradeNo: string): Promise<string> {
  return qrDataUrl(outTradeNo);
}
