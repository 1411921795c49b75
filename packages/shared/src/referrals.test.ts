import {
  applyMonthlyCap,
  DEFAULT_REFERRAL_SETTINGS,
  inShareWindow,
  INVITE_TOKEN_RE,
  maskReferee,
  referralSettingsProblems,
  referralShare,
  shanghaiMonth,
  shareReversal,
} from './referrals';
import { ledgerReason } from './format';

describe('referralShare: floor(earned × pct / 100)', () => {
  it.each<[number, number, number]>([
    [120, 10, 12],
    [129, 10, 12],
    [9, 10, 0],
    [1000, 15, 150],
    [7, 50, 3],
    [0, 10, 0],
    [-40, 10, 0],
    [100, 0, 0],
  ])('%p points at %p %% → %p', (earned, pct, share) => {
    expect(referralShare(earned, pct)).toBe(share);
  });
});

describe('inShareWindow: until N calendar months after binding, exclusive', () => {
  const bound = new Date('2026-01-31T10:00:00.000Z');
  it.each<[string, number, boolean]>([
    ['2026-01-31T10:00:00.000Z', 3, true],
    ['2026-04-30T09:59:59.999Z', 3, true], // 31 Jan + 3 months = 30 Apr (month end clamps)
    ['2026-04-30T10:00:00.000Z', 3, false],
    ['2026-01-31T09:59:59.000Z', 3, true], // a payment's success_time, whole seconds, just before the binding's millisecond
    ['2026-02-01T00:00:00.000Z', 0, false], // a 0-month window pays no share
  ])('%s, %p months → %p', (at, months, inside) => {
    expect(inShareWindow(bound, months, new Date(at))).toBe(inside);
  });
});

describe('shanghaiMonth: the cap period is the calendar month in Asia/Shanghai (UTC+8)', () => {
  it.each<[string, string]>([
    ['2026-03-31T15:59:59.999Z', '2026-03'],
    ['2026-03-31T16:00:00.000Z', '2026-04'], // 00:00 on 1 April in Shanghai
    ['2026-12-31T16:00:00.000Z', '2027-01'],
  ])('%s → %s', (at, month) => {
    expect(shanghaiMonth(new Date(at))).toBe(month);
  });
});

describe('applyMonthlyCap', () => {
  it.each<[number, number, number, { pay: number; capped: number }]>([
    [50, 0, 0, { pay: 50, capped: 0 }], // no cap
    [50, 100, 200, { pay: 50, capped: 0 }],
    [50, 180, 200, { pay: 20, capped: 30 }], // crosses the cap: up to it
    [50, 200, 200, { pay: 0, capped: 50 }], // reached: nothing
    [50, 250, 200, { pay: 0, capped: 50 }],
    [0, 0, 200, { pay: 0, capped: 0 }],
  ])('%p points, %p paid this month, cap %p → %p', (points, paid, cap, out) => {
    expect(applyMonthlyCap(points, paid, cap)).toEqual(out);
  });
});

describe('shareReversal: cumulative and proportional to the refunded fen', () => {
  it.each<[number, number, number, number, { target: number; now: number }]>([
    [12, 12_000, 12_000, 0, { target: 12, now: 12 }], // full refund
    [12, 6_000, 12_000, 0, { target: 6, now: 6 }], // half
    [12, 10_000, 12_000, 6, { target: 10, now: 4 }], // second partial refund: cumulative
    [13, 1_000, 12_000, 0, { target: 1, now: 1 }],
    [13, 500, 12_000, 0, { target: 0, now: 0 }],
    [0, 12_000, 12_000, 0, { target: 0, now: 0 }],
    [12, 20_000, 12_000, 0, { target: 12, now: 12 }], // never more than the share
  ])('share %p, refunded %p of %p, %p taken already → %p', (share, refunded, amount, already, out) => {
    expect(shareReversal(share, refunded, amount, already)).toEqual(out);
  });
});

describe('referralSettingsProblems', () => {
  it('accepts the defaults and the bounds', () => {
    expect(referralSettingsProblems(DEFAULT_REFERRAL_SETTINGS)).toEqual([]);
    expect(referralSettingsProblems({ ...DEFAULT_REFERRAL_SETTINGS, referrerBonus: 0, sharePct: 50, shareMonths: 36 })).toEqual([]);
  });
  it.each<[string, Partial<typeof DEFAULT_REFERRAL_SETTINGS>, string]>([
    ['a negative bonus', { referrerBonus: -1 }, 'referrerBonus'],
    ['a fractional share', { sharePct: 10.5 }, 'sharePct'],
    ['a share above 50 %', { sharePct: 51 }, 'sharePct'],
    ['a window of 37 months', { shareMonths: 37 }, 'shareMonths'],
    ['a negative cap', { monthlyCap: -5 }, 'monthlyCap'],
    ['a negative welcome bonus', { refereeBonus: -100 }, 'refereeBonus'],
  ])('refuses %s', (_why, over, field) => {
    expect(referralSettingsProblems({ ...DEFAULT_REFERRAL_SETTINGS, ...over }).map((p) => p.field)).toEqual([field]);
  });
});

describe('maskReferee and the ledger reasons', () => {
  it.each<[Parameters<typeof maskReferee>[0], string]>([
    [{ nickname: '王小明', phone: '13812345678', memberNo: '1234567890' }, '王**'],
    [{ nickname: '  ', phone: '13812345678', memberNo: '1234567890' }, '138****5678'],
    [{ nickname: null, phone: null, memberNo: '1234567890' }, '会员****7890'],
  ])('%p → %p', (r, shown) => {
    expect(maskReferee(r)).toBe(shown);
  });
  it('reads in plain Chinese', () => {
    expect(ledgerReason.referralBonus('王**')).toBe('邀请好友奖励 · 王** 首次消费');
    expect(ledgerReason.referralShare('王**', 10)).toBe('好友消费分成 10% · 王**');
    expect(ledgerReason.referralShare('王**', 10, '活动')).toBe('好友活动分成 10% · 王**');
    expect(ledgerReason.referralShareReversal('王**')).toBe('好友退款扣回分成 · 王**');
    expect(ledgerReason.referralWelcome()).toBe('受邀注册奖励');
  });
  it('invite tokens are 10 characters of Crockford base32', () => {
    expect(INVITE_TOKEN_RE.test('7K3M9QXH2B')).toBe(true);
    expect(INVITE_TOKEN_RE.test('7K3M9QXH2I')).toBe(false);
    expect(INVITE_TOKEN_RE.test('7k3m9qxh2b')).toBe(false);
    expect(INVITE_TOKEN_RE.test('7K3M9QXH2')).toBe(false);
  });
});
