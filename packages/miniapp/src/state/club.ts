import { clock } from '../utils/clock';
import {
  CancelRsvpDocument,
  CheckInAttendeeDocument,
  ClubDocument,
  ClubEventDocument,
  ClubMembersDocument,
  ClubsDocument,
  CreateClubDocument,
  CreateEventDocument,
  EventRsvpsDocument,
  JoinClubDocument,
  LeaveClubDocument,
  MyClubEventsDocument,
  PostAnnouncementDocument,
  PublishEventDocument,
  RecordSubscribeConsentDocument,
  SubscribeTemplatesDocument,
  ReviewJoinRequestDocument,
  ResetClubInviteCodeDocument,
  RsvpEventDocument,
  UpdateClubDocument,
  UpdateEventDocument,
  type CheckInAttendeeMutation,
  type ClubEditFieldsFragment,
  type CreateClubInput,
  type ClubSummaryFragment,
  type CreateEventInput,
  type EventFieldsFragment,
  type RsvpFieldsFragment,
  type UpdateClubInput,
  type UpdateEventInput,
} from '@quanzi/shared/graphql';
import { meetsTier } from '@quanzi/shared';
import { request } from '../api/client';
import { CAN_SUBSCRIBE, requestSubscribe } from '../utils/subscribe';
import type { Viewer } from './session';
import { useQuery } from './use-query';

/** Clubs and events (PRODUCT F7): the member side (pages/club, pages/event) and the organizer tools (organizer/*). */
export type ClubSummary = ClubSummaryFragment;
export type ClubEvent = EventFieldsFragment;
export type Rsvp = RsvpFieldsFragment;
export type Membership = NonNullable<ClubSummary['myMembership']>;
export type CheckIn = CheckInAttendeeMutation['checkInAttendee'];

/** The notification deep links (`pages/club/index?id=`, `pages/event/index?id=`) are these subpackage pages. */
export const CLUB_PAGE = '/pages/club/index';
export const DISCOVER_PAGE = '/pages/club/discover/index';
export const EVENT_PAGE = '/pages/event/index';
export const MY_EVENTS_PAGE = '/pages/event/mine/index';
/** Where a member below a club's or event's tier learns how to move up. */
export const TIER_PAGE = '/member/tier/index';
export const ORGANIZER = {
  editClub: '/organizer/club-edit/index',
  editEvent: '/organizer/event-edit/index',
  attendees: '/organizer/attendees/index',
  requests: '/organizer/requests/index',
  announce: '/organizer/announce/index',
};

export const clubUrl = (id: string) => `${CLUB_PAGE}?id=${encodeURIComponent(id)}`;
export const eventUrl = (id: string) => `${EVENT_PAGE}?id=${encodeURIComponent(id)}`;

export const joinPolicyLabel: Record<string, string> = {
  OPEN: '自由加入',
  APPROVAL: '需审核',
  TIER_MIN: '等级准入',
  INVITE: '凭邀请码',
};

export const rsvpStatusLabel: Record<string, string> = { CONFIRMED: '已报名', WAITLISTED: '候补中', CANCELLED: '已取消' };
export const eventStatusLabel: Record<string, string> = { DRAFT: '草稿', PUBLISHED: '报名中', FINISHED: '已结束', CANCELLED: '已取消' };

/** A live place in the club (organizers included). */
export const isActiveMember = (m: Membership | null | undefined) => m?.status === 'ACTIVE';

/** Organizer tools show to the club's organizers and to managers (the API checks the scope). */
export function canOrganize(m: Membership | null | undefined, viewer: Viewer | null | undefined): boolean {
  return (m?.status === 'ACTIVE' && m.role === 'ORGANIZER') || !!viewer?.roles.some((r) => r.role === 'MANAGER');
}

/**
 * "创建圈子" shows to users with an ORGANIZER or MANAGER role; the API decides the scope (FORBIDDEN otherwise).
 */
export function canCreateClub(viewer: Viewer | null | undefined): boolean {
  return !!viewer?.roles.some((r) => r.role === 'ORGANIZER' || r.role === 'MANAGER');
}

/** The home store of a new club: the viewer's store-scoped organizer/manager role, else none (organisation-wide). */
export function defaultClubStoreId(viewer: Viewer | null | undefined): string | null {
  const r = viewer?.roles.find((x) => (x.role === 'ORGANIZER' || x.role === 'MANAGER') && x.scope === 'STORE' && x.storeId);
  return r?.storeId ?? null;
}

/** "适合你的等级": the member's tier rank reaches the club's (or event's) minimum. null when there is no minimum. */
export function tierFits(minTier: { rank: number } | null | undefined, rank: number | null | undefined): boolean | null {
  if (!minTier) return null;
  if (rank === null || rank === undefined) return null;
  return meetsTier(rank, minTier.rank);
}

/** A live RSVP (a seat or a waitlist place). */
export const isLiveRsvp = (r: Rsvp | null | undefined): r is Rsvp => !!r && r.status !== 'CANCELLED';

/** When RSVPs close: the deadline, else the start. */
export const rsvpClosesAt = (e: Pick<ClubEvent, 'rsvpDeadline' | 'startsAt'>) => e.rsvpDeadline ?? e.startsAt;

export function rsvpOpen(e: Pick<ClubEvent, 'status' | 'rsvpDeadline' | 'startsAt'>, now = clock.ms()): boolean {
  return e.status === 'PUBLISHED' && Date.parse(rsvpClosesAt(e)) > now;
}

/** Countdown to the start: "3天 04:05:06", "04:05:06"; "进行中" between start and end; "已结束" after. */
export function countdownText(startsAt: string, endsAt: string, now = clock.ms()): string {
  const start = Date.parse(startsAt);
  if (now >= Date.parse(endsAt)) return '已结束';
  if (now >= start) return '进行中';
  const s = Math.floor((start - now) / 1000);
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  const days = Math.floor(s / 86400);
  const hms = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days}天 ${hms}` : hms;
}

/** Points line: "报名消耗 50 积分 · 签到奖励 20 积分", or "免费". */
export function pointsText(e: Pick<ClubEvent, 'pointsCost' | 'pointsReward'>): string {
  const parts = [
    e.pointsCost > 0 ? `报名消耗 ${e.pointsCost} 积分` : '',
    e.pointsReward > 0 ? `签到奖励 ${e.pointsReward} 积分` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : '免费参加';
}

export function useClubs(mine: boolean) {
  return useQuery(ClubsDocument, { first: 50, mine });
}

export function useClub(id: string | null) {
  return useQuery(ClubDocument, { id: id ?? '' }, { skip: !id });
}

export function useClubEvent(id: string | null) {
  return useQuery(ClubEventDocument, { id: id ?? '' }, { skip: !id });
}

export function useMyClubEvents() {
  return useQuery(MyClubEventsDocument, {});
}

export async function joinClub(clubId: string, inviteCode?: string): Promise<Membership> {
  const code = inviteCode?.trim();
  return (await request(JoinClubDocument, { clubId, inviteCode: code ? code : null })).joinClub;
}

export async function leaveClub(clubId: string): Promise<Membership> {
  return (await request(LeaveClubDocument, { clubId })).leaveClub;
}

export async function rsvpEvent(eventId: string): Promise<Rsvp> {
  return (await request(RsvpEventDocument, { eventId })).rsvpEvent;
}

export async function cancelRsvp(eventId: string): Promise<Rsvp> {
  return (await request(CancelRsvpDocument, { eventId })).cancelRsvp;
}

// Organizers

export function useEventRsvps(eventId: string | null) {
  return useQuery(EventRsvpsDocument, { eventId: eventId ?? '' }, { skip: !eventId });
}

export function useJoinRequests(clubId: string | null) {
  return useQuery(ClubMembersDocument, { clubId: clubId ?? '', status: 'PENDING' }, { skip: !clubId });
}

export type EditedClub = ClubEditFieldsFragment;

export async function createClub(input: CreateClubInput): Promise<EditedClub> {
  return (await request(CreateClubDocument, { input })).createClub;
}

export async function updateClub(id: string, input: UpdateClubInput): Promise<EditedClub> {
  return (await request(UpdateClubDocument, { id, input })).updateClub;
}

export async function resetClubInviteCode(clubId: string): Promise<string | null> {
  return (await request(ResetClubInviteCodeDocument, { clubId })).resetClubInviteCode.inviteCode;
}

export async function createEvent(input: CreateEventInput): Promise<ClubEvent> {
  return (await request(CreateEventDocument, { input })).createEvent;
}

export async function updateEvent(id: string, input: UpdateEventInput): Promise<ClubEvent> {
  return (await request(UpdateEventDocument, { id, input })).updateEvent;
}

export async function publishEvent(id: string): Promise<ClubEvent> {
  return (await request(PublishEventDocument, { id })).publishEvent;
}

export async function checkInAttendee(eventId: string, memberCode: string): Promise<CheckIn> {
  return (await request(CheckInAttendeeDocument, { eventId, memberCode: memberCode.trim() })).checkInAttendee;
}

export async function reviewJoinRequest(clubId: string, memberId: string, approve: boolean) {
  return (await request(ReviewJoinRequestDocument, { clubId, memberId, approve })).reviewJoinRequest;
}

export async function postAnnouncement(clubId: string, input: { title: string; body: string }) {
  return (await request(PostAnnouncementDocument, { clubId, input })).postAnnouncement;
}

/** The subscribe-message templates (weapp only; H5 has none). */
export function useSubscribeTemplates() {
  return useQuery(SubscribeTemplatesDocument, {}, { skip: !CAN_SUBSCRIBE });
}

/**
 * Asks the member to accept the templates of these kinds (reminders, changes) and reports each acceptance to the
 * API (one message each). Call it from the tap handler itself, before any await: WeChat only shows the dialog for
 * a tap. Best effort: never throws.
 */
export async function askSubscribe(templates: readonly { kind: string; templateId: string }[] | null | undefined, kinds: readonly string[]): Promise<string[]> {
  const ids = (templates ?? []).filter((t) => kinds.includes(t.kind)).map((t) => t.templateId);
  const accepted = await requestSubscribe(ids);
  if (accepted.length === 0) return [];
  try {
    await request(RecordSubscribeConsentDocument, { templateIds: accepted });
    return accepted;
  } catch {
    return [];
  }
}
