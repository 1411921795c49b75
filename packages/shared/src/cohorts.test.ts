import { cohortGrid, COHORT_OFFSETS, shanghaiMonthStart, shanghaiMonthsIn } from './cohorts';
import { shanghaiDayStart } from './shanghai';

// Absolute dates on purpose: calendar arithmetic of pure functions, no clock involved.
const at = (iso: string): Date => new Date(iso);

describe('shanghaiMonthStart: midnight on the 1st in Beijing time', () => {
  it.each([
    ['2026-01', '2025-12-31T16:00:00.000Z'],
    ['2026-03', '2026-02-28T16:00:00.000Z'],
    ['2024-03', '2024-02-29T16:00:00.000Z'], // leap year
  ])('%s → %s', (m, iso) => expect(shanghaiMonthStart(m).toISOString()).toBe(iso));
  it.each(['2026-13', '2026-00', '2026-1', 'x'])('refuses %s', (m) => expect(() => shanghaiMonthStart(m)).toThrow(RangeError));
});

describe('shanghaiMonthsIn: the Shanghai months a half-open range touches', () => {
  it('one whole month in Beijing time is one month', () => {
    expect(shanghaiMonthsIn(at('2025-12-31T16:00:00Z'), at('2026-01-31T16:00:00Z'))).toEqual(['2026-01']);
  });
  it('UTC month bounds touch the month before (its last 8 hours in Beijing are in the next month)', () => {
    expect(shanghaiMonthsIn(at('2026-01-01T00:00:00Z'), at('2026-03-01T00:00:00Z'))).toEqual(['2026-01', '2026-02', '2026-03']);
  });
  it('across a year end; empty or backwards is empty', () => {
    expect(shanghaiMonthsIn(at('2025-11-15T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']); // 1 Feb 00:00 UTC is 08:00 in Beijing
    expect(shanghaiMonthsIn(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual([]);
    expect(shanghaiMonthsIn(at('2026-02-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual([]);
  });
});

describe('cohortGrid', () => {
  const sizes: Record<string, number> = { '2025-11': 3, '2025-12': 0, '2026-01': 4 };
  const actives: Record<string, number> = { '2025-11|2025-11': 3, '2025-11|2026-01': 1, '2026-01|2026-01': 4, '2026-01|2026-02': 1 };
  // 15 Feb 2026 in Shanghai: February has begun, not ended; March has not begun.
  const grid = cohortGrid(['2025-11', '2025-12', '2026-01'], (c) => sizes[c]!, (c, m) => actives[`${c}|${m}`] ?? 0, at('2026-02-15T00:00:00Z'));

  it('one row per cohort with COHORT_OFFSETS cells, months counted from the sign-up month', () => {
    expect(grid.map((c) => [c.month, c.members, c.cells.length])).toEqual([
      ['2025-11', 3, COHORT_OFFSETS],
      ['2025-12', 0, COHORT_OFFSETS],
      ['2026-01', 4, COHORT_OFFSETS],
    ]);
    expect(grid[0]!.cells.slice(0, 5).map((c) => c.month)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
  });
  it('rates: active / members to 4 decimals; past months complete, the current month partial, later months null', () => {
    expect(grid[0]!.cells.slice(0, 5)).toEqual([
      { offset: 0, month: '2025-11', active: 3, rate: 1, complete: true },
      { offset: 1, month: '2025-12', active: 0, rate: 0, complete: true },
      { offset: 2, month: '2026-01', active: 1, rate: 0.3333, complete: true },
      { offset: 3, month: '2026-02', active: 0, rate: 0, complete: false },
      { offset: 4, month: '2026-03', active: null, rate: null, complete: false },
    ]);
    expect(grid[2]!.cells.slice(0, 3)).toEqual([
      { offset: 0, month: '2026-01', active: 4, rate: 1, complete: true },
      { offset: 1, month: '2026-02', active: 1, rate: 0.25, complete: false },
      { offset: 2, month: '2026-03', active: null, rate: null, complete: false },
    ]);
  });
  it('an empty cohort has counts but no rates', () => {
    expect(grid[1]!.cells.slice(0, 3).map((c) => [c.active, c.rate])).toEqual([[0, null], [0, null], [0, null]]);
  });
});

describe('shanghaiDayStart', () => {
  it.each([
    ['2026-03-14T16:00:00.000Z', '2026-03-14T16:00:00.000Z'], // midnight on 15 March in Beijing
    ['2026-03-15T15:59:59.999Z', '2026-03-14T16:00:00.000Z'],
    ['2026-03-15T16:00:00.000Z', '2026-03-15T16:00:00.000Z'],
    ['2026-03-15T03:00:00.000Z', '2026-03-14T16:00:00.000Z'],
  ])('%s → %s', (iso, start) => expect(shanghaiDayStart(at(iso)).toISOString()).toBe(start));
});
