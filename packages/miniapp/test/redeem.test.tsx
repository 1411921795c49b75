import { act } from 'react';
import { errorMessageZh } from '@quanzi/shared';
import RedeemPage from '../src/staff/redeem';
import { tillMember } from '../src/state/till';
import { carolViewer } from './fixtures';
import { api, click, fail, mount, resetAll, signIn, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(resetAll);

const CODE = 'QZ1.10000042.654321';
const member = { memberNo: '10000042', phone: '138****5678', tierName: '金卡', tierMultiplierPct: 150, points: 300, tillTicket: 'ticket-1' };

function scanned() {
  signIn(carolViewer);
  act(() => tillMember.set({ code: CODE, storeId: '11', member, scannedAt: Date.now() }));
}

describe('deduct points page (staff)', () => {
  it('asks to scan a member first', async () => {
    signIn(carolViewer);
    await mount(RedeemPage);
    expect(text()).toContain('还没有识别会员');
  });

  it('shows the member and the form', async () => {
    scanned();
    await mount(RedeemPage);
    expect(text()).toContain('会员号 10000042');
    expect(text()).toContain('确认扣减');
  });

  it('refuses more points than the member has before asking the API', async () => {
    scanned();
    await mount(RedeemPage);
    await type('redeem__points', '500');
    await click('确认扣减');
    await waitForText(errorMessageZh.INSUFFICIENT_POINTS);
    expect(api.callsOf('RedeemPoints')).toHaveLength(0);
  });

  it('rejects a non-number', async () => {
    scanned();
    await mount(RedeemPage);
    await type('redeem__points', 'abc');
    await click('确认扣减');
    await waitForText(errorMessageZh.BAD_USER_INPUT);
  });

  it('deducts and shows the new balance', async () => {
    scanned();
    api.on('RedeemPoints', { redeemPoints: { id: '77', memberNo: '10000042', points: 120, balance: 180 } });
    await mount(RedeemPage);
    await type('redeem__points', '120');
    await type('redeem__reason', '兑换购物袋');
    await click('确认扣减');
    await waitForText('已扣减 120 积分');
    expect(text()).toContain('剩余积分 180');
    expect(api.callsOf('RedeemPoints')[0]?.variables?.input).toMatchObject({ tillTicket: 'ticket-1', storeId: '11', points: 120, reason: '兑换购物袋' });
    expect(tillMember.get()?.member.points).toBe(180);
  });

  it('shows the server refusal in Chinese', async () => {
    scanned();
    api.on('RedeemPoints', fail('INSUFFICIENT_POINTS'));
    await mount(RedeemPage);
    await type('redeem__points', '100');
    await click('确认扣减');
    await waitForText(errorMessageZh.INSUFFICIENT_POINTS);
  });
});
