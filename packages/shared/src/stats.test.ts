import { upliftInterval, wilsonInterval } from './stats';

describe('wilsonInterval', () => {
  it('81/263 → 0.2553–0.3662 (Newcombe 1998, single proportion, Wilson score)', () => {
    const w = wilsonInterval(81, 263);
    expect(w.lower).toBeCloseTo(0.2553, 4);
    expect(w.upper).toBeCloseTo(0.3662, 4);
  });

  it('0/10 still has a width: 0–0.2775', () => {
    const w = wilsonInterval(0, 10);
    expect(w.lower).toBe(0);
    expect(w.upper).toBeCloseTo(0.2775, 4);
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 5)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 5)).toThrow(RangeError);
  });
});

describe('upliftInterval (Newcombe hybrid score, method 10)', () => {
  // The worked examples of Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10.
  it.each([
    ['(a) 56/70 vs 48/80', [56, 70, 48, 80], 0.2, 0.0524, 0.3339],
    ['(b) 9/10 vs 3/10', [9, 10, 3, 10], 0.6, 0.1705, 0.809],
    ['(c) 6/7 vs 2/7', [6, 7, 2, 7], 4 / 7, 0.0582, 0.8062],
    ['(d) 5/56 vs 0/29', [5, 56, 0, 29], 5 / 56, -0.0381, 0.1926],
    ['(e) 0/10 vs 0/20', [0, 10, 0, 20], 0, -0.1611, 0.2775],
    ['(h) 10/10 vs 0/10', [10, 10, 0, 10], 1, 0.6075, 1],
  ])('%s', (_n, [a, b, c, d], diff, lower, upper) => {
    const u = upliftInterval({ responders: a as number, members: b as number }, { responders: c as number, members: d as number });
    expect(u.uplift).toBeCloseTo(diff, 9);
    expect(u.lower).toBeCloseTo(lower, 4);
    expect(u.upper).toBeCloseTo(upper, 4);
  });

  it("seed 002's 60 % response against a 10 % holdout's 20 %: 600/1000 vs 20/100", () => {
    const u = upliftInterval({ responders: 600, members: 1000 }, { responders: 20, members: 100 });
    expect(u.treatedRate).toBe(0.6);
    expect(u.controlRate).toBe(0.2);
    expect(u.lower).toBeGreaterThan(0.3);
    expect(u.upper).toBeLessThan(0.5);
  });

  it('refuses an empty group', () => {
    expect(() => upliftInterval({ responders: 0, members: 0 }, { responders: 0, members: 10 })).toThrow(RangeError);
  });
});
