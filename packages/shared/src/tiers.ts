/**
 * Tier evaluation (PRODUCT F1). CONTRACT — implementation pending.
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
/** The best tier a rolling spend qualifies for. */
export declare function qualifyingTier(tiers: TierDef[], rollingSpendFen: number): TierDef;
/**
 * Decide the member's tier after a qualifying change (or a periodic check) at `now`.
 * - qualifying tier above the current → UPGRADE, new period = now + periodMonths
 * - now ≥ periodEndsAt → the qualifying tier (DOWNGRADE if lower, RENEWED if the same), new period = now + periodMonths
 * - otherwise NONE (keep tier and period)
 */
export declare function evaluateTier(tiers: TierDef[], state: TierState, rollingSpendFen: number, now: Date, periodMonths: number): TierDecision;
/** Progress to the next tier above `currentTierId`: null at the top tier. */
export declare function nextTierProgress(tiers: TierDef[], currentTierId: string, rollingSpendFen: number): { tier: TierDef; spendNeededFen: number } | null;
/** Adds calendar months in UTC (clamping the day, e.g. Jan 31 + 1 month = Feb 28/29). */
export declare function addMonthsUtc(d: Date, months: number): Date;
