import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import DiscoverPage from '../src/pages/club/discover';
import MyEventsPage from '../src/pages/event/mine';
import { tierFits } from '../src/state/club';
import { aliceMe } from './fixtures';
import { ACTIVE_MEMBER, clubSummary, GOLD, rsvp, SILVER } from './club-fixtures';
import { $, api, click, fail, mount, OFFLINE, pending, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

const clubs = {
  clubs: [
    clubSummary({ id: '1', name: '国贸咖啡俱乐部', theme: '咖啡', memberCount: 30, myMembership: ACTIVE_MEMBER }),
    clubSummary({ id: '2', name: '银卡跑团', theme: '跑步', joinPolicy: 'TIER_MIN', minTier: SILVER, memberCount: 20 }),
    clubSummary({ id: '3', name: '金卡品酒会', theme: '美酒', joinPolicy: 'TIER_MIN', minTier: GOLD, memberCount: 8, store: null }),
    clubSummary({ id: '4', name: '三里屯咖啡角', theme: '咖啡', joinPolicy: 'APPROVAL', memberCount: 5, myMembership: { ...ACTIVE_MEMBER, clubId: '4', status: 'PENDING' } }),
  ],
};

describe('tierFits', () => {
  it('compares the member tier rank with the minimum', () => {
    expect(tierFits(null, 1)).toBeNull();
    expect(tierFits(SILVER, 1)).toBe(true);
    expect(tierFits(GOLD, 1)).toBe(false);
    expect(tierFits(GOLD, null)).toBeNull();
  });
});

describe('discover clubs (pages/club/discover)', () => {
  it('asks to sign in when signed out', async () => {
    await mount(DiscoverPage);
    expect(text()).toContain('请先登录');
  });

  it('shows loading', async () => {
    signIn();
    api.on('Clubs', () => pending());
    api.on('Me', () => pending());
    await mount(DiscoverPage);
    expect(text()).toContain('加载中');
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('Clubs', OFFLINE);
    api.on('Me', OFFLINE);
    await mount(DiscoverPage);
    await waitForText('网络连接失败');
  });

  it('has an empty state', async () => {
    signIn();
    api.on('Clubs', { clubs: [] });
    api.on('Me', aliceMe);
    await mount(DiscoverPage);
    await waitForText('暂时没有圈子');
  });

  it('lists clubs with the tier marker for the member (silver)', async () => {
    signIn();
    api.on('Clubs', clubs);
    api.on('Me', aliceMe);
    await mount(DiscoverPage);
    await waitForText('国贸咖啡俱乐部');
    expect(api.callsOf('Clubs')[0]?.variables).toEqual({ first: 50, mine: false });
    const rows = Array.from(document.querySelectorAll('.discover__club')).map((r) => r.textContent ?? '');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('已加入');
    expect(rows[0]).toContain('30 位成员 · 北京国贸店');
    expect(rows[1]).toContain('适合你的等级');
    expect(rows[2]).not.toContain('适合你的等级');
    expect(rows[2]).toContain('需金卡');
    expect(rows[3]).toContain('审核中');
    expect(rows[3]).toContain('需审核');
  });

  it('filters by theme and by my clubs', async () => {
    signIn();
    api.on('Clubs', (v: { mine?: boolean }) => (v.mine ? { clubs: [clubs.clubs[0]] } : clubs));
    api.on('Me', aliceMe);
    await mount(DiscoverPage);
    await waitForText('国贸咖啡俱乐部');
    await click('咖啡');
    expect(document.querySelectorAll('.discover__club')).toHaveLength(2);
    expect(text()).not.toContain('银卡跑团');
    await click('跑步');
    expect(document.querySelectorAll('.discover__club')).toHaveLength(1);
    await click('我加入的');
    await waitForText('国贸咖啡俱乐部');
    expect(api.callsOf('Clubs').at(-1)?.variables).toEqual({ first: 50, mine: true });
    expect(document.querySelectorAll('.discover__club')).toHaveLength(1);
    expect(text()).toContain('美酒');
  });

  it('opens a club and my events', async () => {
    signIn();
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('Clubs', clubs);
    api.on('Me', aliceMe);
    await mount(DiscoverPage);
    await waitForText('银卡跑团');
    await click($('.discover__club'));
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/club/index?id=1' });
    await click('我的活动 ›');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/event/mine/index' });
  });
});

describe('my events (pages/event/mine)', () => {
  // startsAt/checkedInAt: absolute on purpose — display cases; the page lists what the API returns, prints the times
  // in Beijing time and compares them with nothing (which events are upcoming is the API's decision).
  const mine = {
    myRsvps: [
      { ...rsvp({ pointsPaid: 50 }), event: { id: 'e1', title: '手冲咖啡入门', startsAt: '2026-12-01T11:30:00.000Z', address: '国贸店二楼', status: 'PUBLISHED' as const, club: { id: '1', name: '国贸咖啡俱乐部' } } },
      { ...rsvp({ id: 'r2', eventId: 'e2', status: 'WAITLISTED', waitlistPosition: 2 }), event: { id: 'e2', title: '夜跑', startsAt: '2026-12-02T11:30:00.000Z', address: '朝阳公园', status: 'PUBLISHED' as const, club: { id: '2', name: '银卡跑团' } } },
    ],
    myAttendance: [{ id: 'a1', eventId: 'e0', eventTitle: '拉花体验', clubName: '国贸咖啡俱乐部', checkedInAt: '2026-11-15T11:35:00.000Z', pointsAwarded: 20, walkIn: false }],
  };

  it('asks to sign in when signed out', async () => {
    await mount(MyEventsPage);
    expect(text()).toContain('登录后查看你报名的活动');
  });

  it('shows loading', async () => {
    signIn();
    api.on('MyClubEvents', () => pending());
    await mount(MyEventsPage);
    expect(text()).toContain('加载中');
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('MyClubEvents', fail('INTERNAL'));
    await mount(MyEventsPage);
    await waitForText(errorMessageZh.INTERNAL);
  });

  it('has an empty state that leads to discovering clubs', async () => {
    signIn();
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('MyClubEvents', { myRsvps: [], myAttendance: [] });
    await mount(MyEventsPage);
    await waitForText('还没有报名活动');
    await click('发现圈子');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/club/discover/index' });
  });

  it('lists RSVPs (seat, waitlist place) and attendance', async () => {
    signIn();
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('MyClubEvents', mine);
    await mount(MyEventsPage);
    await waitForText('手冲咖啡入门');
    const rows = Array.from(document.querySelectorAll('.my-events__rsvp')).map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('已报名 · 已付 50 积分');
    expect(rows[0]).toContain('国贸咖啡俱乐部 · 2026-12-01 19:30'); // absolute on purpose: 11:30 UTC as Beijing time
    expect(rows[1]).toContain('候补第 2 位');
    expect($('.my-events__attended').textContent).toContain('签到于 2026-11-15 19:35'); // absolute on purpose: Beijing time
    expect($('.my-events__attended').textContent).toContain('+20 积分');
    await click($('.my-events__rsvp'));
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/event/index?id=e1' });
  });
});
