import { apiError } from '../api/errors';
import { postJson } from '../api/transport';
import { API_ROOT } from '../env';
import type { PaymentParams } from '../state/pay';

/**
 * H5 (browser demo): there is no wx.requestPayment. The demo API plays the phone through the WeChat Pay simulator:
 * POST /demo/pay with the requestPayment parameters → {transactionId} (paySign checked, order marked paid, the
 * notification follows within a moment) or 400 {code, message}.
 */
export type PayOutcome = 'paid' | 'cancelled';

export const DEMO_PAY = true;

export async function requestPayment(p: PaymentParams): Promise<PayOutcome> {
  let res;
  try {
    res = await postJson(`${API_ROOT}/demo/pay`, {
      appId: p.appId,
      timeStamp: p.timeStamp,
      nonceStr: p.nonceStr,
      package: p.package,
      signType: p.signType,
      paySign: p.paySign,
    });
  } catch {
    throw apiError('NETWORK');
  }
  const body = res.data as { transactionId?: unknown; message?: unknown } | null;
  if (res.status === 200 && typeof body?.transactionId === 'string') return 'paid';
  // 404: this server has no pay hook, i.e. the (simulated) WeChat Pay is not available.
  if (res.status === 404) throw apiError('WECHAT_UNAVAILABLE', 'HTTP 404 /demo/pay');
  const message = typeof body?.message === 'string' ? body.message : `HTTP ${res.status}`;
  // Paid already (e.g. a second tap): the result page shows it.
  if (/ORDERPAID|已支付/.test(message)) return 'paid';
  throw apiError('PAY_FAILED', message);
}
