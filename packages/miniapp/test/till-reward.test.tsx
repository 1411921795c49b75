import { act } from 'react';
import { errorMessageZh } from '@quanzi/shared';
import TillRewardPage from '../src/staff/reward';
import { tillMember } from '../src/state/till';
import { clock } from '../src/utils/clock';
import { carolViewer } from './fixtures';
import { api, click, fail, mount, resetAll, signIn, text, type, waitForText } from './harness';
import { redemption, reward } from './reward-fixtures';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

const member = { memberNo: '10000042', phone: '138****5678', tierName: '金卡', tierMultiplierPct: 150, points: 1500, tillTicket: 'ticket-1' };
const LATTE = reward({ id: 'r2', kind: 'OWN_PRODUCT', name: '拿铁咖啡', pointsPrice: 300, brand: null, brandName: null, faceValueFen: null, partner: null });
const BIG = reward({ id: 'r3', kind: 'OWN_PRODUCT', name: '咖啡机', pointsPrice: 1200, needsOtp: true, brand: null, brandName: null, faceValueFen: null, partner: null });
const SOLD_OUT = reward({ id: 'r4', kind: 'COUPON', name: '满100减20', pointsPrice: 100, stock: 0, inStock: false });
const TOO_DEAR = reward({ id: 'r5', kind: 'OWN_PRODUCT', name: '自行车', pointsPrice: 9000 });

function scanned() {
  signIn(carolViewer);
  act(() => tillMember.set({ code: 'QZ1.10000042.654321', storeId: '11', member, scannedAt: clock.ms() }));
  api.on('Rewards', { rewards: [LATTE, BIG, SOLD_OUT, TOO_DEAR] });
}

const done = (over: Parameters<typeof redemption>[0] = {}, balance = 1200) => ({
  redeemRewardAtTill: {
    redemption: { ...redemption({ id: 'd9', rewardId: 'r2', rewardName: '拿铁咖啡', kind: 'OWN_PRODUCT', status: 'ISSUED', points: 300, target: null, voucherCode: 'ABCD EFGH JKLM', ...over }), storeName: '北京国贸店' },
    replayed: false,
    balance,
    memberNo: '10000042',
  },
});

describe('redeem a reward at the till (staff)', () => {
  it('asks to scan a member first', async () => {
    signIn(carolViewer);
    await mount(TillRewardPage);
    expect(text()).toContain('还没有识别会员');
  });

  it('lists the catalogue for the member: sold-out and unaffordable rewards cannot be picked', async () => {
    scanned();
    await mount(TillRewardPage);
    await waitForText('拿铁咖啡');
    expect(text()).toContain('已兑完');
    expect(text()).toContain('积分不足，还差 7500');
    await click('自行车');
    expect(text()).not.toContain('请与会员确认兑换');
  });

  it('confirms, redeems for the scanned member at this till and shows the voucher code and new balance', async () => {
    scanned();
    api.on('RedeemRewardAtTill', done());
    await mount(TillRewardPage);
    await waitForText('拿铁咖啡');
    await click('拿铁咖啡');
    await waitForText('请与会员确认兑换');
    expect(text()).toContain('兑换后剩余 1200 积分');
    expect(api.callsOf('RedeemRewardAtTill')).toHaveLength(0);
    await click('确认兑换');
    await waitForText('已为会员 10000042 兑换「拿铁咖啡」');
    expect(text()).toContain('ABCD EFGH JKLM');
    expect(text()).toContain('剩余 1200 积分');
    const input = api.callsOf('RedeemRewardAtTill')[0]?.variables?.input as Record<string, unknown>;
    expect(input).toMatchObject({ tillTicket: 'ticket-1', storeId: '11', rewardId: 'r2', target: null, otp: null });
    expect(String(input.idempotencyKey)).toMatch(/^till-reward-/);
    expect(tillMember.get()?.member.points).toBe(1200);
  });

  it('a high-value reward: sends the code to the member’s phone, then resubmits the same confirmation with it', async () => {
    scanned();
    api.on('RedeemRewardAtTill', (v: Record<string, unknown>) => {
      const otp = (v.input as { otp: string | null }).otp;
      if (!otp) return fail('OTP_REQUIRED');
      if (otp === '111111') return fail('OTP_INVALID');
      return done({ rewardId: 'r3', rewardName: '咖啡机', points: 1200 }, 300);
    });
    api.on('RequestTillRewardOtp', { requestTillRewardOtp: { sentTo: '138****5678', expiresAt: new Date(clock.ms() + 300_000).toISOString(), resendAfterSeconds: 60 } });
    await mount(TillRewardPage);
    await waitForText('咖啡机');
    await click('咖啡机');
    expect(text()).toContain('需会员手机验证码');
    await click('确认兑换');
    await waitForText('验证码已发送至会员手机 138****5678');
    expect(api.callsOf('RequestTillRewardOtp')[0]?.variables?.input).toEqual({ tillTicket: 'ticket-1', storeId: '11', rewardId: 'r3', target: null });
    await type('till-reward__otp', '111111');
    await click('确认兑换');
    await waitForText(errorMessageZh.OTP_INVALID);
    await type('till-reward__otp', '246810');
    await click('确认兑换');
    await waitForText('已为会员 10000042 兑换「咖啡机」');
    const keys = api.callsOf('RedeemRewardAtTill').map((c) => (c.variables?.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it.each(['OUT_OF_STOCK', 'TIER_REQUIRED', 'LIMIT_REACHED', 'CODE_REUSED', 'FORBIDDEN'])('shows %s from the API in Chinese and stays on the confirmation', async (code) => {
    scanned();
    api.on('RedeemRewardAtTill', fail(code));
    await mount(TillRewardPage);
    await waitForText('拿铁咖啡');
    await click('拿铁咖啡');
    await click('确认兑换');
    await waitForText(errorMessageZh[code as keyof typeof errorMessageZh]);
    expect(text()).toContain('请与会员确认兑换');
    expect(tillMember.get()?.member.points).toBe(1500);
  });

  it('a top-up number that is not a mainland mobile is refused before asking the API', async () => {
    scanned();
    api.on('Rewards', { rewards: [reward({ pointsPrice: 800 })] });
    await mount(TillRewardPage);
    await waitForText('移动话费 ¥30');
    await type('till-reward__target', '12345');
    await click('移动话费 ¥30');
    await waitForText(errorMessageZh.TARGET_INVALID);
    expect(api.callsOf('RedeemRewardAtTill')).toHaveLength(0);
  });
});
