import { allocateFifo, type LotBalance, type LotTake } from './lots';

const DAY = 86_400_000;
// Any instant: allocateFifo takes `now` explicitly and compares it only with the lots' expiries.
const NOW = new Date('2025-06-01T00:00:00.000Z');
/** A lot expiring `inDays` days after NOW (negative: already expired). */
const lot = (id: string, remaining: number, inDays: number): LotBalance => ({ id, remaining, expiresAt: new Date(NOW.getTime() + inDays * DAY) });

const LOTS: LotBalance[] = [
  lot('3', 100, 580),
  lot('1', 50, 213),
  lot('2', 30, 0), // expires exactly now: dead
  lot('4', 0, 30), // empty
  lot('5', 20, -31), // expired
  lot('6', 40, 395),
];

describe('allocateFifo', () => {
  it.each<[string, LotBalance[], number, LotTake[] | null]>([
    ['from the oldest live lot', LOTS, 10, [{ lotId: '1', points: 10 }]],
    ['exactly the oldest lot', LOTS, 50, [{ lotId: '1', points: 50 }]],
    ['spills into the next expiry', LOTS, 60, [{ lotId: '1', points: 50 }, { lotId: '6', points: 10 }]],
    ['all live lots', LOTS, 190, [{ lotId: '1', points: 50 }, { lotId: '6', points: 40 }, { lotId: '3', points: 100 }]],
    ['one more than the live lots → null (expired/empty lots do not count)', LOTS, 191, null],
    ['no lots', [], 1, null],
    ['only expired lots', [lot('1', 10, -151), lot('2', 10, 0)], 1, null],
    [
      'ties on expiry by numeric id (2 < 9 < 10)',
      [lot('10', 5, 213), lot('9', 5, 213), lot('2', 5, 213)],
      12,
      [{ lotId: '2', points: 5 }, { lotId: '9', points: 5 }, { lotId: '10', points: 2 }],
    ],
    [
      'ties with prefixed ids and leading zeros',
      [lot('lot-10', 1, 213), lot('lot-9', 1, 213), lot('lot-010', 1, 213), lot('lot-1', 1, 213)],
      3,
      [{ lotId: 'lot-1', points: 1 }, { lotId: 'lot-9', points: 1 }, { lotId: 'lot-010', points: 1 }],
    ],
    [
      'expiry beats id',
      [lot('1', 5, 214), lot('99', 5, 30)],
      6,
      [{ lotId: '99', points: 5 }, { lotId: '1', points: 1 }],
    ],
    [
      'ids longer than a safe integer still order numerically',
      [lot('123456789012345678901', 1, 213), lot('99999999999999999999', 1, 213)],
      1,
      [{ lotId: '99999999999999999999', points: 1 }],
    ],
  ])('%s', (_name, lots, points, expected) => {
    expect(allocateFifo(lots, points, NOW)).toEqual(expected);
  });

  it('never takes more from a lot than it has, and the takes sum to the points', () => {
    for (let p = 1; p <= 190; p++) {
      const takes = allocateFifo(LOTS, p, NOW);
      expect(takes?.reduce((s, t) => s + t.points, 0)).toBe(p);
      for (const t of takes ?? []) expect(t.points).toBeLessThanOrEqual(LOTS.find((l) => l.id === t.lotId)?.remaining ?? 0);
    }
  });

  it('does not modify the lots or their order', () => {
    const before = JSON.stringify(LOTS);
    allocateFifo(LOTS, 120, NOW);
    expect(JSON.stringify(LOTS)).toBe(before);
  });

  it.each([0, -1, 1.5, NaN, Infinity])('points %p → RangeError', (points) => {
    expect(() => allocateFifo(LOTS, points, NOW)).toThrow(RangeError);
  });
});
