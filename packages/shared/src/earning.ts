/**
 * The earning-rule engine (PRODUCT F4). Pure: the server and the mini-program's preview run the same code.
 * CONTRACT — implementation pending.
 */
export type Rounding = 'FLOOR' | 'ROUND' | 'CEIL';

/** A base rate: `fenPerPoint` fen of spend earn one point (¥10 = 1 point → 1000; ¥1 = 1 point → 100). */
export interface BaseRateRule {
  id: string;
  /** STORE beats REGION beats HQ: the most specific rate that matches the purchase's store wins. */
  scope: 'HQ' | 'REGION' | 'STORE';
  scopeId: string | null;
  fenPerPoint: number;
}
/** Multiplies the points of purchase lines in one category, in per-cent (150 = ×1.5). */
export interface CategoryRule { id: string; category: string; multiplierPct: number; scope: 'HQ' | 'REGION' | 'STORE'; scopeId: string | null }
/** A time-windowed campaign multiplier (e.g. double-points weekend = 200), optionally limited to categories/scope. */
export interface CampaignRule {
  id: string;
  name: string;
  multiplierPct: number;
  startsAt: Date;
  endsAt: Date; // exclusive
  scope: 'HQ' | 'REGION' | 'STORE';
  scopeId: string | null;
  categories: string[] | null; // null = every category
}
export interface EarningRuleSet {
  baseRates: BaseRateRule[];
  categories: CategoryRule[];
  campaigns: CampaignRule[];
  /** Most points one purchase may earn; null = no cap. */
  capPerPurchase: number | null;
  rounding: Rounding;
}
export interface PurchaseLineInput { category: string; amountFen: number }
export interface PurchaseInput {
  storeId: string;
  regionId: string;
  at: Date;
  /** The member's tier accrual multiplier in per-cent (100 = none). */
  tierMultiplierPct: number;
  tierName?: string;
  lines: PurchaseLineInput[];
}
export interface EarningStep { rule: string; description: string; points: number }
export interface EarningResult {
  points: number;
  fenPerPoint: number;
  /** Human-readable derivation, in order; the last step's `points` equals `points`. */
  steps: EarningStep[];
}
export declare function computeEarning(rules: EarningRuleSet, purchase: PurchaseInput): EarningResult;
