/**
 * Points expiry in set-based batches (expiry.service.ts, issue #16), against each database: batch boundaries, a
 * crash mid-run (nothing half-done, a re-run finishes), two runners at once beside a till's debits (each lot expired
 * exactly once), and the books exact afterwards (balance = Σ entries = Σ lot remainders).
 * Every date derives from one `now` the test sets; expiry runs at that `now`.
 */
import { clock } from '../../src/clock';
import { credit, debit, type EntryInput } from '../../src/modules/ledger/ledger.service';
import type { ExpiryOptions, ExpiryRun } from '../../src/modules/ledger/expiry.service';
import { toInt } from '../../src/db/sql';
import { startTestApp, type TestApp } from './harness';
import type { TestDialect } from './db';

const DAY = 86_400_000;

export function expirySuite(dialect: TestDialect): void {
  let t: TestApp;
  let seq = 0;
  let now: Date;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    now = new Date(Math.floor(clock.ms() / 1000) * 1000);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const q = () => t.app.services.db.q;
  const tx = <T>(fn: Parameters<TestApp['app']['services']['db']['tx']>[0]) => t.app.services.db.tx(fn) as Promise<T>;
  const entry = (memberId: number, over: Partial<EntryInput> = {}): EntryInput => ({
    memberId, kind: 'EARN', reason: 'test', actorId: null, storeId: null, sourceType: 'purchase', sourceRef: `exp-${++seq}`, requestHash: null, now, ...over,
  });
  const expire = (opts: ExpiryOptions = {}): Promise<ExpiryRun> => t.app.services.ledger.expireDue(now, opts);

  /** A member with `due` lots past expiry (10, 11, … points; the first half spent to 3 when `spend`) and one live lot of 7. */
  async function member(due: number, spend = false): Promise<{ id: number; lots: number[]; dueTotal: number }> {
    const id = (await t.signIn(`expiry-${dialect}-${++seq}`)).memberId;
    const lots: number[] = [];
    let dueTotal = 0;
    for (let i = 0; i < due; i++) {
      const c = await tx<{ lotId: number }>(async (tq) => credit(tq, entry(id, { now: new Date(now.getTime() - (800 - i) * DAY) }), 10 + i, 24));
      lots.push(c.lotId);
      dueTotal += 10 + i;
    }
    await tx(async (tq) => credit(tq, entry(id, { now: new Date(now.getTime() - DAY) }), 7, 24));
    if (spend && due > 0) {
      // Spent while still live (100 days ago), oldest expiry first: the first lot keeps 3, so its EXPIRE is of 3 only.
      await tx(async (tq) => debit(tq, entry(id, { kind: 'REDEEM', sourceType: 'redeem', now: new Date(now.getTime() - 100 * DAY) }), 7));
      dueTotal -= 7;
    }
    return { id, lots, dueTotal };
  }
  const balance = async (m: number) => toInt((await q().get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [m]))?.b);
  /** Per lot of these members: [lot id, expiry allocations on it, points they took, remaining]. */
  async function expiryBooks(members: number[]): Promise<[number, number, number, number][]> {
    const inList = members.map(() => '?').join(', ');
    const lots = await q().all<Record<string, unknown>>(`SELECT id, remaining FROM points_lot WHERE member_id IN (${inList}) ORDER BY id`, members);
    const allocs = await q().all<Record<string, unknown>>(
      `SELECT a.lot_id, a.points FROM lot_allocation a JOIN points_entry e ON e.id = a.entry_id WHERE e.source_type = 'expiry' AND e.member_id IN (${inList})`,
      members,
    );
    return lots.map((l) => {
      const id = toInt(l.id);
      const mine = allocs.filter((a) => toInt(a.lot_id) === id);
      return [id, mine.length, mine.reduce((s, a) => s + toInt(a.points), 0), toInt(l.remaining)];
    });
  }
  /**
   * The EXPIRE entries of these members, each checked against its allocations: [member, entries, Σ delta], and the
   * entries that are not one member's debit of exactly its lots' allocations, keyed by the lowest of those lots' ids.
   */
  async function expiryEntries(members: number[]): Promise<{ perMember: [number, number, number][]; wrong: unknown[] }> {
    const inList = members.map(() => '?').join(', ');
    const entries = await q().all<Record<string, unknown>>(
      `SELECT e.id, e.member_id, e.delta, e.source_ref, COALESCE(SUM(a.points), 0) AS allocated, MIN(a.lot_id) AS first_lot, COUNT(DISTINCT l.member_id) AS owners, MIN(l.member_id) AS owner
       FROM points_entry e LEFT JOIN lot_allocation a ON a.entry_id = e.id LEFT JOIN points_lot l ON l.id = a.lot_id
       WHERE e.kind = 'EXPIRE' AND e.member_id IN (${inList}) GROUP BY e.id, e.member_id, e.delta, e.source_ref`,
      members,
    );
    const wrong = entries.filter(
      (e) => toInt(e.delta) !== -toInt(e.allocated) || String(e.source_ref) !== String(e.first_lot) || toInt(e.owners) !== 1 || toInt(e.owner) !== toInt(e.member_id),
    );
    const perMember = members.map((m): [number, number, number] => {
      const mine = entries.filter((e) => toInt(e.member_id) === m);
      return [m, mine.length, mine.reduce((s, e) => s + toInt(e.delta), 0)];
    });
    return { perMember, wrong };
  }
  /**
   * Asserts every due lot of `ms` was expired once, whole (one allocation for all of it), by one EXPIRE entry per member
   * for all of its due lots, and balances are the live 7.
   */
  async function expectExpiredOnce(ms: { id: number; lots: number[]; dueTotal: number }[]): Promise<void> {
    const books = new Map((await expiryBooks(ms.map((m) => m.id))).map((b) => [b[0], b]));
    for (const m of ms) {
      m.lots.forEach((lot, i) => expect(books.get(lot)).toEqual([lot, 1, 10 + i, 0]));
      expect(await balance(m.id)).toBe(7);
    }
    const entries = await expiryEntries(ms.map((m) => m.id));
    expect(entries.wrong).toEqual([]);
    expect(entries.perMember).toEqual(ms.map((m) => [m.id, 1, -m.dueTotal]));
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }

  test('batches hold at most the batch size; a lot due exactly now expires, one a millisecond later does not; a re-run is a no-op', async () => {
    const ms = [await member(1), await member(3, true), await member(2), await member(1), await member(4), await member(2), await member(1)];
    // The boundary in time: the live lot of the first member due exactly at `now` (expires), the last's 1 ms after it.
    const first = ms[0]!;
    const last = ms[6]!;
    const liveOf = async (m: number) => toInt((await q().get<{ id: unknown }>('SELECT MAX(id) AS id FROM points_lot WHERE member_id = ?', [m]))?.id);
    const atNow = await liveOf(first.id);
    const justAfter = await liveOf(last.id);
    await q().run('UPDATE points_lot SET expires_at = ? WHERE id = ?', [q().ts(now), atNow]);
    await q().run('UPDATE points_lot SET expires_at = ? WHERE id = ?', [q().ts(new Date(now.getTime() + 1)), justAfter]);
    first.lots.push(atNow);

    const batches: { members: number; lots: number }[] = [];
    const run = await expire({ batchMembers: 3, maxBatchMembers: 3, onBatch: (b) => batches.push(b) });
    const dueLots = ms.reduce((s, m) => s + m.lots.length, 0);
    expect(run).toEqual({ members: 7, lots: dueLots, points: ms.reduce((s, m) => s + m.dueTotal, 0) + 7 });
    expect(batches.length).toBeGreaterThanOrEqual(3); // 7 members, 3 at a time
    for (const b of batches) expect(b.members).toBeLessThanOrEqual(3);
    expect(batches.reduce((s, b) => s + b.lots, 0)).toBe(dueLots);

    const books = new Map((await expiryBooks(ms.map((m) => m.id))).map((b) => [b[0], b]));
    expect(books.get(atNow)).toEqual([atNow, 1, 7, 0]);
    expect(books.get(justAfter)).toEqual([justAfter, 0, 0, 7]);
    // The partly spent lot expires what was left of it (3 of 10); the others all of theirs.
    const spentLot = ms[1]!.lots[0]!;
    expect(books.get(spentLot)).toEqual([spentLot, 1, 3, 0]);
    for (const m of [ms[2]!, ms[3]!, ms[4]!, ms[5]!]) m.lots.forEach((lot, i) => expect(books.get(lot)).toEqual([lot, 1, 10 + i, 0]));
    // One EXPIRE entry per member for all of its due lots (the first member's with its lot due exactly now), keyed by
    // the lowest lot id.
    const entries = await expiryEntries(ms.map((m) => m.id));
    expect(entries.wrong).toEqual([]);
    expect(entries.perMember).toEqual(ms.map((m, i) => [m.id, 1, -(i === 0 ? m.dueTotal + 7 : m.dueTotal)]));
    // Its reason names the earnings' first and last days (Asia/Shanghai), their origin and how many lapsed.
    const day = (d: number) => new Date(now.getTime() - d * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    const reasons = await q().all<{ reason: unknown }>("SELECT reason FROM points_entry WHERE kind = 'EXPIRE' AND member_id IN (?, ?) ORDER BY member_id", [ms[3]!.id, ms[4]!.id]);
    expect(reasons.map((r) => String(r.reason))).toEqual([`积分过期（${day(800)} 消费获得）`, `积分过期（${day(800)} 至 ${day(797)} 消费获得，4 笔）`]);
    expect(await balance(first.id)).toBe(0);
    expect(await balance(last.id)).toBe(7);
    for (const m of ms.slice(1, 6)) expect(await balance(m.id)).toBe(7);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);

    expect(await expire({ batchMembers: 3, maxBatchMembers: 3 })).toEqual({ members: 0, lots: 0, points: 0 });
    expect(await expiryBooks(ms.map((m) => m.id))).toEqual([...books.values()]);
  }, 120_000);

  test('a crash mid-run leaves each member either fully expired or untouched; the re-run finishes, each lot expired once', async () => {
    const ms: { id: number; lots: number[]; dueTotal: number }[] = [];
    for (let i = 0; i < 10; i++) ms.push(await member(1 + (i % 3)));
    const before = await t.counts();
    // The third batch fails after all of its writes, just before its commit (the process dying there rolls back the same).
    await expect(expire({ batchMembers: 3, maxBatchMembers: 3, workers: 1, beforeCommit: (n) => { if (n === 3) throw new Error('simulated crash'); } })).rejects.toThrow('simulated crash');
    const books = await expiryBooks(ms.map((m) => m.id));
    const done = ms.filter((m) => m.lots.every((lot) => books.find((b) => b[0] === lot)?.[1] === 1));
    const untouched = ms.filter((m) => m.lots.every((lot) => books.find((b) => b[0] === lot)?.[1] === 0));
    expect(done.length + untouched.length).toBe(ms.length); // nothing half-done
    expect(done).toHaveLength(6); // the first two batches committed, the third rolled back
    for (const m of untouched) expect(await balance(m.id)).toBe(m.dueTotal + 7);
    const expiredLots = done.reduce((s, m) => s + m.lots.length, 0);
    expect((await t.counts()).points_entry).toBe(before.points_entry! + done.length); // one entry per member
    expect((await t.counts()).lot_allocation).toBe(before.lot_allocation! + expiredLots); // one allocation per lot
    expect(await t.app.services.ledger.reconcile()).toEqual([]);

    const rerun = await expire({ batchMembers: 3, maxBatchMembers: 3 });
    expect(rerun).toEqual({ members: untouched.length, lots: untouched.reduce((s, m) => s + m.lots.length, 0), points: untouched.reduce((s, m) => s + m.dueTotal, 0) });
    await expectExpiredOnce(ms);
  }, 120_000);

  test('two runners at once, beside till debits and credits on the same members: each lot expired exactly once, books exact', async () => {
    const ms: { id: number; lots: number[]; dueTotal: number }[] = [];
    for (let i = 0; i < 24; i++) ms.push(await member(3));
    const till = ms.filter((_, i) => i % 3 === 0);
    const [a, b] = await Promise.all([
      expire({ batchMembers: 4, maxBatchMembers: 4 }),
      expire({ batchMembers: 5, maxBatchMembers: 5 }),
      // The till spends 2 live points and earns 5 for some of the same members while the runners go.
      ...till.map((m, i) =>
        tx(async (tq) => {
          await debit(tq, entry(m.id, { kind: 'REDEEM', sourceType: 'redeem', sourceRef: `till-r-${i}-${seq}` }), 2);
          await credit(tq, entry(m.id, { sourceRef: `till-c-${i}-${seq}` }), 5, 24);
        }),
      ),
    ]);
    const dueLots = ms.reduce((s, m) => s + m.lots.length, 0);
    expect((a as ExpiryRun).lots + (b as ExpiryRun).lots).toBe(dueLots);
    expect((a as ExpiryRun).points + (b as ExpiryRun).points).toBe(ms.reduce((s, m) => s + m.dueTotal, 0));
    const books = new Map((await expiryBooks(ms.map((m) => m.id))).map((x) => [x[0], x]));
    for (const m of ms) m.lots.forEach((lot, i) => expect(books.get(lot)).toEqual([lot, 1, 10 + i, 0]));
    const entries = await expiryEntries(ms.map((m) => m.id));
    expect(entries.wrong).toEqual([]);
    expect(entries.perMember).toEqual(ms.map((m) => [m.id, 1, -m.dueTotal]));
    for (const m of ms) expect(await balance(m.id)).toBe(till.includes(m) ? 10 : 7);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
    expect(await expire()).toEqual({ members: 0, lots: 0, points: 0 });
  }, 120_000);
}
