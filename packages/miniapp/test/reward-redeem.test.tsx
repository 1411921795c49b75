import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import RewardDetailPage from '../src/rewards/detail';
import { aliceMe, bobMe } from './fixtures';
import { redemption, reward } from './reward-fixtures';
import { api, click, fail, mount, openWith, pending, resetAll, signIn, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

let redirectTo: jest.SpyInstance;
let navigateTo: jest.SpyInstance;
beforeEach(() => {
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' } as never);
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
});
afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

// expiresAt: absolute on purpose — the page never reads it (its resend countdown runs on resendAfterSeconds, the code's
// validity is the API's decision); compared with nothing.
const SENT = { sentTo: '138****5678', expiresAt: '2026-11-23T02:05:00.000Z', resendAfterSeconds: 60 };
const ok = (over = {}) => ({ redeemReward: { redemption: redemption(over), replayed: false, balance: 480 } });

async function openReward(r = reward(), me = aliceMe) {
  signIn();
  api.on('Me', me);
  api.on('Reward', { reward: r });
  openWith({ id: r.id });
  await mount(RewardDetailPage);
  await waitForText(r.name);
}

describe('reward detail', () => {
  it('shows loading and a missing id as not found', async () => {
    api.on('Reward', () => pending());
    openWith({ id: 'r1' });
    await mount(RewardDetailPage);
    expect(text()).toContain('加载中');
    resetAll();
    openWith({});
    await mount(RewardDetailPage);
    await waitForText(errorMessageZh.NOT_FOUND);
  });

  it('shows an API error in Chinese', async () => {
    api.on('Reward', fail('REWARD_UNAVAILABLE'));
    openWith({ id: 'r1' });
    await mount(RewardDetailPage);
    await waitForText(errorMessageZh.REWARD_UNAVAILABLE);
  });

  it('asks guests to sign in before redeeming', async () => {
    api.on('Reward', { reward: reward() });
    openWith({ id: 'r1' });
    await mount(RewardDetailPage);
    await click('登录后兑换');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('shows why a reward cannot be redeemed: points, tier, stock', async () => {
    await openReward(reward({ pointsPrice: 2000, affordable: false }));
    expect(text()).toContain('积分不足，还差 720 积分');
    resetAll();
    await openReward(reward({ minTier: { id: '4', code: 'GOLD', name: '金卡', rank: 2 }, affordable: false }));
    expect(text()).toContain('金卡及以上会员可兑换');
    resetAll();
    await openReward(reward({ inStock: false, stock: 0, affordable: false }));
    expect(text()).toContain('已兑完');
  });

  it('tops up the bound phone by default after a confirmation, then opens the result', async () => {
    await openReward();
    expect(text()).toContain('每日限 1 次 · 每月限 3 次');
    api.on('RedeemReward', ok());
    await click('立即兑换');
    await waitForText('请确认兑换信息');
    expect(text()).toContain('充值号码：绑定手机 138****5678');
    expect(text()).toContain('兑换后剩余 480 积分');
    expect(api.callsOf('RedeemReward')).toHaveLength(0);
    await click('确认兑换');
    const input = api.callsOf('RedeemReward')[0]?.variables?.input as Record<string, unknown>;
    expect(input).toMatchObject({ rewardId: 'r1', target: null, otp: null });
    expect(String(input.idempotencyKey)).toMatch(/^[A-Za-z0-9_:.-]{8,96}$/);
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/redemption/index?id=d1' });
  });

  it('tops up another phone and refuses a bad one without asking the API', async () => {
    await openReward();
    await type('reward__target', '12345');
    await click('立即兑换');
    expect(text()).toContain(errorMessageZh.TARGET_INVALID);
    await type('reward__target', '13912345678');
    api.on('RedeemReward', ok());
    await click('立即兑换');
    expect(text()).toContain('充值号码：13912345678');
    await click('确认兑换');
    expect((api.callsOf('RedeemReward')[0]?.variables?.input as Record<string, unknown>).target).toBe('13912345678');
  });

  it('needs a phone for a member without a bound one', async () => {
    await openReward(reward(), { me: { ...bobMe.me, points: 5000 } });
    await click('立即兑换');
    expect(text()).toContain(errorMessageZh.PHONE_REQUIRED);
  });

  it('fuel cards take the card number', async () => {
    await openReward(reward({ id: 'f1', kind: 'FUEL_CARD', name: '中石化加油卡 ¥100', brand: 'SINOPEC', brandName: '中国石化' }));
    await type('reward__target', '1234');
    await click('立即兑换');
    expect(text()).toContain(errorMessageZh.TARGET_INVALID);
    await type('reward__target', '1000111234567890123');
    api.on('RedeemReward', ok({ id: 'd2' }));
    await click('立即兑换');
    expect(text()).toContain('加油卡号：1000111234567890123');
    await click('确认兑换');
    expect((api.callsOf('RedeemReward')[0]?.variables?.input as Record<string, unknown>).target).toBe('1000111234567890123');
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/redemption/index?id=d2' });
  });

  it('OTP_REQUIRED: requests the code, shows a code field and resubmits with it under the same key', async () => {
    await openReward(reward({ pointsPrice: 1000, needsOtp: true }));
    expect(text()).toContain('兑换需短信验证码');
    let attempt = 0;
    api.on('RedeemReward', (v: Record<string, unknown>) => {
      attempt++;
      const otp = (v.input as { otp: string | null }).otp;
      if (!otp) return fail('OTP_REQUIRED');
      if (otp === '111111') return fail('OTP_INVALID');
      return ok();
    });
    api.on('RequestRewardOtp', { requestRewardOtp: SENT });
    await click('立即兑换');
    await click('确认兑换');
    await waitForText('验证码已发送至 138****5678');
    expect(api.callsOf('RequestRewardOtp')[0]?.variables).toEqual({ rewardId: 'r1', target: null });
    expect(redirectTo).not.toHaveBeenCalled();

    await click('确认兑换');
    expect(text()).toContain(errorMessageZh.OTP_REQUIRED);
    expect(attempt).toBe(1);

    await type('reward__otp-input', '111111');
    await click('确认兑换');
    await waitForText(errorMessageZh.OTP_INVALID);
    expect(redirectTo).not.toHaveBeenCalled();

    await type('reward__otp-input', '246810');
    await click('确认兑换');
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/redemption/index?id=d1' });
    const keys = api.callsOf('RedeemReward').map((c) => (c.variables?.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect((api.callsOf('RedeemReward')[2]?.variables?.input as { otp: string }).otp).toBe('246810');
  });

  it('OTP_EXPIRED: shows it and sends a new code on 重新获取', async () => {
    await openReward(reward({ needsOtp: true }));
    api.on('RedeemReward', (v: Record<string, unknown>) => ((v.input as { otp: string | null }).otp ? fail('OTP_EXPIRED') : fail('OTP_REQUIRED')));
    api.on('RequestRewardOtp', { requestRewardOtp: SENT });
    await click('立即兑换');
    await click('确认兑换');
    await type('reward__otp-input', '123456');
    await click('确认兑换');
    await waitForText(errorMessageZh.OTP_EXPIRED);
    await click('重新获取验证码');
    expect(api.callsOf('RequestRewardOtp')).toHaveLength(2);
  });

  it('a failed code request (PHONE_REQUIRED) is shown in Chinese', async () => {
    await openReward(reward({ needsOtp: true }));
    api.on('RedeemReward', fail('OTP_REQUIRED'));
    api.on('RequestRewardOtp', fail('PHONE_REQUIRED'));
    await click('立即兑换');
    await click('确认兑换');
    await waitForText(errorMessageZh.PHONE_REQUIRED);
    expect(text()).not.toContain('验证码已发送');
  });

  it.each(['OUT_OF_STOCK', 'LIMIT_REACHED', 'INSUFFICIENT_POINTS', 'TIER_REQUIRED', 'REWARD_UNAVAILABLE', 'TARGET_INVALID'] as const)(
    'shows %s in Chinese and retries with the same key; a new confirmation gets a new key',
    async (code) => {
      await openReward();
      api.on('RedeemReward', fail(code));
      await click('立即兑换');
      await click('确认兑换');
      await waitForText(errorMessageZh[code]);
      expect(redirectTo).not.toHaveBeenCalled();
      await click('确认兑换');
      await click('取消');
      await click('立即兑换');
      await click('确认兑换');
      const keys = api.callsOf('RedeemReward').map((c) => (c.variables?.input as { idempotencyKey: string }).idempotencyKey);
      expect(keys[0]).toBe(keys[1]);
      expect(keys[2]).not.toBe(keys[0]);
    },
  );

  it('a network failure keeps the confirmation for a retry', async () => {
    await openReward();
    api.on('RedeemReward', require('./fake-api').OFFLINE);
    await click('立即兑换');
    await click('确认兑换');
    await waitForText('网络连接失败');
    expect(text()).toContain('确认兑换');
  });
});
