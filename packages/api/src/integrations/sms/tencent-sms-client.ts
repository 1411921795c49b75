/**
 * Tencent Cloud SMS API v3 client: `SendSms` (version 2021-01-11) at https://sms.tencentcloudapi.com/, a JSON POST
 * signed with TC3-HMAC-SHA256 (tc3.ts) using the API's clock. packages/simulators/src/tencent-sms.ts plays the
 * service in tests and the offline demo, verifying the signature as the real one does.
 *
 * Answers are HTTP 200 JSON `{Response: {…, RequestId}}`: `Response.Error {Code, Message}` refuses the whole request
 * (nothing sent); otherwise `SendStatusSet` has one entry per number with `Code: "Ok"` or the number's refusal.
 * Error codes from Tencent's SMS and common error code lists; which ones are worth retrying is decided here.
 */
import { clock } from '../../clock';
import { tc3Sign } from './tc3';
import type { SmsOutcome, SmsProvider, SmsRequest } from './sms-provider';

export const TENCENT_SMS_ACTION = 'SendSms';
export const TENCENT_SMS_VERSION = '2021-01-11';

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  region: string;
  /** https://sms.tencentcloudapi.com (or the simulator's base URL). */
  endpoint: string;
  timeoutMs: number;
  /** Clock in epoch ms (X-TC-Timestamp). Default the API's clock. */
  now?: () => number;
}

/**
 * Refusals that may succeed if sent again a little later without any change: the service is busy or timed out,
 * a short frequency window (30 s, 1 h, the account's delivery frequency), our clock was off (SignatureExpire), the
 * package ran out (topped up by an operator). Everything else (a wrong number, do-not-disturb, the daily limit,
 * signature/template/app configuration, credentials) is final for this message.
 */
const RETRYABLE = [
  /^InternalError(\.|$)/,
  /^RequestLimitExceeded(\.|$)/,
  /^LimitExceeded\.(PhoneNumberThirtySecondLimit|PhoneNumberOneHourLimit|DeliveryFrequencyLimit)$/,
  /^AuthFailure\.SignatureExpire$/,
  /^FailedOperation\.InsufficientBalanceInSmsPackage$/,
  /^ResourceUnavailable(\.|$)/,
];

export function isRetryableSmsCode(code: string): boolean {
  return RETRYABLE.some((r) => r.test(code));
}

/** Connection errors raised before any byte of the request can have reached the service: nothing was sent. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export class TencentSmsClient implements SmsProvider {
  readonly id = 'tencent';
  private readonly now: () => number;
  private readonly url: URL;

  constructor(private readonly o: TencentSmsOptions) {
    this.now = o.now ?? (() => clock.ms());
    this.url = new URL(o.endpoint.endsWith('/') ? o.endpoint : `${o.endpoint}/`);
  }

  /** The headers and body of a signed SendSms request (exposed for the signature tests). */
  signedRequest(r: SmsRequest, timestampS = Math.floor(this.now() / 1000)): { headers: Record<string, string>; body: string } {
    const body = JSON.stringify({
      PhoneNumberSet: [r.phone],
      SmsSdkAppId: this.o.sdkAppId,
      SignName: this.o.signName,
      TemplateId: r.templateId,
      TemplateParamSet: r.params,
      ...(r.sessionContext ? { SessionContext: r.sessionContext } : {}),
    });
    const signed = { 'content-type': 'application/json; charset=utf-8', host: this.url.host };
    const { authorization } = tc3Sign({ secretId: this.o.secretId, secretKey: this.o.secretKey, service: 'sms', timestampS, headers: signed, payload: body });
    return {
      headers: {
        ...signed,
        authorization,
        'x-tc-action': TENCENT_SMS_ACTION,
        'x-tc-version': TENCENT_SMS_VERSION,
        'x-tc-timestamp': String(timestampS),
        'x-tc-region': this.o.region,
      },
      body,
    };
  }

  async send(r: SmsRequest): Promise<SmsOutcome> {
    const { headers, body } = this.signedRequest(r);
    let res: Response;
    try {
      res = await fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.o.timeoutMs) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const code = err.cause?.code ?? '';
      if (NOT_SENT.has(code)) return { kind: 'REJECTED', code, message: `cannot reach ${this.url.host}: ${code}`, retryable: true, requestId: null };
      return { kind: 'UNKNOWN', reason: err.name === 'TimeoutError' ? `no answer within ${this.o.timeoutMs} ms` : `${err.message}${code ? ` (${code})` : ''}` };
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      return { kind: 'UNKNOWN', reason: `HTTP ${res.status}, not JSON` };
    }
    const response = (json as { Response?: Record<string, unknown> } | null)?.Response;
    if (!response || typeof response !== 'object') return { kind: 'UNKNOWN', reason: `HTTP ${res.status} without a Response` };
    const requestId = typeof response.RequestId === 'string' ? response.RequestId : null;
    const error = response.Error as { Code?: unknown; Message?: unknown } | undefined;
    if (error && typeof error.Code === 'string') {
      return { kind: 'REJECTED', code: error.Code, message: typeof error.Message === 'string' ? error.Message : error.Code, retryable: isRetryableSmsCode(error.Code), requestId };
    }
    const status = Array.isArray(response.SendStatusSet) ? (response.SendStatusSet[0] as Record<string, unknown> | undefined) : undefined;
    if (!status || typeof status.Code !== 'string') return { kind: 'UNKNOWN', reason: 'an answer without SendStatusSet' };
    if (status.Code === 'Ok') return { kind: 'SENT', serialNo: String(status.SerialNo ?? ''), fee: Number(status.Fee ?? 0) || 0, requestId: requestId ?? '' };
    return { kind: 'REJECTED', code: status.Code, message: typeof status.Message === 'string' ? status.Message : status.Code, retryable: isRetryableSmsCode(status.Code), requestId };
  }
}
