/**
 * Giving coupons (F9) without points: the welcome coupon at a member's first sign-in, a manager's list, and (for the
 * campaigns) any caller holding a transaction. Every coupon is a voucher of the rewards machinery: a
 * `reward_redemption` row of the template (a COUPON reward) with a voucher code, ISSUED until a till marks it USED.
 * Coupons bought with points go through the mall's own `redeemAs` instead; both pass `takeVoucher` (budget and
 * per-member limit, atomically) in the issuing transaction.
 */
import { createHash } from 'node:crypto';
import { ErrorCode } from '@quanzi/shared';
import type { Q } from '../../db/sql';
import { AppError } from '../../errors';
import { newVoucherCode } from '../rewards/redemption.service';
import { REWARD_COLUMNS, toReward, type RewardRow } from '../rewards/reward.service';
import { takeVoucher, voucherWindow } from '../rewards/voucher-take';

/**
 * Why a coupon was given: WELCOME (first sign-in), MANAGER (a manager's list), CAMPAIGN (a targeted campaign),
 * BIRTHDAY (the birthday month), TIER_UPGRADE (rising into a tier): the last two in rule-coupons.ts.
 */
export type IssueSource = 'WELCOME' | 'MANAGER' | 'CAMPAIGN' | 'BIRTHDAY' | 'TIER_UPGRADE';

export interface IssueRequest {
  source: IssueSource;
  /** Unique per member for this coupon (the member's redemption key): a second issue under it is that first coupon. */
  key: string;
  now: Date;
}

export const issueHash = (templateId: number, source: IssueSource): string => createHash('sha256').update(JSON.stringify([templateId, source])).digest('hex');

/**
 * Issues one coupon of the template to the member inside `q`'s transaction, or returns the coupon already issued
 * under (member, key). Refusals (nothing written): REWARD_UNAVAILABLE (switched off, or its fixed dates are over),
 * LIMIT_REACHED (per member), OUT_OF_STOCK (the budget is used up), IDEMPOTENCY_CONFLICT (the key issued another
 * template or came from elsewhere). Returns the redemption id.
 */
export async function issueCoupon(q: Q, t: RewardRow, memberId: number, req: IssueRequest): Promise<{ id: number; replayed: boolean }> {
  const hash = issueHash(t.id, req.source);
  const prior = await q.get<{ id: unknown; request_hash: unknown }>('SELECT id, request_hash FROM reward_redemption WHERE member_id = ? AND idempotency_key = ?', [memberId, req.key]);
  if (prior) {
    if (prior.request_hash !== hash) throw new AppError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was used for a different coupon');
    return { id: Number(prior.id), replayed: true };
  }
  if (t.couponKind === null) throw new AppError(ErrorCode.NOT_FOUND, `Coupon template ${t.id} not found`);
  if (!t.active) throw new AppError(ErrorCode.REWARD_UNAVAILABLE, 'This coupon template is switched off', { reason: 'INACTIVE' });
  const window = voucherWindow(t, req.now);
  if (window.expiresAt && window.expiresAt.getTime() <= req.now.getTime()) throw new AppError(ErrorCode.REWARD_UNAVAILABLE, 'This coupon is no longer valid', { reason: 'ENDED' });
  await takeVoucher(q, t, memberId, req.now);
  const ins = await q.run(
    `INSERT INTO reward_redemption (reward_id, member_id, kind, points, cash_fen, cost_fen, status, idempotency_key, request_hash, submit_count, voucher_code,
       voucher_expires_at, voucher_valid_from, issue_source, points_refunded, created_at, updated_at)
     VALUES (?, ?, 'COUPON', 0, 0, ?, 'ISSUED', ?, ?, 0, ?, ?, ?, ?, 0, ?, ?)`,
    [
      t.id, memberId, t.costFen, req.key, hash, newVoucherCode(), window.expiresAt ? q.ts(window.expiresAt) : null, window.validFrom ? q.ts(window.validFrom) : null,
      req.source, q.ts(req.now), q.ts(req.now),
    ],
  );
  return { id: ins.insertId, replayed: false };
}

/**
 * The welcome coupons (active templates marked `welcome`) for a member created in this transaction (the sign-in
 * path calls this once, inside the transaction that creates the member). A template whose budget is used up or
 * whose dates are over is skipped: a sign-in never fails for a coupon. Keyed `welcome:<template>`, so once each.
 */
export async function issueWelcomeCoupons(q: Q, memberId: number, now: Date): Promise<number> {
  const rows = await q.all<Record<string, unknown>>(`SELECT ${REWARD_COLUMNS} FROM reward WHERE welcome = ? AND active = ? AND coupon_kind IS NOT NULL AND stock > 0 ORDER BY id LIMIT 10`, [q.bool(true), q.bool(true)]);
  let issued = 0;
  for (const t of rows.map(toReward)) {
    try {
      if (!(await issueCoupon(q, t, memberId, { source: 'WELCOME', key: `welcome:${t.id}`, now })).replayed) issued++;
    } catch (e) {
      // Refused before anything was written (budget gone meanwhile, dates over): no welcome coupon of this template.
      if (!(e instanceof AppError)) throw e;
    }
  }
  return issued;
}
