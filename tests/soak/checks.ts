/**
 * What must hold after the soak (read from the private database, the simulators and the API's own reconciliation):
 * - the books balance (`pointsReconciliation` as an HQ manager is empty: balance = Σ entries = Σ live lot remainders);
 * - every request either took effect exactly once (one row / one ledger entry per idempotency key) or failed with an
 *   error code and changed nothing; a request that never got an answer took effect at most once;
 * - every ledger entry has its business source (no points created or lost on the way);
 * - every order WeChat Pay has as paid is PAID here with its points credited exactly once; no order is still PENDING
 *   past its deadline; every refund WeChat Pay confirmed is SUCCESS with its reversal once;
 * - every reward order is DELIVERED or FAILED-and-refunded as the provider decided, or still legitimately retrying
 *   with a reason (an outbox job due later and its last error); stock = initial − live orders;
 * - no lot past expiry still holds points after the last expiry run, and each lot expired at most once.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import type { RechargeSimulator, WechatPaySimulator } from '@quanzi/simulators';
import type { Records } from './workers';

export interface CheckReport { failures: string[]; notes: string[]; figures: Record<string, number | string> }

type Row = Record<string, unknown>;
const n = (v: unknown): number => Number(v ?? 0);
const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : new Date(String(v)).getTime());

async function all(db: Pool, sql: string, params: unknown[] = []): Promise<Row[]> {
  const [rows] = await db.query(sql, params);
  return rows as Row[];
}

/** Collects at most `max` messages per kind of failure, counting the rest. */
class Failures {
  readonly list: string[] = [];
  private readonly perKind = new Map<string, number>();
  add(kind: string, msg: string, max = 5): void {
    const c = (this.perKind.get(kind) ?? 0) + 1;
    this.perKind.set(kind, c);
    if (c <= max) this.list.push(`${kind}: ${msg}`);
    else if (c === max + 1) this.list.push(`${kind}: … more`);
  }
  count(kind: string): number {
    return this.perKind.get(kind) ?? 0;
  }
}

export async function runChecks(db: Pool, records: Records, sims: { pay: WechatPaySimulator; recharge: RechargeSimulator }, reconciliation: unknown[], initialStock: number): Promise<CheckReport> {
  const f = new Failures();
  const notes: string[] = [];
  const figures: Record<string, number | string> = {};
  const now = new Date();

  // 1. The books.
  if (reconciliation.length) f.add('reconciliation', `${reconciliation.length} member(s) out of balance, e.g. ${JSON.stringify(reconciliation.slice(0, 3))}`);
  const dupKeys = await all(db, 'SELECT source_type, source_ref, COUNT(*) AS c FROM points_entry GROUP BY source_type, source_ref HAVING c > 1 LIMIT 5');
  for (const d of dupKeys) f.add('ledger-key-twice', `${String(d.source_type)}/${String(d.source_ref)} × ${n(d.c)}`);

  // 2. Till requests: exactly once per key, or nothing.
  const purchases = new Map((await all(db, 'SELECT id, idempotency_key, points FROM purchase')).map((r) => [String(r.idempotency_key), r]));
  const entries = await all(db, 'SELECT id, member_id, delta, kind, source_type, source_ref FROM points_entry');
  const entryBy = new Map<string, Row[]>();
  for (const e of entries) {
    const k = `${String(e.source_type)}/${String(e.source_ref)}`;
    entryBy.set(k, [...(entryBy.get(k) ?? []), e]);
  }
  const ofSource = (type: string, ref: string): Row[] => entryBy.get(`${type}/${ref}`) ?? [];
  let gaveUpApplied = 0;
  for (const r of records.till) {
    if (r.op === 'purchase') {
      const p = purchases.get(r.key);
      const earn = p ? ofSource('purchase', String(p.id)) : [];
      if (r.outcome === 'ok') {
        if (!p) f.add('purchase-lost', `${r.key} answered ok (id ${r.id}) but no purchase row`);
        else if (String(p.id) !== r.id) f.add('purchase-mismatch', `${r.key}: answered id ${r.id}, row ${String(p.id)}`);
        else if (earn.length !== (n(p.points) > 0 ? 1 : 0) || (earn[0] && n(earn[0].delta) !== n(p.points))) f.add('purchase-points', `${r.key}: ${earn.length} credit(s) for ${n(p.points)} points`);
      } else if (r.outcome === 'failed' && p) f.add('purchase-failed-but-applied', `${r.key} answered ${r.code} but purchase ${String(p.id)} exists`);
      else if (r.outcome === 'gave-up' && p) gaveUpApplied++;
    } else {
      const d = ofSource('till_redeem', r.key);
      if (r.outcome === 'ok') {
        if (d.length !== 1 || n(d[0]?.delta) !== -(r.points ?? 0)) f.add('deduction-not-once', `${r.key}: ${d.length} entries (${d.map((e) => n(e.delta)).join(',')}), answered ${r.points}`);
      } else if (r.outcome === 'failed' && d.length) f.add('deduction-failed-but-applied', `${r.key} answered ${r.code} but ${d.length} entries exist`);
      else if (r.outcome === 'gave-up' && d.length) gaveUpApplied++;
    }
  }
  for (const v of records.idempotencyViolations) f.add('idempotency', v);

  // 3. Reward orders.
  const redemptions = new Map((await all(db, 'SELECT id, idempotency_key, member_id, status, points, points_refunded, out_trade_no, stuck_at, fail_reason FROM reward_redemption')).map((r) => [String(r.idempotency_key), r]));
  const outbox = new Map((await all(db, "SELECT ref, status, attempts, available_at, last_error FROM outbox WHERE topic = 'reward.fulfil'")).map((r) => [String(r.ref), r]));
  const byStatus: Record<string, number> = {};
  const expectFail = new Set(['fail', 'reject', 'fail-no-callback']);
  for (const r of records.rewards) {
    const row = redemptions.get(r.key);
    if (r.outcome === 'failed') {
      if (row) f.add('reward-failed-but-applied', `${r.key} answered ${r.code} but order ${String(row.id)} exists`);
      continue;
    }
    if (!row) {
      if (r.outcome === 'ok') f.add('reward-lost', `${r.key} answered ok (${r.redemptionId}) but no order`);
      continue;
    }
    if (r.outcome === 'gave-up') gaveUpApplied++;
    const id = String(row.id);
    const status = String(row.status);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const debits = ofSource('reward', id);
    if (debits.length !== 1 || n(debits[0]?.delta) !== -n(row.points)) f.add('reward-debit-not-once', `order ${id}: ${debits.length} debit(s)`);
    const refunds = ofSource('reward_refund', id);
    const remote = sims.recharge.order(String(row.out_trade_no));
    if (status === 'DELIVERED') {
      if (refunds.length) f.add('reward-delivered-and-refunded', `order ${id}`);
      if (remote?.status !== 'SUCCESS') f.add('reward-delivered-not-at-provider', `order ${id}: provider says ${remote?.status ?? 'no order'}`);
      if (expectFail.has(r.behaviour)) f.add('reward-outcome', `order ${id} (${r.behaviour}) DELIVERED`);
    } else if (status === 'FAILED') {
      if (refunds.length !== 1 || n(refunds[0]?.delta) !== n(row.points) || n(row.points_refunded) !== n(row.points)) f.add('reward-refund-not-once', `order ${id}: ${refunds.length} refund(s), points_refunded ${n(row.points_refunded)}`);
      if (remote?.status === 'SUCCESS') f.add('reward-refunded-but-delivered', `order ${id}: the provider delivered it, the member got the points back too`);
      if (!expectFail.has(r.behaviour)) f.add('reward-outcome', `order ${id} (${r.behaviour}) FAILED: ${String(row.fail_reason)}`);
    } else {
      const job = outbox.get(id);
      if (row.stuck_at) f.add('reward-stuck', `order ${id} ${status} marked stuck (${r.behaviour})`);
      else if (!job || job.status !== 'PENDING') f.add('reward-stuck', `order ${id} ${status} (${r.behaviour}) with no pending job (${job ? String(job.status) : 'no job'})`);
      else notes.push(`reward order ${id} (${r.behaviour}) still ${status}: job attempt ${n(job.attempts)}, next at ${new Date(ms(job.available_at)).toISOString()}, last error: ${String(job.last_error ?? '—')}`);
    }
  }
  figures['reward orders by status'] = Object.entries(byStatus).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)';
  const [stockRow] = await all(db, "SELECT stock FROM reward WHERE kind = 'MOBILE_TOPUP'");
  const [live] = await all(db, "SELECT COUNT(*) AS c FROM reward_redemption WHERE status <> 'FAILED'");
  if (n(stockRow?.stock) !== initialStock - n(live?.c)) f.add('reward-stock', `stock ${n(stockRow?.stock)} ≠ ${initialStock} − ${n(live?.c)} live orders`);

  // 4. Payments and refunds.
  const orders = await all(db, 'SELECT id, out_trade_no, state, transaction_id, points, amount_fen, refunded_fen, points_reversed, expires_at FROM pay_order');
  const orderBy = new Map(orders.map((o) => [String(o.out_trade_no), o]));
  let paidChecked = 0;
  for (const o of orders) {
    const no = String(o.out_trade_no);
    const remote = sims.pay.order(no) as { trade_state?: string; transaction_id?: string } | null;
    const paidRemote = remote?.trade_state === 'SUCCESS' || remote?.trade_state === 'REFUND';
    if (o.state === 'PAID') {
      paidChecked++;
      if (!paidRemote) f.add('paid-not-at-wechat', `${no} PAID here, WeChat Pay says ${remote?.trade_state ?? 'no order'}`);
      else if (remote?.transaction_id !== String(o.transaction_id)) f.add('paid-transaction-mismatch', `${no}: ${String(o.transaction_id)} vs ${remote?.transaction_id}`);
      const credits = ofSource('wechatpay', String(o.transaction_id));
      if (credits.length !== (n(o.points) > 0 ? 1 : 0) || (credits[0] && n(credits[0].delta) !== n(o.points))) f.add('paid-points-not-once', `${no}: ${credits.length} credit(s) for ${n(o.points)} points`);
      if (!purchases.has(`wechatpay:${String(o.transaction_id)}`)) f.add('paid-no-spend-row', no);
    } else if (o.state === 'PENDING') {
      if (paidRemote) f.add('payment-stuck', `${no} paid at WeChat Pay but PENDING here (points not credited)`);
      // Recovery closes an expired order within its interval (5 s here): 15 s of grace.
      else if (ms(o.expires_at) + 15_000 <= now.getTime()) f.add('payment-past-deadline', `${no} PENDING past its deadline ${new Date(ms(o.expires_at)).toISOString()}`);
    } else if (paidRemote) f.add('payment-closed-but-paid', `${no} CLOSED here, paid at WeChat Pay`);
  }
  for (const p of records.payments) if (p.paidAtSim && orderBy.get(p.outTradeNo)?.state !== 'PAID') f.add('payment-not-paid', `${p.outTradeNo} (${p.mode}) paid at WeChat Pay, ${String(orderBy.get(p.outTradeNo)?.state ?? 'missing')} here`);
  figures['orders PAID / PENDING (unpaid, before deadline) / CLOSED'] = `${paidChecked} / ${orders.filter((o) => o.state === 'PENDING').length} / ${orders.filter((o) => o.state === 'CLOSED').length}`;

  const refundRows = await all(db, 'SELECT f.out_refund_no, f.status, f.amount_fen, f.points_reversed, o.out_trade_no FROM pay_refund f JOIN pay_order o ON o.id = f.order_id');
  const refundBy = new Map(refundRows.map((r) => [String(r.out_refund_no), r]));
  const confirmed = new Set(sims.pay.deliveries.filter((d) => d.outRefundNo).map((d) => d.outRefundNo as string));
  for (const r of records.refunds) {
    const no = `RF${createHash('sha256').update(r.key).digest('hex').slice(0, 30).toUpperCase()}`;
    const row = refundBy.get(no);
    if (r.outcome === 'failed') {
      // WECHAT_UNAVAILABLE leaves the attempt on record as ABNORMAL, with no points moved: that is "nothing changed".
      if (row && !(row.status === 'ABNORMAL' && ofSource('wechatpay_refund', no).length === 0)) f.add('refund-failed-but-applied', `${r.key} answered ${r.code} but refund ${no} is ${String(row.status)}`);
      continue;
    }
    if (!row) {
      if (r.outcome === 'ok') f.add('refund-lost', `${r.key} answered ok but no refund ${no}`);
      continue;
    }
    const rev = ofSource('wechatpay_refund', no);
    if (row.status === 'SUCCESS') {
      if (rev.length > 1 || (rev.length === 1 && n(rev[0]?.delta) !== -n(row.points_reversed)) || (rev.length === 0 && n(row.points_reversed) > 0)) f.add('refund-reversal-not-once', `${no}: ${rev.length} reversal(s) for ${n(row.points_reversed)}`);
    } else {
      f.add('refund-stuck', `${no} (order ${String(row.out_trade_no)}) ${String(row.status)} after the drain; WeChat Pay ${confirmed.has(no) ? 'confirmed it (notification sent)' : 'never received it'}`);
    }
  }
  for (const o of orders) {
    const ok = refundRows.filter((r) => r.out_trade_no === o.out_trade_no && r.status === 'SUCCESS');
    const sum = ok.reduce((s, r) => s + n(r.amount_fen), 0);
    if (sum !== n(o.refunded_fen)) f.add('refund-sum', `${String(o.out_trade_no)}: refunds ${sum} ≠ refunded_fen ${n(o.refunded_fen)}`);
    const target = n(o.amount_fen) > 0 ? Math.floor((n(o.points) * n(o.refunded_fen)) / n(o.amount_fen)) : 0;
    if (n(o.points_reversed) !== target) f.add('refund-points', `${String(o.out_trade_no)}: points_reversed ${n(o.points_reversed)} ≠ ${target}`);
  }
  figures['refunds by status'] = Object.entries(refundRows.reduce<Record<string, number>>((a, r) => ({ ...a, [String(r.status)]: (a[String(r.status)] ?? 0) + 1 }), {})).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)';

  // 5. Expiry.
  const [due] = await all(db, 'SELECT COUNT(*) AS c, COALESCE(SUM(remaining), 0) AS s FROM points_lot WHERE remaining > 0 AND expires_at <= ?', [now]);
  if (n(due?.c) > 0) f.add('expiry-missed', `${n(due?.c)} lot(s) past expiry still hold ${n(due?.s)} points after the last expiry run`);
  const expires = entries.filter((e) => e.kind === 'EXPIRE');
  figures['EXPIRE entries (one per member and run) / points'] = `${expires.length} / ${-expires.reduce((s, e) => s + n(e.delta), 0)}`;

  // 6. Every entry has its source.
  const tillKeys = new Set(records.till.filter((r) => r.op === 'redeem').map((r) => r.key));
  const purchaseIds = new Set([...purchases.values()].map((p) => String(p.id)));
  const paidTx = new Set(orders.filter((o) => o.state === 'PAID').map((o) => String(o.transaction_id)));
  const redemptionIds = new Map([...redemptions.values()].map((r) => [String(r.id), String(r.status)]));
  const okRefunds = new Set(refundRows.filter((r) => r.status === 'SUCCESS').map((r) => String(r.out_refund_no)));
  const lotIds = new Set((await all(db, 'SELECT id FROM points_lot')).map((r) => String(r.id)));
  for (const e of entries) {
    const t = String(e.source_type);
    const ref = String(e.source_ref);
    const known =
      t === 'soak_seed' ? true
      : t === 'purchase' ? purchaseIds.has(ref)
      : t === 'wechatpay' ? paidTx.has(ref)
      : t === 'till_redeem' ? tillKeys.has(ref)
      : t === 'reward' ? redemptionIds.has(ref)
      : t === 'reward_refund' ? redemptionIds.get(ref) === 'FAILED'
      : t === 'wechatpay_refund' ? okRefunds.has(ref)
      : t === 'expiry' ? lotIds.has(ref)
      : false;
    if (!known) f.add('entry-without-source', `entry ${String(e.id)} ${String(e.kind)} ${n(e.delta)} (${t}/${ref})`);
  }
  figures['requests without an answer that had taken effect (at most once)'] = gaveUpApplied;
  figures['ledger entries checked'] = entries.length;
  return { failures: f.list, notes, figures };
}
