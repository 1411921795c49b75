/**
 * Outbox retention and dead letters. Delivered rows (DONE) are deleted `OUTBOX_RETENTION_DAYS` after delivery; dead
 * letters (DEAD) stay until an HQ manager acknowledges them, and are deleted the same number of days after that.
 *
 * Deletion never holds the table: each batch first reads the ids of at most `batch` expired rows (a plain read, in
 * the order of `outbox_retention_idx`), then deletes exactly those rows by primary key in its own short autocommit
 * statement, re-checking the condition (a dead letter revived meanwhile is kept). Only the rows being deleted are
 * locked, so the workers' `SKIP LOCKED` claims and the till's writes never wait on more than one small statement; the
 * event loop is yielded between batches. (A single `DELETE … ORDER BY id LIMIT n` would lock every row it scans on
 * MariaDB, and libsql has no `DELETE … LIMIT`.)
 */
import { clock } from '../../clock';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { writeAudit } from '../audit/audit';
import { toDate, toInt, type Db } from '../../db/sql';
import { AppError, notFound } from '../../errors';
import { ErrorCode } from '@quanzi/shared';
import type { Logger } from '../../logger';

const DAY_MS = 86_400_000;

/** What one retention run deleted. */
export interface RetentionRun {
  /** Delivered rows older than the retention period. */
  delivered: number;
  /** Dead letters acknowledged longer ago than the retention period. */
  deadLetters: number;
}

/** A dead letter: background work that ran out of attempts. */
export interface DeadLetterRow {
  id: number;
  topic: string;
  ref: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  /** When the last attempt failed. */
  failedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedById: number | null;
}

export interface RetentionOptions {
  /** Days a delivered row (or an acknowledged dead letter) is kept. */
  retentionDays: number;
  /** Rows deleted per statement (default 500). */
  batch?: number;
}

const COLUMNS = 'id, topic, ref, attempts, last_error, created_at, updated_at, acknowledged_at, acknowledged_by_id';

/** Purges old outbox rows in small batches; lists and acknowledges dead letters for HQ managers. */
export class OutboxRetentionService {
  private readonly retentionDays: number;
  private readonly batch: number;
  /** A run in progress in this process: a second call (timer and manager at once) shares it. */
  private running: Promise<RetentionRun> | null = null;

  constructor(private readonly db: Db, private readonly log: Logger, opts: RetentionOptions) {
    this.retentionDays = opts.retentionDays;
    this.batch = opts.batch ?? 500;
  }

  /**
   * Deletes delivered rows whose delivery (`updated_at`) and acknowledged dead letters whose acknowledgement is older
   * than the retention period at `now`; pending and unacknowledged dead rows are never touched. Idempotent.
   */
  purge(now = clock.now(), batch = this.batch): Promise<RetentionRun> {
    this.running ??= this.purgeAll(now, batch).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async purgeAll(now: Date, batch: number): Promise<RetentionRun> {
    const q = this.db.q;
    const cutoff = q.ts(new Date(now.getTime() - this.retentionDays * DAY_MS));
    const delivered = await this.purgeWhere("status = 'DONE' AND updated_at < ?", [cutoff], batch);
    const deadLetters = await this.purgeWhere("status = 'DEAD' AND acknowledged_at IS NOT NULL AND acknowledged_at < ?", [cutoff], batch);
    if (delivered + deadLetters > 0) this.log.info({ delivered, deadLetters, retentionDays: this.retentionDays }, 'outbox retention');
    return { delivered, deadLetters };
  }

  private async purgeWhere(where: string, params: unknown[], batch: number): Promise<number> {
    const q = this.db.q;
    let total = 0;
    for (;;) {
      const rows = await q.all<{ id: unknown }>(`SELECT id FROM outbox WHERE ${where} ORDER BY updated_at, id LIMIT ?`, [...params, batch]);
      if (rows.length === 0) return total;
      const ids = rows.map((r) => toInt(r.id));
      const r = await q.run(`DELETE FROM outbox WHERE id IN (${ids.map(() => '?').join(', ')}) AND ${where}`, [...ids, ...params]);
      total += r.affectedRows;
      if (rows.length < batch) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** HQ managers: dead letters, the most recently failed first; acknowledged ones only when asked. */
  async deadLetters(ctx: RequestContext, opts: { first: number; includeAcknowledged: boolean }): Promise<DeadLetterRow[]> {
    await authorize(ctx, 'outbox.manage');
    const first = Math.min(Math.max(Math.trunc(opts.first), 1), 200);
    const rows = await this.db.q.all(
      `SELECT ${COLUMNS} FROM outbox WHERE status = 'DEAD'${opts.includeAcknowledged ? '' : ' AND acknowledged_at IS NULL'} ORDER BY updated_at DESC, id DESC LIMIT ?`,
      [first],
    );
    return rows.map(toDeadLetter);
  }

  /**
   * HQ managers: marks a dead letter as seen and dealt with, so retention may delete it later. Acknowledging it
   * again returns the first acknowledgement; `NOT_FOUND` for no such row, `CONFLICT` when the row is not dead
   * (delivered, or revived by a retry).
   */
  async acknowledge(ctx: RequestContext, id: number, now = clock.now()): Promise<DeadLetterRow> {
    const userId = await authorize(ctx, 'outbox.manage');
    const q = this.db.q;
    await this.db.tx(async (tq) => {
      const u = await tq.run("UPDATE outbox SET acknowledged_at = ?, acknowledged_by_id = ? WHERE id = ? AND status = 'DEAD' AND acknowledged_at IS NULL", [tq.ts(now), userId, id]);
      if (u.affectedRows === 1) await writeAudit(tq, userId, { action: 'acknowledgeDeadLetter', targetType: 'outbox', targetId: id, before: { acknowledged: false }, after: { acknowledged: true } }, now);
    });
    const row = await q.get<Record<string, unknown>>(`SELECT ${COLUMNS}, status FROM outbox WHERE id = ?`, [id]);
    if (!row) throw notFound('Dead letter');
    if (row.status !== 'DEAD') throw new AppError(ErrorCode.CONFLICT, `Outbox item ${id} is not a dead letter (${String(row.status)})`);
    return toDeadLetter(row);
  }
}

function toDeadLetter(r: Record<string, unknown>): DeadLetterRow {
  return {
    id: toInt(r.id),
    topic: String(r.topic),
    ref: String(r.ref),
    attempts: toInt(r.attempts),
    lastError: r.last_error == null ? null : String(r.last_error),
    createdAt: toDate(r.created_at),
    failedAt: toDate(r.updated_at),
    acknowledgedAt: r.acknowledged_at == null ? null : toDate(r.acknowledged_at),
    acknowledgedById: r.acknowledged_by_id == null ? null : toInt(r.acknowledged_by_id),
  };
}
