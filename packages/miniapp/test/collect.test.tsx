import { act } from 'react';
import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import CollectPage from '../src/staff/collect';
import { TILL_POLL, tillPollWindow } from '../src/state/pay';
import { clock } from '../src/utils/clock';
import { qrDataUrl } from '../src/utils/qr';
import { carolViewer, ORDER_NO, payOrder, rules } from './fixtures';
import { $, api, click, fail, flush, MEMBER_VIEWER, mount, resetAll, signIn, text, type, unmountAll, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

// Any instant: where the page's timing matters, the test fakes the timers (and with them the clock) from T0.
const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

afterEach(() => {
  jest.useRealTimers();
  resetAll();
});

function staff() {
  signIn(carolViewer);
  api.on('EarningRules', rules);
  // Like the API: the order can be paid for a while (here 15 min) after it is created, by the clock; the page polls until then.
  api.on('CreateTillOrder', (v: { input: { amountFen: number } }) => ({ createTillOrder: payOrder({ amountFen: v.input.amountFen, expiresAt: new Date(clock.ms() + 15 * 60_000).toISOString() }) }));
}

async function seconds(n: number) {
  for (let i = 0; i < n; i++) {
    await flush(1000);
    await flush();
  }
}

async function line(i: number, value: string) {
  const inputs = document.body.querySelectorAll('.purchase__amount');
  (inputs[i] as HTMLElement).classList.add(`line-${i}`);
  await type(`line-${i}`, value);
}

describe('collect page (staff: till order paid by the member with WeChat Pay)', () => {
  it('asks to sign in when signed out', async () => {
    await mount(CollectPage);
    expect(text()).toContain('请先登录');
  });

  it('is forbidden to members who are not staff', async () => {
    signIn(MEMBER_VIEWER);
    await mount(CollectPage);
    expect(text()).toContain(errorMessageZh.FORBIDDEN);
    expect(text()).not.toContain('生成收款码');
  });

  it('creates the order, shows its QR code and number, polls until paid and shows the points', async () => {
    jest.useFakeTimers({ now: T0, doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'queueMicrotask', 'nextTick'] });
    staff();
    let paid = false;
    api.on('PayOrder', () => ({ payOrder: paid ? payOrder({ state: 'PAID', amountFen: 15000, points: 22 }) : payOrder({ amountFen: 15000 }) }));
    await mount(CollectPage);
    await waitForText('收款金额');
    expect(text()).toContain('北京国贸店');
    await line(0, '100');
    await click('+ 添加一行');
    const picker = document.body.querySelectorAll('.purchase__line taro-picker-core')[1] as HTMLElement;
    await act(async () => {
      picker.dispatchEvent(new CustomEvent('change', { detail: { value: 1 } })); // 生鲜
    });
    await line(1, '50');
    await waitForText('合计¥150');
    await click('生成收款码 ¥150');
    await waitForText(`订单号 ${ORDER_NO}`);
    expect(api.callsOf('CreateTillOrder')[0]?.variables).toEqual({
      input: { storeId: '11', amountFen: 15000, lines: [{ category: 'general', amountFen: 10000 }, { category: 'fresh', amountFen: 5000 }] },
    });
    expect($('.collect__qr-image').getAttribute('src')).toBe(qrDataUrl(ORDER_NO));
    expect($('.collect__qr-image').getAttribute('data-order')).toBe(ORDER_NO);
    expect(text()).toContain('¥150');
    expect(text()).toContain('等待顾客付款');
    await seconds(4);
    const polls = api.callsOf('PayOrder').length;
    expect(polls).toBe(3); // at once, then every 2 s
    expect(api.callsOf('PayOrder')[0]?.variables).toEqual({ outTradeNo: ORDER_NO });
    paid = true;
    await seconds(2);
    await waitForText('已收款 · 会员获得 22 积分');
    await seconds(10);
    expect(api.callsOf('PayOrder')).toHaveLength(polls + 1);
    await click('继续收款');
    await waitForText('收款金额');
    expect(text()).toContain('生成收款码');
  });

  it("replaces the plain QR with the mini-program code from the API so WeChat's own scanner opens the pay page", async () => {
    staff();
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    api.on('PayOrder', { payOrder: payOrder() });
    api.on('TillOrderCode', (v: { outTradeNo: string }) => ({ tillOrderCode: { scene: v.outTradeNo, page: 'member/pay/index', dataUrl: png } }));
    await mount(CollectPage);
    await waitForText('收款金额');
    await line(0, '100');
    await click('生成收款码 ¥100');
    await waitForText(`订单号 ${ORDER_NO}`);
    for (let i = 0; i < 50 && $('.collect__qr-image').getAttribute('src') !== png; i++) await flush(10);
    expect($('.collect__qr-image').getAttribute('src')).toBe(png);
    expect(api.callsOf('TillOrderCode')[0]?.variables).toEqual({ outTradeNo: ORDER_NO });
  });

  it('keeps the plain QR code of the order number when WeChat cannot make a mini-program code', async () => {
    staff();
    api.on('PayOrder', { payOrder: payOrder() });
    api.on('TillOrderCode', fail('WECHAT_UNAVAILABLE'));
    await mount(CollectPage);
    await waitForText('收款金额');
    await line(0, '100');
    await click('生成收款码 ¥100');
    await waitForText(`订单号 ${ORDER_NO}`);
    await flush(50);
    expect(api.callsOf('TillOrderCode')).toHaveLength(1);
    expect($('.collect__qr-image').getAttribute('src')).toBe(qrDataUrl(ORDER_NO));
  });

  it('stops polling when the page is left', async () => {
    jest.useFakeTimers({ now: T0, doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'queueMicrotask', 'nextTick'] });
    staff();
    api.on('PayOrder', { payOrder: payOrder() });
    await mount(CollectPage);
    await waitForText('收款金额');
    await line(0, '100');
    await click('生成收款码 ¥100');
    await waitForText('等待顾客付款');
    await seconds(4);
    const polls = api.callsOf('PayOrder').length;
    unmountAll();
    await seconds(10);
    expect(api.callsOf('PayOrder')).toHaveLength(polls);
  });

  it('shows a failed order creation in Chinese and keeps the form', async () => {
    staff();
    api.on('CreateTillOrder', fail('WECHAT_UNAVAILABLE'));
    await mount(CollectPage);
    await waitForText('收款金额');
    await line(0, '88');
    await click('生成收款码 ¥88');
    await waitForText(errorMessageZh.WECHAT_UNAVAILABLE);
    expect(text()).toContain('生成收款码 ¥88');
  });

  it('does not create an order without a valid amount', async () => {
    staff();
    await mount(CollectPage);
    await waitForText('收款金额');
    await line(0, '1.234');
    await waitForText('第 1 行金额格式不正确');
    await click('生成收款码');
    expect(api.callsOf('CreateTillOrder')).toHaveLength(0);
  });

  it('a polling error shows in Chinese with a retry', async () => {
    staff();
    api.on('PayOrder', fail('FORBIDDEN'));
    await mount(CollectPage);
    await waitForText('收款金额');
    await line(0, '100');
    await click('生成收款码 ¥100');
    await waitForText(errorMessageZh.FORBIDDEN);
    expect(text()).toContain(`订单号 ${ORDER_NO}`); // the code stays up
    api.on('PayOrder', { payOrder: payOrder({ state: 'PAID', points: 12 }) });
    await click('重试');
    await waitForText('已收款 · 会员获得 12 积分');
  });

  it('shows an order that closed unpaid', async () => {
    staff();
    api.on('PayOrder', { payOrder: payOrder({ state: 'CLOSED' }) });
    await mount(CollectPage);
    await waitForText('收款金额');
    await line(0, '100');
    await click('生成收款码 ¥100');
    await waitForText('订单已关闭');
    expect(text()).toContain('重新收款');
  });

  it("applies a member's coupon scanned from their wallet: the order is the discounted amount, the discount shown, used once paid", async () => {
    staff();
    const CODE = 'ABCDEFGHJKLM';
    api.on('CreateTillOrder', (v: { input: { amountFen: number; couponCode?: string } }) => ({
      createTillOrder: payOrder({ amountFen: v.input.amountFen - 2000, discountFen: 2000, expiresAt: new Date(clock.ms() + 15 * 60_000).toISOString() }),
    }));
    let paid = false;
    api.on('PayOrder', () => ({ payOrder: payOrder({ amountFen: 10000, discountFen: 2000, ...(paid ? { state: 'PAID' as const, points: 10 } : {}) }) }));
    jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: CODE } as never);
    await mount(CollectPage);
    await waitForText('收款金额');
    await line(0, '120');
    await click('扫券码');
    await waitForText('仅该券的会员可扫码付款');
    await click('用券生成收款码（原价 ¥120）');
    await waitForText(`订单号 ${ORDER_NO}`);
    expect(api.callsOf('CreateTillOrder')[0]?.variables).toEqual({
      input: { storeId: '11', amountFen: 12000, lines: [{ category: 'general', amountFen: 12000 }], couponCode: CODE },
    });
    expect(text()).toContain('¥100');
    expect(text()).toContain('已用券抵扣 ¥20 · 原价 ¥120');
    paid = true;
    await waitForText('已收款 · 会员获得 10 积分', 5000);
    expect(text()).toContain('券抵扣 ¥20，已核销');
  });

  it('a typed coupon code goes without spaces; a coupon held by another order is refused in Chinese and nothing is shown', async () => {
    staff();
    api.on('CreateTillOrder', fail('VOUCHER_RESERVED'));
    await mount(CollectPage);
    await waitForText('收款金额');
    await line(0, '120');
    await type('collect__coupon', 'ABCD EFGH JKLM');
    await click('用券生成收款码（原价 ¥120）');
    await waitForText(errorMessageZh.VOUCHER_RESERVED);
    expect(api.callsOf('CreateTillOrder')[0]?.variables).toMatchObject({ input: { couponCode: 'ABCDEFGHJKLM' } });
    expect(text()).not.toContain('订单号');
  });

  it('polls a till order until it expires, within limits', () => {
    expect(tillPollWindow(new Date(T0 + 15 * 60_000).toISOString(), T0)).toBe(15 * 60_000);
    expect(tillPollWindow(new Date(T0 - 1000).toISOString(), T0)).toBe(TILL_POLL.intervalMs);
    expect(tillPollWindow(new Date(T0 + 24 * 3600_000).toISOString(), T0)).toBe(TILL_POLL.maxMs);
  });
});
