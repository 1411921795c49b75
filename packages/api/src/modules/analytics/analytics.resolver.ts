import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { parseId } from '../members/member.resolver';
import type { AgeBandGql } from '../members/member-profile.types';
import type { Scope } from './analytics-scope';
import { AnalyticsSettingsInput, AnalyticsSettingsType } from './analytics-settings.types';
import type { KpiValues } from './analytics-kpi.service';
import {
  AnalyticsKpisType,
  AnalyticsScopeType,
  CustomerInventoryType,
  DecliningMemberPage,
  GenderBucketGql,
  LifecycleStageGql,
  RfmReportType,
  RfmSourceGql,
  ScopeKindGql,
  TradeAreaRadarType,
  type CompassSectorGql,
  type DeclineReasonGql,
  type DistanceRingGql,
  type KpiValuesType,
} from './analytics.types';
import { REPLICA_LAG_DOC } from '../../db/read-routing';
import type { Services } from '../../services';

const toScopeType = (s: Scope): AnalyticsScopeType => ({
  kind: s.target.kind as ScopeKindGql,
  regionId: s.target.kind === 'HQ' ? null : String(s.target.regionId),
  storeId: s.target.kind === 'STORE' ? String(s.target.storeId) : null,
});

const toKpiValues = (v: KpiValues): KpiValuesType => ({ ...v });

const optId = (v: string | null | undefined, field: string): number | null => (v == null ? null : parseId(v, field));

const SCOPE_DOC = 'a store, a region, or HQ when both are omitted (not both)';

@Resolver()
export class AnalyticsResolver {
  constructor(private readonly services: Services) {}

  @Query(() => AnalyticsKpisType, { description: `Managers in scope (${SCOPE_DOC}): live KPIs for [from, to) and the period before it; range at most 3 years. ${REPLICA_LAG_DOC}` })
  async analyticsKpis(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => DateTimeISOResolver) from: Date,
    @Arg('to', () => DateTimeISOResolver, { description: 'exclusive' }) to: Date,
    @Arg('regionId', () => ID, { nullable: true }) regionId: string | null,
    @Arg('storeId', () => ID, { nullable: true }) storeId: string | null,
    @Arg('activeDays', () => Int, { nullable: true, description: 'Active-member window in days, 7–365 (default: analyticsSettings.activeDays, 90)' }) activeDays: number | null,
  ): Promise<AnalyticsKpisType> {
    const r = await this.services.analyticsKpis.kpis(ctx, { from, to, regionId: optId(regionId, 'regionId'), storeId: optId(storeId, 'storeId'), activeDays });
    return { scope: toScopeType(r.scope), activeDays: r.activeDays, pointValueFenPer100: r.pointValueFenPer100, current: toKpiValues(r.current), previous: toKpiValues(r.previous) };
  }

  @Query(() => CustomerInventoryType, { description: `Managers in scope (${SCOPE_DOC}): members per lifecycle stage at the end of each week of [from, to), and the trend. ${REPLICA_LAG_DOC}` })
  async customerInventory(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => DateTimeISOResolver) from: Date,
    @Arg('to', () => DateTimeISOResolver) to: Date,
    @Arg('regionId', () => ID, { nullable: true }) regionId: string | null,
    @Arg('storeId', () => ID, { nullable: true }) storeId: string | null,
  ): Promise<CustomerInventoryType> {
    const r = await this.services.analyticsMembers.inventory(ctx, { from, to, regionId: optId(regionId, 'regionId'), storeId: optId(storeId, 'storeId') });
    return {
      scope: toScopeType(r.scope),
      weeks: r.weeks.map((w) => ({ at: w.at, counts: Object.entries(w.counts).map(([stage, members]) => ({ stage: stage as LifecycleStageGql, members })) })),
      trend: r.trend.map((t) => ({ ...t, stage: t.stage as LifecycleStageGql })),
    };
  }

  @Query(() => DecliningMemberPage, { description: `Managers in scope (${SCOPE_DOC}): members flagged DECLINING now, with the reason, for retention (by member id; no phone, no location). ${REPLICA_LAG_DOC}` })
  async decliningMembers(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('regionId', () => ID, { nullable: true }) regionId: string | null,
    @Arg('storeId', () => ID, { nullable: true }) storeId: string | null,
  ): Promise<DecliningMemberPage> {
    const r = await this.services.analyticsMembers.declining(ctx, { first, after, regionId: optId(regionId, 'regionId'), storeId: optId(storeId, 'storeId') });
    return {
      items: r.items.map((m) => ({ ...m, memberId: String(m.memberId), reasons: m.reasons as DeclineReasonGql[] })),
      pageInfo: { hasNextPage: r.hasNextPage, endCursor: r.endCursor },
      total: r.total,
    };
  }

  @Query(() => RfmReportType, {
    description: `Managers in scope (${SCOPE_DOC}): RFM quintiles over [from, to), the 5 × 5 R × F grid and the top-20 % spend share. At HQ, a range of the last 30, 90 or 365 whole Beijing days (ending at the last midnight) is read from the job's daily snapshot (source SNAPSHOT, fast); other ranges and every region and store are computed live. ${REPLICA_LAG_DOC}`,
  })
  async rfmReport(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => DateTimeISOResolver) from: Date,
    @Arg('to', () => DateTimeISOResolver) to: Date,
    @Arg('regionId', () => ID, { nullable: true }) regionId: string | null,
    @Arg('storeId', () => ID, { nullable: true }) storeId: string | null,
  ): Promise<RfmReportType> {
    const r = await this.services.analyticsMembers.rfm(ctx, { from, to, regionId: optId(regionId, 'regionId'), storeId: optId(storeId, 'storeId') });
    return { ...r, scope: toScopeType(r.scope), source: r.source as RfmSourceGql };
  }

  @Query(() => TradeAreaRadarType, { description: `Managers of the store, its region or HQ: the store's trade-area radar over [from, to). ${REPLICA_LAG_DOC}` })
  async tradeAreaRadar(
    @Ctx() ctx: RequestContext,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('from', () => DateTimeISOResolver) from: Date,
    @Arg('to', () => DateTimeISOResolver) to: Date,
  ): Promise<TradeAreaRadarType> {
    const r = await this.services.analyticsRadar.radar(ctx, { storeId: parseId(storeId, 'storeId'), from, to });
    return {
      storeId: String(r.storeId),
      from: r.from,
      to: r.to,
      located: r.located,
      unlocated: r.unlocated,
      sectors: r.sectors.map((s) => ({
        ...s,
        ring: s.ring as DistanceRingGql,
        direction: s.direction as CompassSectorGql,
        byGender: s.byGender.map((g) => ({ ...g, gender: g.gender as GenderBucketGql })),
        byAgeBand: s.byAgeBand.map((a) => ({ ...a, ageBand: a.ageBand === 'UNKNOWN' ? null : (a.ageBand as AgeBandGql) })),
      })),
    };
  }

  @Query(() => AnalyticsSettingsType, { description: 'Managers: the analytics settings in force (active window, point value, lifecycle thresholds)' })
  async analyticsSettings(@Ctx() ctx: RequestContext): Promise<AnalyticsSettingsType> {
    return this.services.analyticsSettings.read(ctx);
  }

  @Mutation(() => AnalyticsSettingsType, { description: 'HQ managers: change analytics settings (omitted ones kept; incoherent thresholds are BAD_USER_INPUT); audited' })
  async updateAnalyticsSettings(@Arg('input') input: AnalyticsSettingsInput, @Ctx() ctx: RequestContext): Promise<AnalyticsSettingsType> {
    return this.services.analyticsSettings.update(ctx, { activeDays: input.activeDays, pointValueFenPer100: input.pointValueFenPer100, lifecycle: input.lifecycle ? { ...input.lifecycle } : undefined });
  }
}
