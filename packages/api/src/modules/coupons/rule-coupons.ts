/**
 * Coupons issued by rule (F9) besides the welcome coupon: the programme's birthday-month coupon and its tier-upgrade
 * coupons (programme settings, HQ manager). Both go through `issueCoupon` (budget and per-member limit, atomically,
 * in the caller's transaction) and never fail the caller: a template whose budget is used up, whose per-member limit
 * is reached, that is switched off or whose dates are over is skipped (logged by the caller's counts, nothing written).
 *
 * - Birthday: issued in the transaction that claims the birthday month (earning/birthday-bonus.ts), keyed
 *   `birthday:<yyyy-mm>` — once per birthday month, and never twice in any 12 months (the claim's rule).
 * - Tier upgrade: issued in the transaction that raises the member's tier (tiers/tier.service.ts `reevaluate`, under the
 *   member row lock every accrual takes), keyed `tier_upgrade:<tierId>` — once per (member, tier) for good: a member
 *   who drops out of a tier and rises into it again gets no second coupon for it. A jump over several tiers gives the
 *   coupon of the tier reached only.
 */
import { ErrorCode } from '@quanzi/shared';
import type { Q } from '../../db/sql';
import { AppError, badInput } from '../../errors';
import { REWARD_COLUMNS, toReward, type RewardRow } from '../rewards/reward.service';
import { issueCoupon } from './coupon-issue';

/** One tier's upgrade coupon in the programme settings. */
export interface TierUpgradeCoupon { tierId: number; templateId: number }

/** At most this many tier-upgrade coupons (one per tier). */
export const MAX_TIER_COUPONS = 20;

async function template(q: Q, id: number): Promise<RewardRow | null> {
  const r = await q.get<Record<string, unknown>>(`SELECT ${REWARD_COLUMNS} FROM reward WHERE id = ? AND coupon_kind IS NOT NULL`, [id]);
  return r ? toReward(r) : null;
}

/**
 * Settings check of a rule coupon's template: NOT_FOUND (no such coupon template), BAD_USER_INPUT (a region's or a
 * store's template: a rule gives it to every member), REWARD_UNAVAILABLE (switched off).
 */
export async function checkRuleTemplate(q: Q, id: unknown, field: string): Promise<number> {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw badInput(`${field}: not a coupon template id`, field);
  const t = await template(q, id);
  if (!t) throw new AppError(ErrorCode.NOT_FOUND, `Coupon template ${id} not found`, { field });
  if (t.ownerStoreId !== null || t.ownerRegionId !== null) throw badInput('Only an HQ template can be given by rule (every member may get it)', field);
  if (!t.active) throw new AppError(ErrorCode.REWARD_UNAVAILABLE, 'This coupon template is switched off', { reason: 'INACTIVE', field });
  return id;
}

/** Parses the stored JSON (or null) into the list. */
export function parseTierCoupons(v: unknown): TierUpgradeCoupon[] {
  if (v == null || v === '') return [];
  const list = (typeof v === 'string' ? JSON.parse(v) : v) as { tierId: unknown; templateId: unknown }[];
  return list.map((x) => ({ tierId: Number(x.tierId), templateId: Number(x.templateId) }));
}

/** Issues the template's coupon under `key` unless refused; true when a new coupon was written. */
async function issueByRule(q: Q, templateId: number, memberId: number, source: 'BIRTHDAY' | 'TIER_UPGRADE', key: string, now: Date): Promise<boolean> {
  const t = await template(q, templateId);
  if (!t) return false;
  try {
    return !(await issueCoupon(q, t, memberId, { source, key, now })).replayed;
  } catch (e) {
    // Refused before anything was written (budget gone, limit reached, switched off, dates over): no coupon this time.
    if (e instanceof AppError) return false;
    throw e;
  }
}

/** Inside the transaction that claimed the member's birthday month `month` (`YYYY-MM`): the birthday coupon. */
export function issueBirthdayCoupon(q: Q, templateId: number, memberId: number, month: string, now: Date): Promise<boolean> {
  return issueByRule(q, templateId, memberId, 'BIRTHDAY', `birthday:${month}`, now);
}

/** Inside the transaction that raised the member (row locked) into `tierId`: that tier's coupon, if the programme names one. */
export async function issueTierUpgradeCoupon(q: Q, coupons: TierUpgradeCoupon[], memberId: number, tierId: number, now: Date): Promise<boolean> {
  const c = coupons.find((x) => x.tierId === tierId);
  return c ? issueByRule(q, c.templateId, memberId, 'TIER_UPGRADE', `tier_upgrade:${tierId}`, now) : false;
}
