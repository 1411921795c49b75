/**
 * The outbox (ARCHITECTURE.md): background work is written in the same transaction as the business change and
 * drained by a worker. Claiming pushes `available_at` out by a lease inside a short transaction
 * (`FOR UPDATE SKIP LOCKED` on MariaDB/MySQL, so concurrent workers take different rows; libsql serialises writers,
 * a plain select is enough), the handler runs outside any transaction, then the row is DONE, or retried with
 * exponential backoff, and DEAD after the last attempt. A worker that dies mid-way leaves its rows to be claimed
 * again when the lease runs out, so handlers must be idempotent.
 */
import { toInt, type Db, type Q } from '../../db/sql';
import type { Logger } from '../../logger';

export interface OutboxHandler {
  /** Does the work; throwing schedules a retry. */
  run(ref: string): Promise<void>;
  /** Called once when the last attempt failed (e.g. fall back to something cheaper). */
  dead?(ref: string): Promise<void>;
}

export interface DrainResult { done: number; retried: number; dead: number }

export interface OutboxOptions {
  leaseMs?: number;
  maxAttempts?: number;
  batch?: number;
  /** Backoff before attempt n + 1 (n ≥ 1). Default 30 s · 2^(n−1), at most an hour. */
  backoffMs?: (attempts: number) => number;
}

/** Writes an outbox row inside the caller's transaction. */
export async function enqueue(q: Q, topic: string, ref: string, now: Date): Promise<void> {
  await q.run("INSERT INTO outbox (topic, ref, status, attempts, available_at, created_at, updated_at) VALUES (?, ?, 'PENDING', 0, ?, ?, ?)", [
    topic, ref, q.ts(now), q.ts(now), q.ts(now),
  ]);
}

export class OutboxService {
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly batch: number;
  private readonly backoffMs: (attempts: number) => number;
  /** Drains in this process run one after another, so `await drain()` has seen every row due when it was called. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Db, private readonly log: Logger, opts: OutboxOptions = {}) {
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.batch = opts.batch ?? 50;
    this.backoffMs = opts.backoffMs ?? ((n) => Math.min(3_600_000, 30_000 * 2 ** (n - 1)));
  }

  /** Registers the handler of a topic (one per topic). */
  register(topic: string, handler: OutboxHandler): void {
    if (this.handlers.has(topic)) throw new Error(`outbox topic ${topic} registered twice`);
    this.handlers.set(topic, handler);
  }

  /** Runs every row due (at `at`, default the current time as it goes), batch by batch. */
  drain(at?: Date): Promise<DrainResult> {
    const now = () => at ?? new Date();
    const run = this.chain.then(() => this.drainAll(now));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async drainAll(now: () => Date): Promise<DrainResult> {
    const total: DrainResult = { done: 0, retried: 0, dead: 0 };
    for (;;) {
      const rows = await this.claim(now());
      for (const r of rows) {
        const outcome = await this.runOne(r, now);
        total[outcome]++;
      }
      if (rows.length < this.batch) return total;
    }
  }

  private async claim(at: Date): Promise<{ id: number; topic: string; ref: string; attempts: number }[]> {
    return this.db.tx(async (q) => {
      const lock = q.dialect === 'sqlite' ? '' : ' FOR UPDATE SKIP LOCKED';
      const rows = await q.all<Record<string, unknown>>(
        `SELECT id, topic, ref, attempts FROM outbox WHERE status = 'PENDING' AND available_at <= ? ORDER BY id LIMIT ?${lock}`,
        [q.ts(at), this.batch],
      );
      if (rows.length === 0) return [];
      const ids = rows.map((r) => toInt(r.id));
      await q.run(`UPDATE outbox SET attempts = attempts + 1, available_at = ?, updated_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [
        q.ts(new Date(at.getTime() + this.leaseMs)), q.ts(at), ...ids,
      ]);
      return rows.map((r) => ({ id: toInt(r.id), topic: String(r.topic), ref: String(r.ref), attempts: toInt(r.attempts) + 1 }));
    });
  }

  private async runOne(r: { id: number; topic: string; ref: string; attempts: number }, now: () => Date): Promise<keyof DrainResult> {
    const q = this.db.q;
    const handler = this.handlers.get(r.topic);
    try {
      if (!handler) throw new Error(`no handler for outbox topic ${r.topic}`);
      await handler.run(r.ref);
      await q.run("UPDATE outbox SET status = 'DONE', last_error = NULL, updated_at = ? WHERE id = ?", [q.ts(now()), r.id]);
      return 'done';
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).slice(0, 255);
      if (r.attempts >= this.maxAttempts) {
        await q.run("UPDATE outbox SET status = 'DEAD', last_error = ?, updated_at = ? WHERE id = ?", [message, q.ts(now()), r.id]);
        this.log.error({ outboxId: r.id, topic: r.topic, ref: r.ref, attempts: r.attempts, err: message }, 'outbox item dead');
        await handler?.dead?.(r.ref).catch((err: Error) => this.log.error({ outboxId: r.id, err: err.message }, 'outbox dead handler failed'));
        return 'dead';
      }
      const at = now();
      await q.run('UPDATE outbox SET available_at = ?, last_error = ?, updated_at = ? WHERE id = ?', [q.ts(new Date(at.getTime() + this.backoffMs(r.attempts))), message, q.ts(at), r.id]);
      this.log.warn({ outboxId: r.id, topic: r.topic, ref: r.ref, attempts: r.attempts, err: message }, 'outbox item will be retried');
      return 'retried';
    }
  }
}
