import Taro from '@tarojs/taro';
import { couponExpiresAt, errorMessageZh, voucherCheckChar } from '@quanzi/shared';
import type { Coupon } from '../src/state/coupons';
import CouponsPage from '../src/rewards/coupons';
import { clock } from '../src/utils/clock';
import { $, api, click, fail, firePage, mount, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

/** Monday 2 March 2026, 10:00 in Beijing: the wallet's "N 天后到期" counts calendar days from here. */
const NOW = new Date('2026-03-02T02:00:00.000Z');
const BODY = 'HLCN2E6VRVJ';
const CODE = BODY + voucherCheckChar(BODY);

function coupon(over: Partial<Coupon> = {}): Coupon {
  return {
    id: '1',
    templateId: '7',
    kind: 'PERCENT_OFF',
    name: '新人 85 折',
    description: '',
    amountOffFen: null,
    percentOff: 15,
    giftName: null,
    minSpendFen: 0,
    code: CODE.replace(/(.{4})(?=.)/g, '$1 '),
    qrPayload: CODE,
    state: 'VALID',
    source: 'WELCOME',
    points: 0,
    issuedAt: NOW.toISOString(),
    validFrom: null,
    expiresAt: couponExpiresAt(NOW, 3).toISOString(),
    expiresInDays: 2,
    expiryLabel: '2 天后到期',
    usedAt: null,
    usedStoreName: null,
    discountFen: null,
    ...over,
  };
}

let navigateTo: jest.SpyInstance;
beforeEach(() => {
  clock.set(NOW);
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
});
afterEach(() => {
  clock.reset();
  jest.restoreAllMocks();
  resetAll();
});

describe('我的优惠券', () => {
  it('asks to sign in when signed out, and shows API errors in Chinese', async () => {
    await mount(CouponsPage);
    expect(text()).toContain('登录后查看你的优惠券');
    resetAll();
    signIn();
    api.on('MyCoupons', fail('INTERNAL'));
    await mount(CouponsPage);
    await waitForText(errorMessageZh.INTERNAL);
  });

  it('has an empty state that leads to the mall', async () => {
    signIn();
    api.on('MyCoupons', { myCoupons: [] });
    await mount(CouponsPage);
    await waitForText('还没有优惠券');
    await click('去积分商城');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/rewards/mall/index' });
  });

  it('lists valid coupons with "N 天后到期" and the rest as used or expired; a valid one opens its QR and code', async () => {
    signIn();
    api.on('MyCoupons', (v: Record<string, unknown>) => {
      expect(v).toEqual({ state: null, first: 100 });
      return {
        myCoupons: [
          coupon(),
          coupon({ id: '2', kind: 'AMOUNT_OFF', name: '满100减20', percentOff: null, amountOffFen: 2000, minSpendFen: 10_000, source: 'POINTS', points: 300, expiresAt: couponExpiresAt(NOW, 1).toISOString() }),
          coupon({ id: '3', kind: 'GIFT', name: '赠饮', percentOff: null, giftName: '美式咖啡', state: 'UPCOMING', validFrom: '2026-03-05T16:00:00.000Z', expiresAt: '2026-03-20T16:00:00.000Z' }),
          coupon({ id: '4', state: 'USED', usedAt: '2026-02-20T03:00:00.000Z', usedStoreName: '北京国贸店', discountFen: 1500 }),
          coupon({ id: '5', state: 'EXPIRED', expiresAt: '2026-02-01T16:00:00.000Z' }),
        ],
      };
    });
    await mount(CouponsPage);
    await waitForText('新人 85 折');
    const cards = Array.from(document.querySelectorAll('.coupon')).map((c) => c.textContent ?? '');
    expect(cards[0]).toContain('8.5 折');
    expect(cards[0]).toContain('无门槛');
    expect(cards[0]).toContain('新人礼');
    expect(cards[0]).toContain('2 天后到期');
    expect(cards[1]).toContain('¥20');
    expect(cards[1]).toContain('满 ¥100 可用');
    expect(cards[1]).toContain('积分兑换 · 300 积分');
    expect(cards[1]).toContain('今天到期');
    expect(cards[2]).toContain('赠 美式咖啡');
    expect(cards[2]).toContain('2026年3月6日 起可用');
    expect(cards[2]).toContain('未开始');
    expect(text()).toContain('已使用 / 已过期');
    expect(cards[3]).toContain('北京国贸店使用，优惠 ¥15');
    expect(cards[3]).not.toContain('到期');
    expect(cards[4]).toContain('已过期');
    // No QR until a valid coupon is opened; then its code as QR (the bare code) and in text.
    expect(document.querySelector('.coupon__qr')).toBeNull();
    await click('去使用');
    const qr = $('.coupon__qr');
    expect(qr.getAttribute('data-code')).toBe(CODE);
    expect(qr.getAttribute('src')).toMatch(/^data:image\/gif;base64,/);
    expect(text()).toContain(coupon().code);
    expect(text()).toContain('有效期至');
    await click('收起');
    expect(document.querySelector('.coupon__qr')).toBeNull();
  });

  it('counts the days by the clock: on day 3 the coupon lapses today', async () => {
    clock.set(NOW.getTime() + 2 * 86_400_000 + 13 * 3_600_000);
    signIn();
    api.on('MyCoupons', { myCoupons: [coupon()] });
    await mount(CouponsPage);
    await waitForText('今天到期');
  });

  it('pull-to-refresh reloads', async () => {
    signIn();
    api.on('MyCoupons', { myCoupons: [coupon()] });
    await mount(CouponsPage);
    await waitForText('新人 85 折');
    await firePage('onPullDownRefresh');
    expect(api.callsOf('MyCoupons')).toHaveLength(2);
  });
});
