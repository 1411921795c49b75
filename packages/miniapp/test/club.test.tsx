import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import ClubPage from '../src/pages/club';
import { ACTIVE_MEMBER, clubDetail, ORGANIZER_MEMBERSHIP } from './club-fixtures';
import { aliceMe, bobMe } from './fixtures';
import { $, api, byText, click, flush, fail, firePage, mount, OFFLINE, openWith, pending, resetAll, signIn, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('club page (pages/club/index?id=)', () => {
  it('is where the notification links point: pages/club/index and pages/event/index are pages of the app', () => {
    (global as unknown as { defineAppConfig: (c: unknown) => unknown }).defineAppConfig = (c) => c;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const app = require('../src/app.config').default as { pages: string[]; subPackages: { root: string; pages: string[] }[] };
    const all = [...app.pages, ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
    expect(all).toEqual(expect.arrayContaining(['pages/club/index', 'pages/event/index', 'pages/club/discover/index', 'pages/event/mine/index']));
    expect(app.subPackages.map((s) => s.root)).toEqual(expect.arrayContaining(['pages/club', 'pages/event', 'organizer']));
  });

  it('opens the club of ?id=1 (a notification link)', async () => {
    signIn();
    openWith({ id: '1' }, '/pages/club/index');
    api.on('Club', clubDetail());
    await mount(ClubPage);
    await waitForText('国贸咖啡俱乐部');
    expect(api.callsOf('Club')[0]?.variables).toEqual({ id: '1' });
  });

  it('asks to sign in when signed out', async () => {
    openWith({ id: '1' });
    await mount(ClubPage);
    expect(text()).toContain('请先登录');
  });

  it('shows loading', async () => {
    signIn();
    openWith({ id: '1' });
    api.on('Club', () => pending());
    await mount(ClubPage);
    expect(text()).toContain('加载中');
  });

  it('shows errors in Chinese and retries', async () => {
    signIn();
    openWith({ id: '1' });
    api.on('Club', fail('INTERNAL'));
    await mount(ClubPage);
    await waitForText(errorMessageZh.INTERNAL);
    api.on('Club', OFFLINE);
    await click('重试');
    await waitForText('网络连接失败');
  });

  it('a missing club says so, without a retry', async () => {
    signIn();
    openWith({ id: '404' });
    api.on('Club', fail('NOT_FOUND'));
    await mount(ClubPage);
    await waitForText('圈子不存在或已删除');
    expect(text()).not.toContain('重试');
    expect(text()).toContain('返回');
  });

  it('is empty without an id', async () => {
    signIn();
    openWith({});
    await mount(ClubPage);
    expect(text()).toContain('找不到这个圈子');
  });

  it('shows member count, events and join for a non-member (no announcements)', async () => {
    signIn();
    openWith({ id: '1' });
    api.on('Club', clubDetail({ memberCap: 30 }));
    await mount(ClubPage);
    await waitForText('成员 12 / 30');
    expect(text()).toContain('手冲咖啡入门');
    expect(text()).toContain('剩余 3 个名额');
    expect(text()).toContain('报名消耗 50 积分');
    expect(text()).toContain('加入圈子');
    expect(text()).not.toContain('周六改到二楼');
    expect(text()).not.toContain('组织者工具');
  });

  it('joins an OPEN club and shows the announcements', async () => {
    signIn();
    openWith({ id: '1' });
    let joined = false;
    api.on('Club', () => clubDetail({ myMembership: joined ? ACTIVE_MEMBER : null, memberCount: joined ? 13 : 12 }));
    api.on('JoinClub', () => {
      joined = true;
      return { joinClub: ACTIVE_MEMBER };
    });
    await mount(ClubPage);
    await waitForText('加入圈子');
    await click('加入圈子');
    await waitForText('已加入');
    expect(api.callsOf('JoinClub')[0]?.variables).toEqual({ clubId: '1', inviteCode: null });
    expect(text()).toContain('成员 13 人');
    expect(text()).toContain('周六改到二楼');
    expect(text()).toContain('退出圈子');
  });

  it('sends the invitation code for an INVITE club and shows INVITE_INVALID in Chinese', async () => {
    signIn();
    openWith({ id: '1' });
    api.on('Club', clubDetail({ joinPolicy: 'INVITE' }));
    api.on('JoinClub', fail('INVITE_INVALID'));
    await mount(ClubPage);
    await waitForText('凭邀请码');
    await type('club-page__invite', ' ABC123 ');
    await click('加入圈子');
    await waitForText(errorMessageZh.INVITE_INVALID);
    expect(api.callsOf('JoinClub')[0]?.variables).toEqual({ clubId: '1', inviteCode: 'ABC123' });
  });

  it('applies to an APPROVAL club, shows PENDING and can withdraw', async () => {
    signIn();
    openWith({ id: '1' });
    let m: typeof ACTIVE_MEMBER | { clubId: string; role: 'MEMBER'; status: 'PENDING' | 'LEFT'; since: string } | null = null;
    api.on('Club', () => clubDetail({ joinPolicy: 'APPROVAL', myMembership: m }));
    api.on('JoinClub', () => {
      m = { ...ACTIVE_MEMBER, status: 'PENDING' };
      return { joinClub: m };
    });
    api.on('LeaveClub', () => {
      m = { ...ACTIVE_MEMBER, status: 'LEFT' };
      return { leaveClub: m };
    });
    await mount(ClubPage);
    await click('申请加入');
    await waitForText('申请已提交，等待组织者审核');
    await click('撤回申请');
    await waitForText('申请加入');
    expect(api.callsOf('LeaveClub')).toHaveLength(1);
  });

  it('shows TIER_REQUIRED and CLUB_FULL in Chinese', async () => {
    signIn();
    openWith({ id: '1' });
    api.on('Club', clubDetail({ joinPolicy: 'TIER_MIN', minTier: { code: 'GOLD', name: '金卡', rank: 2 } }));
    api.on('JoinClub', fail('TIER_REQUIRED'));
    await mount(ClubPage);
    await waitForText('金卡及以上');
    await click('加入圈子');
    await waitForText(errorMessageZh.TIER_REQUIRED);
    expect(text()).toContain('会员等级不足');
    api.on('JoinClub', fail('CLUB_FULL'));
    await click('加入圈子');
    await waitForText(errorMessageZh.CLUB_FULL);
  });

  it("a gold-only club shows the lock and the reason to a lower tier before any tap, with the button disabled", async () => {
    signIn();
    openWith({ id: '1' });
    api.on('Me', bobMe); // 普通会员, rank 0
    api.on('Club', clubDetail({ joinPolicy: 'TIER_MIN', minTier: { code: 'GOLD', name: '金卡', rank: 2 } }));
    api.on('JoinClub', fail('TIER_REQUIRED'));
    await mount(ClubPage);
    await waitForText('金卡及以上会员可加入');
    expect(document.querySelector('.club-page__locked .club-lock')).not.toBeNull();
    const join = byText('加入圈子').closest('taro-button-core, button, .nut-button') as HTMLElement;
    expect(join.className).toContain('disabled');
    await click('加入圈子');
    expect(api.callsOf('JoinClub')).toHaveLength(0);
    expect(text()).not.toContain(errorMessageZh.TIER_REQUIRED);
  });

  it('a member whose tier is high enough can join the gold-only club', async () => {
    signIn();
    openWith({ id: '1' });
    api.on('Me', { me: { ...aliceMe.me, tier: { ...aliceMe.me.tier, code: 'GOLD', name: '金卡', rank: 2 } } });
    api.on('Club', clubDetail({ joinPolicy: 'TIER_MIN', minTier: { code: 'GOLD', name: '金卡', rank: 2 } }));
    api.on('JoinClub', { joinClub: ACTIVE_MEMBER });
    await mount(ClubPage);
    await waitForText('金卡及以上');
    await flush(20);
    expect(text()).not.toContain('金卡及以上会员可加入');
    await click('加入圈子');
    expect(api.callsOf('JoinClub')).toHaveLength(1);
  });

  it('leaves after confirming', async () => {
    signIn();
    openWith({ id: '1' });
    let m: typeof ACTIVE_MEMBER | null = ACTIVE_MEMBER;
    const modal = jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' } as never);
    api.on('Club', () => clubDetail({ myMembership: m }));
    api.on('LeaveClub', () => {
      m = null;
      return { leaveClub: { ...ACTIVE_MEMBER, status: 'LEFT' } };
    });
    await mount(ClubPage);
    await click('退出圈子');
    await waitForText('加入圈子');
    expect(modal).toHaveBeenCalled();
    expect(api.callsOf('LeaveClub')[0]?.variables).toEqual({ clubId: '1' });
  });

  it('opens an event', async () => {
    signIn();
    openWith({ id: '1' });
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('Club', clubDetail());
    await mount(ClubPage);
    await waitForText('手冲咖啡入门');
    await click($('.club-event'));
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/event/index?id=e1' });
  });

  it('shows the organizer tools and the invitation code to organizers', async () => {
    signIn();
    openWith({ id: '1' });
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('Club', clubDetail({ joinPolicy: 'INVITE', inviteCode: 'K7Q2', myMembership: ORGANIZER_MEMBERSHIP }));
    await mount(ClubPage);
    await waitForText('组织者工具');
    expect(text()).toContain('邀请码：K7Q2');
    expect(text()).toContain('你是这个圈子的组织者');
    await click('发起活动');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/organizer/event-edit/index?clubId=1' });
    await click('入会审核');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/organizer/requests/index?clubId=1' });
    await click('发布公告');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/organizer/announce/index?clubId=1' });
  });

  it('pull-to-refresh reloads', async () => {
    signIn();
    openWith({ id: '1' });
    api.on('Club', clubDetail());
    await mount(ClubPage);
    await waitForText('国贸咖啡俱乐部');
    await firePage('onPullDownRefresh');
    expect(api.callsOf('Club')).toHaveLength(2);
  });
});
