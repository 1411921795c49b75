import Taro from '@tarojs/taro';
import { errorMessageZh, formatVoucherCode, voucherCheckChar } from '@quanzi/shared';
import MyRedemptionsPage from '../src/rewards/mine';
import RedemptionPage from '../src/pages/redemption';
import { API_VOUCHER_CODE, redemption, VOUCHER_BODY } from './reward-fixtures';
import { $, api, click, fail, firePage, flush, mount, OFFLINE, openWith, pending, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

const CODE = VOUCHER_BODY + voucherCheckChar(VOUCHER_BODY);

let navigateTo: jest.SpyInstance;
beforeEach(() => {
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
  resetAll();
});

// finishedAt/usedAt: absolute on purpose — display cases; the pages print them as Beijing time and compare them with nothing.
const list = {
  myRedemptions: [
    redemption({ id: 'a', status: 'PROCESSING' }),
    redemption({ id: 'b', status: 'DELIVERED', finishedAt: '2026-11-23T02:03:00.000Z' }),
    redemption({ id: 'c', status: 'FAILED', pointsRefunded: 800, failReason: '号码停机' }),
    redemption({ id: 'd', kind: 'OWN_PRODUCT', rewardName: '门店咖啡一杯', status: 'ISSUED', target: null, voucherCode: CODE }),
    redemption({ id: 'e', kind: 'COUPON', rewardName: '满100减10', status: 'USED', target: null, usedAt: '2026-11-22T03:00:00.000Z', usedStoreName: '北京国贸店' }),
  ],
};
const settled = { myRedemptions: list.myRedemptions.map((r) => (r.id === 'a' ? { ...r, status: 'DELIVERED' as const } : r)) };

describe('我的兑换', () => {
  it('asks to sign in when signed out', async () => {
    await mount(MyRedemptionsPage);
    expect(text()).toContain('登录后查看你的兑换');
  });

  it('shows loading, errors in Chinese', async () => {
    signIn();
    api.on('MyRedemptions', () => pending());
    await mount(MyRedemptionsPage);
    expect(text()).toContain('加载中');
    resetAll();
    signIn();
    api.on('MyRedemptions', fail('INTERNAL'));
    await mount(MyRedemptionsPage);
    await waitForText(errorMessageZh.INTERNAL);
    resetAll();
    signIn();
    api.on('MyRedemptions', OFFLINE);
    await mount(MyRedemptionsPage);
    await waitForText('网络连接失败');
  });

  it('has an empty state that leads to the mall', async () => {
    signIn();
    api.on('MyRedemptions', { myRedemptions: [] });
    await mount(MyRedemptionsPage);
    await waitForText('还没有兑换记录');
    await click('去积分商城');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/rewards/mall/index' });
  });

  it('lists every status in Chinese and opens one', async () => {
    signIn();
    api.on('MyRedemptions', settled);
    await mount(MyRedemptionsPage);
    await waitForText('已到账');
    const rows = Array.from(document.querySelectorAll('.redemption-row')).map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('已到账');
    expect(rows[2]).toContain('失败已退回');
    expect(rows[2]).toContain('800 积分已退回');
    expect(rows[3]).toContain('待使用');
    expect(rows[3]).toContain('出示券码');
    expect(rows[4]).toContain('已使用');
    await click($('.redemption-row'));
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/redemption/index?id=a' });
  });

  it('polls while one is processing and stops when it settles', async () => {
    jest.useFakeTimers({ doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'queueMicrotask', 'nextTick'] });
    signIn();
    let n = 0;
    api.on('MyRedemptions', () => (++n < 3 ? list : settled));
    await mount(MyRedemptionsPage);
    await flush();
    expect(text()).toContain('处理中');
    await flush(3000);
    await flush();
    expect(n).toBe(2);
    await flush(3000);
    await flush();
    expect(n).toBe(3);
    expect(text()).not.toContain('处理中');
    await flush(9000);
    await flush();
    expect(n).toBe(3);
  });

  it('pull-to-refresh reloads', async () => {
    signIn();
    api.on('MyRedemptions', settled);
    await mount(MyRedemptionsPage);
    await waitForText('已到账');
    await firePage('onPullDownRefresh');
    expect(api.callsOf('MyRedemptions')).toHaveLength(2);
  });
});

describe('兑换详情 (result and voucher)', () => {
  it('treats a missing id as not found, and asks to sign in', async () => {
    signIn();
    openWith({});
    await mount(RedemptionPage);
    await waitForText(errorMessageZh.NOT_FOUND);
    resetAll();
    openWith({ id: 'd1' });
    await mount(RedemptionPage);
    expect(text()).toContain('登录后查看兑换详情');
  });

  it('shows an API error in Chinese', async () => {
    signIn();
    api.on('Redemption', fail('NOT_FOUND'));
    openWith({ id: 'd1' });
    await mount(RedemptionPage);
    await waitForText(errorMessageZh.NOT_FOUND);
  });

  it('polls a processing top-up until delivered', async () => {
    jest.useFakeTimers({ doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'queueMicrotask', 'nextTick'] });
    signIn();
    let n = 0;
    api.on('Redemption', (v: Record<string, unknown>) => {
      expect(v).toEqual({ id: 'd1' });
      // finishedAt: absolute on purpose — a display case (printed as Beijing time below, compared with nothing).
      return { redemption: redemption(++n < 2 ? {} : { status: 'DELIVERED', finishedAt: '2026-11-23T02:03:00.000Z' }) };
    });
    openWith({ id: 'd1' });
    await mount(RedemptionPage);
    await flush();
    expect(text()).toContain('处理中');
    expect(text()).toContain('正在充值');
    expect(text()).toContain('充值账号 138****5678');
    await flush(3000);
    await flush();
    expect(text()).toContain('已到账 · 2026-11-23 10:03'); // absolute on purpose: 02:03 UTC as Beijing time
    await flush(9000);
    expect(n).toBe(2);
  });

  it('stops polling after two minutes', async () => {
    jest.useFakeTimers({ doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'queueMicrotask', 'nextTick'] });
    signIn();
    api.on('Redemption', { redemption: redemption() });
    openWith({ id: 'd1' });
    await mount(RedemptionPage);
    for (let i = 0; i < 50; i++) await flush(3000);
    const calls = api.callsOf('Redemption').length;
    expect(calls).toBeLessThanOrEqual(41);
    await flush(30_000);
    expect(api.callsOf('Redemption')).toHaveLength(calls);
  });

  it('shows a failed top-up with its refund', async () => {
    signIn();
    api.on('Redemption', { redemption: redemption({ status: 'FAILED', pointsRefunded: 800, failReason: '号码停机' }) });
    openWith({ id: 'd1' });
    await mount(RedemptionPage);
    await waitForText('失败已退回');
    expect(text()).toContain('充值失败，800 积分已退回（号码停机）');
  });

  it('shows a voucher as a QR code and in text', async () => {
    signIn();
    // voucherExpiresAt: absolute on purpose — a display case; the page prints it and compares it with nothing
    // (whether a voucher is still valid is the API's decision, by its clock).
    api.on('Redemption', {
      redemption: redemption({ kind: 'OWN_PRODUCT', status: 'ISSUED', target: null, voucherCode: formatVoucherCode(CODE), voucherExpiresAt: '2026-12-31T15:59:59.000Z', cashFen: 500 }),
    });
    openWith({ id: 'd1' });
    await mount(RedemptionPage);
    await waitForText('待使用');
    expect(text()).toContain(formatVoucherCode(CODE));
    expect(text()).toContain('有效期至 2026-12-31 23:59'); // absolute on purpose: 15:59 UTC as Beijing time
    expect(text()).toContain('使用时另付 ¥5');
    const img = $('.redemption__qr');
    expect(img.getAttribute('data-code')).toBe(formatVoucherCode(CODE));
    expect(img.getAttribute('src')).toMatch(/^data:image\/gif;base64,/);
    await click('我的兑换');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/rewards/mine/index' });
  });

  it('shows the voucher code exactly as the API sends it (not grouped a second time)', async () => {
    signIn();
    api.on('Redemption', { redemption: redemption({ kind: 'OWN_PRODUCT', status: 'ISSUED', target: null, voucherCode: API_VOUCHER_CODE }) });
    openWith({ id: 'd1' });
    await mount(RedemptionPage);
    await waitForText('待使用');
    expect($('.redemption__code').textContent).toBe(API_VOUCHER_CODE);
    expect($('.redemption__qr').getAttribute('data-code')).toBe(API_VOUCHER_CODE);
  });

  it('a used voucher shows where and when, without the code', async () => {
    signIn();
    // usedAt: absolute on purpose — a display case (printed as Beijing time below, compared with nothing).
    api.on('Redemption', { redemption: redemption({ kind: 'COUPON', status: 'USED', target: null, voucherCode: CODE, usedAt: '2026-11-22T03:00:00.000Z', usedStoreName: '北京国贸店' }) });
    openWith({ id: 'd1' });
    await mount(RedemptionPage);
    await waitForText('已使用');
    expect(text()).toContain('已于 2026-11-22 11:00 在北京国贸店使用'); // absolute on purpose: 03:00 UTC as Beijing time
    expect(document.querySelector('.redemption__qr')).toBeNull();
  });
});
