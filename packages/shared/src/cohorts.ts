/**
 * Monthly sign-up cohorts and their retention (F10, issue #15 item 5). The months are calendar months in
 * Asia/Shanghai (`YYYY-MM`, see `shanghaiMonth`); a cohort is the members who signed up in one month, and its cell
 * at offset k is the share of those members with a purchase in the k-th month after it (k = 0 is the sign-up month).
 */
import { addMonthsToMonth } from './bonuses';
import { rate } from './clubs';
import { shanghaiMonth } from './referrals';
import { SHANGHAI_OFFSET_MS } from './shanghai';

/** Offsets shown per cohort: the sign-up month and the 11 after it. */
export const COHORT_OFFSETS = 12;

/** The instant a Shanghai month (`YYYY-MM`) begins: midnight on its 1st in Beijing time, 16:00 UTC the day before. */
export function shanghaiMonthStart(month: string): Date {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`not a month: ${month}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1) - SHANGHAI_OFFSET_MS);
}

/** The Shanghai months that [from, to) touches, in order (empty when to ≤ from). */
export function shanghaiMonthsIn(from: Date, to: Date): string[] {
  if (!(to.getTime() > from.getTime())) return [];
  const out: string[] = [];
  const last = shanghaiMonth(new Date(to.getTime() - 1));
  for (let m = shanghaiMonth(from); m <= last; m = addMonthsToMonth(m, 1)) out.push(m);
  return out;
}

export interface CohortCell {
  /** Months after the sign-up month (0 = the sign-up month). */
  offset: number;
  /** The calendar month observed. */
  month: string;
  /** Members of the cohort with a purchase in that month; null when the month has not begun at `now`. */
  active: number | null;
  /** active / cohort size, 4 decimals; null when the month has not begun or the cohort is empty. */
  rate: number | null;
  /** Whether the month is over at `now` (false: the figure can still grow). */
  complete: boolean;
}

export interface Cohort {
  month: string;
  members: number;
  cells: CohortCell[];
}

/**
 * The retention grid: for each cohort month, its size and COHORT_OFFSETS cells. `active(cohort, month)` gives the
 * count of the cohort's members who bought in `month` (the caller's query); months not yet begun at `now` are null.
 */
export function cohortGrid(months: string[], size: (cohort: string) => number, active: (cohort: string, month: string) => number, now: Date): Cohort[] {
  const current = shanghaiMonth(now);
  return months.map((cohort) => {
    const members = size(cohort);
    const cells = Array.from({ length: COHORT_OFFSETS }, (_, offset): CohortCell => {
      const month = addMonthsToMonth(cohort, offset);
      if (month > current) return { offset, month, active: null, rate: null, complete: false };
      const n = active(cohort, month);
      return { offset, month, active: n, rate: rate(n, members), complete: month < current };
    });
    return { month: cohort, members, cells };
  });
}
