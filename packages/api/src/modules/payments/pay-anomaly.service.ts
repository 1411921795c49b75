/**
 * Money anomalies (ARCHITECTURE "Production hardening"): a verified WeChat Pay message — a notification or a query
 * answer during recovery — whose content contradicts our order (another amount, another merchant, another payer, a
 * transaction id that already paid another order, or a second payment of a paid order). It is acknowledged (WeChat
 * stops retrying), changes no points and becomes a `pay_anomaly` row, unique per (order, transaction, kind) so that
 * repeats count up `times_seen`. HQ managers list and resolve them; orders with an anomaly leave automatic recovery.
 */
import { ErrorCode } from '@quanzi/shared';
import { clock } from '../../clock';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { writeAudit } from '../audit/audit';
import { isUniqueViolation, toDate, toInt, type Db } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import type { WechatPayTransaction } from '../../integrations/wechatpay/wechatpay-client';

export type PayAnomalyKind = 'AMOUNT_MISMATCH' | 'MERCHANT_MISMATCH' | 'PAYER_MISMATCH' | 'TRANSACTION_REUSED' | 'PAID_TWICE';
export type AnomalySource = 'notify' | 'query';

export interface Contradiction {
  kind: PayAnomalyKind;
  expected: string;
  received: string;
}

export interface PayAnomalyRow {
  id: number;
  outTradeNo: string;
  storeName: string;
  amountFen: number;
  transactionId: string;
  kind: PayAnomalyKind;
  expected: string;
  received: string;
  source: AnomalySource;
  firstSeenAt: Date;
  lastSeenAt: Date;
  timesSeen: number;
  resolvedAt: Date | null;
  resolvedById: number | null;
  resolutionNote: string | null;
}

/** The order as completing a payment sees it. */
export interface OrderFacts {
  id: number;
  outTradeNo: string;
  amountFen: number;
  memberId: number | null;
  state: string;
  transactionId: string | null;
}

const SELECT = `SELECT a.*, o.out_trade_no, o.amount_fen, s.name AS store_name FROM pay_anomaly a JOIN pay_order o ON o.id = a.order_id JOIN store s ON s.id = o.store_id`;

export class PayAnomalyService {
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /**
   * What in a paid transaction contradicts the (unpaid) order: the merchant id, the amount, the payer (when the order
   * names a member: `payer` is that member's openid when the caller read it, else it is looked up), a transaction id
   * that already paid another order. Empty when it may be completed.
   *
   * The transaction id is looked up only when something else contradicts already (all of a message's contradictions
   * are recorded together); otherwise completing the payment binds it to the order under the unique index, whose
   * violation the caller turns into the same TRANSACTION_REUSED anomaly (`reusedBy`).
   */
  async contradictions(tx: WechatPayTransaction, order: OrderFacts, ourMchid: string | null, payer?: { openid: string } | null): Promise<Contradiction[]> {
    const out: Contradiction[] = [];
    if (ourMchid !== null && tx.mchid !== ourMchid) out.push({ kind: 'MERCHANT_MISMATCH', expected: ourMchid, received: clip(tx.mchid) });
    if (tx.amount?.total !== order.amountFen) out.push({ kind: 'AMOUNT_MISMATCH', expected: String(order.amountFen), received: clip(tx.amount?.total) });
    if (order.memberId !== null && tx.payer?.openid) {
      const m = payer !== undefined ? payer : await this.db.q.get<{ openid: unknown }>('SELECT u.openid FROM member m JOIN app_user u ON u.id = m.user_id WHERE m.id = ?', [order.memberId]);
      if (m && String(m.openid) !== tx.payer.openid) out.push({ kind: 'PAYER_MISMATCH', expected: `member ${order.memberId}`, received: 'another WeChat user' });
    }
    if (out.length > 0) {
      const reused = await this.reusedBy(tx.transaction_id as string, order.id);
      if (reused) out.push(reused);
    }
    return out;
  }

  /** TRANSACTION_REUSED when the transaction id already paid another of our orders. */
  async reusedBy(transactionId: string, orderId: number): Promise<Contradiction | null> {
    const other = await this.db.q.get<{ out_trade_no: unknown }>('SELECT out_trade_no FROM pay_order WHERE transaction_id = ? AND id <> ?', [transactionId, orderId]);
    return other ? { kind: 'TRANSACTION_REUSED', expected: 'a transaction of this order only', received: `already paid ${String(other.out_trade_no)}` } : null;
  }

  /** Records (or counts again) each contradiction of one message about an order. */
  async record(orderId: number, transactionId: string, found: readonly Contradiction[], source: AnomalySource, now = clock.now()): Promise<void> {
    const q = this.db.q;
    for (const c of found) {
      const again = () =>
        q.run('UPDATE pay_anomaly SET times_seen = times_seen + 1, last_seen_at = ? WHERE order_id = ? AND transaction_id = ? AND kind = ?', [q.ts(now), orderId, transactionId, c.kind]);
      if ((await again()).affectedRows === 1) continue;
      try {
        await q.run(
          'INSERT INTO pay_anomaly (order_id, transaction_id, kind, expected, received, source, first_seen_at, last_seen_at, times_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)',
          [orderId, transactionId, c.kind, clip(c.expected), clip(c.received), source, q.ts(now), q.ts(now)],
        );
        this.log.error({ orderId, transactionId, ...c, source }, 'WeChat Pay anomaly: acknowledged, no points, needs a manager');
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        await again(); // a concurrent copy inserted it first
      }
    }
  }

  /** HQ managers: anomalies, newest first; `resolved` true/false filters, null lists all. */
  async list(ctx: RequestContext, resolved: boolean | null, first: number): Promise<PayAnomalyRow[]> {
    await authorize(ctx, 'pay.anomaly');
    if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first must be 1–200', 'first');
    const where = resolved === null ? '' : resolved ? ' WHERE a.resolved_at IS NOT NULL' : ' WHERE a.resolved_at IS NULL';
    const rows = await this.db.q.all<Record<string, unknown>>(`${SELECT}${where} ORDER BY a.id DESC LIMIT ?`, [first]);
    return rows.map(toRow);
  }

  /** HQ managers: marks an anomaly resolved with a note (what was done: refunded, credited by hand, …); once. */
  async resolve(ctx: RequestContext, id: number, note: string, now = clock.now()): Promise<PayAnomalyRow> {
    const userId = await authorize(ctx, 'pay.anomaly');
    const text = (note ?? '').trim();
    if (text.length < 1 || text.length > 500) throw badInput('note: 1–500 characters', 'note');
    const q = this.db.q;
    const r = await this.db.tx(async (tq) => {
      const r = await tq.run('UPDATE pay_anomaly SET resolved_at = ?, resolved_by_id = ?, resolution_note = ? WHERE id = ? AND resolved_at IS NULL', [tq.ts(now), userId, text, id]);
      if (r.affectedRows === 1) await writeAudit(tq, userId, { action: 'resolvePayAnomaly', targetType: 'pay_anomaly', targetId: id, before: { resolved: false }, after: { resolved: true, note: text } }, now);
      return r;
    });
    const row = await this.byId(id);
    if (!row) throw notFound('Anomaly');
    if (r.affectedRows !== 1) throw new AppError(ErrorCode.CONFLICT, 'This anomaly was already resolved');
    this.log.info({ anomalyId: id, userId }, 'WeChat Pay anomaly resolved');
    return row;
  }

  async byId(id: number): Promise<PayAnomalyRow | null> {
    const r = await this.db.q.get<Record<string, unknown>>(`${SELECT} WHERE a.id = ?`, [id]);
    return r ? toRow(r) : null;
  }
}

function clip(v: unknown): string {
  return String(v ?? '').slice(0, 128);
}

function toRow(r: Record<string, unknown>): PayAnomalyRow {
  return {
    id: toInt(r.id),
    outTradeNo: String(r.out_trade_no),
    storeName: String(r.store_name),
    amountFen: toInt(r.amount_fen),
    transactionId: String(r.transaction_id),
    kind: r.kind as PayAnomalyKind,
    expected: String(r.expected),
    received: String(r.received),
    source: r.source as AnomalySource,
    firstSeenAt: toDate(r.first_seen_at),
    lastSeenAt: toDate(r.last_seen_at),
    timesSeen: toInt(r.times_seen),
    resolvedAt: r.resolved_at == null ? null : toDate(r.resolved_at),
    resolvedById: r.resolved_by_id == null ? null : toInt(r.resolved_by_id),
    resolutionNote: r.resolution_note == null ? null : String(r.resolution_note),
  };
}
