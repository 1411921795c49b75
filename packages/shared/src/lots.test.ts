import { allocateFifo, type LotBalance, type LotTake } from './lots';

const NOW = new Date('2025-06-01T00:00:00.000Z');
const lot = (id: string, remaining: number, expiresAt: string): LotBalance => ({ id, remaining, expiresAt: new Date(expiresAt) });

const LOTS: LotBalance[] = [
  lot('3', 100, '2026-12-31T16:00:00.000Z'),
  lot('1', 50, '2025-12-31T16:00:00.000Z'),
  lot('2', 30, '2025-06-01T00:00:00.000Z'), // expires exactly now: dead
  lot('4', 0, '2025-07-01T00:00:00.000Z'), // empty
  lot('5', 20, '2025-05-01T00:00:00.000Z'), // expired
  lot('6', 40, '2026-06-30T16:00:00.000Z'),
];

describe('allocateFifo', () => {
  it.each<[string, LotBalance[], number, LotTake[] | null]>([
    ['from the oldest live lot', LOTS, 10, [{ lotId: '1', points: 10 }]],
    ['exactly the oldest lot', LOTS, 50, [{ lotId: '1', points: 50 }]],
    ['spills into the next expiry', LOTS, 60, [{ lotId: '1', points: 50 }, { lotId: '6', points: 10 }]],
    ['all live lots', LOTS, 190, [{ lotId: '1', points: 50 }, { lotId: '6', points: 40 }, { lotId: '3', points: 100 }]],
    ['one more than the live lots → null (expired/empty lots do not count)', LOTS, 191, null],
    ['no lots', [], 1, null],
    ['only expired lots', [lot('1', 10, '2025-01-01T00:00:00.000Z'), lot('2', 10, '2025-06-01T00:00:00.000Z')], 1, null],
    [
      'ties on expiry by numeric id (2 < 9 < 10)',
      [lot('10', 5, '2025-12-31T16:00:00.000Z'), lot('9', 5, '2025-12-31T16:00:00.000Z'), lot('2', 5, '2025-12-31T16:00:00.000Z')],
      12,
      [{ lotId: '2', points: 5 }, { lotId: '9', points: 5 }, { lotId: '10', points: 2 }],
    ],
    [
      'ties with prefixed ids and leading zeros',
      [lot('lot-10', 1, '2025-12-31T16:00:00.000Z'), lot('lot-9', 1, '2025-12-31T16:00:00.000Z'), lot('lot-010', 1, '2025-12-31T16:00:00.000Z'), lot('lot-1', 1, '2025-12-31T16:00:00.000Z')],
      3,
      [{ lotId: 'lot-1', points: 1 }, { lotId: 'lot-9', points: 1 }, { lotId: 'lot-010', points: 1 }],
    ],
    [
      'expiry beats id',
      [lot('1', 5, '2026-01-01T00:00:00.000Z'), lot('99', 5, '2025-07-01T00:00:00.000Z')],
      6,
      [{ lotId: '99', points: 5 }, { lotId: '1', points: 1 }],
    ],
    [
      'ids longer than a safe integer still order numerically',
      [lot('123456789012345678901', 1, '2025-12-31T16:00:00.000Z'), lot('99999999999999999999', 1, '2025-12-31T16:00:00.000Z')],
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
