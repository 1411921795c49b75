import { checkInOpen, decideJoin, meetsTier, rate, refundOnCancel, rsvpClosedReason, type EventTimes, type JoinFacts } from './clubs';

const d = (iso: string): Date => new Date(iso);
const facts = (over: Partial<JoinFacts>): JoinFacts => ({ policy: 'OPEN', memberTierRank: 0, minTierRank: null, clubInviteCode: null, inviteCode: null, ...over });

describe('decideJoin', () => {
  it.each<[string, Partial<JoinFacts>, ReturnType<typeof decideJoin>]>([
    ['OPEN admits anyone', { policy: 'OPEN' }, { ok: true, status: 'ACTIVE' }],
    ['APPROVAL waits for an organizer', { policy: 'APPROVAL' }, { ok: true, status: 'PENDING' }],
    ['TIER_MIN admits the minimum tier', { policy: 'TIER_MIN', memberTierRank: 2, minTierRank: 2 }, { ok: true, status: 'ACTIVE' }],
    ['TIER_MIN admits higher tiers', { policy: 'TIER_MIN', memberTierRank: 4, minTierRank: 2 }, { ok: true, status: 'ACTIVE' }],
    ['TIER_MIN refuses lower tiers', { policy: 'TIER_MIN', memberTierRank: 1, minTierRank: 2 }, { ok: false, error: 'TIER_REQUIRED' }],
    ['INVITE admits the right code', { policy: 'INVITE', clubInviteCode: 'K7Q2M9XA', inviteCode: 'K7Q2M9XA' }, { ok: true, status: 'ACTIVE' }],
    ['INVITE ignores case and spaces', { policy: 'INVITE', clubInviteCode: 'K7Q2M9XA', inviteCode: ' k7q2m9xa ' }, { ok: true, status: 'ACTIVE' }],
    ['INVITE refuses a wrong code', { policy: 'INVITE', clubInviteCode: 'K7Q2M9XA', inviteCode: 'K7Q2M9XB' }, { ok: false, error: 'INVITE_INVALID' }],
    ['INVITE refuses no code', { policy: 'INVITE', clubInviteCode: 'K7Q2M9XA', inviteCode: null }, { ok: false, error: 'INVITE_INVALID' }],
    ['INVITE refuses when the club has no code', { policy: 'INVITE', clubInviteCode: null, inviteCode: '' }, { ok: false, error: 'INVITE_INVALID' }],
  ])('%s', (_name, over, expected) => {
    expect(decideJoin(facts(over))).toEqual(expected);
  });
});

describe('meetsTier', () => {
  it.each([
    [0, null, true],
    [0, 0, true],
    [1, 2, false],
    [2, 2, true],
    [3, 2, true],
  ])('rank %i vs minimum %p → %p', (rank, min, ok) => {
    expect(meetsTier(rank, min)).toBe(ok);
  });
});

const SEC = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Any instant: these rules take `now` explicitly and compare it only with the event's own times.
const START = d('2026-06-10T10:00:00Z');
const at = (base: Date, ms: number): Date => new Date(base.getTime() + ms);

const event = (over: Partial<EventTimes> = {}): EventTimes => ({
  status: 'PUBLISHED',
  startsAt: START,
  endsAt: at(START, 2 * HOUR),
  rsvpDeadline: null,
  refundCutoff: null,
  ...over,
});
const DAY_BEFORE = at(START, -DAY);

describe('rsvpClosedReason', () => {
  it.each<[string, Partial<EventTimes>, Date, ReturnType<typeof rsvpClosedReason>]>([
    ['open before the start', {}, at(START, -SEC), null],
    ['closed at the start without a deadline', {}, START, 'DEADLINE_PASSED'],
    ['open before the deadline', { rsvpDeadline: DAY_BEFORE }, at(DAY_BEFORE, -HOUR), null],
    ['closed at the deadline', { rsvpDeadline: DAY_BEFORE }, DAY_BEFORE, 'DEADLINE_PASSED'],
    ['a deadline after the start counts as the start', { rsvpDeadline: at(START, 14 * HOUR) }, at(START, HOUR / 2), 'DEADLINE_PASSED'],
    ['drafts are not open', { status: 'DRAFT' }, at(START, -9 * DAY), 'NOT_PUBLISHED'],
    ['cancelled events are not open', { status: 'CANCELLED' }, at(START, -9 * DAY), 'NOT_PUBLISHED'],
    ['finished events are not open', { status: 'FINISHED' }, at(START, -9 * DAY), 'NOT_PUBLISHED'],
  ])('%s', (_name, over, now, expected) => {
    expect(rsvpClosedReason(event(over), now)).toBe(expected);
  });
});

describe('refundOnCancel', () => {
  it.each<[string, { status: 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED'; pointsPaid: number }, Partial<EventTimes>, Date, number]>([
    ['confirmed, before the cut-off: everything', { status: 'CONFIRMED', pointsPaid: 200 }, { refundCutoff: DAY_BEFORE }, at(DAY_BEFORE, -SEC), 200],
    ['confirmed, at the cut-off: nothing', { status: 'CONFIRMED', pointsPaid: 200 }, { refundCutoff: DAY_BEFORE }, DAY_BEFORE, 0],
    ['confirmed, no cut-off: until the start', { status: 'CONFIRMED', pointsPaid: 200 }, {}, at(START, -HOUR), 200],
    ['confirmed, no cut-off, after the start: nothing', { status: 'CONFIRMED', pointsPaid: 200 }, {}, START, 0],
    ['waitlisted, after the cut-off: everything (never had a seat)', { status: 'WAITLISTED', pointsPaid: 200 }, { refundCutoff: DAY_BEFORE }, at(START, HOUR), 200],
    ['free event: nothing', { status: 'CONFIRMED', pointsPaid: 0 }, {}, at(START, -9 * DAY), 0],
    ['already cancelled: nothing', { status: 'CANCELLED', pointsPaid: 200 }, {}, at(START, -9 * DAY), 0],
  ])('%s', (_name, rsvp, over, now, expected) => {
    expect(refundOnCancel(rsvp, event(over), now)).toBe(expected);
  });
});

describe('checkInOpen', () => {
  const END = at(START, 2 * HOUR);
  it.each<[string, Partial<EventTimes>, Date, boolean]>([
    ['2 h before the start', {}, at(START, -2 * HOUR), true],
    ['just before that', {}, at(START, -2 * HOUR - SEC), false],
    ['during the event', {}, at(START, HOUR), true],
    ['2 h after the end', {}, at(END, 2 * HOUR), true],
    ['later than that', {}, at(END, 2 * HOUR + SEC), false],
    ['a draft never', { status: 'DRAFT' }, at(START, HOUR), false],
    ['a cancelled event never', { status: 'CANCELLED' }, at(START, HOUR), false],
    ['a finished event never', { status: 'FINISHED' }, at(START, HOUR), false],
  ])('%s → %p', (_name, over, now, open) => {
    expect(checkInOpen(event(over), now)).toBe(open);
  });
});

describe('rate', () => {
  it.each([
    [0, 0, null],
    [0, 20, 0],
    [17, 20, 0.85],
    [1, 3, 0.3333],
    [20, 20, 1],
  ])('%i of %i → %p', (part, whole, expected) => {
    expect(rate(part, whole)).toBe(expected);
  });
});
