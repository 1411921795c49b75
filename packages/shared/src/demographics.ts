/**
 * Member profile facts used by analytics and segments (F9/F10): gender and age band. Profile fields are
 * optional and given with consent; an unknown value is its own bucket, never guessed.
 */
import { SHANGHAI_OFFSET_MS } from './shanghai';

export const GENDERS = ['FEMALE', 'MALE'] as const;
export type Gender = (typeof GENDERS)[number];

export const AGE_BANDS = ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64', 'AGE_65_PLUS'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** The calendar date in Asia/Shanghai (UTC+8, no daylight saving) at an instant. */
function shanghaiDate(at: Date): { y: number; m: number; d: number } {
  const t = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** Parses `YYYY-MM-DD` (a real calendar date); null otherwise. */
export function parseBirthday(s: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return { y, m, d };
}

/**
 * Age in whole years on the Shanghai calendar date of `now`. A 29 February birthday counts from 1 March in
 * common years. Null for a malformed birthday or one after `now`.
 */
export function ageOn(birthday: string, now: Date): number | null {
  const b = parseBirthday(birthday);
  if (!b) return null;
  const t = shanghaiDate(now);
  let age = t.y - b.y;
  // Has this year's birthday come? (29 Feb in a common year → 1 Mar.)
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const [bm, bd] = b.m === 2 && b.d === 29 && !leap(t.y) ? [3, 1] : [b.m, b.d];
  if (t.m < bm || (t.m === bm && t.d < bd)) age -= 1;
  return age < 0 ? null : age;
}

/** The age band on `now`: under 18, 18–24, 25–34, 35–44, 45–54, 55–64, 65 and over; null when unknown. */
export function ageBand(birthday: string | null | undefined, now: Date): AgeBand | null {
  if (birthday == null) return null;
  const age = ageOn(birthday, now);
  if (age === null) return null;
  if (age < 18) return 'UNDER_18';
  if (age < 25) return 'AGE_18_24';
  if (age < 35) return 'AGE_25_34';
  if (age < 45) return 'AGE_35_44';
  if (age < 55) return 'AGE_45_54';
  if (age < 65) return 'AGE_55_64';
  return 'AGE_65_PLUS';
}
