/**
 * The ledger's guarantees (F3, ARCHITECTURE.md data rules), run against each database (MariaDB and libsql):
 * no overdraft under concurrency, exactly-once credits per idempotency key, FIFO lots, idempotent expiry,
 * and the reconciliation invariant balance = Σ entries = Σ lot remainders after everything.
 */
import { ErrorCode } from '@quanzi/shared';
import { AppError } from '../../src/errors';
import { clock } from '../../src/clock';
import { credit, debit, type EntryInput } from '../../src/modules/ledger/ledger.service';
import { isUniqueViolation, toInt } from '../../src/db/sql';
import { startTestApp, type TestApp } from './harness';
import type { TestDialect } from './db';

const DAY = 86_400_000;

export function ledgerSuite(dialect: TestDialect): void {
  let t: TestApp;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const entry = (memberId: number, over: Partial<EntryInput> = {}): EntryInput => ({
    memberId,
    kind: 'EARN',
    reason: 'test',
    actorId: null,
    storeId: null,
    sourceType: 'test',
    sourceRef: `ref-${++seq}-${Math.random().toString(36).slice(2)}`,
    requestHash: null,
    now: new Date(),
    ...over,
  });
  const balance = async (memberId: number) => toInt((await t.app.services.db.q.get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [memberId]))?.b);
  const newMember = async () => (await t.signIn(`ledger-${dialect}-${++seq}`)).memberId;
  const tx = <T>(fn: Parameters<TestApp['app']['services']['db']['tx']>[0]) => t.app.services.db.tx(fn) as Promise<T>;

  test('200 concurrent redemptions against a balance that covers 50: exactly 50 succeed, balance 0, books balance', async () => {
    const m = await newMember();
    await tx(async (q) => credit(q, entry(m, { now: new Date(Date.now() - 10 * DAY) }), 30, 24));
    await tx(async (q) => credit(q, entry(m), 20, 24));
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => tx(async (q) => debit(q, entry(m, { kind: 'REDEEM', sourceType: 'redeem' }), 1))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toBe(50);
    expect(rejected).toHaveLength(150);
    for (const r of rejected) expect((r.reason as AppError).code).toBe(ErrorCode.INSUFFICIENT_POINTS);
    expect(await balance(m)).toBe(0);
    const alloc = await t.app.services.db.q.get<{ n: unknown; s: unknown }>(
      'SELECT COUNT(*) AS n, SUM(a.points) AS s FROM lot_allocation a JOIN points_lot l ON l.id = a.lot_id WHERE l.member_id = ?',
      [m],
    );
    expect(toInt(alloc?.s)).toBe(50);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 120_000);

  test('the same idempotency key credited 20 times concurrently credits once', async () => {
    const m = await newMember();
    const key = `once-${seq}`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => tx(async (q) => credit(q, entry(m, { sourceType: 'purchase', sourceRef: key }), 10, 24))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(isUniqueViolation(r.reason)).toBe(true);
    expect(await balance(m)).toBe(10);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('a debit consumes the oldest-expiring lots first and records each allocation', async () => {
    const m = await newMember();
    const now = Date.now();
    const late = await tx<{ lotId: number }>(async (q) => credit(q, entry(m, { now: new Date(now - 1 * DAY) }), 100, 24));
    const early = await tx<{ lotId: number }>(async (q) => credit(q, entry(m, { now: new Date(now - 200 * DAY) }), 40, 24));
    const d = await tx<{ allocations: { lotId: number; points: number }[] }>(async (q) => debit(q, entry(m, { kind: 'REDEEM' }), 70));
    expect(d.allocations).toEqual([
      { lotId: early.lotId, points: 40 },
      { lotId: late.lotId, points: 30 },
    ]);
    expect(await balance(m)).toBe(70);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  });

  test('an overdraft changes nothing', async () => {
    const m = await newMember();
    await tx(async (q) => credit(q, entry(m), 5, 24));
    const before = await t.counts();
    await expect(tx(async (q) => debit(q, entry(m, { kind: 'REDEEM' }), 6))).rejects.toMatchObject({ code: ErrorCode.INSUFFICIENT_POINTS });
    expect(await t.counts()).toEqual(before);
    expect(await balance(m)).toBe(5);
  });

  test('expiry run twice concurrently expires each due lot exactly once, in one EXPIRE entry per member', async () => {
    const m1 = await newMember();
    const m2 = await newMember();
    const past = new Date(Date.now() - 25 * 30 * DAY); // 25 months ago: a 24-month lot is due
    await tx(async (q) => credit(q, entry(m1, { now: past }), 15, 24));
    await tx(async (q) => credit(q, entry(m1, { now: new Date(past.getTime() + DAY) }), 5, 24));
    await tx(async (q) => credit(q, entry(m1), 7, 24)); // live
    await tx(async (q) => credit(q, entry(m2, { now: past }), 9, 24));
    const [a, b] = await Promise.all([t.app.services.ledger.expireDue(), t.app.services.ledger.expireDue()]);
    expect(a.points + b.points).toBeGreaterThanOrEqual(29); // other tests' due lots may add to it
    const rows = await t.app.services.db.q.all<{ member_id: unknown; n: unknown; s: unknown }>(
      "SELECT member_id, COUNT(*) AS n, SUM(delta) AS s FROM points_entry WHERE kind = 'EXPIRE' AND member_id IN (?, ?) GROUP BY member_id ORDER BY member_id",
      [m1, m2],
    );
    expect(rows.map((r) => [toInt(r.member_id), toInt(r.n), toInt(r.s)])).toEqual([
      [m1, 1, -20],
      [m2, 1, -9],
    ]);
    expect(await balance(m1)).toBe(7);
    expect(await balance(m2)).toBe(0);
    const again = await t.app.services.ledger.expireDue();
    expect(again).toEqual({ members: 0, lots: 0, points: 0 });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('a lot 1 s past expiry is neither shown nor spendable before the job runs; the job then writes its EXPIRE entry once', async () => {
    const now = new Date(Math.floor(clock.ms() / 1000) * 1000); // one instant, set on the clock; every date below derives from it
    clock.set(now);
    try {
      const who = await t.signIn(`lapse-${dialect}-${++seq}`);
      const m = who.memberId;
      const setExpiry = (lotId: number, at: Date) => t.app.services.db.q.run('UPDATE points_lot SET expires_at = ? WHERE id = ?', [t.app.services.db.q.ts(at), lotId]);
      const lapsed = await tx<{ lotId: number }>(async (q) => credit(q, entry(m, { sourceType: 'purchase', now: new Date(now.getTime() - 400 * DAY) }), 50, 24));
      await setExpiry(lapsed.lotId, new Date(now.getTime() - 1000));
      const live = await tx<{ lotId: number }>(async (q) => credit(q, entry(m, { now: new Date(now.getTime() - DAY) }), 10, 24));
      await setExpiry(live.lotId, new Date(now.getTime() + 10 * DAY));
      const me = async () =>
        (await t.gql<{ me: { points: number; expiringSoon: { points: number; on: string } | null } }>('{ me { points expiringSoon { points on } } }', {}, who.token)).data?.me;

      // Shown: only the live lot, and it is what expires soon.
      expect(await me()).toEqual({ points: 10, expiringSoon: { points: 10, on: new Date(now.getTime() + 10 * DAY).toISOString() } });
      // Spendable: the same 10, never the lapsed 50 (the cache still holds them until the job runs).
      const before = await t.counts();
      await expect(tx(async (q) => debit(q, entry(m, { kind: 'REDEEM', now }), 11))).rejects.toMatchObject({ code: ErrorCode.INSUFFICIENT_POINTS });
      expect(await t.counts()).toEqual(before);
      const d = await tx<{ allocations: { lotId: number; points: number }[] }>(async (q) => debit(q, entry(m, { kind: 'REDEEM', now }), 10));
      expect(d.allocations).toEqual([{ lotId: live.lotId, points: 10 }]);
      expect((await me())?.points).toBe(0);
      expect(await balance(m)).toBe(50); // the cache: balance = Σ entries = Σ lot remainders, lapsed lot included
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
      await expect(tx(async (q) => debit(q, entry(m, { kind: 'REDEEM', now }), 1))).rejects.toMatchObject({ code: ErrorCode.INSUFFICIENT_POINTS });

      // The job only writes down what already happened: one EXPIRE entry for the lapsed lot, however often it runs.
      await Promise.all([t.app.services.ledger.expireDue(now), t.app.services.ledger.expireDue(now)]);
      const rows = await t.app.services.db.q.all<{ delta: unknown; source_ref: unknown; reason: unknown }>("SELECT delta, source_ref, reason FROM points_entry WHERE member_id = ? AND kind = 'EXPIRE'", [m]);
      // The reason names the earning that lapsed, by its date in Asia/Shanghai.
      const earnedDay = new Date(now.getTime() - 400 * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(rows.map((r) => [toInt(r.delta), String(r.source_ref), String(r.reason)])).toEqual([[-50, String(lapsed.lotId), `积分过期（${earnedDay} 消费获得）`]]);
      expect(await balance(m)).toBe(0);
      expect(await me()).toEqual({ points: 0, expiringSoon: null });
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    } finally {
      clock.reset();
    }
  }, 60_000);

  test('only EARN credits count towards lifetime points; a refund credit does not', async () => {
    const m = await newMember();
    await tx(async (q) => credit(q, entry(m), 40, 24));
    await tx(async (q) => debit(q, entry(m, { kind: 'REDEEM' }), 15));
    await tx(async (q) => credit(q, entry(m, { kind: 'REVERSAL', sourceType: 'refund' }), 15, 24));
    const a = await t.app.services.db.q.get<{ b: unknown; l: unknown }>('SELECT balance AS b, lifetime_earned AS l FROM member_account WHERE id = ?', [m]);
    expect([toInt(a?.b), toInt(a?.l)]).toEqual([40, 40]);
  });

  test('reconciliation reports a tampered balance', async () => {
    const m = await newMember();
    await tx(async (q) => credit(q, entry(m), 12, 24));
    await t.app.services.db.q.run('UPDATE member_account SET balance = balance + 1 WHERE id = ?', [m]);
    expect(await t.app.services.ledger.reconcile()).toEqual([{ memberId: m, balance: 13, entriesSum: 12, lotsRemaining: 12 }]);
    await t.app.services.db.q.run('UPDATE member_account SET balance = balance - 1 WHERE id = ?', [m]);
  });
}
