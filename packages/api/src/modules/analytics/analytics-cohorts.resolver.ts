import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { parseId } from '../members/member.resolver';
import type { ScopeKindGql } from './analytics.types';
import { CohortRetentionType } from './analytics-cohorts.types';
import type { Services } from '../../services';

@Resolver()
export class AnalyticsCohortResolver {
  constructor(private readonly services: Services) {}

  @Query(() => CohortRetentionType, {
    description: 'Managers in scope (a store, a region, or HQ when both are omitted; not both): monthly sign-up cohorts of [from, to) and their retention in months 0–11; range at most 3 years',
  })
  async cohortRetention(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => DateTimeISOResolver) from: Date,
    @Arg('to', () => DateTimeISOResolver, { description: 'exclusive' }) to: Date,
    @Arg('regionId', () => ID, { nullable: true }) regionId: string | null,
    @Arg('storeId', () => ID, { nullable: true }) storeId: string | null,
  ): Promise<CohortRetentionType> {
    const r = await this.services.analyticsCohorts.retention(ctx, {
      from,
      to,
      regionId: regionId == null ? null : parseId(regionId, 'regionId'),
      storeId: storeId == null ? null : parseId(storeId, 'storeId'),
    });
    const t = r.scope.target;
    return {
      scope: { kind: t.kind as ScopeKindGql, regionId: t.kind === 'HQ' ? null : String(t.regionId), storeId: t.kind === 'STORE' ? String(t.storeId) : null },
      from: r.from,
      to: r.to,
      cohorts: r.cohorts.map((c) => ({ ...c, cells: c.cells.map((x) => ({ ...x })) })),
    };
  }
}
