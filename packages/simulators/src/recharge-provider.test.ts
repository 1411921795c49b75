/**
 * Drives the recharge aggregator simulator the way a merchant server would: raw HTTP with a hand-written MD5
 * signer, and a merchant callback endpoint with a hand-written verifier, so the simulator's signing is checked
 * against an independent implementation (and against fixed vectors computed outside Node).
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RECHARGE_CALLBACK_RETRY_S, rechargeSign, rechargeSignString, startRechargeProviderSimulator, type RechargeSimulator } from './recharge-provider';

const APP_ID = 'qz_test_app';
const SECRET = 'test-recharge-secret-0123456789';
const PHONE = '13812345678';
const CNPC = '9030123456789012';

/** The merchant's own signer: sorted non-empty pairs, `&key=`, MD5, upper-case. */
function sign(p: Record<string, string>, secret = SECRET): string {
  const s = Object.keys(p)
    .filter((k) => k !== 'sign' && p[k] !== '')
    .sort()
    .map((k) => `${k}=${p[k]}`)
    .join('&');
  return createHash('md5').update(`${s}&key=${secret}`).digest('hex').toUpperCase();
}

const nowSec = () => String(Math.floor(Date.now() / 1000));

interface Merchant {
  url: string;
  received: Record<string, string>[];
  /** What the merchant answers, in turn (the last repeats). */
  answers: string[];
  server: Server;
}

async function startMerchant(): Promise<Merchant> {
  const m: Merchant = { url: '', received: [], answers: ['success'], server: null as unknown as Server };
  m.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) as Record<string, string>;
      m.received.push(p);
      const answer = (m.answers.length > 1 ? m.answers.shift() : m.answers[0]) as string;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(answer);
    });
  });
  await new Promise<void>((r) => m.server.listen(0, '127.0.0.1', r));
  m.url = `http://127.0.0.1:${(m.server.address() as AddressInfo).port}/notify`;
  return m;
}

describe('rechargeSign', () => {
  test('a fixed vector (computed with Python hashlib): empty values and sign are left out, keys sorted', () => {
    const p = {
      app_id: 'qz_app_001',
      out_trade_no: 'RW20260610A1',
      product_type: 'MOBILE',
      brand: 'CMCC',
      account: '13812345678',
      face_value: '30',
      notify_url: 'https://api.example.com/webhooks/rewards/recharge',
      timestamp: '1781049600',
      nonce_str: 'n0nce',
      fail_reason: '',
      sign: 'X',
    };
    expect(rechargeSignString(p, 's3cret')).toBe(
      'account=13812345678&app_id=qz_app_001&brand=CMCC&face_value=30&nonce_str=n0nce&notify_url=https://api.example.com/webhooks/rewards/recharge&out_trade_no=RW20260610A1&product_type=MOBILE&timestamp=1781049600&key=s3cret',
    );
    expect(rechargeSign(p, 's3cret')).toBe('5AEC4B3389B04F412E80FEA0726927A8');
  });

  test('byte order (upper case before _ before lower case) and UTF-8 values', () => {
    expect(rechargeSignString({ account: '加油卡', a: '1', B: '2', _x: '3' }, 'k')).toBe('B=2&_x=3&a=1&account=加油卡&key=k');
    expect(rechargeSign({ account: '加油卡', a: '1', B: '2', _x: '3' }, 'k')).toBe('5CD5CE60E3CB54AFC6A0EBC3BA92087B');
  });

  test('null and undefined count as empty', () => {
    expect(rechargeSignString({ a: '1', b: null, c: undefined, d: 0 }, 'k')).toBe('a=1&d=0&key=k');
  });
});

describe('recharge provider simulator', () => {
  let sim: RechargeSimulator;
  let merchant: Merchant;
  let seq = 0;

  beforeAll(async () => {
    merchant = await startMerchant();
    sim = await startRechargeProviderSimulator({ appId: APP_ID, secret: SECRET, settleMs: 20, retryScale: 0.001 });
  });
  afterAll(async () => {
    await sim.close();
    await new Promise((r) => merchant.server.close(r));
  });
  beforeEach(async () => {
    await sim.idle(); // callbacks of the previous test's orders land before this one starts
    merchant.received.length = 0;
    merchant.answers = ['success'];
    sim.setDefault('success');
  });

  const newNo = () => `RWTEST${Date.now()}${++seq}`;

  async function call(path: 'submit' | 'query', params: Record<string, string>, opts: { secret?: string; signature?: string; timeoutMs?: number } = {}): Promise<Record<string, any>> {
    const p = { app_id: APP_ID, timestamp: nowSec(), nonce_str: `n${seq}x`, ...params };
    const body = new URLSearchParams({ ...p, sign: opts.signature ?? sign(p, opts.secret) }).toString();
    const res = await fetch(`${sim.url}/api/v1/recharge/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    return (await res.json()) as Record<string, any>;
  }

  const mobile = (outTradeNo: string, over: Record<string, string> = {}) => ({
    out_trade_no: outTradeNo,
    product_type: 'MOBILE',
    brand: 'CMCC',
    account: PHONE,
    face_value: '30',
    notify_url: merchant.url,
    ...over,
  });

  const verifyCallback = (p: Record<string, string>) => p.sign === sign(p);

  test('submit → PROCESSING; it settles, the signed callback arrives once (acknowledged) and the query says SUCCESS', async () => {
    const no = newNo();
    const r = await call('submit', mobile(no));
    expect(r).toMatchObject({ code: '0000', data: { out_trade_no: no, status: 'PROCESSING', order_no: expect.stringMatching(/^RC\d+/) } });
    await sim.idle();
    expect(merchant.received).toHaveLength(1);
    const cb = merchant.received[0] as Record<string, string>;
    expect(cb).toMatchObject({ app_id: APP_ID, out_trade_no: no, order_no: r.data.order_no, status: 'SUCCESS', account: PHONE, face_value: '30', product_type: 'MOBILE', brand: 'CMCC' });
    expect(cb.fail_reason).toBeUndefined();
    expect(verifyCallback(cb)).toBe(true);
    const q = await call('query', { out_trade_no: no });
    expect(q).toMatchObject({ code: '0000', data: { status: 'SUCCESS', out_trade_no: no, face_value: 30, finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) } });
    expect(sim.submits.filter((s) => s.outTradeNo === no)).toEqual([expect.objectContaining({ code: '0000', created: true })]);
  });

  test('fail: the callback and the query say FAILED with a reason', async () => {
    const no = newNo();
    sim.next({ outcome: 'FAILED', failReason: '运营商维护中' });
    expect((await call('submit', mobile(no))).code).toBe('0000');
    await sim.idle();
    expect(merchant.received[0]).toMatchObject({ status: 'FAILED', fail_reason: '运营商维护中' });
    expect(verifyCallback(merchant.received[0] as Record<string, string>)).toBe(true);
    expect((await call('query', { out_trade_no: no })).data).toMatchObject({ status: 'FAILED', fail_reason: '运营商维护中' });
  });

  test('a fuel card (CNPC) is accepted; a Sinopec product with a CNPC number is refused 3002 and not created', async () => {
    const ok = newNo();
    expect((await call('submit', mobile(ok, { product_type: 'FUEL', brand: 'CNPC', account: CNPC, face_value: '100' }))).code).toBe('0000');
    const bad = newNo();
    expect(await call('submit', mobile(bad, { product_type: 'FUEL', brand: 'SINOPEC', account: CNPC, face_value: '100' }))).toMatchObject({ code: '3002' });
    expect(sim.order(bad)).toBeNull();
    expect((await call('query', { out_trade_no: bad })).code).toBe('2004');
  });

  test.each<[string, Record<string, string>, { secret?: string; signature?: string }, string]>([
    ['a wrong secret', {}, { secret: 'other' }, '1001'],
    ['a tampered signature', {}, { signature: '0'.repeat(32) }, '1001'],
    ['an unknown app_id', { app_id: 'someone_else' }, {}, '1004'],
    ['a stale timestamp', { timestamp: String(Math.floor(Date.now() / 1000) - 600) }, {}, '1003'],
    ['a face value the operator does not sell', { face_value: '35' }, {}, '1002'],
    ['an unknown brand', { brand: 'CMXX' }, {}, '1002'],
    ['a number that is not a mobile', { account: '23812345678' }, {}, '3002'],
    ['a plain http notify_url off loopback', { notify_url: 'http://merchant.example.com/notify' }, {}, '1002'],
  ])('%s is refused (%#) and creates nothing', async (_name, over, opts, code) => {
    const no = newNo();
    const r = await call('submit', mobile(no, over), opts);
    expect(r.code).toBe(code);
    expect(sim.order(no)).toBeNull();
  });

  test('submits are idempotent per out_trade_no: the same parameters get the same order, others 2001', async () => {
    const no = newNo();
    const a = await call('submit', mobile(no));
    const b = await call('submit', mobile(no));
    expect(b).toMatchObject({ code: '0000', data: { order_no: a.data.order_no } });
    expect(await call('submit', mobile(no, { face_value: '50' }))).toMatchObject({ code: '2001' });
    await sim.idle();
    expect(sim.orders().filter((o) => o.outTradeNo === no)).toHaveLength(1);
    expect(merchant.received.filter((c) => c.out_trade_no === no)).toHaveLength(1);
  });

  test('timeout: the submit never answers, but the order exists and later succeeds on query; no callback comes', async () => {
    const no = newNo();
    sim.next('timeout');
    await expect(call('submit', mobile(no), { timeoutMs: 200 })).rejects.toThrow();
    expect(sim.order(no)?.status).toBeDefined();
    await sim.idle();
    expect((await call('query', { out_trade_no: no })).data).toMatchObject({ status: 'SUCCESS' });
    expect(merchant.received.filter((c) => c.out_trade_no === no)).toHaveLength(0);
  });

  test('a late answer arrives after its delay', async () => {
    const no = newNo();
    sim.next({ outcome: 'SUCCESS', answerDelayMs: 150 });
    const t0 = Date.now();
    expect((await call('submit', mobile(no))).code).toBe('0000');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  test('late callback: settled (the query says so) well before the callback arrives', async () => {
    const no = newNo();
    sim.next({ outcome: 'SUCCESS', settleMs: 5, callbackDelayMs: 1000 });
    await call('submit', mobile(no));
    while (sim.order(no)?.status !== 'SUCCESS') await new Promise((r) => setTimeout(r, 5));
    expect((await call('query', { out_trade_no: no })).data.status).toBe('SUCCESS');
    expect(merchant.received).toHaveLength(0);
    await sim.idle();
    expect(merchant.received).toHaveLength(1);
  });

  test('double callback: two signed copies of the same result', async () => {
    const no = newNo();
    sim.behave(PHONE, 'double-callback');
    try {
      await call('submit', mobile(no));
      await sim.idle();
    } finally {
      sim.behave(PHONE, null);
    }
    const mine = merchant.received.filter((c) => c.out_trade_no === no);
    expect(mine).toHaveLength(2);
    expect(mine.every(verifyCallback)).toBe(true);
    expect(new Set(mine.map((c) => c.status))).toEqual(new Set(['SUCCESS']));
  });

  test('callbacks are retried until the merchant answers exactly "success"', async () => {
    const no = newNo();
    merchant.answers = ['fail', 'SUCCESS ', 'ok'];
    sim.next({ outcome: 'SUCCESS', callbacks: 1 });
    await call('submit', mobile(no));
    await sim.idle();
    // fail → retry; "SUCCESS " (trimmed, case-insensitive) acknowledges.
    expect(sim.callbacks.filter((c) => c.outTradeNo === no).map((c) => c.attempt)).toEqual([1, 2]);
    expect(RECHARGE_CALLBACK_RETRY_S.length).toBeGreaterThan(3);
  });

  test('busy (9999) and reject (3002) create nothing; a busy order can be submitted again', async () => {
    const no = newNo();
    sim.next('busy');
    expect(await call('submit', mobile(no))).toMatchObject({ code: '9999' });
    expect(sim.order(no)).toBeNull();
    expect((await call('submit', mobile(no))).code).toBe('0000');
    const rejected = newNo();
    sim.next('reject');
    expect(await call('submit', mobile(rejected))).toMatchObject({ code: '3002', msg: '充值账号无效' });
    expect(sim.order(rejected)).toBeNull();
  });

  test('manual: PROCESSING until complete(); then one callback; completing twice is an error', async () => {
    const no = newNo();
    sim.next('manual');
    await call('submit', mobile(no));
    await new Promise((r) => setTimeout(r, 60));
    expect((await call('query', { out_trade_no: no })).data.status).toBe('PROCESSING');
    expect(merchant.received).toHaveLength(0);
    sim.complete(no, 'FAILED', { failReason: '号码已停机' });
    await sim.idle();
    expect(merchant.received).toEqual([expect.objectContaining({ out_trade_no: no, status: 'FAILED', fail_reason: '号码已停机' })]);
    expect(() => sim.complete(no, 'SUCCESS')).toThrow(/already FAILED/);
    expect(await sim.resendCallback(no)).toEqual({ status: 200, body: 'success' });
  });

  test.each(['signature', 'secret', 'app_id', 'status', 'unsigned'] as const)('buildCallback with a bad %s does not verify', async (tamper) => {
    const no = newNo();
    await call('submit', mobile(no));
    await sim.idle();
    const good = sim.buildCallback(no);
    expect(verifyCallback(good.params) && good.params.app_id === APP_ID).toBe(true);
    const bad = sim.buildCallback(no, { tamper });
    expect(verifyCallback(bad.params) && bad.params.app_id === APP_ID).toBe(false);
  });

  test('query of an unknown order is 2004; only form bodies are accepted', async () => {
    expect(await call('query', { out_trade_no: 'NOPE000000' })).toMatchObject({ code: '2004', msg: '订单不存在' });
    const res = await fetch(`${sim.url}/api/v1/recharge/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(((await res.json()) as { code: string }).code).toBe('1002');
  });
});
