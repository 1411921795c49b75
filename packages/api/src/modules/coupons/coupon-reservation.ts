/**
 * A member's coupon on a WeChat Pay till order (F9). Staff create the order with the coupon's code (scanned from the
 * member's wallet QR): the order is for the basket less the discount (the minimum spend checked on the basket), it
 * belongs to the coupon's owner (only they can pay it), and the coupon is RESERVED for it — `reserved_order_id` set by
 * a conditional update, so of two orders racing for one coupon one gets it and the other is VOUCHER_RESERVED, and the
 * till's own uses (`useVoucher`, `recordPurchase`) refuse it meanwhile. Then exactly one of:
 * - the payment notification (or recovery's query) moves the order to PAID: in that transaction the coupon becomes
 *   USED (`consumeReservedCoupon`; a replayed notification stops at the order row, so once), and the points earn on
 *   the discounted lines;
 * - the order is closed unpaid (expired, recovery): the coupon is free again (`releaseReservedCoupon`).
 * A coupon reserved by a paid order is used even if its last day passed meanwhile: the member paid the discounted
 * amount while it was valid. The coupon's `used_by_id` stays null (the member paid; the order names its staff).
 */
import { ErrorCode, normalizeVoucherCode, spreadDiscount } from '@quanzi/shared';
import { toInt, type Q, type Stmt } from '../../db/sql';
import { AppError, badInput } from '../../errors';
import type { PurchaseLine } from '../purchases/purchase-lines';
import { checkVoucherUse, voucherByCode } from '../rewards/voucher-take';

/** A coupon checked for a till order: its owner, the discount, what is paid and the discounted lines. */
export interface TillCoupon {
  redemptionId: number;
  memberId: number;
  discountFen: number;
  paidFen: number;
  lines: PurchaseLine[];
}

/**
 * Checks a coupon for a till order at `store` on a basket of `lines` (nothing changes): VOUCHER_INVALID (not a coupon
 * code, a voucher that is not a coupon), VOUCHER_RESERVED (on another pending order), the till's checks
 * (`checkVoucherUse`: used, expired, not started, wrong store, minimum spend on the basket), BAD_USER_INPUT when the
 * coupon covers the whole amount (WeChat Pay needs at least 1 fen: record the purchase at the till instead).
 */
export async function checkTillCoupon(q: Q, code: string, store: { id: number; regionId: number }, basketFen: number, lines: PurchaseLine[], now: Date): Promise<TillCoupon> {
  if (typeof code !== 'string' || code.length > 32) throw badInput('couponCode: the coupon code (≤ 32 characters)', 'couponCode');
  const { row, reward } = await voucherByCode(q, normalizeVoucherCode(code));
  if (reward.kind !== 'COUPON') throw new AppError(ErrorCode.VOUCHER_INVALID, 'Not a coupon: use the voucher at the till (useVoucher)');
  const { discountFen } = checkVoucherUse(row, reward, store, basketFen, now);
  const discount = discountFen ?? 0;
  if (basketFen - discount < 1) throw badInput('The coupon covers the whole amount: record the purchase at the till instead', 'couponCode');
  return { redemptionId: row.id, memberId: row.memberId, discountFen: discount, paidFen: basketFen - discount, lines: spreadDiscount(lines, discount) };
}

/** Inside the transaction that inserts order `orderId`: reserves the coupon for it (VOUCHER_USED / VOUCHER_RESERVED when it lost a race). */
export async function reserveCoupon(q: Q, c: TillCoupon, orderId: number, now: Date): Promise<void> {
  const u = await q.run("UPDATE reward_redemption SET reserved_order_id = ?, updated_at = ? WHERE id = ? AND status = 'ISSUED' AND reserved_order_id IS NULL", [orderId, q.ts(now), c.redemptionId]);
  if (u.affectedRows !== 1) {
    const r = await q.get<{ status: unknown }>('SELECT status FROM reward_redemption WHERE id = ?', [c.redemptionId]);
    if (r?.status === 'USED') throw new AppError(ErrorCode.VOUCHER_USED, 'This coupon was already used');
    throw new AppError(ErrorCode.VOUCHER_RESERVED, 'This coupon is held by another order waiting to be paid');
  }
  await q.run('UPDATE pay_order SET coupon_redemption_id = ?, discount_fen = ? WHERE id = ?', [c.redemptionId, c.discountFen, orderId]);
}

/**
 * Inside the transaction that moves the order to PAID: the statement that makes its reserved coupon USED at the
 * order's store (none for an order without a coupon: the notification's hot path), sent with the accrual's batch, and
 * the discount (0 without a coupon).
 */
export function consumeReservedCoupon(q: Q, order: { id: number; storeId: number; couponRedemptionId: number | null; discountFen: number }, now: Date): { statements: Stmt[]; discountFen: number } {
  if (order.couponRedemptionId === null) return { statements: [], discountFen: 0 };
  return {
    statements: [
      {
        sql: "UPDATE reward_redemption SET status = 'USED', used_at = ?, used_store_id = ?, discount_fen = ?, finished_at = ?, updated_at = ? WHERE id = ? AND reserved_order_id = ? AND status = 'ISSUED'",
        params: [q.ts(now), order.storeId, order.discountFen, q.ts(now), q.ts(now), order.couponRedemptionId, order.id],
      },
    ],
    discountFen: order.discountFen,
  };
}

/** Inside the transaction that closed order `outTradeNo` unpaid: its coupon (if any, still unused) is free again. */
export async function releaseReservedCoupon(q: Q, outTradeNo: string, now: Date): Promise<void> {
  const o = await q.get<{ id: unknown; coupon_redemption_id: unknown }>("SELECT id, coupon_redemption_id FROM pay_order WHERE out_trade_no = ? AND state = 'CLOSED'", [outTradeNo]);
  if (o?.coupon_redemption_id == null) return;
  await q.run("UPDATE reward_redemption SET reserved_order_id = NULL, updated_at = ? WHERE id = ? AND reserved_order_id = ? AND status = 'ISSUED'", [q.ts(now), toInt(o.coupon_redemption_id), toInt(o.id)]);
}
