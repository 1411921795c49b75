import Taro from '@tarojs/taro';
import { errorMessageZh, voucherCheckChar } from '@quanzi/shared';
import VoucherPage from '../src/staff/voucher';
import { carolViewer } from './fixtures';
import { API_VOUCHER_CODE, VOUCHER_BODY, voucher } from './reward-fixtures';
import { $, api, click, fail, mount, resetAll, signIn, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

const CODE = VOUCHER_BODY + voucherCheckChar(VOUCHER_BODY);
const TYPED = `${CODE.slice(0, 4).toLowerCase()} ${CODE.slice(4, 8)}-${CODE.slice(8)}`;

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('核销券 (staff)', () => {
  it('asks to sign in, and refuses members', async () => {
    await mount(VoucherPage);
    expect(text()).toContain('店员登录后核销券');
    resetAll();
    signIn();
    api.on('Viewer', fail('FORBIDDEN'));
    await mount(VoucherPage);
    expect(text()).toContain(errorMessageZh.FORBIDDEN);
  });

  it('looks a typed code up (normalized), then marks it used', async () => {
    signIn(carolViewer);
    api.on('Voucher', { voucher: voucher(CODE, { cashFen: 500 }) });
    api.on('UseVoucher', { useVoucher: { discountFen: null, voucher: voucher(CODE, { status: 'USED', cashFen: 500, usableHere: false }) } });
    await mount(VoucherPage);
    await type('voucher-desk__code', TYPED);
    await click('查询');
    await waitForText('门店咖啡一杯');
    expect(api.callsOf('Voucher')[0]?.variables).toEqual({ code: CODE, storeId: '11' });
    expect(text()).toContain('待使用');
    expect(text()).toContain('会员 10000042');
    expect(text()).toContain('需另收 ¥5');
    await click('确认核销');
    expect(api.callsOf('UseVoucher')[0]?.variables).toEqual({ code: CODE, storeId: '11', spendFen: null });
    await waitForText('已核销 · 门店咖啡一杯');
    expect(text()).toContain('请收取 ¥5');
    await click('核销下一张');
    expect(text()).toContain('查询');
  });

  it('shows the code exactly as the API sends it (not grouped a second time)', async () => {
    signIn(carolViewer);
    api.on('Voucher', { voucher: voucher(API_VOUCHER_CODE) });
    await mount(VoucherPage);
    await type('voucher-desk__code', CODE);
    await click('查询');
    await waitForText('门店咖啡一杯');
    expect($('.voucher-desk__found').textContent).toContain(`券码 ${API_VOUCHER_CODE} · 会员 10000042`);
    expect(text()).not.toContain('2E6 V');
  });

  it('refuses a mistyped code without asking the API', async () => {
    signIn(carolViewer);
    await mount(VoucherPage);
    await type('voucher-desk__code', `${CODE.slice(0, 11)}${CODE[11] === 'A' ? 'B' : 'A'}`);
    await click('查询');
    expect(text()).toContain(errorMessageZh.VOUCHER_INVALID);
    expect(api.callsOf('Voucher')).toHaveLength(0);
  });

  it('scans the code with the camera', async () => {
    signIn(carolViewer);
    jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: CODE } as never);
    api.on('Voucher', { voucher: voucher(CODE) });
    await mount(VoucherPage);
    await click('扫描券码');
    await waitForText('门店咖啡一杯');
    expect(api.callsOf('Voucher')[0]?.variables).toEqual({ code: CODE, storeId: '11' });
  });

  it('a coupon takes the spend and shows the discount', async () => {
    signIn(carolViewer);
    const coupon = voucher(CODE, { kind: 'COUPON', rewardName: '满100减10', amountOffFen: 1000, minSpendFen: 10000 });
    api.on('Voucher', { voucher: coupon });
    api.on('UseVoucher', { useVoucher: { discountFen: 1000, voucher: { ...coupon, status: 'USED' } } });
    await mount(VoucherPage);
    await type('voucher-desk__code', CODE);
    await click('查询');
    await waitForText('满 ¥100 立减 ¥10');
    await type('voucher-desk__spend', '128.5');
    await click('确认核销');
    expect(api.callsOf('UseVoucher')[0]?.variables).toEqual({ code: CODE, storeId: '11', spendFen: 12850 });
    await waitForText('立减 ¥10');
  });

  it('shows a used voucher (no 核销 button) and one not usable here', async () => {
    signIn(carolViewer);
    // usedAt: absolute on purpose — a display case; the desk prints it as Beijing time and compares it with nothing.
    api.on('Voucher', { voucher: voucher(CODE, { status: 'USED', usableHere: false, usedAt: '2026-11-22T03:00:00.000Z', usedStoreName: '北京三里屯店' }) });
    await mount(VoucherPage);
    await type('voucher-desk__code', CODE);
    await click('查询');
    await waitForText('已于 2026-11-22 11:00 在北京三里屯店使用'); // absolute on purpose: 03:00 UTC as Beijing time
    expect(text()).not.toContain('确认核销');
    api.on('Voucher', { voucher: voucher(CODE, { usableHere: false }) });
    await click('查询');
    await waitForText('该券不能在本门店使用或已过期');
    expect(text()).not.toContain('确认核销');
  });

  it.each(['VOUCHER_INVALID', 'VOUCHER_USED', 'VOUCHER_EXPIRED', 'VOUCHER_WRONG_STORE'] as const)('shows %s in Chinese', async (code) => {
    signIn(carolViewer);
    api.on('Voucher', { voucher: voucher(CODE) });
    api.on('UseVoucher', fail(code));
    await mount(VoucherPage);
    await type('voucher-desk__code', CODE);
    await click('查询');
    await waitForText('门店咖啡一杯');
    await click('确认核销');
    await waitForText(errorMessageZh[code]);
    expect(text()).not.toContain('已核销');
  });

  it('shows a lookup failure in Chinese', async () => {
    signIn(carolViewer);
    api.on('Voucher', fail('VOUCHER_WRONG_STORE'));
    await mount(VoucherPage);
    await type('voucher-desk__code', CODE);
    await click('查询');
    await waitForText(errorMessageZh.VOUCHER_WRONG_STORE);
  });
});
