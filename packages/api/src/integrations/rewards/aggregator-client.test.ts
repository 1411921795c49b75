/**
 * The recharge aggregator client against the simulator: the signing rule (fixed vectors, and agreement with the
 * simulator's independent implementation), submit and query outcomes, timeouts as "unknown", refusals as retryable
 * or final, and callback verification.
 */
import { rechargeSign, startRechargeProviderSimulator, type RechargeSimulator } from '@quanzi/simulators';
import { AggregatorClient } from './aggregator-client';
import { md5Sign, md5Verify, signString } from './aggregator-sign';
import { CallbackRejected, ProviderUnreachable, type ProviderOrder } from './reward-provider';

const APP_ID = 'qz_client_test';
const SECRET = 'client-test-secret';

describe('aggregator signature', () => {
  test('the documented rule on a fixed vector (computed with Python hashlib)', () => {
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
    };
    expect(signString(p, 's3cret')).toBe(
      'account=13812345678&app_id=qz_app_001&brand=CMCC&face_value=30&nonce_str=n0nce&notify_url=https://api.example.com/webhooks/rewards/recharge&out_trade_no=RW20260610A1&product_type=MOBILE&timestamp=1781049600&key=s3cret',
    );
    expect(md5Sign(p, 's3cret')).toBe('5AEC4B3389B04F412E80FEA0726927A8');
    expect(md5Sign({ account: '加油卡', a: '1', B: '2', _x: '3' }, 'k')).toBe('5CD5CE60E3CB54AFC6A0EBC3BA92087B');
  });

  test('agrees with the simulator on random parameter sets; verification is case-insensitive and refuses tampering', () => {
    for (let i = 0; i < 50; i++) {
      const p: Record<string, string> = {};
      for (let k = 0; k < 6; k++) p[`k${Math.random().toString(36).slice(2, 6)}`] = Math.random() < 0.2 ? '' : `v${Math.random().toString(36).slice(2)}中`;
      expect(md5Sign(p, SECRET)).toBe(rechargeSign(p, SECRET));
      const signed = { ...p, sign: md5Sign(p, SECRET).toLowerCase() };
      expect(md5Verify(signed, SECRET)).toBe(true);
      expect(md5Verify({ ...signed, extra: 'x' }, SECRET)).toBe(false);
      expect(md5Verify(signed, `${SECRET}!`)).toBe(false);
    }
    expect(md5Verify({ a: '1', sign: 'not-hex' }, SECRET)).toBe(false);
    expect(md5Verify({ a: '1' }, SECRET)).toBe(false);
  });
});

describe('AggregatorClient against the simulator', () => {
  let sim: RechargeSimulator;
  let client: AggregatorClient;
  let n = 0;
  beforeAll(async () => {
    // No callbacks here (the client's callback check runs on built bodies); the query is what is exercised.
    sim = await startRechargeProviderSimulator({ appId: APP_ID, secret: SECRET, settleMs: 10, defaultBehaviour: { outcome: 'SUCCESS', callbacks: 0 } });
    client = new AggregatorClient({ baseUrl: sim.url, appId: APP_ID, secret: SECRET, timeoutMs: 300 });
  });
  afterAll(async () => sim.close());

  const order = (over: Partial<ProviderOrder> = {}): ProviderOrder => ({
    outTradeNo: `RWCLIENT${Date.now()}${++n}`,
    productType: 'MOBILE',
    brand: 'CUCC',
    account: '13012345678',
    faceValueYuan: 50,
    notifyUrl: 'http://127.0.0.1:9/notify',
    ...over,
  });

  test('submit → ACCEPTED (PROCESSING); query → SUCCESS; an unknown order → NOT_FOUND', async () => {
    const o = order();
    expect(await client.submit(o)).toEqual({ kind: 'ACCEPTED', providerOrderNo: expect.stringMatching(/^RC/), status: 'PROCESSING' });
    await sim.idle();
    expect(await client.query(o.outTradeNo)).toMatchObject({ status: 'SUCCESS', failReason: null });
    expect(await client.query('RWNOSUCHORDER1')).toEqual({ status: 'NOT_FOUND', providerOrderNo: null, failReason: null });
  });

  test('a submit without an answer in time is ProviderUnreachable (the order may exist)', async () => {
    const o = order();
    sim.next('timeout');
    await expect(client.submit(o)).rejects.toBeInstanceOf(ProviderUnreachable);
    expect(sim.order(o.outTradeNo)).not.toBeNull();
  });

  test('refusals: 3002 is final, 9999 and a wrong secret are retryable; a reused number with other parameters asks for the state', async () => {
    sim.next('reject');
    expect(await client.submit(order())).toMatchObject({ kind: 'REJECTED', retryable: false, code: '3002' });
    sim.next('busy');
    expect(await client.submit(order())).toMatchObject({ kind: 'REJECTED', retryable: true, code: '9999' });
    const wrong = new AggregatorClient({ baseUrl: sim.url, appId: APP_ID, secret: 'wrong', timeoutMs: 300 });
    expect(await wrong.submit(order())).toMatchObject({ kind: 'REJECTED', retryable: true, code: '1001' });
    const o = order();
    await client.submit(o);
    await expect(client.submit({ ...o, faceValueYuan: 100 })).rejects.toBeInstanceOf(ProviderUnreachable);
  });

  test('an unreachable provider is ProviderUnreachable', async () => {
    const gone = new AggregatorClient({ baseUrl: 'http://127.0.0.1:9', appId: APP_ID, secret: SECRET, timeoutMs: 300 });
    await expect(gone.submit(order())).rejects.toBeInstanceOf(ProviderUnreachable);
    await expect(gone.query('RWX0000001')).rejects.toBeInstanceOf(ProviderUnreachable);
  });

  test('callbacks: a genuine one is read; tampered, foreign, stale or non-form ones are CallbackRejected', async () => {
    const o = order();
    sim.next({ outcome: 'FAILED', failReason: '号码已停机', callbacks: 0 });
    await client.submit(o);
    await sim.idle();
    const good = sim.buildCallback(o.outTradeNo);
    expect(client.verifyCallback(good.body, 'application/x-www-form-urlencoded; charset=utf-8')).toEqual({
      outTradeNo: o.outTradeNo,
      providerOrderNo: expect.stringMatching(/^RC/),
      status: 'FAILED',
      failReason: '号码已停机',
      account: '13012345678',
      faceValueYuan: 50,
    });
    for (const tamper of ['signature', 'secret', 'app_id', 'status', 'unsigned'] as const) {
      expect(() => client.verifyCallback(sim.buildCallback(o.outTradeNo, { tamper }).body, 'application/x-www-form-urlencoded')).toThrow(CallbackRejected);
    }
    expect(() => client.verifyCallback(good.body, 'application/json')).toThrow(CallbackRejected);
    const late = new AggregatorClient({ baseUrl: sim.url, appId: APP_ID, secret: SECRET, timeoutMs: 300, now: () => Date.now() + 10 * 60_000 });
    expect(() => late.verifyCallback(good.body, 'application/x-www-form-urlencoded')).toThrow(/timestamp/);
  });
});
