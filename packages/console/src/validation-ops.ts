/**
 * Checks of the coupon, programme-settings, refund and anomaly forms, mirroring the API's (CouponTemplateService.
 * normalize, CouponService.issue, EarningService.updateSettings, RatingService.updateBonusPoints, PaymentService.refund,
 * PayAnomalyService.resolve). Each returns Chinese messages per field; the API still decides and its codes are shown in
 * Chinese.
 */
type Errors<K extends string> = Partial<Record<K, string>>;

const chars = (s: string | null | undefined) => [...(s ?? '').trim()].length;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
/** Yuan as typed → fen (NaN when not a whole number of fen). */
export function toFen(yuan: number | null | undefined): number {
  if (yuan == null || !Number.isFinite(yuan)) return NaN;
  const fen = Math.round(yuan * 100);
  return Math.abs(yuan * 100 - fen) < 1e-6 ? fen : NaN;
}

export const MAX_FEN = 100_000_000;
export const MAX_BUDGET = 10_000_000;
export const MAX_POINTS_PRICE = 10_000_000;
export const MAX_ISSUE_LIST = 200;

export interface CouponDraft {
  kind?: 'AMOUNT_OFF' | 'PERCENT_OFF' | 'GIFT';
  name?: string;
  description?: string | null;
  amountOffYuan?: number | null;
  percentOff?: number | null;
  giftName?: string | null;
  minSpendYuan?: number | null;
  scope?: 'HQ' | 'REGION' | 'STORE';
  scopeId?: string | null;
  storeIds?: string[];
  regionIds?: string[];
  validity?: 'DAYS' | 'DATES';
  validDays?: number | null;
  validFrom?: Date | null;
  validUntil?: Date | null;
  limitPerMember?: number | null;
  budget?: number | null;
  pointsPrice?: number | null;
  welcome?: boolean;
  active?: boolean;
}
export type CouponField = keyof CouponDraft;

/** CouponTemplateService.normalize (and create's scope rule); `issued` is what an edited template already gave out. */
export function couponErrors(d: CouponDraft, issued = 0): Errors<CouponField> {
  const e: Errors<CouponField> = {};
  if (!d.kind) e.kind = '请选择优惠类型';
  if (chars(d.name) < 1 || chars(d.name) > 64) e.name = '名称为 1–64 个字';
  if (chars(d.description) > 500) e.description = '说明最多 500 个字';
  if (d.kind === 'AMOUNT_OFF') {
    const fen = toFen(d.amountOffYuan);
    if (!isInt(fen) || fen < 1 || fen > MAX_FEN) e.amountOffYuan = '减免金额为 ¥0.01–¥1000000';
  }
  if (d.kind === 'PERCENT_OFF' && (!isInt(d.percentOff) || d.percentOff < 1 || d.percentOff > 99)) e.percentOff = '折扣为 1–99（%）的整数，15 = 减 15%';
  if (d.kind === 'GIFT' && (chars(d.giftName) < 1 || chars(d.giftName) > 64)) e.giftName = '请填写赠品（1–64 个字）';
  if (d.minSpendYuan != null) {
    const fen = toFen(d.minSpendYuan);
    if (!isInt(fen) || fen < 0 || fen > MAX_FEN) e.minSpendYuan = '最低消费为 ¥0–¥1000000';
  }
  if (!d.scope) e.scope = '请选择归属范围';
  else if (d.scope !== 'HQ' && !d.scopeId) e.scopeId = d.scope === 'REGION' ? '请选择区域' : '请选择门店';
  if ((d.storeIds?.length ?? 0) > 50) e.storeIds = '最多指定 50 家门店';
  if ((d.regionIds?.length ?? 0) > 20) e.regionIds = '最多指定 20 个区域';
  if (d.scope === 'STORE' && (d.regionIds?.length ?? 0) > 0) e.regionIds = '门店优惠券不能指定区域';
  if (d.validity === 'DAYS') {
    if (!isInt(d.validDays) || d.validDays < 1 || d.validDays > 3650) e.validDays = '有效天数为 1–3650 天';
  } else if (d.validity === 'DATES') {
    if (!d.validUntil) e.validUntil = '请选择截止时间';
    else if (d.validFrom && d.validUntil.getTime() <= d.validFrom.getTime()) e.validUntil = '截止时间须晚于开始时间';
  } else e.validity = '请选择有效期方式';
  if (d.limitPerMember != null && (!isInt(d.limitPerMember) || d.limitPerMember < 1 || d.limitPerMember > 1000)) e.limitPerMember = '每人限领为 1–1000 张（留空不限）';
  if (!isInt(d.budget) || d.budget < 1 || d.budget > MAX_BUDGET) e.budget = '总量为 1–10000000 张';
  else if (d.budget < issued) e.budget = `总量不能少于已发放的 ${issued} 张`;
  if (d.pointsPrice != null && (!isInt(d.pointsPrice) || d.pointsPrice < 0 || d.pointsPrice > MAX_POINTS_PRICE)) e.pointsPrice = '积分价格为 0–10000000（留空或 0 为不出售）';
  if (d.welcome && d.scope && d.scope !== 'HQ') e.welcome = '只有总部优惠券可设为新会员礼券';
  return e;
}

/** The member numbers typed or pasted (one per line, or separated by commas/spaces), without repeats. */
export function parseMemberNos(text: string | null | undefined): string[] {
  return [...new Set((text ?? '').split(/[\s,，;；、]+/).filter(Boolean))];
}

/** CouponService.issue: 1–200 ten-digit member numbers. */
export function memberNosError(text: string | null | undefined): string | null {
  const nos = parseMemberNos(text);
  if (nos.length === 0) return '请输入会员号';
  if (nos.length > MAX_ISSUE_LIST) return `一次最多发放给 ${MAX_ISSUE_LIST} 位会员（当前 ${nos.length} 位）`;
  const bad = nos.find((n) => !/^\d{10}$/.test(n));
  return bad ? `会员号为 10 位数字：${bad.slice(0, 20)}` : null;
}

export interface SettingsDraft {
  rounding?: 'FLOOR' | 'ROUND' | 'CEIL';
  capPerPurchase?: number | null;
  pointsValidityMonths?: number | null;
  tierPeriodMonths?: number | null;
  signupBonusPoints?: number | null;
  birthdayBonusPoints?: number | null;
  profileBonusPoints?: number | null;
  ratingBonusPoints?: number | null;
  /** 生日月优惠券: a template id or 'none' (sections/program/rule-coupons.ts; the selects offer only what the API takes). */
  birthdayCoupon?: string | null;
  /** 升级优惠券: tier id → template id or 'none'. */
  tierCoupons?: Record<string, string | null>;
}

/** EarningService.updateSettings (rounding, cap, validity, tier period, sign-up, birthday and profile bonuses) and RatingService.updateBonusPoints. */
export function settingsErrors(d: SettingsDraft): Errors<keyof SettingsDraft> {
  const e: Errors<keyof SettingsDraft> = {};
  if (!d.rounding || !['FLOOR', 'ROUND', 'CEIL'].includes(d.rounding)) e.rounding = '请选择取整方式';
  if (d.capPerPurchase != null && (!isInt(d.capPerPurchase) || d.capPerPurchase <= 0 || d.capPerPurchase > 2_147_483_647)) e.capPerPurchase = '单笔上限为正整数（留空不限）';
  if (!isInt(d.pointsValidityMonths) || d.pointsValidityMonths < 1 || d.pointsValidityMonths > 120) e.pointsValidityMonths = '积分有效期为 1–120 个月';
  if (!isInt(d.tierPeriodMonths) || d.tierPeriodMonths < 1 || d.tierPeriodMonths > 36) e.tierPeriodMonths = '等级评定周期为 1–36 个月';
  if (!isInt(d.signupBonusPoints) || d.signupBonusPoints < 0 || d.signupBonusPoints > 100_000) e.signupBonusPoints = '注册奖励为 0–100000 积分';
  if (!isInt(d.birthdayBonusPoints) || d.birthdayBonusPoints < 0 || d.birthdayBonusPoints > 100_000) e.birthdayBonusPoints = '生日月奖励为 0–100000 积分';
  if (!isInt(d.profileBonusPoints) || d.profileBonusPoints < 0 || d.profileBonusPoints > 100_000) e.profileBonusPoints = '完善资料奖励为 0–100000 积分';
  if (!isInt(d.ratingBonusPoints) || d.ratingBonusPoints < 0 || d.ratingBonusPoints > 1000) e.ratingBonusPoints = '评价奖励为 0–1000 积分';
  return e;
}

export interface RefundDraft { amountYuan?: number | null; reason?: string | null }

/** PaymentService.refund and RefundPaymentInput: a positive whole-fen amount within what is refundable, a reason of at most 80 characters. */
export function refundErrors(d: RefundDraft, refundableFen: number): Errors<keyof RefundDraft> {
  const e: Errors<keyof RefundDraft> = {};
  const fen = toFen(d.amountYuan);
  if (!isInt(fen) || fen < 1) e.amountYuan = '请输入退款金额（最小 ¥0.01）';
  else if (fen > refundableFen) e.amountYuan = `最多可退 ¥${(refundableFen / 100).toFixed(2)}`;
  if (chars(d.reason) > 80) e.reason = '退款原因最多 80 个字';
  return e;
}

/** PayAnomalyService.resolve: what was done, 1–500 characters. */
export function anomalyNoteError(note: string | null | undefined): string | null {
  const n = (note ?? '').trim().length;
  return n < 1 ? '请填写处理说明' : n > 500 ? '处理说明最多 500 个字' : null;
}

/** An idempotency key per submission (8–64 of [A-Za-z0-9_:.-]; refunds and coupon issues both accept it). */
export function submitKey(prefix: string): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `${prefix}-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}
