import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import ExpiringPage from '../src/member/expiring';
import TierPage from '../src/member/tier';
import { clock } from '../src/utils/clock';
import { aliceMe, bobMe, tiers } from './fixtures';
import { api, click, fail, mount, pending, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('expiring points page', () => {
  it('asks to sign in when signed out', async () => {
    await mount(ExpiringPage);
    expect(text()).toContain('请先登录');
  });

  it('shows loading', async () => {
    signIn();
    api.on('Me', () => pending());
    await mount(ExpiringPage);
    expect(text()).toContain('加载中');
  });

  it('shows the empty state when nothing expires within 30 days', async () => {
    signIn();
    api.on('Me', bobMe);
    await mount(ExpiringPage);
    await waitForText('30 天内没有即将过期的积分');
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('Me', fail('WECHAT_RATE_LIMITED'));
    await mount(ExpiringPage);
    await waitForText(errorMessageZh.WECHAT_RATE_LIMITED);
  });

  // The page counts the days left against the mini-program clock: freeze it relative to the fixture's expiry.
  const EXPIRES = Date.parse(aliceMe.me.expiringSoon!.on); // 23:59:59 on 31 December in Beijing
  const DAY = 86_400_000;

  it('shows the points, the date they expire and the days left', async () => {
    clock.set(EXPIRES - 10 * DAY);
    signIn();
    api.on('Me', aliceMe);
    await mount(ExpiringPage);
    await waitForText('积分将于 2026年12月31日 过期');
    expect(text()).toContain('还剩 10 天');
    expect(text()).toContain('200');
    expect(text()).toContain('你现在共有 1280 积分');
  });

  it('points to the mall to spend them', async () => {
    signIn();
    api.on('Me', aliceMe);
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    await mount(ExpiringPage);
    await click('去积分商城兑换');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/rewards/mall/index' });
  });

  it('says they expire today on the last day (Beijing time)', async () => {
    clock.set(EXPIRES - 23 * 3600_000); // 00:59:59 on 31 December in Beijing
    signIn();
    api.on('Me', aliceMe);
    await mount(ExpiringPage);
    await waitForText('今天到期');
  });
});

describe('tier progress page', () => {
  it('asks to sign in when signed out', async () => {
    api.on('Tiers', tiers);
    await mount(TierPage);
    await waitForText('请先登录');
  });

  it('shows loading', async () => {
    signIn();
    api.on('Me', () => pending());
    api.on('Tiers', tiers);
    await mount(TierPage);
    expect(text()).toContain('加载中');
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Tiers', fail('INTERNAL'));
    await mount(TierPage);
    await waitForText(errorMessageZh.INTERNAL);
  });

  it('shows progress to the next tier and every tier', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Tiers', tiers);
    await mount(TierPage);
    await waitForText('当前等级：银卡');
    expect(text()).toContain('再消费 ¥350 升级金卡');
    expect(text()).toContain('年消费满 ¥5000');
    expect(text()).toContain('注册即得');
    expect(text()).toContain('积分 ×1.5');
  });

  it('at the top tier says so', async () => {
    signIn();
    api.on('Me', { me: { ...aliceMe.me, tier: tiers.tiers[2]!, nextTier: null } });
    api.on('Tiers', tiers);
    await mount(TierPage);
    await waitForText('您已是最高等级 金卡');
  });
});
