import {
  rewardTarget,
  canAfford,
  couponDiscountFen,
  formatVoucherCode,
  isVoucherCode,
  limitReached,
  limitWindows,
  maskAccount,
  needsOtp,
  normalizeMobile,
  normalizeVoucherCode,
  ownRedemptionRatio,
  rewardUnavailableReason,
  sortCatalogue,
  validateFuelCard,
  VOUCHER_ALPHABET,
  voucherCheckChar,
  type CatalogueItem,
  type FuelBrand,
} from './rewards';

const d = (iso: string): Date => new Date(iso);

describe('normalizeMobile', () => {
  it.each<[string, string | null]>([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['19912345678', '19912345678'],
    ['12812345678', null], // 12x is not a mobile range
    ['1381234567', null], // 10 digits
    ['138123456789', null], // 12 digits
    ['1381234567a', null],
    ['', null],
  ])('%p → %p', (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });
});

describe('validateFuelCard', () => {
  it.each<[FuelBrand, string, ReturnType<typeof validateFuelCard>]>([
    ['SINOPEC', '1000113200012345678', { ok: true, cardNo: '1000113200012345678' }],
    ['SINOPEC', '1000 1132 0001 2345 678', { ok: true, cardNo: '1000113200012345678' }],
    ['SINOPEC', '100011320001234567', { ok: false, problem: 'LENGTH' }], // 18 digits
    ['SINOPEC', '2000113200012345678', { ok: false, problem: 'PREFIX' }],
    ['SINOPEC', '9030123456789012', { ok: false, problem: 'LENGTH' }], // a CNPC number
    ['SINOPEC', '10001132000123456x8', { ok: false, problem: 'DIGITS' }],
    ['CNPC', '9030123456789012', { ok: true, cardNo: '9030123456789012' }],
    ['CNPC', '9030-1234-5678-9012', { ok: true, cardNo: '9030123456789012' }],
    ['CNPC', '8030123456789012', { ok: false, problem: 'PREFIX' }],
    ['CNPC', '90301234567890123', { ok: false, problem: 'LENGTH' }],
    ['CNPC', '9999999999999999', { ok: false, problem: 'PATTERN' }],
    ['CNPC', '9000000000000000', { ok: false, problem: 'PATTERN' }],
    ['CNPC', '', { ok: false, problem: 'DIGITS' }],
  ])('%s %p', (brand, input, expected) => {
    expect(validateFuelCard(brand, input)).toEqual(expected);
  });
});

describe('maskAccount', () => {
  it.each<[string | null, string | null]>([
    ['9030123456789012', '****9012'],
    ['1000113200012345678', '****5678'],
    ['123456', '****'],
    [null, null],
  ])('%p → %p', (input, expected) => {
    expect(maskAccount(input)).toBe(expected);
  });
});

describe('rewardUnavailableReason', () => {
  const SEC = 1000;
  // Any instant: the rule takes `now` explicitly and compares it only with the reward's window.
  const T = d('2026-06-01T00:00:00Z');
  const at = (ms: number): Date => new Date(T.getTime() + ms);
  const r = (over: Partial<{ active: boolean; startsAt: Date | null; endsAt: Date | null }>) => ({ active: true, startsAt: null, endsAt: null, ...over });
  it.each<[string, Parameters<typeof r>[0], Date, ReturnType<typeof rewardUnavailableReason>]>([
    ['active, no window', {}, T, null],
    ['switched off', { active: false }, T, 'INACTIVE'],
    ['before the start', { startsAt: T }, at(-SEC), 'NOT_STARTED'],
    ['at the start', { startsAt: T }, T, null],
    ['before the end', { endsAt: T }, at(-SEC), null],
    ['at the end', { endsAt: T }, T, 'ENDED'],
  ])('%s', (_name, over, now, expected) => {
    expect(rewardUnavailableReason(r(over), now)).toBe(expected);
  });
});

describe('limitWindows (Asia/Shanghai)', () => {
  // Absolute on purpose: calendar cases — where a Beijing day and month begin (midnight, 1 July, New Year,
  // 1 March after a 28-day February); limitWindows takes `now` explicitly and reads no clock.
  it.each<[string, string, string]>([
    // now (UTC)                 day start (UTC)             month start (UTC)
    ['2026-06-10T03:00:00Z', '2026-06-09T16:00:00.000Z', '2026-05-31T16:00:00.000Z'],
    ['2026-06-10T15:59:59Z', '2026-06-09T16:00:00.000Z', '2026-05-31T16:00:00.000Z'],
    ['2026-06-10T16:00:00Z', '2026-06-10T16:00:00.000Z', '2026-05-31T16:00:00.000Z'], // midnight in Beijing
    ['2026-06-30T16:30:00Z', '2026-06-30T16:00:00.000Z', '2026-06-30T16:00:00.000Z'], // 1 July 00:30 in Beijing
    ['2026-12-31T17:00:00Z', '2026-12-31T16:00:00.000Z', '2026-12-31T16:00:00.000Z'], // 1 January 01:00 in Beijing
    ['2026-03-01T00:00:00Z', '2026-02-28T16:00:00.000Z', '2026-02-28T16:00:00.000Z'],
  ])('at %s the day began %s and the month %s', (now, day, month) => {
    const w = limitWindows(d(now));
    expect(w.dayStart.toISOString()).toBe(day);
    expect(w.monthStart.toISOString()).toBe(month);
  });
});

describe('limitReached', () => {
  it.each<[string, { perDay: number | null; perMonth: number | null }, { today: number; thisMonth: number }, ReturnType<typeof limitReached>]>([
    ['no limits', { perDay: null, perMonth: null }, { today: 50, thisMonth: 500 }, null],
    ['under the day limit', { perDay: 2, perMonth: null }, { today: 1, thisMonth: 9 }, null],
    ['at the day limit', { perDay: 2, perMonth: null }, { today: 2, thisMonth: 2 }, { window: 'DAY', limit: 2 }],
    ['under both', { perDay: 1, perMonth: 3 }, { today: 0, thisMonth: 2 }, null],
    ['at the month limit', { perDay: 1, perMonth: 3 }, { today: 0, thisMonth: 3 }, { window: 'MONTH', limit: 3 }],
    ['the day limit is reported first', { perDay: 1, perMonth: 1 }, { today: 1, thisMonth: 1 }, { window: 'DAY', limit: 1 }],
    ['a limit of 0 closes it', { perDay: 0, perMonth: null }, { today: 0, thisMonth: 0 }, { window: 'DAY', limit: 0 }],
  ])('%s', (_name, limits, used, expected) => {
    expect(limitReached(limits, used)).toEqual(expected);
  });
});

describe('canAfford and sortCatalogue', () => {
  const item = (id: string, pointsPrice: number, stock = 10, minTierRank: number | null = null): CatalogueItem => ({ id, pointsPrice, stock, minTierRank });
  const items = [item('1', 3000), item('2', 500), item('3', 800, 0), item('4', 900, 5, 2), item('5', 1200), item('6', 700)];

  it.each<[string, CatalogueItem, { balance: number; tierRank: number } | null, boolean]>([
    ['enough points', item('a', 500), { balance: 500, tierRank: 0 }, true],
    ['one point short', item('a', 500), { balance: 499, tierRank: 0 }, false],
    ['out of stock', item('a', 500, 0), { balance: 9000, tierRank: 0 }, false],
    ['below the tier', item('a', 500, 5, 2), { balance: 9000, tierRank: 1 }, false],
    ['at the tier', item('a', 500, 5, 2), { balance: 9000, tierRank: 2 }, true],
    ['signed out', item('a', 1), null, false],
  ])('canAfford: %s', (_name, i, viewer, expected) => {
    expect(canAfford(i, viewer)).toBe(expected);
  });

  it.each<[string, { balance: number; tierRank: number } | null, string[]]>([
    ['1000 points, entry tier: 500, 700 first; then the rest in stock by price; the sold-out one last', { balance: 1000, tierRank: 0 }, ['2', '6', '4', '5', '1', '3']],
    ['1000 points, gold: the tier-locked 900 becomes affordable', { balance: 1000, tierRank: 2 }, ['2', '6', '4', '5', '1', '3']],
    ['100 points: nothing affordable, in stock by price', { balance: 100, tierRank: 0 }, ['2', '6', '4', '5', '1', '3']],
    ['5000 points, entry tier: the tier-locked one sinks below what is affordable', { balance: 5000, tierRank: 0 }, ['2', '6', '5', '1', '4', '3']],
    ['signed out', null, ['2', '6', '4', '5', '1', '3']],
  ])('sortCatalogue: %s', (_name, viewer, ids) => {
    expect(sortCatalogue(items, viewer).map((i) => i.id)).toEqual(ids);
  });

  test('sortCatalogue does not modify its input', () => {
    const copy = [...items];
    sortCatalogue(items, { balance: 1000, tierRank: 0 });
    expect(items).toEqual(copy);
  });
});

describe('needsOtp', () => {
  it.each([
    [9_999, 10_000, false],
    [10_000, 10_000, true],
    [50_000, 10_000, true],
    [50_000, 0, false],
  ])('%i points with threshold %i → %p', (price, threshold, expected) => {
    expect(needsOtp(price, threshold)).toBe(expected);
  });
});

describe('voucher codes', () => {
  const body = 'K7Q2M9XAB3C';
  const code = body + voucherCheckChar(body);

  test('a generated code is valid and formats in groups of four', () => {
    expect(code).toHaveLength(12);
    expect(isVoucherCode(code)).toBe(true);
    expect(formatVoucherCode(code)).toMatch(/^[A-Z2-9]{4} [A-Z2-9]{4} [A-Z2-9]{4}$/);
  });

  test('formatting is idempotent: a grouped code is not grouped again', () => {
    expect(formatVoucherCode('HLCN2E6VRVJY')).toBe('HLCN 2E6V RVJY');
    expect(formatVoucherCode('HLCN 2E6V RVJY')).toBe('HLCN 2E6V RVJY');
    expect(formatVoucherCode(formatVoucherCode(code))).toBe(formatVoucherCode(code));
  });

  test('what staff type is normalized: lower case, spaces and dashes', () => {
    expect(normalizeVoucherCode(` ${formatVoucherCode(code).toLowerCase().replace(/ /g, '-')} `)).toBe(code);
  });

  test('every single mistyped character is caught', () => {
    for (let i = 0; i < code.length; i++) {
      for (const ch of VOUCHER_ALPHABET) {
        if (ch === code[i]) continue;
        expect(isVoucherCode(code.slice(0, i) + ch + code.slice(i + 1))).toBe(false);
      }
    }
  });

  it.each<[string, boolean]>([
    ['', false],
    ['ABCD', false],
    ['K7Q2M9XAB3C0', false], // 0 is not in the alphabet
    [`${code}A`, false],
  ])('isVoucherCode(%p) → %p', (c, expected) => {
    expect(isVoucherCode(c)).toBe(expected);
  });

  test('voucherCheckChar refuses characters outside the alphabet', () => {
    expect(() => voucherCheckChar('ABC0')).toThrow(RangeError);
  });
});

describe('couponDiscountFen', () => {
  it.each<[string, { amountOffFen: number | null; discountPct: number | null; minSpendFen: number }, number, number]>([
    ['¥20 off ¥100', { amountOffFen: 2000, discountPct: null, minSpendFen: 0 }, 10_000, 2000],
    ['¥20 off a ¥15 spend takes ¥15', { amountOffFen: 2000, discountPct: null, minSpendFen: 0 }, 1500, 1500],
    ['¥20 off over ¥100: below the minimum', { amountOffFen: 2000, discountPct: null, minSpendFen: 10_000 }, 9999, 0],
    ['¥20 off over ¥100: at the minimum', { amountOffFen: 2000, discountPct: null, minSpendFen: 10_000 }, 10_000, 2000],
    ['8.5 折 on ¥100', { amountOffFen: null, discountPct: 85, minSpendFen: 0 }, 10_000, 1500],
    ['8.5 折 on ¥0.99 rounds the price paid', { amountOffFen: null, discountPct: 85, minSpendFen: 0 }, 99, 15],
    ['no spend', { amountOffFen: 2000, discountPct: null, minSpendFen: 0 }, 0, 0],
  ])('%s', (_name, c, spend, expected) => {
    expect(couponDiscountFen(c, spend)).toBe(expected);
  });
});

describe('ownRedemptionRatio', () => {
  it.each<[number, number, number | null]>([
    [0, 0, null],
    [3, 1, 0.75],
    [0, 4, 0],
    [5, 0, 1],
  ])('own %i, partner %i → %p', (own, partner, expected) => {
    expect(ownRedemptionRatio(own, partner)).toBe(expected);
  });
});

describe('rewardTarget', () => {
  const topup = { kind: 'MOBILE_TOPUP' as const };
  const sinopec = { kind: 'FUEL_CARD' as const, brand: 'SINOPEC' };
  it.each<[string, { kind: 'MOBILE_TOPUP' | 'FUEL_CARD' | 'OWN_PRODUCT'; brand?: string }, string, boolean | null, ReturnType<typeof rewardTarget>]>([
    ['top-up to the bound phone', topup, '  ', true, { target: null }],
    ['top-up, no bound phone, nothing typed', topup, '', false, { error: 'PHONE_REQUIRED' }],
    ['top-up at the till: the server checks the phone', topup, '', null, { target: null }],
    ['top-up to a typed number', topup, '138 0013 8000', false, { target: '13800138000' }],
    ['top-up to a bad number', topup, '12345', true, { error: 'TARGET_INVALID' }],
    ['fuel card of the brand', sinopec, '1000 1123 4567 8901 234', null, { target: '1000112345678901234' }],
    ['fuel card of the wrong shape', sinopec, '1234', null, { error: 'TARGET_INVALID' }],
    ['own product: no target', { kind: 'OWN_PRODUCT' }, 'anything', true, { target: null }],
  ])('%s', (_why, reward, input, phoneBound, expected) => {
    expect(rewardTarget(reward, input, phoneBound)).toEqual(expected);
  });
});
