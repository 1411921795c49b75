/**
 * Distinct visitors at HQ, exact, without grouping every member's purchases per request (issue #15 item 7): the
 * visitors of a period, the active members at an instant (a visit in the active window before it) and, from those,
 * churn.
 *
 * The summary (`analytics_visit_day`, analytics-summary.entity.ts) holds, per Shanghai day, the members' first visits
 * of that day by the day of their previous visit. A member visited in the days [f, t) exactly when their first visit
 * in [f, t) has its previous visit before f, so
 *
 *   visitors(days f..t−1) = Σ visits over the rows with f ≤ day < t and prevDay < f
 *
 * (a later visit day in the range has its previous visit inside the range; a second visit on a day is not a row).
 *
 * Maintenance (stated per table, as the issue asks): written only by the leased `analytics-summary` job, from its
 * own watermark (`visit_day` in analytics_watermark), for the Shanghai days that ended at least SETTLE_MS ago, never
 * in a business transaction. Each run inserts whole days' rows and moves the watermark in one transaction,
 * conditional on the watermark it started from (a second process changes nothing). Purchases are append-only
 * (refunds are negative rows, not visits), so a summarised day never changes.
 *
 * Reading: the range's whole days before the watermark come from the summary; the partial days at its edges and the
 * days after the watermark are read live (the visitors there who did not visit in the summarised days), so the count
 * is exact whenever the job last ran.
 */
import { shanghaiCeil, shanghaiDay, shanghaiFloor } from '@quanzi/shared';
import { clock } from '../../clock';
import { marks, toDate, toInt, type Db, type Q } from '../../db/sql';
import { oldestCreatedAt, summariseDays, watermarkOf } from './day-summary';

/** Members per look-up of their previous visit, and rows per multi-row insert. */
const BATCH = 1000;
const NAME = 'visit_day';

export class VisitSummary {
  constructor(private readonly db: Db) {}

  /** Every visit before this instant is in the summary (null: never run). */
  async watermark(q: Q = this.db.q): Promise<Date | null> {
    return watermarkOf(q, NAME);
  }

  /** Summarises the settled days after the watermark (the job's run); the first run starts at the first purchase's day. */
  async refresh(now: Date = clock.now()): Promise<{ days: number; until: Date | null }> {
    // The day of each member's last visit before the day being summarised, as the run goes. A run that starts the
    // summary begins before every purchase, so a member it has not met has no earlier visit; a later run looks up
    // the members it has not met.
    const last = new Map<number, number>();
    return summariseDays(
      this.db,
      NAME,
      now,
      (q) => oldestCreatedAt(q, ['purchase']),
      async (q, at, end, fresh) => {
        const rows = await this.firstVisits(q, at, end, last, fresh);
        for (let i = 0; i < rows.length; i += BATCH) {
          const chunk = rows.slice(i, i + BATCH);
          await q.run(`INSERT INTO analytics_visit_day (day, prev_day, visits) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`, chunk.flat());
        }
      },
    );
  }

  /** The rows for the days [at, end): [day, prevDay, visits]. Updates `last` with the days' visits. */
  private async firstVisits(q: Q, at: number, end: number, last: Map<number, number>, complete: boolean): Promise<[number, number, number][]> {
    const visits = await q.all<{ member_id: unknown; created_at: unknown }>(
      'SELECT member_id, created_at FROM purchase WHERE amount_fen > 0 AND created_at >= ? AND created_at < ? ORDER BY created_at, id',
      [q.ts(new Date(at)), q.ts(new Date(end))],
    );
    if (!complete) {
      const unknown = [...new Set(visits.map((v) => toInt(v.member_id)))].filter((m) => !last.has(m));
      for (let i = 0; i < unknown.length; i += BATCH) {
        const ids = unknown.slice(i, i + BATCH);
        for (const r of await q.all<{ member_id: unknown; at: unknown }>(
          `SELECT member_id, MAX(created_at) AS at FROM purchase WHERE amount_fen > 0 AND created_at < ? AND member_id IN (${marks(ids.length)}) GROUP BY member_id`,
          [q.ts(new Date(at)), ...ids],
        )) {
          last.set(toInt(r.member_id), shanghaiDay(toDate(r.at)));
        }
      }
    }
    const counts = new Map<string, number>();
    for (const v of visits) {
      const member = toInt(v.member_id);
      const day = shanghaiDay(toDate(v.created_at));
      const prev = last.get(member) ?? 0; // 0: no earlier visit (day numbers of real dates are far above 0)
      if (prev === day) continue; // not the member's first visit of the day
      const key = `${day}:${prev}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      last.set(member, day);
    }
    return [...counts].map(([k, n]) => {
      const [day, prev] = k.split(':').map(Number);
      return [day as number, prev as number, n];
    });
  }

  /**
   * The members with a visit (a purchase with a positive amount) anywhere in the chain in [from, to), exact: the
   * summary's whole days inside the range and before the watermark, plus the live visitors of the partial days at
   * the edges and of the days after the watermark who did not visit in those whole days.
   */
  async visitors(from: Date, to: Date): Promise<number> {
    const q = this.db.q;
    const w = await this.watermark(q);
    const a = shanghaiCeil(from.getTime());
    const b = Math.min(shanghaiFloor(to.getTime()), w?.getTime() ?? -Infinity);
    if (w === null || a >= b) return this.live(q, from, to);
    const [mid, left, right] = await Promise.all([
      q.get<{ n: unknown }>('SELECT COALESCE(SUM(visits), 0) AS n FROM analytics_visit_day WHERE day >= ? AND day < ? AND prev_day < ?', [shanghaiDay(a), shanghaiDay(b), shanghaiDay(a)]),
      // Visitors of the partial first day who do not visit in [a, to); of the days after b who did not visit in [a, b).
      this.onlyIn(q, from, new Date(a), new Date(a), to),
      this.onlyIn(q, new Date(b), to, new Date(a), new Date(b)),
    ]);
    return toInt(mid?.n) + left + right;
  }

  /** Members with a visit in [from, to), by the raw rows. */
  private async live(q: Q, from: Date, to: Date): Promise<number> {
    const r = await q.get<{ n: unknown }>('SELECT COUNT(DISTINCT member_id) AS n FROM purchase WHERE amount_fen > 0 AND created_at >= ? AND created_at < ?', [q.ts(from), q.ts(to)]);
    return toInt(r?.n);
  }

  /** Members with a visit in [from, to) and none in [notFrom, notTo), by the raw rows. */
  private async onlyIn(q: Q, from: Date, to: Date, notFrom: Date, notTo: Date): Promise<number> {
    if (to.getTime() <= from.getTime()) return 0;
    const r = await q.get<{ n: unknown }>(
      `SELECT COUNT(DISTINCT p.member_id) AS n FROM purchase p WHERE p.amount_fen > 0 AND p.created_at >= ? AND p.created_at < ?
         AND NOT EXISTS (SELECT 1 FROM purchase o WHERE o.member_id = p.member_id AND o.amount_fen > 0 AND o.created_at >= ? AND o.created_at < ?)`,
      [q.ts(from), q.ts(to), q.ts(notFrom), q.ts(notTo)],
    );
    return toInt(r?.n);
  }
}
