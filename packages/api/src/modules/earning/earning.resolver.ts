import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { parseId } from '../members/member.resolver';
import type { EarningRuleRow } from './earning.service';
import { effectiveRuleIds } from '@quanzi/shared';
import { clock } from '../../clock';
import type { Services } from '../../services';

export enum EarningRuleKindGql { BASE_RATE = 'BASE_RATE', CATEGORY = 'CATEGORY', CAMPAIGN = 'CAMPAIGN' }
export enum RuleScopeGql { HQ = 'HQ', REGION = 'REGION', STORE = 'STORE' }
export enum RoundingGql { FLOOR = 'FLOOR', ROUND = 'ROUND', CEIL = 'CEIL' }
registerEnumType(EarningRuleKindGql, { name: 'EarningRuleKind' });
registerEnumType(RuleScopeGql, { name: 'RuleScope' });
registerEnumType(RoundingGql, { name: 'Rounding' });

@ObjectType()
export class BaseRate {
  @Field(() => ID) id!: string;
  @Field(() => RuleScopeGql) scope!: RuleScopeGql;
  @Field(() => ID, { nullable: true }) scopeId!: string | null;
  @Field(() => String, { nullable: true, description: 'Name of the region/store, for the explanation' }) scopeName?: string | null;
  @Field(() => Int, { description: 'Fen of spend per point (¥10 = 1 point → 1000)' }) fenPerPoint!: number;
  @Field({ description: 'This is the base rate purchases at the store earn by (the most specific one: store > region > HQ)' }) appliesHere!: boolean;
}
@ObjectType()
export class CategoryRate {
  @Field(() => ID) id!: string;
  @Field() category!: string;
  @Field(() => Int) multiplierPct!: number;
  @Field(() => RuleScopeGql) scope!: RuleScopeGql;
  @Field(() => ID, { nullable: true }) scopeId!: string | null;
  @Field(() => String, { nullable: true }) scopeName?: string | null;
  @Field({ description: 'The multiplier this category gets at the store (the most specific one for the category)' }) appliesHere!: boolean;
}
@ObjectType()
export class Campaign {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Int) multiplierPct!: number;
  @Field(() => DateTimeISOResolver) startsAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'exclusive' }) endsAt!: Date;
  @Field(() => RuleScopeGql) scope!: RuleScopeGql;
  @Field(() => ID, { nullable: true }) scopeId!: string | null;
  @Field(() => [String], { nullable: true, description: 'null = every category' }) categories!: string[] | null;
  @Field({ description: 'Running now at the store (the best running campaign applies per line; campaigns do not stack)' }) appliesHere!: boolean;
}

@ObjectType({ description: "The rule engine's input for a store: the mini-program previews points with @quanzi/shared's computeEarning" })
export class EarningRuleSetView {
  @Field(() => [BaseRate]) baseRates!: BaseRate[];
  @Field(() => [CategoryRate]) categories!: CategoryRate[];
  @Field(() => [Campaign]) campaigns!: Campaign[];
  @Field(() => Int, { nullable: true }) capPerPurchase!: number | null;
  @Field(() => RoundingGql) rounding!: RoundingGql;
  @Field(() => ID) storeId!: string;
  @Field(() => ID) regionId!: string;
}

@ObjectType('EarningRule')
export class EarningRuleType {
  @Field(() => ID) id!: string;
  @Field(() => EarningRuleKindGql) kind!: EarningRuleKindGql;
  @Field() name!: string;
  @Field(() => RuleScopeGql) scope!: RuleScopeGql;
  @Field(() => ID, { nullable: true }) scopeId!: string | null;
  @Field(() => Int, { nullable: true }) fenPerPoint!: number | null;
  @Field(() => Int, { nullable: true }) multiplierPct!: number | null;
  @Field(() => String, { nullable: true }) category!: string | null;
  @Field(() => [String], { nullable: true }) categories!: string[] | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) startsAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) endsAt!: Date | null;
  @Field() active!: boolean;
  @Field(() => ID, { nullable: true, description: 'The version this one replaced (an edit retires the old version and inserts a new one)' }) replacesId!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When this version was retired (edited or retired); retired rules never apply again' }) retiredAt!: Date | null;
}

@ObjectType()
export class ProgramSettingsType {
  @Field(() => RoundingGql) rounding!: RoundingGql;
  @Field(() => Int, { nullable: true }) capPerPurchase!: number | null;
  @Field(() => Int) pointsValidityMonths!: number;
  @Field(() => Int) tierPeriodMonths!: number;
  @Field(() => Int, { description: 'Points credited once at a member\'s first sign-in (0 = none)' }) signupBonusPoints!: number;
  @Field(() => Int, { description: 'Points credited in a member\'s birthday month (Asia/Shanghai), at most once in any 12 months (0 = none)' }) birthdayBonusPoints!: number;
  @Field(() => Int, { description: 'Points credited once ever when gender, birthday and home store are all set (0 = none)' }) profileBonusPoints!: number;
  @Field(() => ID, { nullable: true, description: 'The coupon template given in the birthday month, once per birthday month (null = none)' }) birthdayCouponTemplateId!: number | null;
  @Field(() => [TierUpgradeCouponType], { description: 'The coupon given on rising into a tier, once per (member, tier) ever' }) tierUpgradeCoupons!: TierUpgradeCouponType[];
}

@ObjectType('TierUpgradeCoupon', { description: 'A tier and the coupon template given to a member rising into it' })
export class TierUpgradeCouponType {
  @Field(() => ID) tierId!: number;
  @Field(() => ID) templateId!: number;
}

@InputType()
export class TierUpgradeCouponInput {
  @Field(() => ID, { description: 'A tier above the entry tier' }) tierId!: string;
  @Field(() => ID, { description: 'An HQ coupon template, switched on' }) templateId!: string;
}

@InputType()
export class CreateEarningRuleInput {
  @Field(() => EarningRuleKindGql) kind!: EarningRuleKindGql;
  @Field() @Length(1, 64) name!: string;
  @Field(() => RuleScopeGql) scope!: RuleScopeGql;
  @Field(() => ID, { nullable: true }) scopeId?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000) fenPerPoint?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(10_000) multiplierPct?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 32) category?: string | null;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(50) categories?: string[] | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) startsAt?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) endsAt?: Date | null;
}

@InputType({ description: 'What an edit may change; omitted fields keep their value. Kind and scope stay (create a new rule elsewhere).' })
export class UpdateEarningRuleInput {
  @Field({ nullable: true }) @IsOptional() @Length(1, 64) name?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000) fenPerPoint?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(10_000) multiplierPct?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 32) category?: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(50) categories?: string[] | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) startsAt?: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) endsAt?: Date;
}

@InputType()
export class ProgramSettingsInput {
  @Field(() => RoundingGql, { nullable: true }) @IsOptional() @IsIn(['FLOOR', 'ROUND', 'CEIL']) rounding?: RoundingGql;
  @Field(() => Int, { nullable: true }) @IsOptional() capPerPurchase?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() pointsValidityMonths?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() tierPeriodMonths?: number;
  @Field(() => Int, { nullable: true, description: 'Points credited once at first sign-in, 0–100000 (0 = none)' }) @IsOptional() signupBonusPoints?: number;
  @Field(() => Int, { nullable: true, description: 'Birthday-month bonus, 0–100000 (0 = none)' }) @IsOptional() birthdayBonusPoints?: number;
  @Field(() => Int, { nullable: true, description: 'Profile-completion bonus, 0–100000 (0 = none)' }) @IsOptional() profileBonusPoints?: number;
  @Field(() => ID, { nullable: true, description: 'Birthday-month coupon: an HQ coupon template, switched on (null clears it)' }) @IsOptional() birthdayCouponTemplateId?: string | null;
  @Field(() => [TierUpgradeCouponInput], { nullable: true, description: 'Tier-upgrade coupons, at most one per tier (the list replaces the old one; [] clears)' }) @IsOptional() tierUpgradeCoupons?: TierUpgradeCouponInput[];
}

const toRuleType = (r: EarningRuleRow): EarningRuleType => ({
  ...r,
  id: String(r.id),
  kind: r.kind as EarningRuleKindGql,
  scope: r.scope as RuleScopeGql,
  scopeId: r.scopeId === null ? null : String(r.scopeId),
  replacesId: r.replacesId === null ? null : String(r.replacesId),
});

@Resolver()
export class EarningResolver {
  constructor(private readonly services: Services) {}

  @Query(() => EarningRuleSetView, { description: 'The active rules that apply at a store (for the till preview)' })
  async earningRules(@Arg('storeId', () => ID) storeId: string, @Ctx() ctx: RequestContext): Promise<EarningRuleSetView> {
    const store = await this.services.org.store(parseId(storeId, 'storeId'));
    const set = await this.services.earning.ruleSet();
    const applies = (r: { scope: string; scopeId: string | null }): boolean =>
      r.scope === 'HQ' || (r.scope === 'REGION' && r.scopeId === String(store.regionId)) || (r.scope === 'STORE' && r.scopeId === String(store.id));
    const effective = effectiveRuleIds(set, { storeId: String(store.id), regionId: String(store.regionId) }, clock.now());
    return {
      baseRates: set.baseRates.filter(applies).map((r) => ({ ...r, scope: r.scope as RuleScopeGql, appliesHere: effective.has(r.id) })),
      categories: set.categories.filter(applies).map((r) => ({ ...r, scope: r.scope as RuleScopeGql, appliesHere: effective.has(r.id) })),
      campaigns: set.campaigns.filter((r) => r.audience == null && applies(r)).map((r) => ({ ...r, scope: r.scope as RuleScopeGql, appliesHere: effective.has(r.id) })),
      capPerPurchase: set.capPerPurchase,
      rounding: set.rounding as RoundingGql,
      storeId: String(store.id),
      regionId: String(store.regionId),
    };
  }

  @Query(() => [EarningRuleType], {
    description: "Managers: the earning rules, active or not, whose scope meets theirs (HQ rules, their region's, their stores'); never another region's or store's",
  })
  async earningRuleDefinitions(@Ctx() ctx: RequestContext): Promise<EarningRuleType[]> {
    return (await this.services.earning.listFor(ctx)).map(toRuleType);
  }

  @Query(() => ProgramSettingsType)
  async programSettings(@Ctx() ctx: RequestContext): Promise<ProgramSettingsType> {
    return (await this.services.earning.settings()) as ProgramSettingsType;
  }

  @Mutation(() => EarningRuleType, { description: 'Managers: add a rule within their scope (RULE_CONFLICT when an active base rate, or multiplier for the category, already holds that scope)' })
  async createEarningRule(@Arg('input') input: CreateEarningRuleInput, @Ctx() ctx: RequestContext): Promise<EarningRuleType> {
    return toRuleType(
      await this.services.earning.create(ctx, { ...input, scopeId: input.scopeId == null ? null : parseId(input.scopeId, 'scopeId') }),
    );
  }

  @Mutation(() => EarningRuleType, {
    description: 'Managers in scope: edit a rule. The current version is retired and a new version (replacesId) inserted; the next purchase earns by it',
  })
  async updateEarningRule(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateEarningRuleInput, @Ctx() ctx: RequestContext): Promise<EarningRuleType> {
    return toRuleType(await this.services.earning.update(ctx, parseId(id, 'id'), input));
  }

  @Mutation(() => EarningRuleType, { description: 'Managers in scope: retire a rule for good (kept as history; it never applies again)' })
  async retireEarningRule(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<EarningRuleType> {
    return toRuleType(await this.services.earning.retire(ctx, parseId(id, 'id')));
  }

  @Mutation(() => EarningRuleType, { description: 'Managers: switch a rule on or off' })
  async setEarningRuleActive(@Arg('id', () => ID) id: string, @Arg('active') active: boolean, @Ctx() ctx: RequestContext): Promise<EarningRuleType> {
    return toRuleType(await this.services.earning.setActive(ctx, parseId(id, 'id'), active));
  }

  @Mutation(() => ProgramSettingsType, { description: 'HQ manager: rounding, cap per purchase, points validity, tier period, sign-up/birthday-month/profile-completion bonuses' })
  async updateProgramSettings(@Arg('input') input: ProgramSettingsInput, @Ctx() ctx: RequestContext): Promise<ProgramSettingsType> {
    return (await this.services.earning.updateSettings(ctx, input as never)) as ProgramSettingsType;
  }
}
