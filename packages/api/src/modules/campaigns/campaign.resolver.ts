/** Targeted campaigns (F9): segment preview, campaigns, sending progress, the report, the sender job. */
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { SegmentCondition, SegmentConditionInput as SharedConditionInput } from '@quanzi/shared';
import { clock } from '../../clock';
import { authorize } from '../../auth/authz';
import type { RequestContext } from '../../context';
import { parseId } from '../members/member.resolver';
import type { AgeBandGql, GenderGql } from '../members/member-profile.types';
import type { LifecycleStageGql } from '../analytics/analytics.types';
import { campaignReport } from './campaign-report';
import type { CampaignInput, CampaignRow } from './campaign.service';
import {
  CampaignJobsRunType,
  CampaignOfferKindGql,
  CampaignProgressType,
  CampaignReportType,
  CampaignStatusGql,
  CreateCampaignInput,
  SegmentConditionInput,
  SegmentPreviewType,
  TargetedCampaignPage,
  TargetedCampaignType,
  UpdateCampaignInput,
  type SegmentConditionType,
  type SegmentFieldGql,
} from './campaign.types';
import { REPLICA_LAG_DOC } from '../../db/read-routing';
import type { Services } from '../../services';

const optId = (v: string | null | undefined, field: string): number | null => (v == null ? null : parseId(v, field));

function toConditionInputs(list: SegmentConditionInput[], field = 'conditions'): SharedConditionInput[] {
  return list.map((c, i) => ({
    ...c,
    tierIds: c.tierIds == null ? null : c.tierIds.map((t) => parseId(t, `${field}[${i}].tierIds`)),
    storeId: c.storeId == null ? null : parseId(c.storeId, `${field}[${i}].storeId`),
  }));
}

function toConditionType(c: SegmentCondition): SegmentConditionType {
  const r = c as unknown as Record<string, unknown>;
  const get = <T>(k: string): T | null => (r[k] === undefined ? null : (r[k] as T));
  return {
    field: c.field as SegmentFieldGql,
    genders: get<GenderGql[]>('genders'),
    ageBands: get<AgeBandGql[]>('ageBands'),
    tierIds: get<number[]>('tierIds')?.map(String) ?? null,
    stages: get<LifecycleStageGql[]>('stages'),
    days: get<number>('days'),
    minFen: get<number>('minFen'),
    maxFen: get<number>('maxFen'),
    categories: get<string[]>('categories'),
    after: get<string>('after') === null ? null : new Date(String(r.after)),
    before: get<string>('before') === null ? null : new Date(String(r.before)),
    storeId: get<number>('storeId') === null ? null : String(r.storeId),
    minKm: get<number>('minKm'),
    maxKm: get<number>('maxKm'),
  };
}

export function toCampaignType(c: CampaignRow): TargetedCampaignType {
  return {
    id: String(c.id),
    name: c.name,
    scopeRegionId: c.scopeRegionId === null ? null : String(c.scopeRegionId),
    scopeStoreId: c.scopeStoreId === null ? null : String(c.scopeStoreId),
    conditions: c.segment.map(toConditionType),
    offerKind: c.offerKind as CampaignOfferKindGql,
    couponTemplateId: c.couponTemplateId === null ? null : String(c.couponTemplateId),
    multiplierPct: c.multiplierPct,
    multiplierDays: c.multiplierDays,
    message: c.message,
    sms: c.sms,
    startsAt: c.startsAt,
    responseDays: c.responseDays,
    holdoutPct: c.holdoutPct,
    status: c.status as CampaignStatusGql,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    row: c,
  };
}

function toInput(i: CreateCampaignInput | UpdateCampaignInput): CampaignInput {
  const out: CampaignInput = {};
  if (i.name != null) out.name = i.name;
  if (i.conditions != null) out.conditions = toConditionInputs(i.conditions);
  if (i.couponTemplateId != null) out.couponTemplateId = parseId(i.couponTemplateId, 'couponTemplateId');
  if (i.multiplierPct != null) out.multiplierPct = i.multiplierPct;
  if (i.multiplierDays != null) out.multiplierDays = i.multiplierDays;
  if (i.message !== undefined) out.message = i.message;
  if (i.sms != null) out.sms = i.sms;
  if (i.startsAt != null) out.startsAt = i.startsAt;
  if (i.responseDays != null) out.responseDays = i.responseDays;
  if (i.holdoutPct != null) out.holdoutPct = i.holdoutPct;
  return out;
}

@Resolver(() => TargetedCampaignType)
export class CampaignResolver {
  constructor(private readonly services: Services) {}

  @Query(() => SegmentPreviewType, { description: 'Managers of the scope (a store, a region, or HQ when both are omitted): how many members match a segment now, and a masked sample; nothing is stored' })
  async previewSegment(
    @Ctx() ctx: RequestContext,
    @Arg('conditions', () => [SegmentConditionInput]) conditions: SegmentConditionInput[],
    @Arg('regionId', () => ID, { nullable: true }) regionId: string | null,
    @Arg('storeId', () => ID, { nullable: true }) storeId: string | null,
  ): Promise<SegmentPreviewType> {
    const r = await this.services.campaigns.preview(ctx, { regionId: optId(regionId, 'regionId'), storeId: optId(storeId, 'storeId') }, toConditionInputs(conditions));
    return { count: r.count, sample: r.sample.map((s) => ({ memberNo: s.memberNo, gender: s.gender as GenderGql | null, ageBand: s.ageBand as AgeBandGql | null })) };
  }

  @Query(() => TargetedCampaignPage, { description: 'Managers: the campaigns of their scope, newest first (`after`: the last id seen)' })
  async campaigns(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => ID, { nullable: true }) after: string | null,
  ): Promise<TargetedCampaignPage> {
    const r = await this.services.campaigns.list(ctx, first, optId(after, 'after'));
    const last = r.items[r.items.length - 1];
    return { items: r.items.map(toCampaignType), pageInfo: { hasNextPage: r.hasNextPage, endCursor: last ? String(last.id) : null } };
  }

  @Query(() => TargetedCampaignType, { description: "Managers of the campaign's scope: one campaign" })
  async campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<TargetedCampaignType> {
    return toCampaignType((await this.services.campaigns.managed(ctx, parseId(id, 'id'))).c);
  }

  @FieldResolver(() => CampaignProgressType, { description: 'Sending progress: materialised, sent, failed' })
  async progress(@Root() t: TargetedCampaignType, @Ctx() ctx: RequestContext): Promise<CampaignProgressType> {
    return { ...(await this.services.campaigns.progress(t.row.id)), complete: t.row.materialisedAt !== null };
  }

  @Query(() => CampaignReportType, { description: `Managers of the campaign's scope: treated vs holdout over the response window, with the uplift and its 95 % interval. ${REPLICA_LAG_DOC}` })
  async campaignReport(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<CampaignReportType> {
    const { c } = await this.services.campaigns.managed(ctx, parseId(id, 'id'));
    return campaignReport(this.services.reports, c, clock.now());
  }

  @Mutation(() => TargetedCampaignType, { description: 'Managers of the scope: a new DRAFT campaign (an empty segment or a bad condition is BAD_USER_INPUT)' })
  async createCampaign(@Arg('input') input: CreateCampaignInput, @Ctx() ctx: RequestContext): Promise<TargetedCampaignType> {
    const scope = { regionId: optId(input.scopeRegionId, 'scopeRegionId'), storeId: optId(input.scopeStoreId, 'scopeStoreId') };
    return toCampaignType(await this.services.campaigns.create(ctx, scope, toInput(input)));
  }

  @Mutation(() => TargetedCampaignType, { description: "Managers of the campaign's scope: edit a DRAFT (CONFLICT once scheduled)" })
  async updateCampaign(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateCampaignInput, @Ctx() ctx: RequestContext): Promise<TargetedCampaignType> {
    return toCampaignType(await this.services.campaigns.update(ctx, parseId(id, 'id'), toInput(input)));
  }

  @Mutation(() => TargetedCampaignType, { description: "Managers of the campaign's scope: DRAFT → SCHEDULED; it starts at startsAt" })
  async scheduleCampaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<TargetedCampaignType> {
    return toCampaignType(await this.services.campaigns.schedule(ctx, parseId(id, 'id')));
  }

  @Mutation(() => TargetedCampaignType, { description: "Managers of the campaign's scope: stop a campaign that has not finished (offers given stay given)" })
  async cancelCampaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<TargetedCampaignType> {
    return toCampaignType(await this.services.campaigns.cancel(ctx, parseId(id, 'id')));
  }

  @Mutation(() => CampaignJobsRunType, { description: 'HQ manager: run the campaign sender now (start due campaigns, materialise segments, send up to CAMPAIGN_SEND_PER_RUN offers); also run by the scheduler' })
  async runCampaignJobs(@Ctx() ctx: RequestContext): Promise<CampaignJobsRunType> {
    await authorize(ctx, 'campaign.jobs');
    return this.services.campaignSender.run();
  }
}
