/**
 * The outbox (ARCHITECTURE.md): background work is written in the same transaction as the business change and
 * drained by a worker. Claiming pushes `available_at` out by a lease inside a short transaction
 * (`FOR UPDATE SKIP LOCKED` on MariaDB/MySQL, so concurrent workers take different rows; libsql serialises writers,
 * a plain select is enough), the handler runs outside any transaction, then the row is DONE, or retried with
 * exponential backoff, and DEAD after the last attempt. A worker that dies mid-way leaves its rows to be claimed
 * again when the lease runs out, so handlers must be idempotent.
 */
import { clock } from '../../clock';
import { toInt, type Db, type Q } from '../../db/sql';
import type { Logger } from '../../logger';

export interface OutboxHandler {
  /** Does the work; throwing schedules a retry. */
  run(ref: string): Promise<void>;
  /** Called once when the last attempt failed (e.g. fall back to something cheaper). */
  dead?(ref: string): Promise<void>;
}

export interface DrainResult { done: number; retried: number; dead: number }

/**
 * Thrown by a handler whose work is not finished yet but did not fail (e.g. an order still processing at a
 * provider): the row is retried after `delayMs` (default: the topic's backoff) without a warning; the attempt
 * still counts towards the topic's maximum.
 */
export class RetryLater extends Error {
  constructor(
    message = 'not finished yet',
    readonly delayMs: number | null = null,
  ) {
    super(message);
  }
}

/** Per-topic overrides of the service's retry policy. */
export interface TopicOptions {
  maxAttempts?: number;
  backoffMs?: (attempts: number) => number;
}

export interface OutboxOptions {
  leaseMs?: number;
  maxAttempts?: number;
  batch?: number;
  /** Backoff before attempt n + 1 (n ≥ 1). Default 30 s · 2^(n−1), at most an hour. */
  backoffMs?: (attempts: number) => number;
}

/** Writes an outbox row inside the caller's transaction (due at `availableAt`, default now). */
export async function enqueue(q: Q, topic: string, ref: string, now: Date, availableAt: Date = now): Promise<void> {
  await q.run("INSERT INTO outbox (topic, ref, status, attempts, available_at, created_at, updated_at) VALUES (?, ?, 'PENDING', 0, ?, ?, ?)", [
    topic, ref, q.ts(availableAt), q.ts(now), q.ts(now),
  ]);
}

export class OutboxService {
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly topicOptions = new Map<string, TopicOptions>();
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

  /** Registers the handler of a topic (one per topic), optionally with its own attempts and backoff. */
  register(topic: string, handler: OutboxHandler, opts: TopicOptions = {}): void {
    if (this.handlers.has(topic)) throw new Error(`outbox topic ${topic} registered twice`);
    this.handlers.set(topic, handler);
    this.topicOptions.set(topic, opts);
  }

  /**
   * Makes the work for (topic, ref) due now: a DEAD row starts over (attempts 0, no longer acknowledged), a PENDING one is brought forward,
   * and when there is neither a new row is written. Returns what it did.
   */
  async requeue(topic: string, ref: string, now = clock.now()): Promise<'revived' | 'due' | 'queued'> {
    const q = this.db.q;
    const dead = await q.run("UPDATE outbox SET status = 'PENDING', attempts = 0, available_at = ?, last_error = NULL, acknowledged_at = NULL, acknowledged_by_id = NULL, updated_at = ? WHERE topic = ? AND ref = ? AND status = 'DEAD'", [
      q.ts(now), q.ts(now), topic, ref,
    ]);
    if (dead.affectedRows > 0) return 'revived';
    const pending = await q.run("UPDATE outbox SET available_at = ?, updated_at = ? WHERE topic = ? AND ref = ? AND status = 'PENDING' AND available_at > ?", [
      q.ts(now), q.ts(now), topic, ref, q.ts(now),
    ]);
    if (pending.affectedRows > 0) return 'due';
    const exists = await q.get("SELECT id FROM outbox WHERE topic = ? AND ref = ? AND status = 'PENDING'", [topic, ref]);
    if (exists) return 'due';
    await enqueue(q, topic, ref, now);
    return 'queued';
  }

  /** Runs every row due (at `at`, default the current time as it goes), batch by batch. */
  drain(at?: Date): Promise<DrainResult> {
    const now = () => at ?? clock.now();
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
      // In the order of outbox_due_idx (status, available_at, id): the scan stops after `batch` rows, so only those
      // are locked. (ORDER BY id needs a filesort that reads, and locks, every due row: a second worker would skip
      // them all and find nothing to do.)
      const rows = await q.all<Record<string, unknown>>(
        `SELECT id, topic, ref, attempts FROM outbox WHERE status = 'PENDING' AND available_at <= ? ORDER BY available_at, id LIMIT ?${lock}`,
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
      const opts = this.topicOptions.get(r.topic) ?? {};
      if (r.attempts >= (opts.maxAttempts ?? this.maxAttempts)) {
        await q.run("UPDATE outbox SET status = 'DEAD', last_error = ?, updated_at = ? WHERE id = ?", [message, q.ts(now()), r.id]);
        this.log.error({ outboxId: r.id, topic: r.topic, ref: r.ref, attempts: r.attempts, err: message }, 'outbox item dead');
        await handler?.dead?.(r.ref).catch((err: Error) => this.log.error({ outboxId: r.id, err: err.message }, 'outbox dead handler failed'));
        return 'dead';
      }
      const at = now();
      const delay = e instanceof RetryLater && e.delayMs !== null ? e.delayMs : (opts.backoffMs ?? this.backoffMs)(r.attempts);
      await q.run('UPDATE outbox SET available_at = ?, last_error = ?, updated_at = ? WHERE id = ?', [q.ts(new Date(at.getTime() + delay)), message, q.ts(at), r.id]);
      if (e instanceof RetryLater) this.log.debug({ outboxId: r.id, topic: r.topic, ref: r.ref, attempts: r.attempts, reason: message }, 'outbox item not finished yet');
      else this.log.warn({ outboxId: r.id, topic: r.topic, ref: r.ref, attempts: r.attempts, err: message }, 'outbox item will be retried');
      return 'retried';
    }
  }
}
