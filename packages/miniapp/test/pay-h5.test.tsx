import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import PayPage from '../src/member/pay';
import { messageFor } from '../src/api/errors';
import { aliceMe, intent, ORDER_NO, PAYMENT_PARAMS, payStores, rules } from './fixtures';
import { api, click, flush, mount, OFFLINE, resetAll, signIn, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));
// The H5 build resolves the .h5.ts variants (Taro's platform files); jest resolves the base files, so swap them here.
jest.mock('../src/utils/pay', () => jest.requireActual('../src/utils/pay.h5'));
jest.mock('../src/utils/scan', () => jest.requireActual('../src/utils/scan.h5'));

let redirectTo: jest.SpyInstance;
let requestPayment: jest.SpyInstance;
let posted: unknown[];

beforeEach(() => {
  posted = [];
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' } as never);
  requestPayment = jest.spyOn(Taro, 'requestPayment');
  signIn();
  api.on('Me', aliceMe);
  api.on('PayStores', payStores);
  api.on('EarningRules', rules);
  api.on('CreatePayment', { createPayment: intent() });
});
afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

function simulator(answer: () => { status: number; data: unknown } | typeof OFFLINE) {
  api.route('/demo/pay', (body) => {
    posted.push(body);
    return answer();
  });
}

async function payHundred() {
  await mount(PayPage);
  await waitForText('付款金额');
  await type('pay__amount', '100');
  await click('确认付款 ¥100');
  await flush();
}

describe('pay page (H5 demo: the WeChat Pay simulator’s hook)', () => {
  it('says the demo pays through the simulator', async () => {
    await mount(PayPage);
    await waitForText('付款金额');
    expect(text()).toContain('演示环境：由微信支付模拟器完成付款');
  });

  it('POSTs the requestPayment parameters to /demo/pay, then opens the result page', async () => {
    simulator(() => ({ status: 200, data: { transactionId: '4200000000202611230000000001' } }));
    await payHundred();
    expect(posted).toEqual([PAYMENT_PARAMS]);
    expect(api.calls.find((c) => c.url.endsWith('/demo/pay'))?.url).toBe('http://api.test/demo/pay');
    expect(requestPayment).not.toHaveBeenCalled();
    expect(redirectTo).toHaveBeenCalledWith({ url: `/member/pay-result/index?outTradeNo=${ORDER_NO}&points=12` });
  });

  it('a refused payment (400) shows its code in Chinese and the order stays payable', async () => {
    simulator(() => ({ status: 400, data: { code: 'PAY_SIGNATURE_INVALID', message: 'requestPayment:fail 支付验证签名失败' } }));
    await payHundred();
    await waitForText(errorMessageZh.PAY_SIGNATURE_INVALID);
    expect(redirectTo).not.toHaveBeenCalled();
    simulator(() => ({ status: 200, data: { transactionId: '4200000000202611230000000002' } }));
    await click('继续支付');
    await flush();
    expect(posted).toHaveLength(2);
    expect(api.callsOf('CreatePayment')).toHaveLength(1);
    expect(redirectTo).toHaveBeenCalled();
  });

  it('an order already paid goes to the result page', async () => {
    simulator(() => ({ status: 409, data: { code: 'ORDER_PAID', message: 'requestPayment:fail 该订单已支付' } }));
    await payHundred();
    expect(redirectTo).toHaveBeenCalled();
  });

  it('an expired order says so; an unnamed refusal is a failed payment', async () => {
    simulator(() => ({ status: 409, data: { code: 'ORDER_EXPIRED', message: 'requestPayment:fail 订单已过期' } }));
    await payHundred();
    await waitForText(errorMessageZh.ORDER_EXPIRED);
    expect(redirectTo).not.toHaveBeenCalled();
    simulator(() => ({ status: 500, data: { code: 'INTERNAL', message: 'The payment simulator failed' } }));
    await click('继续支付');
    await flush();
    await waitForText(messageFor('PAY_FAILED'));
    expect(redirectTo).not.toHaveBeenCalled();
  });

  it('a server without the pay hook means WeChat Pay is unavailable', async () => {
    await payHundred(); // no /demo/pay route: 404
    await waitForText(errorMessageZh.WECHAT_UNAVAILABLE);
  });

  it('no connection to the simulator is a network error', async () => {
    simulator(() => OFFLINE);
    await payHundred();
    await waitForText(messageFor('NETWORK'));
  });

  it('pays a till order by its typed number (no camera on H5)', async () => {
    simulator(() => ({ status: 200, data: { transactionId: '4200000000202611230000000003' } }));
    api.on('PayTillOrder', { payTillOrder: intent({ amountFen: 8800 }, 10) });
    await mount(PayPage);
    await waitForText('在收银台付款');
    expect(document.querySelector('.pay__scan')).toBeNull();
    await type('pay__order-no', `订单号 ${ORDER_NO}`);
    await click('去付款');
    await waitForText(errorMessageZh.NOT_FOUND); // not a number
    await type('pay__order-no', ORDER_NO);
    await click('去付款');
    await waitForText('收银台订单');
    await click('确认支付 ¥88');
    await flush();
    expect(posted).toEqual([PAYMENT_PARAMS]);
    expect(redirectTo).toHaveBeenCalledWith({ url: `/member/pay-result/index?outTradeNo=${ORDER_NO}&points=10` });
  });
});
