/**
 * What the per-day analytics summaries share (analytics_day, analytics_store_day, analytics_visit_day): a named
 * watermark in `analytics_watermark` (every row created before it is summarised) and the job's run, which summarises
 * the whole Asia/Shanghai days between the watermark and the last midnight at least SETTLE_MS ago (rows are written
 * with the API's clock inside short transactions, so nothing older can still commit). Each chunk of days is written
 * and the watermark moved in one transaction, conditional on the watermark it started from: a second process
 * changes nothing. The summarised rows are append-only (purchases, refunds and ledger entries never change), so a
 * summarised day never changes.
 */
import { shanghaiFloor } from '@quanzi/shared';
import { toDate, type Db, type Q } from '../../db/sql';

const DAY_MS = 86_400_000;
/** A day is summarised once its end is this far in the past. */
export const SETTLE_MS = 10 * 60_000;
/** Days summarised per transaction. */
const DAYS_PER_TX = 31;

/** The summary's watermark (null: never run). */
export async function watermarkOf(q: Q, name: string): Promise<Date | null> {
  const r = await q.get<{ until: unknown }>('SELECT until FROM analytics_watermark WHERE name = ?', [name]);
  return r ? toDate(r.until) : null;
}

/** The instant of the oldest row among `tables` (by `created_at`), for a first run's start; null when all are empty. */
export async function oldestCreatedAt(q: Q, tables: readonly string[]): Promise<number | null> {
  const r = await q.get<Record<string, unknown>>(`SELECT ${tables.map((t, i) => `(SELECT MIN(created_at) FROM ${t}) AS t${i}`).join(', ')}`);
  const firsts = tables.map((_, i) => r?.[`t${i}`]).filter((v) => v != null).map((v) => toDate(v).getTime());
  return firsts.length ? Math.min(...firsts) : null;
}

/**
 * The job's run for the summary `name`: `first` gives the instant of the oldest row to summarise (null: none) for the
 * first run; `write` writes the rows of the days [at, end) in the chunk's transaction — `fresh` when this run started
 * the summary (nothing before its first day exists). Returns the days summarised and the new watermark.
 */
export async function summariseDays(
  db: Db,
  name: string,
  now: Date,
  first: (q: Q) => Promise<number | null>,
  write: (q: Q, at: number, end: number, fresh: boolean) => Promise<void>,
): Promise<{ days: number; until: Date | null }> {
  const target = shanghaiFloor(now.getTime() - SETTLE_MS);
  let from = await watermarkOf(db.q, name);
  let fresh = false;
  if (from === null) {
    const q = db.q;
    const oldest = await first(q);
    const start = oldest === null ? target : shanghaiFloor(oldest);
    await q.run(`INSERT INTO analytics_watermark (name, until) VALUES (?, ?)${q.dialect === 'sqlite' ? ' ON CONFLICT DO NOTHING' : ' ON DUPLICATE KEY UPDATE name = name'}`, [name, q.ts(new Date(start))]);
    from = await watermarkOf(q, name);
    if (from === null) return { days: 0, until: null };
    fresh = from.getTime() === start;
  }
  let days = 0;
  let at = from.getTime();
  while (at < target) {
    const end = Math.min(target, at + DAYS_PER_TX * DAY_MS);
    const ok = await db.tx(async (q) => {
      const moved = await q.run('UPDATE analytics_watermark SET until = ? WHERE name = ? AND until = ?', [q.ts(new Date(end)), name, q.ts(new Date(at))]);
      if (moved.affectedRows !== 1) return false; // another process summarised these days
      await write(q, at, end, fresh);
      return true;
    });
    if (!ok) break;
    days += Math.round((end - at) / DAY_MS);
    at = end;
  }
  return { days, until: await watermarkOf(db.q, name) };
}

/** Field-by-field sum of figures with the same keys (a summary's whole days plus the live edges). */
export function addFigures<T extends Record<keyof T, number>>(...parts: T[]): T {
  const out = { ...parts[0] } as Record<keyof T, number>;
  for (const p of parts.slice(1)) for (const k of Object.keys(p) as (keyof T)[]) out[k] += p[k];
  return out as T;
}
