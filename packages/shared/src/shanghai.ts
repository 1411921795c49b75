/** Asia/Shanghai is UTC+8 all year (no daylight saving): days, months and wall times are this far ahead of UTC. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Midnight (Beijing time) at the start of the Shanghai day that contains `at`. */
export function shanghaiDayStart(at: Date): Date {
  const local = at.getTime() + SHANGHAI_OFFSET_MS;
  return new Date(local - (((local % 86_400_000) + 86_400_000) % 86_400_000) - SHANGHAI_OFFSET_MS);
}

const DAY_MS = 86_400_000;

/** The Asia/Shanghai calendar date of an instant, `YYYY-MM-DD`. */
export function shanghaiDate(at: Date | number): string {
  return new Date((typeof at === 'number' ? at : at.getTime()) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Shanghai midnight at or before `ms` (epoch milliseconds). */
export function shanghaiFloor(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** The Shanghai midnight at or after `ms` (epoch milliseconds). */
export function shanghaiCeil(ms: number): number {
  return Math.ceil((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** The Asia/Shanghai calendar day of an instant, as a day number (days since 1970-01-01 in Shanghai). */
export function shanghaiDay(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}
