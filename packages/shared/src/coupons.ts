/**
 * Coupon rules (PRODUCT F9), pure so the mini-program's wallet says "2 天后到期" with the server's own arithmetic.
 *
 * A coupon is a voucher (rewards.ts: the code, its check character, the discount arithmetic) issued from a coupon
 * template: by rule (the welcome coupon at first sign-in), by a manager to a list of members, or bought with points.
 * Here: how long an issued coupon is valid, where it is accepted, its state in the wallet, whether it applies to a
 * spend, and how a discount is spread over a purchase's category lines (so the points are earned on what was paid).
 */
import { SHANGHAI_OFFSET_MS, shanghaiDay } from './shanghai';

export type CouponKind = 'AMOUNT_OFF' | 'PERCENT_OFF' | 'GIFT';
export const COUPON_KINDS: readonly CouponKind[] = ['AMOUNT_OFF', 'PERCENT_OFF', 'GIFT'];

/** Where a coupon is in its life, as the wallet shows it. */
export type CouponState = 'UPCOMING' | 'VALID' | 'USED' | 'EXPIRED';
export const COUPON_STATES: readonly CouponState[] = ['UPCOMING', 'VALID', 'USED', 'EXPIRED'];

const DAY_MS = 86_400_000;


/**
 * The end (exclusive) of a coupon valid for `days` calendar days from `issuedAt`: the issue day counts as the first
 * day, and the coupon lapses at midnight Asia/Shanghai after the last one. A 3-day coupon issued on Monday at 10:00
 * is valid through Wednesday and refused from Thursday 00:00 (day 4), whatever the hour it was issued.
 */
export function couponExpiresAt(issuedAt: Date, days: number): Date {
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`coupon validity of ${days} days`);
  return new Date((shanghaiDay(issuedAt) + days) * DAY_MS - SHANGHAI_OFFSET_MS);
}

export interface CouponValidity {
  /** Fixed dates: the first instant it may be used (null = from issue). */
  validFrom: Date | null;
  /** Fixed dates: the end (exclusive). */
  validUntil: Date | null;
  /** Relative: this many calendar days from issue (couponExpiresAt). */
  validDays: number | null;
}

/** The window of a coupon issued at `issuedAt` from a template's validity (fixed dates, or N days from issue). */
export function couponWindow(v: CouponValidity, issuedAt: Date): { validFrom: Date | null; expiresAt: Date | null } {
  if (v.validUntil) return { validFrom: v.validFrom, expiresAt: v.validUntil };
  if (v.validDays !== null) return { validFrom: null, expiresAt: couponExpiresAt(issuedAt, v.validDays) };
  return { validFrom: null, expiresAt: null };
}

/** Where an issued coupon stands at `now`: used, expired (at or after its end), upcoming (before its start) or valid. */
export function couponState(c: { used: boolean; validFrom: Date | null; expiresAt: Date | null }, now: Date): CouponState {
  if (c.used) return 'USED';
  if (c.expiresAt && c.expiresAt.getTime() <= now.getTime()) return 'EXPIRED';
  if (c.validFrom && c.validFrom.getTime() > now.getTime()) return 'UPCOMING';
  return 'VALID';
}

/**
 * Calendar days (Asia/Shanghai) from `now` to the coupon's last valid day: 0 = it lapses tonight ("今天到期"),
 * 2 = "2 天后到期"; null without an end or once it has lapsed.
 */
export function expiresInDays(expiresAt: Date | null, now: Date): number | null {
  if (!expiresAt || expiresAt.getTime() <= now.getTime()) return null;
  return shanghaiDay(expiresAt.getTime() - 1) - shanghaiDay(now);
}

/** The wallet's words for the end of a coupon: 今天到期 / 明天到期 / N 天后到期 (null without an end or when lapsed). */
export function expiryLabelZh(expiresAt: Date | null, now: Date): string | null {
  const d = expiresInDays(expiresAt, now);
  if (d === null) return null;
  if (d === 0) return '今天到期';
  if (d === 1) return '明天到期';
  return `${d} 天后到期`;
}

export interface CouponPlaces {
  /** Stores named on the template (null/empty: none named). */
  storeIds: readonly number[] | null;
  /** Regions named on the template (null/empty: none named). */
  regionIds: readonly number[] | null;
  /** The scope the template belongs to (its creator's): a store, a region, or neither (HQ). */
  ownerStoreId: number | null;
  ownerRegionId: number | null;
}

/**
 * Whether a store's till accepts the coupon: a store or region named on the template; when none is named, anywhere
 * in the template's own scope (its store, its region's stores, or everywhere for HQ).
 */
export function couponAcceptedAt(p: CouponPlaces, store: { id: number; regionId: number }): boolean {
  const stores = p.storeIds ?? [];
  const regions = p.regionIds ?? [];
  if (stores.length || regions.length) return stores.includes(store.id) || regions.includes(store.regionId);
  if (p.ownerStoreId !== null) return p.ownerStoreId === store.id;
  if (p.ownerRegionId !== null) return p.ownerRegionId === store.regionId;
  return true;
}

/** A percent-off coupon's `percentOff` (15 = 15 % off) as the voucher's share paid (`discountPct` 85), and back. */
export const percentOffToSharePaid = (percentOff: number): number => 100 - percentOff;
export const sharePaidToPercentOff = (sharePaid: number): number => 100 - sharePaid;

export interface DiscountLine { category: string; amountFen: number }

/**
 * Spreads a discount over a purchase's lines in proportion to their amounts (largest remainder, ties to the earlier
 * line), so the points are computed on what was paid per category. Lines whose share leaves 0 fen are dropped; the
 * result adds up to total − discount. A discount of the whole total leaves no lines.
 */
export function spreadDiscount(lines: readonly DiscountLine[], discountFen: number): DiscountLine[] {
  const total = lines.reduce((s, l) => s + l.amountFen, 0);
  if (!Number.isSafeInteger(discountFen) || discountFen < 0 || discountFen > total) throw new RangeError(`discount ${discountFen} of ${total}`);
  if (discountFen === 0) return lines.map((l) => ({ ...l }));
  const shares = lines.map((l, i) => {
    const exact = (l.amountFen * discountFen) / total;
    return { i, fen: Math.floor(exact), rest: exact - Math.floor(exact) };
  });
  let left = discountFen - shares.reduce((s, x) => s + x.fen, 0);
  for (const s of [...shares].sort((a, b) => b.rest - a.rest || a.i - b.i)) {
    if (left <= 0) break;
    s.fen += 1;
    left -= 1;
  }
  return lines.map((l, i) => ({ category: l.category, amountFen: l.amountFen - (shares[i] as { fen: number }).fen })).filter((l) => l.amountFen > 0);
}
