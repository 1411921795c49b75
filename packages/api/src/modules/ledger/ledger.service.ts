/**
 * The points ledger (F3), exactly as ARCHITECTURE.md's data rules say:
 * - `member_account.balance` is a cache updated in the same transaction as every entry, always FIRST
 *   (update-before-insert: the other order deadlocks on InnoDB's foreign-key shared locks);
 * - entries are append-only and carry an idempotency key (source_type, source_ref) with a unique index;
 * - credits create lots with an expiry; debits consume live lots oldest-expiry-first, recorded in lot_allocation;
 * - points lapse at their lot's `expires_at`, not when the expiry job runs: until the job has written the lot's EXPIRE
 *   entry, the balance cache still holds them, so every read and every debit subtracts the lapsed remainders
 *   (`spendableSql`); a debit never touches a lapsed lot;
 * - debits are atomic conditional updates (`balance - lapsed >= ?`), never read-modify-write;
 * - expiry (expiry.service.ts) writes EXPIRE debit entries, one per lot, keyed (expiry, lot id), so a second or
 *   concurrent run is a no-op.
 * All functions taking a `Q` run inside the caller's transaction.
 */
import { clock } from '../../clock';
import { addMonthsUtc, allocateFifo, ErrorCode } from '@quanzi/shared';
import { AppError } from '../../errors';
import { toDate, toInt, type Db, type Q, type RunResult, type Stmt } from '../../db/sql';
import { expireDue, type ExpiryOptions, type ExpiryRun } from './expiry.service';

export type LedgerKind = 'EARN' | 'REDEEM' | 'EXPIRE' | 'REVERSAL' | 'ADJUST';

export interface EntryInput {
  memberId: number;
  kind: LedgerKind;
  reason: string;
  actorId: number | null;
  storeId: number | null;
  sourceType: string;
  sourceRef: string;
  requestHash: string | null;
  now: Date;
}

/**
 * Points in lots past expiry that the expiry job has not written off yet, for the `member_account` row aliased
 * `acct`; takes one parameter, the time (`q.ts(now)`).
 */
export const lapsedSql = (acct: string): string =>
  `COALESCE((SELECT SUM(lp.remaining) FROM points_lot lp WHERE lp.member_id = ${acct}.id AND lp.remaining > 0 AND lp.expires_at <= ?), 0)`;

/** The points a member can spend (and is shown) at `?`: the balance cache minus lapsed lots. One parameter: the time. */
export const spendableSql = (acct: string): string => `(${acct}.balance - ${lapsedSql(acct)})`;

/** The points a member can spend (and is shown) at `now`. */
export async function spendableBalance(q: Q, memberId: number, now: Date): Promise<number> {
  const r = await q.get<{ balance: unknown }>(`SELECT ${spendableSql('a')} AS balance FROM member_account a WHERE a.id = ?`, [q.ts(now), memberId]);
  return toInt(r?.balance);
}

/** Thrown inside a transaction to roll it back when the points do not cover a debit. */
export const insufficientPoints = (): AppError => new AppError(ErrorCode.INSUFFICIENT_POINTS, 'Not enough points');

/**
 * The INSERT of a ledger entry of `delta` points. `sourceRefSql` stands for its source_ref when that is the id of a
 * row inserted just before in the same batch (`previousInsertRef`); otherwise `e.sourceRef` is sent as a value.
 */
function entryStatement(q: Q, e: EntryInput, delta: number, sourceRefSql?: string): Stmt {
  return {
    sql: `INSERT INTO points_entry (member_id, delta, kind, reason, actor_id, store_id, source_type, source_ref, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ${sourceRefSql ?? '?'}, ?, ?)`,
    params: [e.memberId, delta, e.kind, e.reason.slice(0, 128), e.actorId, e.storeId, e.sourceType, ...(sourceRefSql ? [] : [e.sourceRef]), e.requestHash, q.ts(e.now)],
  };
}

async function insertEntry(q: Q, e: EntryInput, delta: number): Promise<number> {
  const s = entryStatement(q, e, delta);
  return (await q.run(s.sql, [...(s.params ?? [])])).insertId;
}

/**
 * Credits `points` (> 0) as a new lot expiring `validityMonths` after `now`, in one round trip (`creditStatements`).
 * A duplicate idempotency key throws the driver's unique violation; the caller rolls back and replays the first result.
 */
export async function credit(q: Q, e: EntryInput, points: number, validityMonths: number): Promise<{ entryId: number; lotId: number }> {
  return creditDone(await q.batch(creditStatements(q, e, points, validityMonths)));
}

/** SQL for the id of the row the statement before inserted, as text: an entry keyed by the purchase just inserted. */
export const previousInsertRef = (q: Q): string => `CAST(${q.lastInsertId} AS ${q.dialect === 'sqlite' ? 'TEXT' : 'CHAR'})`;

/**
 * A credit's three statements, to send together (`q.batch`, alone or after others): the balance cache first, the
 * entry, its lot (keyed by the entry just inserted). `sourceRefSql` stands for the entry's source_ref when it is the
 * id of a row inserted just before the batch's credit (`previousInsertRef`). Check the results with `creditDone`.
 */
export function creditStatements(q: Q, e: EntryInput, points: number, validityMonths: number, sourceRefSql?: string): Stmt[] {
  if (!Number.isSafeInteger(points) || points <= 0) throw new RangeError(`credit of ${points}`);
  return [
    // Refunds (REVERSAL credits) give points back; only EARN counts towards what the member has ever earned.
    { sql: 'UPDATE member_account SET balance = balance + ?, lifetime_earned = lifetime_earned + ?, updated_at = ? WHERE id = ?', params: [points, e.kind === 'EARN' ? points : 0, q.ts(e.now), e.memberId] },
    entryStatement(q, e, points, sourceRefSql),
    { sql: `INSERT INTO points_lot (member_id, entry_id, points, remaining, expires_at) VALUES (?, ${q.lastInsertId}, ?, ?, ?)`, params: [e.memberId, points, points, q.ts(addMonthsUtc(e.now, validityMonths))] },
  ];
}

/** The results of `creditStatements`, checked: the account must exist (else NOT_FOUND, rolling the batch back). */
export function creditDone(results: readonly unknown[]): { entryId: number; lotId: number } {
  const [upd, entry, lot] = results as RunResult[];
  if (upd?.affectedRows !== 1) throw new AppError(ErrorCode.NOT_FOUND, 'Member account not found');
  return { entryId: (entry as RunResult).insertId, lotId: (lot as RunResult).insertId };
}

/**
 * Debits `points` (> 0): a conditional update of the balance that counts only live points (INSUFFICIENT_POINTS when
 * it matches no row; lapsed lots the job has not expired yet are subtracted in the same statement, under the row
 * lock), then the member's live lots under lock, consumed oldest expiry first. Lapsed lots are left to the expiry job.
 */
export async function debit(q: Q, e: EntryInput, points: number): Promise<{ entryId: number; allocations: { lotId: number; points: number }[] }> {
  if (!Number.isSafeInteger(points) || points <= 0) throw new RangeError(`debit of ${points}`);
  const upd = await q.run(
    `UPDATE member_account SET balance = balance - ?, updated_at = ? WHERE id = ? AND balance - ${lapsedSql('member_account')} >= ?`,
    [points, q.ts(e.now), e.memberId, q.ts(e.now), points],
  );
  if (upd.affectedRows !== 1) throw insufficientPoints();
  const rows = await q.all<Record<string, unknown>>(
    `SELECT id, remaining, expires_at FROM points_lot WHERE member_id = ? AND remaining > 0 AND expires_at > ? ORDER BY expires_at, id${q.forUpdate}`,
    [e.memberId, q.ts(e.now)],
  );
  const lots = rows.map((r) => ({ id: String(r.id), remaining: toInt(r.remaining), expiresAt: toDate(r.expires_at) }));
  const takes = allocateFifo(lots, points, e.now);
  // Unreachable while the books balance (the update above saw enough live points); a broken cache must not overdraw.
  if (!takes) throw insufficientPoints();
  const entryId = await insertEntry(q, e, -points);
  for (const t of takes) {
    const r = await q.run('UPDATE points_lot SET remaining = remaining - ? WHERE id = ? AND remaining >= ?', [t.points, t.lotId, t.points]);
    if (r.affectedRows !== 1) throw insufficientPoints();
  }
  await q.run(`INSERT INTO lot_allocation (entry_id, lot_id, points) VALUES ${takes.map(() => '(?, ?, ?)').join(', ')}`, takes.flatMap((t) => [entryId, t.lotId, t.points]));
  return { entryId, allocations: takes.map((t) => ({ lotId: Number(t.lotId), points: t.points })) };
}

export interface ReconciliationRow { memberId: number; balance: number; entriesSum: number; lotsRemaining: number }

/** Ledger operations that own their transactions. */
export class LedgerService {
  constructor(private readonly db: Db) {}

  /** Expires every lot due at `now` (expiry.service.ts). */
  expireDue(now = clock.now(), opts: ExpiryOptions = {}): Promise<ExpiryRun> {
    return expireDue(this.db, now, opts);
  }

  /**
   * Members whose books do not balance: balance ≠ Σ entries or balance ≠ Σ remaining of their lots.
   * (The cache and the entries count lapsed lots until the expiry job has written them off; what members see and
   * spend is `spendableSql`, the same books minus the lapsed remainders.)
   * An empty result is the invariant holding.
   */
  async reconcile(): Promise<ReconciliationRow[]> {
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT a.id AS member_id, a.balance, COALESCE(e.s, 0) AS entries_sum, COALESCE(l.s, 0) AS lots_remaining
       FROM member_account a
       LEFT JOIN (SELECT member_id, SUM(delta) AS s FROM points_entry GROUP BY member_id) e ON e.member_id = a.id
       LEFT JOIN (SELECT member_id, SUM(remaining) AS s FROM points_lot GROUP BY member_id) l ON l.member_id = a.id
       WHERE a.balance <> COALESCE(e.s, 0) OR a.balance <> COALESCE(l.s, 0) OR a.balance < 0 ORDER BY a.id LIMIT 500`,
    );
    return rows.map((r) => ({ memberId: toInt(r.member_id), balance: toInt(r.balance), entriesSum: toInt(r.entries_sum), lotsRemaining: toInt(r.lots_remaining) }));
  }
}
