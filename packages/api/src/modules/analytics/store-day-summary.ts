/**
 * Each store's additive KPI figures per Shanghai day (issue #15 item 7: a store's or a region's KPIs without reading
 * the store's ledger per request): visits and net spend of the purchases at the store, points issued / redeemed /
 * expired by the ledger entries made at the store.
 *
 * Maintenance (stated per table, as the issue asks): `analytics_store_day` is written only by the leased
 * `analytics-summary` job, from its own watermark (`store_day`), for whole settled days (day-summary.ts), never in a
 * business transaction. Purchases and ledger entries never change, so a summarised day never changes. Rows without
 * a store (expiry, in-app redemptions, bonuses) are not here: they count for the member's store, which can change,
 * so they are attributed at read time (analytics-kpi.service.ts).
 *
 * Reading: a figure over [from, to) for some stores = the summary's whole days inside [from, min(to, watermark)) + the
 * live rows of the partial days at the edges and after the watermark, so it is exact whenever the job last ran.
 */
import { shanghaiCeil, shanghaiDate, shanghaiFloor } from '@quanzi/shared';
import { clock } from '../../clock';
import { marks, toInt, type Db, type Q } from '../../db/sql';
import { dayExpr, POINTS_SUMS } from './analytics-summary';
import { addFigures, oldestCreatedAt, summariseDays, watermarkOf } from './day-summary';

const NAME = 'store_day';
/** Rows per multi-row insert. */
const BATCH = 500;

/** The figures of the rows that carry a store. */
export interface StoreTotals {
  visits: number;
  spendFen: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
}

const ZERO: StoreTotals = { visits: 0, spendFen: 0, pointsIssued: 0, pointsRedeemed: 0, pointsExpired: 0 };

export class StoreDaySummary {
  constructor(private readonly db: Db) {}

  /** Every row created before this instant is in the summary (null: never run). */
  async watermark(q: Q = this.db.q): Promise<Date | null> {
    return watermarkOf(q, NAME);
  }

  /** Summarises the settled days after the watermark (the job's run); the first run starts at the oldest purchase or entry. */
  async refresh(now: Date = clock.now()): Promise<{ days: number; until: Date | null }> {
    return summariseDays(
      this.db,
      NAME,
      now,
      (q) => oldestCreatedAt(q, ['purchase', 'points_entry']),
      async (q, at, end) => {
        const rows = await this.byStoreDay(q, new Date(at), new Date(end));
        for (let i = 0; i < rows.length; i += BATCH) {
          const chunk = rows.slice(i, i + BATCH);
          await q.run(
            `INSERT INTO analytics_store_day (store_id, day, visits, spend_fen, points_issued, points_redeemed, points_expired) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
            chunk.flatMap(([store, day, t]) => [store, day, t.visits, t.spendFen, t.pointsIssued, t.pointsRedeemed, t.pointsExpired]),
          );
        }
      },
    );
  }

  /** The live figures per store and Shanghai day over [from, to), from the business tables. */
  private async byStoreDay(q: Q, from: Date, to: Date): Promise<[number, string, StoreTotals][]> {
    const out = new Map<string, [number, string, StoreTotals]>();
    const get = (store: unknown, day: unknown): StoreTotals => {
      const k = `${toInt(store)}|${String(day)}`;
      let row = out.get(k);
      if (!row) out.set(k, (row = [toInt(store), String(day), { ...ZERO }]));
      return row[2];
    };
    const range = [q.ts(from), q.ts(to)];
    for (const r of await q.all<Record<string, unknown>>(
      `SELECT p.store_id AS s, ${dayExpr(q, 'p.created_at')} AS d, SUM(CASE WHEN p.amount_fen > 0 THEN 1 ELSE 0 END) AS visits, SUM(p.amount_fen) AS spend
       FROM purchase p WHERE p.created_at >= ? AND p.created_at < ? GROUP BY p.store_id, d`,
      range,
    )) {
      const t = get(r.s, r.d);
      t.visits = toInt(r.visits);
      t.spendFen = toInt(r.spend);
    }
    for (const r of await q.all<Record<string, unknown>>(
      `SELECT e.store_id AS s, ${dayExpr(q, 'e.created_at')} AS d, ${POINTS_SUMS} FROM points_entry e WHERE e.created_at >= ? AND e.created_at < ? AND e.store_id IS NOT NULL GROUP BY e.store_id, d`,
      range,
    )) {
      const t = get(r.s, r.d);
      t.pointsIssued = toInt(r.issued);
      t.pointsRedeemed = toInt(r.redeemed);
      t.pointsExpired = toInt(r.expired);
    }
    return [...out.values()];
  }

  /**
   * The figures of the rows at `storeIds` over [from, to), exact: the summary's whole days inside the range and before
   * the watermark, plus the live rows of the rest.
   */
  async totals(storeIds: number[], from: Date, to: Date): Promise<StoreTotals> {
    if (storeIds.length === 0) return { ...ZERO };
    const q = this.db.q;
    const w = await this.watermark(q);
    const a = shanghaiCeil(from.getTime());
    const b = Math.min(shanghaiFloor(to.getTime()), w?.getTime() ?? -Infinity);
    if (w === null || a >= b) return this.live(q, storeIds, from, to);
    const [mid, left, right] = await Promise.all([
      q.get<Record<string, unknown>>(
        `SELECT COALESCE(SUM(visits), 0) AS visits, COALESCE(SUM(spend_fen), 0) AS spend, COALESCE(SUM(points_issued), 0) AS issued,
           COALESCE(SUM(points_redeemed), 0) AS redeemed, COALESCE(SUM(points_expired), 0) AS expired
         FROM analytics_store_day WHERE store_id IN (${marks(storeIds.length)}) AND day >= ? AND day < ?`,
        [...storeIds, shanghaiDate(a), shanghaiDate(b)],
      ),
      this.live(q, storeIds, from, new Date(a)),
      this.live(q, storeIds, new Date(b), to),
    ]);
    return addFigures(rowTotals(mid ?? {}), left, right);
  }

  /** The same figures from the business tables over [from, to). */
  private async live(q: Q, storeIds: number[], from: Date, to: Date): Promise<StoreTotals> {
    if (to.getTime() <= from.getTime()) return { ...ZERO };
    const stores = marks(storeIds.length);
    const [p, e] = await Promise.all([
      q.get<Record<string, unknown>>(
        `SELECT COALESCE(SUM(CASE WHEN amount_fen > 0 THEN 1 ELSE 0 END), 0) AS visits, COALESCE(SUM(amount_fen), 0) AS spend FROM purchase WHERE store_id IN (${stores}) AND created_at >= ? AND created_at < ?`,
        [...storeIds, q.ts(from), q.ts(to)],
      ),
      q.get<Record<string, unknown>>(`SELECT ${POINTS_SUMS} FROM points_entry e WHERE e.created_at >= ? AND e.created_at < ? AND e.store_id IN (${stores})`, [q.ts(from), q.ts(to), ...storeIds]),
    ]);
    return rowTotals({ ...p, ...e });
  }
}

function rowTotals(r: Record<string, unknown>): StoreTotals {
  return { visits: toInt(r.visits), spendFen: toInt(r.spend), pointsIssued: toInt(r.issued), pointsRedeemed: toInt(r.redeemed), pointsExpired: toInt(r.expired) };
}
