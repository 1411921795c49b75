import { clock } from '../../clock';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';

export enum EarningRuleKind {
  BASE_RATE = 'BASE_RATE',
  CATEGORY = 'CATEGORY',
  CAMPAIGN = 'CAMPAIGN',
}
export enum RuleScope {
  HQ = 'HQ',
  REGION = 'REGION',
  STORE = 'STORE',
}

/** One earning rule (F4). The pure engine in @quanzi/shared interprets them. */
@Entity({ tableName: 'earning_rule' })
export class EarningRule {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Enum({ items: () => EarningRuleKind, type: 'string', length: 16 })
  kind!: EarningRuleKind;

  @Property({ type: 'string', length: 64 })
  name!: string;

  @Enum({ items: () => RuleScope, type: 'string', length: 8 })
  scope!: RuleScope;

  /** Region id for REGION, store id for STORE, null for HQ. */
  @Property({ type: 'integer', nullable: true })
  scopeId?: number | null;

  @Property({ type: 'integer', nullable: true })
  fenPerPoint?: number | null;

  @Property({ type: 'integer', nullable: true })
  multiplierPct?: number | null;

  @Property({ type: 'string', length: 32, nullable: true })
  category?: string | null;

  /** Campaign categories as a JSON array, null = all. */
  @Property({ type: 'json', nullable: true })
  categories?: string[] | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  startsAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  endsAt?: Date | null;

  @Property({ type: 'boolean' })
  active: boolean = true;

  /**
   * `kind:scope:scopeId:category` while an active BASE_RATE or CATEGORY rule holds the slot, else null. Unique, so
   * two active rules can never compete for one store/region/HQ (RULE_CONFLICT), even when created concurrently.
   */
  @Property({ type: 'string', length: 96, nullable: true, unique: 'earning_rule_active_slot_unique' })
  activeSlot?: string | null;

  /** The version this row replaced (an edit retires the old row and inserts the new one). */
  @Property({ type: 'integer', nullable: true })
  replacesId?: number | null;

  /** When the rule was retired (by `retireEarningRule` or an edit); retired rules are history and never come back. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  retiredAt?: Date | null;

  /** A targeted campaign's multiplier window (issue #14): applies only to that campaign's treated members. */
  @Property({ type: 'integer', nullable: true })
  campaignId?: number | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

/** Program-wide settings (one row, id = 1). */
@Entity({ tableName: 'loyalty_program' })
export class LoyaltyProgram {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'string', length: 8 })
  rounding: 'FLOOR' | 'ROUND' | 'CEIL' = 'FLOOR';

  @Property({ type: 'integer', nullable: true })
  capPerPurchase?: number | null;

  /** Earned points expire this many months after they are earned. */
  @Property({ type: 'integer' })
  pointsValidityMonths: number = 24;

  /** Length of a tier qualification period. */
  @Property({ type: 'integer' })
  tierPeriodMonths: number = 12;

  /** Points credited once at a member's first sign-in (0 = none). */
  @Property({ type: 'integer', default: 0 })
  signupBonusPoints: number = 0;

  /** Points credited in a member's birthday month, at most once in any 12 months (0 = none): birthday-bonus.ts. */
  @Property({ type: 'integer', default: 0 })
  birthdayBonusPoints: number = 0;

  /** Points credited once ever when gender, birthday and home store are all set (0 = none): profile-bonus.ts. */
  @Property({ type: 'integer', default: 0 })
  profileBonusPoints: number = 0;

  /** The coupon template given in the birthday month with the birthday bonus (null = none): coupons/rule-coupons.ts. */
  @Property({ type: 'integer', nullable: true })
  birthdayCouponTemplateId?: number | null;

  /** The coupon template given when a member rises into a tier, as JSON `[{tierId, templateId}]` (null = none). */
  @Property({ type: 'text', nullable: true })
  tierUpgradeCoupons?: string | null;
}
