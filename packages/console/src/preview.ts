import { computeEarning, type EarningResult, type EarningRuleSet } from '@quanzi/shared';
import type { EarningRulesQuery } from '@quanzi/shared/graphql';

export type RuleSetView = EarningRulesQuery['earningRules'];

/** The API's rule view for a store → the shared engine's input (ISO strings → Dates; scope names for the steps). */
export function toRuleSet(view: RuleSetView, names: { regions: Map<string, string>; stores: Map<string, string> }): EarningRuleSet {
  const name = (scope: string, id: string | null) => {
    const n = id == null ? undefined : scope === 'REGION' ? names.regions.get(id) : scope === 'STORE' ? names.stores.get(id) : undefined;
    return n ? { scopeName: n } : {};
  };
  return {
    baseRates: view.baseRates.map((r) => ({ id: r.id, scope: r.scope, scopeId: r.scopeId, fenPerPoint: r.fenPerPoint, ...name(r.scope, r.scopeId) })),
    categories: view.categories.map((c) => ({ id: c.id, category: c.category, multiplierPct: c.multiplierPct, scope: c.scope, scopeId: c.scopeId, ...name(c.scope, c.scopeId) })),
    campaigns: view.campaigns.map((c) => ({ id: c.id, name: c.name, multiplierPct: c.multiplierPct, startsAt: new Date(c.startsAt), endsAt: new Date(c.endsAt), scope: c.scope, scopeId: c.scopeId, categories: c.categories })),
    capPerPurchase: view.capPerPurchase,
    rounding: view.rounding,
  };
}

/** What a purchase of one category at the store by a member of the tier earns, by the engine the till runs. */
export function previewPurchase(
  view: RuleSetView,
  names: { regions: Map<string, string>; stores: Map<string, string> },
  p: { amountFen: number; category: string; tierMultiplierPct: number; tierName: string; at: Date },
): EarningResult | null {
  if (!Number.isInteger(p.amountFen) || p.amountFen <= 0 || !p.category) return null;
  return computeEarning(toRuleSet(view, names), {
    storeId: view.storeId,
    regionId: view.regionId,
    at: p.at,
    tierMultiplierPct: p.tierMultiplierPct,
    tierName: p.tierName,
    lines: [{ category: p.category, amountFen: p.amountFen }],
  });
}
