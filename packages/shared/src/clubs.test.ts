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

const event = (over: Partial<EventTimes> = {}): EventTimes => ({
  status: 'PUBLISHED',
  startsAt: d('2026-06-10T10:00:00Z'),
  endsAt: d('2026-06-10T12:00:00Z'),
  rsvpDeadline: null,
  refundCutoff: null,
  ...over,
});

describe('rsvpClosedReason', () => {
  it.each<[string, Partial<EventTimes>, string, ReturnType<typeof rsvpClosedReason>]>([
    ['open before the start', {}, '2026-06-10T09:59:59Z', null],
    ['closed at the start without a deadline', {}, '2026-06-10T10:00:00Z', 'DEADLINE_PASSED'],
    ['open before the deadline', { rsvpDeadline: d('2026-06-09T10:00:00Z') }, '2026-06-09T09:00:00Z', null],
    ['closed at the deadline', { rsvpDeadline: d('2026-06-09T10:00:00Z') }, '2026-06-09T10:00:00Z', 'DEADLINE_PASSED'],
    ['a deadline after the start counts as the start', { rsvpDeadline: d('2026-06-11T00:00:00Z') }, '2026-06-10T10:30:00Z', 'DEADLINE_PASSED'],
    ['drafts are not open', { status: 'DRAFT' }, '2026-06-01T00:00:00Z', 'NOT_PUBLISHED'],
    ['cancelled events are not open', { status: 'CANCELLED' }, '2026-06-01T00:00:00Z', 'NOT_PUBLISHED'],
    ['finished events are not open', { status: 'FINISHED' }, '2026-06-01T00:00:00Z', 'NOT_PUBLISHED'],
  ])('%s', (_name, over, now, expected) => {
    expect(rsvpClosedReason(event(over), d(now))).toBe(expected);
  });
});

describe('refundOnCancel', () => {
  it.each<[string, { status: 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED'; pointsPaid: number }, Partial<EventTimes>, string, number]>([
    ['confirmed, before the cut-off: everything', { status: 'CONFIRMED', pointsPaid: 200 }, { refundCutoff: d('2026-06-09T10:00:00Z') }, '2026-06-09T09:59:59Z', 200],
    ['confirmed, at the cut-off: nothing', { status: 'CONFIRMED', pointsPaid: 200 }, { refundCutoff: d('2026-06-09T10:00:00Z') }, '2026-06-09T10:00:00Z', 0],
    ['confirmed, no cut-off: until the start', { status: 'CONFIRMED', pointsPaid: 200 }, {}, '2026-06-10T09:00:00Z', 200],
    ['confirmed, no cut-off, after the start: nothing', { status: 'CONFIRMED', pointsPaid: 200 }, {}, '2026-06-10T10:00:00Z', 0],
    ['waitlisted, after the cut-off: everything (never had a seat)', { status: 'WAITLISTED', pointsPaid: 200 }, { refundCutoff: d('2026-06-09T10:00:00Z') }, '2026-06-10T11:00:00Z', 200],
    ['free event: nothing', { status: 'CONFIRMED', pointsPaid: 0 }, {}, '2026-06-01T00:00:00Z', 0],
    ['already cancelled: nothing', { status: 'CANCELLED', pointsPaid: 200 }, {}, '2026-06-01T00:00:00Z', 0],
  ])('%s', (_name, rsvp, over, now, expected) => {
    expect(refundOnCancel(rsvp, event(over), d(now))).toBe(expected);
  });
});

describe('checkInOpen', () => {
  it.each<[string, Partial<EventTimes>, string, boolean]>([
    ['2 h before the start', {}, '2026-06-10T08:00:00Z', true],
    ['just before that', {}, '2026-06-10T07:59:59Z', false],
    ['during the event', {}, '2026-06-10T11:00:00Z', true],
    ['2 h after the end', {}, '2026-06-10T14:00:00Z', true],
    ['later than that', {}, '2026-06-10T14:00:01Z', false],
    ['a draft never', { status: 'DRAFT' }, '2026-06-10T11:00:00Z', false],
    ['a cancelled event never', { status: 'CANCELLED' }, '2026-06-10T11:00:00Z', false],
    ['a finished event never', { status: 'FINISHED' }, '2026-06-10T11:00:00Z', false],
  ])('%s → %p', (_name, over, now, open) => {
    expect(checkInOpen(event(over), d(now))).toBe(open);
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
