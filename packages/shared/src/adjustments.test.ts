import { ADJUSTMENT_MAX_DELTA, adjustmentErrors, adjustmentNeedsApproval } from './adjustments';

describe('adjustmentErrors', () => {
  it.each<[string, { delta?: number | null; reason?: string | null }, string[]]>([
    ['a credit with a reason', { delta: 500, reason: '补录漏积分' }, []],
    ['a debit with a reason', { delta: -ADJUSTMENT_MAX_DELTA, reason: '误操作冲正' }, []],
    ['zero', { delta: 0, reason: 'x' }, ['delta']],
    ['missing delta', { delta: null, reason: 'x' }, ['delta']],
    ['a fraction', { delta: 1.5, reason: 'x' }, ['delta']],
    ['too large', { delta: ADJUSTMENT_MAX_DELTA + 1, reason: 'x' }, ['delta']],
    ['too small', { delta: -ADJUSTMENT_MAX_DELTA - 1, reason: 'x' }, ['delta']],
    ['empty reason', { delta: 1, reason: '   ' }, ['reason']],
    ['100 characters', { delta: 1, reason: '字'.repeat(100) }, []],
    ['101 characters', { delta: 1, reason: '字'.repeat(101) }, ['reason']],
  ])('%s', (_why, input, fields) => {
    expect(Object.keys(adjustmentErrors(input)).sort()).toEqual(fields);
  });
});

describe('adjustmentNeedsApproval', () => {
  it.each<[number, number, boolean]>([
    [1000, 1000, false],
    [-1000, 1000, false],
    [1001, 1000, true],
    [-1001, 1000, true],
    [1, 0, true],
  ])('%d with threshold %d → %p', (delta, threshold, expected) => {
    expect(adjustmentNeedsApproval(delta, threshold)).toBe(expected);
  });
});
