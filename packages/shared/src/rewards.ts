/**
 * Reward rules (PRODUCT F6), pure so the mini-program can say "you can afford this", "check the card number" or
 * "2 left today" with the server's own logic: catalogue order, availability windows, per-member limit windows
 * (Asia/Shanghai days and months), top-up and fuel-card targets, voucher codes with a check character, coupon
 * arithmetic and the own-vs-partner redemption ratio (seed 000: a key loyalty indicator).
 */
import { SHANGHAI_OFFSET_MS } from './shanghai';

export type RewardKind = 'MOBILE_TOPUP' | 'FUEL_CARD' | 'OWN_PRODUCT' | 'COUPON';
export const REWARD_KINDS: readonly RewardKind[] = ['MOBILE_TOPUP', 'FUEL_CARD', 'OWN_PRODUCT', 'COUPON'];

/**
 * PENDING: points taken, waiting for the provider; PROCESSING: sent to the provider (or the answer is unknown);
 * DELIVERED: the provider confirmed; FAILED: the provider confirmed failure and the points came back;
 * ISSUED: a voucher the member shows at a till; USED: the voucher was used (once).
 */
export type RedemptionStatus = 'PENDING' | 'PROCESSING' | 'DELIVERED' | 'FAILED' | 'ISSUED' | 'USED';

/** Kinds a provider fulfils (asynchronously); the others become a voucher used at a till. */
export function isProviderKind(kind: RewardKind): kind is 'MOBILE_TOPUP' | 'FUEL_CARD' {
  return kind === 'MOBILE_TOPUP' || kind === 'FUEL_CARD';
}

export type MobileOperator = 'CMCC' | 'CUCC' | 'CTCC';
export type FuelBrand = 'SINOPEC' | 'CNPC';
export const MOBILE_OPERATORS: Readonly<Record<MobileOperator, string>> = { CMCC: '中国移动', CUCC: '中国联通', CTCC: '中国电信' };
export const FUEL_BRANDS: Readonly<Record<FuelBrand, string>> = { SINOPEC: '中国石化', CNPC: '中国石油' };

/**
 * The provider adapters a top-up or fuel card may name (the API's code knows each; whether one is configured is checked
 * on redemption), with the name managers see. One place for the API's check and the console's choice.
 */
export type RewardProviderId = 'recharge';
export const REWARD_PROVIDERS: Readonly<Record<RewardProviderId, string>> = { recharge: '聚合充值平台（recharge）' };
export const REWARD_PROVIDER_IDS = Object.keys(REWARD_PROVIDERS) as readonly RewardProviderId[];
/** The adapter of a top-up or fuel card that names none. */
export const DEFAULT_REWARD_PROVIDER: RewardProviderId = 'recharge';

/** Face values (yuan) the providers sell: top-ups ¥10–¥200, fuel cards ¥50/100/200/500. */
export const FACE_VALUES_YUAN: Readonly<Record<'MOBILE_TOPUP' | 'FUEL_CARD', readonly number[]>> = {
  MOBILE_TOPUP: [10, 20, 30, 50, 100, 200],
  FUEL_CARD: [50, 100, 200, 500],
};

/** Whether `brand` fits the kind: an operator for top-ups, a fuel company for fuel cards. */
export function isBrandOf(kind: 'MOBILE_TOPUP' | 'FUEL_CARD', brand: string): boolean {
  return kind === 'MOBILE_TOPUP' ? brand in MOBILE_OPERATORS : brand in FUEL_BRANDS;
}

// ---- targets ------------------------------------------------------------------------------------------------

const MOBILE_RE = /^1[3-9]\d{9}$/;

/**
 * A mainland mobile number from what a person types: spaces, dashes and a leading `+86`/`0086`/`86` are dropped;
 * the rest must be 11 digits starting 13–19. Null when it is not one. (The operator is not checked against the
 * number's prefix: numbers move between operators, the provider knows better.)
 */
export function normalizeMobile(input: string | null | undefined): string | null {
  let s = String(input ?? '').replace(/[\s-]/g, '');
  s = s.replace(/^(\+86|0086)/, '');
  if (s.length === 13 && s.startsWith('86')) s = s.slice(2);
  return MOBILE_RE.test(s) ? s : null;
}

export type FuelCardProblem = 'DIGITS' | 'LENGTH' | 'PREFIX' | 'PATTERN';

/**
 * Checks a fuel-card number the way recharge aggregators do before they accept an order: digits only (spaces and
 * dashes dropped); Sinopec (中国石化) cards have 19 digits starting `100011`; CNPC (中国石油 昆仑) cards 16 digits
 * starting `9`; a number of one repeated digit is refused. Neither company publishes a check digit, so none is
 * invented here.
 */
export function validateFuelCard(brand: FuelBrand, input: string | null | undefined): { ok: true; cardNo: string } | { ok: false; problem: FuelCardProblem } {
  const s = String(input ?? '').replace(/[\s-]/g, '');
  if (!/^\d+$/.test(s)) return { ok: false, problem: 'DIGITS' };
  const rule = brand === 'SINOPEC' ? { length: 19, prefix: '100011' } : { length: 16, prefix: '9' };
  if (s.length !== rule.length) return { ok: false, problem: 'LENGTH' };
  if (!s.startsWith(rule.prefix)) return { ok: false, problem: 'PREFIX' };
  if (/^(\d)\1+$/.test(s) || /^\d(\d)\1+$/.test(s)) return { ok: false, problem: 'PATTERN' };
  return { ok: true, cardNo: s };
}

/**
 * What a redemption sends as its target, checked before anything is sent: a top-up a mobile number (empty = the
 * member's bound phone, refused with PHONE_REQUIRED when `phoneBound` is false), a fuel card its brand's card number,
 * other kinds nothing. The till passes `phoneBound` null (the server checks the member's phone).
 */
export function rewardTarget(
  reward: { kind: RewardKind; brand?: string | null },
  input: string,
  phoneBound: boolean | null,
): { target: string | null } | { error: 'PHONE_REQUIRED' | 'TARGET_INVALID' } {
  if (reward.kind === 'MOBILE_TOPUP') {
    if (!input.trim()) return phoneBound === false ? { error: 'PHONE_REQUIRED' } : { target: null };
    const phone = normalizeMobile(input);
    return phone ? { target: phone } : { error: 'TARGET_INVALID' };
  }
  if (reward.kind === 'FUEL_CARD') {
    const v = validateFuelCard((reward.brand ?? 'SINOPEC') as FuelBrand, input);
    return v.ok ? { target: v.cardNo } : { error: 'TARGET_INVALID' };
  }
  return { target: null };
}

/** A card or account number for display: `****` + its last 4 (shorter ones entirely masked). */
export function maskAccount(account: string | null | undefined): string | null {
  if (account == null) return null;
  return account.length > 6 ? `****${account.slice(-4)}` : '****';
}

// ---- availability, limits ------------------------------------------------------------------------------------

export type RewardUnavailableReason = 'INACTIVE' | 'NOT_STARTED' | 'ENDED';

/** Why a reward cannot be redeemed at `now` (switched off, before `startsAt`, at or after `endsAt`), or null. */
export function rewardUnavailableReason(r: { active: boolean; startsAt: Date | null; endsAt: Date | null }, now: Date): RewardUnavailableReason | null {
  if (!r.active) return 'INACTIVE';
  if (r.startsAt && now.getTime() < r.startsAt.getTime()) return 'NOT_STARTED';
  if (r.endsAt && now.getTime() >= r.endsAt.getTime()) return 'ENDED';
  return null;
}

const DAY_MS = 86_400_000;

/** The instants (UTC) at which the current Asia/Shanghai day and month began: per-member limits count from there. */
export function limitWindows(now: Date): { dayStart: Date; monthStart: Date } {
  const local = now.getTime() + SHANGHAI_OFFSET_MS;
  const dayStart = new Date(Math.floor(local / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS);
  const d = new Date(local);
  const monthStart = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - SHANGHAI_OFFSET_MS);
  return { dayStart, monthStart };
}

export interface RewardLimits { perDay: number | null; perMonth: number | null }

/**
 * The first per-member limit one more redemption would break, given the member's redemptions of the reward so far
 * today and this month (Asia/Shanghai; failed, refunded redemptions do not count), or null when it may go ahead.
 */
export function limitReached(limits: RewardLimits, used: { today: number; thisMonth: number }): { window: 'DAY' | 'MONTH'; limit: number } | null {
  if (limits.perDay !== null && used.today >= limits.perDay) return { window: 'DAY', limit: limits.perDay };
  if (limits.perMonth !== null && used.thisMonth >= limits.perMonth) return { window: 'MONTH', limit: limits.perMonth };
  return null;
}

// ---- the catalogue ------------------------------------------------------------------------------------------

export interface CatalogueItem { id: string; pointsPrice: number; stock: number; minTierRank: number | null }
export interface CatalogueViewer { balance: number; tierRank: number }

/** The viewer can redeem it now as far as points, tier and stock go (limits and windows are checked on redemption). */
export function canAfford(item: CatalogueItem, viewer: CatalogueViewer | null): boolean {
  if (!viewer) return false;
  return item.stock > 0 && viewer.balance >= item.pointsPrice && (item.minTierRank === null || viewer.tierRank >= item.minTierRank);
}

/**
 * Catalogue order: what the viewer can afford first, then what is in stock, each by points price (cheapest
 * first), ties by id. Signed out (viewer null): in stock first, by price. Returns a new array.
 */
export function sortCatalogue<T extends CatalogueItem>(items: readonly T[], viewer: CatalogueViewer | null): T[] {
  const key = (i: T) => [canAfford(i, viewer) ? 0 : 1, i.stock > 0 ? 0 : 1, i.pointsPrice] as const;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || Number(a.id) - Number(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

/** A redemption of this many points needs a one-time code to the bound phone (threshold 0 = never). */
export function needsOtp(pointsPrice: number, thresholdPoints: number): boolean {
  return thresholdPoints > 0 && pointsPrice >= thresholdPoints;
}

// ---- vouchers -----------------------------------------------------------------------------------------------

/** 32 characters without 0/O and 1/I, so a code read aloud or typed from a phone screen survives. */
export const VOUCHER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Random characters in a voucher code; a check character follows (12 in all, shown as XXXX XXXX XXXX). */
export const VOUCHER_BODY_LENGTH = 11;

function luhnSum(chars: string, startFactor: number): number {
  const n = VOUCHER_ALPHABET.length;
  let factor = startFactor;
  let sum = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const v = VOUCHER_ALPHABET.indexOf(chars.charAt(i));
    if (v < 0) return -1;
    const addend = factor * v;
    sum += Math.floor(addend / n) + (addend % n);
    factor = factor === 2 ? 1 : 2;
  }
  return sum;
}

/** The Luhn mod 32 check character of a voucher body: catches any one mistyped character and most swaps. */
export function voucherCheckChar(body: string): string {
  const sum = luhnSum(body, 2);
  if (sum < 0) throw new RangeError('voucher body has characters outside the alphabet');
  const n = VOUCHER_ALPHABET.length;
  return VOUCHER_ALPHABET.charAt((n - (sum % n)) % n);
}

/** Upper-cases and drops spaces and dashes: what staff typed → the stored form. */
export function normalizeVoucherCode(input: string | null | undefined): string {
  return String(input ?? '').replace(/[\s-]/g, '').toUpperCase();
}

/** A well-formed voucher code (normalized): 12 alphabet characters whose check character matches. */
export function isVoucherCode(code: string): boolean {
  if (code.length !== VOUCHER_BODY_LENGTH + 1) return false;
  const sum = luhnSum(code, 1);
  return sum >= 0 && sum % VOUCHER_ALPHABET.length === 0;
}

/**
 * `ABCDEFGHJKLM` → `ABCD EFGH JKLM`: the form the API sends and clients show as they receive it. Idempotent (an
 * already grouped code is normalized first), so formatting twice never regroups it.
 */
export function formatVoucherCode(code: string): string {
  return normalizeVoucherCode(code).replace(/(.{4})(?=.)/g, '$1 ');
}

// ---- coupons, reports ---------------------------------------------------------------------------------------

export interface CouponTerms {
  /** Amount-off coupons: fen taken off. */
  amountOffFen: number | null;
  /** Discount coupons: the share paid, in percent (85 = 8.5 折, 15% off). */
  discountPct: number | null;
  /** Spend needed before the coupon applies (0 = none). */
  minSpendFen: number;
}

/** Fen a coupon takes off a spend of `spendFen` (0 below the minimum spend); never more than the spend. */
export function couponDiscountFen(c: CouponTerms, spendFen: number): number {
  if (!Number.isSafeInteger(spendFen) || spendFen <= 0 || spendFen < c.minSpendFen) return 0;
  if (c.amountOffFen !== null) return Math.min(c.amountOffFen, spendFen);
  if (c.discountPct !== null) return spendFen - Math.round((spendFen * c.discountPct) / 100);
  return 0;
}

/** Own products' share of redemptions (000: loyal members redeem more of the brand's own products); null without any. */
export function ownRedemptionRatio(own: number, partner: number): number | null {
  const total = own + partner;
  return total > 0 ? own / total : null;
}
