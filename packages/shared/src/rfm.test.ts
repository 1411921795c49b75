import { quintileScores, rfmGrid, scoreRfm, topSpendShare } from './rfm';

describe('quintileScores (percentile rank, ties share a score)', () => {
  it.each<[string, number[], number[]]>([
    ['five distinct values → 1…5', [50, 10, 40, 20, 30], [5, 1, 4, 2, 3]],
    ['ten distinct values → pairs', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]],
    // below = 0,0,2,2,2,5 of n = 6 → 1 + ⌊5·below/6⌋ = 1,1,2,2,2,5
    ['ties share the lower score', [7, 7, 9, 9, 9, 12], [1, 1, 2, 2, 2, 5]],
    ['all equal → all 1', [3, 3, 3], [1, 1, 1]],
    ['one member → 1', [42], [1]],
    ['empty → empty', [], []],
  ])('%s', (_n, values, scores) => {
    expect(quintileScores(values)).toEqual(scores);
  });

  it('does not depend on input order', () => {
    const v = [5, 3, 9, 3, 1, 7, 7, 2];
    const byValue = new Map(v.map((x, i) => [x, quintileScores(v)[i]]));
    const reversed = [...v].reverse();
    quintileScores(reversed).forEach((s, i) => expect(s).toBe(byValue.get(reversed[i] as number)));
  });
});

describe('scoreRfm and rfmGrid', () => {
  const d = (day: number) => new Date(Date.UTC(2026, 0, day));
  const members = [
    { memberId: 1, lastPurchaseAt: d(30), frequency: 10, monetaryFen: 100_000 },
    { memberId: 2, lastPurchaseAt: d(29), frequency: 8, monetaryFen: 50_000 },
    { memberId: 3, lastPurchaseAt: d(20), frequency: 3, monetaryFen: 20_000 },
    { memberId: 4, lastPurchaseAt: d(10), frequency: 1, monetaryFen: 5_000 },
    { memberId: 5, lastPurchaseAt: d(1), frequency: 1, monetaryFen: 25_000 },
  ];

  it('scores R by the last purchase (later is better), F by visits, M by spend', () => {
    const s = scoreRfm(members);
    // R: d30 > d29 > d20 > d10 > d1 → 5,4,3,2,1. F: 10,8,3,1,1 → below = 4,3,2,0,0 → 5,4,3,1,1. M: 100k,50k,20k,5k,25k → 5,4,2,1,3.
    expect(s.map((x) => [x.memberId, x.r, x.f, x.m])).toEqual([[1, 5, 5, 5], [2, 4, 4, 4], [3, 3, 3, 2], [4, 2, 1, 1], [5, 1, 1, 3]]);
  });

  it('the grid has all 25 cells; counts and spend land in (r, f)', () => {
    const g = rfmGrid(scoreRfm(members));
    expect(g).toHaveLength(25);
    const cell = (r: number, f: number) => g.find((c) => c.r === r && c.f === f);
    expect(cell(5, 5)).toEqual({ r: 5, f: 5, members: 1, spendFen: 100_000 });
    expect(cell(2, 1)).toEqual({ r: 2, f: 1, members: 1, spendFen: 5_000 });
    expect(cell(1, 1)).toEqual({ r: 1, f: 1, members: 1, spendFen: 25_000 });
    expect(cell(3, 3)).toEqual({ r: 3, f: 3, members: 1, spendFen: 20_000 });
    expect(cell(1, 5)).toEqual({ r: 1, f: 5, members: 0, spendFen: 0 });
    expect(g.reduce((s, c) => s + c.members, 0)).toBe(5);
  });
});

describe('topSpendShare', () => {
  it('top 20 % of 5 members = 1 member: 100,000 of 200,000 → 0.5', () => {
    expect(topSpendShare([100_000, 50_000, 20_000, 5_000, 25_000])).toBe(0.5);
  });
  it('top 20 % of 10 members = 2 members: (80 + 10) / 100 → 0.9', () => {
    expect(topSpendShare([80, 10, 2, 1, 1, 1, 1, 1, 1, 2])).toBe(0.9);
  });
  it('top 20 % of 7 members rounds up to 2 members: (30 + 30) / 100 → 0.6 (ties do not matter)', () => {
    expect(topSpendShare([10, 30, 10, 30, 10, 5, 5])).toBe(0.6);
  });
  it('no positive spend → null', () => {
    expect(topSpendShare([])).toBeNull();
    expect(topSpendShare([0, 0])).toBeNull();
  });
});
