/**
 * The recharge aggregator client (provider id `recharge`): phone top-ups and fuel cards over the form-encoded,
 * MD5-signed protocol that packages/simulators/src/recharge-provider.ts documents and plays in tests and the demo.
 *
 * - submit `POST {base}/api/v1/recharge/submit` → `0000` accepted (PROCESSING); a refusal creates no order.
 * - query `POST {base}/api/v1/recharge/query` → the order's state, or `2004` when the provider has none.
 * - callback `POST /webhooks/rewards/recharge` (form) → verified here (app_id, MD5 signature, timestamp within
 *   300 s), acknowledged with the body `success`.
 * Every request carries `app_id`, `timestamp` (Unix seconds), `nonce_str` and `sign` (see aggregator-sign.ts).
 * A request that gets no answer within `timeoutMs` is ProviderUnreachable: whether the provider acted is unknown.
 */
import { clock } from '../../clock';
import { randomBytes } from 'node:crypto';
import { md5Sign, md5Verify } from './aggregator-sign';
import { CallbackRejected, ProviderUnreachable, type ProviderCallback, type ProviderOrder, type ProviderStatus, type QueryOutcome, type RewardProvider, type SubmitOutcome } from './reward-provider';

export interface AggregatorOptions {
  baseUrl: string;
  appId: string;
  secret: string;
  timeoutMs: number;
  /** Clock in epoch ms (request timestamps, the callback window). */
  now?: () => number;
}

interface Answer { code: string; msg: string; data?: Record<string, unknown> }

/** Refusals that may succeed later without changing the order: bad signature/app/clock (our configuration), our balance at the provider, busy. */
const RETRYABLE = new Set(['1001', '1003', '1004', '3001', '9999']);
const STATUSES = new Set<ProviderStatus>(['PROCESSING', 'SUCCESS', 'FAILED']);
const CALLBACK_WINDOW_S = 300;

export const AGGREGATOR_PROVIDER_ID = 'recharge';

export class AggregatorClient implements RewardProvider {
  readonly id = AGGREGATOR_PROVIDER_ID;
  readonly ack = { ok: 'success', retry: 'fail' };
  private readonly now: () => number;

  constructor(private readonly o: AggregatorOptions) {
    this.now = o.now ?? (() => clock.ms());
  }

  private async post(path: string, params: Record<string, string>): Promise<Answer> {
    const p: Record<string, string> = { ...params, app_id: this.o.appId, timestamp: String(Math.floor(this.now() / 1000)), nonce_str: randomBytes(8).toString('hex') };
    p.sign = md5Sign(p, this.o.secret);
    let res: Response;
    try {
      res = await fetch(`${this.o.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(p).toString(),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (e) {
      const err = e as Error;
      throw new ProviderUnreachable(`${path}: ${err.name === 'TimeoutError' ? `no answer within ${this.o.timeoutMs} ms` : err.message}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new ProviderUnreachable(`${path}: HTTP ${res.status}, not JSON`);
    }
    const a = body as Partial<Answer>;
    if (res.status >= 500 || typeof a?.code !== 'string') throw new ProviderUnreachable(`${path}: HTTP ${res.status} without a result code`);
    return { code: a.code, msg: typeof a.msg === 'string' ? a.msg : '', data: a.data && typeof a.data === 'object' ? a.data : undefined };
  }

  async submit(order: ProviderOrder): Promise<SubmitOutcome> {
    const r = await this.post('/api/v1/recharge/submit', {
      out_trade_no: order.outTradeNo,
      product_type: order.productType,
      brand: order.brand,
      account: order.account,
      face_value: String(order.faceValueYuan),
      notify_url: order.notifyUrl,
    });
    if (r.code === '0000') {
      const status = String(r.data?.status ?? 'PROCESSING') as ProviderStatus;
      return { kind: 'ACCEPTED', providerOrderNo: r.data?.order_no == null ? null : String(r.data.order_no), status: STATUSES.has(status) ? status : 'PROCESSING' };
    }
    // The number exists there with other parameters: never resend it; its state is what the provider says.
    if (r.code === '2001') throw new ProviderUnreachable(`submit: 2001 ${r.msg}`);
    return { kind: 'REJECTED', retryable: RETRYABLE.has(r.code), code: r.code, message: r.msg || r.code };
  }

  async query(outTradeNo: string): Promise<QueryOutcome> {
    const r = await this.post('/api/v1/recharge/query', { out_trade_no: outTradeNo });
    if (r.code === '2004') return { status: 'NOT_FOUND', providerOrderNo: null, failReason: null };
    if (r.code !== '0000' || !r.data) throw new ProviderUnreachable(`query: ${r.code} ${r.msg}`);
    const status = String(r.data.status) as ProviderStatus;
    if (String(r.data.out_trade_no) !== outTradeNo || !STATUSES.has(status)) throw new ProviderUnreachable(`query: an answer about another order or in an unknown state (${String(r.data.status)})`);
    return {
      status,
      providerOrderNo: r.data.order_no == null ? null : String(r.data.order_no),
      failReason: r.data.fail_reason == null ? null : String(r.data.fail_reason),
    };
  }

  verifyCallback(body: string, contentType: string): ProviderCallback {
    if (!/^application\/x-www-form-urlencoded/i.test(contentType)) throw new CallbackRejected('not a form body');
    const p = Object.fromEntries(new URLSearchParams(body)) as Record<string, string>;
    if (p.app_id !== this.o.appId) throw new CallbackRejected('another app_id');
    if (!md5Verify(p, this.o.secret)) throw new CallbackRejected('bad signature');
    const ts = Number(p.timestamp);
    if (!/^\d{1,12}$/.test(p.timestamp ?? '') || Math.abs(this.now() / 1000 - ts) > CALLBACK_WINDOW_S) throw new CallbackRejected('timestamp outside the window');
    if (p.status !== 'SUCCESS' && p.status !== 'FAILED') throw new CallbackRejected(`status ${String(p.status)}`);
    if (!p.out_trade_no) throw new CallbackRejected('no out_trade_no');
    const face = Number(p.face_value);
    return {
      outTradeNo: p.out_trade_no,
      providerOrderNo: p.order_no || null,
      status: p.status,
      failReason: p.status === 'FAILED' ? p.fail_reason || '充值失败' : null,
      account: p.account || null,
      faceValueYuan: Number.isSafeInteger(face) ? face : null,
    };
  }
}
