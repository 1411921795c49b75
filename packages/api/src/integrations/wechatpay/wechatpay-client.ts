/**
 * Outbound WeChat Pay v3 calls through wechatpay-node-v3 (request signing, requestPayment parameters), with our
 * own transport: it sends to a configurable base URL (the simulator in tests and the demo), sends exactly the body
 * the library signed, and verifies every response's signature with the same verifier as notifications (the
 * library never does).
 */
import WxPay from 'wechatpay-node-v3';
import type { WechatPayVerifier } from './wechatpay-verifier';

export interface WechatPayClientOptions {
  baseUrl: string;
  appid: string;
  mchid: string;
  /** Merchant API certificate serial. */
  serialNo: string;
  privateKeyPem: string;
  /** Merchant certificate or public key PEM (the library wants one; nothing is verified with it). */
  publicKeyPem: string;
  verifier: WechatPayVerifier;
  timeoutMs?: number;
}

export interface RequestPaymentParams { appId: string; timeStamp: string; nonceStr: string; package: string; signType: 'RSA'; paySign: string }

export interface WechatPayTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
  trade_state_desc?: string;
  success_time?: string;
  payer?: { openid: string };
  amount: { total: number; payer_total?: number; currency: string };
}

export interface WechatPayRefund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  amount: { refund: number; total: number };
}

export class WechatPayError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

type Output = { status: number; data?: unknown; error?: unknown; errRaw?: unknown };

const HOST = 'https://api.mch.weixin.qq.com';

export class WechatPayClient {
  private readonly pay: WxPay;

  constructor(private readonly o: WechatPayClientOptions) {
    this.pay = new WxPay({
      appid: o.appid,
      mchid: o.mchid,
      serial_no: o.serialNo,
      publicKey: Buffer.from(o.publicKeyPem),
      privateKey: Buffer.from(o.privateKeyPem),
    });
    this.pay.createHttp({
      post: (url, params, headers) => this.send('POST', url, headers, params),
      get: (url, headers) => this.send('GET', url, headers),
      upload: () => Promise.reject(new Error('upload is not used')),
    });
  }

  private async send(method: 'GET' | 'POST', url: string, headers: Record<string, string>, params?: Record<string, unknown>): Promise<Output> {
    const target = this.o.baseUrl.replace(/\/$/, '') + url.replace(HOST, '');
    let res: Response;
    try {
      res = await fetch(target, {
        method,
        headers: { ...headers, Accept: 'application/json' },
        body: method === 'POST' ? JSON.stringify(params ?? {}) : undefined,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 8000),
      });
    } catch (e) {
      throw new WechatPayError(0, 'NETWORK', `WeChat Pay unreachable: ${(e as Error).name}`);
    }
    const text = await res.text();
    this.o.verifier.verify({
      timestamp: res.headers.get('wechatpay-timestamp') ?? undefined,
      nonce: res.headers.get('wechatpay-nonce') ?? undefined,
      serial: res.headers.get('wechatpay-serial') ?? undefined,
      signature: res.headers.get('wechatpay-signature') ?? undefined,
      body: text,
    });
    const data = text ? (JSON.parse(text) as unknown) : {};
    if (res.status >= 400) {
      const d = data as { code?: string; message?: string };
      throw new WechatPayError(res.status, d.code ?? 'ERROR', d.message ?? `HTTP ${res.status}`);
    }
    return { status: res.status, data };
  }

  /** JSAPI prepay → the parameters for wx.requestPayment. */
  async jsapiPrepay(p: { description: string; outTradeNo: string; notifyUrl: string; totalFen: number; openid: string; timeExpire?: Date; attach?: string }): Promise<RequestPaymentParams> {
    const r = (await this.pay.transactions_jsapi({
      description: p.description,
      out_trade_no: p.outTradeNo,
      notify_url: p.notifyUrl,
      amount: { total: p.totalFen, currency: 'CNY' },
      payer: { openid: p.openid },
      ...(p.timeExpire ? { time_expire: rfc3339Cst(p.timeExpire) } : {}),
      ...(p.attach ? { attach: p.attach } : {}),
    } as never)) as Output;
    const d = r.data as RequestPaymentParams | undefined;
    if (r.status !== 200 || !d?.package) throw new WechatPayError(r.status, 'PREPAY_FAILED', 'prepay failed');
    return d;
  }

  /** Queries an order by out_trade_no. */
  async queryByOutTradeNo(outTradeNo: string): Promise<WechatPayTransaction> {
    return (await this.pay.query({ out_trade_no: outTradeNo })).data as WechatPayTransaction;
  }

  async close(outTradeNo: string): Promise<void> {
    await this.pay.close(outTradeNo);
  }

  async refund(p: { outTradeNo: string; outRefundNo: string; refundFen: number; totalFen: number; reason?: string; notifyUrl: string }): Promise<WechatPayRefund> {
    const r = (await this.pay.refunds({
      out_trade_no: p.outTradeNo,
      out_refund_no: p.outRefundNo,
      reason: p.reason,
      notify_url: p.notifyUrl,
      amount: { refund: p.refundFen, total: p.totalFen, currency: 'CNY' },
    } as never)) as Output;
    return r.data as WechatPayRefund;
  }
}

/** `2026-11-23T18:30:00+08:00`: WeChat Pay's time format (China Standard Time). */
export function rfc3339Cst(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return `${t.toISOString().slice(0, 19)}+08:00`;
}
