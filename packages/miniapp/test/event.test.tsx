import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import EventPage from '../src/pages/event';
import { countdownText, pointsText } from '../src/state/club';
import { clock } from '../src/utils/clock';
import { eventDetail, HOUR, iso, managerViewer, ORGANIZER_MEMBERSHIP, rsvp } from './club-fixtures';
import { bobMe } from './fixtures';
import { $, api, byText, click, fail, flush, mount, openWith, pending, resetAll, signIn, text, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

let modal: jest.SpyInstance;
beforeEach(() => {
  // Paid RSVPs ask first (Taro.showModal); the member confirms unless a test says otherwise.
  modal = jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' } as never);
});
afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
});

describe('event helpers', () => {
  // Any instant will do: countdownText takes `now` explicitly, and every case below is relative to the start.
  const start = Date.parse('2026-12-01T11:30:00.000Z');
  const end = start + 2 * HOUR;
  it('counts down to the start', () => {
    expect(countdownText(iso(start), iso(end), start - (2 * 86400 + 3 * 3600 + 4 * 60 + 5) * 1000)).toBe('2天 03:04:05');
    expect(countdownText(iso(start), iso(end), start - 65_000)).toBe('00:01:05');
    expect(countdownText(iso(start), iso(end), start + 1)).toBe('进行中');
    expect(countdownText(iso(start), iso(end), end)).toBe('已结束');
  });
  it('describes the points', () => {
    expect(pointsText({ pointsCost: 0, pointsReward: 0 })).toBe('免费参加');
    expect(pointsText({ pointsCost: 50, pointsReward: 0 })).toBe('报名消耗 50 积分');
    expect(pointsText({ pointsCost: 0, pointsReward: 20 })).toBe('签到奖励 20 积分');
  });
});

describe('event page (pages/event/index?id=)', () => {
  it('opens the event of ?id= (a notification link)', async () => {
    signIn();
    openWith({ id: 'e1' }, '/pages/event/index');
    api.on('ClubEvent', eventDetail());
    await mount(EventPage);
    await waitForText('手冲咖啡入门');
    expect(api.callsOf('ClubEvent')[0]?.variables).toEqual({ id: 'e1' });
  });

  it('asks to sign in when signed out', async () => {
    openWith({ id: 'e1' });
    await mount(EventPage);
    expect(text()).toContain('请先登录');
    expect(text()).toContain('登录后查看活动并报名');
  });

  it('shows loading', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', () => pending());
    await mount(EventPage);
    expect(text()).toContain('加载中');
  });

  it('shows an error in Chinese, with a retry', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', fail('INTERNAL'));
    await mount(EventPage);
    await waitForText(errorMessageZh.INTERNAL);
    expect(text()).toContain('下拉或点击重试');
  });

  it('a missing event says so and offers the way back, not a retry that cannot help', async () => {
    signIn();
    openWith({ id: 'e404' });
    api.on('ClubEvent', fail('NOT_FOUND'));
    const navigateBack = jest.spyOn(Taro, 'navigateBack').mockResolvedValue({ errMsg: 'navigateBack:ok' } as never);
    jest.spyOn(Taro, 'getCurrentPages').mockReturnValue([{}, {}] as never);
    await mount(EventPage);
    await waitForText('活动不存在或已删除');
    expect(text()).not.toContain('重试');
    await click('返回');
    expect(navigateBack).toHaveBeenCalled();
  });

  it('is empty without an id', async () => {
    signIn();
    openWith({});
    await mount(EventPage);
    expect(text()).toContain('找不到这个活动');
  });

  it('shows the countdown, spots, waitlist, points and the RSVP deadline', async () => {
    // Deliberately absolute: the test freezes the clock here, so the deadline's wall time below is fixed text.
    clock.set(Date.parse('2026-11-29T09:30:00.000Z'));
    signIn();
    openWith({ id: 'e1' });
    // The event starts 50 h from the frozen now (2026-12-01 19:30 in Beijing); the deadline is 7.5 h before that.
    const e = eventDetail({ spotsLeft: 0, confirmedCount: 10, waitlistCount: 4, rsvpDeadline: iso(clock.ms() + 42.5 * HOUR) });
    api.on('ClubEvent', e);
    await mount(EventPage);
    await waitForText('距离开始');
    expect($('.club-countdown').textContent).toBe('2天 02:00:00');
    expect(text()).toContain('名额已满（共 10 人） · 候补 4 人');
    expect(text()).toContain('报名消耗 50 积分 · 签到奖励 20 积分');
    expect(text()).toContain('报名截止：2026-12-01 12:00');
    expect(text()).toContain('地点：国贸店二楼');
    expect(text()).toContain('加入候补');
    clock.set(clock.ms() + 2000);
    await flush(1100);
    expect($('.club-countdown').textContent).toBe('2天 01:59:58');
  });

  it('RSVPs (paying the cost) and shows the seat', async () => {
    signIn();
    openWith({ id: 'e1' });
    let mine: ReturnType<typeof rsvp> | null = null;
    api.on('ClubEvent', () => eventDetail({ myRsvp: mine, spotsLeft: mine ? 2 : 3 }));
    api.on('RsvpEvent', () => {
      mine = rsvp({ pointsPaid: 50 });
      return { rsvpEvent: mine };
    });
    await mount(EventPage);
    await waitForText('剩余名额 3 / 10');
    await click('报名（50 积分）');
    await waitForText('报名成功');
    expect(api.callsOf('RsvpEvent')[0]?.variables).toEqual({ eventId: 'e1' });
    await waitForText('已报名，记得准时到场签到');
    expect(text()).toContain('已支付 50 积分');
    expect(text()).toContain('剩余名额 2 / 10');
  });

  it('asks before spending points; cancelling the dialog spends nothing', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', eventDetail({ spotsLeft: 3 }));
    api.on('RsvpEvent', { rsvpEvent: rsvp({ pointsPaid: 50 }) });
    modal.mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' } as never);
    await mount(EventPage);
    await click('报名（50 积分）');
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ title: '确认报名', content: '报名将消耗 50 积分，确定吗？' }));
    await flush(20);
    expect(api.callsOf('RsvpEvent')).toHaveLength(0);
    expect(text()).not.toContain('报名成功');
    modal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' } as never);
    await click('报名（50 积分）');
    await waitForText('报名成功');
    expect(api.callsOf('RsvpEvent')).toHaveLength(1);
  });

  it('a free event RSVPs in one tap (nothing to confirm)', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', eventDetail({ pointsCost: 0 }));
    api.on('RsvpEvent', { rsvpEvent: rsvp({ pointsPaid: 0 }) });
    await mount(EventPage);
    await click('立即报名');
    await waitForText('报名成功');
    expect(modal).not.toHaveBeenCalled();
  });

  it('puts a full event on the waitlist and shows the position', async () => {
    signIn();
    openWith({ id: 'e1' });
    let mine: ReturnType<typeof rsvp> | null = null;
    api.on('ClubEvent', () => eventDetail({ myRsvp: mine, spotsLeft: 0, waitlistCount: mine ? 3 : 2 }));
    api.on('RsvpEvent', () => {
      mine = rsvp({ status: 'WAITLISTED', waitlistPosition: 3, pointsPaid: 50 });
      return { rsvpEvent: mine };
    });
    await mount(EventPage);
    await click('加入候补');
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ content: '加入候补将先扣除 50 积分，未获得名额会退回，确定吗？' }));
    await waitForText('已加入候补，第 3 位');
    await waitForText('候补中 · 第 3 位');
  });

  it('cancels an RSVP and reports the refund', async () => {
    signIn();
    openWith({ id: 'e1' });
    let mine: ReturnType<typeof rsvp> | null = rsvp({ pointsPaid: 50 });
    api.on('ClubEvent', () => eventDetail({ myRsvp: mine }));
    api.on('CancelRsvp', () => {
      mine = rsvp({ status: 'CANCELLED', pointsPaid: 50, pointsRefunded: 50 });
      return { cancelRsvp: mine };
    });
    await mount(EventPage);
    await click('取消报名');
    await waitForText('已取消报名，退回 50 积分');
    expect(api.callsOf('CancelRsvp')[0]?.variables).toEqual({ eventId: 'e1' });
    expect(text()).toContain('报名（50 积分）');
  });

  it('warns that a late cancel is not refunded', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', eventDetail({ myRsvp: rsvp({ pointsPaid: 50 }), refundCutoff: iso(Date.now() - HOUR) }));
    await mount(EventPage);
    await waitForText('已过退款截止时间，取消后积分不退还');
  });

  it('a gold-only event shows the lock and the reason to a lower tier before any tap, with the button disabled', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('Me', bobMe); // 普通会员, rank 0
    api.on('ClubEvent', eventDetail({ minTier: { code: 'GOLD', name: '金卡', rank: 2 } }));
    api.on('RsvpEvent', fail('TIER_REQUIRED'));
    await mount(EventPage);
    await waitForText('金卡及以上会员可报名');
    expect($('.event-page__locked .club-lock')).not.toBeNull();
    const join = byText('报名（50 积分）').closest('taro-button-core, button, .nut-button') as HTMLElement;
    expect(join.className).toContain('disabled');
    await click('报名（50 积分）');
    expect(api.callsOf('RsvpEvent')).toHaveLength(0);
    expect(Taro.showModal).not.toHaveBeenCalled();
    expect(text()).toContain('查看如何升级');
  });

  it('a member at the tier RSVPs the gold-only event; a refusal the page could not foresee is still shown in Chinese', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('Me', { me: { ...bobMe.me, tier: { ...bobMe.me.tier, code: 'GOLD', name: '金卡', rank: 2 } } });
    api.on('ClubEvent', eventDetail({ minTier: { code: 'GOLD', name: '金卡', rank: 2 } }));
    api.on('RsvpEvent', fail('TIER_REQUIRED')); // e.g. downgraded since the page loaded
    await mount(EventPage);
    await waitForText('仅限金卡及以上会员');
    expect(text()).not.toContain('金卡及以上会员可报名');
    await click('报名（50 积分）');
    await waitForText(errorMessageZh.TIER_REQUIRED);
    expect(text()).toContain('会员等级不足，升级后即可参加');
  });

  it('shows INSUFFICIENT_POINTS and EVENT_CLOSED in Chinese', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', eventDetail());
    api.on('RsvpEvent', fail('INSUFFICIENT_POINTS'));
    await mount(EventPage);
    await click('报名（50 积分）');
    await waitForText(errorMessageZh.INSUFFICIENT_POINTS);
    api.on('RsvpEvent', fail('EVENT_CLOSED'));
    await click('报名（50 积分）');
    await waitForText(errorMessageZh.EVENT_CLOSED);
  });

  it('closes RSVPs after the deadline', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', eventDetail({ rsvpDeadline: iso(Date.now() - 1000) }));
    await mount(EventPage);
    await waitForText('报名已截止');
    expect(text()).not.toContain('报名（50 积分）');
  });

  it('sends non-members to the club first', async () => {
    signIn();
    openWith({ id: 'e1' });
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('ClubEvent', eventDetail({}, null));
    await mount(EventPage);
    await waitForText('加入圈子后才能报名');
    await click('去加入圈子');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/club/index?id=1' });
  });

  it('shows a cancelled event with its reason', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', eventDetail({ status: 'CANCELLED', cancelReason: '场地维修' }));
    await mount(EventPage);
    await waitForText('活动已取消：场地维修');
    expect(text()).toContain('当前不可报名');
  });

  it('shows the organizer tools to organizers and managers only', async () => {
    signIn();
    openWith({ id: 'e1' });
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' } as never);
    api.on('ClubEvent', eventDetail({}, ORGANIZER_MEMBERSHIP));
    await mount(EventPage);
    await waitForText('组织者工具');
    await click('报名名单与签到');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/organizer/attendees/index?eventId=e1' });
    await click('编辑活动');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/organizer/event-edit/index?id=e1&clubId=1' });
  });

  it('hides the organizer tools from members; shows them to managers', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', eventDetail());
    await mount(EventPage);
    await waitForText('手冲咖啡入门');
    expect(text()).not.toContain('组织者工具');
    resetAll();
    signIn(managerViewer);
    openWith({ id: 'e1' });
    api.on('ClubEvent', eventDetail({}, null));
    await mount(EventPage);
    await waitForText('组织者工具');
  });
});

describe('event reminders as subscribe messages (weapp)', () => {
  const taro = Taro as unknown as { requestSubscribeMessage: unknown };
  const original = taro.requestSubscribeMessage;
  afterEach(() => {
    taro.requestSubscribeMessage = original;
  });
  const templates = {
    subscribeTemplates: [
      { kind: 'CLUB_ANNOUNCEMENT', templateId: 'T-ANN' },
      { kind: 'EVENT_REMINDER', templateId: 'T-REM' },
      { kind: 'EVENT_UPDATE', templateId: 'T-UPD' },
    ],
  };

  it('asks for the reminder and update templates on RSVP and records the accepted one', async () => {
    signIn();
    openWith({ id: 'e1' });
    const ask = jest.fn().mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', 'T-REM': 'accept', 'T-UPD': 'reject' });
    taro.requestSubscribeMessage = ask;
    api.on('ClubEvent', eventDetail());
    api.on('SubscribeTemplates', templates);
    api.on('RsvpEvent', { rsvpEvent: rsvp({ pointsPaid: 50 }) });
    api.on('RecordSubscribeConsent', { recordSubscribeConsent: [{ templateId: 'T-REM', remaining: 1 }] });
    await mount(EventPage);
    await waitForText('报名（50 积分）');
    await flush(20);
    await click('报名（50 积分）');
    await waitForText('报名成功');
    expect(ask).toHaveBeenCalledWith({ tmplIds: ['T-REM', 'T-UPD'] });
    expect(api.callsOf('RecordSubscribeConsent')[0]?.variables).toEqual({ templateIds: ['T-REM'] });
  });

  it('still RSVPs when the member declines (nothing recorded)', async () => {
    signIn();
    openWith({ id: 'e1' });
    taro.requestSubscribeMessage = jest.fn().mockRejectedValue({ errMsg: 'requestSubscribeMessage:fail cancel' });
    api.on('ClubEvent', eventDetail());
    api.on('SubscribeTemplates', templates);
    api.on('RsvpEvent', { rsvpEvent: rsvp() });
    await mount(EventPage);
    await waitForText('报名（50 积分）');
    await click('报名（50 积分）');
    await waitForText('报名成功');
    expect(api.callsOf('RecordSubscribeConsent')).toHaveLength(0);
  });
});
