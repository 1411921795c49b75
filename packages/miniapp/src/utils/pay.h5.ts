import { ErrorCode } from '@quanzi/shared';
import { apiError, normalizeCode } from '../api/errors';
import { postJson } from '../api/transport';
import { API_ROOT } from '../env';
import type { PaymentParams } from '../state/pay';

/**
 * H5 (browser demo): there is no wx.requestPayment. The demo API plays the phone through the WeChat Pay simulator:
 * POST /demo/pay with the requestPayment parameters → {transactionId} (paySign checked, order marked paid, the
 * notification follows within a moment) or a refusal {code, message}: ORDER_PAID counts as paid, the other codes
 * (PAY_SIGNATURE_INVALID, PAY_PARAMS_INVALID, NOT_FOUND, ORDER_EXPIRED, ORDER_CLOSED…) show their own message.
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
  const body = res.data as { transactionId?: unknown; code?: unknown; message?: unknown } | null;
  if (res.status === 200 && typeof body?.transactionId === 'string') return 'paid';
  const code = typeof body?.code === 'string' ? body.code : null;
  // Paid already (e.g. a second tap): the result page shows it.
  if (code === ErrorCode.ORDER_PAID) return 'paid';
  // 404 without a code: this server has no pay hook, i.e. the (simulated) WeChat Pay is not available.
  if (res.status === 404 && !code) throw apiError('WECHAT_UNAVAILABLE', 'HTTP 404 /demo/pay');
  const message = typeof body?.message === 'string' ? body.message : `HTTP ${res.status}`;
  // A refusal the API names (signature, parameters, unknown, expired or closed order): its own Chinese message.
  if (code && code !== ErrorCode.INTERNAL && code !== ErrorCode.BAD_USER_INPUT && normalizeCode(code) === code) throw apiError(code, message);
  throw apiError('PAY_FAILED', message);
}
