import { addMonthsUtc, evaluateTier, nextTierProgress, qualifyingTier, type TierDecision, type TierDef } from './tiers';

const tier = (id: string, rank: number, thresholdFen: number, multiplierPct: number): TierDef => ({ id, code: id.toUpperCase(), name: id, rank, thresholdFen, multiplierPct });
// Deliberately unsorted.
const TIERS: TierDef[] = [
  tier('gold', 2, 500_000, 150),
  tier('normal', 0, 0, 100),
  tier('platinum', 3, 2_000_000, 200),
  tier('silver', 1, 100_000, 120),
];
const d = (iso: string): Date => new Date(iso);

describe('qualifyingTier', () => {
  it.each([
    [0, 'normal'],
    [99_999, 'normal'],
    [100_000, 'silver'],
    [499_999, 'silver'],
    [500_000, 'gold'],
    [1_999_999, 'gold'],
    [2_000_000, 'platinum'],
    [1_000_000_000, 'platinum'],
    [-5, 'normal'],
  ])('spend %i fen → %s', (spend, expected) => {
    expect(qualifyingTier(TIERS, spend).id).toBe(expected);
  });

  it('falls back to the lowest rank when even the entry tier has a threshold', () => {
    expect(qualifyingTier([tier('b', 1, 500, 100), tier('a', 0, 100, 100)], 50).id).toBe('a');
  });

  it('does not reorder the caller’s array', () => {
    const copy = [...TIERS];
    qualifyingTier(TIERS, 600_000);
    expect(TIERS).toEqual(copy);
  });

  it.each<[string, TierDef[], number]>([
    ['no tiers', [], 0],
    ['NaN spend', TIERS, NaN],
  ])('%s → RangeError', (_name, tiers, spend) => {
    expect(() => qualifyingTier(tiers, spend)).toThrow(RangeError);
  });
});

describe('evaluateTier (12-month periods)', () => {
  // Absolute on purpose: evaluateTier takes `now` explicitly (it reads no clock), and a new period ends 12 calendar
  // months later, so each case writes its now and the expected period end as calendar dates.
  const END = '2025-06-01T00:00:00.000Z';
  it.each<[string, string, number, string, TierDecision]>([
    // name, current tier, rolling spend, now, expected decision
    ['upgrade at once mid-period', 'normal', 150_000, '2025-03-15T08:00:00.000Z', { tierId: 'silver', periodEndsAt: d('2026-03-15T08:00:00.000Z'), changed: 'UPGRADE' }],
    ['upgrade can skip tiers', 'normal', 3_000_000, '2025-03-15T08:00:00.000Z', { tierId: 'platinum', periodEndsAt: d('2026-03-15T08:00:00.000Z'), changed: 'UPGRADE' }],
    ['upgrade after the period ended', 'silver', 600_000, '2025-07-01T00:00:00.000Z', { tierId: 'gold', periodEndsAt: d('2026-07-01T00:00:00.000Z'), changed: 'UPGRADE' }],
    ['no downgrade mid-period, spend 0', 'gold', 0, '2025-03-15T08:00:00.000Z', { tierId: 'gold', periodEndsAt: d(END), changed: 'NONE' }],
    ['no downgrade 1 ms before the period ends', 'gold', 0, '2025-05-31T23:59:59.999Z', { tierId: 'gold', periodEndsAt: d(END), changed: 'NONE' }],
    ['downgrade exactly at the period end', 'gold', 0, END, { tierId: 'normal', periodEndsAt: d('2026-06-01T00:00:00.000Z'), changed: 'DOWNGRADE' }],
    ['downgrade one level at the period end', 'gold', 150_000, '2025-06-02T00:00:00.000Z', { tierId: 'silver', periodEndsAt: d('2026-06-02T00:00:00.000Z'), changed: 'DOWNGRADE' }],
    ['renewed at the period end when still qualifying', 'gold', 600_000, END, { tierId: 'gold', periodEndsAt: d('2026-06-01T00:00:00.000Z'), changed: 'RENEWED' }],
    ['entry tier renews at the period end', 'normal', 0, END, { tierId: 'normal', periodEndsAt: d('2026-06-01T00:00:00.000Z'), changed: 'RENEWED' }],
    ['same tier mid-period: nothing', 'silver', 150_000, '2025-03-15T08:00:00.000Z', { tierId: 'silver', periodEndsAt: d(END), changed: 'NONE' }],
    ['spend above current but below next mid-period: nothing', 'silver', 499_999, '2025-03-15T08:00:00.000Z', { tierId: 'silver', periodEndsAt: d(END), changed: 'NONE' }],
    ['unknown current tier moves to the qualifying tier', 'deleted', 150_000, '2025-03-15T08:00:00.000Z', { tierId: 'silver', periodEndsAt: d('2026-03-15T08:00:00.000Z'), changed: 'UPGRADE' }],
  ])('%s', (_name, tierId, spend, now, expected) => {
    expect(evaluateTier(TIERS, { tierId, periodEndsAt: d(END) }, spend, d(now), 12)).toEqual(expected);
  });

  it('clamps the new period end (upgrade on Jan 31 with 1-month periods)', () => {
    // Absolute on purpose: a month-end calendar case (31 January + 1 month → 28 February).
    const r = evaluateTier(TIERS, { tierId: 'normal', periodEndsAt: d(END) }, 100_000, d('2025-01-31T10:00:00.000Z'), 1);
    expect(r.periodEndsAt).toEqual(d('2025-02-28T10:00:00.000Z'));
  });
});

describe('nextTierProgress', () => {
  it.each<[string, string, number, { tier: string; spendNeededFen: number } | null]>([
    ['normal, spend 300 yuan', 'normal', 30_000, { tier: 'silver', spendNeededFen: 70_000 }],
    ['silver, nothing spent', 'silver', 0, { tier: 'gold', spendNeededFen: 500_000 }],
    ['silver already qualifying for gold mid-period', 'silver', 600_000, { tier: 'gold', spendNeededFen: 0 }],
    ['gold (held) with low spend', 'gold', 10_000, { tier: 'platinum', spendNeededFen: 1_990_000 }],
    ['top tier', 'platinum', 0, null],
    ['unknown tier → the entry tier', 'deleted', 0, { tier: 'normal', spendNeededFen: 0 }],
  ])('%s', (_name, current, spend, expected) => {
    const p = nextTierProgress(TIERS, current, spend);
    expect(p && { tier: p.tier.id, spendNeededFen: p.spendNeededFen }).toEqual(expected);
  });
});

describe('addMonthsUtc', () => {
  // Absolute on purpose: calendar arithmetic (month ends, leap years incl. 2000 and 2100); no clock involved.
  it.each([
    ['2025-01-31T00:00:00.000Z', 1, '2025-02-28T00:00:00.000Z'],
    ['2024-01-31T00:00:00.000Z', 1, '2024-02-29T00:00:00.000Z'],
    ['2025-03-31T12:34:56.789Z', -1, '2025-02-28T12:34:56.789Z'],
    ['2025-08-31T23:59:59.999Z', 1, '2025-09-30T23:59:59.999Z'],
    ['2025-12-15T00:00:00.000Z', 1, '2026-01-15T00:00:00.000Z'],
    ['2025-01-15T00:00:00.000Z', -1, '2024-12-15T00:00:00.000Z'],
    ['2024-02-29T08:00:00.000Z', 12, '2025-02-28T08:00:00.000Z'],
    ['2024-02-29T08:00:00.000Z', 48, '2028-02-29T08:00:00.000Z'],
    ['2025-05-31T00:00:00.000Z', -12, '2024-05-31T00:00:00.000Z'],
    ['2025-01-31T00:00:00.000Z', -13, '2023-12-31T00:00:00.000Z'],
    ['2025-01-31T00:00:00.000Z', 24, '2027-01-31T00:00:00.000Z'],
    ['2100-01-31T00:00:00.000Z', 1, '2100-02-28T00:00:00.000Z'],
    ['2000-01-31T00:00:00.000Z', 1, '2000-02-29T00:00:00.000Z'],
    ['2025-06-10T00:00:00.000Z', 0, '2025-06-10T00:00:00.000Z'],
  ])('%s + %i months → %s', (from, months, expected) => {
    expect(addMonthsUtc(d(from), months).toISOString()).toBe(expected);
  });

  it('does not mutate its argument', () => {
    // Absolute on purpose: a month-end date that addMonthsUtc would clamp; no clock involved.
    const x = d('2025-01-31T00:00:00.000Z');
    addMonthsUtc(x, 1);
    expect(x.toISOString()).toBe('2025-01-31T00:00:00.000Z');
  });

  // Absolute on purpose: any valid date; addMonthsUtc reads no clock.
  it.each<[string, Date, number]>([
    ['fractional months', d('2025-01-01T00:00:00.000Z'), 1.5],
    ['invalid date', new Date(NaN), 1],
  ])('%s → RangeError', (_name, date, months) => {
    expect(() => addMonthsUtc(date, months)).toThrow(RangeError);
  });
});
