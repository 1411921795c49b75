import Taro from '@tarojs/taro';
import CardPage from '../src/pages/card';
import ProfilePage from '../src/pages/profile';
import TillPage from '../src/pages/till';
import appConfig from '../src/app.config';
import { aliceMe, carolViewer } from './fixtures';
import { api, click, mount, resetAll, signIn, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

let navigateTo: jest.SpyInstance;
beforeEach(() => {
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
});
afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('ways into WeChat Pay', () => {
  it('the member card has 付款', async () => {
    signIn();
    api.on('Me', aliceMe);
    await mount(CardPage);
    await waitForText('会员号 10000042');
    await click('付款');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/member/pay/index' });
  });

  it('the profile has 我的订单', async () => {
    signIn();
    api.on('Me', aliceMe);
    await mount(ProfilePage);
    await waitForText('会员号');
    await click('我的订单');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/member/orders/index' });
  });

  it('the till has 收款', async () => {
    signIn(carolViewer);
    await mount(TillPage);
    await click('收款 · 顾客扫码微信支付');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/staff/collect/index' });
  });

  it('the pay pages are subpackage pages (not in the main package)', () => {
    const sub = (root: string) => appConfig.subPackages?.find((p) => p.root === root)?.pages ?? [];
    expect(sub('member')).toEqual(expect.arrayContaining(['pay/index', 'pay-result/index', 'orders/index']));
    expect(sub('staff')).toContain('collect/index');
    expect(appConfig.pages?.some((p) => /pay|orders|collect/.test(p))).toBe(false);
  });
});
