/**
 * Points expiry (F3): the job that writes down lots whose `expires_at` has passed. Points lapse at `expires_at`
 * whether or not this has run (ledger.service.ts, `spendableSql`); the job only records the lapse: per member and run,
 * one EXPIRE debit entry for all of the member's due lots, keyed (expiry, the lowest of those lots' ids), with one
 * lot_allocation row per lot, each lot's remaining set to 0, and the balance cache decreased first — the books a
 * debit over those lots would write. (Until issue #16's expiry at scale it was one entry per lot; a lot is still
 * expired once, so a lot id keys at most one entry either way.)
 *
 * Set-based batches (a million due lots in well under a minute, issue #16):
 * - outside any transaction, the next members (by id, after a cursor) with a due lot are found on
 *   `points_lot_member_expiry_idx` (member_id, expires_at): one pass over the index per run, never a rescan;
 * - one short transaction per batch: the members' accounts and due lots locked and read in one
 *   `SELECT … FOR UPDATE SKIP LOCKED` (a member the till holds right now is skipped, never waited for, and retried
 *   after the pass with a plain, waiting lock), then one statement each (chunked) for the balances (`CASE id`), the
 *   entries and the lots, sent back to back without waiting (pipelined), then the allocations, and commit;
 * - the batch size adapts so that a batch's transaction — the time a till may wait on one of its accounts — stays near
 *   `targetMs` (15 ms by default: its p99 then stays near 30 ms, under the 50 ms budget, on this 2-core machine).
 *
 * Resumable and exactly once: a batch commits whole or not at all (a crash loses only the open batch, which the next
 * run redoes); a lot is expired only under its member's account lock, after re-reading `remaining > 0`, and the
 * (expiry, lot id) idempotency key stays unique. Two runners at once (the leased job and a manager's runPointsExpiry,
 * or two processes) skip each other's locked members and find the other's committed work already done.
 * libsql has no row locks: its single writer serialises the batches, and the same statements run.
 */
import { shanghaiDate } from '@quanzi/shared';
import { clock } from '../../clock';
import { marks, toDate, toInt, type Db, type Q } from '../../db/sql';

export interface ExpiryRun { members: number; lots: number; points: number }

export interface ExpiryOptions {
  /** Members in the first batch (default 200); later batches adapt to `targetMs` within [10, maxBatchMembers]. */
  batchMembers?: number;
  /** Upper bound of a batch, in members (default 2000). */
  maxBatchMembers?: number;
  /** The transaction time a batch aims at, in ms (default 15). */
  targetMs?: number;
  /** Batches in flight at once, on disjoint members (MariaDB default 2, libsql 1): one's round trips overlap the other's. */
  workers?: number;
  /** Called inside each batch's transaction after its writes, before commit (tests simulate a crash by throwing). */
  beforeCommit?: (batch: number) => void | Promise<void>;
  /** Called after each committed batch with its size and its transaction's duration (the bench's lock-hold figures). */
  onBatch?: (b: { batch: number; members: number; lots: number; ms: number }) => void;
}

const ORIGIN_ZH: Record<string, string> = {
  purchase: '消费获得', wechatpay: '消费获得', event_attend: '活动奖励', event_refund: '活动退还', reward_refund: '兑换退还', wechatpay_refund: '退款退还',
  referral_bonus: '邀请好友奖励', referral_share: '好友消费分成', referral_welcome: '受邀注册奖励',
  birthday_bonus: '生日月奖励', profile_bonus: '完善资料奖励',
};

/**
 * The EXPIRE entry's reason names the earning that lapsed: 积分过期（2025-11-20 消费获得）, the date in Asia/Shanghai
 * (UTC+8, no daylight saving) — the date the member saw on that earning's ledger line.
 */
export function expiryReason(earnedAt: Date, sourceType: string, kind: string): string {
  return `积分过期（${shanghaiDate(earnedAt)} ${originOf(sourceType, kind)}）`;
}

function originOf(sourceType: string, kind: string): string {
  return ORIGIN_ZH[sourceType] ?? (kind === 'EARN' ? '获得' : kind === 'REVERSAL' ? '退还' : '入账');
}

export interface LapsedEarning { earnedAt: Date; sourceType: string; kind: string }

/**
 * The reason of one EXPIRE entry over several lots: 积分过期（2024-11-01 至 2024-11-05 消费获得，5 笔）— the first and
 * last earning dates (one date when they are the same day), their origin when they share one (else 入账), and the
 * count. One lot reads as `expiryReason`.
 */
export function expiryReasonOf(lots: readonly LapsedEarning[]): string {
  const [first] = lots;
  if (!first) throw new Error('expiryReasonOf: no lots');
  if (lots.length === 1) return expiryReason(first.earnedAt, first.sourceType, first.kind);
  const days = lots.map((l) => shanghaiDate(l.earnedAt)).sort();
  const origins = new Set(lots.map((l) => originOf(l.sourceType, l.kind)));
  const span = days[0] === days[days.length - 1] ? days[0] : `${days[0]} 至 ${days[days.length - 1]}`;
  return `积分过期（${span} ${origins.size === 1 ? originOf(first.sourceType, first.kind) : '入账'}，${lots.length} 笔）`;
}

/** Rows per multi-row statement (SQLite allows 32,766 parameters a statement, MariaDB 65,535). */
const CHUNK = 500;

function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

interface DueLot extends LapsedEarning { id: number; memberId: number; remaining: number }

/**
 * The next `limit` members after `after` with a lot due at `now` (no locks), walking (member_id, expires_at) in order
 * (the hint keeps the planners from reading every due lot through the primary key and sorting them).
 */
async function nextMembers(q: Q, after: number, now: Date, limit: number): Promise<number[]> {
  const hint = q.dialect === 'sqlite' ? ' INDEXED BY points_lot_member_expiry_idx' : ' FORCE INDEX (points_lot_member_expiry_idx)';
  const rows = await q.all<{ member_id: unknown }>(
    `SELECT DISTINCT member_id FROM points_lot${hint} WHERE member_id > ? AND expires_at <= ? AND remaining > 0 ORDER BY member_id LIMIT ?`,
    [after, q.ts(now), limit],
  );
  return rows.map((r) => toInt(r.member_id));
}

/**
 * Runs `statements` on one transaction's connection in this order, sending each without waiting for the one before
 * on MariaDB/MySQL (the connection runs them in turn; the driver pipelines them), one at a time on SQLite (one
 * writer, nothing to gain). Resolves with their results in order; rejects with the first failure, after which the
 * transaction rolls back as a whole.
 */
async function pipelined<T>(q: Q, statements: (() => Promise<T>)[]): Promise<T[]> {
  if (q.dialect === 'sqlite') {
    const out: T[] = [];
    for (const s of statements) out.push(await s());
    return out;
  }
  return Promise.all(statements.map((s) => s()));
}

/**
 * One batch, inside its transaction: locks the members' accounts (skipping those locked elsewhere when `skipLocked`),
 * re-reads their due lots under lock and expires them all. Returns what it expired and the members it skipped.
 */
async function expireBatch(q: Q, memberIds: number[], now: Date, skipLocked: boolean): Promise<ExpiryRun & { skipped: number[] }> {
  const lock = q.dialect === 'sqlite' ? '' : skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE';
  // The members' accounts and their due lots, locked in one statement, with what each lot was earned by (the EXPIRE
  // entry's reason). Every lot change takes its member's account lock first, so a member whose account is held
  // elsewhere is skipped whole (no row of theirs is returned), and an account locked here has no lot held elsewhere.
  // That needs the account locked before its lots: STRAIGHT_JOIN keeps the join in that order (the optimizer may read
  // the lots first, and then a second runner can lock one of them before it meets the account the first runner holds
  // and skips it — the first then skips that lot, and the member's lots expire in two entries).
  const join = q.dialect === 'sqlite' ? 'JOIN' : 'STRAIGHT_JOIN';
  const lots: DueLot[] = [];
  for (const part of chunks(memberIds)) {
    const rows = await q.all<Record<string, unknown>>(
      `SELECT l.id, l.member_id, l.remaining, e.created_at, e.source_type, e.kind
       FROM member_account a ${join} points_lot l ON l.member_id = a.id ${join} points_entry e ON e.id = l.entry_id
       WHERE a.id IN (${marks(part.length)}) AND l.expires_at <= ? AND l.remaining > 0 ORDER BY l.id${lock}`,
      [...part, q.ts(now)],
    );
    for (const r of rows) {
      lots.push({ id: toInt(r.id), memberId: toInt(r.member_id), remaining: toInt(r.remaining), earnedAt: toDate(r.created_at), sourceType: String(r.source_type), kind: String(r.kind) });
    }
  }
  // Skipped: the members with nothing returned — held elsewhere (retried after the pass, with a waiting lock), or
  // with nothing due any more (another runner expired it; the retry finds nothing).
  const found = new Set(lots.map((l) => l.memberId));
  const skipped = skipLocked ? memberIds.filter((m) => !found.has(m)) : [];
  if (lots.length === 0) return { members: 0, lots: 0, points: 0, skipped };

  // Each member's due lots (read in lot id order, so each list's first lot is its lowest id: the entry's key).
  const byMember = new Map<number, DueLot[]>();
  for (const l of lots) {
    const mine = byMember.get(l.memberId);
    if (mine) mine.push(l);
    else byMember.set(l.memberId, [l]);
  }
  const members = [...byMember.entries()].map(([memberId, mine]) => ({ memberId, lots: mine, points: mine.reduce((s, l) => s + l.remaining, 0), key: String(mine[0]!.id) }));
  // Three writes that need nothing from each other, sent back to back (`pipelined`): the balance cache (first, as
  // every ledger write: update-before-insert), the entries — one per member, with their ids by idempotency key (a
  // multi-row insert need not get consecutive ids: MariaDB and SQLite say them in the INSERT with RETURNING, MySQL
  // has no RETURNING and reads them back by the unique key) — and the lots emptied. Then the allocations, which
  // need the entries' ids. The locks are all held already (the SELECT above), so the order changes nothing but the
  // round trips: 5 per batch with BEGIN and COMMIT, where waiting for each statement made 7.
  const at = q.ts(now);
  const returning = q.dialect !== 'mysql';
  type EntryIds = { id: unknown; source_ref: unknown }[];
  const balances = chunks(members).map((part) => () =>
    q.run(
      `UPDATE member_account SET balance = balance - CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END, updated_at = ? WHERE id IN (${marks(part.length)})`,
      [...part.flatMap((m) => [m.memberId, m.points]), at, ...part.map((m) => m.memberId)],
    ),
  );
  const entries = chunks(members).map((part) => async (): Promise<EntryIds> => {
    const sql = `INSERT INTO points_entry (member_id, delta, kind, reason, actor_id, store_id, source_type, source_ref, request_hash, created_at) VALUES ${part.map(() => "(?, ?, 'EXPIRE', ?, NULL, NULL, 'expiry', ?, NULL, ?)").join(', ')}`;
    const params = part.flatMap((m) => [m.memberId, -m.points, expiryReasonOf(m.lots).slice(0, 128), m.key, at]);
    if (returning) return q.all(`${sql} RETURNING id, source_ref`, params);
    await q.run(sql, params);
    return q.all(`SELECT id, source_ref FROM points_entry WHERE source_type = 'expiry' AND source_ref IN (${marks(part.length)})`, part.map((m) => m.key));
  });
  const emptied = chunks(lots).map((part) => () => q.run(`UPDATE points_lot SET remaining = 0 WHERE id IN (${marks(part.length)})`, part.map((l) => l.id)));
  const results = await pipelined<unknown>(q, [...balances, ...entries, ...emptied]);
  const entryOf = new Map<string, number>();
  for (const ids of results.slice(balances.length, balances.length + entries.length) as EntryIds[]) {
    for (const r of ids) entryOf.set(String(r.source_ref), toInt(r.id));
  }
  const allocations = members.flatMap((m) => {
    const entryId = entryOf.get(m.key);
    if (entryId === undefined) throw new Error(`expiry entry of member ${m.memberId} (lot ${m.key}) not found after its insert`);
    return m.lots.map((l) => [entryId, l.id, l.remaining]);
  });
  for (const part of chunks(allocations)) await q.run(`INSERT INTO lot_allocation (entry_id, lot_id, points) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`, part.flat());
  return { members: members.length, lots: lots.length, points: members.reduce((s, m) => s + m.points, 0), skipped };
}

/**
 * Expires every lot due at `now`, in batches of members (see the top of this file). Safe to run twice or
 * concurrently, and to re-run after a crash: each lot is expired exactly once.
 */
export async function expireDue(db: Db, now = clock.now(), opts: ExpiryOptions = {}): Promise<ExpiryRun> {
  const max = Math.max(1, Math.floor(opts.maxBatchMembers ?? 2000));
  const min = Math.min(10, max);
  const target = opts.targetMs ?? 15;
  let size = Math.min(max, Math.max(1, Math.floor(opts.batchMembers ?? 200)));
  const total: ExpiryRun = { members: 0, lots: 0, points: 0 };
  let batchNo = 0;
  const run = async (ids: number[], skipLocked: boolean): Promise<number[]> => {
    const n = ++batchNo;
    const t0 = performance.now();
    const r = await db.tx(async (q) => {
      const done = await expireBatch(q, ids, now, skipLocked);
      await opts.beforeCommit?.(n);
      return done;
    });
    const ms = performance.now() - t0;
    opts.onBatch?.({ batch: n, members: r.members, lots: r.lots, ms });
    // Aim the next batch at the target: proportional, at most doubling or halving at a time.
    size = Math.round(Math.min(max, Math.max(min, size * Math.min(2, Math.max(0.5, target / Math.max(ms, 1))))));
    total.members += r.members;
    total.lots += r.lots;
    total.points += r.points;
    return r.skipped;
  };

  // The pass: `workers` batches at a time over disjoint members, each taking the next members after a shared cursor
  // (taken one at a time, so no two batches share a member); members locked elsewhere are skipped.
  const skipped: number[] = [];
  let after = 0;
  let exhausted = false;
  let claims: Promise<unknown> = Promise.resolve();
  const claim = (): Promise<number[]> => {
    const next = claims.then(async () => {
      if (exhausted) return [];
      const limit = size;
      const ids = await nextMembers(db.q, after, now, limit);
      if (ids.length < limit) exhausted = true;
      if (ids.length > 0) after = ids[ids.length - 1] as number;
      return ids;
    });
    claims = next.catch(() => undefined);
    return next;
  };
  const worker = async (): Promise<void> => {
    try {
      for (let ids = await claim(); ids.length > 0; ids = await claim()) skipped.push(...(await run(ids, true)));
    } catch (e) {
      exhausted = true; // the other workers stop after their batch in flight; the run fails as a whole
      throw e;
    }
  };
  // libsql has one writer: a second batch in flight would only wait for the first.
  const workers = Math.max(1, Math.floor(opts.workers ?? (db.dialect === 'sqlite' ? 1 : 2)));
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  // Members the till (or another runner) held during the pass: now with a waiting lock, a batch at a time.
  for (let i = 0; i < skipped.length; i += size) await run(skipped.slice(i, i + size), false);
  return total;
}
