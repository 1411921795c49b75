/**
 * Beijing time (Asia/Shanghai: UTC+8 all year, no daylight saving) ↔ UTC instants, by arithmetic. Organizers pick
 * and read times in Beijing time whatever the phone's time zone; the API stores UTC instants. No Intl and no local
 * Date getters: the mini-program's JS engines differ and the device may be set to any zone.
 */
export const BEIJING_OFFSET_MS = 8 * 3600_000;

/** A Beijing wall-clock time as the pickers use it: `date` "2026-12-01" (mode="date"), `time` "19:30" (mode="time"). */
export interface WallTime {
  date: string;
  time: string;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The Beijing wall time of an instant (ISO string or epoch ms); null when it is not a time. */
export function toBeijing(instant: string | number): WallTime | null {
  const t = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(t)) return null;
  const d = new Date(t + BEIJING_OFFSET_MS);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  };
}

/** The UTC instant (ISO, milliseconds) of a Beijing wall time; null when the date or time does not exist (2月30日, 24:00). */
export function fromBeijing(w: WallTime): string | null {
  const ms = beijingMs(w);
  return ms === null ? null : new Date(ms).toISOString();
}

/** `fromBeijing` as epoch milliseconds. */
export function beijingMs(w: WallTime): number | null {
  const dm = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(w.date.trim());
  const tm = /^(\d{1,2}):(\d{2})$/.exec(w.time.trim());
  if (!dm || !tm) return null;
  const [y, mo, d] = dm.slice(1).map(Number) as [number, number, number];
  const [h, mi] = tm.slice(1).map(Number) as [number, number];
  if (h > 23 || mi > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(utc);
  // Date.UTC rolls 2月30日 over into March: a date that does not exist does not survive the round trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return utc - BEIJING_OFFSET_MS;
}

/** The wall time `minutes` later (earlier when negative), across days, months and years. */
export function addMinutes(w: WallTime, minutes: number): WallTime | null {
  const ms = beijingMs(w);
  return ms === null ? null : toBeijing(ms + minutes * 60_000);
}

/** The Beijing calendar day `days` after the one `nowMs` falls in, at `time`: `beijingDay(clock.ms(), 1, '19:30')` is tomorrow evening. */
export function beijingDay(nowMs: number, days: number, time: string): WallTime {
  const today = toBeijing(nowMs) as WallTime;
  const [y, mo, d] = today.date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d + days));
  return { date: `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`, time };
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** "2026-12-01" → "周二" (the weekday of that calendar date); '' when it is not a date. */
export function weekdayOf(date: string): string {
  const ms = beijingMs({ date, time: '12:00' });
  return ms === null ? '' : (WEEKDAYS[new Date(ms + BEIJING_OFFSET_MS).getUTCDay()] ?? '');
}
