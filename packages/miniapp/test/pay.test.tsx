import { act } from 'react';
import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import PayPage from '../src/member/pay';
import { messageFor } from '../src/api/errors';
import { parseOrderNo, tillOrderFromParams } from '../src/state/pay';
import { aliceMe, intent, ORDER_NO, PAYMENT_PARAMS, payStores, rules } from './fixtures';
import { $, api, click, fail, flush, mount, openWith, pending, resetAll, signIn, text, type, unmountAll, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

// wx.requestPayment's parameters as weapp receives them (appId is implied by the mini-program).
const { appId: _appId, ...SHEET_PARAMS } = PAYMENT_PARAMS;

let requestPayment: jest.SpyInstance;
let redirectTo: jest.SpyInstance;

beforeEach(() => {
  requestPayment = jest.spyOn(Taro, 'requestPayment').mockResolvedValue({ errMsg: 'requestPayment:ok' } as never);
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' } as never);
});
afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

function member() {
  signIn();
  api.on('Me', aliceMe);
  api.on('PayStores', payStores);
  api.on('EarningRules', (v: { storeId: string }) => ({ earningRules: { ...rules.earningRules, storeId: v.storeId } }));
}

async function amount(value: string) {
  await type('pay__amount', value);
}

const resultUrl = (points = 12) => `/member/pay-result/index?outTradeNo=${ORDER_NO}&points=${points}`;

describe('pay page (member, new payment)', () => {
  it('asks to sign in when signed out', async () => {
    await mount(PayPage);
    expect(text()).toContain('请先登录');
    expect(text()).toContain('登录后即可付款');
  });

  it('shows loading', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('PayStores', () => pending());
    await mount(PayPage);
    expect(text()).toContain('加载中');
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('PayStores', fail('INTERNAL'));
    await mount(PayPage);
    await waitForText(errorMessageZh.INTERNAL);
    expect(text()).toContain('重试');
  });

  it('has an empty state without stores', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('PayStores', { stores: [] });
    await mount(PayPage);
    await waitForText('暂无可付款的门店');
  });

  it('previews the points with the shared engine and the member’s tier', async () => {
    member();
    await mount(PayPage);
    await waitForText('付款金额');
    expect($('.pay__store').textContent).toContain('北京国贸店');
    expect(text()).toContain('银卡 ×1.2');
    expect(text()).toContain('预计积分 —');
    await amount('100');
    // ¥100 at ¥10 = 1 point, silver ×1.2 → 12
    await waitForText('预计获得 12 积分');
    expect(text()).toContain('确认付款 ¥100');
    expect(api.callsOf('EarningRules')[0]?.variables).toEqual({ storeId: '11' });
    await amount('88.8');
    await waitForText('预计获得 10 积分'); // 8.88 × 1.2 = 10.656 → FLOOR
  });

  it('flags a malformed amount and does not pay', async () => {
    member();
    await mount(PayPage);
    await waitForText('付款金额');
    await amount('12.345');
    await waitForText('金额格式不正确');
    await click('确认付款');
    expect(api.callsOf('CreatePayment')).toHaveLength(0);
    expect(requestPayment).not.toHaveBeenCalled();
  });

  it('switches the store (rules of that store) and remembers it', async () => {
    member();
    await mount(PayPage);
    await waitForText('付款金额');
    const picker = document.body.querySelector('taro-picker-core') as HTMLElement;
    await act(async () => {
      picker.dispatchEvent(new CustomEvent('change', { detail: { value: 1 } }));
    });
    await flush();
    expect($('.pay__store').textContent).toContain('北京三里屯店');
    expect(api.callsOf('EarningRules').at(-1)?.variables).toEqual({ storeId: '12' });
    // Next time on this phone: the same store.
    unmountAll();
    await mount(PayPage);
    await waitForText('付款金额');
    expect($('.pay__store').textContent).toContain('北京三里屯店');
  });

  it('creates the payment and opens WeChat’s payment sheet with the intent’s parameters, then the result page', async () => {
    member();
    api.on('CreatePayment', { createPayment: intent() });
    await mount(PayPage);
    await waitForText('付款金额');
    await amount('100');
    await click('确认付款 ¥100');
    await flush();
    expect(api.callsOf('CreatePayment')[0]?.variables).toEqual({ input: { storeId: '11', amountFen: 10000 } });
    expect(requestPayment).toHaveBeenCalledTimes(1);
    expect(requestPayment).toHaveBeenCalledWith(expect.objectContaining(SHEET_PARAMS));
    expect(redirectTo).toHaveBeenCalledWith({ url: resultUrl() });
    // The order summary with the server's preview stays behind the sheet.
    expect(text()).toContain(ORDER_NO);
    expect($('.pay-summary').textContent).toContain('12 积分');
  });

  it('a cancelled sheet keeps the order: a gentle note, then pay the same order again', async () => {
    member();
    api.on('CreatePayment', { createPayment: intent() });
    requestPayment.mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });
    await mount(PayPage);
    await waitForText('付款金额');
    await amount('100');
    await click('确认付款 ¥100');
    await waitForText(messageFor('PAY_CANCELLED'));
    expect(redirectTo).not.toHaveBeenCalled();
    expect(text()).toContain('待支付订单');
    expect(text()).toContain('¥100');
    expect(text()).toContain('12 积分');
    expect(document.querySelector('.error-notice')).toBeNull(); // not shown as an error
    await click('继续支付');
    await flush();
    expect(api.callsOf('CreatePayment')).toHaveLength(1);
    expect(requestPayment).toHaveBeenCalledTimes(2);
    expect(requestPayment.mock.calls[1]?.[0]).toEqual(requestPayment.mock.calls[0]?.[0]);
    expect(redirectTo).toHaveBeenCalledWith({ url: resultUrl() });
  });

  it('after a cancel the member may change the amount (a new order)', async () => {
    member();
    api.on('CreatePayment', (v: { input: { amountFen: number } }) => ({ createPayment: intent({ amountFen: v.input.amountFen }) }));
    requestPayment.mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });
    await mount(PayPage);
    await waitForText('付款金额');
    await amount('100');
    await click('确认付款 ¥100');
    await waitForText(messageFor('PAY_CANCELLED'));
    await click('修改金额或门店');
    await waitForText('付款金额');
    await amount('50');
    await click('确认付款 ¥50');
    await flush();
    expect(api.callsOf('CreatePayment').map((c) => (c.variables?.input as { amountFen: number }).amountFen)).toEqual([10000, 5000]);
  });

  it('shows a failed payment sheet in Chinese', async () => {
    member();
    api.on('CreatePayment', { createPayment: intent() });
    requestPayment.mockRejectedValueOnce({ errMsg: 'requestPayment:fail 支付验证签名失败' });
    await mount(PayPage);
    await waitForText('付款金额');
    await amount('100');
    await click('确认付款 ¥100');
    await waitForText(messageFor('PAY_FAILED'));
    expect(text()).not.toContain('支付验证签名失败');
    expect(redirectTo).not.toHaveBeenCalled();
    expect(text()).toContain('继续支付');
  });

  it('shows the API’s error (WeChat Pay unavailable) in Chinese and opens no sheet', async () => {
    member();
    api.on('CreatePayment', fail('WECHAT_UNAVAILABLE'));
    await mount(PayPage);
    await waitForText('付款金额');
    await amount('100');
    await click('确认付款 ¥100');
    await waitForText(errorMessageZh.WECHAT_UNAVAILABLE);
    expect(requestPayment).not.toHaveBeenCalled();
    expect(text()).toContain('付款金额'); // still the form
  });
});

describe('pay page (member, till order)', () => {
  it('opens a till order from a mini-program code’s scene (URL-encoded) and pays it', async () => {
    signIn();
    openWith({ scene: encodeURIComponent(ORDER_NO) });
    api.on('PayTillOrder', { payTillOrder: intent({ amountFen: 8800 }, 10) });
    await mount(PayPage);
    await waitForText('收银台订单');
    expect(api.callsOf('PayTillOrder')[0]?.variables).toEqual({ outTradeNo: ORDER_NO });
    expect(api.callsOf('CreatePayment')).toHaveLength(0);
    expect(text()).toContain('北京国贸店');
    expect(text()).toContain('¥88');
    expect(text()).toContain('10 积分');
    await click('确认支付 ¥88');
    await flush();
    expect(requestPayment).toHaveBeenCalledWith(expect.objectContaining(SHEET_PARAMS));
    expect(redirectTo).toHaveBeenCalledWith({ url: resultUrl(10) });
  });

  it('a till order with a coupon shows the discount and the original price', async () => {
    signIn();
    openWith({ outTradeNo: ORDER_NO });
    api.on('PayTillOrder', { payTillOrder: intent({ amountFen: 8000, discountFen: 2000 }, 8) });
    await mount(PayPage);
    await waitForText('收银台订单');
    expect(text()).toContain('¥80');
    expect(text()).toContain('已用券抵扣 ¥20 · 原价 ¥100');
    expect(text()).toContain('确认支付 ¥80');
  });

  it('opens a till order from ?outTradeNo= and shows why it cannot be paid', async () => {
    signIn();
    openWith({ outTradeNo: ORDER_NO });
    api.on('PayTillOrder', fail('CONFLICT'));
    await mount(PayPage);
    await waitForText(errorMessageZh.CONFLICT);
    expect(requestPayment).not.toHaveBeenCalled();
  });

  it('a cancelled sheet leaves the till order payable', async () => {
    signIn();
    openWith({ outTradeNo: ORDER_NO });
    api.on('PayTillOrder', { payTillOrder: intent() });
    requestPayment.mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });
    await mount(PayPage);
    await waitForText('收银台订单');
    await click('确认支付 ¥100');
    await waitForText(messageFor('PAY_CANCELLED'));
    await click('继续支付');
    await flush();
    expect(requestPayment).toHaveBeenCalledTimes(2);
    expect(redirectTo).toHaveBeenCalledWith({ url: resultUrl() });
  });

  it('scans a till order’s code from the pay page (wx.scanCode)', async () => {
    member();
    const scan = jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: ORDER_NO } as never);
    api.on('PayTillOrder', { payTillOrder: intent() });
    await mount(PayPage);
    await waitForText('在收银台付款');
    await click('扫描收款码');
    await waitForText('收银台订单');
    expect(scan).toHaveBeenCalled();
    expect(api.callsOf('PayTillOrder')[0]?.variables).toEqual({ outTradeNo: ORDER_NO });
  });

  it('waits for sign-in before claiming the order', async () => {
    openWith({ outTradeNo: ORDER_NO });
    api.on('PayTillOrder', { payTillOrder: intent() });
    await mount(PayPage);
    expect(text()).toContain('请先登录');
    expect(api.callsOf('PayTillOrder')).toHaveLength(0);
    signIn();
    await waitForText('收银台订单');
    expect($('.pay-summary__amount').textContent).toBe('¥100');
  });
});

describe('order numbers from codes and links', () => {
  it('reads the bare number, an encoded scene, or a link with outTradeNo/scene', () => {
    expect(parseOrderNo(ORDER_NO)).toBe(ORDER_NO);
    expect(parseOrderNo(` ${ORDER_NO} `)).toBe(ORDER_NO);
    expect(parseOrderNo(`member/pay/index?scene=${encodeURIComponent(ORDER_NO)}`)).toBe(ORDER_NO);
    expect(parseOrderNo(`https://quanzi.example/pay?outTradeNo=${ORDER_NO}&x=1`)).toBe(ORDER_NO);
    expect(parseOrderNo('QZ1.10000042.123456')).toBeNull(); // a member code is not an order
    expect(parseOrderNo('')).toBeNull();
    expect(parseOrderNo('%E0%A4%A')).toBeNull();
    expect(tillOrderFromParams({ scene: encodeURIComponent(ORDER_NO) })).toBe(ORDER_NO);
    expect(tillOrderFromParams({ outTradeNo: ORDER_NO })).toBe(ORDER_NO);
    expect(tillOrderFromParams({})).toBeNull();
    expect(tillOrderFromParams(null)).toBeNull();
  });
});
