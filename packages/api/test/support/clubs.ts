/**
 * Helpers for the club and event tests (F7): GraphQL documents, personas with roles, clubs and events set up
 * through the API itself, and row counts of every table a club operation may touch.
 */
import { toDate, toInt } from '../../src/db/sql';
import { credit } from '../../src/modules/ledger/ledger.service';
import type { GqlResult, TestApp } from './harness';

export type Persona = Awaited<ReturnType<TestApp['signIn']>>;

export const CREATE_CLUB = `mutation($input: CreateClubInput!) { createClub(input: $input) { id name theme joinPolicy memberCount memberCap inviteCode storeId minTier { code } organizers { memberId nickname } } }`;
export const UPDATE_CLUB = `mutation($id: ID!, $input: UpdateClubInput!) { updateClub(id: $id, input: $input) { id name theme description joinPolicy memberCap } }`;
export const CLUB = `query($id: ID!) { club(id: $id) { id name memberCount inviteCode myMembership { role status } organizers { memberId } announcements { id title body } events(includePast: true) { id title status } } }`;
export const JOIN = `mutation($clubId: ID!, $code: String) { joinClub(clubId: $clubId, inviteCode: $code) { clubId role status } }`;
export const LEAVE = `mutation($clubId: ID!) { leaveClub(clubId: $clubId) { clubId role status } }`;
export const REVIEW = `mutation($clubId: ID!, $memberId: ID!, $approve: Boolean!) { reviewJoinRequest(clubId: $clubId, memberId: $memberId, approve: $approve) { memberId role status } }`;
export const REMOVE = `mutation($clubId: ID!, $memberId: ID!) { removeClubMember(clubId: $clubId, memberId: $memberId) { memberId role status } }`;
export const SET_ORGANIZER = `mutation($clubId: ID!, $userId: ID!, $on: Boolean!) { setClubOrganizer(clubId: $clubId, userId: $userId, organizer: $on) { memberId memberNo role status } }`;
export const MEMBERS = `query($clubId: ID!, $status: MembershipStatus) { clubMembers(clubId: $clubId, status: $status) { memberId memberNo nickname tierName role status } }`;
export const POST = `mutation($clubId: ID!, $input: AnnouncementInput!) { postAnnouncement(clubId: $clubId, input: $input) { id clubId title body } }`;
export const CREATE_EVENT = `mutation($input: CreateEventInput!) { createEvent(input: $input) { id clubId status capacity pointsCost pointsReward allowWalkIns minTier { code } } }`;
export const UPDATE_EVENT = `mutation($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id status capacity confirmedCount waitlistCount pointsCost } }`;
export const PUBLISH = `mutation($id: ID!) { publishEvent(id: $id) { id status } }`;
export const CANCEL_EVENT = `mutation($id: ID!, $reason: String) { cancelEvent(id: $id, reason: $reason) { id status cancelReason } }`;
export const FINISH_EVENT = `mutation($id: ID!) { finishEvent(id: $id) { id status } }`;
export const EVENT = `query($id: ID!) { event(id: $id) { id title status capacity confirmedCount waitlistCount spotsLeft pointsCost myRsvp { id status waitlistPosition pointsPaid pointsRefunded } club { id name } } }`;
export const RSVP = `mutation($id: ID!) { rsvpEvent(eventId: $id) { id eventId status waitlistPosition pointsPaid pointsRefunded } }`;
export const CANCEL_RSVP = `mutation($id: ID!) { cancelRsvp(eventId: $id) { id eventId status waitlistPosition pointsPaid pointsRefunded cancelledAt } }`;
export const RSVPS = `query($id: ID!) { eventRsvps(eventId: $id) { id memberNo status waitlistPosition pointsPaid pointsRefunded promotedAt } }`;
export const CHECK_IN = `mutation($id: ID!, $code: String!) { checkInAttendee(eventId: $id, memberCode: $code) { replayed rsvpStatus attendance { id eventId memberNo walkIn pointsAwarded eventTitle clubName } } }`;
export const ATTENDANCE = `query($id: ID!) { eventAttendance(eventId: $id) { memberNo walkIn pointsAwarded } }`;
export const MY_ATTENDANCE = `{ myAttendance(first: 20) { eventId eventTitle clubName walkIn pointsAwarded } }`;
export const MY_NOTIFICATIONS = `{ myNotifications(first: 50) { id kind title body page delivery } }`;
export const CONSENT = `mutation($ids: [String!]!) { recordSubscribeConsent(templateIds: $ids) { templateId remaining } }`;
export const RUN_JOBS = `mutation { runClubJobs { finished reminded notices delivered retried dead } }`;

/** Every table a club, event, notification or ledger operation writes, plus the sum of balances. */
const CLUB_TABLES = ['club', 'club_member', 'club_post', 'club_event', 'event_rsvp', 'event_attendance', 'notification', 'subscribe_consent', 'outbox'];

export const errCode = (r: GqlResult<unknown>): string | undefined => r.errors?.[0]?.extensions?.code;

/** Throws with the GraphQL errors when a call that should succeed did not. */
export function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

export interface EventOptions {
  capacity?: number;
  pointsCost?: number;
  pointsReward?: number;
  minTierCode?: string | null;
  allowWalkIns?: boolean;
  startsInMs?: number;
  durationMs?: number;
  refundCutoff?: Date | null;
  rsvpDeadline?: Date | null;
  storeId?: number | null;
  title?: string;
  publish?: boolean;
}

export class ClubKit {
  private n = 0;
  constructor(readonly t: TestApp, private readonly prefix: string) {}

  private label(kind: string): string {
    return `${this.prefix}-${kind}-${++this.n}`;
  }

  /** A member with an HQ-wide ORGANIZER grant (may start clubs). */
  async organizer(): Promise<Persona> {
    const p = await this.t.signIn(this.label('org'));
    await this.t.grant(p.userId, { role: 'ORGANIZER', scope: 'HQ', storeId: null, regionId: null });
    return p;
  }

  async hqManager(): Promise<Persona> {
    const p = await this.t.signIn(this.label('mgr'));
    await this.t.grant(p.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    return p;
  }

  /** A plain member, optionally with points and a tier (test setup, outside the API). */
  async member(opts: { points?: number; tier?: string } = {}): Promise<Persona> {
    const p = await this.t.signIn(this.label('m'));
    if (opts.points) await this.givePoints(p.memberId, opts.points);
    if (opts.tier) await this.setTier(p.memberId, opts.tier);
    return p;
  }

  async members(n: number, opts: { points?: number; tier?: string } = {}): Promise<Persona[]> {
    const out: Persona[] = [];
    for (let i = 0; i < n; i++) out.push(await this.member(opts));
    return out;
  }

  async givePoints(memberId: number, points: number): Promise<void> {
    await this.t.app.services.db.tx((q) =>
      credit(q, { memberId, kind: 'ADJUST', reason: 'test setup', actorId: null, storeId: null, sourceType: 'test_setup', sourceRef: `${memberId}-${++this.n}-${Date.now()}`, requestHash: null, now: new Date() }, points, 24),
    );
  }

  async setTier(memberId: number, code: string): Promise<void> {
    await this.t.app.services.db.q.run('UPDATE member SET tier_id = (SELECT id FROM tier WHERE code = ?) WHERE id = ?', [code, memberId]);
  }

  async balance(memberId: number): Promise<number> {
    return toInt((await this.t.app.services.db.q.get<{ b: unknown }>('SELECT balance AS b FROM member_account WHERE id = ?', [memberId]))?.b);
  }

  /** Creates a club through the API as `organizer`; returns its id. */
  async club(organizer: Persona, input: Record<string, unknown> = {}): Promise<string> {
    const r = ok(await this.t.gql<{ createClub: { id: string } }>(CREATE_CLUB, { input: { name: `俱乐部${++this.n}`, theme: '骑行', description: '周末一起骑车', joinPolicy: 'OPEN', ...input } }, organizer.token));
    return r.createClub.id;
  }

  /** Creates (and by default publishes) an event through the API; returns its id. */
  async event(organizer: Persona, clubId: string, o: EventOptions = {}): Promise<string> {
    const startsAt = new Date(Date.now() + (o.startsInMs ?? 3 * 86_400_000));
    const input: Record<string, unknown> = {
      clubId,
      title: o.title ?? `活动${++this.n}`,
      description: '奥森公园骑行 30 公里',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + (o.durationMs ?? 3 * 3600_000)).toISOString(),
      address: '北京奥林匹克森林公园南门',
      lat: 40.0028,
      lng: 116.3975,
      capacity: o.capacity ?? 20,
      pointsCost: o.pointsCost ?? 0,
      pointsReward: o.pointsReward ?? 0,
      minTierCode: o.minTierCode ?? null,
      allowWalkIns: o.allowWalkIns ?? false,
      refundCutoff: o.refundCutoff ? o.refundCutoff.toISOString() : null,
      rsvpDeadline: o.rsvpDeadline ? o.rsvpDeadline.toISOString() : null,
      storeId: o.storeId == null ? null : String(o.storeId),
    };
    const id = ok(await this.t.gql<{ createEvent: { id: string } }>(CREATE_EVENT, { input }, organizer.token)).createEvent.id;
    if (o.publish !== false) ok(await this.t.gql(PUBLISH, { id }, organizer.token));
    return id;
  }

  async join(m: Persona, clubId: string, code?: string): Promise<void> {
    ok(await this.t.gql(JOIN, { clubId, code: code ?? null }, m.token));
  }

  /** Moves an event's times by `ms` (negative = into the past), as if the clock had run on. */
  async shiftEvent(eventId: string, ms: number): Promise<void> {
    const q = this.t.app.services.db.q;
    const e = await q.get<Record<string, unknown>>('SELECT starts_at, ends_at, rsvp_deadline, refund_cutoff FROM club_event WHERE id = ?', [eventId]);
    const move = (v: unknown) => (v == null ? null : q.ts(new Date(toDate(v).getTime() + ms)));
    await q.run('UPDATE club_event SET starts_at = ?, ends_at = ?, rsvp_deadline = ?, refund_cutoff = ? WHERE id = ?', [move(e?.starts_at), move(e?.ends_at), move(e?.rsvp_deadline), move(e?.refund_cutoff), eventId]);
  }

  /** Row counts of every table a club operation may write (ledger tables included) and the sum of balances. */
  async counts(): Promise<Record<string, number>> {
    const out = await this.t.counts();
    for (const table of CLUB_TABLES) {
      out[table] = toInt((await this.t.app.services.db.q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
    }
    const e = await this.t.app.services.db.q.get<{ c: unknown; w: unknown }>('SELECT COALESCE(SUM(confirmed_count), 0) AS c, COALESCE(SUM(waitlist_seq), 0) AS w FROM club_event');
    out.confirmedSeats = toInt(e?.c);
    out.waitlistSeq = toInt(e?.w);
    const c = await this.t.app.services.db.q.get<{ n: unknown }>('SELECT COALESCE(SUM(member_count), 0) AS n FROM club');
    out.clubMembers = toInt(c?.n);
    return out;
  }

  /** The invariants of every event: confirmed_count = confirmed RSVPs ≤ capacity, one live RSVP per member. */
  async eventInvariants(eventId: string): Promise<{ confirmedCount: number; confirmedRows: number; capacity: number; waitlisted: number }> {
    const q = this.t.app.services.db.q;
    const e = await q.get<Record<string, unknown>>('SELECT confirmed_count, capacity FROM club_event WHERE id = ?', [eventId]);
    const c = await q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM event_rsvp WHERE event_id = ? AND status = 'CONFIRMED'", [eventId]);
    const w = await q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM event_rsvp WHERE event_id = ? AND status = 'WAITLISTED'", [eventId]);
    return { confirmedCount: toInt(e?.confirmed_count), confirmedRows: toInt(c?.n), capacity: toInt(e?.capacity), waitlisted: toInt(w?.n) };
  }
}
