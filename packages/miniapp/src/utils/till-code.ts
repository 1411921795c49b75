import { tillOrderCode } from '../state/pay';
import { qrDataUrl } from './qr';

/**
 * The image staff show for a till order. In WeChat it is the mini-program code from the API (getwxacodeunlimit), so
 * WeChat's own scanner opens the pay page; if WeChat cannot make one, a plain QR code of the order number, which the
 * pay page's in-app scanner reads.
 */
export async function tillCodeImage(outTradeNo: string): Promise<string> {
  try {
    return await tillOrderCode(outTradeNo);
  } catch {
    return qrDataUrl(outTradeNo);
  }
}
