import { campaignGroup, campaignOfferText, holdoutDraw, multiplierOfferText, normalizeSegment, parseStoredSegment, preferredCategory, SegmentError, type SegmentConditionInput } from './campaigns';

const SEED_A = 'seed-aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SEED_B = 'seed-bbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe('normalizeSegment', () => {
  it('normalises lists (sorted, de-duplicated) and keeps the AND of conditions in order', () => {
    const out = normalizeSegment([
      { field: 'GENDER', genders: ['MALE', 'FEMALE', 'MALE'] },
      { field: 'TIER', tierIds: [3, 1, 3] },
      { field: 'SPEND', days: 90, minFen: 10_000 },
      { field: 'PREFERRED_CATEGORY', days: 365, categories: ['fresh', 'beauty'] },
      { field: 'LAST_PURCHASE', before: new Date('2026-03-01T00:00:00Z') }, // a display value only
      { field: 'DISTANCE', storeId: 7, maxKm: 5 },
    ]);
    expect(out).toEqual([
      { field: 'GENDER', genders: ['FEMALE', 'MALE'] },
      { field: 'TIER', tierIds: [1, 3] },
      { field: 'SPEND', days: 90, minFen: 10_000, maxFen: null },
      { field: 'PREFERRED_CATEGORY', days: 365, categories: ['beauty', 'fresh'] },
      { field: 'LAST_PURCHASE', after: null, before: '2026-03-01T00:00:00.000Z' },
      { field: 'DISTANCE', storeId: 7, minKm: null, maxKm: 5 },
    ]);
  });

  it('a stored segment reads back to the same definition', () => {
    const seg = normalizeSegment([{ field: 'LAST_PURCHASE', after: new Date('2025-01-01T00:00:00Z'), before: new Date('2025-06-01T00:00:00Z') }, { field: 'AGE_BAND', ageBands: ['AGE_25_34'] }]);
    expect(parseStoredSegment(JSON.stringify(seg))).toEqual(seg);
  });

  it.each<[string, SegmentConditionInput[] | null, string]>([
    ['no conditions', [], 'conditions'],
    ['null', null, 'conditions'],
    ['eleven conditions', Array.from({ length: 11 }, () => ({ field: 'GENDER', genders: ['MALE'] })), 'conditions'],
    ['unknown field', [{ field: 'INCOME' }], 'conditions[0].field'],
    ['a property of another field', [{ field: 'GENDER', genders: ['MALE'], maxKm: 3 }], 'conditions[0].maxKm'],
    ['unknown gender', [{ field: 'GENDER', genders: ['OTHER'] }], 'conditions[0].genders'],
    ['empty list', [{ field: 'LIFECYCLE', stages: [] }], 'conditions[0].stages'],
    ['spend without bounds', [{ field: 'SPEND', days: 30 }], 'conditions[0].minFen'],
    ['negative spend', [{ field: 'SPEND', days: 30, minFen: -1 }], 'conditions[0].minFen'],
    ['min above max', [{ field: 'SPEND', days: 30, minFen: 500, maxFen: 100 }], 'conditions[0].minFen'],
    ['zero days', [{ field: 'SPEND', days: 0, minFen: 1 }], 'conditions[0].days'],
    ['over 3 years', [{ field: 'PREFERRED_CATEGORY', days: 1096, categories: ['fresh'] }], 'conditions[0].days'],
    ['bad category', [{ field: 'PREFERRED_CATEGORY', days: 30, categories: ['生鲜; DROP'] }], 'conditions[0].categories'],
    ['no dates', [{ field: 'LAST_PURCHASE' }], 'conditions[0].after'],
    ['backwards dates', [{ field: 'LAST_PURCHASE', after: new Date(2000), before: new Date(1000) }], 'conditions[0].after'],
    ['distance too far', [{ field: 'DISTANCE', storeId: 1, maxKm: 501 }], 'conditions[0].maxKm'],
    ['distance ring backwards', [{ field: 'DISTANCE', storeId: 1, minKm: 5, maxKm: 5 }], 'conditions[0].minKm'],
    ['distance without a store', [{ field: 'DISTANCE', maxKm: 5 }], 'conditions[0].storeId'],
    ['fractional tier id', [{ field: 'TIER', tierIds: [1.5] }], 'conditions[0].tierIds'],
  ])('refuses %s', (_name, input, field) => {
    try {
      normalizeSegment(input);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(SegmentError);
      expect((e as SegmentError).field).toBe(field);
    }
  });
});

describe('holdout assignment', () => {
  it('is reproducible per (campaign seed, member)', () => {
    for (let m = 1; m <= 50; m++) expect(holdoutDraw(SEED_A, m)).toBe(holdoutDraw(SEED_A, m));
    expect(holdoutDraw(SEED_A, 1)).toBeGreaterThanOrEqual(0);
    expect(holdoutDraw(SEED_A, 1)).toBeLessThan(1);
  });

  it('converges to the share (10 % of 20,000 members within ±0.7 %, about 3.3 standard errors)', () => {
    for (const pct of [5, 10, 30, 50]) {
      let held = 0;
      for (let m = 1; m <= 20_000; m++) if (campaignGroup(SEED_A, m, pct) === 'HOLDOUT') held++;
      expect(Math.abs(held / 20_000 - pct / 100)).toBeLessThan(0.007 + pct / 10_000);
    }
  });

  it('0 % holds out nobody', () => {
    for (let m = 1; m <= 1000; m++) expect(campaignGroup(SEED_A, m, 0)).toBe('TREATED');
  });

  it('is independent across campaigns: the holdouts of two seeds overlap as chance says (10 % × 10 % = 1 %)', () => {
    let both = 0;
    const n = 20_000;
    for (let m = 1; m <= n; m++) if (campaignGroup(SEED_A, m, 10) === 'HOLDOUT' && campaignGroup(SEED_B, m, 10) === 'HOLDOUT') both++;
    expect(both / n).toBeGreaterThan(0.006);
    expect(both / n).toBeLessThan(0.014);
  });

  it('refuses a bad share or seed', () => {
    expect(() => campaignGroup(SEED_A, 1, 51)).toThrow(RangeError);
    expect(() => campaignGroup(SEED_A, 1, -1)).toThrow(RangeError);
    expect(() => campaignGroup('short', 1, 10)).toThrow(RangeError);
    expect(() => holdoutDraw(SEED_A, 0)).toThrow(RangeError);
  });
});

describe('preferredCategory', () => {
  it('is the category with the most net spend', () => {
    expect(preferredCategory([{ category: 'fresh', amountFen: 500 }, { category: 'beauty', amountFen: 300 }, { category: 'beauty', amountFen: 300 }])).toBe('beauty');
  });
  it('counts refunds against their category', () => {
    expect(preferredCategory([{ category: 'beauty', amountFen: 900 }, { category: 'beauty', amountFen: -600 }, { category: 'fresh', amountFen: 500 }])).toBe('fresh');
  });
  it('breaks ties alphabetically and is null without positive spend', () => {
    expect(preferredCategory([{ category: 'fresh', amountFen: 100 }, { category: 'beauty', amountFen: 100 }])).toBe('beauty');
    expect(preferredCategory([])).toBeNull();
    expect(preferredCategory([{ category: 'fresh', amountFen: -5 }])).toBeNull();
  });
});

describe('campaignOfferText', () => {
  // Display cases: the expiry instant is a fixed calendar value (Shanghai midnight), not today's date.
  const base = { name: '春季回馈券', giftName: null, amountOffFen: null, percentOff: null, minSpendFen: 0, expiresAt: null };
  it.each<[string, Parameters<typeof campaignOfferText>[0], string]>([
    ['amount off with a minimum', { ...base, kind: 'AMOUNT_OFF', amountOffFen: 2000, minSpendFen: 10000, expiresAt: new Date('2026-03-14T16:00:00Z') }, '送您一张「春季回馈券」：满 100 元减 20 元，有效期至 3月14日，已放入「我的优惠券」，到店出示券码即可使用。'],
    ['amount off', { ...base, kind: 'AMOUNT_OFF', amountOffFen: 550 }, '送您一张「春季回馈券」：立减 5.50 元，已放入「我的优惠券」，到店出示券码即可使用。'],
    ['percent off', { ...base, kind: 'PERCENT_OFF', percentOff: 15 }, '送您一张「春季回馈券」：享 8.5 折，已放入「我的优惠券」，到店出示券码即可使用。'],
    ['gift', { ...base, kind: 'GIFT', giftName: '拿铁一杯', minSpendFen: 3000 }, '送您一张「春季回馈券」：满 30 元赠送 拿铁一杯，已放入「我的优惠券」，到店出示券码即可使用。'],
  ])('%s', (_n, offer, text) => {
    expect(campaignOfferText(offer)).toBe(text);
  });
});

describe('multiplierOfferText', () => {
  it('names the end in Shanghai time and the multiple', () => {
    // Display case: a fixed calendar instant (Shanghai midnight of 16 March) is the exclusive end.
    expect(multiplierOfferText(200, new Date('2026-03-15T16:00:00Z'))).toBe('即日起至 3月16日 00:00，到店消费享 2 倍积分，无需领取，结账时自动计入。');
    expect(multiplierOfferText(150, new Date('2026-03-15T16:00:00Z'))).toContain('享 1.5 倍积分');
  });
});
