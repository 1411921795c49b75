/**
 * The WeChat Pay orders of a scope, for the manager console's 支付与退款 (issue #13): the stores whose orders a user
 * may refund (`pay.refund`: HQ managers all, region managers their region's stores, store managers and staff their
 * store), newest first, filtered by state or store, with each order's refunds and what can still be refunded.
 * Read-only: refunds themselves go through PaymentService.refund.
 */
import { allows, type RoleGrant } from '../../auth/authz';
import type { RequestContext } from '../../context';
import { toDate, toInt, type Db } from '../../db/sql';
import { badInput, forbidden } from '../../errors';
import type { OrgService } from '../org/org.service';
import type { PayOrderRow, RefundRow } from './payment.service';

export const PAY_ORDER_PAGE_MAX = 100;
/** Refunds shown per order (the newest; an order rarely has more than a few). */
export const REFUNDS_PER_ORDER = 20;
const STATES = ['PENDING', 'PAID', 'CLOSED'] as const;

export interface ScopedPayOrderRow extends Omit<PayOrderRow, 'lines' | 'transactionId'> {
  memberNo: string | null;
  /** The order amount less refunds processing or done (what refundPayment still accepts). */
  refundableFen: number;
  refunds: (RefundRow & { reason: string | null })[];
}

export interface PayOrderFilter { state?: (typeof STATES)[number] | null; storeId?: number | null; outTradeNo?: string | null }

/** The SQL condition restricting orders (alias `o`, store alias `s`) to the stores `pay.refund` allows. */
export function payScopeSql(grants: readonly RoleGrant[]): { sql: string; params: unknown[] } {
  if (grants.some((g) => g.role === 'MANAGER' && g.scope === 'HQ')) return { sql: '1 = 1', params: [] };
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const g of grants) {
    if (g.role === 'MANAGER' && g.scope === 'REGION') (parts.push('s.region_id = ?'), params.push(g.regionId));
    else if ((g.role === 'MANAGER' || g.role === 'STAFF') && g.scope === 'STORE') (parts.push('o.store_id = ?'), params.push(g.storeId));
  }
  return parts.length ? { sql: `(${parts.join(' OR ')})`, params } : { sql: '1 = 0', params: [] };
}

export class PayOrderListService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
  ) {}

  /** Orders in the caller's refund scope, newest first; FORBIDDEN without any such grant or for a store outside it. */
  async list(ctx: RequestContext, filter: PayOrderFilter, first: number, offset: number): Promise<{ total: number; items: ScopedPayOrderRow[] }> {
    ctx.requireUser();
    if (!Number.isInteger(first) || first < 1 || first > PAY_ORDER_PAGE_MAX) throw badInput(`first must be 1–${PAY_ORDER_PAGE_MAX}`, 'first');
    if (!Number.isInteger(offset) || offset < 0 || offset > 100_000) throw badInput('offset must be 0–100000', 'offset');
    if (filter.state != null && !STATES.includes(filter.state)) throw badInput('Unknown order state', 'state');
    if (filter.outTradeNo != null && !/^[A-Za-z0-9_-]{1,32}$/.test(filter.outTradeNo)) throw badInput('outTradeNo must be 1–32 of [A-Za-z0-9_-]', 'outTradeNo');
    const grants = await ctx.roles();
    const scope = payScopeSql(grants);
    if (scope.sql === '1 = 0') throw forbidden();
    const where = [scope.sql];
    const params = [...scope.params];
    if (filter.storeId != null) {
      const s = await this.org.store(filter.storeId);
      if (!allows(grants, 'pay.refund', { kind: 'STORE', storeId: s.id, regionId: s.regionId })) throw forbidden();
      (where.push('o.store_id = ?'), params.push(s.id));
    }
    if (filter.state != null) (where.push('o.state = ?'), params.push(filter.state));
    if (filter.outTradeNo != null) (where.push('o.out_trade_no = ?'), params.push(filter.outTradeNo));
    const cond = where.join(' AND ');
    const q = this.db.q;
    const total = toInt((await q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM pay_order o JOIN store s ON s.id = o.store_id WHERE ${cond}`, params))?.n);
    const rows = await q.all<Record<string, unknown>>(
      `SELECT o.id, o.out_trade_no, o.member_id, o.store_id, s.name AS store_name, o.amount_fen, o.description, o.state, o.points, o.refunded_fen, o.points_reversed, o.coupon_redemption_id, o.discount_fen,
              o.expires_at, o.paid_at, o.created_at, m.member_no
       FROM pay_order o JOIN store s ON s.id = o.store_id LEFT JOIN member m ON m.id = o.member_id WHERE ${cond} ORDER BY o.id DESC LIMIT ? OFFSET ?`,
      [...params, first, offset],
    );
    const ids = rows.map((r) => toInt(r.id));
    const refunds = ids.length
      ? await q.all<Record<string, unknown>>(
          `SELECT f.id, f.order_id, f.out_refund_no, f.amount_fen, f.reason, f.status, f.points_reversed, f.points_uncollected, f.created_at FROM pay_refund f
           WHERE f.order_id IN (${ids.map(() => '?').join(', ')}) ORDER BY f.id`,
          ids,
        )
      : [];
    const items = rows.map((r): ScopedPayOrderRow => {
      const id = toInt(r.id);
      const mine = refunds.filter((f) => toInt(f.order_id) === id);
      const open = mine.filter((f) => f.status === 'PROCESSING' || f.status === 'SUCCESS').reduce((a, f) => a + toInt(f.amount_fen), 0);
      const amountFen = toInt(r.amount_fen);
      return {
        id,
        outTradeNo: String(r.out_trade_no),
        memberId: r.member_id == null ? null : toInt(r.member_id),
        memberNo: r.member_no == null ? null : String(r.member_no),
        storeId: toInt(r.store_id),
        storeName: String(r.store_name),
        amountFen,
        description: String(r.description),
        state: r.state as PayOrderRow['state'],
        points: r.points == null ? null : toInt(r.points),
        refundedFen: toInt(r.refunded_fen),
        pointsReversed: toInt(r.points_reversed),
        refundableFen: r.state === 'PAID' ? Math.max(0, amountFen - open) : 0,
        expiresAt: toDate(r.expires_at),
        paidAt: r.paid_at == null ? null : toDate(r.paid_at),
        createdAt: toDate(r.created_at),
        couponRedemptionId: r.coupon_redemption_id == null ? null : toInt(r.coupon_redemption_id),
        discountFen: toInt(r.discount_fen),
        refunds: mine.slice(-REFUNDS_PER_ORDER).map((f) => ({
          id: toInt(f.id),
          outRefundNo: String(f.out_refund_no),
          outTradeNo: String(r.out_trade_no),
          amountFen: toInt(f.amount_fen),
          reason: f.reason == null ? null : String(f.reason),
          status: f.status as RefundRow['status'],
          pointsReversed: toInt(f.points_reversed),
          pointsUncollected: toInt(f.points_uncollected),
          createdAt: toDate(f.created_at),
        })),
      };
    });
    return { total, items };
  }
}
