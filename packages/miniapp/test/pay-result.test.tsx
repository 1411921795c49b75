import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import PayResultPage from '../src/member/pay-result';
import { RESULT_POLL } from '../src/state/pay';
import { ORDER_NO, payOrder } from './fixtures';
import { api, click, fail, flush, mount, openWith, pending, resetAll, signIn, text, unmountAll, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

// Any instant: every test fakes the timers (and with them the clock) from T0.
const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
// paidAt: absolute on purpose — a display case; the page prints it as Beijing time and compares it with nothing.
const PAID = payOrder({ state: 'PAID', points: 12, paidAt: '2026-11-23T10:00:03.000Z' });

beforeEach(() => {
  jest.useFakeTimers({ now: T0, doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'queueMicrotask', 'nextTick'] });
  openWith({ outTradeNo: ORDER_NO, points: '12' }, '/member/pay-result/index');
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
  resetAll();
});

/** Answers PENDING for the first `n` polls, then `then`. */
function pendingFor(n: number, then: unknown = PAID) {
  let calls = 0;
  api.on('PayOrder', (v: { outTradeNo: string }) => {
    expect(v.outTradeNo).toBe(ORDER_NO);
    calls++;
    return { payOrder: calls <= n ? payOrder() : then };
  });
}

/** Lets `seconds` pass, a second at a time (each poll's answer settles in between). */
async function seconds(n: number) {
  for (let i = 0; i < n; i++) {
    await flush(1000);
    await flush();
  }
}

describe('pay result page', () => {
  it('asks to sign in when signed out', async () => {
    await mount(PayResultPage);
    expect(text()).toContain('请先登录');
  });

  it('shows loading until the first answer', async () => {
    signIn();
    api.on('PayOrder', () => pending());
    await mount(PayResultPage);
    expect(text()).toContain('加载中');
  });

  it('polls every second while pending, then shows the points earned', async () => {
    signIn();
    pendingFor(3);
    await mount(PayResultPage);
    await flush();
    expect(text()).toContain('支付处理中');
    expect(text()).toContain('正在确认微信支付结果');
    expect(api.callsOf('PayOrder')).toHaveLength(1);
    await seconds(1);
    expect(api.callsOf('PayOrder')).toHaveLength(2);
    await seconds(2);
    await waitForText('支付成功，获得 12 积分');
    expect(api.callsOf('PayOrder')).toHaveLength(4);
    expect(text()).toContain('¥100 · 北京国贸店');
    expect(text()).toContain(ORDER_NO);
    expect(text()).toContain('2026-11-23 18:00'); // absolute on purpose: paidAt printed as Beijing (Shanghai) time
    // Paid: no more polling.
    await seconds(5);
    expect(api.callsOf('PayOrder')).toHaveLength(4);
  });

  it('gives up after about 15 s with “支付处理中” and a refresh button that polls again', async () => {
    signIn();
    pendingFor(1000);
    await mount(PayResultPage);
    await seconds(20);
    const polls = api.callsOf('PayOrder').length;
    expect(polls).toBeGreaterThanOrEqual(RESULT_POLL.timeoutMs / RESULT_POLL.intervalMs);
    expect(polls).toBeLessThanOrEqual(RESULT_POLL.timeoutMs / RESULT_POLL.intervalMs + 1);
    expect(text()).toContain('支付处理中');
    expect(text()).toContain('12 积分将在确认后自动到账');
    await seconds(10);
    expect(api.callsOf('PayOrder')).toHaveLength(polls);
    pendingFor(0);
    await click('刷新');
    await waitForText('支付成功，获得 12 积分');
  });

  it('stops polling when the page is left', async () => {
    signIn();
    pendingFor(1000);
    await mount(PayResultPage);
    await seconds(2);
    const polls = api.callsOf('PayOrder').length;
    unmountAll();
    await seconds(5);
    expect(api.callsOf('PayOrder')).toHaveLength(polls);
  });

  it('shows an error in Chinese and retries', async () => {
    signIn();
    api.on('PayOrder', fail('FORBIDDEN'));
    await mount(PayResultPage);
    await waitForText(errorMessageZh.FORBIDDEN);
    await seconds(3);
    expect(api.callsOf('PayOrder')).toHaveLength(1); // an error stops polling
    pendingFor(0);
    await click('重试');
    await waitForText('支付成功，获得 12 积分');
  });

  it('shows a closed order', async () => {
    signIn();
    api.on('PayOrder', { payOrder: payOrder({ state: 'CLOSED' }) });
    await mount(PayResultPage);
    await waitForText('订单已关闭');
    expect(text()).toContain('重新付款');
  });

  it('without an order number there is nothing to show', async () => {
    signIn();
    openWith({});
    await mount(PayResultPage);
    await waitForText(errorMessageZh.NOT_FOUND);
    expect(api.callsOf('PayOrder')).toHaveLength(0);
  });

  it('goes on to the points tab', async () => {
    signIn();
    const switchTab = jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' } as never);
    pendingFor(0);
    await mount(PayResultPage);
    await waitForText('支付成功');
    await click('查看积分');
    expect(switchTab).toHaveBeenCalledWith({ url: '/pages/points/index' });
  });
});
