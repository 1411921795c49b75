import type { ClubEventQuery, ClubQuery, ClubSummaryFragment, EventFieldsFragment, RsvpFieldsFragment } from '@quanzi/shared/graphql';
import type { Viewer } from '../src/state/session';
import { clock } from '../src/utils/clock';

export const GOLD = { code: 'GOLD', name: '金卡', rank: 2 };
export const SILVER = { code: 'SILVER', name: '银卡', rank: 1 };

export const HOUR = 3600_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export function clubSummary(patch: Partial<ClubSummaryFragment> = {}): ClubSummaryFragment {
  return {
    id: '1',
    name: '国贸咖啡俱乐部',
    theme: '咖啡',
    description: '每周一起品鉴咖啡',
    coverUrl: null,
    joinPolicy: 'OPEN',
    minTier: null,
    memberCap: null,
    memberCount: 12,
    store: { id: '11', name: '北京国贸店' },
    myMembership: null,
    ...patch,
  };
}

export function rsvp(patch: Partial<RsvpFieldsFragment> = {}): RsvpFieldsFragment {
  return {
    id: 'r1',
    eventId: 'e1',
    status: 'CONFIRMED',
    waitlistPosition: null,
    pointsPaid: 0,
    pointsRefunded: 0,
    createdAt: '2026-11-20T02:00:00.000Z', // absolute on purpose: a display case — printed as Beijing time, compared with nothing
    cancelledAt: null,
    ...patch,
  };
}

export function clubEvent(patch: Partial<EventFieldsFragment> = {}): EventFieldsFragment {
  const start = clock.ms() + 50 * HOUR;
  return {
    id: 'e1',
    clubId: '1',
    title: '手冲咖啡入门',
    description: '带上你的杯子',
    startsAt: iso(start),
    endsAt: iso(start + 2 * HOUR),
    address: '国贸店二楼',
    capacity: 10,
    confirmedCount: 7,
    waitlistCount: 0,
    spotsLeft: 3,
    minTier: null,
    pointsCost: 50,
    pointsReward: 20,
    rsvpDeadline: iso(start - 2 * HOUR),
    refundCutoff: null,
    allowWalkIns: false,
    status: 'PUBLISHED',
    cancelReason: null,
    myRsvp: null,
    ...patch,
  };
}

// since: absolute on purpose — a display case (an organizer sees "申请于 …" in Beijing time); compared with nothing.
export const ACTIVE_MEMBER = { clubId: '1', role: 'MEMBER' as const, status: 'ACTIVE' as const, since: '2026-11-01T00:00:00.000Z' };
export const ORGANIZER_MEMBERSHIP = { ...ACTIVE_MEMBER, role: 'ORGANIZER' as const };

export function clubDetail(patch: Partial<ClubQuery['club']> = {}): ClubQuery {
  return {
    club: {
      ...clubSummary(),
      inviteCode: null,
      organizers: [{ memberId: '9', nickname: '小林' }],
      events: [clubEvent()],
      // createdAt: absolute on purpose — a display case; printed as Beijing time, compared with nothing.
      announcements: [{ id: 'a1', title: '周六改到二楼', body: '本周六活动在二楼举行', createdAt: '2026-11-20T02:00:00.000Z' }],
      ...patch,
    },
  };
}

export function eventDetail(patch: Partial<EventFieldsFragment> = {}, membership: ClubSummaryFragment['myMembership'] = ACTIVE_MEMBER): ClubEventQuery {
  return { event: { ...clubEvent(patch), club: { id: '1', name: '国贸咖啡俱乐部', myMembership: membership } } };
}

export const managerViewer: Viewer = { userId: '7', roles: [{ role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null }], staffStores: [] };
