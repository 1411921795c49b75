/**
 * Loopback simulator of a recharge aggregator (话费/加油卡直充), in the style of the public Chinese recharge APIs:
 * form-encoded requests signed with MD5, "accepted, processing" on submit, the final result by an asynchronous
 * callback (retried until the merchant answers `success`), and a status query as the fallback.
 *
 * The protocol (the API's client in packages/api/src/integrations/rewards speaks it):
 * - `POST /api/v1/recharge/submit` (application/x-www-form-urlencoded): `app_id`, `out_trade_no` (6–32 of
 *   [0-9A-Za-z_-], unique per merchant), `product_type` (`MOBILE` | `FUEL`), `brand` (`CMCC`/`CUCC`/`CTCC` for
 *   MOBILE, `SINOPEC`/`CNPC` for FUEL), `account` (the phone or card number), `face_value` (integer yuan: MOBILE
 *   10/20/30/50/100/200, FUEL 50/100/200/500), `notify_url` (https; http only on loopback), `timestamp` (Unix
 *   seconds, within 300 s of the provider's clock), `nonce_str` (≤ 32), `sign`. Answers JSON
 *   `{"code":"0000","msg":"受理成功","data":{"order_no","out_trade_no","status":"PROCESSING"}}`. The same
 *   out_trade_no with the same parameters answers the existing order again (submits are idempotent); with other
 *   parameters `2001`. Other codes: `1001` bad signature, `1002` bad or missing parameter, `1003` stale
 *   timestamp, `1004` unknown app_id, `3002` account refused by the operator (order not created), `9999` busy
 *   (not created). Only `0000` creates an order.
 * - `POST /api/v1/recharge/query`: `app_id`, `out_trade_no`, `timestamp`, `nonce_str`, `sign` → `0000` with
 *   `data: {order_no, out_trade_no, status: PROCESSING|SUCCESS|FAILED, product_type, brand, account, face_value,
 *   created_at, finished_at?, fail_reason?}`, or `2004` when there is no such order.
 * - Callback: `POST <notify_url>` (application/x-www-form-urlencoded) with `app_id, order_no, out_trade_no,
 *   status (SUCCESS|FAILED), product_type, brand, account, face_value, finished_at, fail_reason (FAILED only),
 *   timestamp, nonce_str, sign`, signed afresh for every attempt. Acknowledged by HTTP 200 with the body
 *   `success`; anything else is retried after 5 s, 30 s, 1 min, 5 min, 15 min, 30 min and 1 h (`retryScale`).
 * - Signature (requests, callbacks): every parameter except `sign` whose value is not empty, sorted by key
 *   (byte order), joined as `k1=v1&k2=v2…` with raw (not URL-encoded) values, then `&key=<app secret>`; the
 *   MD5 of its UTF-8 bytes as upper-case hex. See {@link rechargeSign}.
 *
 * A control surface plays the operators: per order the outcome can be success, failure, a submit that never
 * answers (the order exists and later succeeds, found by query), a late answer, callbacks twice, none or late,
 * or a manual outcome settled by `complete()`. Only node built-ins are used (the offline demo starts it in-process).
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { IdleTracker, listenLoopback } from './loopback';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { readBodyLimited, sendJson } from './http-json';

/** The MD5 signature of a parameter set under `secret` (upper-case hex): the rule in the module comment. */
export function rechargeSign(params: Record<string, string | number | null | undefined>, secret: string): string {
  return createHash('md5').update(rechargeSignString(params, secret), 'utf8').digest('hex').toUpperCase();
}

/** The exact string that is hashed: sorted non-empty `k=v` pairs without `sign`, then `&key=<secret>`. */
export function rechargeSignString(params: Record<string, string | number | null | undefined>, secret: string): string {
  const pairs = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null && String(params[k]) !== '')
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
    .map((k) => `${k}=${String(params[k])}`);
  return `${pairs.join('&')}&key=${secret}`;
}

export type RechargeStatus = 'PROCESSING' | 'SUCCESS' | 'FAILED';

/** What happens to one order. */
export interface RechargeBehaviour {
  /** The final state; MANUAL stays PROCESSING until `complete()`. */
  outcome: 'SUCCESS' | 'FAILED' | 'MANUAL';
  /** FAILED: the reason given in the query and the callback. Default 充值失败，运营商系统维护. */
  failReason?: string;
  /** Refuse the submit (no order is created) with this code and message, e.g. 3002 or 9999. */
  reject?: { code: string; msg: string };
  /** Never answer the submit (the order is created; the client times out). */
  hangSubmit?: boolean;
  /** Answer the submit only after this long (ms). */
  answerDelayMs?: number;
  /** Time from acceptance to the final state (ms). Default: the simulator's `settleMs`. */
  settleMs?: number;
  /** Callback copies sent when the order settles: 0 = none (found by query only), 2 = a duplicate. Default 1. */
  callbacks?: number;
  /** Send the copies at the same time rather than one after another. */
  concurrentCallbacks?: boolean;
  /** Wait this long after settling before the first callback (ms): a late callback. */
  callbackDelayMs?: number;
}

/**
 * success | fail: settle and call back once. timeout: the submit never answers, the order succeeds and no callback
 * comes (the merchant must query). late: succeeds, the callback comes 300 ms after settling. double-callback: two
 * concurrent callbacks. reject: `3002` (not created). busy: `9999` (not created). manual: settled by `complete()`.
 */
export type RechargePreset = 'success' | 'fail' | 'timeout' | 'late' | 'double-callback' | 'reject' | 'busy' | 'manual';

export const RECHARGE_PRESETS: Readonly<Record<RechargePreset, RechargeBehaviour>> = {
  success: { outcome: 'SUCCESS' },
  fail: { outcome: 'FAILED' },
  timeout: { outcome: 'SUCCESS', hangSubmit: true, callbacks: 0 },
  late: { outcome: 'SUCCESS', callbackDelayMs: 300 },
  'double-callback': { outcome: 'SUCCESS', callbacks: 2, concurrentCallbacks: true },
  reject: { outcome: 'FAILED', reject: { code: '3002', msg: '充值账号无效' } },
  busy: { outcome: 'FAILED', reject: { code: '9999', msg: '系统繁忙，请稍后重试' } },
  manual: { outcome: 'MANUAL' },
};

/** Callback retry schedule in seconds after the first attempt. */
export const RECHARGE_CALLBACK_RETRY_S: readonly number[] = [5, 30, 60, 300, 900, 1800, 3600];

export interface RechargeSimulatorOptions {
  appId: string;
  secret: string;
  port?: number;
  host?: string;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
  /** Behaviour of orders without a queued or per-account one. Default 'success'. */
  defaultBehaviour?: RechargePreset | RechargeBehaviour;
  /** Time from acceptance to the final state (ms). Default 50. */
  settleMs?: number;
  /** Multiplies the callback retry schedule (e.g. 0.001 in tests). Default 1. */
  retryScale?: number;
}

export interface RechargeOrderView {
  orderNo: string;
  outTradeNo: string;
  productType: 'MOBILE' | 'FUEL';
  brand: string;
  account: string;
  faceValue: number;
  status: RechargeStatus;
  failReason: string | null;
  notifyUrl: string;
  createdAt: number;
  finishedAt: number | null;
}

export interface RechargeSubmitRecord { outTradeNo: string; account: string; code: string; at: number; created: boolean }
export interface RechargeCallbackRecord { outTradeNo: string; attempt: number; status: number | 'error'; body: string; at: number }

export type RechargeCallbackTamper = 'signature' | 'secret' | 'app_id' | 'status' | 'unsigned';

export interface RechargeSimulator {
  readonly url: string;
  readonly appId: string;
  /** Queue a behaviour for the next new order (first in, first out; before per-account behaviours). */
  next(b: RechargePreset | RechargeBehaviour): void;
  /** The behaviour of every new order for this account (phone or card number); null removes it. */
  behave(account: string, b: RechargePreset | RechargeBehaviour | null): void;
  /** The behaviour of orders nobody configured. */
  setDefault(b: RechargePreset | RechargeBehaviour): void;
  /** Every submit request that passed verification (duplicates included). */
  readonly submits: RechargeSubmitRecord[];
  /** Every query request that passed verification. */
  readonly queries: { outTradeNo: string; at: number }[];
  /** Every callback attempt. */
  readonly callbacks: RechargeCallbackRecord[];
  order(outTradeNo: string): RechargeOrderView | null;
  orders(): RechargeOrderView[];
  /** Settles a PROCESSING order now and sends its callbacks (per its behaviour, at least one unless `callbacks: 0`). */
  complete(outTradeNo: string, status: 'SUCCESS' | 'FAILED', opts?: { failReason?: string; callbacks?: number }): void;
  /** Sends the order's callback once more, now; resolves to the merchant's HTTP status and body. */
  resendCallback(outTradeNo: string): Promise<{ status: number; body: string }>;
  /** Builds (does not send) the signed callback of a settled order, optionally tampered with. */
  buildCallback(outTradeNo: string, opts?: { tamper?: RechargeCallbackTamper; status?: 'SUCCESS' | 'FAILED' }): { contentType: string; body: string; params: Record<string, string> };
  /** Resolves when no settle timer, delayed answer or callback delivery is pending (hung submits do not count). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const SIGN_WINDOW_S = 300;
const CALLBACK_TIMEOUT_MS = 5000;
const MAX_BODY = 64 * 1024;
const CST_MS = 8 * 3600_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const FACE_VALUES: Record<'MOBILE' | 'FUEL', number[]> = { MOBILE: [10, 20, 30, 50, 100, 200], FUEL: [50, 100, 200, 500] };
const BRANDS: Record<'MOBILE' | 'FUEL', string[]> = { MOBILE: ['CMCC', 'CUCC', 'CTCC'], FUEL: ['SINOPEC', 'CNPC'] };

class ApiError extends Error {
  constructor(
    readonly code: string,
    msg: string,
  ) {
    super(msg);
  }
}

interface OrderRecord extends RechargeOrderView {
  fingerprint: string;
  behaviour: RechargeBehaviour;
  attempts: number;
}

/** `yyyy-MM-dd HH:mm:ss` in China Standard Time. */
function cst(ms: number): string {
  return new Date(ms + CST_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function equalSign(a: string, b: string): boolean {
  const x = Buffer.from(a.toUpperCase());
  const y = Buffer.from(b.toUpperCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

function validAccount(type: 'MOBILE' | 'FUEL', brand: string, account: string): boolean {
  if (type === 'MOBILE') return /^1[3-9]\d{9}$/.test(account);
  return brand === 'SINOPEC' ? /^100011\d{13}$/.test(account) : /^9\d{15}$/.test(account);
}

export async function startRechargeProviderSimulator(opts: RechargeSimulatorOptions): Promise<RechargeSimulator> {
  const now = opts.now ?? Date.now;
  const retryScale = opts.retryScale ?? 1;
  const settleMsDefault = opts.settleMs ?? 50;
  const resolve = (b: RechargePreset | RechargeBehaviour): RechargeBehaviour => (typeof b === 'string' ? RECHARGE_PRESETS[b] : b);
  let defaultBehaviour = resolve(opts.defaultBehaviour ?? 'success');
  const queued: RechargeBehaviour[] = [];
  const byAccount = new Map<string, RechargeBehaviour>();
  const orders = new Map<string, OrderRecord>();
  const submits: RechargeSubmitRecord[] = [];
  const queries: { outTradeNo: string; at: number }[] = [];
  const callbacks: RechargeCallbackRecord[] = [];
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const inflight = new Set<ClientRequest>();
  const hung = new Set<ServerResponse>();
  const work = new IdleTracker();
  let closed = false;
  let orderSeq = 0;

  function sleep(ms: number): Promise<void> {
    return new Promise((done) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          done();
        }, ms),
        resolve: done,
      };
      timers.add(entry);
    });
  }

  const track = <T>(p: Promise<T>): Promise<T> => work.track(p);

  // ---- callbacks ----------------------------------------------------------------------------------------------

  function callbackParams(o: OrderRecord, statusOverride?: 'SUCCESS' | 'FAILED'): Record<string, string> {
    const status = statusOverride ?? o.status;
    const p: Record<string, string> = {
      app_id: opts.appId,
      order_no: o.orderNo,
      out_trade_no: o.outTradeNo,
      status,
      product_type: o.productType,
      brand: o.brand,
      account: o.account,
      face_value: String(o.faceValue),
      finished_at: cst(o.finishedAt ?? now()),
      timestamp: String(Math.floor(now() / 1000)),
      nonce_str: randomNonce(),
    };
    if (status === 'FAILED') p.fail_reason = o.failReason ?? '充值失败';
    p.sign = rechargeSign(p, opts.secret);
    return p;
  }

  function post(target: string, body: string): Promise<{ status: number; body: string }> {
    return new Promise((done, fail) => {
      let url: URL;
      try {
        url = new URL(target);
      } catch (e) {
        fail(e);
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) }, agent: false });
      inflight.add(req);
      const timer = setTimeout(() => req.destroy(new Error('callback timed out')), CALLBACK_TIMEOUT_MS);
      const finish = () => {
        clearTimeout(timer);
        inflight.delete(req);
      };
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          finish();
          done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => {
          finish();
          fail(e);
        });
      });
      req.on('error', (e) => {
        finish();
        fail(e);
      });
      req.end(body);
    });
  }

  async function attempt(o: OrderRecord): Promise<boolean> {
    const n = ++o.attempts;
    const at = now();
    const body = new URLSearchParams(callbackParams(o)).toString();
    try {
      const r = await post(o.notifyUrl, body);
      if (!closed) callbacks.push({ outTradeNo: o.outTradeNo, attempt: n, status: r.status, body: r.body, at });
      return r.status === 200 && r.body.trim().toLowerCase() === 'success';
    } catch {
      if (!closed) callbacks.push({ outTradeNo: o.outTradeNo, attempt: n, status: 'error', body: '', at });
      return false;
    }
  }

  async function deliverWithRetries(o: OrderRecord): Promise<void> {
    for (let retry = 0; !closed; retry++) {
      if (await attempt(o)) return;
      const delay = RECHARGE_CALLBACK_RETRY_S[retry];
      if (delay === undefined || closed) return;
      await sleep(delay * 1000 * retryScale);
    }
  }

  function dispatchCallbacks(o: OrderRecord, copies: number): void {
    if (closed || copies <= 0) return;
    const b = o.behaviour;
    void track(
      (async () => {
        if (b.callbackDelayMs) await sleep(b.callbackDelayMs);
        if (closed) return;
        if (b.concurrentCallbacks) await Promise.all(Array.from({ length: copies }, () => deliverWithRetries(o)));
        else for (let i = 0; i < copies && !closed; i++) await deliverWithRetries(o);
      })(),
    );
  }

  function settle(o: OrderRecord, status: 'SUCCESS' | 'FAILED', failReason: string | undefined, copies: number): void {
    if (o.status !== 'PROCESSING') return;
    o.status = status;
    o.finishedAt = now();
    o.failReason = status === 'FAILED' ? failReason ?? o.behaviour.failReason ?? '充值失败，运营商系统维护' : null;
    dispatchCallbacks(o, copies);
  }

  function scheduleSettle(o: OrderRecord): void {
    const b = o.behaviour;
    if (b.outcome === 'MANUAL') return;
    const outcome = b.outcome;
    void track(
      sleep(b.settleMs ?? settleMsDefault).then(() => {
        if (!closed) settle(o, outcome, undefined, b.callbacks ?? 1);
      }),
    );
  }

  // ---- API ----------------------------------------------------------------------------------------------------

  function randomNonce(): string {
    const a = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < 16; i++) s += a.charAt(randomInt(a.length));
    return s;
  }

  function required(p: Record<string, string>, ...names: string[]): void {
    for (const n of names) if (!p[n]) throw new ApiError('1002', `参数错误：缺少 ${n}`);
  }

  function verify(p: Record<string, string>): void {
    required(p, 'app_id', 'timestamp', 'nonce_str', 'sign');
    if (p.app_id !== opts.appId) throw new ApiError('1004', '商户不存在');
    if (!equalSign(p.sign as string, rechargeSign(p, opts.secret))) throw new ApiError('1001', '签名错误');
    const ts = Number(p.timestamp);
    if (!/^\d{1,12}$/.test(p.timestamp as string) || Math.abs(now() / 1000 - ts) > SIGN_WINDOW_S) throw new ApiError('1003', '时间戳已过期');
    if ((p.nonce_str as string).length > 32) throw new ApiError('1002', '参数错误：nonce_str 过长');
  }

  function pickBehaviour(account: string): RechargeBehaviour {
    return queued.shift() ?? byAccount.get(account) ?? defaultBehaviour;
  }

  function view(o: OrderRecord): RechargeOrderView {
    const { fingerprint: _f, behaviour: _b, attempts: _a, ...v } = o;
    return { ...v };
  }

  function queryData(o: OrderRecord): Record<string, unknown> {
    const d: Record<string, unknown> = {
      order_no: o.orderNo,
      out_trade_no: o.outTradeNo,
      status: o.status,
      product_type: o.productType,
      brand: o.brand,
      account: o.account,
      face_value: o.faceValue,
      created_at: cst(o.createdAt),
    };
    if (o.finishedAt !== null) d.finished_at = cst(o.finishedAt);
    if (o.failReason) d.fail_reason = o.failReason;
    return d;
  }

  /** Validates and creates (or finds) the order; returns it with the behaviour that decides the answer. */
  function submit(p: Record<string, string>): { order: OrderRecord | null; behaviour: RechargeBehaviour; duplicate: boolean } {
    verify(p);
    required(p, 'out_trade_no', 'product_type', 'brand', 'account', 'face_value', 'notify_url');
    const outTradeNo = p.out_trade_no as string;
    if (!/^[0-9A-Za-z_-]{6,32}$/.test(outTradeNo)) throw new ApiError('1002', '参数错误：out_trade_no');
    const type = p.product_type as 'MOBILE' | 'FUEL';
    if (type !== 'MOBILE' && type !== 'FUEL') throw new ApiError('1002', '参数错误：product_type');
    if (!BRANDS[type].includes(p.brand as string)) throw new ApiError('1002', '参数错误：brand');
    const face = Number(p.face_value);
    if (!/^\d+$/.test(p.face_value as string) || !FACE_VALUES[type].includes(face)) throw new ApiError('1002', '参数错误：face_value 不支持的面值');
    let notify: URL;
    try {
      notify = new URL(p.notify_url as string);
    } catch {
      throw new ApiError('1002', '参数错误：notify_url');
    }
    if (notify.protocol !== 'https:' && !(notify.protocol === 'http:' && LOOPBACK.has(notify.hostname))) throw new ApiError('1002', '参数错误：notify_url 须为 https');
    const fingerprint = JSON.stringify([type, p.brand, p.account, face, p.notify_url]);
    const existing = orders.get(outTradeNo);
    if (existing) {
      if (existing.fingerprint !== fingerprint) throw new ApiError('2001', '订单号重复');
      return { order: existing, behaviour: existing.behaviour, duplicate: true };
    }
    const behaviour = pickBehaviour(p.account as string);
    if (behaviour.reject) return { order: null, behaviour, duplicate: false };
    if (!validAccount(type, p.brand as string, p.account as string)) throw new ApiError('3002', '充值账号无效');
    const t = now();
    const o: OrderRecord = {
      orderNo: `RC${cst(t).replace(/\D/g, '')}${String(++orderSeq).padStart(6, '0')}`,
      outTradeNo,
      productType: type,
      brand: p.brand as string,
      account: p.account as string,
      faceValue: face,
      status: 'PROCESSING',
      failReason: null,
      notifyUrl: p.notify_url as string,
      createdAt: t,
      finishedAt: null,
      fingerprint,
      behaviour,
      attempts: 0,
    };
    orders.set(outTradeNo, o);
    scheduleSettle(o);
    return { order: o, behaviour, duplicate: false };
  }

  function readBody(req: IncomingMessage): Promise<string> {
    return readBodyLimited(req, MAX_BODY, () => new ApiError('1002', '请求体过大')).then((b) => b.toString('utf8'));
  }

  const send = sendJson;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || (path !== '/api/v1/recharge/submit' && path !== '/api/v1/recharge/query')) {
      return send(res, { code: '404', msg: 'not found' }, 404);
    }
    const type = String(req.headers['content-type'] ?? '');
    const raw = await readBody(req);
    if (!type.startsWith('application/x-www-form-urlencoded')) return send(res, { code: '1002', msg: '参数错误：须为 application/x-www-form-urlencoded' });
    const p = Object.fromEntries(new URLSearchParams(raw)) as Record<string, string>;
    try {
      if (path === '/api/v1/recharge/query') {
        verify(p);
        required(p, 'out_trade_no');
        queries.push({ outTradeNo: p.out_trade_no as string, at: now() });
        const o = orders.get(p.out_trade_no as string);
        if (!o) return send(res, { code: '2004', msg: '订单不存在' });
        return send(res, { code: '0000', msg: '查询成功', data: queryData(o) });
      }
      let r: ReturnType<typeof submit>;
      try {
        r = submit(p);
      } catch (e) {
        if (e instanceof ApiError && p.out_trade_no && e.code !== '1001' && e.code !== '1004' && e.code !== '1003') {
          submits.push({ outTradeNo: p.out_trade_no, account: p.account ?? '', code: e.code, at: now(), created: false });
        }
        throw e;
      }
      const { order, behaviour, duplicate } = r;
      if (!order) {
        submits.push({ outTradeNo: p.out_trade_no as string, account: p.account as string, code: behaviour.reject?.code ?? '9999', at: now(), created: false });
        return send(res, { code: behaviour.reject?.code ?? '9999', msg: behaviour.reject?.msg ?? '系统繁忙' });
      }
      submits.push({ outTradeNo: order.outTradeNo, account: order.account, code: '0000', at: now(), created: !duplicate });
      const answer = { code: '0000', msg: duplicate ? '订单已存在' : '受理成功', data: { order_no: order.orderNo, out_trade_no: order.outTradeNo, status: order.status } };
      if (behaviour.hangSubmit && !duplicate) {
        // The order exists, the answer never comes: the client gives up and must query.
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      }
      if (behaviour.answerDelayMs && !duplicate) {
        await track(sleep(behaviour.answerDelayMs));
      }
      return send(res, answer);
    } catch (e) {
      if (e instanceof ApiError) return send(res, { code: e.code, msg: e.message });
      return send(res, { code: '9999', msg: '系统繁忙' }, 500);
    }
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, { code: '9999', msg: '系统繁忙' }, 500));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const url = await listenLoopback(server, opts.port ?? 0, opts.host ?? '127.0.0.1');

  function mustFind(outTradeNo: string): OrderRecord {
    const o = orders.get(outTradeNo);
    if (!o) throw new Error(`recharge simulator: no order ${outTradeNo}`);
    return o;
  }

  return {
    url,
    appId: opts.appId,
    next(b) {
      queued.push(resolve(b));
    },
    behave(account, b) {
      if (b === null) byAccount.delete(account);
      else byAccount.set(account, resolve(b));
    },
    setDefault(b) {
      defaultBehaviour = resolve(b);
    },
    submits,
    queries,
    callbacks,
    order: (no) => {
      const o = orders.get(no);
      return o ? view(o) : null;
    },
    orders: () => [...orders.values()].map(view),
    complete(outTradeNo, status, c = {}) {
      const o = mustFind(outTradeNo);
      if (o.status !== 'PROCESSING') throw new Error(`recharge simulator: order ${outTradeNo} is already ${o.status}`);
      settle(o, status, c.failReason, c.callbacks ?? Math.max(1, o.behaviour.callbacks ?? 1));
    },
    resendCallback(outTradeNo) {
      const o = mustFind(outTradeNo);
      if (o.status === 'PROCESSING') return Promise.reject(new Error(`recharge simulator: order ${outTradeNo} has not settled`));
      return track(
        (async () => {
          const n = ++o.attempts;
          const at = now();
          const r = await post(o.notifyUrl, new URLSearchParams(callbackParams(o)).toString());
          callbacks.push({ outTradeNo, attempt: n, status: r.status, body: r.body, at });
          return r;
        })(),
      );
    },
    buildCallback(outTradeNo, b = {}) {
      const o = mustFind(outTradeNo);
      const status = b.status ?? (o.status === 'PROCESSING' ? 'SUCCESS' : o.status);
      const p = callbackParams(o, status);
      switch (b.tamper) {
        case 'signature':
          p.sign = rechargeSign({ ...p, face_value: String(o.faceValue + 1) }, opts.secret);
          break;
        case 'secret':
          p.sign = rechargeSign(p, `${opts.secret}x`);
          break;
        case 'app_id':
          p.app_id = `${opts.appId}x`;
          p.sign = rechargeSign(p, opts.secret);
          break;
        case 'status': {
          // Signed for one status, claims the other.
          p.status = status === 'SUCCESS' ? 'FAILED' : 'SUCCESS';
          break;
        }
        case 'unsigned':
          delete p.sign;
          break;
        default:
          break;
      }
      return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(p).toString(), params: p };
    },
    idle() {
      return work.idle();
    },
    close() {
      closed = true;
      for (const t of timers) {
        clearTimeout(t.timer);
        t.resolve();
      }
      timers.clear();
      for (const r of inflight) r.destroy();
      inflight.clear();
      for (const res of hung) res.destroy();
      hung.clear();
      work.release();
      return new Promise((done, fail) => {
        server.close((err) => (err ? fail(err) : done()));
        for (const s of sockets) s.destroy();
      });
    },
  };
}
