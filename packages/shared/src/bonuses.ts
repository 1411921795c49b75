/**
 * Non-purchase earning (F4): when the birthday-month bonus and the profile-completion bonus are due. Pure rules; the
 * API pays them through the ledger (modules/earning/birthday-bonus.ts, profile-bonus.ts) with these keys:
 * (`birthday_bonus`, `${memberId}:${yyyy-mm}`) and (`profile_bonus`, memberId).
 */
import { parseBirthday } from './demographics';
import { shanghaiMonth } from './referrals';

/** A birthday bonus is paid at most once in any this many months, whatever the birthday says (no farming by editing it). */
export const BIRTHDAY_BONUS_GAP_MONTHS = 12;

/** `YYYY-MM` moved by `n` months (negative: back). */
export function addMonthsToMonth(month: string, n: number): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new RangeError(`not a month: ${month}`);
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The month (`YYYY-MM`) whose birthday bonus is due at `now`, or null: due when the birthday (`YYYY-MM-DD`) falls in
 * the current Shanghai month and the last bonus, if any, was for a month at least BIRTHDAY_BONUS_GAP_MONTHS earlier.
 * A birthday set or moved into the current month after a bonus in the last 12 months is therefore not paid again.
 */
export function birthdayBonusDue(birthday: string | null | undefined, lastPaidMonth: string | null | undefined, now: Date): string | null {
  const b = birthday == null ? null : parseBirthday(birthday);
  if (!b) return null;
  const month = shanghaiMonth(now);
  if (Number(month.slice(5, 7)) !== b.m) return null;
  if (lastPaidMonth != null && lastPaidMonth > addMonthsToMonth(month, -BIRTHDAY_BONUS_GAP_MONTHS)) return null;
  return month;
}

/** The profile the completion bonus asks for: gender, birthday and home store (location is optional and personal). */
export function isProfileComplete(p: { gender: string | null | undefined; birthday: string | null | undefined; homeStoreId: number | string | null | undefined }): boolean {
  return p.gender != null && p.birthday != null && p.homeStoreId != null;
}
