import { describe, expect, test } from 'vitest';
import { rewardErrors, rewardInput, type RewardDraft } from '../src/validation-rewards';

/** A valid top-up draft; each case changes one thing. */
const topup: RewardDraft = { kind: 'MOBILE_TOPUP', name: '移动话费 ¥50', pointsPrice: 5000, brand: 'CMCC', faceValueYuan: 50, partnerId: '3', provider: 'recharge', startsAt: null, endsAt: null };
const day = (iso: string) => new Date(iso);

describe('the sale window and the provider adapter mirror updateReward', () => {
  test.each<[string, Partial<RewardDraft>, Partial<Record<string, string>>]>([
    ['a window', { startsAt: day('2027-01-01T00:00:00+08:00'), endsAt: day('2027-02-01T00:00:00+08:00') }, {}],
    ['a start only', { startsAt: day('2027-01-01T00:00:00+08:00') }, {}],
    ['an end before the start (endsAt must be after startsAt)', { startsAt: day('2027-02-01T00:00:00+08:00'), endsAt: day('2027-01-01T00:00:00+08:00') }, { endsAt: '结束日期须晚于开始时间' }],
    ['an end at the start', { startsAt: day('2027-02-01T00:00:00+08:00'), endsAt: day('2027-02-01T00:00:00+08:00') }, { endsAt: '结束日期须晚于开始时间' }],
    ['an invalid start', { startsAt: new Date(Number.NaN) }, { startsAt: '开始日期无效' }],
    ['an adapter the API does not know', { provider: 'nobody' }, { provider: '请选择发放渠道' }],
    ['no adapter (the API picks its default)', { provider: null }, {}],
  ])('%s', (_name, change, errors) => expect(rewardErrors({ ...topup, ...change }, { creating: false })).toEqual(errors));

  test('a draft without a start is checked against the stored start', () => {
    const stored = day('2027-02-01T00:00:00+08:00');
    const { startsAt: _omit, ...noStart } = topup;
    expect(rewardErrors({ ...noStart, endsAt: day('2027-01-15T00:00:00+08:00') }, { creating: false, startsAt: stored })).toEqual({ endsAt: '结束日期须晚于开始时间' });
    // The draft's own start (here: cleared) wins over the stored one.
    expect(rewardErrors({ ...topup, startsAt: null, endsAt: day('2027-01-15T00:00:00+08:00') }, { creating: false, startsAt: stored })).toEqual({});
  });

  test('the input carries the window, and the adapter for top-ups and fuel cards only', () => {
    const input = rewardInput({ ...topup, startsAt: day('2027-01-01T00:00:00+08:00'), endsAt: null });
    expect(input).toMatchObject({ startsAt: '2026-12-31T16:00:00.000Z', endsAt: null, provider: 'recharge' });
    expect(rewardInput({ ...topup, provider: null })).toMatchObject({ provider: null });
    expect(rewardInput({ kind: 'OWN_PRODUCT', name: '帆布袋', pointsPrice: 800 })).not.toHaveProperty('provider');
  });
});
