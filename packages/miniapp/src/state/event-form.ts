import type { CreateEventInput, EventFieldsFragment } from '@quanzi/shared/graphql';
import { addMinutes, beijingDay, beijingMs, fromBeijing, toBeijing, type WallTime } from '../utils/beijing-time';

/**
 * The organizer's event form (organizer/event-edit): times are picked as Beijing wall times (a date picker and a
 * time picker each) and sent as UTC instants. Checked here before sending, with the API's own rules.
 */
export interface EventForm {
  title: string;
  description: string;
  address: string;
  start: WallTime;
  end: WallTime;
  /** null: RSVPs close at the start. */
  deadline: WallTime | null;
  capacity: string;
  pointsCost: string;
  pointsReward: string;
  allowWalkIns: boolean;
}

/** A new event starts tomorrow (Beijing) at 19:30 and lasts two hours. */
export const DEFAULT_START_TIME = '19:30';
export const DEFAULT_DURATION_MIN = 120;
/** The API's limit (event.service MAX_DURATION_MS). */
export const MAX_DURATION_MS = 7 * 24 * 3600_000;

export type EditedEvent = Pick<
  EventFieldsFragment,
  'title' | 'description' | 'address' | 'startsAt' | 'endsAt' | 'rsvpDeadline' | 'capacity' | 'pointsCost' | 'pointsReward' | 'allowWalkIns'
>;

/** The form for a new event (`event` null, defaults from `nowMs`) or for editing one. */
export function initialEventForm(event: EditedEvent | null, nowMs: number): EventForm {
  if (!event) {
    const start = beijingDay(nowMs, 1, DEFAULT_START_TIME);
    return {
      title: '',
      description: '',
      address: '',
      start,
      end: addMinutes(start, DEFAULT_DURATION_MIN) as WallTime,
      deadline: null,
      capacity: '',
      pointsCost: '0',
      pointsReward: '0',
      allowWalkIns: false,
    };
  }
  const fallback = beijingDay(nowMs, 1, DEFAULT_START_TIME);
  return {
    title: event.title,
    description: event.description,
    address: event.address,
    start: toBeijing(event.startsAt) ?? fallback,
    end: toBeijing(event.endsAt) ?? fallback,
    deadline: event.rsvpDeadline ? toBeijing(event.rsvpDeadline) : null,
    capacity: String(event.capacity),
    pointsCost: String(event.pointsCost),
    pointsReward: String(event.pointsReward),
    allowWalkIns: event.allowWalkIns,
  };
}

/** A new start keeps the event's length: the end moves with it (when the old end was after the old start). */
export function moveStart(f: EventForm, start: WallTime): EventForm {
  const oldStart = beijingMs(f.start);
  const oldEnd = beijingMs(f.end);
  const length = oldStart !== null && oldEnd !== null && oldEnd > oldStart ? (oldEnd - oldStart) / 60_000 : null;
  const end = length !== null ? addMinutes(start, length) : null;
  return { ...f, start, end: end ?? f.end };
}

/** Picking a deadline date before any deadline time: the deadline is at the start's time that day. */
export function deadlineOnDate(f: EventForm, date: string): WallTime {
  return { date, time: f.deadline?.time ?? f.start.time };
}

/** Picking a deadline time before any deadline date: the deadline is on the start's day. */
export function deadlineAtTime(f: EventForm, time: string): WallTime {
  return { date: f.deadline?.date ?? f.start.date, time };
}

const wholeNumber = (s: string) => (/^\d{1,7}$/.test(s.trim()) ? Number(s.trim()) : null);

export type EventFormResult = { ok: true; input: Omit<CreateEventInput, 'clubId'> } | { ok: false; problem: string };

/**
 * The API input, or the first problem (in Chinese). `saved` is the event being edited (null when creating): a start
 * or deadline left as it was may lie in the past by now (editing a running event), one that was changed may not.
 */
export function validateEventForm(f: EventForm, nowMs: number, saved: Pick<EditedEvent, 'startsAt' | 'rsvpDeadline'> | null = null): EventFormResult {
  if (!f.title.trim()) return { ok: false, problem: '请填写活动标题' };
  if (!f.address.trim()) return { ok: false, problem: '请填写活动地点' };
  const times = checkEventTimes(f, nowMs, saved);
  if (!times.ok) return times;
  const capacity = wholeNumber(f.capacity);
  if (!capacity) return { ok: false, problem: '请填写名额（正整数）' };
  const pointsCost = wholeNumber(f.pointsCost || '0');
  const pointsReward = wholeNumber(f.pointsReward || '0');
  if (pointsCost === null || pointsReward === null) return { ok: false, problem: '积分应为不小于 0 的整数' };
  return {
    ok: true,
    input: {
      title: f.title.trim(),
      description: f.description.trim(),
      address: f.address.trim(),
      ...times.times,
      capacity,
      pointsCost,
      pointsReward,
      allowWalkIns: f.allowWalkIns,
    },
  };
}

type Times = { startsAt: string; endsAt: string; rsvpDeadline: string | null };

/** The start, end and deadline as UTC instants, or the first problem with them (in Chinese). */
export function checkEventTimes(
  f: Pick<EventForm, 'start' | 'end' | 'deadline'>,
  nowMs: number,
  saved: Pick<EditedEvent, 'startsAt' | 'rsvpDeadline'> | null = null,
): { ok: true; times: Times } | { ok: false; problem: string } {
  const startsAt = fromBeijing(f.start);
  if (!startsAt) return { ok: false, problem: '请选择开始时间' };
  const endsAt = fromBeijing(f.end);
  if (!endsAt) return { ok: false, problem: '请选择结束时间' };
  const rsvpDeadline = f.deadline ? fromBeijing(f.deadline) : null;
  if (f.deadline && !rsvpDeadline) return { ok: false, problem: '请选择报名截止时间' };
  const start = Date.parse(startsAt);
  const changed = (iso: string, before: string | null | undefined) => !saved || before == null || Date.parse(iso) !== Date.parse(before);
  if (start <= nowMs && changed(startsAt, saved?.startsAt)) return { ok: false, problem: '开始时间已过，请选择以后的时间' };
  if (Date.parse(endsAt) <= start) return { ok: false, problem: '结束时间应晚于开始时间' };
  if (Date.parse(endsAt) - start > MAX_DURATION_MS) return { ok: false, problem: '活动最长 7 天' };
  if (rsvpDeadline !== null) {
    if (Date.parse(rsvpDeadline) > start) return { ok: false, problem: '报名截止时间不能晚于开始时间' };
    if (Date.parse(rsvpDeadline) <= nowMs && changed(rsvpDeadline, saved?.rsvpDeadline)) return { ok: false, problem: '报名截止时间已过，请选择以后的时间' };
  }
  return { ok: true, times: { startsAt, endsAt, rsvpDeadline } };
}
