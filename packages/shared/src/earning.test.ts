import { computeEarning, effectiveRuleIds, ruleSetFromView, type CampaignRule, type CategoryRule, type EarningRuleSet, type EarningRuleSetView, type PurchaseInput, type Rounding } from './earning';

// Seed-like organisation: region bj (Beijing, ¥10 = 1 point), region xa (Xi'an, ¥1 = 1 point), region sh (HQ rate).
// Store bj-1 and bj-vip are in Beijing (bj-vip has its own store rate), xa-1 in Xi'an, sh-1 in Shanghai.
const BASE: EarningRuleSet = {
  baseRates: [
    { id: 'hq', scope: 'HQ', scopeId: null, fenPerPoint: 200 },
    { id: 'bj', scope: 'REGION', scopeId: 'bj', fenPerPoint: 1000 },
    { id: 'xa', scope: 'REGION', scopeId: 'xa', fenPerPoint: 100 },
    { id: 'bj-vip', scope: 'STORE', scopeId: 'bj-vip', fenPerPoint: 500 },
  ],
  categories: [],
  campaigns: [],
  capPerPurchase: null,
  rounding: 'FLOOR',
};
const STORES: Record<string, string> = { 'bj-1': 'bj', 'bj-vip': 'bj', 'xa-1': 'xa', 'sh-1': 'sh' };
const HOUR = 3_600_000;
// Any instant: computeEarning takes the purchase time (`at`) explicitly and compares it only with the campaigns' windows.
const AT = new Date('2025-05-03T04:00:00.000Z');
const at = (base: Date, ms: number): Date => new Date(base.getTime() + ms);
// The default campaign window: a weekend that started 4 h before AT.
const WINDOW_START = at(AT, -4 * HOUR);
const WINDOW_END = at(WINDOW_START, 48 * HOUR);

function purchase(storeId: string, lines: Array<[category: string, amountFen: number]>, extra: Partial<PurchaseInput> = {}): PurchaseInput {
  return {
    storeId,
    regionId: STORES[storeId] ?? 'none',
    at: AT,
    tierMultiplierPct: 100,
    lines: lines.map(([category, amountFen]) => ({ category, amountFen })),
    ...extra,
  };
}
function rules(extra: Partial<EarningRuleSet> = {}): EarningRuleSet {
  return { ...BASE, ...extra };
}
function campaign(id: string, multiplierPct: number, over: Partial<CampaignRule> = {}): CampaignRule {
  return {
    id,
    name: `campaign ${id}`,
    multiplierPct,
    startsAt: WINDOW_START,
    endsAt: WINDOW_END,
    scope: 'HQ',
    scopeId: null,
    categories: null,
    ...over,
  };
}
function category(id: string, cat: string, multiplierPct: number, scope: CategoryRule['scope'] = 'HQ', scopeId: string | null = null): CategoryRule {
  return { id, category: cat, multiplierPct, scope, scopeId };
}

describe('computeEarning: base rate and rounding', () => {
  it.each<[string, Rounding, string, number, number, number]>([
    // name, rounding, store, amountFen, expected points, expected fenPerPoint
    ['Beijing ¥123.45 floor', 'FLOOR', 'bj-1', 12345, 12, 1000],
    ['Beijing ¥123.45 round', 'ROUND', 'bj-1', 12345, 12, 1000],
    ['Beijing ¥123.45 ceil', 'CEIL', 'bj-1', 12345, 13, 1000],
    ['Beijing ¥125 (exactly .5) floor', 'FLOOR', 'bj-1', 12500, 12, 1000],
    ['Beijing ¥125 (exactly .5) round half up', 'ROUND', 'bj-1', 12500, 13, 1000],
    ['Beijing ¥124.99 round', 'ROUND', 'bj-1', 12499, 12, 1000],
    ['Beijing ¥125 ceil', 'CEIL', 'bj-1', 12500, 13, 1000],
    ['Beijing ¥120 ceil (exact, no bump)', 'CEIL', 'bj-1', 12000, 12, 1000],
    ['Beijing ¥0.01 ceil', 'CEIL', 'bj-1', 1, 1, 1000],
    ['Beijing ¥9.99 floor', 'FLOOR', 'bj-1', 999, 0, 1000],
    ["Xi'an ¥123.45 floor", 'FLOOR', 'xa-1', 12345, 123, 100],
    ["Xi'an ¥123.45 round", 'ROUND', 'xa-1', 12345, 123, 100],
    ["Xi'an ¥123.50 round", 'ROUND', 'xa-1', 12350, 124, 100],
    ['store rate beats region (bj-vip ¥5 = 1)', 'FLOOR', 'bj-vip', 12345, 24, 500],
    ['HQ rate when no region/store rate (Shanghai ¥2 = 1)', 'FLOOR', 'sh-1', 12345, 61, 200],
    ['zero amount', 'CEIL', 'bj-1', 0, 0, 1000],
  ])('%s', (_name, rounding, store, amountFen, expected, fenPerPoint) => {
    const r = computeEarning(rules({ rounding }), purchase(store, [['food', amountFen]]));
    expect(r.points).toBe(expected);
    expect(r.fenPerPoint).toBe(fenPerPoint);
    expect(r.steps.at(-1)?.points).toBe(expected);
  });

  it('region rule beats HQ regardless of list order, store beats both', () => {
    const reversed = rules({ baseRates: [...BASE.baseRates].reverse() });
    expect(computeEarning(reversed, purchase('bj-1', [['food', 10000]])).fenPerPoint).toBe(1000);
    expect(computeEarning(reversed, purchase('bj-vip', [['food', 10000]])).fenPerPoint).toBe(500);
  });

  it('a REGION rule does not match a store id, nor a STORE rule a region id', () => {
    const r = rules({
      baseRates: [
        { id: 'r', scope: 'REGION', scopeId: 'bj-1', fenPerPoint: 1 },
        { id: 's', scope: 'STORE', scopeId: 'bj', fenPerPoint: 1 },
      ],
    });
    expect(computeEarning(r, purchase('bj-1', [['food', 10000]])).points).toBe(0);
  });

  it('no matching base rate → 0 points with an explanation', () => {
    const r = computeEarning(rules({ baseRates: BASE.baseRates.filter((b) => b.scope !== 'HQ') }), purchase('sh-1', [['food', 99999]]));
    expect(r).toMatchObject({ points: 0, fenPerPoint: 0 });
    expect(r.steps[0]).toMatchObject({ rule: 'base', points: 0 });
    expect(r.steps[0]?.description).toMatch(/没有适用的基础积分规则/);
    expect(r.steps.at(-1)?.points).toBe(0);
  });

  it('rounds once over the whole purchase, not per line', () => {
    // Three lines of ¥5 in Beijing: 0.5 each. Per-line FLOOR would give 0, per-line CEIL 3.
    const lines: Array<[string, number]> = [['a', 500], ['b', 500], ['c', 500]];
    expect(computeEarning(rules({ rounding: 'FLOOR' }), purchase('bj-1', lines)).points).toBe(1);
    expect(computeEarning(rules({ rounding: 'CEIL' }), purchase('bj-1', lines)).points).toBe(2);
    expect(computeEarning(rules({ rounding: 'ROUND' }), purchase('bj-1', lines)).points).toBe(2);
  });

  it('uses exact integer arithmetic (no floating-point drift)', () => {
    // ¥100 in Xi'an × 115% category = exactly 115 points. Naive floats: 100 * 1.15 = 114.99999999999999 → FLOOR 114.
    expect(Math.floor((10000 / 100) * (115 / 100))).toBe(114);
    const r = computeEarning(rules({ rounding: 'FLOOR', categories: [category('c', 'food', 115)] }), purchase('xa-1', [['food', 10000]]));
    expect(r.points).toBe(115);
  });

  it('keeps odd multipliers exact on a large purchase', () => {
    // ¥1,000,000 × 101% × 103% × 107% / ¥1 = 1,113,121.00 points exactly.
    const r = computeEarning(
      rules({ categories: [category('c', 'x', 101)], campaigns: [campaign('k', 103)], rounding: 'CEIL' }),
      purchase('xa-1', [['x', 100_000_000]], { tierMultiplierPct: 107 }),
    );
    expect(r.points).toBe(1_113_121);
  });

  it('no lines → 0 points', () => {
    const r = computeEarning(BASE, purchase('bj-1', []));
    expect(r.points).toBe(0);
    expect(r.steps.at(-1)).toMatchObject({ rule: 'total', points: 0 });
  });
});

describe('computeEarning: category multipliers', () => {
  const cats = [
    category('hq-dairy', 'dairy', 150),
    category('bj-dairy', 'dairy', 200, 'REGION', 'bj'),
    category('vip-dairy', 'dairy', 300, 'STORE', 'bj-vip'),
    category('xa-dairy-store', 'dairy', 400, 'STORE', 'xa-other'),
    category('hq-tobacco', 'tobacco', 0),
  ];
  it.each<[string, string, Array<[string, number]>, number]>([
    ['HQ category rule applies in Xi’an', 'xa-1', [['dairy', 1000]], 15], // 10 × 1.5
    ['region category rule beats HQ', 'bj-1', [['dairy', 10000]], 20], // 10 × 2
    ['store category rule beats region', 'bj-vip', [['dairy', 10000]], 60], // 20 × 3
    ['another store’s rule does not apply', 'xa-1', [['dairy', 100]], 1], // 1 × 1.5 = 1.5 → 1
    ['other categories default to ×1', 'bj-1', [['bread', 10000]], 10],
    ['a 0% category earns nothing', 'bj-1', [['tobacco', 100000]], 0],
    ['mixed lines', 'bj-1', [['dairy', 10000], ['bread', 5000], ['tobacco', 9000]], 25], // 20 + 5 + 0
  ])('%s', (_name, store, lines, expected) => {
    const r = computeEarning(rules({ categories: cats }), purchase(store, lines));
    expect(r.points).toBe(expected);
    expect(r.steps.at(-1)?.points).toBe(expected);
  });

  it('explains the category stage', () => {
    const r = computeEarning(rules({ categories: cats }), purchase('bj-1', [['dairy', 10000]]));
    expect(r.steps.map((s) => s.rule)).toEqual(['base', 'category', 'total']);
    expect(r.steps[1]).toMatchObject({ description: '品类倍率：dairy ×2', points: 20 });
  });
});

describe('computeEarning: campaigns', () => {
  const start = WINDOW_START;
  const end = WINDOW_END;
  it.each<[string, Date, number]>([
    ['1 ms before start', new Date(start.getTime() - 1), 10],
    ['exactly at start (inclusive)', start, 20],
    ['inside the window', at(start, 36 * HOUR), 20],
    ['1 ms before end', new Date(end.getTime() - 1), 20],
    ['exactly at end (exclusive)', end, 10],
  ])('double points weekend: %s', (_name, at, expected) => {
    const r = computeEarning(rules({ campaigns: [campaign('w', 200, { startsAt: start, endsAt: end })] }), purchase('bj-1', [['food', 10000]], { at }));
    expect(r.points).toBe(expected);
  });

  it.each<[string, CampaignRule[], string, Array<[string, number]>, number]>([
    ['campaigns do not stack: the highest wins', [campaign('a', 200), campaign('b', 300), campaign('c', 150)], 'bj-1', [['food', 10000]], 30],
    ['order does not matter for the highest', [campaign('b', 300), campaign('a', 200)], 'bj-1', [['food', 10000]], 30],
    ['a store campaign applies in its store', [campaign('s', 300, { scope: 'STORE', scopeId: 'bj-1' })], 'bj-1', [['food', 10000]], 30],
    ['a store campaign does not apply elsewhere', [campaign('s', 300, { scope: 'STORE', scopeId: 'bj-1' })], 'bj-vip', [['food', 10000]], 20],
    ['a region campaign applies in its region', [campaign('r', 200, { scope: 'REGION', scopeId: 'xa' })], 'xa-1', [['food', 1000]], 20],
    ['a region campaign does not apply elsewhere', [campaign('r', 200, { scope: 'REGION', scopeId: 'xa' })], 'bj-1', [['food', 10000]], 10],
    ['category campaign applies to its categories only', [campaign('d', 300, { categories: ['dairy', 'fruit'] })], 'bj-1', [['dairy', 10000], ['food', 10000]], 40],
    [
      'per line: the highest campaign that covers the line',
      [campaign('all', 200), campaign('d', 500, { categories: ['dairy'] })],
      'bj-1',
      [['dairy', 10000], ['food', 10000]],
      70, // 10 × 5 + 10 × 2
    ],
    ['an empty category list covers nothing', [campaign('none', 300, { categories: [] })], 'bj-1', [['food', 10000]], 10],
    ['a targeted campaign does not apply outside its audience', [campaign('t', 300, { audience: 'campaign:1' })], 'bj-1', [['food', 10000]], 10],
    ['an ended campaign is ignored even if higher', [campaign('old', 900, { endsAt: AT }), campaign('now', 200)], 'bj-1', [['food', 10000]], 20],
  ])('%s', (_name, campaigns, store, lines, expected) => {
    const r = computeEarning(rules({ campaigns }), purchase(store, lines));
    expect(r.points).toBe(expected);
    expect(r.steps.at(-1)?.points).toBe(expected);
  });

  it('a targeted campaign applies only to a purchase whose audiences name it', () => {
    const set = rules({ campaigns: [campaign('t', 300, { audience: 'campaign:1' }), campaign('all', 150)] });
    expect(computeEarning(set, purchase('bj-1', [['food', 10000]], { audiences: ['campaign:1'] })).points).toBe(30);
    expect(computeEarning(set, purchase('bj-1', [['food', 10000]], { audiences: ['campaign:2'] })).points).toBe(15);
    expect(computeEarning(set, purchase('bj-1', [['food', 10000]])).points).toBe(15);
  });

  it('campaign and category and tier multiply', () => {
    // ¥100 in Beijing = 10 × 1.5 (category) × 2 (campaign) × 1.2 (tier) = 36
    const r = computeEarning(
      rules({ categories: [category('c', 'dairy', 150)], campaigns: [campaign('w', 200)] }),
      purchase('bj-1', [['dairy', 10000]], { tierMultiplierPct: 120, tierName: '金卡' }),
    );
    expect(r.points).toBe(36);
    expect(r.steps.map((s) => [s.rule, s.points])).toEqual([
      ['base', 10],
      ['category', 15],
      ['campaign', 30],
      ['tier', 36],
      ['total', 36],
    ]);
    expect(r.steps[2]?.description).toContain('campaign w');
    expect(r.steps[3]?.description).toBe('会员等级 金卡 ×1.2');
  });
});

describe('computeEarning: tier multiplier and cap', () => {
  it.each<[string, number, number | null, Rounding, number, number]>([
    // name, tier pct, cap, rounding, amountFen (Xi'an, ¥1 = 1), expected
    ['tier ×1.5', 150, null, 'FLOOR', 10001, 150], // 100.01 × 1.5 = 150.015
    ['tier ×1.5 ceil', 150, null, 'CEIL', 10001, 151],
    ['cap below the points', 100, 50, 'FLOOR', 10000, 50],
    ['cap above the points', 100, 500, 'FLOOR', 10000, 100],
    ['cap equal to the points', 100, 100, 'FLOOR', 10000, 100],
    ['cap applies after the tier multiplier', 200, 150, 'FLOOR', 10000, 150],
    ['cap applies after rounding (ceil 100.5 → 101 → cap 100)', 100, 100, 'CEIL', 10050, 100],
    ['cap 0 earns nothing', 100, 0, 'FLOOR', 10000, 0],
    ['tier ×0', 0, null, 'CEIL', 10000, 0],
  ])('%s', (_name, tierMultiplierPct, capPerPurchase, rounding, amountFen, expected) => {
    const r = computeEarning(rules({ capPerPurchase, rounding }), purchase('xa-1', [['food', amountFen]], { tierMultiplierPct }));
    expect(r.points).toBe(expected);
    expect(r.steps.at(-1)).toMatchObject({ rule: 'total', points: expected });
  });

  it('explains the cap and the rounding', () => {
    const r = computeEarning(rules({ capPerPurchase: 100, rounding: 'CEIL' }), purchase('xa-1', [['food', 10050]]));
    expect(r.steps.map((s) => s.rule)).toEqual(['base', 'rounding', 'cap', 'total']);
    expect(r.steps[1]).toMatchObject({ description: '取整（向上取整）：100.5 → 101', points: 101 });
    expect(r.steps[2]).toMatchObject({ description: '单笔上限 100 积分', points: 100 });
  });

  it('describes the base rate in yuan', () => {
    expect(computeEarning(BASE, purchase('bj-1', [['food', 12345]])).steps[0]?.description).toBe('基础积分：区域 #bj 每 ¥10 = 1 积分，消费 ¥123.45');
    expect(computeEarning(BASE, purchase('sh-1', [['food', 100]])).steps[0]?.description).toBe('基础积分：每 ¥2 = 1 积分，消费 ¥1.00');
  });
});

describe('computeEarning: bad input', () => {
  it.each<[string, () => unknown]>([
    ['negative amount', () => computeEarning(BASE, purchase('bj-1', [['food', -1]]))],
    ['fractional amount', () => computeEarning(BASE, purchase('bj-1', [['food', 10.5]]))],
    ['NaN amount', () => computeEarning(BASE, purchase('bj-1', [['food', NaN]]))],
    ['infinite amount', () => computeEarning(BASE, purchase('bj-1', [['food', Infinity]]))],
    ['negative tier multiplier', () => computeEarning(BASE, purchase('bj-1', [['food', 100]], { tierMultiplierPct: -100 }))],
    ['fractional tier multiplier', () => computeEarning(BASE, purchase('bj-1', [['food', 100]], { tierMultiplierPct: 150.5 }))],
    ['unknown rounding mode', () => computeEarning(rules({ rounding: 'BANKERS' as Rounding }), purchase('bj-1', [['food', 100]]))],
    ['negative cap', () => computeEarning(rules({ capPerPurchase: -1 }), purchase('bj-1', [['food', 100]]))],
    ['zero fenPerPoint', () => computeEarning(rules({ baseRates: [{ id: 'z', scope: 'HQ', scopeId: null, fenPerPoint: 0 }] }), purchase('bj-1', [['food', 100]]))],
    ['too large to be exact', () => computeEarning(rules({ campaigns: [campaign('k', 997)] }), purchase('xa-1', [['food', Number.MAX_SAFE_INTEGER - 1]]))],
  ])('%s → RangeError', (_name, run) => {
    expect(run).toThrow(RangeError);
  });
});

describe('explanations name the scope when the rule set carries names', () => {
  it.each([
    [{ scopeName: '北京' }, '北京'],
    [{}, '区域 #bj'],
  ])('scope %j → %s', (extra, expected) => {
    const r = computeEarning(
      {
        baseRates: [{ id: 'b', scope: 'REGION', scopeId: 'bj', fenPerPoint: 1000, ...extra }],
        categories: [],
        campaigns: [],
        capPerPurchase: null,
        rounding: 'FLOOR',
      },
      { storeId: 's1', regionId: 'bj', at: AT, tierMultiplierPct: 100, lines: [{ category: 'general', amountFen: 12_345 }] },
    );
    expect(r.points).toBe(12);
    expect(r.steps[0]?.description).toContain(expected);
  });
});

describe('effectiveRuleIds', () => {
  const at = new Date('2031-05-01T00:00:00Z');
  const rules = {
    baseRates: [
      { id: 'hq', scope: 'HQ' as const, scopeId: null, fenPerPoint: 100 },
      { id: 'bj', scope: 'REGION' as const, scopeId: 'r-bj', fenPerPoint: 1000 },
      { id: 'gm', scope: 'STORE' as const, scopeId: 's-gm', fenPerPoint: 500 },
    ],
    categories: [
      { id: 'fresh-hq', category: 'fresh', multiplierPct: 150, scope: 'HQ' as const, scopeId: null },
      { id: 'fresh-bj', category: 'fresh', multiplierPct: 200, scope: 'REGION' as const, scopeId: 'r-bj' },
      { id: 'wine-hq', category: 'wine', multiplierPct: 0, scope: 'HQ' as const, scopeId: null },
    ],
    campaigns: [
      { id: 'now', name: 'now', multiplierPct: 200, startsAt: new Date(at.getTime() - 1000), endsAt: new Date(at.getTime() + 1000), scope: 'HQ' as const, scopeId: null, categories: null },
      { id: 'later', name: 'later', multiplierPct: 300, startsAt: new Date(at.getTime() + 1000), endsAt: new Date(at.getTime() + 9000), scope: 'HQ' as const, scopeId: null, categories: null },
    ],
  };
  it.each<[string, string, string, string[]]>([
    ['a store with its own rate', 's-gm', 'r-bj', ['gm', 'fresh-bj', 'wine-hq', 'now']],
    ['another store in the region', 's-sl', 'r-bj', ['bj', 'fresh-bj', 'wine-hq', 'now']],
    ['a store elsewhere', 's-xa', 'r-xa', ['hq', 'fresh-hq', 'wine-hq', 'now']],
  ])('%s', (_why, storeId, regionId, ids) => {
    expect([...effectiveRuleIds(rules, { storeId, regionId }, at)].sort()).toEqual([...ids].sort());
  });
});

describe('ruleSetFromView: the API view gives the same explanation as the server rule set', () => {
  const at = new Date(Date.UTC(2030, 0, 1));
  const server: EarningRuleSet = {
    baseRates: [{ id: 'b', scope: 'REGION', scopeId: 'bj', scopeName: '北京', fenPerPoint: 1000 }],
    categories: [{ id: 'c', category: 'fresh', multiplierPct: 150, scope: 'STORE', scopeId: 's1', scopeName: '北京国贸店' }],
    campaigns: [{ id: 'k', name: '周末双倍', multiplierPct: 200, startsAt: new Date(at.getTime() - 3_600_000), endsAt: new Date(at.getTime() + 3_600_000), scope: 'HQ', scopeId: null, categories: null }],
    capPerPurchase: null,
    rounding: 'ROUND',
  };
  // What `earningRules(storeId)` sends: JSON, times as ISO strings.
  const view = JSON.parse(JSON.stringify(server)) as EarningRuleSetView;
  const purchase = { storeId: 's1', regionId: 'bj', at, tierMultiplierPct: 125, tierName: '银卡', lines: [{ category: 'general', amountFen: 12_345 }, { category: 'fresh', amountFen: 6_780 }] };

  it('every explanation line equals the receipt line, and names the region', () => {
    const receipt = computeEarning(server, purchase);
    const preview = computeEarning(ruleSetFromView(view), purchase);
    expect(preview.steps.map((s) => s.description)).toEqual(receipt.steps.map((s) => s.description));
    expect(preview).toEqual(receipt);
    expect(preview.steps[0]?.description).toBe('基础积分：北京 每 ¥10 = 1 积分，消费 ¥191.25');
  });
});
