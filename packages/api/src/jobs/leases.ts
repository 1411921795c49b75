/**
 * Job leases (`job_lease`): with several API processes, a leased job runs in one of them at a time. A lease is taken
 * with one conditional statement on the API's clock (never the database's): an UPDATE that matches only an expired
 * lease, or the INSERT of the first one (a second inserter hits the primary key). Both dialects take it the same way:
 * MariaDB's row lock and libsql's single writer make exactly one of two concurrent takers win.
 *
 * Host clocks must agree to well within the lease's length (NTP does: leases last minutes, skew is milliseconds).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { clock } from '../clock';
import { isUniqueViolation, toDate, type Db } from '../db/sql';

/** A name for this process's (or test app's) claims: host, pid and a random suffix, so two apps in one process differ. */
export function leaseHolderId(): string {
  return `${os.hostname().slice(0, 60)}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export class JobLeases {
  constructor(
    private readonly db: Db,
    readonly holder: string = leaseHolderId(),
  ) {}

  /** Takes the lease on `name` until `now + ttlMs` when nobody holds it (or theirs ran out); true when taken. */
  async take(name: string, ttlMs: number, now: Date = clock.now()): Promise<boolean> {
    const q = this.db.q;
    const until = q.ts(new Date(now.getTime() + ttlMs));
    const u = await q.run('UPDATE job_lease SET holder = ?, expires_at = ?, generation = generation + 1 WHERE name = ? AND expires_at <= ?', [this.holder, until, name, q.ts(now)]);
    if (u.affectedRows === 1) return true;
    try {
      await q.run('INSERT INTO job_lease (name, holder, expires_at, generation) VALUES (?, ?, ?, 1)', [name, this.holder, until]);
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false; // held by someone else (or taken by them a moment ago)
      throw e;
    }
  }

  /** Extends a lease this holder still has to `now + ttlMs`; false when it was lost (it ran out and another took it). */
  async renew(name: string, ttlMs: number, now: Date = clock.now()): Promise<boolean> {
    const q = this.db.q;
    const u = await q.run('UPDATE job_lease SET expires_at = ?, generation = generation + 1 WHERE name = ? AND holder = ?', [q.ts(new Date(now.getTime() + ttlMs)), name, this.holder]);
    return u.affectedRows === 1;
  }

  /**
   * Gives the lease up: free from `until` (default `now`), so that another process's next tick may take it. Keeping
   * it until the next run is due makes a periodic job run once per interval however many processes tick.
   */
  async release(name: string, until: Date = clock.now()): Promise<void> {
    const q = this.db.q;
    await q.run('UPDATE job_lease SET expires_at = ?, generation = generation + 1 WHERE name = ? AND holder = ?', [q.ts(until), name, this.holder]);
  }

  /** Who holds `name` until when (tests, diagnostics). */
  async holderOf(name: string): Promise<{ holder: string; expiresAt: Date } | null> {
    const r = await this.db.q.get<{ holder: unknown; expires_at: unknown }>('SELECT holder, expires_at FROM job_lease WHERE name = ?', [name]);
    if (!r) return null;
    return { holder: String(r.holder), expiresAt: toDate(r.expires_at) };
  }
}
