/** GraphQL types of rewards (F6): the catalogue, redemptions, vouchers at the till, one-time codes, the manager view. */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { formatVoucherCode, maskAccount, maskPhone, needsOtp } from '@quanzi/shared';
import type { RedemptionRow } from './redemption.rows';
import { RedemptionService } from './redemption.service';
import type { RewardRow } from './reward.service';

export enum RewardKindGql { MOBILE_TOPUP = 'MOBILE_TOPUP', FUEL_CARD = 'FUEL_CARD', OWN_PRODUCT = 'OWN_PRODUCT', COUPON = 'COUPON' }
export enum RedemptionStatusGql { PENDING = 'PENDING', PROCESSING = 'PROCESSING', DELIVERED = 'DELIVERED', FAILED = 'FAILED', ISSUED = 'ISSUED', USED = 'USED' }
registerEnumType(RewardKindGql, {
  name: 'RewardKind',
  description: 'MOBILE_TOPUP and FUEL_CARD: a partner provider tops up the phone or card; OWN_PRODUCT (picked up in store) and COUPON (used at a till): a voucher',
});
registerEnumType(RedemptionStatusGql, {
  name: 'RedemptionStatus',
  description:
    'PENDING: points taken, queued for the provider; PROCESSING: with the provider; DELIVERED: done; FAILED: the provider failed and the points came back; ISSUED: a voucher to show at a till; USED: the voucher was used',
});

@ObjectType('RewardPartner', { description: 'A partner (联盟商家) that supplies rewards' })
export class PartnerType {
  @Field(() => ID) id!: string;
  @Field() code!: string;
  @Field() name!: string;
}

@ObjectType('Reward', { description: 'A reward in the catalogue' })
export class RewardType {
  row!: RewardRow;
  @Field(() => ID) id!: string;
  @Field(() => RewardKindGql) kind!: RewardKindGql;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => String, { nullable: true }) imageUrl!: string | null;
  @Field(() => Int) pointsPrice!: number;
  @Field(() => Int, { description: 'Cash paid on top at the till when the voucher is used (fen); 0 for none' }) cashFen!: number;
  @Field(() => Int, { nullable: true, description: 'Top-ups and fuel cards: the face value (fen)' }) faceValueFen!: number | null;
  @Field(() => String, { nullable: true, description: 'Top-ups: CMCC, CUCC or CTCC; fuel cards: SINOPEC or CNPC' }) brand!: string | null;
  @Field(() => String, { nullable: true, description: '中国移动, 中国石油, …' }) brandName!: string | null;
  @Field(() => Int, { nullable: true, description: 'Coupons: fen off' }) amountOffFen!: number | null;
  @Field(() => Int, { nullable: true, description: 'Coupons: the share paid in per cent (85 = 8.5 折)' }) discountPct!: number | null;
  @Field(() => Int, { description: 'Coupons: spend needed first (fen)' }) minSpendFen!: number;
  @Field(() => Int) stock!: number;
  @Field() inStock!: boolean;
  @Field(() => Int, { nullable: true, description: 'Per member per day (Asia/Shanghai)' }) limitPerDay!: number | null;
  @Field(() => Int, { nullable: true, description: 'Per member per calendar month (Asia/Shanghai)' }) limitPerMonth!: number | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) startsAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) endsAt!: Date | null;
  @Field() active!: boolean;
  @Field({ description: 'A one-time code to the bound phone is needed (requestRewardOtp)' }) needsOtp!: boolean;
  @Field({ description: 'The signed-in member has the points and the tier, and it is in stock' }) affordable!: boolean;
  @Field(() => [ID], { nullable: true, description: 'Vouchers: the stores whose tills accept them (null = every store)' }) storeIds!: string[] | null;
  @Field(() => Int, { nullable: true, description: 'Vouchers: valid for this many days after redemption (null = no expiry)' }) voucherValidDays!: number | null;
}

export function toRewardType(r: RewardRow, affordable: boolean, otpThreshold: number): RewardType {
  return Object.assign(new RewardType(), {
    row: r,
    id: String(r.id),
    kind: r.kind as RewardKindGql,
    name: r.name,
    description: r.description,
    imageUrl: r.imageUrl,
    pointsPrice: r.pointsPrice,
    cashFen: r.cashFen,
    faceValueFen: r.faceValueFen,
    brand: r.brand,
    brandName: RedemptionService.brandName(r.brand),
    amountOffFen: r.amountOffFen,
    discountPct: r.discountPct,
    minSpendFen: r.minSpendFen,
    stock: r.stock,
    inStock: r.stock > 0,
    limitPerDay: r.limitPerDay,
    limitPerMonth: r.limitPerMonth,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    active: r.active,
    needsOtp: needsOtp(r.pointsPrice, otpThreshold),
    affordable,
    storeIds: r.storeIds?.map(String) ?? null,
    voucherValidDays: r.voucherValidDays,
  });
}

@ObjectType('Redemption', { description: 'A redemption order' })
export class RedemptionType {
  @Field(() => ID) id!: string;
  @Field(() => ID) rewardId!: string;
  @Field() rewardName!: string;
  @Field(() => String, { nullable: true }) imageUrl!: string | null;
  @Field(() => RewardKindGql) kind!: RewardKindGql;
  @Field(() => RedemptionStatusGql) status!: RedemptionStatusGql;
  @Field(() => Int) points!: number;
  @Field(() => Int, { description: 'To pay at the till (fen)' }) cashFen!: number;
  @Field(() => String, { nullable: true, description: 'The phone or card topped up, masked' }) target!: string | null;
  @Field(() => String, { nullable: true, description: 'Vouchers: the code to show at the till (XXXX XXXX XXXX)' }) voucherCode!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) voucherExpiresAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) usedAt!: Date | null;
  @Field(() => String, { nullable: true }) usedStoreName!: string | null;
  @Field(() => String, { nullable: true, description: 'Redeemed by staff at a till: the store (null when redeemed in the app)' }) storeName!: string | null;
  @Field(() => String, { nullable: true }) failReason!: string | null;
  @Field(() => Int, { description: 'Points given back (a failed top-up refunds all of them)' }) pointsRefunded!: number;
  @Field({ description: 'Fulfilment gave up waiting for the provider (HQ: retryRedemption)' }) stuck!: boolean;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Delivered, failed or used' }) finishedAt!: Date | null;
}

export function toRedemptionType(r: RedemptionRow): RedemptionType {
  return {
    id: String(r.id),
    rewardId: String(r.rewardId),
    rewardName: r.rewardName,
    imageUrl: r.imageUrl,
    kind: r.kind as RewardKindGql,
    status: r.status as RedemptionStatusGql,
    points: r.points,
    cashFen: r.cashFen,
    target: r.target === null ? null : r.kind === 'MOBILE_TOPUP' ? maskPhone(r.target) : maskAccount(r.target),
    voucherCode: r.voucherCode === null ? null : formatVoucherCode(r.voucherCode),
    voucherExpiresAt: r.voucherExpiresAt,
    usedAt: r.usedAt,
    usedStoreName: r.usedStoreName,
    storeName: r.storeName,
    failReason: r.failReason,
    pointsRefunded: r.pointsRefunded,
    stuck: r.stuckAt !== null,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

@ObjectType('RedemptionResult')
export class RedemptionResultType {
  @Field(() => RedemptionType) redemption!: RedemptionType;
  @Field({ description: 'true when this idempotency key had already redeemed (nothing changed)' }) replayed!: boolean;
  @Field(() => Int, { description: 'The member’s points after the redemption' }) balance!: number;
}

@ObjectType('TillRedemptionResult')
export class TillRedemptionResultType {
  @Field(() => RedemptionType) redemption!: RedemptionType;
  @Field({ description: 'true when this idempotency key had already redeemed (nothing changed)' }) replayed!: boolean;
  @Field(() => Int, { description: 'The member’s points after the redemption' }) balance!: number;
  @Field() memberNo!: string;
}

@ObjectType('RewardOtp', { description: 'Where the one-time code went' })
export class RewardOtpType {
  @Field({ description: 'The bound phone, masked' }) sentTo!: string;
  @Field(() => DateTimeISOResolver) expiresAt!: Date;
  @Field(() => Int, { description: 'Seconds before another code may be sent' }) resendAfterSeconds!: number;
}

@ObjectType('Voucher', { description: 'A voucher as staff at the till see it' })
export class VoucherType {
  @Field() code!: string;
  @Field(() => ID) redemptionId!: string;
  @Field() rewardName!: string;
  @Field(() => RewardKindGql) kind!: RewardKindGql;
  @Field(() => RedemptionStatusGql) status!: RedemptionStatusGql;
  @Field() memberNo!: string;
  @Field(() => Int, { description: 'To collect at the till (fen)' }) cashFen!: number;
  @Field(() => Int, { nullable: true }) amountOffFen!: number | null;
  @Field(() => Int, { nullable: true }) discountPct!: number | null;
  @Field(() => Int) minSpendFen!: number;
  @Field(() => DateTimeISOResolver, { nullable: true }) expiresAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) usedAt!: Date | null;
  @Field(() => String, { nullable: true }) usedStoreName!: string | null;
  @Field({ description: 'Issued, not expired, and this store accepts it' }) usableHere!: boolean;
}

export function toVoucherType(r: RedemptionRow, reward: RewardRow, usableHere: boolean): VoucherType {
  return {
    code: formatVoucherCode(r.voucherCode ?? ''),
    redemptionId: String(r.id),
    rewardName: r.rewardName,
    kind: r.kind as RewardKindGql,
    status: r.status as RedemptionStatusGql,
    memberNo: r.memberNo,
    cashFen: r.cashFen,
    amountOffFen: reward.amountOffFen,
    discountPct: reward.discountPct,
    minSpendFen: reward.minSpendFen,
    expiresAt: r.voucherExpiresAt,
    usedAt: r.usedAt,
    usedStoreName: r.usedStoreName,
    usableHere,
  };
}

@ObjectType('VoucherUseResult')
export class VoucherUseResultType {
  @Field(() => VoucherType) voucher!: VoucherType;
  @Field(() => Int, { nullable: true, description: 'Coupons, given a spend: the fen to take off' }) discountFen!: number | null;
}

@ObjectType('RewardJobsRun')
export class RewardJobsRunType {
  @Field(() => Int) done!: number;
  @Field(() => Int) retried!: number;
  @Field(() => Int) dead!: number;
}

@ObjectType('RewardReportRow', { description: 'One reward in the manager view' })
export class RewardReportRowType {
  @Field(() => ID) rewardId!: string;
  @Field() name!: string;
  @Field(() => RewardKindGql) kind!: RewardKindGql;
  @Field(() => String, { nullable: true }) partnerName!: string | null;
  @Field(() => Int) redemptions!: number;
  @Field(() => Int, { description: 'Delivered or used' }) fulfilled!: number;
  @Field(() => Int) inProgress!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int, { description: 'Vouchers issued, not used yet' }) unused!: number;
  @Field(() => Int, { description: 'Points spent, refunds deducted' }) points!: number;
  @Field(() => Int, { description: 'Cost of what was not refunded (fen)' }) costFen!: number;
  @Field(() => Int) stock!: number;
}

@ObjectType('PartnerReportRow')
export class PartnerReportRowType {
  @Field(() => ID, { nullable: true, description: 'null = own rewards' }) partnerId!: string | null;
  @Field() name!: string;
  @Field(() => Int) redemptions!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) points!: number;
  @Field(() => Int) costFen!: number;
}

@ObjectType('ProviderReportRow')
export class ProviderReportRowType {
  @Field() provider!: string;
  @Field(() => Int) orders!: number;
  @Field(() => Int) delivered!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) inProgress!: number;
  @Field(() => Int) stuck!: number;
  @Field(() => Float, { nullable: true, description: 'failed ÷ (delivered + failed)' }) failureRate!: number | null;
}

@ObjectType('RewardReport', { description: 'Redemptions since a date: per reward, per partner, own vs partner, per provider' })
export class RewardReportType {
  @Field(() => DateTimeISOResolver) since!: Date;
  @Field(() => [RewardReportRowType]) rewards!: RewardReportRowType[];
  @Field(() => [PartnerReportRowType]) partners!: PartnerReportRowType[];
  @Field(() => Int, { description: 'Redemptions of own rewards (no partner), failed ones excluded' }) own!: number;
  @Field(() => Int, { description: 'Redemptions of partners’ rewards, failed ones excluded' }) partner!: number;
  @Field(() => Float, { nullable: true, description: 'own ÷ (own + partner): seed 000’s loyalty indicator' }) ownRatio!: number | null;
  @Field(() => [ProviderReportRowType]) providers!: ProviderReportRowType[];
}
