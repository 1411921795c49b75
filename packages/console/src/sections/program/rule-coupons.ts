/**
 * The programme's rule coupons in the settings form (生日月优惠券, 升级优惠券): which templates may be picked, which
 * tiers get a select, what is sent and how a refusal reads. The API's rule (EarningService.updateSettings,
 * checkRuleTemplate): an HQ template (no region or store scope), switched on; a tier above the entry tier, once.
 */
import { ApiError, errorZh } from '../../api/client';

/** The select's "none" value (template ids are positive integers, so it cannot clash). */
export const NO_COUPON = 'none';

export interface RuleTemplate { id: string; name: string; active: boolean; scopeStoreId?: string | null; scopeRegionId?: string | null }
export interface RuleTier { id: string; name: string; rank: number }
export interface TierCoupon { tierId: string; templateId: string }

/**
 * The options of a rule-coupon select: 不发, then the HQ templates that are switched on; a saved template that is no
 * longer one of them stays listed (disabled, so it still reads as saved) but cannot be picked again.
 */
export function ruleTemplateOptions(templates: readonly RuleTemplate[], saved: readonly string[]): { value: string; label: string; disabled?: boolean }[] {
  const hq = templates.filter((t) => t.scopeStoreId == null && t.scopeRegionId == null);
  const out: { value: string; label: string; disabled?: boolean }[] = [{ value: NO_COUPON, label: '不发' }];
  for (const t of hq) if (t.active) out.push({ value: t.id, label: t.name });
  for (const id of new Set(saved)) {
    if (out.some((o) => o.value === id)) continue;
    const t = templates.find((x) => x.id === id);
    out.push({ value: id, label: t ? `${t.name}（${t.active ? '非总部券' : '已停用'}）` : `券模板 #${id}`, disabled: true });
  }
  return out;
}

/** The tiers a member can rise into (above the entry tier), lowest first. */
export const upgradeTiers = (tiers: readonly RuleTier[]): RuleTier[] => tiers.filter((t) => t.rank > 0).sort((a, b) => a.rank - b.rank);

/** The form's per-tier choice (tier id → template id or NO_COUPON) from the saved list. */
export function tierCouponChoice(tiers: readonly RuleTier[], saved: readonly TierCoupon[]): Record<string, string> {
  return Object.fromEntries(upgradeTiers(tiers).map((t) => [t.id, saved.find((c) => c.tierId === t.id)?.templateId ?? NO_COUPON]));
}

/** The list to send (one entry per tier given a coupon, by tier id), from the per-tier choice. */
export function tierCouponList(choice: Record<string, string | null | undefined>): TierCoupon[] {
  return Object.entries(choice)
    .filter((e): e is [string, string] => e[1] != null && e[1] !== NO_COUPON)
    .map(([tierId, templateId]) => ({ tierId, templateId }))
    .sort((a, b) => Number(a.tierId) - Number(b.tierId));
}

/** The same tier → template pairs, in any order. */
const sameList = (a: readonly TierCoupon[], b: readonly TierCoupon[]): boolean => {
  const key = (l: readonly TierCoupon[]) => JSON.stringify(tierCouponList(Object.fromEntries(l.map((c) => [c.tierId, c.templateId]))));
  return key(a) === key(b);
};

/**
 * The rule-coupon part of updateProgramSettings' input: only what changed (the API checks a template whenever it is
 * sent, so an unchanged template switched off since does not block saving the other settings). `null` clears the
 * birthday coupon; the tier list replaces the old one.
 */
export function ruleCouponInput(
  saved: { birthdayCouponTemplateId: string | null; tierUpgradeCoupons: readonly TierCoupon[] },
  draft: { birthdayCoupon?: string | null; tierCoupons?: Record<string, string | null | undefined> },
): { birthdayCouponTemplateId?: string | null; tierUpgradeCoupons?: TierCoupon[] } {
  const out: { birthdayCouponTemplateId?: string | null; tierUpgradeCoupons?: TierCoupon[] } = {};
  const birthday = draft.birthdayCoupon == null || draft.birthdayCoupon === NO_COUPON ? null : draft.birthdayCoupon;
  if (birthday !== saved.birthdayCouponTemplateId) out.birthdayCouponTemplateId = birthday;
  const list = tierCouponList(draft.tierCoupons ?? {});
  if (!sameList(list, saved.tierUpgradeCoupons)) out.tierUpgradeCoupons = list;
  return out;
}

/** A refusal in Chinese, naming the rule coupon it is about (the code's message from the shared map). */
export function settingsErrorZh(e: unknown): string {
  if (!(e instanceof ApiError)) return errorZh(e);
  const label = e.field === 'birthdayCouponTemplateId' ? '生日月优惠券' : e.field === 'tierUpgradeCoupons' ? '升级优惠券' : null;
  if (!label) return e.zh;
  return `${label}：${e.code === 'REWARD_UNAVAILABLE' ? '该券模板已停用' : e.zh}`;
}
