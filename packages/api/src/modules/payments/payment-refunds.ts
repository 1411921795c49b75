/**
 * Refunds of WeChat Pay orders (F5): staff or a manager refund a paid order fully or partly, once per idempotency key;
 * the request is stored (with its audit entry) before it is sent, sent again after a crash, and applied once from
 * WeChat Pay's refund notification, reversing the proportional points (the shared `refundClawback`, capped by what
 * the member can spend; the rest is recorded as `pointsUncollected`).
 *
 * Clawback policy: a refund reverses floor(order points × refunded fen / order fen) cumulatively, but never more
 * than the member's spendable points at that moment (balances never go negative); what could not be taken back is
 * recorded on the refund as `pointsUncollected` for the operator.
 */
import { clock } from '../../clock';
import { createHash } from 'node:crypto';
import { ErrorCode, fenToYuan, refundClawback } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { writeAudit } from '../audit/audit';
import { toDate, toInt, type Db } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import type { WechatPayClient } from '../../integrations/wechatpay/wechatpay-client';
import type { EarningService } from '../earning/earning.service';
import type { OrgService } from '../org/org.service';
import type { PurchaseAccrual } from '../purchases/purchase-accrual';
import { KEY_RE, type PaymentService, type RefundResource, type RefundRow } from './payment.service';

export class PayRefunds {
  constructor(
    private readonly db: Db,
    private readonly pay: Pick<PaymentService, 'requireEnabled' | 'notifyUrl' | 'order'>,
    private readonly earning: EarningService,
    private readonly accrual: PurchaseAccrual,
    private readonly org: OrgService,
    private readonly log: Logger,
  ) {}

  /** Staff or a manager refund a paid order fully or partly (once per idempotency key). */
  async refund(ctx: RequestContext, input: { outTradeNo: string; amountFen: number; reason?: string | null; idempotencyKey: string }): Promise<RefundRow> {
    const { client } = this.pay.requireEnabled();
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) throw badInput('amountFen must be a positive integer', 'amountFen');
    if (!KEY_RE.test(input.idempotencyKey ?? '')) throw badInput('idempotencyKey must be 8–64 of [A-Za-z0-9_:.-]', 'idempotencyKey');
    const order = await this.pay.order(input.outTradeNo);
    if (!order) throw notFound('Order');
    const store = await this.org.store(order.storeId);
    const staffId = await authorize(ctx, 'pay.refund', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    const outRefundNo = `RF${createHash('sha256').update(input.idempotencyKey).digest('hex').slice(0, 30).toUpperCase()}`;
    const hash = createHash('sha256').update(JSON.stringify([input.outTradeNo, input.amountFen])).digest('hex');
    const prior = await this.refundRow(outRefundNo);
    if (prior) {
      const h = await this.db.q.get<{ request_hash: unknown }>('SELECT request_hash FROM pay_refund WHERE out_refund_no = ?', [outRefundNo]);
      if (h?.request_hash !== hash) throw new AppError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was used for a different refund');
      // A retry after a crash between storing the refund and sending it: send it (again; WeChat Pay keeps one refund
      // per out_refund_no), so the member is refunded and the row cannot stay PROCESSING for good.
      if (prior.status === 'PROCESSING' && !(await this.refundSent(outRefundNo))) {
        if (!(await this.resendRefund(client, outRefundNo))) throw new AppError(ErrorCode.WECHAT_UNAVAILABLE, 'WeChat Pay did not accept the refund yet: try again');
        return (await this.refundRow(outRefundNo)) as RefundRow;
      }
      return prior;
    }
    if (order.state !== 'PAID') throw new AppError(ErrorCode.CONFLICT, 'Only paid orders can be refunded');
    const pending = await this.db.q.get<{ s: unknown }>("SELECT COALESCE(SUM(amount_fen), 0) AS s FROM pay_refund WHERE order_id = ? AND status IN ('PROCESSING', 'SUCCESS')", [order.id]);
    if (toInt(pending?.s) + input.amountFen > order.amountFen) throw badInput(`At most ¥${fenToYuan(order.amountFen - toInt(pending?.s))} can still be refunded`, 'amountFen');
    const reason = input.reason?.trim().slice(0, 80) || null;
    try {
      // The refund request and its audit entry (who refunded what) commit together.
      await this.db.tx(async (q) => {
        const now = clock.now();
        const r = await q.run("INSERT INTO pay_refund (order_id, out_refund_no, amount_fen, reason, status, points_reversed, points_uncollected, created_by_id, request_hash, created_at) VALUES (?, ?, ?, ?, 'PROCESSING', 0, 0, ?, ?, ?)", [
          order.id, outRefundNo, input.amountFen, reason, staffId, hash, q.ts(now),
        ]);
        await writeAudit(q, staffId, {
          action: 'refundPayment', targetType: 'pay_refund', targetId: r.insertId, regionId: store.regionId, storeId: store.id,
          before: { outTradeNo: order.outTradeNo, amountFen: order.amountFen, refundedFen: toInt(pending?.s) },
          after: { outTradeNo: order.outTradeNo, outRefundNo, amountFen: input.amountFen, reason, status: 'PROCESSING' },
        }, now);
      });
    } catch (e) {
      const again = await this.refundRow(outRefundNo);
      if (again) return again;
      throw e;
    }
    try {
      await this.sendRefund(client, { outTradeNo: order.outTradeNo, outRefundNo, refundFen: input.amountFen, totalFen: order.amountFen, reason });
    } catch (e) {
      this.log.error({ outRefundNo, err: (e as Error).message }, 'refund request failed');
      await this.db.q.run("UPDATE pay_refund SET status = 'ABNORMAL', completed_at = ? WHERE out_refund_no = ? AND status = 'PROCESSING'", [this.db.q.ts(clock.now()), outRefundNo]);
      throw new AppError(ErrorCode.WECHAT_UNAVAILABLE, 'WeChat Pay did not accept the refund');
    }
    this.log.info({ outRefundNo, outTradeNo: order.outTradeNo, amountFen: input.amountFen, staffId }, 'refund requested');
    return (await this.refundRow(outRefundNo)) as RefundRow;
  }

  /** Sends a refund request to WeChat Pay and keeps its refund_id (the mark that WeChat Pay acknowledged it). */
  private async sendRefund(client: WechatPayClient, p: { outTradeNo: string; outRefundNo: string; refundFen: number; totalFen: number; reason: string | null }): Promise<void> {
    const r = await client.refund({ outTradeNo: p.outTradeNo, outRefundNo: p.outRefundNo, refundFen: p.refundFen, totalFen: p.totalFen, reason: p.reason ?? undefined, notifyUrl: this.pay.notifyUrl });
    await this.db.q.run('UPDATE pay_refund SET refund_id = ? WHERE out_refund_no = ? AND refund_id IS NULL', [r.refund_id, p.outRefundNo]);
  }

  /** Whether WeChat Pay acknowledged the refund request (we hold its refund_id). */
  private async refundSent(outRefundNo: string): Promise<boolean> {
    const r = await this.db.q.get<{ refund_id: unknown }>('SELECT refund_id FROM pay_refund WHERE out_refund_no = ?', [outRefundNo]);
    return r?.refund_id != null;
  }

  /**
   * Sends a stored refund's request again, with exactly the first request's content (WeChat Pay answers the same
   * out_refund_no with the same refund, never a second one). True when WeChat Pay acknowledged it; a failure leaves the
   * refund PROCESSING for the next try (recovery, or the staff's retry with the same key).
   */
  private async resendRefund(client: WechatPayClient, outRefundNo: string): Promise<boolean> {
    const f = await this.db.q.get<Record<string, unknown>>(
      'SELECT f.amount_fen, f.reason, o.out_trade_no, o.amount_fen AS total_fen FROM pay_refund f JOIN pay_order o ON o.id = f.order_id WHERE f.out_refund_no = ?',
      [outRefundNo],
    );
    if (!f) return false;
    try {
      await this.sendRefund(client, { outTradeNo: String(f.out_trade_no), outRefundNo, refundFen: toInt(f.amount_fen), totalFen: toInt(f.total_fen), reason: f.reason == null ? null : String(f.reason) });
      this.log.info({ outRefundNo }, 'refund sent again');
      return true;
    } catch (e) {
      this.log.warn({ outRefundNo, err: (e as Error).message }, 'refund resend failed');
      return false;
    }
  }

  /** Refunds stored but never acknowledged by WeChat Pay (the process died in between), older than `before`: sent again. */
  async recoverRefunds(before: Date): Promise<{ resent: number }> {
    const { client } = this.pay.requireEnabled();
    const rows = await this.db.q.all<{ out_refund_no: unknown }>(
      "SELECT out_refund_no FROM pay_refund WHERE status = 'PROCESSING' AND refund_id IS NULL AND created_at <= ? ORDER BY id LIMIT 200",
      [this.db.q.ts(before)],
    );
    let resent = 0;
    for (const r of rows) if (await this.resendRefund(client, String(r.out_refund_no))) resent++;
    return { resent };
  }

  async refundRow(outRefundNo: string): Promise<RefundRow | null> {
    const r = await this.db.q.get<Record<string, unknown>>(
      'SELECT f.*, o.out_trade_no FROM pay_refund f JOIN pay_order o ON o.id = f.order_id WHERE f.out_refund_no = ?',
      [outRefundNo],
    );
    return r
      ? {
          id: toInt(r.id),
          outRefundNo: String(r.out_refund_no),
          outTradeNo: String(r.out_trade_no),
          amountFen: toInt(r.amount_fen),
          status: r.status as RefundRow['status'],
          pointsReversed: toInt(r.points_reversed),
          pointsUncollected: toInt(r.points_uncollected),
          createdAt: toDate(r.created_at),
        }
      : null;
  }

  /** Applies a refund result once: on SUCCESS reverses the proportional points (capped by what is spendable). */
  async completeRefund(res: RefundResource, now = clock.now()): Promise<boolean> {
    if (res.refund_status === 'PROCESSING') return false;
    if (res.refund_status !== 'SUCCESS') {
      const r = await this.db.q.run('UPDATE pay_refund SET status = ?, refund_id = ?, completed_at = ? WHERE out_refund_no = ? AND status = ?', [
        res.refund_status, res.refund_id, this.db.q.ts(now), res.out_refund_no, 'PROCESSING',
      ]);
      return r.affectedRows === 1;
    }
    const settings = await this.accrual.reversalSettings();
    return this.db.tx(async (q) => {
      const r = await q.run("UPDATE pay_refund SET status = 'SUCCESS', refund_id = ?, completed_at = ? WHERE out_refund_no = ? AND status IN ('PROCESSING', 'ABNORMAL')", [
        res.refund_id, q.ts(now), res.out_refund_no,
      ]);
      if (r.affectedRows !== 1) return false;
      const f = await q.get<Record<string, unknown>>('SELECT id, order_id, amount_fen FROM pay_refund WHERE out_refund_no = ?', [res.out_refund_no]);
      const o = await q.get<Record<string, unknown>>(`SELECT id, member_id, store_id, amount_fen, points, refunded_fen, points_reversed, transaction_id FROM pay_order WHERE id = ?${q.forUpdate}`, [f?.order_id]);
      if (!f || !o) throw new Error(`refund ${res.out_refund_no} without its order`);
      const refunded = toInt(o.refunded_fen) + toInt(f.amount_fen);
      // The shared rule the console previews: cumulatively floor(points × refunded ÷ paid), less what was reversed.
      const clawback = refundClawback({ orderPoints: toInt(o.points), orderFen: toInt(o.amount_fen), refundedFen: toInt(o.refunded_fen), pointsReversed: toInt(o.points_reversed), amountFen: toInt(f.amount_fen) });
      const target = toInt(o.points_reversed) + clawback;
      let taken = 0;
      const memberId = o.member_id == null ? null : toInt(o.member_id);
      if (memberId !== null) {
        taken = await this.accrual.reverse(
          q,
          {
            memberId, storeId: toInt(o.store_id), refundFen: toInt(f.amount_fen), clawback, refundedFen: refunded, amountFen: toInt(o.amount_fen),
            earned: { sourceType: 'wechatpay', sourceRef: String(o.transaction_id) },
            idempotencyKey: `wechatpay_refund:${res.out_refund_no}`, requestHash: 'wechatpay', now,
            ledger: { sourceType: 'wechatpay_refund', sourceRef: res.out_refund_no, reason: `退款扣回积分 · 退款 ¥${fenToYuan(toInt(f.amount_fen))}` },
          },
          settings,
        );
      }
      await q.run('UPDATE pay_order SET refunded_fen = ?, points_reversed = ? WHERE id = ?', [refunded, target, toInt(o.id)]);
      await q.run('UPDATE pay_refund SET points_reversed = ?, points_uncollected = ? WHERE id = ?', [taken, clawback - taken, toInt(f.id)]);
      this.log.info({ outRefundNo: res.out_refund_no, clawback, taken }, 'refund completed');
      return true;
    });
  }
}
