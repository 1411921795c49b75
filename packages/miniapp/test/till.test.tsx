import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import TillPage from '../src/pages/till';
import { tillMember } from '../src/state/till';
import { carolViewer, GUOMAO, SANLITUN } from './fixtures';
import { api, click, fail, mount, MEMBER_VIEWER, pending, resetAll, signIn, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

const CODE = 'QZ1.10000042.123456';
const atTill = { memberByCode: { memberNo: '10000042', phone: '138****5678', tierName: '金卡', tierMultiplierPct: 150, points: 1280, tillTicket: 'ticket-1' } };

describe('till page (staff)', () => {
  it('asks to sign in when signed out', async () => {
    await mount(TillPage);
    expect(text()).toContain('请先登录');
  });

  it('is forbidden to members who are not staff', async () => {
    signIn(MEMBER_VIEWER);
    await mount(TillPage);
    expect(text()).toContain(errorMessageZh.FORBIDDEN);
    expect(text()).not.toContain('识别会员');
  });

  it('shows the store and the ways to identify a member', async () => {
    signIn(carolViewer);
    await mount(TillPage);
    expect(text()).toContain('北京国贸店');
    expect(text()).toContain('扫描会员码');
    expect(text()).toContain('请顾客打开会员卡');
    expect(text()).toContain('收银台'); // staff tab shown
  });

  it('looks up a typed member code and shows the member (masked phone, tier, points)', async () => {
    signIn(carolViewer);
    api.on('MemberByCode', atTill);
    await mount(TillPage);
    await type('till__input', CODE);
    await click('查询');
    await waitForText('会员号 10000042');
    expect(text()).toContain('138****5678');
    expect(text()).toContain('金卡');
    expect(text()).toContain('1280');
    expect(text()).toContain('×1.5');
    expect(text()).toContain('记录消费');
    expect(text()).toContain('扣减积分');
    expect(api.callsOf('MemberByCode')[0]?.variables).toEqual({ code: CODE, storeId: GUOMAO.id });
    expect(tillMember.get()?.code).toBe(CODE);
  });

  it('scans with the camera (wx.scanCode)', async () => {
    signIn(carolViewer);
    const scan = jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: CODE } as never);
    api.on('MemberByCode', atTill);
    await mount(TillPage);
    await click('扫描会员码');
    await waitForText('会员号 10000042');
    expect(scan).toHaveBeenCalledWith(expect.objectContaining({ scanType: ['qrCode'] }));
  });

  it('shows an expired code in Chinese', async () => {
    signIn(carolViewer);
    api.on('MemberByCode', fail('CODE_EXPIRED'));
    await mount(TillPage);
    await type('till__input', CODE);
    await click('查询');
    await waitForText(errorMessageZh.CODE_EXPIRED);
    expect(text()).not.toContain('记录消费');
  });

  it('asks for a code when the field is empty', async () => {
    signIn(carolViewer);
    await mount(TillPage);
    await click('查询');
    await waitForText(errorMessageZh.CODE_INVALID);
    expect(api.callsOf('MemberByCode')).toHaveLength(0);
  });

  it('shows the lookup in progress without losing the page', async () => {
    signIn(carolViewer);
    api.on('MemberByCode', () => pending());
    await mount(TillPage);
    await type('till__input', CODE);
    await click('查询');
    expect(text()).toContain('北京国贸店');
    expect(api.callsOf('MemberByCode')).toHaveLength(1);
  });

  it('offers to switch store when the user works at several', async () => {
    signIn({ ...carolViewer, staffStores: [GUOMAO, SANLITUN] });
    await mount(TillPage);
    expect(text()).toContain('切换门店');
  });
});
