import { clock } from '../../clock';
import { createHash } from 'node:crypto';
import { ErrorCode, fenToYuan, ledgerReason, normalizeVoucherCode, spreadDiscount, type EarningStep } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { toDate, toInt, type Db } from '../../db/sql';
import { AppError, badInput } from '../../errors';
import type { Logger } from '../../logger';
import { validatePurchaseLines, type PurchaseLine } from './purchase-lines';
import { checkVoucherUse, voucherByCode } from '../rewards/voucher-take';

export type { PurchaseLine } from './purchase-lines';
import { debit, spendableBalance } from '../ledger/ledger.service';
import { codeStep, consumeCodeStep, replayOrThrow, type TillIdentifier, type TillIdentity } from './till-identity';

export type { TillIdentity } from './till-identity';
import type { OrgService } from '../org/org.service';
import type { PurchaseAccrual } from './purchase-accrual';
import type { RateLimitService } from '../../limits/rate-limit.service';

export interface RecordPurchaseInput extends TillIdentity {
  storeId: number;
  /** The basket before any coupon (the lines add up to it). */
  amountFen: number;
  lines: PurchaseLine[];
  idempotencyKey: string;
  /** A coupon of the scanned member to apply (F9): used once, its discount taken off before the points are computed. */
  couponCode?: string | null;
}
export interface RedeemPointsInput extends TillIdentity { storeId: number; points: number; reason: string; idempotencyKey: string }

export interface PurchaseReceipt {
  id: number;
  memberNo: string;
  points: number;
  balance: number;
  steps: EarningStep[];
  replayed: boolean;
  /** The coupon's discount (fen; 0 without a coupon) and what the member pays, which earned the points. */
  discountFen: number;
  paidFen: number;
}
export interface RedemptionReceipt { id: number; memberNo: string; points: number; balance: number; replayed: boolean }
/** A line of the till's operations: a purchase, a points deduction, or a catalogue reward redeemed here (`rewardName`). */
export interface TillOperation { id: string; kind: 'PURCHASE' | 'REDEMPTION' | 'REWARD'; memberNo: string; amountFen: number | null; points: number; rewardName: string | null; createdAt: Date }

const KEY_RE = /^[A-Za-z0-9_:.-]{8,96}$/;
const MAX_REDEEM = 10_000_000;

const sha256 = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** Staff at the till (F2, F3, F4): record an offline purchase, deduct points; the till's recent operations (rewards redeemed there too). */
export class PurchaseService {
  constructor(
    private readonly db: Db,
    private readonly till: TillIdentifier,
    private readonly accrual: PurchaseAccrual,
    private readonly org: OrgService,
    private readonly log: Logger,
    private readonly limits: RateLimitService,
  ) {}

  /**
   * Records a purchase scanned at a till and credits its points. Exactly once per idempotency key: a replay
   * (same key, same content) returns the first receipt, even after the member code has rotated; the same key
   * with other content is IDEMPOTENCY_CONFLICT. Bad input changes nothing.
   */
  async recordPurchase(ctx: RequestContext, input: RecordPurchaseInput, now = clock.now()): Promise<PurchaseReceipt> {
    validatePurchase(input);
    const store = await this.org.store(input.storeId);
    const staffId = await authorize(ctx, 'till.purchase', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    const who = await this.till.identify(input, store.id, staffId);
    const couponCode = input.couponCode ? normalizeVoucherCode(input.couponCode) : null;
    const hash = sha256({ memberNo: who.memberNo, storeId: store.id, amountFen: input.amountFen, lines: input.lines, ...(couponCode ? { couponCode } : {}) });

    // The idempotency key is checked by the purchase row's unique index, in the transaction. Only when something fails
    // before it — the code has rotated or its step was consumed by the first attempt, the coupon was used by it — is an
    // earlier result of this key looked for (a replay answers that, a different purchase IDEMPOTENCY_CONFLICT).
    const replay = () => this.findPurchase(input.idempotencyKey, hash);
    const v = await this.till.verifyOrReplay(who, now, replay);
    if ('replay' in v) return v.replay;
    const verified = v;
    let coupon: { id: number; discountFen: number } | null;
    try {
      // A coupon: the member's own, usable here and now for this basket (checkVoucherUse); the discount comes off the lines.
      coupon = couponCode ? await this.couponFor(ctx, couponCode, verified.member.id, store, staffId, input.amountFen, now) : null;
    } catch (e) {
      const prior = e instanceof AppError ? await replay() : null;
      if (prior) return prior;
      throw e;
    }
    const { member, step } = verified;
    const discountFen = coupon?.discountFen ?? 0;
    const paidFen = input.amountFen - discountFen;
    const lines = spreadDiscount(input.lines, discountFen);
    const { earned, ...settings } = await this.accrual.evaluate(store, member.tierId, lines, now, member.id);
    const reason = ledgerReason.purchase(paidFen);
    try {
      const done = await this.db.tx(async (q) => {
        // The code step (it locks the member row) goes in the same round trip as the accrual's writes.
        const a = await this.accrual.accrue(
          q,
          {
            memberId: member.id, storeId: store.id, staffId, amountFen: paidFen, discountFen, lines, points: earned.points,
            idempotencyKey: input.idempotencyKey, requestHash: hash, at: now, now,
            ledger: { sourceType: 'purchase', sourceRef: null, reason, actorId: staffId, requestHash: hash },
          },
          settings,
          codeStep(member.id, step),
        );
        if (coupon) {
          // Used once: the conditional update lets one of two concurrent purchases have it; the other rolls back whole.
          const u = await q.run(
            "UPDATE reward_redemption SET status = 'USED', used_at = ?, used_store_id = ?, used_by_id = ?, discount_fen = ?, used_purchase_id = ?, finished_at = ?, updated_at = ? WHERE id = ? AND status = 'ISSUED' AND member_id = ? AND reserved_order_id IS NULL",
            [q.ts(now), store.id, staffId, discountFen, a.purchaseId, q.ts(now), q.ts(now), coupon.id, member.id],
          );
          if (u.affectedRows !== 1) throw new AppError(ErrorCode.VOUCHER_USED, 'This coupon was already used (or is held by a WeChat Pay order)');
        }
        return a;
      });
      const { purchaseId: id, balance } = done;
      this.log.info({ purchaseId: id, memberId: member.id, storeId: store.id, staffId, amountFen: paidFen, discountFen, couponId: coupon?.id, points: earned.points }, 'purchase recorded');
      return { id, memberNo: member.memberNo, points: earned.points, balance, steps: earned.steps, replayed: false, discountFen, paidFen };
    } catch (e) {
      return replayOrThrow(e, replay);
    }
  }

  /** Deducts points at the till, exactly once per idempotency key; INSUFFICIENT_POINTS changes nothing. */
  async redeemPoints(ctx: RequestContext, input: RedeemPointsInput, now = clock.now()): Promise<RedemptionReceipt> {
    if (!Number.isSafeInteger(input.points) || input.points <= 0 || input.points > MAX_REDEEM) throw badInput(`points must be an integer 1–${MAX_REDEEM}`, 'points');
    const reasonText = (input.reason ?? '').trim();
    if (!reasonText || reasonText.length > 60) throw badInput('reason is required (≤ 60 characters)', 'reason');
    if (!KEY_RE.test(input.idempotencyKey ?? '')) throw badInput('idempotencyKey must be 8–96 of [A-Za-z0-9_:.-]', 'idempotencyKey');
    const store = await this.org.store(input.storeId);
    const staffId = await authorize(ctx, 'till.redeem', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    const who = await this.till.identify(input, store.id, staffId);
    const hash = sha256({ memberNo: who.memberNo, storeId: store.id, points: input.points, reason: reasonText });

    const prior = await this.findRedemption(input.idempotencyKey, hash);
    if (prior) return prior;

    const v = await this.till.verifyOrReplay(who, now, () => this.findRedemption(input.idempotencyKey, hash));
    if ('replay' in v) return v.replay;
    const { member, step } = v;
    try {
      const entryId = await this.db.tx(async (q) => {
        await consumeCodeStep(q, member.id, step);
        const d = await debit(
          q,
          {
            memberId: member.id, kind: 'REDEEM', reason: ledgerReason.tillRedeem(reasonText), actorId: staffId, storeId: store.id,
            sourceType: 'till_redeem', sourceRef: input.idempotencyKey, requestHash: hash, now,
          },
          input.points,
        );
        return d.entryId;
      });
      const balance = await this.balance(member.id);
      this.log.info({ entryId, memberId: member.id, storeId: store.id, staffId, points: input.points }, 'points redeemed at till');
      return { id: entryId, memberNo: member.memberNo, points: input.points, balance, replayed: false };
    } catch (e) {
      return replayOrThrow(e, () => this.findRedemption(input.idempotencyKey, hash));
    }
  }

  /** The last operations at a store's till, newest first. */
  async tillOperations(ctx: RequestContext, storeId: number, first: number): Promise<TillOperation[]> {
    if (!Number.isInteger(first) || first < 1 || first > 50) throw badInput('first must be 1–50', 'first');
    const store = await this.org.store(storeId);
    await authorize(ctx, 'till.lookup', { kind: 'STORE', storeId: store.id, regionId: store.regionId });
    const purchases = await this.db.q.all<Record<string, unknown>>(
      'SELECT p.id, p.amount_fen, p.points, p.created_at, m.member_no FROM purchase p JOIN member m ON m.id = p.member_id WHERE p.store_id = ? ORDER BY p.id DESC LIMIT ?',
      [store.id, first],
    );
    const redemptions = await this.db.q.all<Record<string, unknown>>(
      "SELECT e.id, e.delta, e.created_at, m.member_no FROM points_entry e JOIN member m ON m.id = e.member_id WHERE e.store_id = ? AND e.source_type = 'till_redeem' ORDER BY e.id DESC LIMIT ?",
      [store.id, first],
    );
    const rewards = await this.db.q.all<Record<string, unknown>>(
      'SELECT x.id, x.points, x.created_at, r.name, m.member_no FROM reward_redemption x JOIN reward r ON r.id = x.reward_id JOIN member m ON m.id = x.member_id WHERE x.store_id = ? ORDER BY x.id DESC LIMIT ?',
      [store.id, first],
    );
    const ops: TillOperation[] = [
      ...purchases.map((r) => ({ id: `P${toInt(r.id)}`, kind: 'PURCHASE' as const, memberNo: String(r.member_no), amountFen: toInt(r.amount_fen), points: toInt(r.points), rewardName: null, createdAt: toDate(r.created_at) })),
      ...redemptions.map((r) => ({ id: `R${toInt(r.id)}`, kind: 'REDEMPTION' as const, memberNo: String(r.member_no), amountFen: null, points: -toInt(r.delta), rewardName: null, createdAt: toDate(r.created_at) })),
      ...rewards.map((r) => ({ id: `W${toInt(r.id)}`, kind: 'REWARD' as const, memberNo: String(r.member_no), amountFen: null, points: toInt(r.points), rewardName: String(r.name), createdAt: toDate(r.created_at) })),
    ];
    return ops.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, first);
  }

  private balance(memberId: number): Promise<number> {
    return spendableBalance(this.db.q, memberId, clock.now());
  }

  /** The coupon to apply to a purchase, checked (nothing changes): its id and the discount on `basketFen`. */
  private async couponFor(ctx: RequestContext, code: string, memberId: number, store: { id: number; regionId: number }, staffId: number, basketFen: number, now: Date): Promise<{ id: number; discountFen: number }> {
    const { row, reward } = await this.limits.guard('voucher-code', { userId: staffId, storeId: store.id }, () => voucherByCode(this.db.q, code));
    if (reward.kind !== 'COUPON') throw new AppError(ErrorCode.VOUCHER_INVALID, 'Not a coupon: use the voucher at the till (useVoucher)');
    if (row.memberId !== memberId) throw new AppError(ErrorCode.VOUCHER_NOT_OWNER, "This coupon is another member's");
    const { discountFen } = checkVoucherUse(row, reward, store, basketFen, now);
    return { id: row.id, discountFen: discountFen ?? 0 };
  }

  private async findPurchase(key: string, hash: string): Promise<PurchaseReceipt | null> {
    const r = await this.db.q.get<Record<string, unknown>>(
      'SELECT p.id, p.points, p.request_hash, p.member_id, p.amount_fen, p.discount_fen, m.member_no FROM purchase p JOIN member m ON m.id = p.member_id WHERE p.idempotency_key = ?',
      [key],
    );
    if (!r) return null;
    if (r.request_hash !== hash) throw new AppError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was used for a different purchase');
    const memberId = toInt(r.member_id);
    return { id: toInt(r.id), memberNo: String(r.member_no), points: toInt(r.points), balance: await this.balance(memberId), steps: [], replayed: true, discountFen: toInt(r.discount_fen), paidFen: toInt(r.amount_fen) };
  }

  private async findRedemption(key: string, hash: string): Promise<RedemptionReceipt | null> {
    const r = await this.db.q.get<Record<string, unknown>>(
      "SELECT e.id, e.delta, e.request_hash, e.member_id, m.member_no FROM points_entry e JOIN member m ON m.id = e.member_id WHERE e.source_type = 'till_redeem' AND e.source_ref = ?",
      [key],
    );
    if (!r) return null;
    if (r.request_hash !== hash) throw new AppError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was used for a different redemption');
    const memberId = toInt(r.member_id);
    return { id: toInt(r.id), memberNo: String(r.member_no), points: -toInt(r.delta), balance: await this.balance(memberId), replayed: true };
  }
}

function validatePurchase(input: RecordPurchaseInput): void {
  validatePurchaseLines(input.amountFen, input.lines);
  if (input.couponCode != null && (typeof input.couponCode !== 'string' || input.couponCode.length > 32)) throw badInput('couponCode: the coupon code (≤ 32 characters)', 'couponCode');
  if (!KEY_RE.test(input.idempotencyKey ?? '')) throw badInput('idempotencyKey must be 8–96 of [A-Za-z0-9_:.-]', 'idempotencyKey');
}
