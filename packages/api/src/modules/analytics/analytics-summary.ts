/**
 * Per-day summary of the chain's additive KPI figures (issue #15 item 7: not scanning the ledger per request).
 *
 * Maintenance (stated per table, as the issue asks): `analytics_day` is written only by the leased
 * `analytics-summary` job, from a watermark — never in the till's or any business transaction. Each run
 * summarises the whole Asia/Shanghai days between the watermark and the last midnight at least SETTLE_MS ago
 * (rows are written with the API's clock inside short transactions, so nothing older can still commit), inserting
 * the days' rows and advancing the watermark in one transaction, conditional on the watermark it started from (a
 * second process changes nothing). Rows are append-only (refunds are negative purchase rows, reversals are ledger
 * entries), so a summarised day never changes.
 *
 * Reading: a figure over [from, to) = the summary's whole days inside [from, min(to, watermark)) + the live rows of
 * the partial days at the edges and after the watermark, so results are exact whenever the job last ran. The
 * summary is by day only, so it serves HQ; scoped queries (a region, a store) read the live rows through their
 * (store, time) indexes.
 */
import { SHANGHAI_OFFSET_MS, shanghaiCeil, shanghaiDate, shanghaiFloor } from '@quanzi/shared';
import { clock } from '../../clock';
import { toInt, type Db, type Q } from '../../db/sql';
import { addFigures, oldestCreatedAt, summariseDays, watermarkOf } from './day-summary';

const NAME = 'analytics_day';


export interface DayTotals {
  visits: number;
  spendFen: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  pointsNet: number;
  newMembers: number;
  referrals: number;
}

export const ZERO_TOTALS: DayTotals = { visits: 0, spendFen: 0, pointsIssued: 0, pointsRedeemed: 0, pointsExpired: 0, pointsNet: 0, newMembers: 0, referrals: 0 };

/** SQL for the Shanghai date of a DATETIME column, per dialect. */
export function dayExpr(q: Q, col: string): string {
  return q.dialect === 'sqlite' ? `date((${col} + ${SHANGHAI_OFFSET_MS}) / 1000, 'unixepoch')` : `DATE_FORMAT(${col} + INTERVAL 8 HOUR, '%Y-%m-%d')`;
}

export class AnalyticsSummary {
  constructor(private readonly db: Db) {}

  /** Every row created before this instant is in the summary (null: never run). */
  async watermark(q: Q = this.db.q): Promise<Date | null> {
    return watermarkOf(q, NAME);
  }

  /**
   * Summarises the settled days after the watermark (the job's run). The first run starts at the day of the oldest
   * purchase, ledger entry or member. Returns the days written and the new watermark.
   */
  async refresh(now: Date = clock.now()): Promise<{ days: number; until: Date | null }> {
    return summariseDays(
      this.db,
      NAME,
      now,
      (q) => oldestCreatedAt(q, ['purchase', 'points_entry', 'member']),
      async (q, at, end) => {
        for (const [day, t] of await this.totalsByDay(q, new Date(at), new Date(end))) {
          await q.run(
            'INSERT INTO analytics_day (day, visits, spend_fen, points_issued, points_redeemed, points_expired, points_net, new_members, referrals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [day, t.visits, t.spendFen, t.pointsIssued, t.pointsRedeemed, t.pointsExpired, t.pointsNet, t.newMembers, t.referrals],
          );
        }
      },
    );
  }

  /** The live figures per Shanghai day over [from, to) (from and to Shanghai midnights), from the business tables. */
  private async totalsByDay(q: Q, from: Date, to: Date): Promise<Map<string, DayTotals>> {
    const out = new Map<string, DayTotals>();
    const get = (day: unknown): DayTotals => {
      const k = String(day);
      let t = out.get(k);
      if (!t) out.set(k, (t = { ...ZERO_TOTALS }));
      return t;
    };
    const range = [q.ts(from), q.ts(to)];
    for (const r of await q.all<Record<string, unknown>>(
      `SELECT ${dayExpr(q, 'p.created_at')} AS d, SUM(CASE WHEN p.amount_fen > 0 THEN 1 ELSE 0 END) AS visits, SUM(p.amount_fen) AS spend
       FROM purchase p WHERE p.created_at >= ? AND p.created_at < ? GROUP BY d`,
      range,
    )) {
      const t = get(r.d);
      t.visits = toInt(r.visits);
      t.spendFen = toInt(r.spend);
    }
    for (const r of await q.all<Record<string, unknown>>(
      `SELECT ${dayExpr(q, 'e.created_at')} AS d, ${POINTS_SUMS} FROM points_entry e WHERE e.created_at >= ? AND e.created_at < ? GROUP BY d`,
      range,
    )) {
      const t = get(r.d);
      t.pointsIssued = toInt(r.issued);
      t.pointsRedeemed = toInt(r.redeemed);
      t.pointsExpired = toInt(r.expired);
      t.pointsNet = toInt(r.net);
    }
    for (const r of await q.all<Record<string, unknown>>(
      `SELECT ${dayExpr(q, 'm.created_at')} AS d, COUNT(*) AS n, SUM(CASE WHEN u.registration_source = 'REFERRAL' THEN 1 ELSE 0 END) AS referred
       FROM member m JOIN app_user u ON u.id = m.user_id WHERE m.created_at >= ? AND m.created_at < ? GROUP BY d`,
      range,
    )) {
      const t = get(r.d);
      t.newMembers = toInt(r.n);
      t.referrals = toInt(r.referred);
    }
    return out;
  }

  /**
   * HQ totals over [from, to), exact: the summary's whole days inside the range and before the watermark, plus the
   * live rows of the rest. `liabilityAt` (optional): also Σ of every entry before that instant.
   */
  async hqTotals(from: Date, to: Date): Promise<DayTotals> {
    const q = this.db.q;
    const w = await this.watermark(q);
    const a = shanghaiCeil(from.getTime());
    const b = Math.min(shanghaiFloor(to.getTime()), w?.getTime() ?? -Infinity);
    if (w === null || a >= b) return this.live(q, from, to);
    const [mid, left, right] = await Promise.all([this.summed(q, a, b), this.live(q, from, new Date(a)), this.live(q, new Date(b), to)]);
    return addFigures(mid, left, right);
  }

  /** Σ of every ledger entry created before `at` (the points outstanding then), exact. */
  async hqPointsBefore(at: Date): Promise<number> {
    const q = this.db.q;
    const w = await this.watermark(q);
    const b = Math.min(shanghaiFloor(at.getTime()), w?.getTime() ?? -Infinity);
    if (w === null || !Number.isFinite(b)) return toInt((await q.get<{ s: unknown }>('SELECT COALESCE(SUM(delta), 0) AS s FROM points_entry WHERE created_at < ?', [q.ts(at)]))?.s);
    const [summed, tail] = await Promise.all([
      q.get<{ s: unknown }>('SELECT COALESCE(SUM(points_net), 0) AS s FROM analytics_day WHERE day < ?', [shanghaiDate(b)]),
      q.get<{ s: unknown }>('SELECT COALESCE(SUM(delta), 0) AS s FROM points_entry WHERE created_at >= ? AND created_at < ?', [q.ts(new Date(b)), q.ts(at)]),
    ]);
    return toInt(summed?.s) + toInt(tail?.s);
  }

  private async summed(q: Q, a: number, b: number): Promise<DayTotals> {
    const r = await q.get<Record<string, unknown>>(
      `SELECT COALESCE(SUM(visits), 0) AS visits, COALESCE(SUM(spend_fen), 0) AS spend, COALESCE(SUM(points_issued), 0) AS issued, COALESCE(SUM(points_redeemed), 0) AS redeemed,
         COALESCE(SUM(points_expired), 0) AS expired, COALESCE(SUM(points_net), 0) AS net, COALESCE(SUM(new_members), 0) AS n, COALESCE(SUM(referrals), 0) AS referred
       FROM analytics_day WHERE day >= ? AND day < ?`,
      [shanghaiDate(a), shanghaiDate(b)],
    );
    return rowTotals(r ?? {});
  }

  /** The same figures from the business tables over [from, to). */
  async live(q: Q, from: Date, to: Date): Promise<DayTotals> {
    if (to.getTime() <= from.getTime()) return { ...ZERO_TOTALS };
    const range = [q.ts(from), q.ts(to)];
    const [p, e, m] = await Promise.all([
      q.get<Record<string, unknown>>('SELECT COALESCE(SUM(CASE WHEN amount_fen > 0 THEN 1 ELSE 0 END), 0) AS visits, COALESCE(SUM(amount_fen), 0) AS spend FROM purchase WHERE created_at >= ? AND created_at < ?', range),
      q.get<Record<string, unknown>>(`SELECT ${POINTS_SUMS} FROM points_entry e WHERE e.created_at >= ? AND e.created_at < ?`, range),
      q.get<Record<string, unknown>>(
        "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN u.registration_source = 'REFERRAL' THEN 1 ELSE 0 END), 0) AS referred FROM member m JOIN app_user u ON u.id = m.user_id WHERE m.created_at >= ? AND m.created_at < ?",
        range,
      ),
    ]);
    return rowTotals({ ...p, ...e, ...m });
  }
}

/** The KPI's points definitions (analytics-kpi.service.ts): issued net of purchase clawbacks, redeemed net of refunds, expired; and the net. */
export const POINTS_SUMS = `COALESCE(SUM(CASE WHEN e.kind = 'EARN' THEN e.delta WHEN e.kind = 'REVERSAL' AND e.delta < 0 THEN e.delta ELSE 0 END), 0) AS issued,
  COALESCE(SUM(CASE WHEN e.kind = 'REDEEM' THEN -e.delta WHEN e.kind = 'REVERSAL' AND e.delta > 0 THEN -e.delta ELSE 0 END), 0) AS redeemed,
  COALESCE(SUM(CASE WHEN e.kind = 'EXPIRE' THEN -e.delta ELSE 0 END), 0) AS expired, COALESCE(SUM(e.delta), 0) AS net`;

function rowTotals(r: Record<string, unknown>): DayTotals {
  return {
    visits: toInt(r.visits),
    spendFen: toInt(r.spend),
    pointsIssued: toInt(r.issued),
    pointsRedeemed: toInt(r.redeemed),
    pointsExpired: toInt(r.expired),
    pointsNet: toInt(r.net),
    newMembers: toInt(r.n),
    referrals: toInt(r.referred),
  };
}
