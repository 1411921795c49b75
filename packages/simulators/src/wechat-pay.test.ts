/**
 * Drives the WeChat Pay v3 simulator the way a merchant server would: raw HTTP with a hand-written
 * request signer, and a hand-written verifier/decrypter for responses and notifications (node:crypto
 * only), so the simulator's cryptography is checked against an independent implementation.
 */
import {
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  generateWechatPayKeys,
  startWechatPaySimulator,
  WECHAT_PAY_RETRY_SCHEDULE_S,
  type WechatPaySimulator,
  type WechatPaySimulatorOptions,
} from './wechat-pay';

type Json = Record<string, any>;

const APPID = 'wxd678efh567hg6787';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const keys = generateWechatPayKeys();
const MCHID = keys.merchant.mchid;
const SCALE = 0.0001;

// ---- merchant side: signer, verifier, decrypter ---------------------------------------------------

const merchantKey = createPrivateKey(keys.merchant.privateKeyPem);
/** The merchant's serial → key map, covering the platform certificate and the WeChat Pay public key. */
const wechatKeys = new Map<string, KeyObject>([
  [keys.platformCert.serial, createPublicKey(keys.platformCert.publicKeyPem)],
  [keys.publicKey.id, createPublicKey(keys.publicKey.publicKeyPem)],
]);
const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const rsaSign = (message: string, key: KeyObject = merchantKey) => createSign('RSA-SHA256').update(message).sign(key, 'base64');
const rsaVerify = (message: string, signature: string, key: KeyObject) =>
  createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64');
const nowSec = () => Math.floor(Date.now() / 1000);

interface AuthOptions {
  key?: KeyObject;
  serial?: string;
  mchid?: string;
  timestamp?: number;
  /** 'sdk' = the order wechatpay-node-v3 emits (mchid, nonce_str, timestamp, serial_no, signature). */
  fieldOrder?: 'doc' | 'sdk';
  /** Sign this instead of the real path (to prove the query is part of the signed string). */
  signedPath?: string;
}

function authorization(method: string, pathQuery: string, body: string, o: AuthOptions = {}): string {
  const timestamp = String(o.timestamp ?? nowSec());
  const nonce = randomBytes(16).toString('hex').toUpperCase();
  const signature = rsaSign(`${method}\n${o.signedPath ?? pathQuery}\n${timestamp}\n${nonce}\n${body}\n`, o.key);
  const f: Record<string, string> = {
    mchid: o.mchid ?? MCHID,
    nonce_str: nonce,
    signature,
    timestamp,
    serial_no: o.serial ?? keys.merchant.serial,
  };
  const order = o.fieldOrder === 'sdk' ? ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature'] : ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'];
  return `WECHATPAY2-SHA256-RSA2048 ${order.map((k) => `${k}="${f[k]}"`).join(',')}`;
}

interface ApiResult {
  status: number;
  text: string;
  json: Json;
  headers: Headers;
}

async function api(s: WechatPaySimulator, method: 'GET' | 'POST', pathQuery: string, payload?: unknown, o?: AuthOptions & { auth?: string | null; rawBody?: string }): Promise<ApiResult> {
  const body = o?.rawBody ?? (payload === undefined ? '' : JSON.stringify(payload));
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'quanzi-test' };
  const auth = o?.auth === undefined ? authorization(method, pathQuery, body, o) : o.auth;
  if (auth !== null) headers.Authorization = auth;
  const res = await fetch(s.url + pathQuery, { method, headers, body: method === 'GET' ? undefined : body });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

type HeaderBag = Headers | Record<string, string>;
const header = (h: HeaderBag, name: string): string | undefined => {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const hit = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  return hit === undefined ? undefined : h[hit];
};

type Verdict = 'ok' | 'serial' | 'timestamp' | 'probe' | 'signature';

/** Verifies a response or callback signature the way the merchant must. */
function verifyWechatSignature(h: HeaderBag, body: string, clockSec = nowSec()): Verdict {
  const serial = header(h, 'Wechatpay-Serial') ?? '';
  const signature = header(h, 'Wechatpay-Signature') ?? '';
  const timestamp = header(h, 'Wechatpay-Timestamp') ?? '';
  const nonce = header(h, 'Wechatpay-Nonce') ?? '';
  if (signature.startsWith('WECHATPAY/SIGNTEST/')) return 'probe';
  const key = wechatKeys.get(serial);
  if (!key) return 'serial';
  if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - clockSec) > 300) return 'timestamp';
  return rsaVerify(`${timestamp}\n${nonce}\n${body}\n`, signature, key) ? 'ok' : 'signature';
}

function decrypt(resource: Json, apiV3Key = keys.apiV3Key): string {
  const buf = Buffer.from(resource.ciphertext as string, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(resource.nonce as string, 'utf8'));
  decipher.setAuthTag(buf.subarray(buf.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data as string, 'utf8'));
  return Buffer.concat([decipher.update(buf.subarray(0, buf.length - 16)), decipher.final()]).toString('utf8');
}

type NotificationVerdict = { ok: true; event: Json; plaintext: Json } | { ok: false; reason: Verdict | 'decrypt' };

function verifyNotification(h: HeaderBag, body: string): NotificationVerdict {
  const verdict = verifyWechatSignature(h, body);
  if (verdict !== 'ok') return { ok: false, reason: verdict };
  const event = JSON.parse(body) as Json;
  try {
    return { ok: true, event, plaintext: JSON.parse(decrypt(event.resource)) as Json };
  } catch {
    return { ok: false, reason: 'decrypt' };
  }
}

// ---- a merchant notify endpoint -------------------------------------------------------------------

interface Received {
  headers: Record<string, string>;
  body: string;
  verdict: NotificationVerdict;
  at: number;
}

interface Merchant {
  url: string;
  received: Received[];
  maxConcurrent: number;
  close(): Promise<void>;
}

/** A local notify endpoint; `answer` picks the status (200/204 acknowledge). Verified probes etc. are recorded. */
async function startMerchant(answer: (r: Received, index: number) => number | Promise<number> = (r) => (r.verdict.ok ? 204 : 401)): Promise<Merchant> {
  const received: Received[] = [];
  let active = 0;
  const m = { received, maxConcurrent: 0 } as Merchant;
  const server = createServer((req, res) => {
    active++;
    m.maxConcurrent = Math.max(m.maxConcurrent, active);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const r: Received = { headers, body, verdict: verifyNotification(headers, body), at: Date.now() };
      received.push(r);
      Promise.resolve(answer(r, received.length - 1)).then(
        (status) => {
          active--;
          if (status === 200 || status === 204) {
            res.writeHead(status);
            res.end();
          } else {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ code: 'FAIL', message: '失败' }));
          }
        },
        () => {
          active--;
          res.destroy();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  m.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechatpay/notify`;
  m.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return m;
}

// ---- orders -----------------------------------------------------------------------------------------

let seq = 0;
const newOrderNo = () => `QZ${Date.now()}${String(++seq).padStart(4, '0')}`;

function prepayBody(notifyUrl: string, over: Json = {}): Json {
  return {
    appid: APPID,
    mchid: MCHID,
    description: '圈子 - 会员储值',
    out_trade_no: newOrderNo(),
    notify_url: notifyUrl,
    amount: { total: 1000, currency: 'CNY' },
    payer: { openid: OPENID },
    ...over,
  };
}

async function placeOrder(s: WechatPaySimulator, notifyUrl: string, over: Json = {}, auth?: AuthOptions): Promise<{ outTradeNo: string; prepayId: string }> {
  const body = prepayBody(notifyUrl, over);
  const res = await api(s, 'POST', '/v3/pay/transactions/jsapi', body, auth);
  expect(res.status).toBe(200);
  return { outTradeNo: body.out_trade_no as string, prepayId: res.json.prepay_id as string };
}

/** The requestPayment parameters the merchant server hands to the mini-program. */
function payParams(prepayId: string, o: { appId?: string; key?: KeyObject; timeStamp?: string } = {}) {
  const appId = o.appId ?? APPID;
  const timeStamp = o.timeStamp ?? String(nowSec());
  const nonceStr = randomBytes(12).toString('hex');
  const pkg = `prepay_id=${prepayId}`;
  const paySign = rsaSign(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, o.key);
  return { appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}

async function placeAndPay(s: WechatPaySimulator, notifyUrl: string, over: Json = {}) {
  const order = await placeOrder(s, notifyUrl, over);
  const { transactionId } = await s.pay(payParams(order.prepayId));
  return { ...order, transactionId };
}

const query = (s: WechatPaySimulator, outTradeNo: string) =>
  api(s, 'GET', `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${MCHID}`);

const CST_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

const sims: WechatPaySimulator[] = [];
const merchants: Merchant[] = [];
async function sim(over: Partial<WechatPaySimulatorOptions> = {}): Promise<WechatPaySimulator> {
  const s = await startWechatPaySimulator({ keys, appid: APPID, retryScale: SCALE, ...over });
  sims.push(s);
  return s;
}
async function merchant(answer?: Parameters<typeof startMerchant>[0]): Promise<Merchant> {
  const m = await startMerchant(answer);
  merchants.push(m);
  return m;
}

let main: WechatPaySimulator;
let shop: Merchant;
beforeAll(async () => {
  main = await sim();
  shop = await merchant();
});
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  await Promise.all(merchants.map((m) => m.close()));
});

// ---- tests -------------------------------------------------------------------------------------------

describe('generateWechatPayKeys', () => {
  it('generates an APIv3 key, serials, a public key id and matching RSA-2048 pairs', () => {
    expect(keys.apiV3Key).toMatch(/^[\x21-\x7e]{32}$/);
    expect(Buffer.byteLength(keys.apiV3Key)).toBe(32);
    expect(keys.merchant.mchid).toBe('1900000109');
    expect(keys.merchant.serial).toMatch(/^[0-9A-F]{40}$/);
    expect(keys.platformCert.serial).toMatch(/^[0-9A-F]{40}$/);
    expect(keys.publicKey.id).toMatch(/^PUB_KEY_ID_01\d{30}$/);
    for (const pair of [keys.merchant, keys.platformCert, keys.publicKey]) {
      const pub = createPublicKey(pair.publicKeyPem);
      expect(pub.asymmetricKeyType).toBe('rsa');
      expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(rsaVerify('x', rsaSign('x', createPrivateKey(pair.privateKeyPem)), pub)).toBe(true);
    }
    expect(generateWechatPayKeys('1230000109').merchant.mchid).toBe('1230000109');
  });
});

describe('request signing (Authorization)', () => {
  const signError = (res: ApiResult) => {
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: 'SIGN_ERROR', message: '错误的签名,验签失败' });
    expect(res.headers.get('request-id')).toMatch(/^[0-9A-F]{32}$/);
    expect(verifyWechatSignature(res.headers, res.text)).toBe('ok');
  };

  it('accepts the documented field order and the wechatpay-node-v3 order', async () => {
    for (const fieldOrder of ['doc', 'sdk'] as const) {
      const res = await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url), { fieldOrder });
      expect(res.status).toBe(200);
    }
  });

  it('a signature by another key answers 401 SIGN_ERROR', async () => {
    signError(await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url), { key: strangerKey }));
  });

  it('a body changed after signing answers 401', async () => {
    const body = prepayBody(shop.url);
    const signed = JSON.stringify(body);
    const auth = authorization('POST', '/v3/pay/transactions/jsapi', signed);
    signError(await api(main, 'POST', '/v3/pay/transactions/jsapi', undefined, { auth, rawBody: JSON.stringify({ ...body, amount: { total: 1 } }) }));
  });

  it('the query string is part of the signed string', async () => {
    const { outTradeNo } = await placeOrder(main, shop.url);
    signError(await api(main, 'GET', `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${MCHID}`, undefined, { signedPath: `/v3/pay/transactions/out-trade-no/${outTradeNo}` }));
    expect((await query(main, outTradeNo)).status).toBe(200);
  });

  it('a wrong serial_no or mchid answers 401', async () => {
    signError(await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url), { serial: keys.platformCert.serial }));
    signError(await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url), { mchid: '1900000110' }));
  });

  it('a timestamp more than 5 minutes off answers 401; within 5 minutes is fine', async () => {
    signError(await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url), { timestamp: nowSec() - 301 }));
    signError(await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url), { timestamp: nowSec() + 301 }));
    expect((await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url), { timestamp: nowSec() - 290 })).status).toBe(200);
  });

  it('a missing or malformed Authorization answers 401 SIGN_ERROR', async () => {
    for (const auth of [null, 'Bearer abc', 'WECHATPAY2-SHA256-RSA2048 mchid="1900000109"']) {
      const res = await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url), { auth });
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('SIGN_ERROR');
    }
  });
});

describe('response signatures', () => {
  async function signedResponses(s: WechatPaySimulator): Promise<ApiResult[]> {
    const ok = await api(s, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url));
    const body = prepayBody(shop.url);
    const placed = await api(s, 'POST', '/v3/pay/transactions/jsapi', body);
    const empty = await api(s, 'POST', `/v3/pay/transactions/out-trade-no/${body.out_trade_no}/close`, { mchid: MCHID });
    const notFound = await query(s, 'NO_SUCH_ORDER');
    expect([ok.status, placed.status, empty.status, notFound.status]).toEqual([200, 200, 204, 404]);
    expect(empty.text).toBe('');
    return [ok, placed, empty, notFound];
  }

  it.each([
    ['certificate', () => keys.platformCert.serial],
    ['publicKey', () => keys.publicKey.id],
  ] as const)('signWith %s: every response carries Request-ID and verifies with that key only', async (mode, serial) => {
    const s = await sim({ signWith: mode });
    for (const res of await signedResponses(s)) {
      expect(res.headers.get('request-id')).toBeTruthy();
      expect(res.headers.get('wechatpay-serial')).toBe(serial());
      expect(res.headers.get('wechatpay-nonce')).toMatch(/^[0-9A-Z]{32}$/);
      expect(Math.abs(Number(res.headers.get('wechatpay-timestamp')) - nowSec())).toBeLessThanOrEqual(2);
      expect(verifyWechatSignature(res.headers, res.text)).toBe('ok');
      const ts = res.headers.get('wechatpay-timestamp');
      const nonce = res.headers.get('wechatpay-nonce');
      const sig = res.headers.get('wechatpay-signature') as string;
      // Exactly TIMESTAMP\nNONCE\nBODY\n (an empty body gives TIMESTAMP\nNONCE\n\n) …
      expect(rsaVerify(`${ts}\n${nonce}\n${res.text}\n`, sig, wechatKeys.get(serial()) as KeyObject)).toBe(true);
      // … and not with the other key.
      const other = [...wechatKeys.entries()].find(([k]) => k !== serial())?.[1] as KeyObject;
      expect(rsaVerify(`${ts}\n${nonce}\n${res.text}\n`, sig, other)).toBe(false);
    }
  });

  it('signWith alternate flips between the certificate and the public key', async () => {
    const s = await sim({ signWith: 'alternate' });
    const responses = await signedResponses(s);
    const serials = responses.map((r) => r.headers.get('wechatpay-serial'));
    for (let i = 1; i < serials.length; i++) expect(serials[i]).not.toBe(serials[i - 1]);
    expect(new Set(serials)).toEqual(new Set([keys.platformCert.serial, keys.publicKey.id]));
    for (const res of responses) expect(verifyWechatSignature(res.headers, res.text)).toBe('ok');
  });
});

describe('JSAPI prepay', () => {
  it('answers a prepay_id and the order reads NOTPAY', async () => {
    const body = prepayBody(shop.url, { attach: 'store=42', time_expire: '2099-01-01T00:00:00+08:00' });
    const res = await api(main, 'POST', '/v3/pay/transactions/jsapi', body);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ prepay_id: expect.stringMatching(/^wx\d{14}[0-9a-f]{18}0000$/) });
    const q = await query(main, body.out_trade_no);
    expect(q.status).toBe(200);
    expect(q.json).toEqual({
      appid: APPID,
      mchid: MCHID,
      out_trade_no: body.out_trade_no,
      trade_type: 'JSAPI',
      trade_state: 'NOTPAY',
      trade_state_desc: '订单未支付',
      attach: 'store=42',
      payer: { openid: OPENID },
      amount: { total: 1000, currency: 'CNY', payer_currency: 'CNY' },
    });
    expect(main.order(body.out_trade_no)).toEqual(q.json);
    expect(main.order('NOPE_NOPE')).toBeNull();
  });

  it('is idempotent per out_trade_no: same parameters → same prepay_id, different → INVALID_REQUEST', async () => {
    const body = prepayBody(shop.url);
    const first = await api(main, 'POST', '/v3/pay/transactions/jsapi', body);
    // Same parameters in another key order.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await api(main, 'POST', '/v3/pay/transactions/jsapi', reordered);
    expect(again.status).toBe(200);
    expect(again.json.prepay_id).toBe(first.json.prepay_id);
    const changed = await api(main, 'POST', '/v3/pay/transactions/jsapi', { ...body, amount: { total: 999, currency: 'CNY' } });
    expect(changed.status).toBe(400);
    expect(changed.json).toEqual({ code: 'INVALID_REQUEST', message: expect.stringContaining('商户订单号重复') });
  });

  it('accepts the full out_trade_no alphabet, a 127-byte description and https / loopback http notify URLs', async () => {
    for (const over of [
      { out_trade_no: `a-b_c|d*${Date.now()}` },
      { description: '圈'.repeat(42) + 'x' }, // 127 UTF-8 bytes
      { notify_url: 'https://quanzi.example.com/wechatpay/notify' },
      { notify_url: 'http://localhost:4000/wechatpay/notify' },
      { amount: { total: 1 } }, // currency defaults to CNY
    ]) {
      const res = await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url, over));
      expect([over, res.status]).toEqual([over, 200]);
    }
  });

  it.each([
    ['description over 127 bytes', { description: '圈'.repeat(43) }, 'PARAM_ERROR'],
    ['missing description', { description: undefined }, 'PARAM_ERROR'],
    ['out_trade_no too short', { out_trade_no: 'A1234' }, 'PARAM_ERROR'],
    ['out_trade_no too long', { out_trade_no: 'A'.repeat(33) }, 'PARAM_ERROR'],
    ['out_trade_no bad character', { out_trade_no: 'QZ#123456' }, 'PARAM_ERROR'],
    ['notify_url http on a public host', { notify_url: 'http://quanzi.example.com/notify' }, 'PARAM_ERROR'],
    ['notify_url with a query', { notify_url: 'https://quanzi.example.com/notify?x=1' }, 'PARAM_ERROR'],
    ['missing notify_url', { notify_url: undefined }, 'PARAM_ERROR'],
    ['total zero', { amount: { total: 0, currency: 'CNY' } }, 'PARAM_ERROR'],
    ['total fractional', { amount: { total: 10.5, currency: 'CNY' } }, 'PARAM_ERROR'],
    ['total as a string', { amount: { total: '1000', currency: 'CNY' } }, 'PARAM_ERROR'],
    ['currency USD', { amount: { total: 1000, currency: 'USD' } }, 'PARAM_ERROR'],
    ['missing payer', { payer: undefined }, 'PARAM_ERROR'],
    ['attach over 128 bytes', { attach: 'x'.repeat(129) }, 'PARAM_ERROR'],
    ['time_expire not rfc3339', { time_expire: '2099-01-01 00:00:00' }, 'PARAM_ERROR'],
    ['another appid', { appid: 'wx0000000000000000' }, 'APPID_MCHID_NOT_MATCH'],
    ['another mchid', { mchid: '1900000110' }, 'MCH_NOT_EXISTS'],
  ])('rejects %s with 400 %s', async (_label, over, code) => {
    const res = await api(main, 'POST', '/v3/pay/transactions/jsapi', prepayBody(shop.url, over as Json));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code, message: expect.any(String) });
    expect(verifyWechatSignature(res.headers, res.text)).toBe('ok');
  });

  it('rejects a body that is not JSON', async () => {
    const res = await api(main, 'POST', '/v3/pay/transactions/jsapi', undefined, { rawBody: 'appid=wx' });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('PARAM_ERROR');
  });

  it('query: unknown order → 404 ORDER_NOT_EXIST, missing mchid → 400, unknown path → 404', async () => {
    const unknown = await query(main, 'QZ_UNKNOWN_1');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ code: 'ORDER_NOT_EXIST', message: expect.any(String) });
    const byId = await api(main, 'GET', `/v3/pay/transactions/id/4200000000000000000000000000?mchid=${MCHID}`);
    expect(byId.status).toBe(404);
    const { outTradeNo } = await placeOrder(main, shop.url);
    expect((await api(main, 'GET', `/v3/pay/transactions/out-trade-no/${outTradeNo}`)).status).toBe(400);
    expect((await api(main, 'GET', '/v3/pay/transactions/native')).status).toBe(404);
  });
});

describe('pay (wx.requestPayment stand-in)', () => {
  it('marks the order SUCCESS; both query APIs show transaction_id, success_time, payer and amounts', async () => {
    const { outTradeNo, prepayId } = await placeOrder(main, shop.url);
    const before = Date.now();
    const { transactionId } = await main.pay(payParams(prepayId), { openid: OPENID });
    expect(transactionId).toMatch(/^4200\d{24}$/);
    const q = await query(main, outTradeNo);
    expect(q.json).toMatchObject({
      out_trade_no: outTradeNo,
      transaction_id: transactionId,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      success_time: expect.stringMatching(CST_TIME),
      payer: { openid: OPENID },
      amount: { total: 1000, payer_total: 1000, currency: 'CNY', payer_currency: 'CNY' },
    });
    const success = Date.parse(q.json.success_time as string);
    expect(success).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(success).toBeLessThanOrEqual(Date.now());
    const byId = await api(main, 'GET', `/v3/pay/transactions/id/${transactionId}?mchid=${MCHID}`);
    expect(byId.json).toEqual(q.json);
    await main.idle();
  });

  it('rejects a wrong paySign, a wrong appId, signType MD5, an unknown prepay_id and another payer', async () => {
    const { outTradeNo, prepayId } = await placeOrder(main, shop.url);
    await expect(main.pay(payParams(prepayId, { key: strangerKey }))).rejects.toThrow(/支付验证签名失败/);
    const tampered = payParams(prepayId);
    await expect(main.pay({ ...tampered, nonceStr: tampered.nonceStr + 'x' })).rejects.toThrow(/支付验证签名失败/);
    // Correctly signed, but for another appId.
    await expect(main.pay(payParams(prepayId, { appId: 'wx0000000000000000' }))).rejects.toThrow(/appId/);
    await expect(main.pay({ ...payParams(prepayId), signType: 'MD5' })).rejects.toThrow(/signType/);
    await expect(main.pay(payParams('wx20250101000000aaaaaaaaaaaaaaaaaa0000'))).rejects.toThrow(/prepay_id/);
    await expect(main.pay(payParams(prepayId), { openid: 'oSomeoneElse' })).rejects.toThrow(/用户/);
    expect(main.order(outTradeNo)?.trade_state).toBe('NOTPAY');
    expect(main.deliveries.filter((d) => d.outTradeNo === outTradeNo)).toEqual([]);
  });

  it('rejects paying twice', async () => {
    const { prepayId } = await placeAndPay(main, shop.url);
    await expect(main.pay(payParams(prepayId))).rejects.toThrow(/已支付/);
    await main.idle();
  });

  it('rejects an order past time_expire, and a prepay_id older than 2 hours', async () => {
    let clock = Date.UTC(2025, 5, 1, 4, 0, 0);
    const s = await sim({ now: () => clock });
    const at = () => Math.floor(clock / 1000);
    const expire = new Date(clock + 10 * 60_000 + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
    const a = await placeOrder(s, shop.url, { time_expire: expire }, { timestamp: at() });
    const b = await placeOrder(s, shop.url, {}, { timestamp: at() });
    clock += 11 * 60_000;
    await expect(s.pay(payParams(a.prepayId, { timeStamp: String(at()) }))).rejects.toThrow(/过期/);
    clock += 2 * 3600_000;
    await expect(s.pay(payParams(b.prepayId, { timeStamp: String(at()) }))).rejects.toThrow(/过期/);
    expect(s.order(a.outTradeNo)?.trade_state).toBe('NOTPAY');
  });
});

describe('notifications', () => {
  it('POSTs a signed TRANSACTION.SUCCESS callback that decrypts (tag checked) to the query shape', async () => {
    const m = await merchant();
    const { outTradeNo, transactionId } = await placeAndPay(main, m.url);
    await main.idle();
    expect(m.received).toHaveLength(1);
    const r = m.received[0] as Received;
    expect(r.headers['wechatpay-signature-type']).toBe('WECHATPAY2-SHA256-RSA2048');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['wechatpay-serial']).toBe(keys.publicKey.id);
    expect(r.verdict.ok).toBe(true);
    if (!r.verdict.ok) return;
    expect(r.verdict.event).toEqual({
      id: expect.stringMatching(/^EV-\d+$/),
      create_time: expect.stringMatching(CST_TIME),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: expect.any(String),
        associated_data: 'transaction',
        nonce: expect.stringMatching(/^[0-9A-Za-z]{12}$/),
      },
    });
    // Key order on the wire follows WeChat's documentation.
    expect(Object.keys(r.verdict.event)).toEqual(['id', 'create_time', 'resource_type', 'event_type', 'summary', 'resource']);
    expect(r.verdict.plaintext).toEqual(main.order(outTradeNo));
    expect(r.verdict.plaintext.transaction_id).toBe(transactionId);
    const ct = Buffer.from(r.verdict.event.resource.ciphertext as string, 'base64');
    expect(ct.length).toBe(Buffer.byteLength(JSON.stringify(r.verdict.plaintext)) + 16);
    // The tag really is checked: the same ciphertext under a different AAD does not decrypt.
    const resource = r.verdict.event.resource as Json;
    expect(() => decrypt({ ...resource, associated_data: 'refund' })).toThrow();
    expect(main.deliveries.filter((d) => d.outTradeNo === outTradeNo)).toEqual([
      { eventId: r.verdict.event.id, eventType: 'TRANSACTION.SUCCESS', outTradeNo, attempt: 1, status: 204, probe: false, at: expect.any(Number) },
    ]);
  });

  it('retries a merchant that does not acknowledge (5xx, 4xx, 202) on the scaled schedule until 200', async () => {
    const answers = [500, 404, 202, 200];
    const m = await merchant((_r, i) => answers[i] ?? 204);
    const { outTradeNo } = await placeAndPay(main, m.url);
    await main.idle();
    const mine = main.deliveries.filter((d) => d.outTradeNo === outTradeNo);
    expect(mine.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 404],
      [3, 202],
      [4, 200],
    ]);
    expect(new Set(mine.map((d) => d.eventId)).size).toBe(1);
    const ids = m.received.map((r) => (r.verdict.ok ? r.verdict.event.id : 'bad'));
    expect(new Set(ids)).toEqual(new Set([mine[0]?.eventId]));
    // Gaps follow 15 s, 15 s, 30 s × SCALE (timer granularity allows ~1 ms early).
    for (let i = 1; i < m.received.length; i++) {
      const gap = (m.received[i] as Received).at - (m.received[i - 1] as Received).at;
      expect(gap).toBeGreaterThanOrEqual((WECHAT_PAY_RETRY_SCHEDULE_S[i - 1] as number) * 1000 * SCALE - 1);
    }
  });

  it('gives up after the first attempt plus 15 retries (24 h 4 min unscaled)', async () => {
    expect(WECHAT_PAY_RETRY_SCHEDULE_S.reduce((a, b) => a + b, 0)).toBe(24 * 3600 + 4 * 60);
    const s = await sim({ retryScale: 0.00001 });
    const m = await merchant(() => 503);
    await placeAndPay(s, m.url);
    await s.idle();
    expect(s.deliveries.map((d) => d.attempt)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(s.deliveries.every((d) => d.status === 503)).toBe(true);
    expect(m.received).toHaveLength(16);
  });

  it('a connection error counts as a failure and is retried', async () => {
    const m = await merchant();
    const port = new URL(m.url).port;
    await m.close();
    const s = await sim();
    const { outTradeNo } = await placeAndPay(s, `http://127.0.0.1:${port}/notify`);
    // Let a couple of attempts fail, then bring the endpoint back on the same port.
    await new Promise((r) => setTimeout(r, 10));
    const back = createServer((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    await new Promise<void>((resolve) => back.listen(Number(port), '127.0.0.1', resolve));
    try {
      await s.idle();
      const statuses = s.deliveries.filter((d) => d.outTradeNo === outTradeNo).map((d) => d.status);
      expect(statuses[0]).toBe('error');
      expect(statuses[statuses.length - 1]).toBe(204);
    } finally {
      await new Promise<void>((resolve) => back.close(() => resolve()));
    }
  });

  it('a merchant that takes longer than 5 s is treated as a failure', async () => {
    const s = await sim({ retryScale: 0.00001 });
    const m = await merchant((_r, i) => (i === 0 ? new Promise<number>((r) => setTimeout(() => r(204), 5600)) : 204));
    const { outTradeNo } = await placeAndPay(s, m.url);
    await s.idle();
    expect(s.deliveries.filter((d) => d.outTradeNo === outTradeNo).map((d) => d.status)).toEqual(['error', 204]);
  }, 15_000);

  it('sends extra copies one after another', async () => {
    const m = await merchant(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return 204;
    });
    const s = await sim();
    s.notifications.duplicates = 2;
    const { outTradeNo } = await placeAndPay(s, m.url);
    await s.idle();
    expect(m.received).toHaveLength(3);
    expect(m.maxConcurrent).toBe(1);
    expect(new Set(m.received.map((r) => (r.verdict.ok ? r.verdict.event.id : 'bad'))).size).toBe(1);
    expect(s.deliveries.filter((d) => d.outTradeNo === outTradeNo).map((d) => [d.attempt, d.status])).toEqual([
      [1, 204],
      [2, 204],
      [3, 204],
    ]);
  });

  it('sends extra copies concurrently when asked', async () => {
    const m = await merchant(async () => {
      await new Promise((r) => setTimeout(r, 50));
      return 204;
    });
    const s = await sim();
    s.notifications.duplicates = 2;
    s.notifications.concurrent = true;
    await placeAndPay(s, m.url);
    await s.idle();
    expect(m.received).toHaveLength(3);
    expect(m.maxConcurrent).toBeGreaterThanOrEqual(2);
    expect(m.received.every((r) => r.verdict.ok)).toBe(true);
  });

  it('drop: nothing arrives, the order still queries as SUCCESS, and redeliver() sends it on demand', async () => {
    const m = await merchant();
    const s = await sim();
    s.notifications.drop = true;
    const { outTradeNo, transactionId } = await placeAndPay(s, m.url);
    await s.idle();
    expect(m.received).toHaveLength(0);
    expect(s.deliveries).toEqual([expect.objectContaining({ outTradeNo, attempt: 1, status: 'error', probe: false })]);
    const q = await query(s, outTradeNo);
    expect(q.json).toMatchObject({ trade_state: 'SUCCESS', transaction_id: transactionId });
    expect(await s.redeliver(outTradeNo)).toBe(204);
    expect(m.received).toHaveLength(1);
    const r = m.received[0] as Received;
    expect(r.verdict.ok && r.verdict.plaintext.transaction_id).toBe(transactionId);
    expect(s.deliveries.at(-1)).toMatchObject({ attempt: 2, status: 204 });
    await expect(s.redeliver('QZ_NOT_PAID_YET')).rejects.toThrow(/no notification/);
  });

  it('probeEvery: a WECHATPAY/SIGNTEST/ probe precedes every n-th notification and must be rejected', async () => {
    const m = await merchant();
    const s = await sim({ probeEvery: 2 });
    const first = await placeAndPay(s, m.url);
    await s.idle();
    const second = await placeAndPay(s, m.url);
    await s.idle();
    expect(s.deliveries.map((d) => [d.outTradeNo, d.probe, d.attempt, d.status])).toEqual([
      [first.outTradeNo, false, 1, 204],
      [second.outTradeNo, true, 0, 401],
      [second.outTradeNo, false, 1, 204],
    ]);
    const probe = m.received[1] as Received;
    expect(probe.headers['wechatpay-signature']).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(probe.verdict).toEqual({ ok: false, reason: 'probe' });
    // Apart from the signature it is a well-formed notification.
    expect(JSON.parse(decrypt((JSON.parse(probe.body) as Json).resource)).out_trade_no).toBe(second.outTradeNo);
  });

  it('signWith alternate: callbacks arrive signed by either key and all verify through the serial map', async () => {
    const m = await merchant();
    const s = await sim({ signWith: 'alternate' });
    s.notifications.duplicates = 3;
    await placeAndPay(s, m.url);
    await s.idle();
    expect(new Set(m.received.map((r) => r.headers['wechatpay-serial']))).toEqual(new Set([keys.platformCert.serial, keys.publicKey.id]));
    expect(m.received.every((r) => r.verdict.ok)).toBe(true);
  });
});

describe('buildNotification', () => {
  let paid: { outTradeNo: string; transactionId: string };
  beforeAll(async () => {
    paid = await placeAndPay(main, shop.url);
    await main.idle();
  });

  it('untampered: verifies and decrypts to the transaction', () => {
    const { headers, body } = main.buildNotification(paid.outTradeNo);
    const v = verifyNotification(headers, body);
    expect(v.ok).toBe(true);
    expect(v.ok && v.plaintext).toMatchObject({ out_trade_no: paid.outTradeNo, transaction_id: paid.transactionId, trade_state: 'SUCCESS' });
    expect(headers['Wechatpay-Signature-Type']).toBe('WECHATPAY2-SHA256-RSA2048');
  });

  it.each([
    ['signature', 'signature'],
    ['serial', 'serial'],
    ['timestamp', 'timestamp'],
    ['probe', 'probe'],
    ['ciphertext', 'decrypt'],
    ['tag', 'decrypt'],
    ['key', 'decrypt'],
  ] as const)('tamper %s fails with %s', (tamper, reason) => {
    const { headers, body } = main.buildNotification(paid.outTradeNo, { tamper });
    expect(verifyNotification(headers, body)).toEqual({ ok: false, reason });
    const serial = headers['Wechatpay-Serial'] as string;
    const ts = headers['Wechatpay-Timestamp'] as string;
    const signed = `${ts}\n${headers['Wechatpay-Nonce']}\n${body}\n`;
    const sig = headers['Wechatpay-Signature'] as string;
    switch (tamper) {
      case 'signature':
        expect(Buffer.from(sig, 'base64').toString('base64')).toBe(sig);
        expect(Buffer.from(sig, 'base64')).toHaveLength(256);
        break;
      case 'serial':
        // Correctly signed, by a key the merchant does not know under that serial.
        expect(serial).toMatch(/^([0-9A-F]{40}|PUB_KEY_ID_01\d{30})$/);
        expect(rsaVerify(signed, sig, wechatKeys.get(keys.publicKey.id) as KeyObject)).toBe(true);
        break;
      case 'timestamp':
        expect(nowSec() - Number(ts)).toBeGreaterThanOrEqual(599);
        expect(rsaVerify(signed, sig, wechatKeys.get(serial) as KeyObject)).toBe(true);
        break;
      case 'probe':
        expect(sig.startsWith('WECHATPAY/SIGNTEST/')).toBe(true);
        break;
      default: {
        // Re-signed: the signature is fine, only decryption (the GCM tag) fails.
        expect(verifyWechatSignature(headers, body)).toBe('ok');
        const resource = (JSON.parse(body) as Json).resource as Json;
        expect(resource.nonce).toHaveLength(12);
        expect(() => decrypt(resource)).toThrow(/auth/i);
      }
    }
  });

  it('throws for an order without a notification', async () => {
    const { outTradeNo } = await placeOrder(main, shop.url);
    expect(() => main.buildNotification(outTradeNo)).toThrow(/no notification/);
    expect(() => main.buildNotification('QZ_NEVER_SEEN')).toThrow(/no notification/);
  });
});

describe('close', () => {
  it('closes an unpaid order with 204; the order reads CLOSED and can no longer be paid or re-ordered', async () => {
    const body = prepayBody(shop.url);
    const { json } = await api(main, 'POST', '/v3/pay/transactions/jsapi', body);
    const path = `/v3/pay/transactions/out-trade-no/${body.out_trade_no}/close`;
    const res = await api(main, 'POST', path, { mchid: MCHID });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(verifyWechatSignature(res.headers, res.text)).toBe('ok');
    expect(main.order(body.out_trade_no)).toMatchObject({ trade_state: 'CLOSED', trade_state_desc: '订单已关闭' });
    await expect(main.pay(payParams(json.prepay_id as string))).rejects.toThrow(/关闭/);
    expect((await api(main, 'POST', path, { mchid: MCHID })).status).toBe(204);
    const again = await api(main, 'POST', '/v3/pay/transactions/jsapi', body);
    expect([again.status, again.json.code]).toEqual([400, 'ORDER_CLOSED']);
  });

  it('a paid order answers 400 ORDERPAID, an unknown one 404, a missing mchid 400', async () => {
    const { outTradeNo } = await placeAndPay(main, shop.url);
    const paid = await api(main, 'POST', `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`, { mchid: MCHID });
    expect([paid.status, paid.json.code]).toEqual([400, 'ORDERPAID']);
    const unknown = await api(main, 'POST', '/v3/pay/transactions/out-trade-no/QZ_UNKNOWN_2/close', { mchid: MCHID });
    expect([unknown.status, unknown.json.code]).toEqual([404, 'ORDER_NOT_EXIST']);
    const noMchid = await api(main, 'POST', `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`, {});
    expect([noMchid.status, noMchid.json.code]).toEqual([400, 'PARAM_ERROR']);
    expect(main.order(outTradeNo)?.trade_state).toBe('SUCCESS');
    await main.idle();
  });
});

describe('refunds', () => {
  const refund = (s: WechatPaySimulator, body: Json) => api(s, 'POST', '/v3/refund/domestic/refunds', body);
  const newRefundNo = () => `RF${newOrderNo()}`;

  it('partial refunds up to the total, then over-refund is rejected; each moves PROCESSING → SUCCESS with a notification', async () => {
    const m = await merchant();
    const other = await merchant();
    const s = await sim({ refundDelayMs: 30 });
    const { outTradeNo, transactionId } = await placeAndPay(s, m.url);
    const r1no = newRefundNo();
    const r2no = newRefundNo();
    const r1 = await refund(s, { out_trade_no: outTradeNo, out_refund_no: r1no, reason: '商品已售完', amount: { refund: 300, total: 1000, currency: 'CNY' } });
    expect(r1.status).toBe(200);
    expect(verifyWechatSignature(r1.headers, r1.text)).toBe('ok');
    expect(r1.json).toMatchObject({
      refund_id: expect.stringMatching(/^\d{29}$/),
      out_refund_no: r1no,
      transaction_id: transactionId,
      out_trade_no: outTradeNo,
      status: 'PROCESSING',
      create_time: expect.stringMatching(CST_TIME),
      amount: { total: 1000, refund: 300, payer_total: 1000, payer_refund: 300, currency: 'CNY' },
    });
    expect(r1.json.success_time).toBeUndefined();
    expect(s.order(outTradeNo)).toMatchObject({ trade_state: 'REFUND', trade_state_desc: '转入退款' });

    // By transaction_id, with its own notify_url.
    const r2 = await refund(s, { transaction_id: transactionId, out_refund_no: r2no, notify_url: other.url, amount: { refund: 700, total: 1000, currency: 'CNY' } });
    expect([r2.status, r2.json.status]).toEqual([200, 'PROCESSING']);

    const over = await refund(s, { out_trade_no: outTradeNo, out_refund_no: newRefundNo(), amount: { refund: 1, total: 1000, currency: 'CNY' } });
    expect(over.status).toBe(400);
    expect(over.json).toEqual({ code: 'INVALID_REQUEST', message: expect.stringContaining('退款金额超过可退金额') });

    await s.idle();
    for (const [no, amount] of [
      [r1no, 300],
      [r2no, 700],
    ] as const) {
      const q = await api(s, 'GET', `/v3/refund/domestic/refunds/${no}`);
      expect(q.status).toBe(200);
      expect(q.json).toMatchObject({ out_refund_no: no, status: 'SUCCESS', success_time: expect.stringMatching(CST_TIME), amount: { refund: amount } });
    }

    const refundCallbacks = (mm: Merchant) => mm.received.filter((r) => r.verdict.ok && r.verdict.event.event_type === 'REFUND.SUCCESS');
    expect(refundCallbacks(m)).toHaveLength(1);
    expect(refundCallbacks(other)).toHaveLength(1);
    const cb = refundCallbacks(m)[0] as Received;
    if (!cb.verdict.ok) throw new Error('unreachable');
    expect(cb.verdict.event).toMatchObject({
      summary: '退款成功',
      resource: { original_type: 'refund', associated_data: 'refund', algorithm: 'AEAD_AES_256_GCM' },
    });
    expect(cb.verdict.plaintext).toEqual({
      mchid: MCHID,
      out_trade_no: outTradeNo,
      transaction_id: transactionId,
      out_refund_no: r1no,
      refund_id: r1.json.refund_id,
      refund_status: 'SUCCESS',
      success_time: expect.stringMatching(CST_TIME),
      user_received_account: '支付用户零钱',
      amount: { total: 1000, refund: 300, payer_total: 1000, payer_refund: 300 },
    });
    expect(s.deliveries.filter((d) => d.eventType === 'REFUND.SUCCESS').map((d) => [d.outRefundNo, d.status]).sort()).toEqual(
      [
        [r1no, 204],
        [r2no, 204],
      ].sort(),
    );

    // The refund notification can be rebuilt and replayed too.
    const rebuilt = s.buildNotification(outTradeNo, { outRefundNo: r2no });
    const v = verifyNotification(rebuilt.headers, rebuilt.body);
    expect(v.ok && v.plaintext.out_refund_no).toBe(r2no);
    expect(await s.redeliver(outTradeNo, { outRefundNo: r2no })).toBe(204);
    expect(refundCallbacks(other)).toHaveLength(2);
    expect(s.order(outTradeNo)?.trade_state).toBe('REFUND');
  });

  it('rejects a single refund above the total', async () => {
    const { outTradeNo } = await placeAndPay(main, shop.url);
    const res = await refund(main, { out_trade_no: outTradeNo, out_refund_no: newRefundNo(), amount: { refund: 1001, total: 1000, currency: 'CNY' } });
    expect([res.status, res.json.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(main.order(outTradeNo)?.trade_state).toBe('SUCCESS');
    await main.idle();
  });

  it('is idempotent on out_refund_no; different parameters under the same number are rejected', async () => {
    const { outTradeNo } = await placeAndPay(main, shop.url);
    const body = { out_trade_no: outTradeNo, out_refund_no: newRefundNo(), amount: { refund: 600, total: 1000, currency: 'CNY' } };
    const a = await refund(main, body);
    const b = await refund(main, body);
    expect(b.status).toBe(200);
    expect(b.json.refund_id).toBe(a.json.refund_id);
    // Not counted twice: the remaining 400 is still refundable.
    const changed = await refund(main, { ...body, amount: { refund: 500, total: 1000, currency: 'CNY' } });
    expect([changed.status, changed.json.code]).toEqual([400, 'INVALID_REQUEST']);
    const rest = await refund(main, { ...body, out_refund_no: newRefundNo(), amount: { refund: 400, total: 1000, currency: 'CNY' } });
    expect(rest.status).toBe(200);
    await main.idle();
    const after = await refund(main, body);
    expect(after.json.status).toBe('SUCCESS');
  });

  it('rejects refunds of unpaid or unknown orders, a wrong total, and answers 404 for an unknown refund', async () => {
    const { outTradeNo } = await placeOrder(main, shop.url);
    const unpaid = await refund(main, { out_trade_no: outTradeNo, out_refund_no: newRefundNo(), amount: { refund: 1, total: 1000, currency: 'CNY' } });
    expect([unpaid.status, unpaid.json.code]).toEqual([400, 'INVALID_REQUEST']);
    const unknown = await refund(main, { out_trade_no: 'QZ_UNKNOWN_3', out_refund_no: newRefundNo(), amount: { refund: 1, total: 1000, currency: 'CNY' } });
    expect([unknown.status, unknown.json.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
    const paid = await placeAndPay(main, shop.url);
    const wrongTotal = await refund(main, { out_trade_no: paid.outTradeNo, out_refund_no: newRefundNo(), amount: { refund: 1, total: 999, currency: 'CNY' } });
    expect([wrongTotal.status, wrongTotal.json.code]).toEqual([400, 'INVALID_REQUEST']);
    const noRefundNo = await refund(main, { out_trade_no: paid.outTradeNo, amount: { refund: 1, total: 1000 } });
    expect([noRefundNo.status, noRefundNo.json.code]).toEqual([400, 'PARAM_ERROR']);
    const q = await api(main, 'GET', '/v3/refund/domestic/refunds/RF_NOPE');
    expect([q.status, q.json.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
    await main.idle();
  });
});

describe('/__sim/pay (browser demo)', () => {
  it('answers CORS preflight, pays with valid parameters and explains rejections as {code, message}', async () => {
    const pre = await fetch(`${main.url}/__sim/pay`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');

    const { outTradeNo, prepayId } = await placeOrder(main, shop.url);
    const bad = await fetch(`${main.url}/__sim/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...payParams(prepayId, { key: strangerKey }), openid: OPENID }),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
    expect(await bad.json()).toEqual({ code: 'SIGN_ERROR', message: expect.stringContaining('支付验证签名失败') });

    const ok = await fetch(`${main.url}/__sim/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...payParams(prepayId), openid: OPENID }),
    });
    expect(ok.status).toBe(200);
    const json = (await ok.json()) as Json;
    expect(json).toEqual({ transaction_id: expect.stringMatching(/^4200\d{24}$/) });
    expect(main.order(outTradeNo)).toMatchObject({ trade_state: 'SUCCESS', transaction_id: json.transaction_id });

    const notJson = await fetch(`${main.url}/__sim/pay`, { method: 'POST', body: 'x' });
    expect(notJson.status).toBe(400);
    await main.idle();
    const deliveries = (await (await fetch(`${main.url}/__sim/deliveries`)).json()) as Json;
    expect(deliveries.deliveries.some((d: Json) => d.outTradeNo === outTradeNo)).toBe(true);
  });
});

describe('lifecycle', () => {
  it('close() stops scheduled retries at once and idle() resolves', async () => {
    const m = await merchant(() => 500);
    const s = await startWechatPaySimulator({ keys, appid: APPID }); // real schedule: the next retry is 15 s away
    await placeAndPay(s, m.url);
    const idle = s.idle();
    await new Promise((r) => setTimeout(r, 50));
    expect(m.received).toHaveLength(1);
    const started = Date.now();
    await s.close();
    await idle;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
