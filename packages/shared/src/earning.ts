/**
 * The earning-rule engine (PRODUCT F4). Pure: the server and the mini-program's preview run the same code.
 *
 * points = Σ over lines of amountFen × categoryPct × campaignPct × tierPct / (fenPerPoint × 100³), summed as an
 * exact fraction in integers, rounded once with `rounding`, then capped with `capPerPurchase`.
 */
import { fenToYuan } from './format';

/** How the exact fractional points are rounded once at the end: down, half-up, up. */
export type Rounding = 'FLOOR' | 'ROUND' | 'CEIL';

/** A base rate: `fenPerPoint` fen of spend earn one point (¥10 = 1 point → 1000; ¥1 = 1 point → 100). */
export interface BaseRateRule {
  id: string;
  /** STORE beats REGION beats HQ: the most specific rate that matches the purchase's store wins. */
  scope: 'HQ' | 'REGION' | 'STORE';
  scopeId: string | null;
  /** Display name of the scope (e.g. 北京), used in the explanation instead of its id. */
  scopeName?: string | null;
  fenPerPoint: number;
}
/** Multiplies the points of purchase lines in one category, in per-cent (150 = ×1.5). */
export interface CategoryRule { id: string; category: string; multiplierPct: number; scope: 'HQ' | 'REGION' | 'STORE'; scopeId: string | null; scopeName?: string | null }
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
  /**
   * A targeted campaign's audience (e.g. `campaign:12`): the rule applies only to purchases whose `audiences` name
   * it (the treated members of that campaign); null/absent = everyone in scope.
   */
  audience?: string | null;
}
/** Every earning rule in force, plus the program's cap and rounding; the engine does the scope filtering. */
export interface EarningRuleSet {
  baseRates: BaseRateRule[];
  categories: CategoryRule[];
  campaigns: CampaignRule[];
  /** Most points one purchase may earn; null = no cap. */
  capPerPurchase: number | null;
  rounding: Rounding;
}
/** One purchase line: a product category and its amount in integer fen. */
export interface PurchaseLineInput { category: string; amountFen: number }
/** A purchase to price in points: where, when, the member's tier multiplier, and the lines. */
export interface PurchaseInput {
  storeId: string;
  regionId: string;
  at: Date;
  /** The member's tier accrual multiplier in per-cent (100 = none). */
  tierMultiplierPct: number;
  tierName?: string;
  lines: PurchaseLineInput[];
  /** The targeted campaigns' audiences the member belongs to (see CampaignRule.audience); absent = none. */
  audiences?: readonly string[];
}
/** One stage of the derivation: the rule applied (`base`, `category`, …, `total`), a text and the points so far. */
export interface EarningStep { rule: string; description: string; points: number }
export interface EarningResult {
  points: number;
  fenPerPoint: number;
  /** Human-readable derivation, in order; the last step's `points` equals `points`. */
  steps: EarningStep[];
}

/**
 * The rule set as the API's `earningRules(storeId)` sends it (times as ISO strings). `scopeName` is required here so a
 * client cannot forget to ask for it: without names the explanation would read `区域 #1` where the receipt says 北京.
 */
export interface EarningRuleSetView {
  baseRates: Array<{ id: string; scope: Scope; scopeId: string | null; scopeName: string | null; fenPerPoint: number }>;
  categories: Array<{ id: string; category: string; multiplierPct: number; scope: Scope; scopeId: string | null; scopeName: string | null }>;
  campaigns: Array<{ id: string; name: string; multiplierPct: number; startsAt: string; endsAt: string; scope: Scope; scopeId: string | null; categories: string[] | null }>;
  capPerPurchase: number | null;
  rounding: Rounding;
}

/** The API's rule view → the engine's input (ISO strings → Dates, scope names kept), so a preview explains like the receipt. */
export function ruleSetFromView(view: EarningRuleSetView): EarningRuleSet {
  return {
    baseRates: view.baseRates.map((r) => ({ id: r.id, scope: r.scope, scopeId: r.scopeId, scopeName: r.scopeName, fenPerPoint: r.fenPerPoint })),
    categories: view.categories.map((c) => ({ id: c.id, category: c.category, multiplierPct: c.multiplierPct, scope: c.scope, scopeId: c.scopeId, scopeName: c.scopeName })),
    campaigns: view.campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      multiplierPct: c.multiplierPct,
      startsAt: new Date(c.startsAt),
      endsAt: new Date(c.endsAt),
      scope: c.scope,
      scopeId: c.scopeId,
      categories: c.categories,
    })),
    capPerPurchase: view.capPerPurchase,
    rounding: view.rounding,
  };
}

type Scope = BaseRateRule['scope'];
interface Scoped { scope: Scope; scopeId: string | null; scopeName?: string | null }

const SPECIFICITY: Record<Scope, number> = { HQ: 0, REGION: 1, STORE: 2 };
const ROUNDING_ZH: Record<Rounding, string> = { FLOOR: '向下取整', ROUND: '四舍五入', CEIL: '向上取整' };

/**
 * Points a purchase earns, with its derivation (PRODUCT F4).
 *
 * - Base rate: the most specific matching rule, STORE (`scopeId === storeId`) > REGION (`scopeId === regionId`)
 *   > HQ; ties at one level go to the first listed. No matching base rate → 0 points.
 * - Per line: the category multiplier of the most specific matching category rule (default 100), and the campaign
 *   multiplier: the highest of the campaigns active at `at` (`startsAt ≤ at < endsAt`) whose scope matches and whose
 *   categories are null or include the line's category. Campaigns do not stack; no campaign → 100.
 * - The tier multiplier applies to every line.
 * - The sum is kept as an exact fraction of integers and rounded once with `rules.rounding` (ROUND = half up),
 *   then limited to `capPerPurchase`.
 *
 * Throws RangeError for an unknown rounding mode, a negative or non-integer line amount, for a negative or non-integer multiplier or cap,
 * for a matched base rate whose `fenPerPoint` is not a positive integer, and for a purchase so large that the
 * exact integer arithmetic would pass 2^53 (far beyond any real till amount).
 */
export function computeEarning(rules: EarningRuleSet, purchase: PurchaseInput): EarningResult {
  for (const line of purchase.lines) {
    if (!Number.isSafeInteger(line.amountFen) || line.amountFen < 0) {
      throw new RangeError(`Line amount must be a non-negative integer number of fen (got ${String(line.amountFen)})`);
    }
  }
  const tierPct = purchase.tierMultiplierPct;
  assertPct(tierPct, 'tierMultiplierPct');
  if (!Object.prototype.hasOwnProperty.call(ROUNDING_ZH, rules.rounding)) throw new RangeError(`Unknown rounding mode ${String(rules.rounding)}`);
  const cap = rules.capPerPurchase;
  if (cap !== null && (!Number.isSafeInteger(cap) || cap < 0)) throw new RangeError('capPerPurchase must be a non-negative integer or null');

  const totalFen = purchase.lines.reduce((s, l) => safe(s + l.amountFen), 0);
  const base = mostSpecific(rules.baseRates, purchase);
  if (!base) {
    const where = `门店 #${purchase.storeId}（区域 #${purchase.regionId}）`;
    return {
      points: 0,
      fenPerPoint: 0,
      steps: [
        { rule: 'base', description: `${where}没有适用的基础积分规则，本次不积分 (no base rate for this store)`, points: 0 },
        { rule: 'total', description: '合计 0 积分', points: 0 },
      ],
    };
  }
  const fenPerPoint = base.fenPerPoint;
  if (!Number.isSafeInteger(fenPerPoint) || fenPerPoint <= 0) throw new RangeError(`Base rate ${base.id}: fenPerPoint must be a positive integer`);

  const priced = purchase.lines.map((line) => {
    const catRule = mostSpecific(
      rules.categories.filter((c) => c.category === line.category),
      purchase,
    );
    const catPct = catRule ? catRule.multiplierPct : 100;
    assertPct(catPct, `category rule ${catRule?.id ?? ''}`);
    const campaign = bestCampaign(rules.campaigns, purchase, line.category);
    const campPct = campaign ? campaign.multiplierPct : 100;
    assertPct(campPct, `campaign ${campaign?.id ?? ''}`);
    return { line, catPct, campaign, campPct };
  });

  const round = (f: Fraction): number => roundFraction(f, rules.rounding);
  const steps: EarningStep[] = [];

  steps.push({
    rule: 'base',
    description: `基础积分：${scopeLabel(base)}每 ¥${yuanShort(fenPerPoint)} = 1 积分，消费 ¥${fenToYuan(totalFen)}`,
    points: round(fraction(priced.map((p) => [p.line.amountFen, 1]), fenPerPoint)),
  });

  const withCategory = priced.filter((p) => p.catPct !== 100);
  if (withCategory.length > 0) {
    const parts = unique(withCategory.map((p) => `${p.line.category} ${pctLabel(p.catPct)}`));
    steps.push({
      rule: 'category',
      description: `品类倍率：${parts.join('，')}`,
      points: round(fraction(priced.map((p) => [p.line.amountFen, p.catPct]), safe(fenPerPoint * 100))),
    });
  }

  const withCampaign = priced.filter((p) => p.campaign !== undefined);
  if (withCampaign.length > 0) {
    const parts = unique(withCampaign.map((p) => `「${p.campaign?.name ?? ''}」${pctLabel(p.campPct)}`));
    steps.push({
      rule: 'campaign',
      description: `活动倍率：${parts.join('，')}（活动不叠加，取最高倍率）`,
      points: round(fraction(priced.map((p) => [p.line.amountFen, safe(p.catPct * p.campPct)]), safe(fenPerPoint * 10_000))),
    });
  }

  const exact = fraction(
    priced.map((p) => [p.line.amountFen, safe(safe(p.catPct * p.campPct) * tierPct)]),
    safe(fenPerPoint * 1_000_000),
  );
  const rounded = round(exact);
  if (tierPct !== 100) {
    steps.push({ rule: 'tier', description: `会员等级${purchase.tierName ? ` ${purchase.tierName}` : ''} ${pctLabel(tierPct)}`, points: rounded });
  }
  if (exact.num % exact.den !== 0) {
    steps.push({ rule: 'rounding', description: `取整（${ROUNDING_ZH[rules.rounding]}）：${decimalLabel(exact)} → ${rounded}`, points: rounded });
  }

  let points = rounded;
  if (cap !== null && points > cap) {
    points = cap;
    steps.push({ rule: 'cap', description: `单笔上限 ${cap} 积分`, points });
  }
  steps.push({ rule: 'total', description: `合计 ${points} 积分`, points });
  return { points, fenPerPoint, steps };
}

/** A non-negative fraction num/den of safe integers, den > 0. */
interface Fraction { num: number; den: number }

/**
 * Σ amount × factor / den as one exact fraction. The factors and `den` are first divided by their common gcd
 * (with every multiplier at 100 this leaves Σ amount / fenPerPoint), which keeps the numbers small.
 */
function fraction(terms: Array<[amount: number, factor: number]>, den: number): Fraction {
  let g = den;
  for (const [, factor] of terms) g = gcd(g, factor);
  let num = 0;
  for (const [amount, factor] of terms) num = safe(num + safe(amount * (factor / g)));
  return { num, den: den / g };
}

function roundFraction(f: Fraction, mode: Rounding): number {
  const r = f.num % f.den; // exact for safe integers
  const q = (f.num - r) / f.den;
  if (r === 0) return q;
  switch (mode) {
    case 'FLOOR':
      return q;
    case 'CEIL':
      return q + 1;
    case 'ROUND':
      return r >= f.den - r ? q + 1 : q; // half up: r / den ≥ 1/2
    default:
      throw new RangeError(`Unknown rounding mode ${String(mode)}`);
  }
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

function safe(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError('Purchase too large to compute points exactly');
  return n;
}

function assertPct(pct: number, what: string): void {
  if (!Number.isSafeInteger(pct) || pct < 0) throw new RangeError(`${what}: multiplier must be a non-negative integer per-cent`);
}

function scopeMatches(rule: Scoped, purchase: PurchaseInput): boolean {
  if (rule.scope === 'HQ') return true;
  if (rule.scope === 'REGION') return rule.scopeId === purchase.regionId;
  return rule.scopeId === purchase.storeId;
}

/** The matching rule with the most specific scope (STORE > REGION > HQ); the first listed wins a tie. */
function mostSpecific<T extends Scoped>(rules: T[], purchase: PurchaseInput): T | undefined {
  let best: T | undefined;
  for (const r of rules) {
    if (scopeMatches(r, purchase) && (!best || SPECIFICITY[r.scope] > SPECIFICITY[best.scope])) best = r;
  }
  return best;
}

/**
 * Which rules the engine would use at a store at `at` (for "which rule applies here"): the most specific base rate,
 * per category the most specific multiplier, and every campaign in its window whose scope matches (the best one per
 * line wins at the till). Rules of other stores or regions, and rules another one overrides, are not in the set.
 */
export function effectiveRuleIds(rules: Pick<EarningRuleSet, 'baseRates' | 'categories' | 'campaigns'>, where: { storeId: string; regionId: string }, at: Date): Set<string> {
  const p: PurchaseInput = { storeId: where.storeId, regionId: where.regionId, at, tierMultiplierPct: 100, lines: [] };
  const ids = new Set<string>();
  const base = mostSpecific(rules.baseRates, p);
  if (base) ids.add(base.id);
  for (const category of new Set(rules.categories.map((c) => c.category))) {
    const c = mostSpecific(rules.categories.filter((x) => x.category === category), p);
    if (c) ids.add(c.id);
  }
  const t = at.getTime();
  for (const c of rules.campaigns) if (c.audience == null && c.startsAt.getTime() <= t && t < c.endsAt.getTime() && scopeMatches(c, p)) ids.add(c.id);
  return ids;
}

/** The highest-multiplier campaign active at the purchase for this category (first listed wins a tie). */
function bestCampaign(campaigns: CampaignRule[], purchase: PurchaseInput, category: string): CampaignRule | undefined {
  const at = purchase.at.getTime();
  let best: CampaignRule | undefined;
  for (const c of campaigns) {
    if (!(c.startsAt.getTime() <= at && at < c.endsAt.getTime())) continue;
    if (!scopeMatches(c, purchase)) continue;
    if (c.audience != null && !(purchase.audiences ?? []).includes(c.audience)) continue;
    if (c.categories !== null && !c.categories.includes(category)) continue;
    if (!best || c.multiplierPct > best.multiplierPct) best = c;
  }
  return best;
}

function scopeLabel(rule: Scoped): string {
  if (rule.scopeName) return `${rule.scopeName} `;
  if (rule.scope === 'STORE') return `门店 #${rule.scopeId ?? ''} `;
  if (rule.scope === 'REGION') return `区域 #${rule.scopeId ?? ''} `;
  return '';
}

/** 1000 → `10`, 150 → `1.5`, 5 → `0.05`. */
function yuanShort(fen: number): string {
  return fenToYuan(fen).replace(/\.?0+$/, '');
}

/** 150 → `×1.5`, 200 → `×2`, 125 → `×1.25`. */
function pctLabel(pct: number): string {
  return `×${fenToYuan(pct).replace(/\.?0+$/, '')}`;
}

/** The fraction to 2 decimals (half up), for display only: `100.5`, `≈41.67`. */
function decimalLabel(f: Fraction): string {
  const r = f.num % f.den;
  const q = (f.num - r) / f.den;
  const hundredths = q * 100 + Math.round((r / f.den) * 100);
  if (!Number.isSafeInteger(hundredths)) return `≈${q}`;
  const exact = (r * 100) % f.den === 0;
  return `${exact ? '' : '≈'}${fenToYuan(hundredths).replace(/\.?0+$/, '')}`;
}

function unique(xs: string[]): string[] {
  return xs.filter((x, i) => xs.indexOf(x) === i);
}
