/**
 * WeChat Pay (F5): orders paid in the mini-program (JSAPI) or at a till, points accrued exactly once per
 * transaction from the signed, encrypted notification (or from recovery by query when a notification is lost),
 * and refunds that reverse the proportional points (payment-refunds.ts).
 */
import { clock } from '../../clock';
import { randomBytes } from 'node:crypto';
import { ErrorCode, ledgerReason } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import type { Config } from '../../config';
import { isUniqueViolation, toDate, toInt, type Db, type Q } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import { WechatPayError, type RequestPaymentParams, type WechatPayClient, type WechatPayTransaction } from '../../integrations/wechatpay/wechatpay-client';
import { WechatPayVerifyError, type WechatPayVerifier } from '../../integrations/wechatpay/wechatpay-verifier';
import type { WechatClient } from '../../integrations/wechat/wechat-client';
import type { EarningService } from '../earning/earning.service';
import type { OrgService } from '../org/org.service';
import type { PurchaseAccrual } from '../purchases/purchase-accrual';
import { validatePurchaseLines, type PurchaseLine } from '../purchases/purchase-lines';
import type { AnomalySource, PayAnomalyService } from './pay-anomaly.service';
import { checkTillCoupon, consumeReservedCoupon, releaseReservedCoupon, reserveCoupon, type TillCoupon } from '../coupons/coupon-reservation';
import type { RateLimitService } from '../../limits/rate-limit.service';
import { PayRefunds } from './payment-refunds';

export interface PayOrderRow {
  id: number;
  outTradeNo: string;
  memberId: number | null;
  storeId: number;
  storeName: string;
  amountFen: number;
  description: string;
  lines: { category: string; amountFen: number }[];
  state: 'PENDING' | 'PAID' | 'CLOSED';
  transactionId: string | null;
  points: number | null;
  refundedFen: number;
  pointsReversed: number;
  expiresAt: Date;
  paidAt: Date | null;
  createdAt: Date;
  /** A member's coupon applied at the till (coupon-reservation.ts) and its discount; `amountFen` is after it. */
  couponRedemptionId: number | null;
  discountFen: number;
}

export interface RefundRow {
  id: number;
  outRefundNo: string;
  outTradeNo: string;
  amountFen: number;
  status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  pointsReversed: number;
  pointsUncollected: number;
  createdAt: Date;
}

export interface RefundResource {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL' | 'PROCESSING';
  amount: { total: number; refund: number };
}

export type NotifyOutcome = { status: 204 } | { status: 400 | 401 | 500; body: { code: 'FAIL'; message: string } };

export const KEY_RE = /^[A-Za-z0-9_:.-]{8,64}$/;
const fail = (status: 400 | 401 | 500, message: string): NotifyOutcome => ({ status, body: { code: 'FAIL', message } });

/** The mini-program page a till order's code opens (a page of the `member` subpackage); it reads the order number from `scene`. */
export const TILL_PAY_PAGE = 'member/pay/index';
/** Till-order codes kept per process, so a staff screen that re-renders does not spend WeChat's 5000-a-minute quota. */
const MAX_CACHED_CODES = 256;

/** A mini-program code for a till order: `scene` is the order number, `dataUrl` the image WeChat returned. */
export interface TillOrderCode {
  outTradeNo: string;
  scene: string;
  page: string;
  dataUrl: string;
}

/** `QZ` + yyyyMMddHHmmss (UTC) + 12 random hex: 28 characters of [0-9A-Z]. */
export function newOutTradeNo(now = clock.now()): string {
  return `QZ${now.toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(6).toString('hex').toUpperCase()}`;
}

export class PaymentService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly client: WechatPayClient | null,
    private readonly verifier: WechatPayVerifier | null,
    private readonly wechat: Pick<WechatClient, 'getUnlimitedWxaCode'>,
    earning: EarningService,
    private readonly accrual: PurchaseAccrual,
    private readonly org: OrgService,
    private readonly log: Logger,
    private readonly anomalies: PayAnomalyService,
    private readonly limits: RateLimitService,
  ) {
    this.refunds = new PayRefunds(db, this, earning, accrual, org, log);
  }

  /** Refunds of paid orders and their points clawback (payment-refunds.ts). */
  readonly refunds: PayRefunds;

  /** outTradeNo → its code until the order expires (see {@link MAX_CACHED_CODES}). */
  private readonly codeCache = new Map<string, { code: TillOrderCode; until: number }>();

  get enabled(): boolean {
    return this.client !== null && this.verifier !== null;
  }

  requireEnabled(): { client: WechatPayClient; verifier: WechatPayVerifier } {
    if (!this.client || !this.verifier) throw new AppError(ErrorCode.WECHAT_UNAVAILABLE, 'WeChat Pay is not configured');
    return { client: this.client, verifier: this.verifier };
  }

  get notifyUrl(): string {
    return `${this.config.publicBaseUrl}/webhooks/wechatpay`;
  }

  /** The member paying now: id, openid, tier multiplier. */
  private async payer(userId: number): Promise<{ memberId: number; openid: string; tierId: number }> {
    const r = await this.db.q.get<Record<string, unknown>>('SELECT m.id, m.tier_id, u.openid FROM member m JOIN app_user u ON u.id = m.user_id WHERE m.user_id = ?', [userId]);
    if (!r) throw notFound('Member');
    return { memberId: toInt(r.id), openid: String(r.openid), tierId: toInt(r.tier_id) };
  }

  /** Points this purchase would earn for a member of `tierId` at `storeId` now (the same engine as at payment). */
  async previewPoints(storeId: number, tierId: number, lines: { category: string; amountFen: number }[], at = clock.now(), memberId: number | null = null): Promise<number> {
    const store = await this.org.store(storeId);
    return (await this.accrual.evaluate(store, tierId, lines, at, memberId)).earned.points;
  }

  /**
   * A member pays in the mini-program: creates the order, prepays (JSAPI) and returns wx.requestPayment's parameters
   * with the points the payment will earn.
   */
  async createOrder(
    ctx: RequestContext,
    input: { storeId: number; amountFen: number; lines?: { category: string; amountFen: number }[] | null; description?: string | null; couponCode?: string | null },
    now = clock.now(),
  ): Promise<{ order: PayOrderRow; payment: RequestPaymentParams; pointsPreview: number }> {
    const userId = ctx.requireUser();
    const { client } = this.requireEnabled();
    if (input.couponCode) throw badInput('Coupons are applied by staff on a till order', 'couponCode');
    // Categories change the points (e.g. fresh ×1.5): only staff may state them (till orders, till purchases).
    if (input.lines && input.lines.length > 0) throw badInput('Members pay an amount; purchase lines are recorded by staff', 'lines');
    const lines = validateOrder(input.amountFen, null);
    const store = await this.org.store(input.storeId);
    const description = truncateUtf8(input.description?.trim() || `${store.name} 消费`, 127);
    const payer = await this.payer(userId);
    const outTradeNo = newOutTradeNo(now);
    const expiresAt = new Date(now.getTime() + this.config.pay.orderTtlMinutes * 60_000);
    await this.insertOrder(this.db.q, { outTradeNo, memberId: payer.memberId, storeId: store.id, createdBy: null, amountFen: input.amountFen, description, lines, expiresAt, now });
    const payment = await this.prepay(client, outTradeNo, description, input.amountFen, payer.openid, expiresAt);
    const order = (await this.order(outTradeNo)) as PayOrderRow;
    return { order, payment, pointsPreview: await this.previewPoints(store.id, payer.tierId, lines, now, payer.memberId) };
  }

  /**
   * Staff create an order at the till; the member pays it by scanning its code (`payTillOrder`). With a member's
   * coupon (`couponCode`, scanned from their wallet) the order is the basket less its discount, is the coupon owner's,
   * and holds the coupon until paid or closed (coupons/coupon-reservation.ts).
   */
  async createTillOrder(
    ctx: RequestContext,
    input: { storeId: number; amountFen: number; lines?: { category: string; amountFen: number }[] | null; description?: string | null; couponCode?: string | null },
    now = clock.now(),
  ): Promise<PayOrderRow> {
    this.requireEnabled();
    const lines = validateOrder(input.amountFen, input.lines);
    const store = await this.org.store(input.storeId);
    const staffId = await authorize(ctx, 'pay.tillOrder', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    const coupon: TillCoupon | null = input.couponCode
      ? await this.limits.guard('voucher-code', { userId: staffId, storeId: store.id }, () => checkTillCoupon(this.db.q, input.couponCode as string, store, input.amountFen, lines, now))
      : null;
    const outTradeNo = newOutTradeNo(now);
    const description = truncateUtf8(input.description?.trim() || `${store.name} 消费`, 127);
    await this.db.tx(async (q) => {
      const id = await this.insertOrder(q, {
        outTradeNo, memberId: coupon?.memberId ?? null, storeId: store.id, createdBy: staffId, amountFen: coupon?.paidFen ?? input.amountFen, description, lines: coupon?.lines ?? lines,
        expiresAt: new Date(now.getTime() + this.config.pay.orderTtlMinutes * 60_000), now,
      });
      if (coupon) await reserveCoupon(q, coupon, id, now);
    });
    this.log.info({ outTradeNo, storeId: store.id, staffId, amountFen: input.amountFen, discountFen: coupon?.discountFen ?? 0 }, 'till order created');
    return (await this.order(outTradeNo)) as PayOrderRow;
  }

  /**
   * The mini-program code staff show at the till for a pending till order (getwxacodeunlimit): scanning it with WeChat
   * opens {@link TILL_PAY_PAGE} with `scene` = the order number. For the staff/managers of the order's store. The code
   * opens the mini-program version WECHAT_WXACODE_ENV names (check_path: see `config.wechat.wxacode`). When WeChat
   * fails: WECHAT_UNAVAILABLE (the staff page can still show the order number, which the member can type in).
   */
  async tillOrderCode(ctx: RequestContext, outTradeNo: string, now = clock.now()): Promise<TillOrderCode> {
    ctx.requireUser();
    const order = await this.order(outTradeNo);
    if (!order) throw notFound('Order');
    const store = await this.org.store(order.storeId);
    await authorize(ctx, 'till.lookup', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    const till = await this.db.q.get<{ created_by_id: unknown }>('SELECT created_by_id FROM pay_order WHERE id = ?', [order.id]);
    if (till?.created_by_id == null) throw badInput('Only orders created at a till have a code to scan', 'outTradeNo');
    if (order.state !== 'PENDING' || order.expiresAt <= now) throw new AppError(ErrorCode.CONFLICT, 'This order is no longer payable');
    const cached = this.codeCache.get(order.outTradeNo);
    if (cached && cached.until > now.getTime()) return cached.code;
    const { envVersion, checkPath } = this.config.wechat.wxacode;
    let image;
    try {
      image = await this.wechat.getUnlimitedWxaCode({ scene: order.outTradeNo, page: TILL_PAY_PAGE, checkPath, envVersion });
    } catch (e) {
      this.log.error({ outTradeNo: order.outTradeNo, err: e instanceof Error ? e.message : String(e) }, 'mini-program code failed');
      throw new AppError(ErrorCode.WECHAT_UNAVAILABLE, 'WeChat did not return a code to scan; the member can enter the order number instead');
    }
    const code: TillOrderCode = {
      outTradeNo: order.outTradeNo,
      scene: order.outTradeNo,
      page: TILL_PAY_PAGE,
      dataUrl: `data:${image.contentType};base64,${image.image.toString('base64')}`,
    };
    for (const [key, entry] of this.codeCache) if (entry.until <= now.getTime()) this.codeCache.delete(key);
    while (this.codeCache.size >= MAX_CACHED_CODES) this.codeCache.delete(this.codeCache.keys().next().value as string);
    this.codeCache.set(order.outTradeNo, { code, until: order.expiresAt.getTime() });
    return code;
  }

  /** The member who scanned a till order claims it and gets wx.requestPayment's parameters. */
  async payTillOrder(ctx: RequestContext, outTradeNo: string, now = clock.now()): Promise<{ order: PayOrderRow; payment: RequestPaymentParams; pointsPreview: number }> {
    const userId = ctx.requireUser();
    const { client } = this.requireEnabled();
    const payer = await this.payer(userId);
    const order = await this.order(outTradeNo);
    if (!order) throw notFound('Order');
    if (order.state !== 'PENDING' || order.expiresAt <= now) throw new AppError(ErrorCode.CONFLICT, 'This order is no longer payable');
    const claimed = await this.db.q.run("UPDATE pay_order SET member_id = ? WHERE id = ? AND state = 'PENDING' AND (member_id IS NULL OR member_id = ?)", [payer.memberId, order.id, payer.memberId]);
    if (claimed.affectedRows !== 1) throw new AppError(ErrorCode.CONFLICT, 'Another member is paying this order');
    const payment = await this.prepay(client, order.outTradeNo, order.description, order.amountFen, payer.openid, order.expiresAt);
    return { order: { ...order, memberId: payer.memberId }, payment, pointsPreview: await this.previewPoints(order.storeId, payer.tierId, order.lines, now, payer.memberId) };
  }

  private async prepay(client: WechatPayClient, outTradeNo: string, description: string, totalFen: number, openid: string, expiresAt: Date): Promise<RequestPaymentParams> {
    try {
      const p = await client.jsapiPrepay({ description, outTradeNo, notifyUrl: this.notifyUrl, totalFen, openid, timeExpire: expiresAt });
      await this.db.q.run('UPDATE pay_order SET prepay_id = ? WHERE out_trade_no = ?', [p.package.replace(/^prepay_id=/, ''), outTradeNo]);
      return p;
    } catch (e) {
      this.log.error({ outTradeNo, err: e instanceof Error ? e.message : String(e) }, 'prepay failed');
      throw new AppError(ErrorCode.WECHAT_UNAVAILABLE, 'WeChat Pay did not accept the order, try again');
    }
  }

  private async insertOrder(
    q: Q,
    o: { outTradeNo: string; memberId: number | null; storeId: number; createdBy: number | null; amountFen: number; description: string; lines: unknown; expiresAt: Date; now: Date },
  ): Promise<number> {
    const r = await q.run(
      "INSERT INTO pay_order (out_trade_no, member_id, store_id, created_by_id, amount_fen, description, `lines`, state, refunded_fen, points_reversed, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, 0, ?, ?)",
      [o.outTradeNo, o.memberId, o.storeId, o.createdBy, o.amountFen, o.description, JSON.stringify(o.lines), q.ts(o.expiresAt), q.ts(o.now)],
    );
    return r.insertId;
  }

  /** An order by its out_trade_no. */
  async order(outTradeNo: string): Promise<PayOrderRow | null> {
    const r = await this.db.q.get<Record<string, unknown>>(
      'SELECT o.*, s.name AS store_name FROM pay_order o JOIN store s ON s.id = o.store_id WHERE o.out_trade_no = ?',
      [outTradeNo],
    );
    return r ? toOrder(r) : null;
  }

  /** An order as its payer or the store's staff may see it. */
  async orderFor(ctx: RequestContext, outTradeNo: string): Promise<PayOrderRow> {
    const userId = ctx.requireUser();
    const o = await this.order(outTradeNo);
    if (!o) throw notFound('Order');
    const mine = await this.db.q.get('SELECT id FROM member WHERE user_id = ? AND id = ?', [userId, o.memberId ?? -1]);
    if (!mine) {
      const store = await this.org.store(o.storeId);
      await authorize(ctx, 'till.lookup', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    }
    return o;
  }

  /** The signed-in member's orders, newest first. */
  async myOrders(ctx: RequestContext, first: number, before: number | null): Promise<PayOrderRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > 50) throw badInput('first must be 1–50', 'first');
    const payer = await this.payer(ctx.requireUser());
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT o.*, s.name AS store_name FROM pay_order o JOIN store s ON s.id = o.store_id WHERE o.member_id = ?${before === null ? '' : ' AND o.id < ?'} ORDER BY o.id DESC LIMIT ?`,
      before === null ? [payer.memberId, first] : [payer.memberId, before, first],
    );
    return rows.map(toOrder);
  }

  /**
   * The notify endpoint's work: verify (signature, serial, timestamp, probe), decrypt (GCM tag checked), then apply
   * idempotently. Answers 204 once the work is done (or was already done) — also when the verified content contradicts
   * the order, which is then recorded as an anomaly instead (see pay-anomaly.service.ts) — 401 for anything
   * unverifiable (nothing changes), 500 only when applying truly failed (e.g. the database) so that WeChat retries.
   */
  async handleNotification(headers: Record<string, string | string[] | undefined>, body: string): Promise<NotifyOutcome> {
    if (!this.verifier) return fail(500, 'WeChat Pay is not configured');
    let opened;
    try {
      opened = this.verifier.open<Record<string, unknown>>(headers, body);
    } catch (e) {
      if (e instanceof WechatPayVerifyError) {
        this.log.warn({ reason: e.reason }, 'WeChat Pay notification rejected');
        return fail(401, 'verification failed');
      }
      throw e;
    }
    const { envelope, resource } = opened;
    try {
      if (envelope.event_type === 'TRANSACTION.SUCCESS') {
        await this.completePayment(resource as unknown as WechatPayTransaction);
      } else if (envelope.event_type.startsWith('REFUND.')) {
        await this.refunds.completeRefund(resource as unknown as RefundResource);
      } else {
        this.log.info({ event: envelope.event_type }, 'WeChat Pay notification ignored');
      }
      return { status: 204 };
    } catch (e) {
      this.log.error({ event: envelope.event_type, id: envelope.id, err: e instanceof Error ? e.message : String(e) }, 'WeChat Pay notification failed');
      return fail(500, 'processing failed');
    }
  }

  /**
   * Marks the order paid and accrues its points, once per transaction: the state change is a conditional update,
   * and the ledger entry is keyed (wechatpay, transaction_id). Returns false when there was nothing to do — also when
   * the transaction contradicts the order (amount, merchant, payer, a transaction id of another order, a second
   * payment): then nothing changes but an anomaly row (`source`: the notification or recovery's query).
   */
  async completePayment(tx: WechatPayTransaction, now = clock.now(), source: AnomalySource = 'notify'): Promise<boolean> {
    if (tx.trade_state !== 'SUCCESS' && tx.trade_state !== 'REFUND') return false;
    if (!tx.transaction_id) throw new Error('paid transaction without transaction_id');
    const found = await this.orderToPay(tx.out_trade_no);
    const order = found?.order;
    if (!found || !order) {
      this.log.warn({ outTradeNo: tx.out_trade_no }, 'payment for an unknown order');
      return false;
    }
    if (order.state === 'PAID') {
      if (order.transactionId !== null && order.transactionId !== tx.transaction_id) {
        await this.anomalies.record(order.id, tx.transaction_id, [{ kind: 'PAID_TWICE', expected: order.transactionId, received: tx.transaction_id }], source, now);
      }
      return false;
    }
    const contradictions = await this.anomalies.contradictions(tx, order, this.config.wechatPay?.mchid ?? null, found.member);
    if (contradictions.length > 0) {
      await this.anomalies.record(order.id, tx.transaction_id, contradictions, source, now);
      return false;
    }
    try {
      return await this.applyPayment(tx, order, now, found.member?.tierId ?? null);
    } catch (e) {
      // The transaction id was bound to another order meanwhile (the unique index): an anomaly, not a retry.
      const reused = isUniqueViolation(e) ? await this.anomalies.reusedBy(tx.transaction_id, order.id) : null;
      if (!reused) throw e;
      await this.anomalies.record(order.id, tx.transaction_id, [reused], source, now);
      return false;
    }
  }

  /**
   * An order to complete, with its member's tier and WeChat openid in the same statement (the payer check and the
   * earning need them; null when the order names no member).
   */
  private async orderToPay(outTradeNo: string): Promise<{ order: PayOrderRow; member: { tierId: number; openid: string } | null } | null> {
    const r = await this.db.q.get<Record<string, unknown>>(
      'SELECT o.*, s.name AS store_name, m.tier_id AS payer_tier_id, u.openid AS payer_openid FROM pay_order o JOIN store s ON s.id = o.store_id LEFT JOIN member m ON m.id = o.member_id LEFT JOIN app_user u ON u.id = m.user_id WHERE o.out_trade_no = ?',
      [outTradeNo],
    );
    if (!r) return null;
    return { order: toOrder(r), member: r.payer_tier_id == null ? null : { tierId: toInt(r.payer_tier_id), openid: String(r.payer_openid) } };
  }

  private async applyPayment(tx: WechatPayTransaction, order: PayOrderRow, now: Date, knownTierId: number | null): Promise<boolean> {
    let memberId = order.memberId;
    if (memberId === null && tx.payer?.openid) {
      const m = await this.db.q.get<{ id: unknown }>('SELECT m.id FROM member m JOIN app_user u ON u.id = m.user_id WHERE u.openid = ?', [tx.payer.openid]);
      memberId = m ? toInt(m.id) : null;
    }
    const paidAt = tx.success_time ? new Date(tx.success_time) : now;
    if (memberId === null) {
      // Paid by someone who is not a member: record the payment, no points.
      const r = await this.db.q.run("UPDATE pay_order SET state = 'PAID', transaction_id = ?, paid_at = ?, points = 0 WHERE id = ? AND state <> 'PAID'", [tx.transaction_id, this.db.q.ts(paidAt), order.id]);
      return r.affectedRows === 1;
    }
    const tierId = memberId === order.memberId && knownTierId !== null ? knownTierId : toInt((await this.db.q.get<{ tier_id: unknown }>('SELECT tier_id FROM member WHERE id = ?', [memberId]))?.tier_id);
    const store = await this.org.store(order.storeId);
    const { earned, ...settings } = await this.accrual.evaluate(store, tierId, order.lines, paidAt, memberId);
    const points = earned.points;
    const mid = memberId;
    const done = await this.db.tx(async (q) => {
      // The order row first: a duplicate notification stops here (0 rows), whatever the interleaving.
      const r = await q.run("UPDATE pay_order SET state = 'PAID', transaction_id = ?, paid_at = ?, member_id = ?, points = ? WHERE id = ? AND state <> 'PAID'", [
        tx.transaction_id, q.ts(paidAt), mid, points, order.id,
      ]);
      if (r.affectedRows !== 1) return false;
      // Sent with the accrual's batch, ahead of it: the member lock (member before account, as at the till) and the
      // reserved coupon, if any, becoming USED.
      const coupon = consumeReservedCoupon(q, order, now);
      const discountFen = coupon.discountFen;
      await this.accrual.accrue(
        q,
        {
          memberId: mid, storeId: order.storeId, staffId: null, amountFen: order.amountFen, discountFen, lines: order.lines, points,
          idempotencyKey: `wechatpay:${tx.transaction_id}`, requestHash: 'wechatpay', at: paidAt, now,
          ledger: { sourceType: 'wechatpay', sourceRef: tx.transaction_id as string, reason: ledgerReason.wechatPay(order.amountFen), actorId: null, requestHash: null },
        },
        settings,
        { statements: [{ sql: `SELECT id FROM member WHERE id = ?${q.forUpdate}`, params: [mid], rows: true }, ...coupon.statements], check: () => undefined },
      );
      return true;
    });
    if (done) this.log.info({ outTradeNo: order.outTradeNo, memberId: mid, points }, 'payment completed');
    return done;
  }

  /**
   * Recovery: orders still PENDING some minutes after creation are queried; paid ones are completed (a lost
   * notification still earns points), expired unpaid ones are closed. Refunds stored but never acknowledged by WeChat
   * Pay (the process died between the two) are sent again.
   */
  async recover(now = clock.now()): Promise<{ checked: number; completed: number; closed: number; refundsResent: number }> {
    const { client } = this.requireEnabled();
    const rows = await this.db.q.all<{ out_trade_no: unknown; expires_at: unknown }>(
      // Orders with an anomaly wait for a manager: querying them again would only count the same contradiction.
      "SELECT out_trade_no, expires_at FROM pay_order o WHERE state = 'PENDING' AND created_at <= ? AND NOT EXISTS (SELECT 1 FROM pay_anomaly a WHERE a.order_id = o.id) ORDER BY id LIMIT 200",
      [this.db.q.ts(new Date(now.getTime() - this.config.pay.recoveryAfterMinutes * 60_000))],
    );
    let completed = 0;
    let closed = 0;
    for (const r of rows) {
      const outTradeNo = String(r.out_trade_no);
      const expired = toDate(r.expires_at) <= now;
      let remote: WechatPayTransaction | null = null;
      try {
        remote = await client.queryByOutTradeNo(outTradeNo);
      } catch (e) {
        if (!(e instanceof WechatPayError && e.code === 'ORDER_NOT_EXIST')) {
          this.log.warn({ outTradeNo, err: (e as Error).message }, 'order query failed');
          continue;
        }
      }
      if (remote && (remote.trade_state === 'SUCCESS' || remote.trade_state === 'REFUND')) {
        if (await this.completePayment(remote, now, 'query')) completed++;
        continue;
      }
      if (!expired) continue;
      if (remote && remote.trade_state === 'NOTPAY') {
        try {
          await client.close(outTradeNo);
        } catch (e) {
          this.log.warn({ outTradeNo, err: (e as Error).message }, 'close failed');
          continue; // maybe paid meanwhile: the next run queries again
        }
      }
      closed += await this.closeOrder(outTradeNo, now);
    }
    const { resent } = await this.refunds.recoverRefunds(new Date(now.getTime() - this.config.pay.recoveryAfterMinutes * 60_000));
    return { checked: rows.length, completed, closed, refundsResent: resent };
  }

  /** Closes an unpaid order; its coupon, if it held one, is free again in the same transaction. Returns 1 if it closed it. */
  private closeOrder(outTradeNo: string, now: Date): Promise<number> {
    return this.db.tx(async (q) => {
      const c = await q.run("UPDATE pay_order SET state = 'CLOSED' WHERE out_trade_no = ? AND state = 'PENDING'", [outTradeNo]);
      if (c.affectedRows === 1) await releaseReservedCoupon(q, outTradeNo, now);
      return c.affectedRows;
    });
  }
}

/** WeChat Pay limits `description` to 127 UTF-8 bytes (a Chinese character is 3). */
export function truncateUtf8(s: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch);
    if (bytes + b > maxBytes) break;
    out += ch;
    bytes += b;
  }
  return out;
}

/** An order's lines: staff may state categories; without lines the whole amount is one `general` line. */
function validateOrder(amountFen: number, lines?: PurchaseLine[] | null): PurchaseLine[] {
  return validatePurchaseLines(amountFen, lines && lines.length ? lines : [{ category: 'general', amountFen }]);
}

function toOrder(r: Record<string, unknown>): PayOrderRow {
  return {
    id: toInt(r.id),
    outTradeNo: String(r.out_trade_no),
    memberId: r.member_id == null ? null : toInt(r.member_id),
    storeId: toInt(r.store_id),
    storeName: String(r.store_name),
    amountFen: toInt(r.amount_fen),
    description: String(r.description),
    lines: (typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines) as PayOrderRow['lines'],
    state: r.state as PayOrderRow['state'],
    transactionId: r.transaction_id == null ? null : String(r.transaction_id),
    points: r.points == null ? null : toInt(r.points),
    refundedFen: toInt(r.refunded_fen),
    pointsReversed: toInt(r.points_reversed),
    expiresAt: toDate(r.expires_at),
    paidAt: r.paid_at == null ? null : toDate(r.paid_at),
    createdAt: toDate(r.created_at),
    couponRedemptionId: r.coupon_redemption_id == null ? null : toInt(r.coupon_redemption_id),
    discountFen: toInt(r.discount_fen),
  };
}
