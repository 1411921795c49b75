import { couponAcceptedAt, couponExpiresAt, couponState, couponWindow, expiresInDays, expiryLabelZh, percentOffToSharePaid, spreadDiscount, sharePaidToPercentOff } from './coupons';
import { shanghaiDay } from './shanghai';

const d = (iso: string): Date => new Date(iso);

describe('couponExpiresAt (calendar days, Asia/Shanghai, the issue day is day 1)', () => {
  it.each<[string, number, string]>([
    ['2026-03-02T02:00:00Z', 3, '2026-03-04T16:00:00.000Z'], // Mon 10:00 → lapses Thu 00:00 Shanghai
    ['2026-03-02T15:59:59Z', 3, '2026-03-04T16:00:00.000Z'], // Mon 23:59:59 Shanghai: still Monday
    ['2026-03-02T16:00:00Z', 3, '2026-03-05T16:00:00.000Z'], // Tue 00:00 Shanghai
    ['2026-03-02T02:00:00Z', 1, '2026-03-02T16:00:00.000Z'], // valid today only
    ['2026-12-31T10:00:00Z', 2, '2027-01-01T16:00:00.000Z'], // across a year end
  ])('issued %s, %i days → %s', (issued, days, end) => {
    expect(couponExpiresAt(d(issued), days).toISOString()).toBe(end);
  });

  it('refuses a validity below one day', () => {
    expect(() => couponExpiresAt(d('2026-03-02T02:00:00Z'), 0)).toThrow(RangeError);
  });
});

describe('couponWindow', () => {
  const at = d('2026-03-02T02:00:00Z');
  it('fixed dates keep their start and end', () => {
    expect(couponWindow({ validFrom: d('2026-03-05T00:00:00Z'), validUntil: d('2026-04-01T00:00:00Z'), validDays: null }, at)).toEqual({ validFrom: d('2026-03-05T00:00:00Z'), expiresAt: d('2026-04-01T00:00:00Z') });
  });
  it('N days start at issue', () => {
    expect(couponWindow({ validFrom: null, validUntil: null, validDays: 3 }, at)).toEqual({ validFrom: null, expiresAt: d('2026-03-04T16:00:00.000Z') });
  });
  it('neither: no end', () => {
    expect(couponWindow({ validFrom: null, validUntil: null, validDays: null }, at)).toEqual({ validFrom: null, expiresAt: null });
  });
});

describe('couponState, expiresInDays, expiryLabelZh', () => {
  const issued = d('2026-03-02T02:00:00Z'); // Monday 10:00 Shanghai
  const end = couponExpiresAt(issued, 3);
  it.each<[string, string, number | null, string | null, string]>([
    ['the issue day', '2026-03-02T02:00:00Z', 2, '2 天后到期', 'VALID'],
    ['day 2', '2026-03-03T12:00:00Z', 1, '明天到期', 'VALID'],
    ['day 3, late evening', '2026-03-04T15:59:59Z', 0, '今天到期', 'VALID'],
    ['day 4 at midnight', '2026-03-04T16:00:00Z', null, null, 'EXPIRED'],
    ['day 4 at noon', '2026-03-05T04:00:00Z', null, null, 'EXPIRED'],
  ])('%s', (_name, now, days, label, state) => {
    expect(expiresInDays(end, d(now))).toBe(days);
    expect(expiryLabelZh(end, d(now))).toBe(label);
    expect(couponState({ used: false, validFrom: null, expiresAt: end }, d(now))).toBe(state);
  });

  it('used wins over expired; upcoming before its start; no end never expires', () => {
    expect(couponState({ used: true, validFrom: null, expiresAt: end }, d('2027-01-01T00:00:00Z'))).toBe('USED');
    expect(couponState({ used: false, validFrom: d('2026-03-10T00:00:00Z'), expiresAt: null }, d('2026-03-09T23:59:59Z'))).toBe('UPCOMING');
    expect(couponState({ used: false, validFrom: d('2026-03-10T00:00:00Z'), expiresAt: null }, d('2026-03-10T00:00:00Z'))).toBe('VALID');
    expect(expiresInDays(null, issued)).toBeNull();
  });

  it('shanghaiDay turns at 16:00 UTC', () => {
    expect(shanghaiDay(d('2026-03-02T15:59:59.999Z')) + 1).toBe(shanghaiDay(d('2026-03-02T16:00:00Z')));
  });
});

describe('couponAcceptedAt', () => {
  const guomao = { id: 10, regionId: 1 };
  const zhonglou = { id: 30, regionId: 2 };
  const none = { storeIds: null, regionIds: null, ownerStoreId: null, ownerRegionId: null };
  it.each<[string, Parameters<typeof couponAcceptedAt>[0], typeof guomao, boolean]>([
    ['an HQ coupon naming nothing: everywhere', none, zhonglou, true],
    ['a named store', { ...none, storeIds: [10] }, guomao, true],
    ['not another store', { ...none, storeIds: [10] }, zhonglou, false],
    ['a named region covers its stores', { ...none, regionIds: [2] }, zhonglou, true],
    ['stores or regions: either matches', { ...none, storeIds: [10], regionIds: [2] }, zhonglou, true],
    ["a region's coupon naming nothing: its region", { ...none, ownerRegionId: 1 }, guomao, true],
    ["a region's coupon naming nothing: not elsewhere", { ...none, ownerRegionId: 1 }, zhonglou, false],
    ["a store's coupon naming nothing: that store", { ...none, ownerStoreId: 10, ownerRegionId: 1 }, guomao, true],
    ["a store's coupon naming nothing: not its region's other stores", { ...none, ownerStoreId: 10, ownerRegionId: 1 }, { id: 20, regionId: 1 }, false],
    ['empty lists name nothing', { ...none, storeIds: [], regionIds: [] }, zhonglou, true],
  ])('%s', (_name, places, store, expected) => {
    expect(couponAcceptedAt(places, store)).toBe(expected);
  });
});

describe('spreadDiscount', () => {
  it('spreads in proportion and adds up to the total less the discount', () => {
    const lines = [{ category: 'coffee', amountFen: 3000 }, { category: 'bakery', amountFen: 1000 }];
    expect(spreadDiscount(lines, 1000)).toEqual([{ category: 'coffee', amountFen: 2250 }, { category: 'bakery', amountFen: 750 }]);
  });
  it('gives the remainder fen to the largest remainders, ties to the earlier line', () => {
    const lines = [{ category: 'a', amountFen: 1 }, { category: 'b', amountFen: 1 }, { category: 'c', amountFen: 1 }];
    const out = spreadDiscount(lines, 2);
    expect(out).toEqual([{ category: 'c', amountFen: 1 }]);
    expect(spreadDiscount([{ category: 'a', amountFen: 333 }, { category: 'b', amountFen: 667 }], 100).reduce((s, l) => s + l.amountFen, 0)).toBe(900);
  });
  it('no discount copies; the whole total leaves nothing; more than the total is refused', () => {
    const lines = [{ category: 'a', amountFen: 500 }];
    expect(spreadDiscount(lines, 0)).toEqual(lines);
    expect(spreadDiscount(lines, 500)).toEqual([]);
    expect(() => spreadDiscount(lines, 501)).toThrow(RangeError);
    expect(() => spreadDiscount(lines, -1)).toThrow(RangeError);
  });
});

describe('percent off ↔ share paid', () => {
  it('15 % off is 85 % paid', () => {
    expect(percentOffToSharePaid(15)).toBe(85);
    expect(sharePaidToPercentOff(85)).toBe(15);
  });
});
