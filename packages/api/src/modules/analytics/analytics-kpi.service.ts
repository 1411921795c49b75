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
import { POINTS_SUMS, type AnalyticsSummary } from './analytics-summary';
import { checkRange, daysBefore, inScope, previousRange, resolveScope, ts, type MemberJoin, type Range, type Scope } from './analytics-scope';
import { withScopeMembers, type LifecycleSummary } from './lifecycle-summary';
import type { StoreDaySummary, StoreTotals } from './store-day-summary';
import type { VisitSummary } from './visit-summary';

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
    private readonly summaries: { visits: VisitSummary; stores: StoreDaySummary; lifecycle: LifecycleSummary },
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
    const both = (members: MemberJoin) => Promise.all([this.period(scope, range, activeDays, value, members), this.period(scope, previousRange(range), activeDays, value, members)]);
    // In a region or a store the member-attributed figures read the scope's members from the lifecycle summary's
    // stores (corrected for the members changed since its watermark) when it can answer (lifecycle-summary.ts).
    const [current, previous] = await withScopeMembers(this.summaries.lifecycle, scope, both);
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

  /** `scopeMembers`: the scope's members as a join (unused at HQ). */
  private async period(scope: Scope, r: Range, activeDays: number, pointValueFenPer100: number, scopeMembers: MemberJoin): Promise<KpiValues> {
    const q = this.db.q;
    const one = async (sql: string, params: unknown[]): Promise<Record<string, unknown>> => (await q.get<Record<string, unknown>>(sql, params)) ?? {};
    // At HQ the additive figures (new members, visits, spend, points, liability) come from the per-day summary plus
    // the live rows after its watermark (analytics-summary.ts). In a region or a store, the figures of the rows that
    // carry a store come from the per-store-day summary the same way (store-day-summary.ts), and the rows without a
    // store count through the member's store (`scopeMembers`).
    const hq = scope.storeIds === null;
    const totalsP = hq ? this.summary.hqTotals(r.from, r.to) : null;
    // The figures of the rows themselves: at HQ all of them, in a scope those that carry one of its stores.
    const rowsP: Promise<StoreTotals> = totalsP ?? this.summaries.stores.totals(scope.storeIds as number[], r.from, r.to);

    // Members who joined in the period (and those who came through a referral), by the member's store.
    const jm = scopeMembers('m.id');
    const joinedP = totalsP ? totalsP.then((t) => ({ n: t.newMembers, referred: t.referrals })) : one(
      `SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN u.registration_source = 'REFERRAL' THEN 1 ELSE 0 END), 0) AS referred
       FROM member m JOIN app_user u ON u.id = m.user_id ${jm.join}
       WHERE m.created_at >= ? AND m.created_at < ?`,
      [...jm.params, ...ts(q, r.from, r.to)],
    );

    // Visits (purchases with a positive amount), visitors and net spend (refunds are negative rows) at the scope's stores.
    const ps = inScope(scope, 'p.store_id');
    // Distinct members, in one pass over the positive purchases of [from − activeDays, to) at the scope's stores:
    // visitors of the period; active = a visit in the active window before its end (A); churn base = a visit in the
    // active window before its start (B); churned = in B, not in A.
    const aFrom = daysBefore(r.to, activeDays);
    const bFrom = daysBefore(r.from, activeDays);
    const lo = aFrom < bFrom ? aFrom : bFrom;
    const membersP = hq && aFrom.getTime() <= r.from.getTime()
      ? this.hqMembers(this.summaries.visits, r, aFrom, bFrom)
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
    const salesP = rowsP.then((t) => ({ visits: t.visits, spend: t.spendFen }));

    // Points moved in the period: issued net of purchase clawbacks, redeemed net of refunds, expired.
    // Scoped: the entries at the scope's stores, plus those without a store whose member is the scope's (attribution).
    const em = scopeMembers('e.member_id');
    const pointsP = hq
      ? rowsP.then((t) => ({ issued: t.pointsIssued, redeemed: t.pointsRedeemed, expired: t.pointsExpired }))
      : Promise.all([
          rowsP,
          one(`SELECT ${POINTS_SUMS} FROM points_entry e ${em.join} WHERE e.created_at >= ? AND e.created_at < ? AND e.store_id IS NULL`, [...em.params, ...ts(q, r.from, r.to)]),
        ]).then(([t, e]) => ({ issued: t.pointsIssued + toInt(e.issued), redeemed: t.pointsRedeemed + toInt(e.redeemed), expired: t.pointsExpired + toInt(e.expired) }));
    // Outstanding points at the end of the period: the ledger balance of the scope's members. In a scope, their
    // accounts' balances (each the sum of the member's entries, kept in the entry's transaction) less the entries made
    // since `to`: one statement, so both sums come from one snapshot; a member's few recent entries instead of all.
    const la = scopeMembers('a.id');
    const lm = scopeMembers('e.member_id');
    const liabilityP = hq
      ? this.summary.hqPointsBefore(r.to).then((points) => ({ points }))
      : one(
          `SELECT (SELECT COALESCE(SUM(a.balance), 0) FROM member_account a ${la.join}) - (SELECT COALESCE(SUM(e.delta), 0) FROM points_entry e ${lm.join} WHERE e.created_at >= ?) AS points`,
          [...la.params, ...lm.params, ...ts(q, r.to)],
        );

    // Redemptions placed in the period, failed ones excluded: own rewards (no partner) vs partners'; in a scope, those
    // at its stores and those without a store whose member is the scope's. Counted per reward first, by
    // reward_redemption_report_idx (created_at, reward_id, status), then split by the reward's partner.
    const xs = inScope(scope, 'x.store_id');
    const xm = scopeMembers('x.member_id');
    const placed = 'x.status <> \'FAILED\' AND x.created_at >= ? AND x.created_at < ?';
    const redemptionsP = one(
      `SELECT COALESCE(SUM(CASE WHEN r.partner_id IS NULL THEN g.n ELSE 0 END), 0) AS own, COALESCE(SUM(CASE WHEN r.partner_id IS NULL THEN 0 ELSE g.n END), 0) AS partner
       FROM (${
         hq
           ? `SELECT x.reward_id, COUNT(*) AS n FROM reward_redemption x WHERE ${placed} GROUP BY x.reward_id`
           : `SELECT x.reward_id, COUNT(*) AS n FROM reward_redemption x WHERE ${placed} AND ${xs.sql} GROUP BY x.reward_id
              UNION ALL
              SELECT x.reward_id, COUNT(*) AS n FROM reward_redemption x ${xm.join} WHERE ${placed} AND x.store_id IS NULL GROUP BY x.reward_id`
       }) g JOIN reward r ON r.id = g.reward_id`,
      hq ? ts(q, r.from, r.to) : [...ts(q, r.from, r.to), ...xs.params, ...xm.params, ...ts(q, r.from, r.to)],
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
