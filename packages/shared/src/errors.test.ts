import { errorMessageZh, rateLimitedMessageZh } from './errors';

describe('rateLimitedMessageZh', () => {
  it.each<[unknown, string]>([
    [1, '操作过于频繁，请 1 秒后再试'],
    [42.2, '操作过于频繁，请 43 秒后再试'],
    [119, '操作过于频繁，请 119 秒后再试'],
    [120, '操作过于频繁，请 2 分钟后再试'],
    [299, '操作过于频繁，请 5 分钟后再试'],
    [0, errorMessageZh.RATE_LIMITED],
    [-5, errorMessageZh.RATE_LIMITED],
    ['60', errorMessageZh.RATE_LIMITED],
    [undefined, errorMessageZh.RATE_LIMITED],
    [Number.NaN, errorMessageZh.RATE_LIMITED],
  ])('%p → %p', (seconds, expected) => {
    expect(rateLimitedMessageZh(seconds)).toBe(expected);
  });
});
