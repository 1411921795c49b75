import { ErrorCode, errorMessageZh, errorMessageZhFor, rateLimitedMessageZh } from './errors';

describe('errorMessageZhFor', () => {
  it.each<[string, ErrorCode, Record<string, unknown> | undefined, string]>([
    ['a used one-time code asks for a new one', 'OTP_INVALID', { attemptsLeft: 0, reason: 'USED' }, '该验证码已使用，请重新获取验证码'],
    ['no code requested yet', 'OTP_INVALID', { attemptsLeft: 0, reason: 'NOT_REQUESTED' }, '请先获取验证码'],
    ['no tries left asks for a new code', 'OTP_INVALID', { attemptsLeft: 0, reason: 'WRONG' }, '验证码错误次数过多，请重新获取验证码'],
    ['tries left are counted', 'OTP_INVALID', { attemptsLeft: 3, reason: 'WRONG' }, '验证码错误，还可尝试 3 次'],
    ['a wrong code without details', 'OTP_INVALID', undefined, errorMessageZh.OTP_INVALID],
    ['a reward needs a tier to redeem (兑换)', 'TIER_REQUIRED', { context: 'REWARD' }, '会员等级不足，升级后即可兑换'],
    ['a club or event needs a tier to take part (参加)', 'TIER_REQUIRED', {}, '会员等级不足，升级后即可参加'],
    ['a rate limit names the wait', 'RATE_LIMITED', { retryAfterSeconds: 42 }, '操作过于频繁，请 42 秒后再试'],
    ['other codes keep their text', 'INSUFFICIENT_POINTS', { reason: 'USED' }, '积分不足'],
  ])('%s', (_why, code, details, text) => {
    expect(errorMessageZhFor(code, details)).toBe(text);
  });

  it('every code has a message that does not leave the user stuck on OTP_INVALID', () => {
    for (const c of Object.values(ErrorCode)) expect(errorMessageZh[c]).toMatch(/\S/);
    expect(errorMessageZh.RULE_CONFLICT).toContain('规则');
  });
});

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
