/**
 * Stock, limits and idempotency of redemptions under concurrency (F6), run against each database (MariaDB and
 * libsql): 100 members with enough points race for 10 top-ups, one member races against a daily limit, and one
 * request is retried concurrently. Exactly the right number succeed, the rest are refused and keep their points,
 * and the books balance.
 */
import { ErrorCode } from '@quanzi/shared';
import { toInt } from '../../src/db/sql';
import type { TestDialect } from './db';
import { startTestApp, type TestApp } from './harness';
import { errCode, RewardKit } from './rewards';

export function rewardStockSuite(dialect: TestDialect): void {
  let t: TestApp;
  let kit: RewardKit;
  beforeAll(async () => {
    t = await startTestApp(dialect, { rewards: {} });
    kit = new RewardKit(t, `stock-${dialect}`);
    await kit.setUp();
  }, 60_000);
  afterAll(async () => t?.close());

  const q = () => t.app.services.db.q;
  const phoneOf = (i: number) => `1380000${String(1000 + i).slice(-4)}`;

  test('100 concurrent redemptions of a reward with stock 10: exactly 10 succeed, stock ends at 0, the other 90 get OUT_OF_STOCK and keep their points', async () => {
    const reward = await kit.reward({ pointsPrice: 500, stock: 10 });
    const members = await kit.members(100, { points: 1000, phone: null });
    const results = await Promise.all(members.map((m, i) => kit.redeem(m, reward.id, { target: phoneOf(i) })));
    const won = members.filter((_, i) => results[i]?.data?.redeemReward);
    const lost = members.filter((_, i) => !results[i]?.data?.redeemReward);
    expect(won).toHaveLength(10);
    expect(results.filter((r) => errCode(r) === ErrorCode.OUT_OF_STOCK)).toHaveLength(90);
    expect(await kit.stock(reward.id)).toBe(0);
    for (const m of won) expect(await kit.balance(m.memberId)).toBe(500);
    for (const m of lost) expect(await kit.balance(m.memberId)).toBe(1000);
    const rows = await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM reward_redemption WHERE reward_id = ?', [reward.id]);
    expect(toInt(rows?.n)).toBe(10);
    const debits = await q().get<{ n: unknown; s: unknown }>("SELECT COUNT(*) AS n, SUM(delta) AS s FROM points_entry WHERE source_type = 'reward'");
    expect({ n: toInt(debits?.n), s: toInt(debits?.s) }).toEqual({ n: 10, s: -5000 });
    const jobs = await q().get<{ n: unknown }>("SELECT COUNT(*) AS n FROM outbox WHERE topic = 'reward.fulfil'");
    expect(toInt(jobs?.n)).toBe(10);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
    // The ten are fulfilled; the sold-out reward stays at 0.
    await kit.work();
    const delivered = await q().get<{ n: unknown }>("SELECT COUNT(*) AS n FROM reward_redemption WHERE reward_id = ? AND status = 'DELIVERED'", [reward.id]);
    expect(toInt(delivered?.n)).toBe(10);
    expect(await kit.stock(reward.id)).toBe(0);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 120_000);

  test('one member, 12 concurrent redemptions against a limit of 3 a day: exactly 3 succeed, the rest LIMIT_REACHED', async () => {
    const reward = await kit.reward({ kind: 'OWN_PRODUCT', pointsPrice: 100, stock: 50, limitPerDay: 3 });
    const m = await kit.member({ points: 5000, phone: null });
    const results = await Promise.all(Array.from({ length: 12 }, () => kit.redeem(m, reward.id)));
    expect(results.filter((r) => r.data?.redeemReward)).toHaveLength(3);
    expect(results.filter((r) => errCode(r) === ErrorCode.LIMIT_REACHED)).toHaveLength(9);
    expect(await kit.balance(m.memberId)).toBe(4700);
    expect(await kit.stock(reward.id)).toBe(47);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('the same request sent 8 times at once redeems once; every answer names the same order', async () => {
    const reward = await kit.reward({ kind: 'COUPON', pointsPrice: 200, stock: 5 });
    const m = await kit.member({ points: 1000, phone: null });
    const key = kit.key();
    const results = await Promise.all(Array.from({ length: 8 }, () => kit.redeem(m, reward.id, { key })));
    const ids = new Set(results.map((r) => r.data?.redeemReward.redemption.id));
    expect(results.every((r) => r.data?.redeemReward)).toBe(true);
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.data?.redeemReward.replayed === false)).toHaveLength(1);
    expect(await kit.balance(m.memberId)).toBe(800);
    expect(await kit.stock(reward.id)).toBe(4);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);
}
