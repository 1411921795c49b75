/**
 * Date ranges in Beijing dates (Asia/Shanghai, UTC+8 all year): the manager picks whole days, the API gets the
 * half-open instant range [start 00:00, day after end 00:00) in Beijing time. The checks mirror the API's
 * (`checkRange` in analytics-scope.ts, `ratingRange` in rating-report.service.ts): not backwards, at most 3 years
 * (3 × 366 = 1098 days). Pure: `now` is a parameter.
 */
import { shanghaiDate } from '@quanzi/shared';

export const MAX_RANGE_DAYS = 3 * 366;
export const DEFAULT_RANGE_DAYS = 30;
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A range of Beijing calendar dates, both inclusive ('YYYY-MM-DD'). */
export interface DateRange {
  start: string;
  end: string;
}

/** The Beijing date of an instant. */
export function beijingDate(ms: number): string {
  return shanghaiDate(ms);
}

/** Beijing midnight at the start of `date`, as epoch ms (NaN for a malformed date). */
export function beijingMidnight(date: string): number {
  if (!DATE.test(date)) return NaN;
  const ms = Date.parse(`${date}T00:00:00+08:00`);
  return beijingDate(ms) === date ? ms : NaN; // 2026-02-30 parses to March: not a real date
}

export function addDays(date: string, days: number): string {
  return beijingDate(beijingMidnight(date) + days * DAY_MS);
}

/** Days in the range, both ends included. */
export function rangeDays(r: DateRange): number {
  return Math.round((beijingMidnight(r.end) - beijingMidnight(r.start)) / DAY_MS) + 1;
}

/** The default: the last 30 Beijing days, today included. */
export function defaultRange(nowMs: number, days = DEFAULT_RANGE_DAYS): DateRange {
  const end = beijingDate(nowMs);
  return { start: addDays(end, -(days - 1)), end };
}

/** Why the API would refuse the range (in Chinese), or null when it is fine. */
export function rangeError(r: DateRange | null | undefined): string | null {
  if (!r?.start || !r.end) return '请选择日期范围';
  if (Number.isNaN(beijingMidnight(r.start)) || Number.isNaN(beijingMidnight(r.end))) return '日期格式应为 YYYY-MM-DD';
  if (r.end < r.start) return '结束日期不能早于开始日期';
  if (rangeDays(r) > MAX_RANGE_DAYS) return `日期范围最长 3 年（${MAX_RANGE_DAYS} 天）`;
  return null;
}

/** What the API receives: [from, to) as ISO instants. */
export function toApiRange(r: DateRange): { from: string; to: string } {
  return { from: new Date(beijingMidnight(r.start)).toISOString(), to: new Date(beijingMidnight(addDays(r.end, 1))).toISOString() };
}

/** The period of the same length just before (what the KPIs compare with). */
export function previousRange(r: DateRange): DateRange {
  const n = rangeDays(r);
  return { start: addDays(r.start, -n), end: addDays(r.start, -1) };
}

export const rangeLabel = (r: DateRange): string => (r.start === r.end ? r.start : `${r.start} 至 ${r.end}`);

/**
 * An RFM window (RFM_WINDOW_DAYS in @quanzi/shared): the last `days` whole Beijing days up to today's midnight, as the
 * API's [from, to). At HQ the API answers these from its daily snapshot.
 */
export function rfmWindowRange(nowMs: number, days: number): { from: string; to: string } {
  const today = beijingDate(nowMs);
  return toApiRange({ start: addDays(today, -days), end: addDays(today, -1) });
}
