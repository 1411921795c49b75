import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';
import { Region, Store } from '../org/org.entity';
import { Tier } from '../tiers/tier.entity';
import { AppUser } from '../users/user.entity';

export enum RewardKindColumn {
  MOBILE_TOPUP = 'MOBILE_TOPUP',
  FUEL_CARD = 'FUEL_CARD',
  OWN_PRODUCT = 'OWN_PRODUCT',
  COUPON = 'COUPON',
}

export enum RedemptionStatusColumn {
  PENDING = 'PENDING',
  PROCESSING = 'PROCESSING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  ISSUED = 'ISSUED',
  USED = 'USED',
}

/** A partner (联盟商家, F12) that supplies rewards: an operator, a fuel company, a café. Own rewards have none. */
@Entity({ tableName: 'reward_partner' })
export class RewardPartner {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Unique()
  @Property({ type: 'string', length: 32 })
  code!: string;

  @Property({ type: 'string', length: 64 })
  name!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

/**
 * A reward in the catalogue (F6). `stock` is the concurrency guard: a redemption takes one by
 * `stock = stock - 1 WHERE stock > 0` before anything else is written; a failed fulfilment gives it back.
 */
@Entity({ tableName: 'reward' })
@Index({ name: 'reward_active_kind_idx', properties: ['active', 'kind'] })
export class Reward {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Enum({ items: () => RewardKindColumn, type: 'string', length: 16 })
  kind!: RewardKindColumn;

  @Property({ type: 'string', length: 64 })
  name!: string;

  @Property({ type: 'string', length: 500 })
  description!: string;

  @Property({ type: 'string', length: 255, nullable: true })
  imageUrl?: string | null;

  @Property({ type: 'integer' })
  pointsPrice!: number;

  /** Cash paid on top of the points (fen), at the till when the voucher is used. */
  @Property({ type: 'integer' })
  cashFen: number = 0;

  /** Top-ups and fuel cards: the face value (whole yuan, in fen). */
  @Property({ type: 'integer', nullable: true })
  faceValueFen?: number | null;

  /** Top-ups: CMCC/CUCC/CTCC; fuel cards: SINOPEC/CNPC. */
  @Property({ type: 'string', length: 16, nullable: true })
  brand?: string | null;

  /** Coupons: fen off, or the share paid in percent (85 = 15% off). */
  @Property({ type: 'integer', nullable: true })
  amountOffFen?: number | null;

  @Property({ type: 'integer', nullable: true })
  discountPct?: number | null;

  @Property({ type: 'integer' })
  minSpendFen: number = 0;

  @Property({ type: 'integer' })
  stock!: number;

  @Property({ type: 'integer', nullable: true })
  limitPerDay?: number | null;

  @Property({ type: 'integer', nullable: true })
  limitPerMonth?: number | null;

  /** The lowest tier that may redeem it. */
  @ManyToOne(() => Tier, { nullable: true, deleteRule: 'restrict' })
  minTier?: Tier | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  startsAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  endsAt?: Date | null;

  @Property({ type: 'boolean' })
  active: boolean = true;

  @ManyToOne(() => RewardPartner, { nullable: true, deleteRule: 'restrict' })
  partner?: RewardPartner | null;

  /** What one unit costs the business (fen), for the economics. */
  @Property({ type: 'integer' })
  costFen: number = 0;

  /** Top-ups and fuel cards: the provider adapter that fulfils it (e.g. `recharge`). */
  @Property({ type: 'string', length: 16, nullable: true })
  provider?: string | null;

  /** Vouchers: the stores whose tills accept them (null = every store). */
  @Property({ type: 'json', nullable: true })
  storeIds?: number[] | null;

  /** Vouchers: valid for this many days after redemption (null = no expiry). */
  @Property({ type: 'integer', nullable: true })
  voucherValidDays?: number | null;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  createdBy?: AppUser | null;

  // ---- coupon templates (F9, coupon.service.ts): a COUPON reward made by createCouponTemplate ----

  /** AMOUNT_OFF, PERCENT_OFF or GIFT; set only on coupon templates (null: a reward, or a mall coupon of createReward). */
  @Property({ type: 'string', length: 12, nullable: true })
  couponKind?: string | null;

  /** Gift coupons: what the member gets. */
  @Property({ type: 'string', length: 64, nullable: true })
  giftName?: string | null;

  /** Coupon templates: the regions whose stores accept them (with storeIds; both null = the owner's whole scope). */
  @Property({ type: 'json', nullable: true })
  regionIds?: number[] | null;

  /** The scope the template belongs to (its creator's): a region, or a store (with its region); neither = HQ. */
  @ManyToOne(() => Region, { nullable: true, deleteRule: 'restrict' })
  ownerRegion?: Region | null;

  @ManyToOne(() => Store, { nullable: true, deleteRule: 'restrict' })
  ownerStore?: Store | null;

  /** Coupon templates with fixed dates: usable from (null = from issue) until (exclusive). */
  @Property({ type: 'datetime', length: 3, nullable: true })
  validFrom?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  validUntil?: Date | null;

  /** At most this many coupons of the template per member, ever (failed orders do not count). */
  @Property({ type: 'integer', nullable: true })
  limitPerMember?: number | null;

  /** Coupon templates: how many may be issued in all; `stock` is what is left of it. */
  @Property({ type: 'integer', nullable: true })
  budget?: number | null;

  /** Issued to every new member at first sign-in (HQ templates only). */
  @Property({ type: 'boolean', default: false })
  welcome: boolean = false;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}

/**
 * A redemption order. (member, idempotency key) makes redeeming once per key; `status` moves only by conditional
 * updates (PENDING → PROCESSING → DELIVERED | FAILED; ISSUED → USED), so nothing is fulfilled or refunded twice.
 * The points moved through the ledger: the debit keyed (reward, id), a refund keyed (reward_refund, id).
 */
@Entity({ tableName: 'reward_redemption' })
@Unique({ name: 'reward_redemption_member_key_unique', properties: ['member', 'idempotencyKey'] })
@Index({ name: 'reward_redemption_limits_idx', properties: ['member', 'reward', 'createdAt'] })
@Index({ name: 'reward_redemption_member_idx', properties: ['member', 'id'] })
@Index({ name: 'reward_redemption_report_idx', properties: ['createdAt', 'reward', 'status'] }) // covers the KPIs' redemptions per reward (issue #15)
@Index({ name: 'reward_redemption_store_idx', properties: ['store', 'id'] })
export class RewardRedemption {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Reward, { deleteRule: 'restrict' })
  reward!: Reward;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @Enum({ items: () => RewardKindColumn, type: 'string', length: 16 })
  kind!: RewardKindColumn;

  /** Points paid (the price at the time). */
  @Property({ type: 'integer' })
  points!: number;

  @Property({ type: 'integer' })
  cashFen: number = 0;

  /** Cost of the unit at the time (fen), for the economics. */
  @Property({ type: 'integer' })
  costFen: number = 0;

  @Enum({ items: () => RedemptionStatusColumn, type: 'string', length: 12 })
  status!: RedemptionStatusColumn;

  /** The phone number or fuel-card number (top-ups and fuel cards). */
  @Property({ type: 'string', length: 32, nullable: true })
  target?: string | null;

  @Property({ type: 'string', length: 96 })
  idempotencyKey!: string;

  /** Redeemed at a till (redeemRewardAtTill): the store and the staff user; null when the member redeemed in the app. */
  @ManyToOne(() => Store, { nullable: true, deleteRule: 'restrict' })
  store?: Store | null;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  staff?: AppUser | null;

  /** SHA-256 of the request: the same key with other content is an IDEMPOTENCY_CONFLICT. */
  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  /** Our order number at the provider. */
  @Unique()
  @Property({ type: 'string', length: 32, nullable: true })
  outTradeNo?: string | null;

  @Property({ type: 'string', length: 16, nullable: true })
  provider?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  providerOrderNo?: string | null;

  /** How many times the order was sent to the provider (a resend only after the provider said it has none). */
  @Property({ type: 'integer' })
  submitCount: number = 0;

  @Property({ type: 'datetime', length: 3, nullable: true })
  submittedAt?: Date | null;

  @Unique()
  @Property({ type: 'string', length: 16, nullable: true })
  voucherCode?: string | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  voucherExpiresAt?: Date | null;

  /** Coupons with fixed dates: not usable before this. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  voucherValidFrom?: Date | null;

  /** Coupons given rather than bought: WELCOME, MANAGER, CAMPAIGN, BIRTHDAY, TIER_UPGRADE (coupon-issue.ts); null = redeemed with points. */
  @Property({ type: 'string', length: 12, nullable: true })
  issueSource?: string | null;

  /** Coupons: the discount given when used (fen). */
  @Property({ type: 'integer', nullable: true })
  discountFen?: number | null;

  /** Coupons applied to a till purchase (recordPurchase's couponCode): that purchase. */
  @Property({ type: 'integer', nullable: true })
  usedPurchaseId?: number | null;

  /** Coupons applied to a WeChat Pay till order: the order holding it until paid (then USED) or closed (then free again). */
  @Property({ type: 'integer', nullable: true })
  reservedOrderId?: number | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  usedAt?: Date | null;

  @ManyToOne(() => Store, { nullable: true, deleteRule: 'restrict' })
  usedStore?: Store | null;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  usedBy?: AppUser | null;

  @Property({ type: 'string', length: 128, nullable: true })
  failReason?: string | null;

  /** Points given back (a failed fulfilment refunds everything, once). */
  @Property({ type: 'integer' })
  pointsRefunded: number = 0;

  /** The fulfilment job gave up without a final answer: waits for a callback or a manager's retry. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  stuckAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  finishedAt?: Date | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}

/**
 * A one-time code sent to the member's bound phone to confirm something (a high-value redemption). Only an HMAC
 * of the code is stored; it expires, allows a few attempts, and is consumed in the transaction it confirms.
 */
@Entity({ tableName: 'otp_challenge' })
@Index({ name: 'otp_challenge_member_ref_idx', properties: ['member', 'purpose', 'ref'] })
export class OtpChallenge {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @Property({ type: 'string', length: 16 })
  purpose!: string;

  @Property({ type: 'string', length: 64 })
  ref!: string;

  @Property({ type: 'string', length: 64 })
  codeHash!: string;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'datetime', length: 3 })
  expiresAt!: Date;

  @Property({ type: 'datetime', length: 3, nullable: true })
  consumedAt?: Date | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}
