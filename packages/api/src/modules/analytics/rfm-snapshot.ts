/**
 * RFM (seed 003) and its daily snapshots at HQ (issue #15 item 7).
 *
 * RFM scores are ranks among every scored member (rfm.ts in @quanzi/shared), so no per-day sum gives them: a range
 * needs each member's last visit, visits and spend over it, then the quintiles over all of them — at HQ on the chain
 * data set ~700,000 members and 16–18 s. The managers' RFM card offers fixed windows instead (RFM_WINDOW_DAYS: the
 * last 30, 90 or 365 whole Asia/Shanghai days, up to the last midnight), and the leased `analytics-summary` job
 * writes HQ's report for each window once a day, as soon as the day has settled (SETTLE_MS after midnight), into
 * `analytics_rfm_snapshot`. A request for exactly such a range at HQ reads the snapshot; any other range, and every
 * region and store (their members are a fraction of the chain's: ~150 ms for a store), is computed live.
 *
 * Exact: a snapshot covers whole days that ended SETTLE_MS or more before it was computed, and purchases are never
 * changed nor written with an older time (refunds are new rows), so the live computation of the same range gives the
 * same report at any later time (a test compares them). Written by an INSERT that ignores a duplicate key: two
 * processes write one row. Snapshots a week older than the newest are deleted.
 */
import { rfmGrid, RFM_WINDOW_DAYS, scoreRfm, shanghaiFloor, topSpendShare, type RfmCell } from '@quanzi/shared';
import { clock } from '../../clock';
import { toDate, toInt, type Db, type Q } from '../../db/sql';
import { ts, type Range, type Scope } from './analytics-scope';
import { SETTLE_MS } from './day-summary';
import { withScopeMembers, type LifecycleSummary } from './lifecycle-summary';

const DAY_MS = 86_400_000;
/** Snapshots kept behind the newest (older ones are deleted by the job). */
const KEEP_MS = 7 * DAY_MS;

export interface RfmFigures {
  /** Members with at least one visit in the range (the ones scored). */
  scoredMembers: number;
  spendFen: number;
  cells: RfmCell[];
  /** Share of the spend from the top 20 % of scored members by spend (null without positive spend). */
  topSpendShare: number | null;
  /** SNAPSHOT: HQ's daily snapshot of a fixed window; LIVE: computed for this request. */
  source: 'SNAPSHOT' | 'LIVE';
}

/**
 * RFM over [from, to), live: every scope member with a visit in the range is scored 1–5 on recency (last visit),
 * frequency (visits) and monetary (net spend) by quintile among them; the 5 × 5 R × F grid of counts and spend; and
 * the share of spend from the top 20 % of them. The scope's members come from the lifecycle summary's stores when it
 * can answer (lifecycle-summary.ts).
 */
export async function rfmLive(q: Q, lifecycle: LifecycleSummary | null, scope: Scope, range: Range): Promise<RfmFigures> {
  const rows = await withScopeMembers(lifecycle, scope, (members) => {
    const mem = members('p.member_id');
    return q.all<Record<string, unknown>>(
      `SELECT p.member_id, MAX(CASE WHEN p.amount_fen > 0 THEN p.created_at END) AS last_at,
         SUM(CASE WHEN p.amount_fen > 0 THEN 1 ELSE 0 END) AS visits, SUM(p.amount_fen) AS spend
       FROM purchase p ${mem.join}
       WHERE p.created_at >= ? AND p.created_at < ?
       GROUP BY p.member_id HAVING SUM(CASE WHEN p.amount_fen > 0 THEN 1 ELSE 0 END) > 0`,
      [...mem.params, ...ts(q, range.from, range.to)],
    );
  });
  const scores = scoreRfm(rows.map((r) => ({ memberId: toInt(r.member_id), lastPurchaseAt: toDate(r.last_at), frequency: toInt(r.visits), monetaryFen: toInt(r.spend) })));
  return {
    scoredMembers: scores.length,
    spendFen: scores.reduce((s, x) => s + x.monetaryFen, 0),
    cells: rfmGrid(scores),
    topSpendShare: topSpendShare(scores.map((s) => s.monetaryFen)),
    source: 'LIVE',
  };
}

const HQ: Scope = { target: { kind: 'HQ' }, storeIds: null };

export class RfmSnapshots {
  constructor(private readonly db: Db) {}

  /**
   * The job's run: HQ's report for each window ending at the last settled Shanghai midnight, unless already written;
   * then the snapshots older than a week before it go. Returns how many were written and their end.
   */
  async refresh(now = clock.now()): Promise<{ written: number; until: Date }> {
    const until = shanghaiFloor(now.getTime() - SETTLE_MS);
    const q = this.db.q;
    let written = 0;
    for (const days of RFM_WINDOW_DAYS) {
      const range = { from: new Date(until - days * DAY_MS), to: new Date(until) };
      if (await this.find(range)) continue;
      const f = await rfmLive(q, null, HQ, range);
      const r = await q.run(
        `INSERT${q.dialect === 'sqlite' ? '' : ' IGNORE'} INTO analytics_rfm_snapshot (from_at, to_at, scored_members, spend_fen, top_spend_share, cells, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)${q.dialect === 'sqlite' ? ' ON CONFLICT DO NOTHING' : ''}`,
        [...ts(q, range.from, range.to), f.scoredMembers, f.spendFen, f.topSpendShare, JSON.stringify(f.cells.map((c) => [c.members, c.spendFen])), q.ts(clock.now())],
      );
      written += r.affectedRows === 1 ? 1 : 0;
    }
    await q.run('DELETE FROM analytics_rfm_snapshot WHERE to_at < ?', [q.ts(new Date(until - KEEP_MS))]);
    return { written, until: new Date(until) };
  }

  /** HQ's snapshot of exactly [from, to), or null. */
  async find(range: Range): Promise<RfmFigures | null> {
    const q = this.db.q;
    const r = await q.get<Record<string, unknown>>('SELECT scored_members, spend_fen, top_spend_share, cells FROM analytics_rfm_snapshot WHERE from_at = ? AND to_at = ?', ts(q, range.from, range.to));
    if (!r) return null;
    const counts = JSON.parse(String(r.cells)) as [number, number][];
    const cells = rfmGrid([]).map((c, i) => ({ ...c, members: counts[i]?.[0] ?? 0, spendFen: counts[i]?.[1] ?? 0 }));
    return { scoredMembers: toInt(r.scored_members), spendFen: toInt(r.spend_fen), cells, topSpendShare: r.top_spend_share == null ? null : Number(r.top_spend_share), source: 'SNAPSHOT' };
  }
}
