/**
 * Demo only: what `POST /demo/pay` answers when the WeChat Pay simulator refuses wx.requestPayment's parameters.
 * The simulator rejects with WeChat's own reason code (`err.code`, as `requestPayment:fail …` carries it on a
 * phone); each becomes one of our error codes so the mini-program can show a precise Chinese message.
 */
import { ErrorCode } from '@quanzi/shared';

/** A refusal as `/demo/pay` sends it: the HTTP status and body `{ code, message }`. */
export interface DemoPayRefusal {
  status: number;
  code: ErrorCode;
  message: string;
}

/** WeChat's requestPayment failure codes (as the simulator names them) → our code and HTTP status. */
const REFUSALS: Record<string, { status: number; code: ErrorCode }> = {
  /** Missing or malformed parameter (signType, timeStamp, nonceStr, package). */
  PARAM_ERROR: { status: 400, code: ErrorCode.PAY_PARAMS_INVALID },
  /** appId differs from the prepay order's appid. */
  APPID_MCHID_NOT_MATCH: { status: 400, code: ErrorCode.PAY_PARAMS_INVALID },
  /** paySign does not verify with the merchant's key. */
  SIGN_ERROR: { status: 400, code: ErrorCode.PAY_SIGNATURE_INVALID },
  /** The prepay_id is unknown (or no longer held by WeChat Pay). */
  ORDER_NOT_EXIST: { status: 404, code: ErrorCode.NOT_FOUND },
  /** Another WeChat user than the payer the order was made for. */
  INVALID_REQUEST: { status: 403, code: ErrorCode.FORBIDDEN },
  ORDERPAID: { status: 409, code: ErrorCode.ORDER_PAID },
  ORDER_CLOSED: { status: 409, code: ErrorCode.ORDER_CLOSED },
  /** The prepay_id (2 hours) or the order's time_expire has passed. */
  ORDER_EXPIRED: { status: 409, code: ErrorCode.ORDER_EXPIRED },
};

/** Maps whatever the simulator's `pay()` rejected with to the answer of `/demo/pay`; anything unknown is INTERNAL (500). */
export function demoPayRefusal(e: unknown): DemoPayRefusal {
  const reason = typeof (e as { code?: unknown })?.code === 'string' ? ((e as { code: string }).code as string) : '';
  const message = e instanceof Error ? e.message : String(e);
  const known = REFUSALS[reason];
  return known ? { ...known, message } : { status: 500, code: ErrorCode.INTERNAL, message: 'The payment simulator failed' };
}
