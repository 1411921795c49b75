/**
 * Live KPIs (F10, seed 000: "not once a year"): one period and the one before it, in a scope. Every figure is
 * plain SQL over the business tables (purchase, points_entry, reward_redemption, event_attendance, member), one
 * aggregate query per table and period, each served by a (store, time) or (time) index. At HQ the additive figures
 * read the per-day summary plus the live rows after its watermark (analytics-summary.ts, issue #15 item 7); the two
 * periods and their queries run at once. Definitions: the README's "Analytics" section and
 * the GraphQL descriptions in analytics.types.ts.
 */
import { ownRedemptionRatio, rate } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { toInt, type Db } from '../../db/sql';
import { badInput } from '../../errors';
import type { OrgService } from '../org/org.service';
import type { AnalyticsSettingsService } from './analytics-settings.service';
import type { AnalyticsSummary } from './analytics-summary';
import type { VisitSummary } from './visit-summary';
import { activitiesInScope, checkRange, daysBefore, inScope, membersInScope, previousRange, resolveScope, scopeMembersJoin, ts, type Range, type Scope } from './analytics-scope';

export interface KpiValues {
  from: Date;
  to: Date;
  newMembers: number;
  referrals: number;
  activeMembers: number;
  churnBase: number;
  churned: number;
  churnRate: number | null;
  visits: number;
  visitors: number;
  spendFen: number;
  avgSpendPerVisitFen: number | null;
  visitFrequency: number | null;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  redemptionRate: number | null;
  liabilityPoints: number;
  liabilityFen: number;
  ownRedemptions: number;
  partnerRedemptions: number;
  ownRedemptionRatio: number | null;
  clubAttendees: number;
  clubParticipationRate: number | null;
}

export interface KpiReport {
  scope: Scope;
  activeDays: number;
  pointValueFenPer100: number;
  current: KpiValues;
  previous: KpiValues;
}

export interface KpiArgs {
  regionId?: number | null;
  storeId?: number | null;
  from: Date;
  to: Date;
  activeDays?: number | null;
}

export class AnalyticsKpiService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly settings: AnalyticsSettingsService,
    private readonly summary: AnalyticsSummary,
    private readonly visits?: VisitSummary,
  ) {}

  /** KPIs for [from, to) and the period of the same length before it, in the scope the manager names. */
  async kpis(ctx: RequestContext, args: KpiArgs): Promise<KpiReport> {
    const range = checkRange(args.from, args.to);
    const settings = await this.settings.get();
    const activeDays = args.activeDays ?? settings.activeDays;
    if (!Number.isInteger(activeDays) || activeDays < 7 || activeDays > 365) throw badInput('activeDays must be 7–365', 'activeDays');
    const scope = await resolveScope(ctx, this.org, args);
    const value = settings.pointValueFenPer100;
    // The two periods, and each period's queries, run at once on the pool: the answer waits for the slowest, not the sum.
    const [current, previous] = await Promise.all([this.period(scope, range, activeDays, value), this.period(scope, previousRange(range), activeDays, value)]);
    return { scope, activeDays, pointValueFenPer100: value, current, previous };
  }

  /**
   * The distinct-member figures at HQ from the visit summary (visit-summary.ts) when the active window before the
   * period's end reaches back to its start (any period up to `activeDays` long): visitors of the period, active (A: a
   * visit in [to − activeDays, to)), churn base (B: in [from − activeDays, from)); A and B then cover
   * [from − activeDays, to) together, so the churned, in B and not in A, are |A ∪ B| − |A|.
   */
  private async hqMembers(visits: VisitSummary, r: Range, aFrom: Date, bFrom: Date): Promise<Record<string, unknown>> {
    const [visitors, active, base, union] = await Promise.all([visits.visitors(r.from, r.to), visits.visitors(aFrom, r.to), visits.visitors(bFrom, r.from), visits.visitors(bFrom, r.to)]);
    return { visitors, active, base, churned: union - active };
  }

  private async period(scope: Scope, r: Range, activeDays: number, pointValueFenPer100: number): Promise<KpiValues> {
    const q = this.db.q;
    const one = async (sql: string, params: unknown[]): Promise<Record<string, unknown>> => (await q.get<Record<string, unknown>>(sql, params)) ?? {};
    // At HQ the additive figures (new members, visits, spend, points, liability) come from the per-day summary plus
    // the live rows after its watermark (analytics-summary.ts); scoped queries read the live rows by store.
    const hq = scope.storeIds === null;
    const totalsP = hq ? this.summary.hqTotals(r.from, r.to) : null;

    // Members who joined in the period (and those who came through a referral), by the member's store.
    const mem = membersInScope(scope, 'm.id');
    const joinedP = totalsP ? totalsP.then((t) => ({ n: t.newMembers, referred: t.referrals })) : one(
      `SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN u.registration_source = 'REFERRAL' THEN 1 ELSE 0 END), 0) AS referred
       FROM member m JOIN app_user u ON u.id = m.user_id ${mem.join}
       WHERE m.created_at >= ? AND m.created_at < ? AND ${mem.sql}`,
      [...ts(q, r.from, r.to), ...mem.params],
    );

    // Visits (purchases with a positive amount), visitors and net spend (refunds are negative rows) at the scope's stores.
    const ps = inScope(scope, 'p.store_id');
    // Distinct members, in one pass over the positive purchases of [from − activeDays, to) at the scope's stores:
    // visitors of the period; active = a visit in the active window before its end (A); churn base = a visit in the
    // active window before its start (B); churned = in B, not in A.
    const aFrom = daysBefore(r.to, activeDays);
    const bFrom = daysBefore(r.from, activeDays);
    const lo = aFrom < bFrom ? aFrom : bFrom;
    const membersP = hq && this.visits && aFrom.getTime() <= r.from.getTime()
      ? this.hqMembers(this.visits, r, aFrom, bFrom)
      : one(
          `SELECT COALESCE(SUM(x.v), 0) AS visitors, COALESCE(SUM(x.a), 0) AS active, COALESCE(SUM(x.b), 0) AS base, COALESCE(SUM(CASE WHEN x.b = 1 AND x.a = 0 THEN 1 ELSE 0 END), 0) AS churned
           FROM (SELECT p.member_id,
                   MAX(CASE WHEN p.created_at >= ? THEN 1 ELSE 0 END) AS v,
                   MAX(CASE WHEN p.created_at >= ? THEN 1 ELSE 0 END) AS a,
                   MAX(CASE WHEN p.created_at >= ? AND p.created_at < ? THEN 1 ELSE 0 END) AS b
                 FROM purchase p WHERE p.amount_fen > 0 AND p.created_at >= ? AND p.created_at < ? AND ${ps.sql} GROUP BY p.member_id) x`,
          [...ts(q, r.from, aFrom, bFrom, r.from, lo, r.to), ...ps.params],
        );
    // Visits (purchases with a positive amount) and net spend (refunds are negative rows) at the scope's stores.
    const salesP = totalsP
      ? totalsP.then((t) => ({ visits: t.visits, spend: t.spendFen }))
      : one(
          `SELECT COALESCE(SUM(CASE WHEN p.amount_fen > 0 THEN 1 ELSE 0 END), 0) AS visits, COALESCE(SUM(p.amount_fen), 0) AS spend
           FROM purchase p WHERE p.created_at >= ? AND p.created_at < ? AND ${ps.sql}`,
          [...ts(q, r.from, r.to), ...ps.params],
        );

    // Points moved in the period: issued net of purchase clawbacks, redeemed net of refunds, expired.
    // Scoped: the entries at the scope's stores, plus those without a store whose member is the scope's (attribution).
    const es = inScope(scope, 'e.store_id');
    const em = scopeMembersJoin(scope, 'e.member_id');
    const pointsP = totalsP ? totalsP.then((t) => ({ issued: t.pointsIssued, redeemed: t.pointsRedeemed, expired: t.pointsExpired })) : one(
      `SELECT
         COALESCE(SUM(CASE WHEN e.kind = 'EARN' THEN e.delta WHEN e.kind = 'REVERSAL' AND e.delta < 0 THEN e.delta ELSE 0 END), 0) AS issued,
         COALESCE(SUM(CASE WHEN e.kind = 'REDEEM' THEN -e.delta WHEN e.kind = 'REVERSAL' AND e.delta > 0 THEN -e.delta ELSE 0 END), 0) AS redeemed,
         COALESCE(SUM(CASE WHEN e.kind = 'EXPIRE' THEN -e.delta ELSE 0 END), 0) AS expired
       FROM (
         SELECT e.kind, e.delta FROM points_entry e WHERE e.created_at >= ? AND e.created_at < ? AND e.store_id IS NOT NULL AND ${es.sql}
         UNION ALL
         SELECT e.kind, e.delta FROM points_entry e ${em.join} WHERE e.created_at >= ? AND e.created_at < ? AND e.store_id IS NULL
       ) e`,
      [...ts(q, r.from, r.to), ...es.params, ...em.params, ...ts(q, r.from, r.to)],
    );
    // Outstanding points at the end of the period: the ledger balance of the scope's members.
    const lm = scopeMembersJoin(scope, 'e.member_id');
    const liabilityP = hq
      ? this.summary.hqPointsBefore(r.to).then((points) => ({ points }))
      : one(`SELECT COALESCE(SUM(e.delta), 0) AS points FROM points_entry e ${lm.join} WHERE e.created_at < ?`, [...lm.params, ...ts(q, r.to)]);

    // Redemptions placed in the period, failed ones excluded: own rewards (no partner) vs partners'.
    const xs = activitiesInScope(scope, 'x.store_id', 'x.member_id');
    const redemptionsP = one(
      `SELECT COALESCE(SUM(CASE WHEN r.partner_id IS NULL THEN 1 ELSE 0 END), 0) AS own, COALESCE(SUM(CASE WHEN r.partner_id IS NULL THEN 0 ELSE 1 END), 0) AS partner
       FROM reward_redemption x JOIN reward r ON r.id = x.reward_id ${xs.join}
       WHERE x.status <> 'FAILED' AND x.created_at >= ? AND x.created_at < ? AND ${xs.sql}`,
      [...ts(q, r.from, r.to), ...xs.params],
    );

    // Members checked in at a club event in the period, at the scope's stores (the event's store, else its club's).
    const cs = inScope(scope, 'COALESCE(ev.store_id, c.store_id)');
    const clubsP = one(
      `SELECT COUNT(DISTINCT a.member_id) AS n FROM event_attendance a JOIN club_event ev ON ev.id = a.event_id JOIN club c ON c.id = ev.club_id
       WHERE a.created_at >= ? AND a.created_at < ? AND ${cs.sql}`,
      [...ts(q, r.from, r.to), ...cs.params],
    );

    const [joined, sales, members, points, liability, redemptions, clubs] = await Promise.all([joinedP, salesP, membersP, pointsP, liabilityP, redemptionsP, clubsP]);
    const visits = toInt(sales.visits);
    const visitors = toInt(members.visitors);
    const spendFen = toInt(sales.spend);
    const issued = toInt(points.issued);
    const redeemed = toInt(points.redeemed);
    const activeMembers = toInt(members.active);
    const churnBase = toInt(members.base);
    const churned = toInt(members.churned);
    const liabilityPoints = toInt(liability.points);
    const own = toInt(redemptions.own);
    const partner = toInt(redemptions.partner);
    const clubAttendees = toInt(clubs.n);
    return {
      from: r.from,
      to: r.to,
      newMembers: toInt(joined.n),
      referrals: toInt(joined.referred),
      activeMembers,
      churnBase,
      churned,
      churnRate: rate(churned, churnBase),
      visits,
      visitors,
      spendFen,
      avgSpendPerVisitFen: visits > 0 ? Math.round(spendFen / visits) : null,
      visitFrequency: visitors > 0 ? Math.round((visits / visitors) * 100) / 100 : null,
      pointsIssued: issued,
      pointsRedeemed: redeemed,
      pointsExpired: toInt(points.expired),
      redemptionRate: issued > 0 ? rate(redeemed, issued) : null,
      liabilityPoints,
      liabilityFen: Math.round((liabilityPoints * pointValueFenPer100) / 100),
      ownRedemptions: own,
      partnerRedemptions: partner,
      ownRedemptionRatio: ownRedemptionRatio(own, partner),
      clubAttendees,
      clubParticipationRate: rate(clubAttendees, activeMembers),
    };
  }
}
