import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import OrdersPage from '../src/member/orders';
import { clock } from '../src/utils/clock';
import { ORDER_NO, payOrder } from './fixtures';
import { $, api, click, fail, firePage, mount, OFFLINE, pending, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

// Any instant: the page offers to pay a pending order until its expiresAt, read against the mini-program clock,
// which every test freezes here; the expiries below are relative to it.
const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const OPEN = iso(NOW + 15 * MIN);

beforeEach(() => clock.set(NOW));
afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

// paidAt: absolute on purpose — a display case; the page prints it as Beijing time and compares it with nothing.
const orders = {
  myOrders: [
    payOrder({ outTradeNo: 'QZ20261123100000AAAAAAAAAAAA', state: 'PENDING', amountFen: 4550, expiresAt: OPEN }),
    payOrder({ outTradeNo: 'QZ20261122100000BBBBBBBBBBBB', state: 'PAID', amountFen: 10000, points: 12, paidAt: '2026-11-22T02:05:00.000Z' }),
    payOrder({ outTradeNo: 'QZ20261121100000CCCCCCCCCCCC', state: 'PAID', amountFen: 20000, points: 24, refundedFen: 5000, pointsReversed: 6, paidAt: '2026-11-21T02:05:00.000Z' }),
    payOrder({ outTradeNo: 'QZ20261120100000DDDDDDDDDDDD', state: 'PAID', amountFen: 3000, points: 3, refundedFen: 3000, pointsReversed: 3, paidAt: '2026-11-20T02:05:00.000Z' }),
    payOrder({ outTradeNo: 'QZ20261119100000EEEEEEEEEEEE', state: 'CLOSED', amountFen: 999, expiresAt: iso(NOW - 4 * 24 * 60 * MIN) }),
  ],
};

describe('my orders page', () => {
  it('asks to sign in when signed out', async () => {
    await mount(OrdersPage);
    expect(text()).toContain('请先登录');
    expect(text()).toContain('登录后查看你的订单');
  });

  it('shows loading', async () => {
    signIn();
    api.on('MyOrders', () => pending());
    await mount(OrdersPage);
    expect(text()).toContain('加载中');
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('MyOrders', fail('WECHAT_UNAVAILABLE'));
    await mount(OrdersPage);
    await waitForText(errorMessageZh.WECHAT_UNAVAILABLE);
  });

  it('shows a network failure in Chinese', async () => {
    signIn();
    api.on('MyOrders', OFFLINE);
    await mount(OrdersPage);
    await waitForText('网络连接失败');
  });

  it('has an empty state that leads to paying', async () => {
    signIn();
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('MyOrders', { myOrders: [] });
    await mount(OrdersPage);
    await waitForText('还没有订单');
    await click('去付款');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/member/pay/index' });
  });

  it('lists orders with state, amount, points and refunds', async () => {
    signIn();
    api.on('MyOrders', orders);
    await mount(OrdersPage);
    await waitForText('待支付');
    expect(api.callsOf('MyOrders')[0]?.variables).toEqual({ first: 20 });
    const rows = Array.from(document.querySelectorAll('.order')).map((r) => r.textContent ?? '');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toContain('待支付');
    expect(rows[0]).toContain('¥45.5');
    expect(rows[0]).toContain('继续支付');
    expect(rows[0]).not.toContain('积分');
    expect(rows[1]).toContain('已支付');
    expect(rows[1]).toContain('¥100');
    expect(rows[1]).toContain('+12 积分');
    expect(rows[1]).toContain('2026-11-22 10:05'); // absolute on purpose: paidAt 02:05 UTC printed as Beijing time
    expect(rows[1]).not.toContain('退款');
    expect(rows[2]).toContain('已退款 ¥50 · 扣回 6 积分');
    expect(rows[3]).toContain('已全额退款 ¥30 · 扣回 3 积分');
    expect(rows[4]).toContain('已关闭');
    expect(rows[4]).not.toContain('继续支付');
    expect(rows[4]).toContain('订单号 QZ20261119100000EEEEEEEEEEEE');
  });

  it('continues paying a pending order on the pay page', async () => {
    signIn();
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('MyOrders', { myOrders: [payOrder({ expiresAt: OPEN })] });
    await mount(OrdersPage);
    await waitForText('继续支付');
    await click($('.order__continue'));
    expect(navigateTo).toHaveBeenCalledWith({ url: `/member/pay/index?outTradeNo=${ORDER_NO}` });
  });

  it.each([
    ['that expired a second ago', NOW - 1000],
    ['at the instant it expires', NOW],
  ])('does not offer to pay an order %s', async (_name, expiresAt) => {
    signIn();
    api.on('MyOrders', { myOrders: [payOrder({ expiresAt: iso(expiresAt) })] });
    await mount(OrdersPage);
    await waitForText('待支付');
    expect(text()).not.toContain('继续支付');
  });

  it('offers to pay until the last second', async () => {
    signIn();
    api.on('MyOrders', { myOrders: [payOrder({ expiresAt: iso(NOW + 1000) })] });
    await mount(OrdersPage);
    await waitForText('继续支付');
  });

  it('pull-to-refresh reloads', async () => {
    signIn();
    api.on('MyOrders', orders);
    await mount(OrdersPage);
    await waitForText('待支付');
    await firePage('onPullDownRefresh');
    expect(api.callsOf('MyOrders')).toHaveLength(2);
  });
});
