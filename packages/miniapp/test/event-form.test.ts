import { checkEventTimes, deadlineAtTime, deadlineOnDate, initialEventForm, moveStart, validateEventForm, type EventForm } from '../src/state/event-form';
import { addMinutes, beijingDay, fromBeijing, toBeijing, type WallTime } from '../src/utils/beijing-time';
import { clubEvent, HOUR, iso } from './club-fixtures';

// Every date derives from this one moment (a Beijing afternoon), never from today.
const NOW = Date.parse('2030-06-10T06:00:00.000Z'); // deliberately absolute: 14:00 in Beijing, a fixed reference
const tomorrow = (time: string) => beijingDay(NOW, 1, time);
const today = (time: string) => beijingDay(NOW, 0, time);

function form(patch: Partial<EventForm> = {}): EventForm {
  return { ...initialEventForm(null, NOW), title: '手冲咖啡入门', address: '国贸店二楼', capacity: '10', ...patch };
}

describe('the event form (Beijing times picked, UTC sent)', () => {
  it('defaults a new event to tomorrow 19:30–21:30 Beijing time, no deadline', () => {
    const f = initialEventForm(null, NOW);
    expect(f.start).toEqual(tomorrow('19:30'));
    expect(f.end).toEqual(tomorrow('21:30'));
    expect(f.deadline).toBeNull();
    // 19:30 in Beijing is 11:30 UTC
    expect(Date.parse(fromBeijing(f.start) as string) - Date.parse(fromBeijing(today('00:00')) as string)).toBe(24 * HOUR + 19.5 * HOUR);
  });

  it('defaults by the Beijing day: late in the UTC day it is already tomorrow in Beijing', () => {
    const lateUtc = Date.parse(fromBeijing(tomorrow('00:30')) as string); // 16:30 UTC the day before
    expect(initialEventForm(null, lateUtc).start).toEqual(beijingDay(NOW, 2, '19:30'));
  });

  it('fills the form from a saved event in Beijing time', () => {
    const start = NOW + 50 * HOUR;
    const f = initialEventForm(clubEvent({ startsAt: iso(start), endsAt: iso(start + 2 * HOUR), rsvpDeadline: null }), NOW);
    expect(f.start).toEqual(toBeijing(start));
    expect(f.end).toEqual(toBeijing(start + 2 * HOUR));
    expect(f.deadline).toBeNull();
  });

  it('moves the end with the start, keeping the length', () => {
    const f = form();
    const later = beijingDay(NOW, 3, '09:00');
    expect(moveStart(f, later)).toMatchObject({ start: later, end: addMinutes(later, 120) });
    // an end not after the start has no length to keep: it stays
    const broken = form({ end: tomorrow('18:00') });
    expect(moveStart(broken, later).end).toEqual(tomorrow('18:00'));
  });

  it('completes a half-picked deadline from the start', () => {
    const f = form();
    expect(deadlineOnDate(f, today('00:00').date)).toEqual(today('19:30'));
    expect(deadlineAtTime(f, '12:00')).toEqual(tomorrow('12:00'));
    const withDeadline = form({ deadline: today('18:00') });
    expect(deadlineAtTime(withDeadline, '20:00')).toEqual(today('20:00'));
  });

  it('sends UTC instants', () => {
    const v = validateEventForm(form({ deadline: tomorrow('12:00') }), NOW);
    expect(v).toEqual({
      ok: true,
      input: expect.objectContaining({
        startsAt: iso(NOW + 10 * HOUR + 19.5 * HOUR), // 14:00 today → 19:30 tomorrow is 29.5 h on
        endsAt: iso(NOW + 10 * HOUR + 21.5 * HOUR),
        rsvpDeadline: iso(NOW + 10 * HOUR + 12 * HOUR),
        capacity: 10,
      }),
    });
  });

  const problems: [string, Partial<EventForm>, string][] = [
    ['end before start', { end: tomorrow('19:00') }, '结束时间应晚于开始时间'],
    ['end at start', { end: tomorrow('19:30') }, '结束时间应晚于开始时间'],
    ['longer than 7 days', { end: beijingDay(NOW, 9, '19:30') }, '活动最长 7 天'],
    ['deadline after start', { deadline: tomorrow('20:00') }, '报名截止时间不能晚于开始时间'],
    ['deadline already passed', { deadline: today('13:59') }, '报名截止时间已过，请选择以后的时间'],
    ['deadline now', { deadline: today('14:00') }, '报名截止时间已过，请选择以后的时间'],
    ['start already passed', { start: today('13:00'), end: today('15:00') }, '开始时间已过，请选择以后的时间'],
    ['impossible date', { start: { date: '2030-02-30', time: '19:30' } }, '请选择开始时间'],
    ['no title', { title: ' ' }, '请填写活动标题'],
    ['no address', { address: '' }, '请填写活动地点'],
    ['no capacity', { capacity: '0' }, '请填写名额（正整数）'],
    ['negative points', { pointsCost: '-5' }, '积分应为不小于 0 的整数'],
  ];
  it.each(problems)('refuses %s in Chinese', (_, patch, problem) => {
    expect(validateEventForm(form(patch), NOW)).toEqual({ ok: false, problem });
  });

  it('accepts a deadline at the start and one a minute from now', () => {
    expect(checkEventTimes(form({ deadline: tomorrow('19:30') }), NOW).ok).toBe(true);
    expect(checkEventTimes(form({ deadline: today('14:01') }), NOW).ok).toBe(true);
  });

  it('lets an edit keep a start and deadline that have passed, but not move them into the past', () => {
    const start = NOW - HOUR; // running now
    const saved = { startsAt: iso(start), rsvpDeadline: iso(start - 2 * HOUR) };
    const running: Partial<EventForm> = { start: toBeijing(start) as WallTime, end: toBeijing(start + 3 * HOUR) as WallTime, deadline: toBeijing(start - 2 * HOUR) };
    expect(checkEventTimes(form(running), NOW, saved).ok).toBe(true);
    expect(checkEventTimes(form(running), NOW, null)).toEqual({ ok: false, problem: '开始时间已过，请选择以后的时间' });
    expect(checkEventTimes(form({ ...running, deadline: toBeijing(start - 3 * HOUR) }), NOW, saved)).toEqual({ ok: false, problem: '报名截止时间已过，请选择以后的时间' });
  });
});
