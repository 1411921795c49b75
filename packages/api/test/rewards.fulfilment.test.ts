/**
 * Fulfilment of partner rewards (F6) against the recharge aggregator simulator on MariaDB: the outbox worker submits,
 * the signed callback (or the status query) settles, and every order ends in exactly one correct state with the
 * ledger reconciled — a provider that fails, one that times out and then reports success on query, one that calls
 * back twice, late and conflicting callbacks, forged callbacks that change nothing, refusals, a lost submit, a job
 * that gives up and is retried, and two workers draining the same outbox without calling the provider twice.
 */
import { ErrorCode } from '@quanzi/shared';
import { toInt } from '../src/db/sql';
import { md5Sign } from '../src/integrations/rewards/aggregator-sign';
import { createLogger } from '../src/logger';
import { OutboxService } from '../src/modules/outbox/outbox.service';
import { FULFIL_MAX_ATTEMPTS, fulfilBackoffMs } from '../src/modules/rewards/fulfilment.service';
import { FULFIL_TOPIC } from '../src/modules/rewards/redemption.rows';
import { startTestApp, type TestApp } from './support/harness';
import { errCode, ok, NOTIFICATIONS, RETRY, RewardKit, type Persona, type RedemptionGql, type RewardRowGql } from './support/rewards';

const MINUTE = 60_000;

describe('reward fulfilment through the recharge provider', () => {
  let t: TestApp;
  let kit: RewardKit;
  let topup: RewardRowGql;
  let fuel: RewardRowGql;
  let phoneSeq = 0;
  beforeAll(async () => {
    t = await startTestApp('mariadb', { rewards: { timeoutMs: 1000 } });
    kit = new RewardKit(t, 'fulfil');
    await kit.setUp();
    topup = await kit.reward({ pointsPrice: 3000, stock: 1000 });
    fuel = await kit.reward({ kind: 'FUEL_CARD', pointsPrice: 2000, stock: 1000 });
  }, 60_000);
  afterAll(async () => t?.close());
  afterEach(async () => {
    await t.rechargeSim?.idle();
    t.rechargeSim?.setDefault('success');
  });

  const sim = () => t.rechargeSim!;
  const q = () => t.app.services.db.q;
  /** A fresh phone number per test, so per-account behaviours do not leak. */
  const newPhone = () => `1370000${String(1000 + ++phoneSeq).slice(-4)}`;
  /** A time after every backoff of the first attempts: the next drain runs the job again. */
  const later = (minutes = 2) => new Date(Date.now() + minutes * MINUTE);

  async function redeemTopup(opts: { points?: number; phone?: string } = {}): Promise<{ m: Persona; r: RedemptionGql; no: string; phone: string }> {
    const phone = opts.phone ?? newPhone();
    const m = await kit.member({ points: opts.points ?? 5000, phone });
    const r = ok(await kit.redeem(m, topup.id)).redeemReward.redemption;
    expect(r).toMatchObject({ status: 'PENDING', points: 3000, target: `${phone.slice(0, 3)}****${phone.slice(-4)}` });
    return { m, r, no: await kit.outTradeNo(r.id), phone };
  }

  const reversals = async (redemptionId: string) =>
    toInt((await q().get<{ n: unknown }>("SELECT COUNT(*) AS n FROM points_entry WHERE source_type = 'reward_refund' AND source_ref = ?", [redemptionId]))?.n);
  const submitsOf = (no: string) => sim().submits.filter((s) => s.outTradeNo === no && s.code === '0000');
  const notices = async (m: Persona, kind: string) => ok(await t.gql<{ myNotifications: { kind: string }[] }>(NOTIFICATIONS, {}, m.token)).myNotifications.filter((n) => n.kind === kind).length;
  const postCallback = (body: string, contentType = 'application/x-www-form-urlencoded') =>
    fetch(`${t.url}/webhooks/rewards/recharge`, { method: 'POST', headers: { 'content-type': contentType }, body }).then(async (r) => ({ status: r.status, body: await r.text() }));

  test('success: submitted once, the signed callback delivers it, the member sees DELIVERED and a notice', async () => {
    const { m, r, no } = await redeemTopup();
    await kit.work();
    const after = await kit.redemption(m, r.id);
    expect(after).toMatchObject({ status: 'DELIVERED', pointsRefunded: 0, stuck: false });
    expect(submitsOf(no)).toHaveLength(1);
    expect(sim().callbacks.filter((c) => c.outTradeNo === no)).toEqual([expect.objectContaining({ status: 200, body: 'success' })]);
    expect(await kit.balance(m.memberId)).toBe(2000);
    expect(await notices(m, 'REWARD_DELIVERED')).toBe(1);
    // The job is done; running the worker again changes nothing.
    const before = await kit.counts();
    await kit.work(later(60));
    expect(await kit.counts()).toEqual(before);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a provider that fails: the callback settles FAILED, the points come back once as a REVERSAL and the stock is restored', async () => {
    const stock = await kit.stock(topup.id);
    const phone = newPhone();
    sim().behave(phone, { outcome: 'FAILED', failReason: '号码已停机' });
    const { m, r } = await redeemTopup({ phone });
    expect(await kit.stock(topup.id)).toBe(stock - 1);
    expect(await kit.balance(m.memberId)).toBe(2000);
    await kit.work();
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'FAILED', failReason: '号码已停机', pointsRefunded: 3000 });
    expect(await kit.balance(m.memberId)).toBe(5000);
    expect(await kit.stock(topup.id)).toBe(stock);
    expect(await reversals(r.id)).toBe(1);
    expect(await notices(m, 'REWARD_FAILED')).toBe(1);
    const ledger = ok(await t.gql<{ me: { ledger: { edges: { node: { delta: number; kind: string; reason: string } }[] } } }>('{ me { ledger(first: 2) { edges { node { delta kind reason } } } } }', {}, m.token));
    expect(ledger.me.ledger.edges.map((e) => e.node)).toEqual([
      { delta: 3000, kind: 'REVERSAL', reason: `兑换失败退回 · ${topup.name}` },
      { delta: -3000, kind: 'REDEEM', reason: `积分兑换 · ${topup.name}` },
    ]);
    // The callback again, and the worker again: nothing more.
    const before = await kit.counts();
    expect(await sim().resendCallback(await kit.outTradeNo(r.id))).toEqual({ status: 200, body: 'success' });
    await kit.work(later(60));
    expect(await kit.counts()).toEqual(before);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a provider that times out, then reports success on query: no refund while unknown, delivered once, submitted once', async () => {
    const phone = newPhone();
    sim().behave(phone, 'timeout');
    const { m, r, no } = await redeemTopup({ phone });
    await kit.work(); // the submit gets no answer within 1 s
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'PROCESSING', pointsRefunded: 0 });
    expect(await kit.balance(m.memberId)).toBe(2000);
    expect(sim().callbacks.filter((c) => c.outTradeNo === no)).toHaveLength(0);
    await kit.work(later()); // the query finds it SUCCESS
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'DELIVERED', pointsRefunded: 0 });
    expect(submitsOf(no)).toHaveLength(1);
    expect(sim().queries.filter((x) => x.outTradeNo === no).length).toBeGreaterThanOrEqual(1);
    expect(await kit.balance(m.memberId)).toBe(2000);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a timed-out order is refunded only after the query confirms failure', async () => {
    const phone = newPhone();
    sim().behave(phone, { outcome: 'MANUAL', hangSubmit: true, callbacks: 0 });
    const { m, r, no } = await redeemTopup({ phone });
    await kit.work();
    await kit.work(later(2)); // still processing at the provider
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'PROCESSING', pointsRefunded: 0 });
    expect(await kit.balance(m.memberId)).toBe(2000);
    sim().complete(no, 'FAILED', { failReason: '运营商维护', callbacks: 0 });
    await kit.work(later(10));
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'FAILED', failReason: '运营商维护', pointsRefunded: 3000 });
    expect(await kit.balance(m.memberId)).toBe(5000);
    expect(await reversals(r.id)).toBe(1);
    expect(submitsOf(no)).toHaveLength(1);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a provider that calls back twice (at once): delivered once, one notice; a failure called back twice is refunded once', async () => {
    const phone = newPhone();
    sim().behave(phone, 'double-callback');
    const { m, r, no } = await redeemTopup({ phone });
    await kit.work();
    expect(sim().callbacks.filter((c) => c.outTradeNo === no && c.status === 200)).toHaveLength(2);
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'DELIVERED' });
    expect(await notices(m, 'REWARD_DELIVERED')).toBe(1);

    const phone2 = newPhone();
    sim().behave(phone2, { outcome: 'FAILED', callbacks: 2, concurrentCallbacks: true });
    const b = await redeemTopup({ phone: phone2 });
    await kit.work();
    expect(await kit.redemption(b.m, b.r.id)).toMatchObject({ status: 'FAILED', pointsRefunded: 3000 });
    expect(await reversals(b.r.id)).toBe(1);
    expect(await kit.balance(b.m.memberId)).toBe(5000);
    expect(await notices(b.m, 'REWARD_FAILED')).toBe(1);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test.each(['signature', 'secret', 'app_id', 'status', 'unsigned'] as const)('a forged callback (bad %s) is refused with 400 and changes nothing', async (tamper) => {
    const phone = newPhone();
    sim().behave(phone, 'manual');
    const { m, r, no } = await redeemTopup({ phone });
    await kit.work();
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'PROCESSING' });
    const before = await kit.counts();
    // Forged "success" and forged "failure" alike.
    for (const status of ['SUCCESS', 'FAILED'] as const) {
      const forged = sim().buildCallback(no, { tamper, status });
      expect(await postCallback(forged.body)).toEqual({ status: 400, body: 'fail' });
    }
    expect(await kit.counts()).toEqual(before);
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'PROCESSING', pointsRefunded: 0 });
    // The genuine one settles it.
    sim().complete(no, 'SUCCESS');
    await sim().idle();
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'DELIVERED' });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('callbacks that cannot be read or do not match the order change nothing', async () => {
    const phone = newPhone();
    sim().behave(phone, 'manual');
    const { m, r, no } = await redeemTopup({ phone });
    await kit.work();
    const before = await kit.counts();
    const genuine = sim().buildCallback(no, { status: 'SUCCESS' });
    expect((await postCallback(JSON.stringify(genuine.params), 'application/json')).status).toBe(400);
    expect((await postCallback('')).status).toBe(400);
    expect((await fetch(`${t.url}/webhooks/rewards/nobody`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: genuine.body })).status).toBe(404);
    // Correctly signed, but about another account or face value than the order we sent.
    const secret = t.app.services.config.rewards.provider!.secret;
    for (const change of [{ account: '13900000000' }, { face_value: '50' }] as Record<string, string>[]) {
      const p: Record<string, string> = { ...genuine.params, ...change };
      p.sign = md5Sign(p, secret);
      expect(await postCallback(new URLSearchParams(p).toString())).toEqual({ status: 400, body: 'fail' });
    }
    expect(await kit.counts()).toEqual(before);
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'PROCESSING' });
    // A genuine callback twice: the first settles, the second is acknowledged and changes nothing.
    expect(await postCallback(genuine.body)).toEqual({ status: 200, body: 'success' });
    const settled = await kit.counts();
    expect(await postCallback(sim().buildCallback(no, { status: 'SUCCESS' }).body)).toEqual({ status: 200, body: 'success' });
    expect(await kit.counts()).toEqual(settled);
  });

  test('a late callback after the query settled the order changes nothing; a conflicting one neither', async () => {
    const phone = newPhone();
    sim().behave(phone, { outcome: 'SUCCESS', settleMs: 5, callbackDelayMs: 1500 });
    const { m, r, no } = await redeemTopup({ phone });
    await t.app.services.fulfilment.runJobs(); // accepted, no answer yet
    while (sim().order(no)?.status !== 'SUCCESS') await new Promise((res) => setTimeout(res, 5));
    await t.app.services.fulfilment.runJobs(later()); // the query says SUCCESS before the callback comes
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'DELIVERED' });
    const before = await kit.counts();
    await sim().idle(); // the late callback arrives
    expect(sim().callbacks.filter((c) => c.outTradeNo === no)).toEqual([expect.objectContaining({ status: 200, body: 'success' })]);
    expect(await kit.counts()).toEqual(before);
    // A correctly signed "failed" for a delivered order: acknowledged, logged, nothing refunded.
    expect(await postCallback(sim().buildCallback(no, { status: 'FAILED' }).body)).toEqual({ status: 200, body: 'success' });
    expect(await kit.counts()).toEqual(before);
    expect(await kit.balance(m.memberId)).toBe(2000);
  });

  test('fuel cards: a CNPC card is topped up; a refused account (3002) fails at once and refunds', async () => {
    const m = await kit.member({ points: 5000, phone: null });
    const card = '9030123456789012';
    const a = ok(await kit.redeem(m, fuel.id, { target: '9030 1234 5678 9012' })).redeemReward.redemption;
    expect(a.target).toBe('****9012');
    await kit.work();
    expect(await kit.redemption(m, a.id)).toMatchObject({ status: 'DELIVERED' });
    expect(sim().order(await kit.outTradeNo(a.id))).toMatchObject({ account: card, productType: 'FUEL', brand: 'CNPC', faceValue: 100 });
    sim().next('reject');
    const b = ok(await kit.redeem(m, fuel.id, { target: card })).redeemReward.redemption;
    await kit.work();
    expect(await kit.redemption(m, b.id)).toMatchObject({ status: 'FAILED', failReason: '充值账号无效', pointsRefunded: 2000 });
    expect(await kit.balance(m.memberId)).toBe(3000);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a busy provider (9999, nothing created) is tried again later and delivers', async () => {
    sim().next('busy');
    const { m, r, no } = await redeemTopup();
    await kit.work();
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'PENDING' });
    await kit.work(later());
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'DELIVERED' });
    expect(sim().submits.filter((s) => s.outTradeNo === no).map((s) => s.code)).toEqual(['9999', '0000']);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a submit that never arrived (the provider has no such order) is sent again and delivered', async () => {
    const m = await kit.member({ points: 5000 });
    const r = ok(await kit.redeem(m, topup.id)).redeemReward.redemption;
    const no = await kit.outTradeNo(r.id);
    // As if a worker claimed the order and died before its request left.
    await q().run("UPDATE reward_redemption SET status = 'PROCESSING', submit_count = 1 WHERE id = ?", [r.id]);
    await kit.work();
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'DELIVERED' });
    expect(sim().queries.filter((x) => x.outTradeNo === no)).toHaveLength(1);
    expect(submitsOf(no)).toHaveLength(1);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('a job that runs out of attempts marks the order stuck (no refund); HQ retries it and it is delivered', async () => {
    const phone = newPhone();
    sim().behave(phone, 'manual');
    const { m, r, no } = await redeemTopup({ phone });
    let at = Date.now();
    for (let i = 1; i <= FULFIL_MAX_ATTEMPTS; i++) {
      await kit.work(new Date(at));
      at += fulfilBackoffMs(i) + 1000;
    }
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'PROCESSING', stuck: true, pointsRefunded: 0 });
    const job = await q().get<{ status: unknown; attempts: unknown }>("SELECT status, attempts FROM outbox WHERE topic = ? AND ref = ?", [FULFIL_TOPIC, r.id]);
    expect({ status: job?.status, attempts: toInt(job?.attempts) }).toEqual({ status: 'DEAD', attempts: FULFIL_MAX_ATTEMPTS });
    const report = ok(await t.gql<{ rewardReport: { providers: { provider: string; stuck: number }[] } }>('{ rewardReport { providers { provider stuck } } }', {}, kit.manager.token));
    expect(report.rewardReport.providers.find((p) => p.provider === 'recharge')?.stuck).toBeGreaterThanOrEqual(1);
    // Members cannot retry; HQ can.
    expect(errCode(await t.gql(RETRY, { id: r.id }, m.token))).toBe(ErrorCode.FORBIDDEN);
    sim().complete(no, 'SUCCESS', { callbacks: 0 });
    expect(ok(await t.gql<{ retryRedemption: RedemptionGql }>(RETRY, { id: r.id }, kit.manager.token)).retryRedemption).toMatchObject({ status: 'PROCESSING', stuck: false });
    await kit.work();
    expect(await kit.redemption(m, r.id)).toMatchObject({ status: 'DELIVERED', stuck: false });
    expect(submitsOf(no)).toHaveLength(1);
    // A settled order needs no retry.
    expect(errCode(await t.gql(RETRY, { id: r.id }, kit.manager.token))).toBe(ErrorCode.CONFLICT);
  });

  test('two workers draining the same outbox never call the provider twice for one order', async () => {
    const orders: { m: Persona; r: RedemptionGql; no: string }[] = [];
    for (let i = 0; i < 24; i++) {
      const phone = newPhone();
      sim().behave(phone, { outcome: 'MANUAL', answerDelayMs: 20 });
      orders.push(await redeemTopup({ phone }));
    }
    // Two workers (as two API instances would run them), small batches so that they interleave.
    const worker = () => {
      const w = new OutboxService(t.app.services.db, createLogger('silent'), { batch: 4 });
      w.register(FULFIL_TOPIC, t.app.services.fulfilment.handler, { maxAttempts: FULFIL_MAX_ATTEMPTS, backoffMs: fulfilBackoffMs });
      return w;
    };
    const [w1, w2] = [worker(), worker()];
    const drainBoth = (at?: Date) => Promise.all([w1.drain(at), w2.drain(at)]);
    const [a, b] = await drainBoth();
    // Both took a share (SKIP LOCKED hands them different rows); every order was sent exactly once.
    expect(a.retried).toBeGreaterThan(0);
    expect(b.retried).toBeGreaterThan(0);
    expect(a.retried + b.retried).toBeGreaterThanOrEqual(orders.length);
    for (const o of orders) expect(submitsOf(o.no)).toHaveLength(1);
    // Both ask again while the provider is still processing: still one submit each.
    await drainBoth(later());
    for (const o of orders) sim().complete(o.no, 'SUCCESS', { callbacks: 0 });
    await drainBoth(later(10));
    for (const o of orders) {
      expect(submitsOf(o.no)).toHaveLength(1);
      expect(await kit.redemption(o.m, o.r.id)).toMatchObject({ status: 'DELIVERED' });
      expect(await notices(o.m, 'REWARD_DELIVERED')).toBe(1);
    }
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);
});
