import Taro from '@tarojs/taro';
import { apiError } from '../api/errors';
import type { PaymentParams } from '../state/pay';

/**
 * weapp: WeChat's payment sheet (wx.requestPayment) with the parameters the API prepared (JSAPI prepay, RSA
 * paySign). The H5 demo uses pay.h5.ts (the WeChat Pay simulator's hook).
 */
export type PayOutcome = 'paid' | 'cancelled';

/** H5 shows a note that the demo pays through the simulator. */
export const DEMO_PAY = false;

/**
 * Resolves 'paid' when WeChat reports success (the points arrive with the notification: poll the order), 'cancelled'
 * when the member closed the sheet (the order stays payable). Rejects with PAY_FAILED otherwise.
 */
export async function requestPayment(p: PaymentParams): Promise<PayOutcome> {
  try {
    await Taro.requestPayment({
      timeStamp: p.timeStamp,
      nonceStr: p.nonceStr,
      package: p.package,
      signType: p.signType as keyof Taro.requestPayment.SignType,
      paySign: p.paySign,
    });
    return 'paid';
  } catch (e) {
    const msg = (e as { errMsg?: string } | null)?.errMsg ?? String(e);
    if (/fail[ :]*cancel/i.test(msg)) return 'cancelled';
    throw apiError('PAY_FAILED', msg);
  }
}
