/** Asia/Shanghai is UTC+8 all year (no daylight saving): days, months and wall times are this far ahead of UTC. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Midnight (Beijing time) at the start of the Shanghai day that contains `at`. */
export function shanghaiDayStart(at: Date): Date {
  const local = at.getTime() + SHANGHAI_OFFSET_MS;
  return new Date(local - (((local % 86_400_000) + 86_400_000) % 86_400_000) - SHANGHAI_OFFSET_MS);
}
