/** Redemption rows as the rewards services read them (one query shape for members, staff and the worker). */
import type { RedemptionStatus, RewardKind } from '@quanzi/shared';
import { toDate, toInt, type Q } from '../../db/sql';

/** The outbox topic of partner-reward fulfilment (ref = redemption id). */
export const FULFIL_TOPIC = 'reward.fulfil';

export interface RedemptionRow {
  id: number;
  rewardId: number;
  rewardName: string;
  imageUrl: string | null;
  kind: RewardKind;
  brand: string | null;
  faceValueFen: number | null;
  memberId: number;
  memberNo: string;
  points: number;
  cashFen: number;
  costFen: number;
  status: RedemptionStatus;
  target: string | null;
  outTradeNo: string | null;
  provider: string | null;
  providerOrderNo: string | null;
  submitCount: number;
  voucherCode: string | null;
  voucherExpiresAt: Date | null;
  /** Coupons with fixed dates: not usable before this. */
  voucherValidFrom: Date | null;
  /** Coupons given rather than bought: WELCOME, MANAGER; null = redeemed with points. */
  issueSource: string | null;
  /** Coupons: the discount given when used (fen). */
  discountFen: number | null;
  /** Coupons on a WeChat Pay till order waiting to be paid: that order (coupon-reservation.ts). */
  reservedOrderId: number | null;
  usedAt: Date | null;
  usedStoreId: number | null;
  usedStoreName: string | null;
  /** Redeemed at a till: the store (null when redeemed in the app). */
  storeId: number | null;
  storeName: string | null;
  failReason: string | null;
  pointsRefunded: number;
  stuckAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const REDEMPTION_SELECT = `SELECT x.id, x.reward_id, x.member_id, x.kind, x.points, x.cash_fen, x.cost_fen, x.status, x.target, x.out_trade_no, x.provider,
  x.provider_order_no, x.submit_count, x.voucher_code, x.voucher_expires_at, x.used_at, x.used_store_id, x.fail_reason, x.points_refunded, x.stuck_at,
  x.finished_at, x.created_at, x.updated_at, r.name AS reward_name, r.image_url, r.brand, r.face_value_fen, s.name AS used_store_name, m.member_no,
  x.store_id, ts.name AS store_name, x.voucher_valid_from, x.issue_source, x.discount_fen, x.reserved_order_id
  FROM reward_redemption x JOIN reward r ON r.id = x.reward_id JOIN member m ON m.id = x.member_id LEFT JOIN store s ON s.id = x.used_store_id
  LEFT JOIN store ts ON ts.id = x.store_id`;

const dateOrNull = (v: unknown): Date | null => (v == null ? null : toDate(v));
const strOrNull = (v: unknown): string | null => (v == null ? null : String(v));

export function toRedemption(r: Record<string, unknown>): RedemptionRow {
  return {
    id: toInt(r.id),
    rewardId: toInt(r.reward_id),
    rewardName: String(r.reward_name),
    imageUrl: strOrNull(r.image_url),
    kind: r.kind as RewardKind,
    brand: strOrNull(r.brand),
    faceValueFen: r.face_value_fen == null ? null : toInt(r.face_value_fen),
    memberId: toInt(r.member_id),
    memberNo: String(r.member_no),
    points: toInt(r.points),
    cashFen: toInt(r.cash_fen),
    costFen: toInt(r.cost_fen),
    status: r.status as RedemptionStatus,
    target: strOrNull(r.target),
    outTradeNo: strOrNull(r.out_trade_no),
    provider: strOrNull(r.provider),
    providerOrderNo: strOrNull(r.provider_order_no),
    submitCount: toInt(r.submit_count),
    voucherCode: strOrNull(r.voucher_code),
    voucherExpiresAt: dateOrNull(r.voucher_expires_at),
    voucherValidFrom: dateOrNull(r.voucher_valid_from),
    issueSource: strOrNull(r.issue_source),
    discountFen: r.discount_fen == null ? null : toInt(r.discount_fen),
    reservedOrderId: r.reserved_order_id == null ? null : toInt(r.reserved_order_id),
    usedAt: dateOrNull(r.used_at),
    usedStoreId: r.used_store_id == null ? null : toInt(r.used_store_id),
    usedStoreName: strOrNull(r.used_store_name),
    storeId: r.store_id == null ? null : toInt(r.store_id),
    storeName: strOrNull(r.store_name),
    failReason: strOrNull(r.fail_reason),
    pointsRefunded: toInt(r.points_refunded),
    stuckAt: dateOrNull(r.stuck_at),
    finishedAt: dateOrNull(r.finished_at),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

/** One redemption by id (inside a transaction or not), or null. */
export async function redemptionById(q: Q, id: number): Promise<RedemptionRow | null> {
  const r = await q.get<Record<string, unknown>>(`${REDEMPTION_SELECT} WHERE x.id = ?`, [id]);
  return r ? toRedemption(r) : null;
}
