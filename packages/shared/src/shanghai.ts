/** Asia/Shanghai is UTC+8 all year (no daylight saving): days, months and wall times are this far ahead of UTC. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
