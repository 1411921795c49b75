/**
 * Loopback simulator for WeChat Pay API v3 (host api.mch.weixin.qq.com) as the project uses it:
 * JSAPI prepay, order query (by out_trade_no and by transaction_id), close, domestic refunds and
 * refund query, plus the callbacks (payment and refund notifications) with WeChat's retry schedule.
 *
 * The cryptography is the real thing, so the production code paths run against it:
 * - every request must carry a merchant `Authorization: WECHATPAY2-SHA256-RSA2048 …` header whose
 *   SHA256withRSA (PKCS#1 v1.5) signature over `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n` verifies
 *   with the merchant public key, with the merchant serial and a timestamp within 300 s;
 * - every response and every notification is signed over `TIMESTAMP\nNONCE\nBODY\n` with either the
 *   platform certificate key or the WeChat Pay public key (`signWith`), identified by
 *   `Wechatpay-Serial` (certificate serial or `PUB_KEY_ID_…`);
 * - notification resources are AES-256-GCM encrypted under the APIv3 key (IV = 12-character nonce,
 *   AAD = associated_data, ciphertext = base64(ct ‖ 16-byte tag)).
 *
 * Deliberate leniency: `notify_url` must be https without a query, except that `http://` is accepted
 * for loopback hosts (127.0.0.1, localhost, [::1]) because tests and the offline demo listen there.
 *
 * A control surface stands in for the phone: `pay()` plays `wx.requestPayment` (also reachable as
 * `POST /__sim/pay`, with CORS, for the H5 demo), and `notifications`, `redeliver()` and
 * `buildNotification()` let tests duplicate, drop, replay and tamper with callbacks.
 *
 * Only node built-ins are used so the offline demo can start it in-process.
 */
import {
  createCipheriv,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  randomInt,
  type KeyObject,
} from 'node:crypto';
import { createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { IdleTracker, listenLoopback } from './loopback';
import { request as httpsRequest } from 'node:https';

export interface WechatPayKeys {
  /** 32 ASCII characters; used as the 32-byte AES-256-GCM key. */
  apiV3Key: string;
  merchant: {
    mchid: string;
    /** 40 hex (upper-case), merchant API certificate serial. */
    serial: string;
    privateKeyPem: string;
    publicKeyPem: string;
  };
  platformCert: {
    /** 40 hex upper-case, platform certificate serial. */
    serial: string;
    privateKeyPem: string;
    publicKeyPem: string;
  };
  publicKey: {
    /** `PUB_KEY_ID_01` followed by 30 digits. */
    id: string;
    privateKeyPem: string;
    publicKeyPem: string;
  };
}

export interface WechatPaySimulatorOptions {
  keys: WechatPayKeys;
  /** The mini-program appid orders must be placed for. */
  appid: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Clock in epoch milliseconds (timestamps, expiry, signature windows). Default `Date.now`. */
  now?: () => number;
  /** Which key signs responses and notifications: platform certificate, WeChat Pay public key, or alternate between them (a merchant mid-switch). Default 'publicKey'. */
  signWith?: 'certificate' | 'publicKey' | 'alternate';
  /** Multiplies WeChat's retry schedule 15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,3h,3h,6h,6h (e.g. 0.0001 in tests). Default 1. */
  retryScale?: number;
  /** Send a `WECHATPAY/SIGNTEST/` probe notification (which the merchant must reject) before every n-th real notification; 0 = never. Default 0. */
  probeEvery?: number;
  /** Delay before a refund moves PROCESSING → SUCCESS and its notification is sent. Default 50 ms. */
  refundDelayMs?: number;
}

export interface NotificationDelivery {
  eventId: string;
  eventType: string;
  outTradeNo: string;
  outRefundNo?: string;
  /** 1-based count of POSTs of this event (retries and duplicate copies included); 0 for probes. */
  attempt: number;
  /** The merchant's HTTP status, or 'error' (connection error, 5 s timeout, or dropped by `notifications.drop`). */
  status: number | 'error';
  probe: boolean;
  /** Simulator clock (ms) when the attempt was made. */
  at: number;
}

export type WechatPayNotificationTamper = 'signature' | 'serial' | 'timestamp' | 'probe' | 'ciphertext' | 'tag' | 'key';

export interface WechatPaySimulator {
  /** Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  readonly url: string;
  /** Stands in for wx.requestPayment: checks signType RSA, that appId equals the prepay appid, paySign (merchant key over `appId\ntimeStamp\nnonceStr\npackage\n`), the order is NOTPAY and not expired; marks it SUCCESS (transaction_id, success_time, payer) and starts notification delivery. Rejects with an Error whose message is a WeChat-like reason otherwise. */
  pay(
    params: { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string },
    opts?: { openid?: string },
  ): Promise<{ transactionId: string }>;
  /** Mutable delivery behaviour for subsequent notifications: extra copies (some sent concurrently when `concurrent`), or drop every attempt (to test recovery by query). */
  notifications: { duplicates: number; concurrent: boolean; drop: boolean };
  /** Every delivery attempt so far. */
  readonly deliveries: NotificationDelivery[];
  /** Resolves when no delivery (including scheduled retries) is pending. */
  idle(): Promise<void>;
  /** Sends the notification for an order (or refund) once more, now; resolves to the merchant's HTTP status. */
  redeliver(outTradeNo: string, opts?: { outRefundNo?: string }): Promise<number>;
  /** Builds (does not send) the signed, encrypted notification for an order or refund, optionally tampered: 'signature' (valid base64, wrong signature), 'serial' (unknown serial), 'timestamp' (10 minutes old, correctly signed), 'probe' (signature starting WECHATPAY/SIGNTEST/), 'ciphertext' (one bit flipped, re-signed), 'tag' (GCM tag altered, re-signed), 'key' (encrypted under another APIv3 key). */
  buildNotification(
    outTradeNo: string,
    opts?: { outRefundNo?: string; tamper?: WechatPayNotificationTamper },
  ): { headers: Record<string, string>; body: string };
  /** Current state of an order as the query API would return it, or null. */
  order(outTradeNo: string): Record<string, unknown> | null;
  /**
   * Makes WeChat's record of a paid order contradict the merchant's: from now on the query API and the order's
   * notification (validly signed and encrypted, as ever) report this amount, merchant id, transaction id or payer
   * (for tests of the merchant's anomaly handling; a real WeChat Pay never should).
   */
  contradict(outTradeNo: string, patch: { total?: number; mchid?: string; transactionId?: string; openid?: string }): void;
  close(): Promise<void>;
}

/** WeChat's callback retry schedule in seconds (15 retries after the first attempt, 24 h 4 min in all). */
export const WECHAT_PAY_RETRY_SCHEDULE_S: readonly number[] = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
const SIGN_WINDOW_S = 300;
const PREPAY_TTL_MS = 2 * 60 * 60 * 1000;
const NOTIFY_TIMEOUT_MS = 5000;
const MAX_BODY_BYTES = 1024 * 1024;
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const SIGN_ERROR_MESSAGE = '错误的签名,验签失败';
const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';

function randomString(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}

function randomSerial(): string {
  return randomBytes(20).toString('hex').toUpperCase();
}

function rsaPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Fresh RSA-2048 keys generated at run time (never committed). */
export function generateWechatPayKeys(mchid = '1900000109'): WechatPayKeys {
  return {
    apiV3Key: randomString(32),
    merchant: { mchid, serial: randomSerial(), ...rsaPair() },
    platformCert: { serial: randomSerial(), ...rsaPair() },
    publicKey: { id: `PUB_KEY_ID_01${randomString(30, DIGITS)}`, ...rsaPair() },
  };
}

/** `yyyy-MM-ddTHH:mm:ss+08:00`, the way WeChat Pay writes times. */
function cstTime(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}

/** `yyyyMMddHHmmss` in China Standard Time (used inside generated ids). */
function cstStamp(ms: number): string {
  return cstTime(ms).slice(0, 19).replace(/[-T:]/g, '');
}

function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** JSON with object keys sorted, to compare "the same parameters" regardless of key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function rsaSign(message: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(key, 'base64');
}

function rsaVerify(message: string, signature: string, key: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/** An API error as WeChat Pay v3 answers it: HTTP status + `{code, message, detail?}`. */
class PayApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The error `pay()` rejects with; `code` is what `POST /__sim/pay` answers. */
class RequestPaymentError extends Error {
  constructor(
    readonly code: string,
    reason: string,
  ) {
    super(`requestPayment:fail ${reason}`);
  }
}

const paramError = (location: string, field: string, label: string, rule: string, value?: unknown) =>
  new PayApiError(400, 'PARAM_ERROR', `输入源“/${location}/${field}”映射到值字段“${label}”${rule}`, {
    location,
    value: value === undefined ? null : value,
  });

const missing = (field: string, label: string) =>
  new PayApiError(400, 'PARAM_ERROR', `输入源“/body/${field}”映射到字段“${label}”必填性规定不匹配`, {
    location: 'body',
    value: null,
  });

type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED';

const TRADE_STATE_DESC: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  CLOSED: '订单已关闭',
};

interface OrderRecord {
  appid: string;
  mchid: string;
  outTradeNo: string;
  description: string;
  attach?: string;
  notifyUrl: string;
  total: number;
  currency: string;
  openid: string;
  /** Parsed `time_expire` (ms), if given. */
  timeExpire?: number;
  fingerprint: string;
  prepayId: string;
  prepayIssuedAt: number;
  state: TradeState;
  transactionId?: string;
  successTime?: string;
  /** Fen claimed by refunds so far (PROCESSING and SUCCESS). */
  refunded: number;
  /** What the query API and notifications report instead of the truth (`contradict`). */
  reported?: { total?: number; mchid?: string; transactionId?: string; openid?: string };
}

interface RefundRecord {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  notifyUrl?: string;
  refund: number;
  total: number;
  currency: string;
  status: 'PROCESSING' | 'SUCCESS';
  createTime: string;
  successTime?: string;
  fingerprint: string;
}

interface NotifyEvent {
  eventId: string;
  createTime: string;
  eventType: 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS';
  summary: string;
  originalType: 'transaction' | 'refund';
  plaintext: string;
  outTradeNo: string;
  outRefundNo?: string;
  notifyUrl: string;
  attempts: number;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

const OUT_TRADE_NO_RE = /^[0-9A-Za-z_\-|*]{6,32}$/;
const OUT_REFUND_NO_RE = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkNotifyUrl(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw missing(field, '通知地址');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw paramError('body', field, '通知地址', '字符串规则校验失败，不是合法的URL', value);
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw paramError('body', field, '通知地址', '字符串规则校验失败，必须以https://开头', value);
  }
  if (url.search !== '' || value.includes('?')) {
    throw paramError('body', field, '通知地址', '字符串规则校验失败，不能携带参数', value);
  }
  if (value.length > 256) throw paramError('body', field, '通知地址', `字符串规则校验失败，字节数 ${value.length}，大于最大值 256`, value);
  return value;
}

function positiveFen(value: unknown, field: string, label: string): number {
  if (value === undefined || value === null) throw missing(field, label);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw paramError('body', field, label, '必须为正整数（单位：分）', value);
  }
  return value;
}

function currencyOf(amount: Record<string, unknown>, field: string): string {
  const currency = amount.currency ?? 'CNY';
  if (currency !== 'CNY') throw paramError('body', field, '货币类型', '取值不在枚举范围内，仅支持CNY', currency);
  return currency;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Starts the simulator on a loopback port. It holds orders and refunds in memory for its lifetime.
 */
export async function startWechatPaySimulator(opts: WechatPaySimulatorOptions): Promise<WechatPaySimulator> {
  const { keys, appid } = opts;
  const mchid = keys.merchant.mchid;
  const now = opts.now ?? Date.now;
  const host = opts.host ?? '127.0.0.1';
  const signWith = opts.signWith ?? 'publicKey';
  const retryScale = opts.retryScale ?? 1;
  const probeEvery = opts.probeEvery ?? 0;
  const refundDelayMs = opts.refundDelayMs ?? 50;

  const merchantPublicKey = createPublicKey(keys.merchant.publicKeyPem);
  const certKey = createPrivateKey(keys.platformCert.privateKeyPem);
  const pubKeyKey = createPrivateKey(keys.publicKey.privateKeyPem);

  const orders = new Map<string, OrderRecord>();
  const byTransactionId = new Map<string, string>();
  const byPrepayId = new Map<string, string>();
  const refunds = new Map<string, RefundRecord>();
  const events = new Map<string, NotifyEvent>();
  const deliveries: NotificationDelivery[] = [];
  const notifications = { duplicates: 0, concurrent: false, drop: false };

  let signCount = 0;
  let realSends = 0;
  let closed = false;
  const work = new IdleTracker();
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const inflight = new Set<ClientRequest>();

  // ---- signing -------------------------------------------------------------------------------

  /** The key that signs the next response or notification ('alternate' flips on every use). */
  function signer(): { serial: string; key: KeyObject } {
    const useCert = signWith === 'certificate' || (signWith === 'alternate' && signCount++ % 2 === 0);
    return useCert ? { serial: keys.platformCert.serial, key: certKey } : { serial: keys.publicKey.id, key: pubKeyKey };
  }

  function signedHeaders(body: string): Record<string, string> {
    const { serial, key } = signer();
    const timestamp = String(Math.floor(now() / 1000));
    const nonce = randomString(32, UPPER_ALNUM);
    return {
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': serial,
      'Wechatpay-Signature': rsaSign(`${timestamp}\n${nonce}\n${body}\n`, key),
      'Wechatpay-Timestamp': timestamp,
    };
  }

  /** Checks the merchant's Authorization header; throws 401 SIGN_ERROR like WeChat. */
  function verifyAuthorization(req: IncomingMessage, rawUrl: string, body: string): void {
    const header = req.headers.authorization ?? '';
    const method = req.method ?? 'GET';
    const fail = (field: string, issue: string, message = SIGN_ERROR_MESSAGE): never => {
      const signMessage = `${method}\n${rawUrl}\n`;
      throw new PayApiError(401, 'SIGN_ERROR', message, {
        detail: { issue },
        field,
        location: 'authorization',
        sign_information: {
          method,
          url: rawUrl,
          sign_message_length: utf8Bytes(signMessage) + utf8Bytes(body) + 1,
          truncated_sign_message: signMessage,
        },
      });
    };
    const match = /^\s*WECHATPAY2-SHA256-RSA2048\s+(.+)$/.exec(header);
    if (!match?.[1]) return fail('authorization', 'authorization header missing or malformed', 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》');
    const fields: Record<string, string> = {};
    // Fields may come in any order (SDKs differ), separated by commas, values double-quoted.
    const re = /\s*([a-z_]+)\s*=\s*"([^"]*)"\s*(?:,|$)/gy;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = re.exec(match[1])) !== null) {
      fields[m[1] as string] = m[2] as string;
      consumed = re.lastIndex;
      if (consumed >= match[1].length) break;
    }
    const { mchid: authMchid, nonce_str: nonce, signature, timestamp, serial_no: serial } = fields;
    if (consumed < match[1].trimEnd().length || !authMchid || !nonce || !signature || !timestamp || !serial) {
      return fail('authorization', 'authorization header missing or malformed', 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》');
    }
    if (authMchid !== mchid) return fail('mchid', 'mchid not found');
    if (serial !== keys.merchant.serial) return fail('serial_no', 'certificate serial number not match');
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Number(timestamp) - now() / 1000) > SIGN_WINDOW_S) {
      return fail('timestamp', 'timestamp expired');
    }
    const message = `${method}\n${rawUrl}\n${timestamp}\n${nonce}\n${body}\n`;
    if (!rsaVerify(message, signature, merchantPublicKey)) return fail('signature', 'sign not match');
  }

  // ---- shapes ---------------------------------------------------------------------------------

  function queryShape(truth: OrderRecord): Record<string, unknown> {
    const r = truth.reported ?? {};
    const o: OrderRecord = { ...truth, total: r.total ?? truth.total, mchid: r.mchid ?? truth.mchid, openid: r.openid ?? truth.openid, transactionId: truth.transactionId === undefined ? undefined : (r.transactionId ?? truth.transactionId) };
    const paid = o.transactionId !== undefined;
    const out: Record<string, unknown> = { appid: o.appid, mchid: o.mchid, out_trade_no: o.outTradeNo };
    if (paid) out.transaction_id = o.transactionId;
    out.trade_type = 'JSAPI';
    out.trade_state = o.state;
    out.trade_state_desc = TRADE_STATE_DESC[o.state];
    if (paid) out.bank_type = 'OTHERS';
    out.attach = o.attach ?? '';
    if (paid) out.success_time = o.successTime;
    out.payer = { openid: o.openid };
    out.amount = paid
      ? { total: o.total, payer_total: o.total, currency: o.currency, payer_currency: o.currency }
      : { total: o.total, currency: o.currency, payer_currency: o.currency };
    return out;
  }

  function refundShape(r: RefundRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
    };
    if (r.successTime) out.success_time = r.successTime;
    out.create_time = r.createTime;
    out.status = r.status;
    out.funds_account = 'AVAILABLE';
    out.amount = {
      total: r.total,
      refund: r.refund,
      from: [],
      payer_total: r.total,
      payer_refund: r.refund,
      settlement_refund: r.refund,
      settlement_total: r.total,
      discount_refund: 0,
      currency: r.currency,
    };
    out.promotion_detail = [];
    return out;
  }

  function refundNotificationPlaintext(r: RefundRecord): Record<string, unknown> {
    return {
      mchid,
      out_trade_no: r.outTradeNo,
      transaction_id: r.transactionId,
      out_refund_no: r.outRefundNo,
      refund_id: r.refundId,
      refund_status: r.status,
      success_time: r.successTime,
      user_received_account: '支付用户零钱',
      amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
    };
  }

  function eventId(): string {
    return `EV-${cstStamp(now())}${randomString(8, DIGITS)}`;
  }

  // ---- notifications --------------------------------------------------------------------------

  function renderNotification(ev: NotifyEvent, tamper?: WechatPayNotificationTamper): { headers: Record<string, string>; body: string } {
    const aesKey = tamper === 'key' ? randomString(32) : keys.apiV3Key;
    const nonce = randomString(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(aesKey, 'utf8'), Buffer.from(nonce, 'utf8'));
    cipher.setAAD(Buffer.from(ev.originalType, 'utf8'));
    const ct = Buffer.concat([cipher.update(ev.plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    if (tamper === 'ciphertext') {
      const i = randomInt(ct.length);
      ct.writeUInt8(ct.readUInt8(i) ^ (1 << randomInt(8)), i);
    }
    if (tamper === 'tag') {
      const i = randomInt(tag.length);
      tag.writeUInt8(tag.readUInt8(i) ^ 0xff, i);
    }
    const body = JSON.stringify({
      id: ev.eventId,
      create_time: ev.createTime,
      resource_type: 'encrypt-resource',
      event_type: ev.eventType,
      summary: ev.summary,
      resource: {
        original_type: ev.originalType,
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: Buffer.concat([ct, tag]).toString('base64'),
        associated_data: ev.originalType,
        nonce,
      },
    });
    const { serial, key } = signer();
    const timestamp = String(Math.floor(now() / 1000) - (tamper === 'timestamp' ? 600 : 0));
    const headerNonce = randomString(32, UPPER_ALNUM);
    let signature = rsaSign(`${timestamp}\n${headerNonce}\n${body}\n`, key);
    // A genuine signature by the right key, but over a different message: valid base64, fails verification.
    if (tamper === 'signature') signature = rsaSign(`${timestamp}\n${headerNonce}\n${body}\n\n`, key);
    if (tamper === 'probe') signature = PROBE_PREFIX + randomBytes(240).toString('base64');
    let sentSerial = serial;
    if (tamper === 'serial') {
      sentSerial = serial.startsWith('PUB_KEY_ID_') ? `PUB_KEY_ID_01${randomString(30, DIGITS)}` : randomSerial();
    }
    return {
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Mozilla/4.0',
        'Wechatpay-Nonce': headerNonce,
        'Wechatpay-Serial': sentSerial,
        'Wechatpay-Signature': signature,
        'Wechatpay-Signature-Type': AUTH_SCHEMA,
        'Wechatpay-Timestamp': timestamp,
      },
      body,
    };
  }

  /** POSTs one rendered notification; resolves to the HTTP status, rejects on error or 5 s timeout. */
  function post(target: string, headers: Record<string, string>, body: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(target);
      } catch (err) {
        reject(err);
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent: false,
      });
      inflight.add(req);
      const timer = setTimeout(() => req.destroy(new Error('notification timed out (5 s)')), NOTIFY_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        inflight.delete(req);
      };
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          done();
          resolve(res.statusCode ?? 0);
        });
        res.on('error', (err) => {
          done();
          reject(err);
        });
      });
      req.on('error', (err) => {
        done();
        reject(err);
      });
      req.end(body);
    });
  }

  function record(ev: NotifyEvent, attempt: number, status: number | 'error', probe: boolean, at: number): void {
    if (closed) return;
    const d: NotificationDelivery = { eventId: ev.eventId, eventType: ev.eventType, outTradeNo: ev.outTradeNo, attempt, status, probe, at };
    if (ev.outRefundNo !== undefined) d.outRefundNo = ev.outRefundNo;
    deliveries.push(d);
  }

  /** One POST of the event (probe first when due); resolves to the status, never rejects. */
  async function attemptOnce(ev: NotifyEvent, opts: { honourDrop: boolean; probes: boolean }): Promise<number | 'error'> {
    if (opts.honourDrop && notifications.drop) {
      record(ev, ++ev.attempts, 'error', false, now());
      return 'error';
    }
    if (opts.probes && probeEvery > 0 && ++realSends % probeEvery === 0) {
      const at = now();
      const probe = renderNotification(ev, 'probe');
      const status = await post(ev.notifyUrl, probe.headers, probe.body).catch(() => 'error' as const);
      record(ev, 0, status, true, at);
      if (closed) return 'error';
    }
    const attempt = ++ev.attempts;
    const at = now();
    const { headers, body } = renderNotification(ev);
    const status = await post(ev.notifyUrl, headers, body).catch(() => 'error' as const);
    record(ev, attempt, status, false, at);
    return status;
  }

  const acknowledged = (status: number | 'error') => status === 200 || status === 204;

  function sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      timers.add(entry);
    });
  }

  /** First attempt plus the retry schedule until the merchant acknowledges (a dropped attempt ends the chain). */
  async function deliverWithRetries(ev: NotifyEvent): Promise<void> {
    for (let retry = 0; !closed; retry++) {
      const dropped = notifications.drop;
      const status = await attemptOnce(ev, { honourDrop: true, probes: true });
      // A dropped notification is lost for good; the merchant must recover by querying.
      if (dropped || acknowledged(status)) return;
      const delayS = WECHAT_PAY_RETRY_SCHEDULE_S[retry];
      if (delayS === undefined || closed) return;
      await sleep(delayS * 1000 * retryScale);
    }
  }

  const track = <T>(p: Promise<T>): Promise<T> => work.track(p);

  /** Starts delivering an event: the retried chain plus `notifications.duplicates` single extra copies. */
  function dispatch(ev: NotifyEvent): void {
    if (closed) return;
    const copies = Math.max(0, Math.floor(notifications.duplicates));
    const concurrent = notifications.concurrent;
    const extra = () => attemptOnce(ev, { honourDrop: true, probes: false }).then(() => undefined);
    const work = concurrent
      ? Promise.all([deliverWithRetries(ev), ...Array.from({ length: copies }, extra)]).then(() => undefined)
      : (async () => {
          await deliverWithRetries(ev);
          for (let i = 0; i < copies && !closed; i++) await extra();
        })();
    void track(work);
  }

  // ---- business operations --------------------------------------------------------------------

  function createPrepay(body: Record<string, unknown>): Record<string, unknown> {
    if (body.appid === undefined) throw missing('appid', '应用ID');
    if (body.mchid === undefined) throw missing('mchid', '直连商户号');
    if (typeof body.appid !== 'string' || body.appid !== appid) {
      throw new PayApiError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    }
    if (typeof body.mchid !== 'string' || body.mchid !== mchid) throw new PayApiError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    const description = body.description;
    if (typeof description !== 'string' || description === '') throw missing('description', '商品描述');
    if (utf8Bytes(description) > 127) {
      throw paramError('body', 'description', '商品描述', `字符串规则校验失败，字节数 ${utf8Bytes(description)}，大于最大值 127`, description);
    }
    const outTradeNo = body.out_trade_no;
    if (typeof outTradeNo !== 'string' || outTradeNo === '') throw missing('out_trade_no', '商户订单号');
    if (!OUT_TRADE_NO_RE.test(outTradeNo)) {
      throw paramError('body', 'out_trade_no', '商户订单号', '字符串规则校验失败，须为6-32位数字、大小写字母或_-|*', outTradeNo);
    }
    let timeExpire: number | undefined;
    if (body.time_expire !== undefined) {
      if (typeof body.time_expire !== 'string' || !RFC3339_RE.test(body.time_expire) || Number.isNaN(Date.parse(body.time_expire))) {
        throw paramError('body', 'time_expire', '交易结束时间', '格式错误，须为rfc3339格式', body.time_expire);
      }
      timeExpire = Date.parse(body.time_expire);
    }
    if (body.attach !== undefined) {
      if (typeof body.attach !== 'string') throw paramError('body', 'attach', '附加数据', '类型错误，须为字符串', body.attach);
      if (utf8Bytes(body.attach) > 128) {
        throw paramError('body', 'attach', '附加数据', `字符串规则校验失败，字节数 ${utf8Bytes(body.attach)}，大于最大值 128`, body.attach);
      }
    }
    const notifyUrl = checkNotifyUrl(body.notify_url, 'notify_url');
    const amount = asObject(body.amount);
    if (!amount) throw missing('amount', '订单金额');
    const total = positiveFen(amount.total, 'amount/total', '总金额');
    const currency = currencyOf(amount, 'amount/currency');
    const payer = asObject(body.payer);
    if (!payer || typeof payer.openid !== 'string' || payer.openid === '') throw missing('payer/openid', '用户标识');
    if (payer.openid.length > 128) throw paramError('body', 'payer/openid', '用户标识', '字符串规则校验失败，长度大于最大值 128', payer.openid);

    const fingerprint = canonical(body);
    const existing = orders.get(outTradeNo);
    const t = now();
    if (existing) {
      if (existing.fingerprint !== fingerprint) throw new PayApiError(400, 'INVALID_REQUEST', '201 商户订单号重复');
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') throw new PayApiError(400, 'ORDERPAID', '该订单已支付');
      if (existing.state === 'CLOSED') throw new PayApiError(400, 'ORDER_CLOSED', '该订单已关闭');
      // Same order again: the same prepay_id while it is valid, a fresh one after its 2 hours.
      if (t - existing.prepayIssuedAt >= PREPAY_TTL_MS) {
        byPrepayId.delete(existing.prepayId);
        existing.prepayId = newPrepayId(t);
        existing.prepayIssuedAt = t;
        byPrepayId.set(existing.prepayId, outTradeNo);
      }
      return { prepay_id: existing.prepayId };
    }
    const order: OrderRecord = {
      appid,
      mchid,
      outTradeNo,
      description,
      notifyUrl,
      total,
      currency,
      openid: payer.openid,
      fingerprint,
      prepayId: newPrepayId(t),
      prepayIssuedAt: t,
      state: 'NOTPAY',
      refunded: 0,
    };
    if (typeof body.attach === 'string') order.attach = body.attach;
    if (timeExpire !== undefined) order.timeExpire = timeExpire;
    orders.set(outTradeNo, order);
    byPrepayId.set(order.prepayId, outTradeNo);
    return { prepay_id: order.prepayId };
  }

  function newPrepayId(t: number): string {
    // Real ones look like wx + yyyyMMddHHmmss + 18 hex-ish + "0000" (36 characters).
    return `wx${cstStamp(t)}${randomBytes(9).toString('hex')}0000`;
  }

  function newTransactionId(t: number): string {
    return `4200${randomString(4, DIGITS)}${cstStamp(t).slice(0, 8)}${randomString(12, DIGITS)}`;
  }

  function requireMchidQuery(q: URLSearchParams): void {
    const m = q.get('mchid');
    if (m === null || m === '') throw paramError('query', 'mchid', '直连商户号', '必填性规定不匹配');
    if (m !== mchid) throw new PayApiError(400, 'MCH_NOT_EXISTS', '商户号不存在');
  }

  const orderNotFound = () => new PayApiError(404, 'ORDER_NOT_EXIST', '订单不存在');

  function closeOrder(outTradeNo: string, body: Record<string, unknown>): void {
    if (body.mchid === undefined) throw missing('mchid', '直连商户号');
    if (body.mchid !== mchid) throw new PayApiError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    const order = orders.get(outTradeNo);
    if (!order) throw orderNotFound();
    if (order.state === 'SUCCESS' || order.state === 'REFUND') throw new PayApiError(400, 'ORDERPAID', '订单已支付');
    order.state = 'CLOSED';
  }

  function createRefund(body: Record<string, unknown>): Record<string, unknown> {
    const outRefundNo = body.out_refund_no;
    if (typeof outRefundNo !== 'string' || outRefundNo === '') throw missing('out_refund_no', '商户退款单号');
    if (!OUT_REFUND_NO_RE.test(outRefundNo)) {
      throw paramError('body', 'out_refund_no', '商户退款单号', '字符串规则校验失败，须为1-64位数字、大小写字母或_-|*@', outRefundNo);
    }
    const transactionId = body.transaction_id;
    const outTradeNo = body.out_trade_no;
    if (transactionId === undefined && outTradeNo === undefined) throw missing('out_trade_no', '商户订单号');
    if (transactionId !== undefined && typeof transactionId !== 'string') throw paramError('body', 'transaction_id', '微信支付订单号', '类型错误', transactionId);
    if (outTradeNo !== undefined && typeof outTradeNo !== 'string') throw paramError('body', 'out_trade_no', '商户订单号', '类型错误', outTradeNo);
    const notifyUrl = body.notify_url === undefined ? undefined : checkNotifyUrl(body.notify_url, 'notify_url');
    if (body.reason !== undefined && (typeof body.reason !== 'string' || utf8Bytes(body.reason) > 80)) {
      throw paramError('body', 'reason', '退款原因', '字符串规则校验失败，字节数大于最大值 80', body.reason);
    }
    const amount = asObject(body.amount);
    if (!amount) throw missing('amount', '金额信息');
    const refund = positiveFen(amount.refund, 'amount/refund', '退款金额');
    const total = positiveFen(amount.total, 'amount/total', '原订单金额');
    const currency = currencyOf(amount, 'amount/currency');

    const fingerprint = canonical(body);
    const existing = refunds.get(outRefundNo);
    if (existing) {
      if (existing.fingerprint !== fingerprint) throw new PayApiError(400, 'INVALID_REQUEST', '商户退款单号重复，且与已有退款单的请求参数不一致');
      return refundShape(existing);
    }

    const key = transactionId !== undefined ? byTransactionId.get(transactionId) : outTradeNo;
    const order = key === undefined ? undefined : orders.get(key);
    if (!order || (transactionId !== undefined && outTradeNo !== undefined && order.outTradeNo !== outTradeNo)) {
      throw new PayApiError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    }
    if (order.transactionId === undefined || (order.state !== 'SUCCESS' && order.state !== 'REFUND')) {
      throw new PayApiError(400, 'INVALID_REQUEST', '订单未支付，不能发起退款');
    }
    if (total !== order.total) throw new PayApiError(400, 'INVALID_REQUEST', '订单金额与原订单金额不一致');
    const refundable = order.total - order.refunded;
    if (refund > refundable) {
      throw new PayApiError(400, 'INVALID_REQUEST', `退款金额超过可退金额（可退 ${refundable} 分，申请 ${refund} 分）`);
    }

    const t = now();
    const record: RefundRecord = {
      refundId: `5030${randomString(4, DIGITS)}${cstStamp(t).slice(0, 8)}${randomString(13, DIGITS)}`,
      outRefundNo,
      outTradeNo: order.outTradeNo,
      transactionId: order.transactionId,
      refund,
      total,
      currency,
      status: 'PROCESSING',
      createTime: cstTime(t),
      fingerprint,
    };
    if (notifyUrl !== undefined) record.notifyUrl = notifyUrl;
    refunds.set(outRefundNo, record);
    order.refunded += refund;
    order.state = 'REFUND';
    scheduleRefundSuccess(record);
    return refundShape(record);
  }

  function scheduleRefundSuccess(r: RefundRecord): void {
    const order = orders.get(r.outTradeNo);
    void track(
      sleep(refundDelayMs).then(() => {
        if (closed || !order) return;
        r.status = 'SUCCESS';
        r.successTime = cstTime(now());
        const ev: NotifyEvent = {
          eventId: eventId(),
          createTime: cstTime(now()),
          eventType: 'REFUND.SUCCESS',
          summary: '退款成功',
          originalType: 'refund',
          plaintext: JSON.stringify(refundNotificationPlaintext(r)),
          outTradeNo: r.outTradeNo,
          outRefundNo: r.outRefundNo,
          notifyUrl: r.notifyUrl ?? order.notifyUrl,
          attempts: 0,
        };
        events.set(`r:${r.outRefundNo}`, ev);
        dispatch(ev);
      }),
    );
  }

  async function pay(
    params: { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string },
    payOpts: { openid?: string } = {},
  ): Promise<{ transactionId: string }> {
    const p = (params ?? {}) as Partial<typeof params>;
    if (p.signType !== 'RSA') throw new RequestPaymentError('PARAM_ERROR', '签名类型signType错误，须为RSA');
    for (const field of ['appId', 'timeStamp', 'nonceStr', 'package', 'paySign'] as const) {
      if (typeof p[field] !== 'string' || p[field] === '') throw new RequestPaymentError('PARAM_ERROR', `缺少参数 ${field}`);
    }
    const { appId, timeStamp, nonceStr, package: pkg, paySign } = p as typeof params;
    if (!/^\d{1,12}$/.test(timeStamp)) throw new RequestPaymentError('PARAM_ERROR', 'timeStamp须为秒级时间戳字符串');
    if (nonceStr.length > 32) throw new RequestPaymentError('PARAM_ERROR', 'nonceStr长度不能超过32个字符');
    const pm = /^prepay_id=(.+)$/.exec(pkg);
    if (!pm?.[1]) throw new RequestPaymentError('PARAM_ERROR', 'package格式错误，须为prepay_id=***');
    const outTradeNo = byPrepayId.get(pm[1]);
    const order = outTradeNo === undefined ? undefined : orders.get(outTradeNo);
    if (!order) throw new RequestPaymentError('ORDER_NOT_EXIST', 'prepay_id不存在或已失效');
    if (appId !== order.appid) throw new RequestPaymentError('APPID_MCHID_NOT_MATCH', 'appId与下单时的appid不一致');
    if (!rsaVerify(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, paySign, merchantPublicKey)) {
      throw new RequestPaymentError('SIGN_ERROR', '支付验证签名失败');
    }
    if (payOpts.openid !== undefined && payOpts.openid !== order.openid) {
      throw new RequestPaymentError('INVALID_REQUEST', '当前用户与下单用户不一致');
    }
    if (order.state === 'SUCCESS' || order.state === 'REFUND') throw new RequestPaymentError('ORDERPAID', '该订单已支付');
    if (order.state === 'CLOSED') throw new RequestPaymentError('ORDER_CLOSED', '该订单已关闭');
    const t = now();
    if (t - order.prepayIssuedAt >= PREPAY_TTL_MS || (order.timeExpire !== undefined && t >= order.timeExpire)) {
      throw new RequestPaymentError('ORDER_EXPIRED', '订单已过期');
    }
    order.state = 'SUCCESS';
    order.transactionId = newTransactionId(t);
    order.successTime = cstTime(t);
    byTransactionId.set(order.transactionId, order.outTradeNo);
    const ev: NotifyEvent = {
      eventId: eventId(),
      createTime: cstTime(t),
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      originalType: 'transaction',
      plaintext: JSON.stringify(queryShape(order)),
      outTradeNo: order.outTradeNo,
      notifyUrl: order.notifyUrl,
      attempts: 0,
    };
    events.set(`t:${order.outTradeNo}`, ev);
    dispatch(ev);
    return { transactionId: order.transactionId };
  }

  function findEvent(outTradeNo: string, outRefundNo?: string): NotifyEvent {
    const ev = events.get(outRefundNo !== undefined ? `r:${outRefundNo}` : `t:${outTradeNo}`);
    if (!ev || ev.outTradeNo !== outTradeNo) {
      const what = outRefundNo !== undefined ? `refund ${outRefundNo} of order ${outTradeNo} (not found or still PROCESSING)` : `order ${outTradeNo} (not found or not paid)`;
      throw new Error(`wechat-pay simulator: no notification for ${what}`);
    }
    return ev;
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  function requestId(): string {
    return randomBytes(16).toString('hex').toUpperCase();
  }

  function respond(res: ServerResponse, status: number, payload?: unknown): void {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers: Record<string, string> = { 'Request-ID': requestId(), ...signedHeaders(body) };
    if (body !== '') {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    res.writeHead(status, headers);
    res.end(body);
  }

  function respondError(res: ServerResponse, err: PayApiError): void {
    const payload: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.detail) payload.detail = err.detail;
    respond(res, err.status, payload);
  }

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(new PayApiError(413, 'PARAM_ERROR', '请求体过大'));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  function parseJsonBody(raw: string): Record<string, unknown> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new PayApiError(400, 'PARAM_ERROR', '请求体格式错误，须为JSON对象', { location: 'body', value: null });
    }
    const obj = asObject(parsed);
    if (!obj) throw new PayApiError(400, 'PARAM_ERROR', '请求体格式错误，须为JSON对象', { location: 'body', value: null });
    return obj;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, rawUrl: string, url: URL): Promise<void> {
    const raw = await readBody(req);
    verifyAuthorization(req, rawUrl, raw);
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const seg = (m: RegExpExecArray) => decodeURIComponent(m[1] as string);
    let m: RegExpExecArray | null;

    if (path === '/v3/pay/transactions/jsapi') {
      if (method !== 'POST') throw new PayApiError(405, 'METHOD_NOT_ALLOWED', '请求方法不被允许');
      return respond(res, 200, createPrepay(parseJsonBody(raw)));
    }
    if ((m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(path))) {
      if (method !== 'POST') throw new PayApiError(405, 'METHOD_NOT_ALLOWED', '请求方法不被允许');
      closeOrder(seg(m), parseJsonBody(raw));
      return respond(res, 204);
    }
    if ((m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(path))) {
      if (method !== 'GET') throw new PayApiError(405, 'METHOD_NOT_ALLOWED', '请求方法不被允许');
      requireMchidQuery(url.searchParams);
      const order = orders.get(seg(m));
      if (!order) throw orderNotFound();
      return respond(res, 200, queryShape(order));
    }
    if ((m = /^\/v3\/pay\/transactions\/id\/([^/]+)$/.exec(path))) {
      if (method !== 'GET') throw new PayApiError(405, 'METHOD_NOT_ALLOWED', '请求方法不被允许');
      requireMchidQuery(url.searchParams);
      const key = byTransactionId.get(seg(m));
      const order = key === undefined ? undefined : orders.get(key);
      if (!order) throw orderNotFound();
      return respond(res, 200, queryShape(order));
    }
    if (path === '/v3/refund/domestic/refunds') {
      if (method !== 'POST') throw new PayApiError(405, 'METHOD_NOT_ALLOWED', '请求方法不被允许');
      return respond(res, 200, createRefund(parseJsonBody(raw)));
    }
    if ((m = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path))) {
      if (method !== 'GET') throw new PayApiError(405, 'METHOD_NOT_ALLOWED', '请求方法不被允许');
      const r = refunds.get(seg(m));
      if (!r) throw new PayApiError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
      return respond(res, 200, refundShape(r));
    }
    throw new PayApiError(404, 'NOT_FOUND', '请求的资源不存在');
  }

  function sendSim(res: ServerResponse, status: number, payload: unknown): void {
    const body = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(body), ...CORS_HEADERS });
    res.end(body);
  }

  async function handleSim(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    if (req.method === 'GET' && path === '/__sim/deliveries') return sendSim(res, 200, { deliveries });
    const orderMatch = /^\/__sim\/orders\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && orderMatch) {
      const o = orderShape(decodeURIComponent(orderMatch[1] as string));
      return o ? sendSim(res, 200, o) : sendSim(res, 404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    }
    if (req.method === 'POST' && path === '/__sim/pay') {
      let body: Record<string, unknown> | undefined;
      try {
        body = asObject(JSON.parse(await readBody(req)));
      } catch {
        body = undefined;
      }
      if (!body) return sendSim(res, 400, { code: 'PARAM_ERROR', message: 'body must be a JSON object' });
      try {
        const { openid, ...params } = body;
        const result = await pay(params as Parameters<typeof pay>[0], typeof openid === 'string' ? { openid } : {});
        return sendSim(res, 200, { transaction_id: result.transactionId });
      } catch (err) {
        const code = err instanceof RequestPaymentError ? err.code : 'SYSTEM_ERROR';
        return sendSim(res, 400, { code, message: err instanceof Error ? err.message : String(err) });
      }
    }
    return sendSim(res, 404, { code: 'NOT_FOUND', message: 'not found' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://localhost');
    if (url.pathname.startsWith('/__sim/')) return handleSim(req, res, url.pathname);
    try {
      await handleApi(req, res, rawUrl, url);
    } catch (err) {
      if (err instanceof PayApiError) return respondError(res, err);
      return respondError(res, new PayApiError(500, 'SYSTEM_ERROR', '系统错误'));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) respondError(res, new PayApiError(500, 'SYSTEM_ERROR', '系统错误'));
      else res.destroy();
    });
  });

  const url = await listenLoopback(server, opts.port ?? 0, host);

  function orderShape(outTradeNo: string): Record<string, unknown> | null {
    const o = orders.get(outTradeNo);
    return o ? queryShape(o) : null;
  }

  return {
    url,
    pay,
    notifications,
    deliveries,
    idle() {
      return work.idle();
    },
    redeliver(outTradeNo, redeliverOpts = {}) {
      let ev: NotifyEvent;
      try {
        ev = findEvent(outTradeNo, redeliverOpts.outRefundNo);
      } catch (err) {
        return Promise.reject(err);
      }
      return track(
        (async () => {
          const attempt = ++ev.attempts;
          const at = now();
          const { headers, body } = renderNotification(ev);
          try {
            const status = await post(ev.notifyUrl, headers, body);
            record(ev, attempt, status, false, at);
            return status;
          } catch (err) {
            record(ev, attempt, 'error', false, at);
            throw err;
          }
        })(),
      );
    },
    buildNotification(outTradeNo, buildOpts = {}) {
      return renderNotification(findEvent(outTradeNo, buildOpts.outRefundNo), buildOpts.tamper);
    },
    order: orderShape,
    contradict(outTradeNo, patch) {
      const o = orders.get(outTradeNo);
      if (!o || o.transactionId === undefined) throw new Error(`wechat-pay simulator: order ${outTradeNo} is not paid`);
      o.reported = { ...o.reported, ...patch };
      const ev = events.get(`t:${outTradeNo}`);
      if (ev) ev.plaintext = JSON.stringify(queryShape(o));
    },
    close() {
      closed = true;
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      timers.clear();
      for (const req of inflight) req.destroy();
      inflight.clear();
      work.release();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets (global fetch pools connections) would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
