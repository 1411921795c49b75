/**
 * Tier evaluation (PRODUCT F1).
 * Upgrades take effect at once; a downgrade only when the qualification period has ended.
 */
export interface TierDef {
  id: string;
  code: string;
  name: string;
  /** Position: 0 = entry tier. Higher rank = better tier. */
  rank: number;
  /** Rolling 12-month spend (fen) needed to qualify. The entry tier has 0. */
  thresholdFen: number;
  multiplierPct: number;
}
export interface TierState {
  tierId: string;
  /** When the current qualification period ends (downgrades are only applied at or after this instant). */
  periodEndsAt: Date;
}
export interface TierDecision {
  tierId: string;
  periodEndsAt: Date;
  changed: 'UPGRADE' | 'DOWNGRADE' | 'RENEWED' | 'NONE';
}

/** Tiers by rank ascending (ties: lower threshold, then id), without mutating the input. */
function byRank(tiers: TierDef[]): TierDef[] {
  if (tiers.length === 0) throw new RangeError('At least one tier is required');
  return [...tiers].sort((a, b) => a.rank - b.rank || a.thresholdFen - b.thresholdFen || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The best tier a rolling spend qualifies for: the highest-ranked tier whose `thresholdFen` ≤ `rollingSpendFen`.
 * Tiers may be passed in any order. When none qualifies (an entry tier with a threshold above the spend), the
 * lowest-ranked tier. Throws RangeError for an empty list or a non-finite spend.
 */
export function qualifyingTier(tiers: TierDef[], rollingSpendFen: number): TierDef {
  if (!Number.isFinite(rollingSpendFen)) throw new RangeError('rollingSpendFen must be a finite number');
  const sorted = byRank(tiers);
  let best = sorted[0] as TierDef;
  for (const t of sorted) if (t.thresholdFen <= rollingSpendFen) best = t;
  return best;
}

/**
 * Decide the member's tier after a qualifying change (or a periodic check) at `now`.
 * - qualifying tier above the current → UPGRADE, new period = now + periodMonths
 * - now ≥ periodEndsAt → the qualifying tier (DOWNGRADE if lower, RENEWED if the same), new period = now + periodMonths
 * - otherwise NONE (keep tier and period)
 *
 * A `state.tierId` that is not among `tiers` (e.g. a deleted tier) is treated as below every tier, so the
 * member moves to the qualifying tier at once as an UPGRADE.
 */
export function evaluateTier(tiers: TierDef[], state: TierState, rollingSpendFen: number, now: Date, periodMonths: number): TierDecision {
  const target = qualifyingTier(tiers, rollingSpendFen);
  const current = tiers.find((t) => t.id === state.tierId);
  if (!current || target.rank > current.rank) {
    return { tierId: target.id, periodEndsAt: addMonthsUtc(now, periodMonths), changed: 'UPGRADE' };
  }
  if (now.getTime() >= state.periodEndsAt.getTime()) {
    return {
      tierId: target.id,
      periodEndsAt: addMonthsUtc(now, periodMonths),
      changed: target.rank < current.rank ? 'DOWNGRADE' : 'RENEWED',
    };
  }
  return { tierId: current.id, periodEndsAt: state.periodEndsAt, changed: 'NONE' };
}

/**
 * Progress to the next tier above `currentTierId` (the lowest-ranked tier with a higher rank): that tier and
 * the spend still needed to qualify for it (never negative). Null at the top tier. An unknown `currentTierId`
 * is treated as below every tier, so the next tier is the lowest-ranked one.
 */
export function nextTierProgress(
  tiers: TierDef[],
  currentTierId: string,
  rollingSpendFen: number,
): { tier: TierDef; spendNeededFen: number } | null {
  const sorted = byRank(tiers);
  const current = sorted.find((t) => t.id === currentTierId);
  const next = current ? sorted.find((t) => t.rank > current.rank) : sorted[0];
  if (!next) return null;
  return { tier: next, spendNeededFen: Math.max(0, next.thresholdFen - rollingSpendFen) };
}

/**
 * Adds calendar months in UTC (clamping the day, e.g. Jan 31 + 1 month = Feb 28/29), keeping the time of day.
 * `months` may be negative; it must be an integer (RangeError otherwise, or for an invalid date).
 */
export function addMonthsUtc(d: Date, months: number): Date {
  if (!Number.isInteger(months)) throw new RangeError('months must be an integer');
  const t = d.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid date');
  const totalMonths = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const out = new Date(t);
  // setUTCFullYear keeps the time of day (and, unlike Date.UTC, does not map years 0–99 to 1900–1999).
  out.setUTCFullYear(year, month, Math.min(d.getUTCDate(), daysInMonthUtc(year, month)));
  return out;
}

function daysInMonthUtc(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}
