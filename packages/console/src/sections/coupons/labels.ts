/** Coupon labels and the Beijing-calendar date conversions of the template form. */
import { shanghaiDate } from '@quanzi/shared';
import { yuan } from '../../format';

export const COUPON_KIND_ZH: Record<string, string> = { AMOUNT_OFF: '满减券', PERCENT_OFF: '折扣券', GIFT: '赠品券' };

const DAY_MS = 86_400_000;

/** The Beijing calendar day (YYYY-MM-DD) of an instant. */
export function beijingDate(iso: string | Date): string {
  return shanghaiDate(new Date(iso));
}

/** 00:00 Beijing time of a day. */
export function fromBeijingDate(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** The end (exclusive) of a last valid day: 00:00 Beijing time of the next day. */
export function untilFromBeijingDate(day: string): Date {
  return new Date(fromBeijingDate(day).getTime() + DAY_MS);
}

/** The last valid day of an exclusive end. */
export function untilToBeijingDate(iso: string): string {
  return beijingDate(new Date(new Date(iso).getTime() - 1));
}

/** What a coupon gives: 满 ¥100 减 ¥20 / 减 15% / 赠 拿铁一杯. */
export function couponTerms(t: { kind: string; amountOffFen: number | null; percentOff: number | null; giftName: string | null; minSpendFen: number }): string {
  const min = t.minSpendFen > 0 ? `满 ${yuan(t.minSpendFen)} ` : '';
  if (t.kind === 'AMOUNT_OFF') return `${min}减 ${yuan(t.amountOffFen)}`;
  if (t.kind === 'PERCENT_OFF') return `${min}减 ${t.percentOff}%`;
  return `${min}赠 ${t.giftName ?? ''}`;
}

/** How long: 领取后 3 天 / 2026-12-01 至 2026-12-31. */
export function couponValidity(t: { validDays: number | null; validFrom: string | null; validUntil: string | null }): string {
  if (t.validDays != null) return `领取后 ${t.validDays} 天`;
  return `${t.validFrom ? beijingDate(t.validFrom) : '即日'} 至 ${t.validUntil ? untilToBeijingDate(t.validUntil) : '—'}`;
}
