import Taro from '@tarojs/taro';
import { errorMessageZh } from '@quanzi/shared';
import AttendeesPage from '../src/organizer/attendees';
import EventEditPage from '../src/organizer/event-edit';
import RequestsPage from '../src/organizer/requests';
import AnnouncePage from '../src/organizer/announce';
import { beijingDay, fromBeijing } from '../src/utils/beijing-time';
import { clock } from '../src/utils/clock';
import { clubEvent, eventDetail, HOUR, iso, ORGANIZER_MEMBERSHIP } from './club-fixtures';
import { act } from 'react';
import { $, api, click, flush, fail, mount, OFFLINE, openWith, pending, resetAll, signIn, text, type, waitForText } from './harness';

jest.mock('../src/api/transport', () => ({ ...jest.requireActual('../src/api/transport'), postJson: require('./fake-api').postJson }));

afterEach(() => {
  jest.restoreAllMocks();
  resetAll();
  clock.reset();
});

/** Types into a Taro <Textarea> (its inner <textarea>, rendered on an animation frame). */
async function typeArea(className: string, value: string): Promise<void> {
  let el: HTMLTextAreaElement | null = null;
  for (let i = 0; i < 100 && !el; i++) {
    el = $(`.${className}`).querySelector('textarea');
    if (!el) await act(() => new Promise<void>((r) => requestAnimationFrame(() => r())));
  }
  if (!el) throw new Error(`no <textarea> inside .${className}`);
  const target = el;
  await act(async () => {
    target.value = value;
    target.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await flush();
}

// Every time in this file derives from this moment (14:00 in Beijing); the pages read it through the clock.
const NOW = Date.parse('2030-06-10T06:00:00.000Z'); // deliberately absolute: one fixed reference, not today
/** The Beijing wall time `n` days from NOW's Beijing day, and its UTC instant. */
const day = (n: number, time: string) => beijingDay(NOW, n, time);
const utc = (n: number, time: string) => fromBeijing(day(n, time)) as string;

const CODE = 'QZ1.10000042.123456';

const rsvps = {
  eventRsvps: [
    { id: 'r1', memberNo: '10000042', nickname: '小红', status: 'CONFIRMED' as const, waitlistPosition: null, pointsPaid: 50, createdAt: iso(NOW - 72 * HOUR) },
    { id: 'r2', memberNo: '10000043', nickname: null, status: 'WAITLISTED' as const, waitlistPosition: 1, pointsPaid: 50, createdAt: iso(NOW - 71 * HOUR) },
    { id: 'r3', memberNo: '10000044', nickname: '小明', status: 'CANCELLED' as const, waitlistPosition: null, pointsPaid: 0, createdAt: iso(NOW - 70 * HOUR) },
  ],
};

const checkIn = (patch: { replayed?: boolean; walkIn?: boolean } = {}) => ({
  checkInAttendee: {
    replayed: patch.replayed ?? false,
    rsvpStatus: 'CONFIRMED',
    attendance: { id: 'a1', memberNo: '10000042', nickname: '小红', checkedInAt: utc(0, '19:35'), pointsAwarded: 20, walkIn: patch.walkIn ?? false },
  },
});

describe('organizer: attendees and check-in (weapp scanner)', () => {
  it('asks to sign in when signed out', async () => {
    openWith({ eventId: 'e1' });
    await mount(AttendeesPage);
    expect(text()).toContain('登录后管理活动');
  });

  it('shows loading, then an error in Chinese', async () => {
    signIn();
    openWith({ eventId: 'e1' });
    api.on('EventRsvps', () => pending());
    await mount(AttendeesPage);
    expect(text()).toContain('加载中');
    resetAll();
    signIn();
    openWith({ eventId: 'e1' });
    api.on('EventRsvps', fail('FORBIDDEN'));
    await mount(AttendeesPage);
    await waitForText(errorMessageZh.FORBIDDEN);
  });

  it('has an empty state', async () => {
    signIn();
    openWith({ eventId: 'e1' });
    api.on('EventRsvps', { eventRsvps: [] });
    await mount(AttendeesPage);
    await waitForText('还没有人报名');
  });

  it('lists the RSVPs with the waitlist', async () => {
    signIn();
    openWith({ eventId: 'e1' });
    api.on('EventRsvps', rsvps);
    await mount(AttendeesPage);
    await waitForText('已报名 1 人 · 候补 1 人');
    expect(api.callsOf('EventRsvps')[0]?.variables).toEqual({ eventId: 'e1' });
    const rows = Array.from(document.querySelectorAll('.attendees__row')).map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('小红 · 10000042');
    expect(rows[0]).toContain('已报名 · 50 积分');
    expect(rows[1]).toContain('候补第 1 位');
    expect(rows[2]).toContain('已取消');
  });

  it('checks a member in with wx.scanCode', async () => {
    signIn();
    openWith({ eventId: 'e1' });
    const scan = jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: CODE } as never);
    api.on('EventRsvps', rsvps);
    api.on('CheckInAttendee', checkIn());
    await mount(AttendeesPage);
    await click('扫描会员码签到');
    await waitForText('签到成功：小红（10000042） · +20 积分');
    expect(scan).toHaveBeenCalled();
    expect(api.callsOf('CheckInAttendee')[0]?.variables).toEqual({ eventId: 'e1', memberCode: CODE });
    expect(api.callsOf('EventRsvps').length).toBeGreaterThanOrEqual(2);
  });

  it('shows a second scan as already checked in', async () => {
    signIn();
    openWith({ eventId: 'e1' });
    jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: CODE } as never);
    api.on('EventRsvps', rsvps);
    api.on('CheckInAttendee', checkIn({ replayed: true }));
    await mount(AttendeesPage);
    await click('扫描会员码签到');
    await waitForText(`已于 ${day(0, '19:35').date} 19:35 签到过`);
  });

  it('shows RSVP_REQUIRED in Chinese', async () => {
    signIn();
    openWith({ eventId: 'e1' });
    jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: CODE } as never);
    api.on('EventRsvps', rsvps);
    api.on('CheckInAttendee', fail('RSVP_REQUIRED'));
    await mount(AttendeesPage);
    await click('扫描会员码签到');
    await waitForText(errorMessageZh.RSVP_REQUIRED);
    expect(text()).toContain('该会员未报名此活动');
  });

  it('does nothing when the scan is cancelled', async () => {
    signIn();
    openWith({ eventId: 'e1' });
    jest.spyOn(Taro, 'scanCode').mockRejectedValue({ errMsg: 'scanCode:fail cancel' } as never);
    api.on('EventRsvps', rsvps);
    await mount(AttendeesPage);
    await click('扫描会员码签到');
    expect(api.callsOf('CheckInAttendee')).toHaveLength(0);
  });
});

describe('organizer: create and edit events', () => {
  beforeEach(() => clock.set(NOW));

  /** Picks `value` ("2030-06-12" or "20:00") in the page's date or time picker (Taro's Picker fires `change`). */
  async function pick(which: 'start' | 'end' | 'deadline', part: 'date' | 'time', value: string): Promise<void> {
    const picker = $(`taro-picker-core.event-edit__${which}-${part}`);
    await act(async () => {
      picker.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    });
    await flush();
  }

  /** What the pickers show: "2030-06-11 周二 19:30". */
  const shown = (which: 'start' | 'end' | 'deadline') =>
    (['date', 'time'] as const).map((part) => $(`.event-edit__${which}-${part}`).textContent?.replace(/▾/g, '').trim()).join(' ');

  async function fill() {
    await type('event-edit__title', '手冲咖啡入门');
    await type('event-edit__address', '国贸店二楼');
    await type('event-edit__capacity', '10');
    await type('event-edit__pointsCost', '50');
    await type('event-edit__pointsReward', '20');
  }

  async function openNew() {
    signIn();
    openWith({ clubId: '1' });
    jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' } as never);
    jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
    api.on('CreateEvent', { createEvent: clubEvent({ id: 'e9', status: 'DRAFT' }) });
    api.on('PublishEvent', { publishEvent: clubEvent({ id: 'e9' }) });
    await mount(EventEditPage);
  }

  it('starts from tomorrow 19:30–21:30 Beijing time, with no literal dates to type', async () => {
    await openNew();
    expect(shown('start')).toMatch(new RegExp(`^${day(1, '').date} 周. 19:30$`));
    expect(shown('end')).toBe(`${day(1, '').date} ${shown('start').split(' ')[1]} 21:30`);
    expect(shown('deadline')).toBe('未设置 --:--');
    // pickers, not text fields with a date to copy
    const placeholders = Array.from(document.body.querySelectorAll('.event-edit input')).map((i) => i.getAttribute('placeholder') ?? '');
    expect(placeholders.filter((p) => /\d{4}-\d|\d:\d/.test(p))).toEqual([]);
    expect(document.body.querySelectorAll('.event-edit taro-picker-core')).toHaveLength(6);
  });

  it('creates and publishes an event with the picked times, sent as UTC', async () => {
    await openNew();
    await fill();
    await pick('start', 'date', day(2, '').date);
    await pick('start', 'time', '20:00');
    expect(shown('end')).toContain(`${day(2, '').date}`); // the end moved with the start…
    expect(shown('end')).toContain('22:00'); // …keeping its two hours
    await pick('end', 'time', '22:30');
    await pick('deadline', 'date', day(1, '').date);
    await pick('deadline', 'time', '12:00');
    await click('保存并发布');
    await waitForText('保存并发布');
    expect(api.callsOf('CreateEvent')[0]?.variables).toEqual({
      input: {
        clubId: '1',
        title: '手冲咖啡入门',
        description: '',
        address: '国贸店二楼',
        startsAt: utc(2, '20:00'),
        endsAt: utc(2, '22:30'),
        rsvpDeadline: utc(1, '12:00'),
        capacity: 10,
        pointsCost: 50,
        pointsReward: 20,
        allowWalkIns: false,
      },
    });
    expect(utc(2, '20:00')).toBe(iso(NOW + 2 * 24 * HOUR + 6 * HOUR)); // 14:00 → 20:00 Beijing two days on
    expect(api.callsOf('PublishEvent')[0]?.variables).toEqual({ id: 'e9' });
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/event/index?id=e9' });
  });

  it('sends no deadline when it is cleared', async () => {
    await openNew();
    await fill();
    await pick('deadline', 'time', '18:00');
    expect(shown('deadline')).toContain(`${day(1, '').date}`);
    await click('清除');
    expect(shown('deadline')).toContain('未设置');
    await click('保存草稿');
    expect(api.callsOf('CreateEvent')[0]?.variables?.input).toMatchObject({ startsAt: utc(1, '19:30'), endsAt: utc(1, '21:30'), rsvpDeadline: null });
    expect(api.callsOf('PublishEvent')).toHaveLength(0);
  });

  const refused: [string, (p: typeof pick) => Promise<void>, string][] = [
    ['an end before the start', async (p) => p('end', 'time', '19:00'), '结束时间应晚于开始时间'],
    ['an event longer than 7 days', async (p) => p('end', 'date', day(9, '').date), '活动最长 7 天'],
    ['a deadline after the start', async (p) => p('deadline', 'time', '20:00'), '报名截止时间不能晚于开始时间'],
    [
      'a deadline in the past',
      async (p) => {
        await p('deadline', 'date', day(0, '').date);
        await p('deadline', 'time', '13:59');
      },
      '报名截止时间已过，请选择以后的时间',
    ],
    [
      'a start in the past',
      async (p) => {
        await p('start', 'date', day(0, '').date);
        await p('start', 'time', '13:00');
      },
      '开始时间已过，请选择以后的时间',
    ],
  ];
  it.each(refused)('refuses %s in Chinese and sends nothing', async (_, choose, problem) => {
    await openNew();
    await fill();
    await choose(pick);
    await click('保存并发布');
    await waitForText(problem);
    await click('保存草稿');
    expect(text()).toContain(problem);
    expect(api.callsOf('CreateEvent')).toHaveLength(0);
  });

  it('asks for the title first', async () => {
    await openNew();
    await click('保存并发布');
    await waitForText('请填写活动标题');
    expect(api.callsOf('CreateEvent')).toHaveLength(0);
  });

  it('shows CONTENT_REJECTED in Chinese', async () => {
    signIn();
    openWith({ clubId: '1' });
    api.on('CreateEvent', fail('CONTENT_REJECTED'));
    await mount(EventEditPage);
    await fill();
    await click('保存草稿');
    await waitForText(errorMessageZh.CONTENT_REJECTED);
    expect(api.callsOf('PublishEvent')).toHaveLength(0);
  });

  it('edits a published event without changing its cost, showing its saved times in Beijing time', async () => {
    signIn();
    openWith({ id: 'e1' });
    jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' } as never);
    jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
    // Running since an hour ago, RSVPs closed: kept times that have passed may stay.
    const startsAt = utc(0, '13:00');
    api.on('ClubEvent', eventDetail({ startsAt, endsAt: utc(0, '16:00'), rsvpDeadline: utc(0, '11:00') }, ORGANIZER_MEMBERSHIP));
    api.on('UpdateEvent', { updateEvent: clubEvent() });
    await mount(EventEditPage);
    await waitForText('发布后不可修改');
    expect(shown('start')).toContain(`${day(0, '').date}`);
    expect(shown('start')).toContain('13:00');
    expect(shown('deadline')).toContain('11:00');
    await type('event-edit__capacity', '12');
    await click('保存修改');
    const input = api.callsOf('UpdateEvent')[0]?.variables?.input as Record<string, unknown>;
    expect(api.callsOf('UpdateEvent')[0]?.variables?.id).toBe('e1');
    expect(input).toMatchObject({ capacity: 12, startsAt, endsAt: utc(0, '16:00'), rsvpDeadline: utc(0, '11:00') });
    expect('pointsCost' in input).toBe(false);
    expect(api.callsOf('PublishEvent')).toHaveLength(0);
  });

  it('shows loading and errors for the event being edited', async () => {
    signIn();
    openWith({ id: 'e1' });
    api.on('ClubEvent', OFFLINE);
    await mount(EventEditPage);
    await waitForText('网络连接失败');
  });
});

describe('organizer: join requests', () => {
  const pendingReq = { memberId: '5', memberNo: '10000050', nickname: '小王', role: 'MEMBER' as const, status: 'PENDING' as const, since: iso(NOW - 72 * HOUR), tierName: '银卡' };

  it('has loading, empty and error states', async () => {
    signIn();
    openWith({ clubId: '1' });
    api.on('ClubMembers', () => pending());
    await mount(RequestsPage);
    expect(text()).toContain('加载中');
    resetAll();
    signIn();
    openWith({ clubId: '1' });
    api.on('ClubMembers', { clubMembers: [] });
    await mount(RequestsPage);
    await waitForText('没有待审核的申请');
    resetAll();
    signIn();
    openWith({ clubId: '1' });
    api.on('ClubMembers', fail('FORBIDDEN'));
    await mount(RequestsPage);
    await waitForText(errorMessageZh.FORBIDDEN);
  });

  it('approves a request', async () => {
    signIn();
    openWith({ clubId: '1' });
    let done = false;
    api.on('ClubMembers', () => ({ clubMembers: done ? [] : [pendingReq] }));
    api.on('ReviewJoinRequest', () => {
      done = true;
      return { reviewJoinRequest: { memberId: '5', status: 'ACTIVE' } };
    });
    await mount(RequestsPage);
    await waitForText('小王 · 10000050');
    expect(api.callsOf('ClubMembers')[0]?.variables).toEqual({ clubId: '1', status: 'PENDING' });
    await click('通过');
    await waitForText('没有待审核的申请');
    expect(api.callsOf('ReviewJoinRequest')[0]?.variables).toEqual({ clubId: '1', memberId: '5', approve: true });
  });

  it('shows CLUB_FULL in Chinese when approving', async () => {
    signIn();
    openWith({ clubId: '1' });
    api.on('ClubMembers', { clubMembers: [pendingReq] });
    api.on('ReviewJoinRequest', fail('CLUB_FULL'));
    await mount(RequestsPage);
    await waitForText('小王');
    await click('通过');
    await waitForText(errorMessageZh.CLUB_FULL);
  });
});

describe('organizer: announcements', () => {
  it('posts an announcement', async () => {
    signIn();
    openWith({ clubId: '1' });
    jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' } as never);
    api.on('PostAnnouncement', { postAnnouncement: { id: 'a2', title: '改期', body: '周六改周日', createdAt: iso(NOW) } });
    await mount(AnnouncePage);
    await type('announce__title', '改期');
    await typeArea('announce__body', '周六改周日');
    await click('发布公告');
    await waitForText('公告已发布');
    expect(api.callsOf('PostAnnouncement')[0]?.variables).toEqual({ clubId: '1', input: { title: '改期', body: '周六改周日' } });
  });

  it('shows CONTENT_REJECTED in Chinese', async () => {
    signIn();
    openWith({ clubId: '1' });
    api.on('PostAnnouncement', fail('CONTENT_REJECTED'));
    await mount(AnnouncePage);
    await type('announce__title', '改期');
    await typeArea('announce__body', '周六改周日');
    await click('发布公告');
    await waitForText(errorMessageZh.CONTENT_REJECTED);
  });
});
