/**
 * The one guard every voucher issue passes through, inside the issuing transaction: a reward redeemed with points
 * (redemption.service.ts `redeemAs`, coupons bought with points included) and a coupon given by rule or by a manager
 * (coupon-issue.ts). In this order, the order of every till write (member row, then account row, then the reward):
 * 1. the member's account row is locked, so one member's concurrent issues queue up and count each other;
 * 2. the per-member limits are counted: per day and per calendar month (Asia/Shanghai) and per member ever
 *    (coupon templates' `limitPerMember`); failed, refunded orders do not count → LIMIT_REACHED;
 * 3. one unit of stock (a coupon template's remaining budget) is taken with `stock = stock - 1 WHERE stock > 0`:
 *    a conditional update on the counter, atomic in one statement on both databases (the row lock it takes is held
 *    to commit, and a concurrent taker re-reads the committed value), so nothing is issued over → OUT_OF_STOCK.
 * A refusal throws before anything is written; the caller's transaction rolls back whatever it wrote before.
 */
import { couponAcceptedAt, couponDiscountFen, couponWindow, ErrorCode, isVoucherCode, limitReached, limitWindows, normalizeVoucherCode } from '@quanzi/shared';
import { toInt, type Q } from '../../db/sql';
import { AppError } from '../../errors';
import { REDEMPTION_SELECT, toRedemption, type RedemptionRow } from './redemption.rows';
import { REWARD_COLUMNS, toReward, type RewardRow } from './reward.service';

export async function takeVoucher(q: Q, r: RewardRow, memberId: number, now: Date): Promise<void> {
  await q.get(`SELECT id FROM member_account WHERE id = ?${q.forUpdate}`, [memberId]);
  if (r.limitPerDay !== null || r.limitPerMonth !== null || r.limitPerMember !== null) {
    const windows = limitWindows(now);
    const used = await q.get<{ today: unknown; month: unknown; ever: unknown }>(
      `SELECT COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0) AS today, COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0) AS month, COUNT(*) AS ever
       FROM reward_redemption WHERE member_id = ? AND reward_id = ? AND status <> 'FAILED'`,
      [q.ts(windows.dayStart), q.ts(windows.monthStart), memberId, r.id],
    );
    if (r.limitPerMember !== null && toInt(used?.ever) >= r.limitPerMember) {
      throw new AppError(ErrorCode.LIMIT_REACHED, `At most ${r.limitPerMember} of this coupon per member`, { window: 'MEMBER', limit: r.limitPerMember });
    }
    const hit = limitReached({ perDay: r.limitPerDay, perMonth: r.limitPerMonth }, { today: toInt(used?.today), thisMonth: toInt(used?.month) });
    if (hit) throw new AppError(ErrorCode.LIMIT_REACHED, `At most ${hit.limit} per ${hit.window === 'DAY' ? 'day' : 'month'} for this reward`, { window: hit.window, limit: hit.limit });
  }
  const stock = await q.run('UPDATE reward SET stock = stock - 1, updated_at = ? WHERE id = ? AND stock > 0', [q.ts(now), r.id]);
  if (stock.affectedRows !== 1) {
    throw r.couponKind !== null ? new AppError(ErrorCode.OUT_OF_STOCK, 'The budget of this coupon is used up', { reason: 'BUDGET' }) : new AppError(ErrorCode.OUT_OF_STOCK, 'Sold out');
  }
}

/**
 * When a voucher issued now may be used: a coupon template's fixed dates or N calendar days (Asia/Shanghai, the issue
 * day first: `couponExpiresAt`); other vouchers `voucherValidDays` × 24 hours from now, as the mall always did.
 */
export function voucherWindow(r: RewardRow, now: Date): { validFrom: Date | null; expiresAt: Date | null } {
  if (r.couponKind !== null) return couponWindow({ validFrom: r.validFrom, validUntil: r.validUntil, validDays: r.voucherValidDays }, now);
  return { validFrom: null, expiresAt: r.voucherValidDays !== null ? new Date(now.getTime() + r.voucherValidDays * 86_400_000) : null };
}

/**
 * Whether a voucher can be used now at a store's till, for a spend (coupons) or none; the discount it gives. The one
 * check of the till scan (`useVoucher`, `voucher`'s usableHere) and of a coupon applied to a purchase: VOUCHER_USED,
 * VOUCHER_INVALID (not a voucher), VOUCHER_RESERVED (held by a pending WeChat Pay till order), VOUCHER_EXPIRED, VOUCHER_NOT_STARTED (fixed dates, before the first),
 * VOUCHER_WRONG_STORE (not a store or region it names, or outside its owner's scope), VOUCHER_MIN_SPEND.
 */
export function checkVoucherUse(row: RedemptionRow, reward: RewardRow, store: { id: number; regionId: number }, spendFen: number | null, now: Date): { discountFen: number | null } {
  if (row.status === 'USED') throw new AppError(ErrorCode.VOUCHER_USED, 'This voucher was already used', { usedAt: row.usedAt?.toISOString() ?? null, usedStore: row.usedStoreName });
  if (row.status !== 'ISSUED') throw new AppError(ErrorCode.VOUCHER_INVALID, 'Not a voucher');
  if (row.reservedOrderId !== null) throw new AppError(ErrorCode.VOUCHER_RESERVED, 'This coupon is held by a WeChat Pay order waiting to be paid');
  if (row.voucherExpiresAt !== null && row.voucherExpiresAt.getTime() <= now.getTime()) {
    throw new AppError(ErrorCode.VOUCHER_EXPIRED, 'This voucher has expired', { expiresAt: row.voucherExpiresAt.toISOString() });
  }
  if (row.voucherValidFrom !== null && row.voucherValidFrom.getTime() > now.getTime()) {
    throw new AppError(ErrorCode.VOUCHER_NOT_STARTED, 'This coupon cannot be used yet', { validFrom: row.voucherValidFrom.toISOString() });
  }
  if (!couponAcceptedAt(reward, store)) throw new AppError(ErrorCode.VOUCHER_WRONG_STORE, 'This voucher cannot be used at this store');
  if (reward.kind !== 'COUPON' || spendFen === null) return { discountFen: null };
  if (spendFen < reward.minSpendFen) throw new AppError(ErrorCode.VOUCHER_MIN_SPEND, `This coupon needs a spend of at least ${reward.minSpendFen} fen`, { minSpendFen: reward.minSpendFen });
  return { discountFen: couponDiscountFen(reward, spendFen) };
}

/** A voucher by the code the member shows (normalized, check character verified) and its reward, or VOUCHER_INVALID. */
export async function voucherByCode(q: Q, code: string): Promise<{ row: RedemptionRow; reward: RewardRow }> {
  const norm = normalizeVoucherCode(code);
  if (!isVoucherCode(norm)) throw new AppError(ErrorCode.VOUCHER_INVALID, 'Not a voucher code');
  const r = await q.get<Record<string, unknown>>(`${REDEMPTION_SELECT} WHERE x.voucher_code = ?`, [norm]);
  if (!r) throw new AppError(ErrorCode.VOUCHER_INVALID, 'Unknown voucher code');
  const row = toRedemption(r);
  const reward = await q.get<Record<string, unknown>>(`SELECT ${REWARD_COLUMNS} FROM reward WHERE id = ?`, [row.rewardId]);
  return { row, reward: toReward(reward as Record<string, unknown>) };
}
