import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import InboxPage from '../src/member/inbox';
import ProfilePage from '../src/pages/profile';
import CardPage from '../src/pages/card';
import { aliceMe } from './fixtures';
import { $, api, click, fail, mount, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

// One fixed reference for the fixtures (a display case: the page only prints these times).
const NOW = Date.parse('2030-06-10T06:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3600_000;

const notice = (over: Record<string, unknown> = {}) => ({
  id: '9',
  kind: 'CAMPAIGN',
  title: '周末双倍积分',
  body: '本周六、日到店消费积分翻倍',
  page: null,
  createdAt: iso(NOW),
  readAt: null,
  ...over,
});

const inbox = (items: ReturnType<typeof notice>[], unread = items.filter((n) => !n.readAt).length) => ({ myNotifications: items, myUnreadNotificationCount: unread });

describe('message inbox (消息)', () => {
  it('订阅优惠提醒 asks WeChat for the CAMPAIGN_OFFER subscribe message in the tap and records the acceptance', async () => {
    const taro = Taro as unknown as { requestSubscribeMessage: unknown };
    const original = taro.requestSubscribeMessage;
    try {
      const ask = jest.fn().mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', 'T-OFFER': 'accept' });
      taro.requestSubscribeMessage = ask;
      signIn();
      api.on('SubscribeTemplates', { subscribeTemplates: [{ kind: 'EVENT_REMINDER', templateId: 'T-REM' }, { kind: 'CAMPAIGN_OFFER', templateId: 'T-OFFER' }] });
      api.on('RecordSubscribeConsent', { recordSubscribeConsent: [{ templateId: 'T-OFFER', remaining: 1 }] });
      api.on('MyNotifications', inbox([notice()]));
      await mount(InboxPage);
      await waitForText('周末双倍积分');
      await click('订阅优惠提醒 ›');
      await waitForText('已订阅：下一份专属优惠将通过微信通知您');
      expect(ask).toHaveBeenCalledWith({ tmplIds: ['T-OFFER'] });
      expect(api.callsOf('RecordSubscribeConsent')[0]?.variables).toEqual({ templateIds: ['T-OFFER'] });
    } finally {
      taro.requestSubscribeMessage = original;
    }
  });

  it('a refused subscribe dialog records nothing and says so', async () => {
    const taro = Taro as unknown as { requestSubscribeMessage: unknown };
    const original = taro.requestSubscribeMessage;
    try {
      taro.requestSubscribeMessage = jest.fn().mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', 'T-OFFER': 'reject' });
      signIn();
      api.on('SubscribeTemplates', { subscribeTemplates: [{ kind: 'CAMPAIGN_OFFER', templateId: 'T-OFFER' }] });
      api.on('MyNotifications', inbox([notice()]));
      await mount(InboxPage);
      await waitForText('周末双倍积分');
      await click('订阅优惠提醒 ›');
      await waitForText('未订阅（可在微信设置中开启）');
      expect(api.callsOf('RecordSubscribeConsent')).toHaveLength(0);
    } finally {
      taro.requestSubscribeMessage = original;
    }
  });

  it('lists the notices newest first with Beijing time, unread ones marked', async () => {
    signIn();
    api.on('MyNotifications', inbox([
      notice(),
      notice({ id: '8', kind: 'EVENT_CANCELLED', title: '活动已取消', body: '周日骑行因天气取消', page: 'pages/event/index?id=7', createdAt: iso(NOW - 26 * HOUR), readAt: iso(NOW - HOUR) }),
    ]));
    await mount(InboxPage);
    await waitForText('周末双倍积分');
    expect(text()).toContain('1 条未读');
    expect(text()).toContain('本周六、日到店消费积分翻倍');
    expect(text()).toContain('2030-06-10 14:00'); // 06:00 UTC = 14:00 Beijing
    expect(text()).toContain('2030-06-09 12:00');
    expect(text().indexOf('周末双倍积分')).toBeLessThan(text().indexOf('活动已取消'));
    const items = Array.from(document.querySelectorAll('.inbox__item'));
    expect(items.map((e) => e.classList.contains('inbox__item--unread'))).toEqual([true, false]);
    expect(api.callsOf('MyNotifications')[0]!.variables).toEqual({ first: 20 });
  });

  it('shows 暂无消息 when there is nothing', async () => {
    signIn();
    api.on('MyNotifications', inbox([]));
    await mount(InboxPage);
    await waitForText('暂无消息');
  });

  it('asks to sign in when signed out', async () => {
    await mount(InboxPage);
    await waitForText('请先登录');
    expect(api.callsOf('MyNotifications')).toHaveLength(0);
  });

  it('shows an error in Chinese', async () => {
    signIn();
    api.on('MyNotifications', fail('RATE_LIMITED'));
    await mount(InboxPage);
    await waitForText(errorMessageZh.RATE_LIMITED);
  });

  it('a tap marks an unread notice read and opens its page', async () => {
    signIn();
    api.on('MyNotifications', inbox([notice({ page: 'pages/event/index?id=7' })]));
    api.on('MarkNotificationRead', (v: { id: string }) => ({ markNotificationRead: { id: v.id, readAt: iso(NOW) } }));
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    await mount(InboxPage);
    await waitForText('周末双倍积分');
    await click('周末双倍积分');
    expect(api.callsOf('MarkNotificationRead').map((c) => c.variables)).toEqual([{ id: '9' }]);
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/event/index?id=7' });
    expect($('.inbox__item').classList.contains('inbox__item--unread')).toBe(false);
    expect(text()).toContain('全部已读');
    // A second tap does not mark it again; a notice without a page only marks.
    await click('周末双倍积分');
    expect(api.callsOf('MarkNotificationRead')).toHaveLength(1);
    expect(navigateTo).toHaveBeenCalledTimes(2);
  });

  it('a link to a tab page switches tab; a notice without a page only marks read', async () => {
    signIn();
    api.on('MyNotifications', inbox([notice({ page: 'pages/points/index' }), notice({ id: '7', title: '俱乐部公告', page: null })]));
    api.on('MarkNotificationRead', (v: { id: string }) => ({ markNotificationRead: { id: v.id, readAt: iso(NOW) } }));
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    const switchTab = jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' } as never);
    await mount(InboxPage);
    await waitForText('俱乐部公告');
    await click('周末双倍积分');
    expect(switchTab).toHaveBeenCalledWith({ url: '/pages/points/index' });
    await click('俱乐部公告');
    expect(api.callsOf('MarkNotificationRead').map((c) => c.variables)).toEqual([{ id: '9' }, { id: '7' }]);
    expect(navigateTo).not.toHaveBeenCalled();
  });

  it('a failed mark-read shows the error in Chinese and does not navigate', async () => {
    signIn();
    api.on('MyNotifications', inbox([notice({ page: 'pages/event/index?id=7' })]));
    api.on('MarkNotificationRead', fail('NOT_FOUND'));
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    await mount(InboxPage);
    await waitForText('周末双倍积分');
    await click('周末双倍积分');
    await waitForText(errorMessageZh.NOT_FOUND);
    expect(navigateTo).not.toHaveBeenCalled();
  });

  it('offers more when a full page came back', async () => {
    signIn();
    api.on('MyNotifications', (v: { first: number }) => inbox(Array.from({ length: v.first }, (_, i) => notice({ id: String(100 - i), title: `消息 ${i}` }))));
    await mount(InboxPage);
    await waitForText('加载更多');
    await click('加载更多');
    await waitForText('消息 39');
    expect(api.callsOf('MyNotifications').map((c) => c.variables)).toEqual([{ first: 20 }, { first: 40 }]);
  });
});

describe('消息 on 我的', () => {
  it('shows the unread count and opens the inbox', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('MyUnreadNotificationCount', { myUnreadNotificationCount: 3 });
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    await mount(ProfilePage);
    await waitForText('3 条未读');
    await click('消息');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/member/inbox/index' });
  });

  it('shows no badge when all are read', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('MyUnreadNotificationCount', { myUnreadNotificationCount: 0 });
    await mount(ProfilePage);
    await waitForText('消息');
    expect($('.profile__inbox').textContent).toBe('消息›');
  });
});

describe('消息 on the card page', () => {
  it('shows the unread count only when there is something unread, and opens the inbox', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('MyUnreadNotificationCount', { myUnreadNotificationCount: 2 });
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    await mount(CardPage);
    await waitForText('你有 2 条未读消息');
    await click('你有 2 条未读消息');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/member/inbox/index' });
  });

  it('shows nothing when all are read', async () => {
    signIn();
    api.on('Me', aliceMe);
    api.on('MyUnreadNotificationCount', { myUnreadNotificationCount: 0 });
    await mount(CardPage);
    await waitForText('10000042');
    expect(text()).not.toContain('未读消息');
  });
});
