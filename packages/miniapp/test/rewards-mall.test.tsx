import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import MallPage from '../src/rewards/mall';
import CardPage from '../src/pages/card';
import ProfilePage from '../src/pages/profile';
import TillPage from '../src/pages/till';
import appConfig from '../src/app.config';
import { aliceMe, carolViewer } from './fixtures';
import { reward } from './reward-fixtures';
import { $, api, click, fail, firePage, mount, OFFLINE, pending, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

let navigateTo: jest.SpyInstance;
beforeEach(() => {
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
});
afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

const GOLD = { id: '4', code: 'GOLD', name: '金卡', rank: 2 };

describe('积分商城', () => {
  it('shows loading', async () => {
    api.on('Rewards', () => pending());
    await mount(MallPage);
    expect(text()).toContain('加载中');
  });

  it('shows errors in Chinese', async () => {
    api.on('Rewards', fail('REWARD_UNAVAILABLE'));
    await mount(MallPage);
    await waitForText(errorMessageZh.REWARD_UNAVAILABLE);
  });

  it('shows a network failure in Chinese', async () => {
    api.on('Rewards', OFFLINE);
    await mount(MallPage);
    await waitForText('网络连接失败');
  });

  it('guests may browse (tier locks shown to everyone)', async () => {
    api.on('Rewards', { rewards: [reward({ affordable: false, minTier: GOLD })] });
    await mount(MallPage);
    await waitForText('移动话费 ¥30');
    expect(text()).toContain('登录后查看可兑换的礼品');
    expect(text()).toContain('🔒 金卡及以上可兑');
  });

  it('lists a category: price with cash part, stock, limits, tier lock, affordable first', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('Rewards', (v: Record<string, unknown>) =>
      v.kind === 'OWN_PRODUCT'
        ? {
            rewards: [
              reward({ id: 'a', kind: 'OWN_PRODUCT', name: '金卡礼盒', affordable: false, minTier: GOLD, pointsPrice: 5000 }),
              reward({ id: 'b', kind: 'OWN_PRODUCT', name: '咖啡兑换券', pointsPrice: 300, cashFen: 500, limitPerDay: null, limitPerMonth: 2 }),
              reward({ id: 'c', kind: 'OWN_PRODUCT', name: '帆布袋', stock: 0, inStock: false, affordable: false }),
            ],
          }
        : { rewards: [reward()] },
    );
    await mount(MallPage);
    await waitForText('移动话费 ¥30');
    expect(api.callsOf('Rewards')[0]?.variables).toEqual({ kind: 'MOBILE_TOPUP', first: 50 });
    expect(text()).toContain('可用积分 1280');
    expect(text()).toContain('800 积分');
    expect(text()).toContain('剩余 42');
    expect(text()).toContain('每日限 1 次 · 每月限 3 次');
    expect(text()).toContain('积分够');

    await click('门店好礼');
    await waitForText('咖啡兑换券');
    expect(api.callsOf('Rewards').at(-1)?.variables).toEqual({ kind: 'OWN_PRODUCT', first: 50 });
    const rows = Array.from(document.querySelectorAll('.mall__item')).map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('咖啡兑换券');
    expect(rows[0]).toContain('300 积分 + ¥5');
    expect(rows[0]).toContain('每月限 2 次');
    expect(rows[0]).toContain('积分够');
    expect(rows.find((r) => r.includes('金卡礼盒'))).toContain('🔒 金卡及以上可兑');
    expect(rows.find((r) => r.includes('帆布袋'))).toContain('已兑完');
    expect(rows.find((r) => r.includes('帆布袋'))).not.toContain('积分够');
  });

  it('has every category tab and an empty state', async () => {
    api.on('Rewards', { rewards: [] });
    await mount(MallPage);
    await waitForText('暂无可兑换的礼品');
    for (const t of ['话费充值', '加油卡', '门店好礼', '优惠券']) expect(text()).toContain(t);
    await click('优惠券');
    expect(api.callsOf('Rewards').at(-1)?.variables).toEqual({ kind: 'COUPON', first: 50 });
  });

  it('opens a reward and my redemptions; pull-to-refresh reloads', async () => {
    api.on('Rewards', { rewards: [reward()] });
    await mount(MallPage);
    await waitForText('移动话费 ¥30');
    await click($('.mall__item'));
    expect(navigateTo).toHaveBeenCalledWith({ url: '/rewards/detail/index?id=r1' });
    await click('我的兑换 ›');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/rewards/mine/index' });
    await firePage('onPullDownRefresh');
    expect(api.callsOf('Rewards')).toHaveLength(2);
  });
});

describe('ways into rewards', () => {
  it('the card has 积分商城', async () => {
    signIn();
    api.on('Me', aliceMe);
    await mount(CardPage);
    await waitForText('积分商城');
    await click('积分商城 · 话费、加油卡、门店好礼');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/rewards/mall/index' });
  });

  it('the profile has 我的兑换', async () => {
    signIn();
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('会员号');
    await click('我的兑换');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/rewards/mine/index' });
  });

  it('the till has 核销券', async () => {
    signIn(carolViewer);
    await mount(TillPage);
    await click('核销券 · 扫描或输入券码');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/staff/voucher/index' });
  });

  it('the reward pages are subpackage pages; the notification link opens the redemption page', () => {
    const sub = (root: string) => appConfig.subPackages?.find((p) => p.root === root)?.pages ?? [];
    expect(sub('rewards')).toEqual(['mall/index', 'detail/index', 'mine/index', 'coupons/index']);
    expect(sub('pages/redemption')).toEqual(['index']);
    expect(sub('staff')).toContain('voucher/index');
    expect(appConfig.pages?.some((p) => /reward|redemption|voucher/.test(p))).toBe(false);
  });
});
