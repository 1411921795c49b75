/**
 * Form validation that mirrors the API's own checks (class-validator decorators on the inputs and the services'
 * rules), so a manager sees the problem before sending; the API still decides and its codes are shown in Chinese.
 * Each validator returns a Chinese message, or null when the value is fine.
 */
import { adjustmentErrors, adjustmentNeedsApproval, type AdjustmentField } from '@quanzi/shared';

type Check<T> = (v: T) => string | null;

/** createRegion/createStore `code`: @Matches(/^[a-z0-9-]{2,32}$/). */
export const orgCode: Check<string | undefined> = (v) => (!v ? '请输入编码' : /^[a-z0-9-]{2,32}$/.test(v) ? null : '编码为 2–32 位小写字母、数字或 -');
/** `name`: @Length(1, 64). */
export const orgName: Check<string | undefined> = (v) => (!v?.trim() ? '请输入名称' : v.length > 64 ? '名称最多 64 个字' : null);

export interface TierDraft { code?: string; name?: string; rank?: number | null; thresholdYuan?: number | null; multiplierPct?: number | null }
export interface TierRow { code: string; name: string; rank: number; thresholdFen: number }

/** TierInput's decorators plus TierService.upsert's ordering rules (rank 0 has threshold 0; thresholds rise with rank). */
export function tierErrors(d: TierDraft, others: readonly TierRow[]): Partial<Record<keyof TierDraft, string>> {
  const e: Partial<Record<keyof TierDraft, string>> = {};
  if (!d.code || !/^[A-Z][A-Z0-9_]{0,15}$/.test(d.code)) e.code = '编码为大写字母开头的 1–16 位大写字母、数字或 _';
  if (!d.name?.trim() || d.name.length > 32) e.name = '名称为 1–32 个字';
  if (d.rank == null || !Number.isInteger(d.rank) || d.rank < 0 || d.rank > 20) e.rank = '级别为 0–20 的整数';
  if (d.multiplierPct == null || !Number.isInteger(d.multiplierPct) || d.multiplierPct < 100 || d.multiplierPct > 1000) e.multiplierPct = '积分倍数为 100–1000（%）的整数';
  const fen = d.thresholdYuan == null ? NaN : Math.round(d.thresholdYuan * 100);
  if (!Number.isInteger(fen) || fen < 0) e.thresholdYuan = '门槛为不小于 0 的金额';
  else if (d.rank === 0 && fen !== 0) e.thresholdYuan = '入门等级（级别 0）的门槛必须为 0';
  else if (d.rank != null && !e.rank) {
    for (const t of others.filter((x) => x.code !== d.code)) {
      if (t.rank < d.rank && t.thresholdFen >= fen) e.thresholdYuan = `门槛须高于「${t.name}」的 ¥${t.thresholdFen / 100}`;
      if (t.rank > d.rank && t.thresholdFen <= fen) e.thresholdYuan = `门槛须低于「${t.name}」的 ¥${t.thresholdFen / 100}`;
      if (t.rank === d.rank) e.rank = `级别 ${d.rank} 已被「${t.name}」占用`;
    }
  }
  return e;
}

export interface RuleDraft {
  kind?: 'BASE_RATE' | 'CATEGORY' | 'CAMPAIGN';
  name?: string;
  scope?: 'HQ' | 'REGION' | 'STORE';
  scopeId?: string | null;
  yuanPerPoint?: number | null;
  multiplierPct?: number | null;
  category?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
}

/** CreateEarningRuleInput's decorators plus EarningService's validateRule/targetOf. */
export function ruleErrors(d: RuleDraft): Partial<Record<keyof RuleDraft, string>> {
  const e: Partial<Record<keyof RuleDraft, string>> = {};
  if (!d.kind) e.kind = '请选择规则类型';
  if (!d.name?.trim() || d.name.length > 64) e.name = '名称为 1–64 个字';
  if (!d.scope) e.scope = '请选择适用范围';
  else if (d.scope !== 'HQ' && !d.scopeId) e.scopeId = d.scope === 'REGION' ? '请选择区域' : '请选择门店';
  if (d.kind === 'BASE_RATE') {
    const fen = d.yuanPerPoint == null ? NaN : Math.round(d.yuanPerPoint * 100);
    if (!Number.isInteger(fen) || fen < 1 || fen > 1_000_000) e.yuanPerPoint = '每积分消费金额为 ¥0.01–¥10000';
  } else if (d.kind) {
    if (d.multiplierPct == null || !Number.isInteger(d.multiplierPct) || d.multiplierPct < 0 || d.multiplierPct > 10_000) e.multiplierPct = '倍数为 0–10000（%）的整数';
  }
  if (d.kind === 'CATEGORY' && (!d.category?.trim() || d.category.length > 32)) e.category = '请输入品类（1–32 个字符）';
  if (d.kind === 'CAMPAIGN' && !(d.startsAt && d.endsAt && d.endsAt > d.startsAt)) e.endsAt = '活动结束时间须晚于开始时间';
  return e;
}

/** adjustRewardStock's `delta`: a non-zero integer within ±10 000 000, and stock never below 0. */
export function stockDeltaError(delta: number | null | undefined, stock: number): string | null {
  if (delta == null || !Number.isInteger(delta) || delta === 0) return '请输入非零整数';
  if (Math.abs(delta) > 10_000_000) return '单次调整不超过 10000000';
  if (stock + delta < 0) return `库存不能低于 0（当前 ${stock}）`;
  if (stock + delta > 10_000_000) return '库存不能超过 10000000';
  return null;
}

/** requestPointsAdjustment's `delta` and `reason`: the API's own rule (`adjustmentErrors` in @quanzi/shared). */
export function adjustmentFieldError(field: AdjustmentField, draft: { delta?: number | null; reason?: string | null }): string | null {
  return adjustmentErrors(draft)[field] ?? null;
}

/** What the adjustment form says about approval: applied at once, or waits for a second manager. */
export function adjustmentApprovalHint(delta: number | null | undefined, threshold: number): string | null {
  if (delta == null || !Number.isInteger(delta) || delta === 0) return null;
  return adjustmentNeedsApproval(delta, threshold)
    ? `超过 ${threshold} 积分，提交后需另一位经理审批才会入账`
    : `不超过 ${threshold} 积分，提交后立即入账`;
}
