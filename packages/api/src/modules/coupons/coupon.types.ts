/** GraphQL types and inputs of coupons (F9): templates, the wallet, issuing and buying. */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { expiresInDays, expiryLabelZh, formatVoucherCode, sharePaidToPercentOff } from '@quanzi/shared';
import type { CouponRow } from './coupon.service';
import type { TemplateRow } from './coupon-template.service';

export enum CouponKindGql { AMOUNT_OFF = 'AMOUNT_OFF', PERCENT_OFF = 'PERCENT_OFF', GIFT = 'GIFT' }
export enum CouponStateGql { UPCOMING = 'UPCOMING', VALID = 'VALID', USED = 'USED', EXPIRED = 'EXPIRED' }
export enum CouponSourceGql { POINTS = 'POINTS', WELCOME = 'WELCOME', MANAGER = 'MANAGER', CAMPAIGN = 'CAMPAIGN', BIRTHDAY = 'BIRTHDAY', TIER_UPGRADE = 'TIER_UPGRADE' }
registerEnumType(CouponKindGql, { name: 'CouponKind', description: 'AMOUNT_OFF: fen off; PERCENT_OFF: a percentage off; GIFT: an item given' });
registerEnumType(CouponStateGql, { name: 'CouponState', description: 'UPCOMING: before its first day; VALID; USED (once); EXPIRED' });
registerEnumType(CouponSourceGql, { name: 'CouponSource', description: 'POINTS: bought with points; WELCOME: first sign-in; MANAGER: issued by a manager; CAMPAIGN: a campaign; BIRTHDAY: the birthday month; TIER_UPGRADE: rising into a tier' });

const kindOf = (t: { couponKind: string | null; amountOffFen: number | null; discountPct: number | null }): CouponKindGql =>
  (t.couponKind as CouponKindGql | null) ?? (t.amountOffFen !== null ? CouponKindGql.AMOUNT_OFF : t.discountPct !== null ? CouponKindGql.PERCENT_OFF : CouponKindGql.GIFT);

@ObjectType('CouponTemplate', { description: 'A coupon template: what its coupons give, where and how long, its budget (a COUPON reward of the catalogue)' })
export class CouponTemplateType {
  @Field(() => ID) id!: string;
  @Field(() => CouponKindGql) kind!: CouponKindGql;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => Int, { nullable: true, description: 'AMOUNT_OFF: fen off' }) amountOffFen!: number | null;
  @Field(() => Int, { nullable: true, description: 'PERCENT_OFF: per cent off (15 = 15 % off)' }) percentOff!: number | null;
  @Field(() => String, { nullable: true, description: 'GIFT: what the member gets' }) giftName!: string | null;
  @Field(() => Int) minSpendFen!: number;
  @Field(() => [ID], { description: 'Stores named (with regionIds; both empty = the whole scope)' }) storeIds!: string[];
  @Field(() => [ID]) regionIds!: string[];
  @Field(() => ID, { nullable: true, description: 'The scope: a store (null with scopeRegionId null = HQ)' }) scopeStoreId!: string | null;
  @Field(() => ID, { nullable: true }) scopeRegionId!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) validFrom!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) validUntil!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Calendar days from issue (the issue day first, Asia/Shanghai)' }) validDays!: number | null;
  @Field(() => Int, { nullable: true }) limitPerMember!: number | null;
  @Field(() => Int) budget!: number;
  @Field(() => Int) issued!: number;
  @Field(() => Int, { description: 'Left of the budget' }) remaining!: number;
  @Field(() => Int) used!: number;
  @Field(() => Int, { nullable: true, description: 'Points to buy one (null: not for sale)' }) pointsPrice!: number | null;
  @Field() active!: boolean;
  @Field({ description: 'Issued to every new member at first sign-in' }) welcome!: boolean;
}

export function toTemplateType(t: TemplateRow): CouponTemplateType {
  return {
    id: String(t.id),
    kind: kindOf(t),
    name: t.name,
    description: t.description,
    amountOffFen: t.amountOffFen,
    percentOff: t.discountPct === null ? null : sharePaidToPercentOff(t.discountPct),
    giftName: t.giftName,
    minSpendFen: t.minSpendFen,
    storeIds: (t.storeIds ?? []).map(String),
    regionIds: (t.regionIds ?? []).map(String),
    scopeStoreId: t.ownerStoreId === null ? null : String(t.ownerStoreId),
    scopeRegionId: t.ownerRegionId === null ? null : String(t.ownerRegionId),
    validFrom: t.validFrom,
    validUntil: t.validUntil,
    validDays: t.voucherValidDays,
    limitPerMember: t.limitPerMember,
    budget: t.budget ?? 0,
    issued: t.issued,
    remaining: t.stock,
    used: t.used,
    pointsPrice: t.pointsPrice > 0 ? t.pointsPrice : null,
    active: t.active,
    welcome: t.welcome,
  };
}

@ObjectType('Coupon', { description: "A coupon in the member's wallet (a voucher: show its code or QR at the till)" })
export class CouponType {
  @Field(() => ID) id!: string;
  @Field(() => ID) templateId!: string;
  @Field(() => CouponKindGql) kind!: CouponKindGql;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => Int, { nullable: true }) amountOffFen!: number | null;
  @Field(() => Int, { nullable: true }) percentOff!: number | null;
  @Field(() => String, { nullable: true }) giftName!: string | null;
  @Field(() => Int) minSpendFen!: number;
  @Field({ description: 'XXXX XXXX XXXX, as staff type it' }) code!: string;
  @Field({ description: 'What the QR code holds: the code without spaces (the till scans it like any voucher)' }) qrPayload!: string;
  @Field(() => CouponStateGql) state!: CouponStateGql;
  @Field(() => CouponSourceGql) source!: CouponSourceGql;
  @Field(() => Int, { description: 'Points paid (0 when given)' }) points!: number;
  @Field(() => DateTimeISOResolver) issuedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) validFrom!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'The end (exclusive)' }) expiresAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Calendar days (Asia/Shanghai) to the last valid day: 0 = today; null without an end or once over' }) expiresInDays!: number | null;
  @Field(() => String, { nullable: true, description: '今天到期 / 明天到期 / N 天后到期' }) expiryLabel!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) usedAt!: Date | null;
  @Field(() => String, { nullable: true }) usedStoreName!: string | null;
  @Field(() => Int, { nullable: true, description: 'The discount it gave when used (fen)' }) discountFen!: number | null;
}

export function toCouponType(c: CouponRow, now: Date): CouponType {
  const r = c.redemption;
  const t = c.template;
  const code = r.voucherCode ?? '';
  return {
    id: String(r.id),
    templateId: String(t.id),
    kind: kindOf(t),
    name: t.name,
    description: t.description,
    amountOffFen: t.amountOffFen,
    percentOff: t.discountPct === null ? null : sharePaidToPercentOff(t.discountPct),
    giftName: t.giftName,
    minSpendFen: t.minSpendFen,
    code: formatVoucherCode(code),
    qrPayload: code,
    state: c.state as CouponStateGql,
    source: (r.issueSource as CouponSourceGql | null) ?? CouponSourceGql.POINTS,
    points: r.points,
    issuedAt: r.createdAt,
    validFrom: r.voucherValidFrom,
    expiresAt: r.voucherExpiresAt,
    expiresInDays: c.state === 'USED' ? null : expiresInDays(r.voucherExpiresAt, now),
    expiryLabel: c.state === 'USED' ? null : expiryLabelZh(r.voucherExpiresAt, now),
    usedAt: r.usedAt,
    usedStoreName: r.usedStoreName,
    discountFen: r.discountFen,
  };
}

@ObjectType('BuyCouponResult')
export class BuyCouponResultType {
  @Field(() => CouponType) coupon!: CouponType;
  @Field({ description: 'true when this idempotency key had already bought it (nothing changed)' }) replayed!: boolean;
  @Field(() => Int, { description: 'The member’s points after' }) balance!: number;
}

@ObjectType('IssueCouponsResult')
export class IssueCouponsResultType {
  @Field(() => Int, { description: 'Coupons issued by this call' }) issued!: number;
  @Field(() => Int, { description: 'Members who already had theirs under this idempotency key (a retry)' }) alreadyIssued!: number;
  @Field(() => Int, { description: 'Left of the budget' }) remaining!: number;
}

@InputType({ description: 'The fields of a coupon template that may change (null clears an optional one)' })
export class UpdateCouponTemplateInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Int, { nullable: true, description: 'AMOUNT_OFF: fen off' }) amountOffFen?: number | null;
  @Field(() => Int, { nullable: true, description: 'PERCENT_OFF: 1–99 per cent off' }) percentOff?: number | null;
  @Field(() => String, { nullable: true, description: 'GIFT: the item' }) giftName?: string | null;
  @Field(() => Int, { nullable: true }) minSpendFen?: number | null;
  @Field(() => [ID], { nullable: true, description: 'Stores in the scope that accept it' }) storeIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Regions in the scope whose stores accept it' }) regionIds?: string[] | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) validFrom?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Fixed dates: the end (or give validDays)' }) validUntil?: Date | null;
  @Field(() => Int, { nullable: true, description: 'Calendar days from issue, 1–3650 (or give validUntil)' }) validDays?: number | null;
  @Field(() => Int, { nullable: true }) limitPerMember?: number | null;
  @Field(() => Int, { nullable: true, description: 'Coupons that may be issued in all (not below those issued)' }) budget?: number;
  @Field(() => Int, { nullable: true, description: 'Points to buy one; null or 0: not for sale' }) pointsPrice?: number | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'The welcome coupon (HQ templates only)' }) welcome?: boolean;
}

@InputType()
export class CreateCouponTemplateInput extends UpdateCouponTemplateInput {
  @Field(() => CouponKindGql) kind!: CouponKindGql;
  @Field() override name!: string;
  @Field(() => Int) override budget!: number;
  @Field(() => ID, { nullable: true, description: 'The scope: a store (or scopeRegionId, or neither for HQ); fixed once created' }) scopeStoreId?: string | null;
  @Field(() => ID, { nullable: true }) scopeRegionId?: string | null;
}

@InputType()
export class IssueCouponsInput {
  @Field(() => ID) templateId!: string;
  @Field(() => [ID], { nullable: true, description: 'Member ids (with memberNos: 1–200 members in all)' }) memberIds?: string[] | null;
  @Field(() => [String], { nullable: true, description: '10-digit member numbers' }) memberNos?: string[] | null;
  @Field({ description: 'Unique per issue (retries reuse it): 8–80 of [A-Za-z0-9_:.-]' }) idempotencyKey!: string;
}

@InputType()
export class BuyCouponInput {
  @Field(() => ID) templateId!: string;
  @Field({ description: 'Unique per purchase (make one per attempt, reuse it on retries): 8–96 of [A-Za-z0-9_:.-]' }) idempotencyKey!: string;
  @Field(() => String, { nullable: true, description: 'The one-time code, when the template needs one (like a reward)' }) otp?: string | null;
}
