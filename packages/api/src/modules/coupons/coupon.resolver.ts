/** Coupons (F9): templates (managers of a scope), issuing to a list, buying with points and the wallet (members). */
import { clock } from '../../clock';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { CouponState } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { parseId } from '../members/member.resolver';
import type { TemplateInput } from './coupon-template.service';
import {
  BuyCouponInput,
  BuyCouponResultType,
  CouponStateGql,
  CouponTemplateType,
  CouponType,
  CreateCouponTemplateInput,
  IssueCouponsInput,
  IssueCouponsResultType,
  toCouponType,
  toTemplateType,
  UpdateCouponTemplateInput,
} from './coupon.types';
import type { Services } from '../../services';

/** Input ids → numbers, absent fields left absent (a patch changes only what it names). */
function toTemplateInput(i: UpdateCouponTemplateInput): Partial<TemplateInput> {
  const out: Record<string, unknown> = { ...i };
  if (i.storeIds !== undefined) out.storeIds = i.storeIds === null ? null : i.storeIds.map((s) => parseId(s, 'storeIds'));
  if (i.regionIds !== undefined) out.regionIds = i.regionIds === null ? null : i.regionIds.map((s) => parseId(s, 'regionIds'));
  delete out.scopeStoreId;
  delete out.scopeRegionId;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as Partial<TemplateInput>;
}

@Resolver(() => CouponType)
export class CouponResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [CouponTemplateType], { description: 'Managers: the coupon templates of their scope, newest first (at most 100)' })
  async couponTemplates(@Ctx() ctx: RequestContext, @Arg('activeOnly', () => Boolean, { defaultValue: false }) activeOnly: boolean): Promise<CouponTemplateType[]> {
    return (await this.services.couponTemplates.list(ctx, activeOnly)).map(toTemplateType);
  }

  @Query(() => CouponTemplateType, { description: "Managers of the template's scope: one template with its counts" })
  async couponTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<CouponTemplateType> {
    return toTemplateType((await this.services.couponTemplates.managed(ctx, parseId(id, 'id'))).t);
  }

  @Mutation(() => CouponTemplateType, { description: 'Managers: create a coupon template in their scope (HQ, a region, a store)' })
  async createCouponTemplate(@Arg('input') input: CreateCouponTemplateInput, @Ctx() ctx: RequestContext): Promise<CouponTemplateType> {
    const scope = {
      storeId: input.scopeStoreId == null ? null : parseId(input.scopeStoreId, 'scopeStoreId'),
      regionId: input.scopeRegionId == null ? null : parseId(input.scopeRegionId, 'scopeRegionId'),
    };
    const t = await this.services.couponTemplates.create(ctx, scope, { ...toTemplateInput(input), kind: input.kind, name: input.name, budget: input.budget } as TemplateInput);
    return toTemplateType(t);
  }

  @Mutation(() => CouponTemplateType, { description: "Managers of the template's scope: edit it (not its kind or scope)" })
  async updateCouponTemplate(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateCouponTemplateInput, @Ctx() ctx: RequestContext): Promise<CouponTemplateType> {
    return toTemplateType(await this.services.couponTemplates.update(ctx, parseId(id, 'id'), toTemplateInput(input)));
  }

  @Mutation(() => IssueCouponsResultType, { description: "Managers of the template's scope: one coupon to each listed member (1–200), all or none, once per idempotency key" })
  async issueCoupons(@Arg('input') input: IssueCouponsInput, @Ctx() ctx: RequestContext): Promise<IssueCouponsResultType> {
    return this.services.coupons.issue(ctx, {
      templateId: parseId(input.templateId, 'templateId'),
      memberIds: input.memberIds?.map((m) => parseId(m, 'memberIds')) ?? null,
      memberNos: input.memberNos ?? null,
      idempotencyKey: input.idempotencyKey,
    });
  }

  @Mutation(() => BuyCouponResultType, { description: 'Member: buy a coupon with points (points-to-voucher), once per idempotency key' })
  async buyCoupon(@Arg('input') input: BuyCouponInput, @Ctx() ctx: RequestContext): Promise<BuyCouponResultType> {
    const now = clock.now();
    const { coupon, replayed } = await this.services.coupons.buy(ctx, { templateId: parseId(input.templateId, 'templateId'), idempotencyKey: input.idempotencyKey, otp: input.otp ?? null }, now);
    const home = await this.services.members.home(ctx.requireUser());
    return { coupon: toCouponType(coupon, now), replayed, balance: home.balance };
  }

  @Query(() => [CouponType], { description: "Member: the coupon wallet (valid first, soonest to expire first; then upcoming, used and expired)" })
  async myCoupons(
    @Ctx() ctx: RequestContext,
    @Arg('state', () => CouponStateGql, { nullable: true }) state: CouponStateGql | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
  ): Promise<CouponType[]> {
    const now = clock.now();
    return (await this.services.coupons.wallet(ctx, (state ?? null) as CouponState | null, first, now)).map((c) => toCouponType(c, now));
  }
}
