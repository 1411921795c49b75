/**
 * Coupon budgets, limits and points-to-voucher under concurrency (F9), run against each database (MariaDB and
 * libsql): 100 issues race for the last 5 coupons of a budget (none over), 100 members race to buy the last 10 with
 * points (the losers keep their points), one member races against a per-member limit, and one purchase is retried
 * concurrently (one coupon, one debit). The books balance after each.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../../src/clock';
import { toInt } from '../../src/db/sql';
import type { TestDialect } from './db';
import { startTestApp, type TestApp } from './harness';
import { CouponKit, errCode, ok } from './coupons';

/** Wednesday 4 March 2026, 12:00 in Shanghai. */
const NOW = new Date('2026-03-04T04:00:00.000Z');

export function couponRaceSuite(dialect: TestDialect): void {
  let t: TestApp;
  let kit: CouponKit;
  const q = () => t.app.services.db.q;
  const coupons = async (templateId: string) => toInt((await q().get<{ n: unknown }>('SELECT COUNT(*) AS n FROM reward_redemption WHERE reward_id = ?', [templateId]))?.n);
  const remaining = async (templateId: string) => toInt((await q().get<{ s: unknown }>('SELECT stock AS s FROM reward WHERE id = ?', [templateId]))?.s);

  beforeAll(async () => {
    clock.set(NOW);
    t = await startTestApp(dialect);
    kit = new CouponKit(t, `race-${dialect}`);
    await kit.setUp();
  }, 60_000);
  beforeEach(() => clock.set(NOW));
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  test('100 concurrent issues for the last 5 coupons of a budget: exactly 5 issued, none over', async () => {
    const tpl = await kit.template({ budget: 5 });
    const members = await kit.members(100);
    const results = await Promise.all(members.map((m) => kit.issue(tpl.id, [m])));
    expect(results.filter((r) => r.data?.issueCoupons.issued === 1)).toHaveLength(5);
    expect(results.filter((r) => errCode(r) === ErrorCode.OUT_OF_STOCK)).toHaveLength(95);
    expect(await coupons(tpl.id)).toBe(5);
    expect(await remaining(tpl.id)).toBe(0);
  }, 180_000);

  test('100 members buy with points at once, budget 10: exactly 10 coupons, 10 debits; the other 90 keep their points', async () => {
    const tpl = await kit.template({ name: '积分换券', pointsPrice: 300, budget: 10 });
    const members = await kit.members(100, 500);
    const results = await Promise.all(members.map((m) => kit.buy(m, tpl.id)));
    const won = members.filter((_, i) => results[i]?.data?.buyCoupon);
    expect(won).toHaveLength(10);
    expect(results.filter((r) => errCode(r) === ErrorCode.OUT_OF_STOCK)).toHaveLength(90);
    for (const [i, m] of members.entries()) expect(await kit.balance(m.memberId)).toBe(results[i]?.data?.buyCoupon ? 200 : 500);
    expect(await coupons(tpl.id)).toBe(10);
    expect(await remaining(tpl.id)).toBe(0);
    // The first points-to-voucher purchases of this app: every 'reward' debit is one of them.
    const debits = await q().get<{ n: unknown; s: unknown }>("SELECT COUNT(*) AS n, SUM(delta) AS s FROM points_entry WHERE source_type = 'reward'");
    expect({ n: toInt(debits?.n), s: toInt(debits?.s) }).toEqual({ n: 10, s: -3000 });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 180_000);

  test('points-to-voucher: one coupon per key (8 concurrent retries), a per-member limit of 2 against 10 buys, INSUFFICIENT_POINTS changes nothing', async () => {
    const tpl = await kit.template({ kind: 'GIFT', amountOffFen: null, giftName: '拿铁一杯', minSpendFen: 0, pointsPrice: 400, limitPerMember: 2, budget: 1000 });
    const m = await kit.member(5000);
    const key = kit.key();
    const retries = await Promise.all(Array.from({ length: 8 }, () => kit.buy(m, tpl.id, key)));
    expect(retries.every((r) => r.data?.buyCoupon)).toBe(true);
    expect(new Set(retries.map((r) => r.data?.buyCoupon.coupon.id)).size).toBe(1);
    expect(retries.filter((r) => r.data?.buyCoupon.replayed === false)).toHaveLength(1);
    expect(retries[0]?.data?.buyCoupon.coupon).toMatchObject({ kind: 'GIFT', giftName: '拿铁一杯', source: 'POINTS', points: 400, state: 'VALID' });
    expect(await kit.balance(m.memberId)).toBe(4600);

    const more = await Promise.all(Array.from({ length: 10 }, () => kit.buy(m, tpl.id)));
    expect(more.filter((r) => r.data?.buyCoupon)).toHaveLength(1);
    expect(more.filter((r) => errCode(r) === ErrorCode.LIMIT_REACHED)).toHaveLength(9);
    expect(await kit.balance(m.memberId)).toBe(4200);
    expect((await kit.wallet(m)).filter((c) => c.templateId === tpl.id)).toHaveLength(2);

    const poor = await kit.member(100);
    const free = await kit.template({ budget: 10 });
    const other = await kit.template({ pointsPrice: 10 });
    const before = await kit.state();
    expect(errCode(await kit.buy(poor, tpl.id))).toBe(ErrorCode.INSUFFICIENT_POINTS);
    expect(await kit.state()).toEqual(before);
    // Given, not sold: REWARD_UNAVAILABLE, nothing changes.
    expect(errCode(await kit.buy(m, free.id))).toBe(ErrorCode.REWARD_UNAVAILABLE);
    expect(await kit.state()).toEqual(before);
    // The same key for another template is a conflict.
    expect(errCode(await kit.buy(m, other.id, key))).toBe(ErrorCode.IDEMPOTENCY_CONFLICT);
    expect(await kit.state()).toEqual(before);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
    ok(await t.gql('{ me { points } }', {}, m.token));
  }, 120_000);
}
