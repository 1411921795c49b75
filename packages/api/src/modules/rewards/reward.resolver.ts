import { clock } from '../../clock';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RewardKind } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { badInput } from '../../errors';
import { parseId } from '../members/member.resolver';
import { TierType } from '../members/member.types';
import { toTierType } from '../tiers/tier.resolver';
import type { RewardInput } from './reward.service';
import { CreateRewardInput, RedeemRewardInput, RewardPartnerInput, TillRedeemRewardInput, TillRewardOtpInput, UpdateRewardInput } from './reward.inputs';
import {
  PartnerType,
  RedemptionResultType,
  RedemptionType,
  RewardJobsRunType,
  RewardKindGql,
  RewardOtpType,
  RewardReportType,
  RewardType,
  TillRedemptionResultType,
  toRedemptionType,
  toRewardType,
  toVoucherType,
  VoucherType,
  VoucherUseResultType,
} from './reward.types';
import { REPLICA_LAG_DOC } from '../../db/read-routing';
import type { Services } from '../../services';

const REPORT_WINDOW_MS = 30 * 86_400_000;
const toPartner = (p: { id: number; code: string; name: string }): PartnerType => ({ id: String(p.id), code: p.code, name: p.name });

/** Input ids → numbers, leaving absent fields absent (a patch changes only what it names). */
function toRewardInput(i: UpdateRewardInput): Partial<RewardInput> {
  const out: Record<string, unknown> = { ...i };
  if (i.partnerId !== undefined) out.partnerId = i.partnerId === null ? null : parseId(i.partnerId, 'partnerId');
  if (i.storeIds !== undefined) out.storeIds = i.storeIds === null ? null : i.storeIds.map((s) => parseId(s, 'storeIds'));
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as Partial<RewardInput>;
}

@Resolver(() => RewardType)
export class RewardResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [RewardType], { description: 'The catalogue members browse (active, in their window), optionally one kind; what the signed-in member can afford first' })
  async rewards(
    @Ctx() ctx: RequestContext,
    @Arg('kind', () => RewardKindGql, { nullable: true }) kind: RewardKindGql | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
  ): Promise<RewardType[]> {
    const list = await this.services.rewards.browse(ctx, (kind ?? null) as RewardKind | null, first);
    return list.map((l) => toRewardType(l.row, l.affordable, this.services.config.rewards.otpThresholdPoints));
  }

  @Query(() => RewardType, { description: 'One reward (switched-off ones for managers only)' })
  async reward(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<RewardType> {
    const r = await this.services.rewards.get(ctx, parseId(id, 'id'));
    const [l] = await this.services.rewards.affordability(ctx, [r]);
    return toRewardType(r, l?.affordable ?? false, this.services.config.rewards.otpThresholdPoints);
  }

  @Query(() => [RewardType], { description: 'HQ managers: every reward, switched-off and past ones included, newest first' })
  async rewardCatalogue(@Ctx() ctx: RequestContext, @Arg('kind', () => RewardKindGql, { nullable: true }) kind: RewardKindGql | null): Promise<RewardType[]> {
    const rows = await this.services.rewards.catalogue(ctx, (kind ?? null) as RewardKind | null);
    return rows.map((r) => toRewardType(r, false, this.services.config.rewards.otpThresholdPoints));
  }

  @Query(() => [PartnerType], { description: 'The partners that supply rewards' })
  async rewardPartners(@Ctx() ctx: RequestContext): Promise<PartnerType[]> {
    return (await this.services.rewards.partners()).map(toPartner);
  }

  @Mutation(() => PartnerType, { description: 'HQ managers: add a partner (联盟商家)' })
  async createRewardPartner(@Arg('input') input: RewardPartnerInput, @Ctx() ctx: RequestContext): Promise<PartnerType> {
    return toPartner(await this.services.rewards.createPartner(ctx, input));
  }

  @Mutation(() => RewardType, { description: 'HQ managers: add a reward to the catalogue' })
  async createReward(@Arg('input') input: CreateRewardInput, @Ctx() ctx: RequestContext): Promise<RewardType> {
    const r = await this.services.rewards.create(ctx, { ...toRewardInput(input), kind: input.kind as RewardKind, name: input.name, pointsPrice: input.pointsPrice, stock: input.stock });
    return toRewardType(r, false, this.services.config.rewards.otpThresholdPoints);
  }

  @Mutation(() => RewardType, { description: 'HQ managers: edit a reward (not its kind or stock: adjustRewardStock)' })
  async updateReward(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateRewardInput, @Ctx() ctx: RequestContext): Promise<RewardType> {
    const r = await this.services.rewards.update(ctx, parseId(id, 'id'), toRewardInput(input));
    return toRewardType(r, false, this.services.config.rewards.otpThresholdPoints);
  }

  @Mutation(() => RewardType, { description: 'HQ managers: add (or remove, negative) stock atomically' })
  async adjustRewardStock(@Arg('id', () => ID) id: string, @Arg('delta', () => Int) delta: number, @Ctx() ctx: RequestContext): Promise<RewardType> {
    const r = await this.services.rewards.adjustStock(ctx, parseId(id, 'id'), delta);
    return toRewardType(r, false, this.services.config.rewards.otpThresholdPoints);
  }

  @FieldResolver(() => TierType, { nullable: true, description: 'The lowest tier that may redeem it' })
  async minTier(@Root() r: RewardType, @Ctx() ctx: RequestContext): Promise<TierType | null> {
    return r.row.minTierId === null ? null : toTierType(await this.services.tiers.byId(r.row.minTierId));
  }

  @FieldResolver(() => PartnerType, { nullable: true, description: 'The supplier (null = an own reward)' })
  async partner(@Root() r: RewardType, @Ctx() ctx: RequestContext): Promise<PartnerType | null> {
    return r.row.partnerId === null ? null : toPartner(await this.services.rewards.partner(r.row.partnerId));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'HQ managers: what one unit costs the business (fen); null for others' })
  async costFen(@Root() r: RewardType, @Ctx() ctx: RequestContext): Promise<number | null> {
    return (await this.services.rewards.mayManage(ctx)) ? r.row.costFen : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'HQ managers: the provider adapter; null for others' })
  async provider(@Root() r: RewardType, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await this.services.rewards.mayManage(ctx)) ? r.row.provider : null;
  }
}

@Resolver(() => RedemptionType)
export class RedemptionResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => RewardOtpType, { description: 'Member: send the one-time code for a high-value reward (and target) to the bound phone; valid 5 minutes' })
  async requestRewardOtp(
    @Arg('rewardId', () => ID) rewardId: string,
    @Arg('target', () => String, { nullable: true }) target: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<RewardOtpType> {
    return this.services.redemptions.requestOtp(ctx, parseId(rewardId, 'rewardId'), target ?? null);
  }

  @Mutation(() => RedemptionResultType, { description: 'Member: swap points for a reward, once per idempotency key' })
  async redeemReward(@Arg('input') input: RedeemRewardInput, @Ctx() ctx: RequestContext): Promise<RedemptionResultType> {
    const { redemption, replayed } = await this.services.redemptions.redeem(ctx, { ...input, rewardId: parseId(input.rewardId, 'rewardId') });
    const home = await this.services.members.home(ctx.requireUser());
    return { redemption: toRedemptionType(redemption), replayed, balance: home.balance };
  }

  @Mutation(() => RewardOtpType, { description: "Staff of the store: send the one-time code for a high-value reward to the scanned member's bound phone (the member reads it out)" })
  async requestTillRewardOtp(@Arg('input') input: TillRewardOtpInput, @Ctx() ctx: RequestContext): Promise<RewardOtpType> {
    return this.services.tillRedemptions.requestOtp(ctx, { ...input, storeId: parseId(input.storeId, 'storeId'), rewardId: parseId(input.rewardId, 'rewardId') });
  }

  @Mutation(() => TillRedemptionResultType, { description: 'Staff of the store: redeem a reward for the scanned member (the mall’s rules), once per idempotency key' })
  async redeemRewardAtTill(@Arg('input') input: TillRedeemRewardInput, @Ctx() ctx: RequestContext): Promise<TillRedemptionResultType> {
    const r = await this.services.tillRedemptions.redeem(ctx, { ...input, storeId: parseId(input.storeId, 'storeId'), rewardId: parseId(input.rewardId, 'rewardId') });
    return { ...r, redemption: toRedemptionType(r.redemption) };
  }

  @Query(() => [RedemptionType], { description: "Member: the signed-in member's redemptions, newest first" })
  async myRedemptions(@Ctx() ctx: RequestContext, @Arg('first', () => Int, { defaultValue: 20 }) first: number): Promise<RedemptionType[]> {
    return (await this.services.redemptions.mine(ctx, first)).map(toRedemptionType);
  }

  @Query(() => RedemptionType, { description: 'One redemption: its member, or HQ managers (poll it after redeeming)' })
  async redemption(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<RedemptionType> {
    return toRedemptionType(await this.services.redemptions.get(ctx, parseId(id, 'id')));
  }

  @Query(() => VoucherType, { description: "Staff of the store: a voucher the member shows (nothing changes)" })
  async voucher(@Arg('code') code: string, @Arg('storeId', () => ID) storeId: string, @Ctx() ctx: RequestContext): Promise<VoucherType> {
    const v = await this.services.redemptions.voucher(ctx, code, parseId(storeId, 'storeId'));
    return toVoucherType(v.redemption, v.reward, v.usableHere);
  }

  @Mutation(() => VoucherUseResultType, { description: "Staff of the store: mark a voucher used (once); with a coupon's spend, the discount" })
  async useVoucher(
    @Arg('code') code: string,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('spendFen', () => Int, { nullable: true }) spendFen: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<VoucherUseResultType> {
    const r = await this.services.redemptions.useVoucher(ctx, code, parseId(storeId, 'storeId'), spendFen ?? null);
    const reward = await this.services.rewards.row(r.redemption.rewardId);
    return { voucher: toVoucherType(r.redemption, reward, false), discountFen: r.discountFen };
  }

  @Mutation(() => RedemptionType, { description: 'HQ managers: try a stuck (or slow) partner order again now' })
  async retryRedemption(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<RedemptionType> {
    return toRedemptionType(await this.services.fulfilment.retry(ctx, parseId(id, 'id')));
  }

  @Mutation(() => RewardJobsRunType, { description: 'HQ managers: run due fulfilment jobs now (also every REWARD_JOBS_INTERVAL_SECONDS)' })
  async runRewardJobs(@Ctx() ctx: RequestContext): Promise<RewardJobsRunType> {
    return this.services.fulfilment.runJobsAs(ctx);
  }

  @Query(() => RewardReportType, { description: `HQ managers: redemptions per reward and partner, own vs partner, failure rate per provider (default: the last 30 days). ${REPLICA_LAG_DOC}` })
  async rewardReport(@Ctx() ctx: RequestContext, @Arg('since', () => DateTimeISOResolver, { nullable: true }) since: Date | null): Promise<RewardReportType> {
    if (since && Number.isNaN(since.getTime())) throw badInput('since must be a date-time', 'since');
    const r = await this.services.rewardReports.report(ctx, since ?? new Date(clock.ms() - REPORT_WINDOW_MS));
    return {
      ...r,
      rewards: r.rewards.map((x) => ({ ...x, rewardId: String(x.rewardId), kind: x.kind as RewardKindGql })),
      partners: r.partners.map((p) => ({ ...p, partnerId: p.partnerId === null ? null : String(p.partnerId) })),
    };
  }
}
