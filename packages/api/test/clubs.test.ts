/**
 * Clubs and events (F7) through real HTTP on MariaDB: join policies and the member cap, per-club organizer roles,
 * WeChat content security on organizers' texts, tier restrictions, check-in at the door, the event lifecycle, the
 * manager view, and bad input that changes nothing. (RSVP concurrency and refunds: clubs.rsvp.*.test.ts;
 * announcements, subscribe messages and reminders: club-notifications.test.ts.)
 */
import { ErrorCode } from '@quanzi/shared';
import { toDate, toInt } from '../src/db/sql';
import { startTestApp, type TestApp } from './support/harness';
import {
  ATTENDANCE,
  CHECK_IN,
  CLUB,
  ClubKit,
  CREATE_CLUB,
  CREATE_EVENT,
  errCode,
  EVENT,
  FINISH_EVENT,
  JOIN,
  LEAVE,
  MEMBERS,
  MY_ATTENDANCE,
  ok,
  POST,
  PUBLISH,
  REMOVE,
  REVIEW,
  RSVP,
  SET_ORGANIZER,
  UPDATE_CLUB,
  UPDATE_EVENT,
  CANCEL_EVENT,
  type Persona,
} from './support/clubs';

type Membership = { joinClub: { role: string; status: string } };
type CheckIn = { checkInAttendee: { replayed: boolean; rsvpStatus: string | null; attendance: { memberNo: string; walkIn: boolean; pointsAwarded: number } } };

describe('clubs and events', () => {
  let t: TestApp;
  let kit: ClubKit;
  beforeAll(async () => {
    t = await startTestApp('mariadb');
    kit = new ClubKit(t, 'clubs');
  }, 60_000);
  afterAll(async () => t?.close());

  const join = (m: Persona, clubId: string, code: string | null = null) => t.gql<Membership>(JOIN, { clubId, code }, m.token);
  const rsvp = (m: Persona, id: string) => t.gql<{ rsvpEvent: { status: string } }>(RSVP, { id }, m.token);
  const checkIn = (who: Persona, id: string, m: Persona, nowMs = Date.now()) => t.gql<CheckIn>(CHECK_IN, { id, code: t.codeOf(m, nowMs) }, who.token);

  describe('clubs and membership', () => {
    test('an organizer starts a club and runs it; members join an OPEN club; the member list shows roles', async () => {
      const org = await kit.organizer();
      const created = ok(await t.gql<{ createClub: Record<string, unknown> }>(CREATE_CLUB, { input: { name: '周末骑行俱乐部', theme: '骑行', description: '每周六早上奥森骑行', joinPolicy: 'OPEN', memberCap: 100 } }, org.token)).createClub;
      expect(created).toMatchObject({ name: '周末骑行俱乐部', joinPolicy: 'OPEN', memberCount: 1, memberCap: 100, inviteCode: null, storeId: null, organizers: [{ memberId: String(org.memberId), nickname: null }] });
      const clubId = created.id as string;
      const [a, b] = await kit.members(2);
      expect(ok(await join(a!, clubId)).joinClub).toMatchObject({ role: 'MEMBER', status: 'ACTIVE' });
      expect(ok(await join(b!, clubId)).joinClub.status).toBe('ACTIVE');
      // Joining again is a no-op.
      const before = await kit.counts();
      expect(ok(await join(a!, clubId)).joinClub.status).toBe('ACTIVE');
      expect(await kit.counts()).toEqual(before);
      const list = ok(await t.gql<{ clubMembers: { memberNo: string; role: string; status: string; tierName: string }[] }>(MEMBERS, { clubId }, org.token)).clubMembers;
      expect(list).toEqual([
        expect.objectContaining({ memberNo: org.memberNo, role: 'ORGANIZER', status: 'ACTIVE', tierName: '普通' }),
        expect.objectContaining({ memberNo: a!.memberNo, role: 'MEMBER', status: 'ACTIVE' }),
        expect.objectContaining({ memberNo: b!.memberNo, role: 'MEMBER', status: 'ACTIVE' }),
      ]);
      const club = ok(await t.gql<{ club: { memberCount: number; myMembership: { role: string } } }>(CLUB, { id: clubId }, a!.token)).club;
      expect(club).toMatchObject({ memberCount: 3, myMembership: { role: 'MEMBER' } });
      // A member may not see the list or edit the club.
      expect(errCode(await t.gql(MEMBERS, { clubId }, a!.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(UPDATE_CLUB, { id: clubId, input: { name: '改名' } }, a!.token))).toBe(ErrorCode.FORBIDDEN);
      expect(ok(await t.gql<{ updateClub: { name: string } }>(UPDATE_CLUB, { id: clubId, input: { name: '奥森骑行俱乐部' } }, org.token)).updateClub.name).toBe('奥森骑行俱乐部');
    });

    test('texts pass WeChat content security first: risky and review texts are CONTENT_REJECTED and nothing is stored', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org);
      t.sim.setFlaggedWords([{ word: '赌博', suggest: 'risky', label: 20006 }, { word: '加微信返现', suggest: 'review', label: 10001 }]);
      try {
        const before = await kit.counts();
        const risky = await t.gql(CREATE_CLUB, { input: { name: '牌友会', theme: '棋牌', description: '周末一起赌博', joinPolicy: 'OPEN' } }, org.token);
        expect(errCode(risky)).toBe(ErrorCode.CONTENT_REJECTED);
        expect(risky.errors?.[0]?.extensions).toMatchObject({ suggest: 'risky', label: 20006 });
        const review = await t.gql(UPDATE_CLUB, { id: clubId, input: { description: '加微信返现 领福利' } }, org.token);
        expect(errCode(review)).toBe(ErrorCode.CONTENT_REJECTED);
        expect(review.errors?.[0]?.extensions).toMatchObject({ suggest: 'review', label: 10001 });
        const event = await t.gql(CREATE_EVENT, { input: { clubId, title: '夜骑', description: '结束后赌博', startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 90_000_000).toISOString(), address: '奥森', capacity: 10 } }, org.token);
        expect(errCode(event)).toBe(ErrorCode.CONTENT_REJECTED);
        expect(errCode(await t.gql(POST, { clubId, input: { title: '通知', body: '赌博活动' } }, org.token))).toBe(ErrorCode.CONTENT_REJECTED);
        expect(await kit.counts()).toEqual(before);
        const club = ok(await t.gql<{ club: { name: string; announcements: unknown[] } }>(CLUB, { id: clubId }, org.token)).club;
        expect(club.announcements).toEqual([]);
        // WeChat unreachable: fail closed.
        t.sim.failNext('msg_sec_check', -1);
        expect(errCode(await t.gql(POST, { clubId, input: { title: '通知', body: '周六照常' } }, org.token))).toBe(ErrorCode.WECHAT_UNAVAILABLE);
        expect(await kit.counts()).toEqual(before);
        // Clean text passes.
        expect(ok(await t.gql(POST, { clubId, input: { title: '通知', body: '周六照常骑行' } }, org.token))).toMatchObject({ postAnnouncement: { title: '通知' } });
      } finally {
        t.sim.setFlaggedWords([]);
      }
    });

    test('APPROVAL: requests wait until an organizer approves or rejects them', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org, { joinPolicy: 'APPROVAL' });
      const [a, b] = await kit.members(2);
      expect(ok(await join(a!, clubId)).joinClub.status).toBe('PENDING');
      expect(ok(await join(b!, clubId)).joinClub.status).toBe('PENDING');
      const pending = ok(await t.gql<{ clubMembers: { memberId: string }[] }>(MEMBERS, { clubId, status: 'PENDING' }, org.token)).clubMembers;
      expect(pending.map((p) => Number(p.memberId))).toEqual([a!.memberId, b!.memberId]);
      // A pending member cannot decide on others.
      expect(errCode(await t.gql(REVIEW, { clubId, memberId: String(b!.memberId), approve: true }, a!.token))).toBe(ErrorCode.FORBIDDEN);
      expect(ok(await t.gql(REVIEW, { clubId, memberId: String(a!.memberId), approve: true }, org.token))).toMatchObject({ reviewJoinRequest: { status: 'ACTIVE' } });
      expect(ok(await t.gql(REVIEW, { clubId, memberId: String(b!.memberId), approve: false }, org.token))).toMatchObject({ reviewJoinRequest: { status: 'REJECTED' } });
      // Approving twice is a no-op; approving a rejected request is refused.
      const before = await kit.counts();
      expect(ok(await t.gql(REVIEW, { clubId, memberId: String(a!.memberId), approve: true }, org.token))).toMatchObject({ reviewJoinRequest: { status: 'ACTIVE' } });
      expect(errCode(await t.gql(REVIEW, { clubId, memberId: String(b!.memberId), approve: true }, org.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(await kit.counts()).toEqual(before);
      expect(ok(await t.gql<{ club: { memberCount: number } }>(CLUB, { id: clubId }, org.token)).club.memberCount).toBe(2);
      // A rejected member may ask again.
      expect(ok(await join(b!, clubId)).joinClub.status).toBe('PENDING');
    });

    test('TIER_MIN: a member below the tier gets TIER_REQUIRED and nothing changes; gold and above join', async () => {
      const org = await kit.organizer();
      const created = ok(await t.gql<{ createClub: { id: string; minTier: { code: string } } }>(CREATE_CLUB, { input: { name: '金卡财富俱乐部', theme: '理财', description: '金卡及以上会员', joinPolicy: 'TIER_MIN', minTierCode: 'GOLD' } }, org.token)).createClub;
      expect(created.minTier.code).toBe('GOLD');
      const silver = await kit.member({ tier: 'SILVER' });
      const gold = await kit.member({ tier: 'GOLD' });
      const diamond = await kit.member({ tier: 'DIAMOND' });
      const before = await kit.counts();
      const refused = await join(silver, created.id);
      expect(errCode(refused)).toBe(ErrorCode.TIER_REQUIRED);
      expect(refused.errors?.[0]?.extensions?.minTier).toBe('GOLD');
      expect(await kit.counts()).toEqual(before);
      expect(ok(await join(gold, created.id)).joinClub.status).toBe('ACTIVE');
      expect(ok(await join(diamond, created.id)).joinClub.status).toBe('ACTIVE');
    });

    test('INVITE: the right code joins, a wrong one is INVITE_INVALID; a reset code retires the old one; only organizers see it', async () => {
      const org = await kit.organizer();
      const created = ok(await t.gql<{ createClub: { id: string; inviteCode: string } }>(CREATE_CLUB, { input: { name: '读书会', theme: '阅读', description: '每月一本', joinPolicy: 'INVITE' } }, org.token)).createClub;
      expect(created.inviteCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
      const [a, b, c] = await kit.members(3);
      expect(ok(await t.gql<{ club: { inviteCode: string | null } }>(CLUB, { id: created.id }, a!.token)).club.inviteCode).toBeNull();
      const before = await kit.counts();
      expect(errCode(await join(a!, created.id, 'WRONG234'))).toBe(ErrorCode.INVITE_INVALID);
      expect(errCode(await join(a!, created.id))).toBe(ErrorCode.INVITE_INVALID);
      expect(await kit.counts()).toEqual(before);
      expect(ok(await join(a!, created.id, created.inviteCode.toLowerCase())).joinClub.status).toBe('ACTIVE');
      const reset = ok(await t.gql<{ resetClubInviteCode: { inviteCode: string } }>('mutation($id: ID!) { resetClubInviteCode(clubId: $id) { inviteCode } }', { id: created.id }, org.token)).resetClubInviteCode;
      expect(reset.inviteCode).not.toBe(created.inviteCode);
      expect(errCode(await join(b!, created.id, created.inviteCode))).toBe(ErrorCode.INVITE_INVALID);
      expect(ok(await join(c!, created.id, reset.inviteCode)).joinClub.status).toBe('ACTIVE');
      expect(errCode(await t.gql('mutation($id: ID!) { resetClubInviteCode(clubId: $id) { inviteCode } }', { id: created.id }, a!.token))).toBe(ErrorCode.FORBIDDEN);
    });

    test('the member cap holds under concurrency: 10 joins for 4 places: 4 join, 6 get CLUB_FULL; leaving frees a place', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org, { memberCap: 5 }); // the organizer holds one place
      const people = await kit.members(10);
      const results = await Promise.all(people.map((m) => join(m, clubId)));
      const joined = people.filter((_, i) => results[i]!.data?.joinClub?.status === 'ACTIVE');
      expect(joined).toHaveLength(4);
      expect(results.filter((r) => errCode(r) === ErrorCode.CLUB_FULL)).toHaveLength(6);
      const count = async () => toInt((await t.app.services.db.q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM club_member WHERE club_id = ? AND status = 'ACTIVE'", [clubId]))?.n);
      expect(await count()).toBe(5);
      expect(ok(await t.gql<{ club: { memberCount: number } }>(CLUB, { id: clubId }, org.token)).club.memberCount).toBe(5);
      const outsider = people.find((p) => !joined.includes(p))!;
      const before = await kit.counts();
      expect(errCode(await join(outsider, clubId))).toBe(ErrorCode.CLUB_FULL);
      expect(await kit.counts()).toEqual(before);
      expect(ok(await t.gql(LEAVE, { clubId }, joined[0]!.token))).toMatchObject({ leaveClub: { status: 'LEFT' } });
      expect(ok(await join(outsider, clubId)).joinClub.status).toBe('ACTIVE');
      expect(await count()).toBe(5);
      // The cap cannot go below the members there are.
      expect(errCode(await t.gql(UPDATE_CLUB, { id: clubId, input: { memberCap: 4 } }, org.token))).toBe(ErrorCode.BAD_USER_INPUT);
    });

    test('leaving and removal: a removed member cannot rejoin; organizers lose the role before they can be removed', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org);
      const [a, b] = await kit.members(2);
      await kit.join(a!, clubId);
      await kit.join(b!, clubId);
      expect(ok(await t.gql(LEAVE, { clubId }, a!.token))).toMatchObject({ leaveClub: { status: 'LEFT' } });
      expect(ok(await t.gql(LEAVE, { clubId }, a!.token))).toMatchObject({ leaveClub: { status: 'LEFT' } });
      expect(ok(await join(a!, clubId)).joinClub.status).toBe('ACTIVE');
      expect(ok(await t.gql(REMOVE, { clubId, memberId: String(b!.memberId) }, org.token))).toMatchObject({ removeClubMember: { status: 'REMOVED' } });
      const before = await kit.counts();
      expect(errCode(await join(b!, clubId))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(REMOVE, { clubId, memberId: String(org.memberId) }, org.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(errCode(await t.gql(REMOVE, { clubId, memberId: String(org.memberId) }, a!.token))).toBe(ErrorCode.FORBIDDEN);
      expect(await kit.counts()).toEqual(before);
      expect(ok(await t.gql<{ club: { memberCount: number } }>(CLUB, { id: clubId }, org.token)).club.memberCount).toBe(2);
    });
  });

  describe('per-club organizers and authorization', () => {
    test('an organizer of club A cannot edit club B, run its events, post to it or check in to its events; nothing changes', async () => {
      const orgA = await kit.organizer();
      const orgB = await kit.organizer();
      const clubA = await kit.club(orgA);
      const clubB = await kit.club(orgB, { memberCap: 50 });
      const m = await kit.member({ points: 100 });
      await kit.join(m, clubA);
      await kit.join(m, clubB);
      const eventB = await kit.event(orgB, clubB, { startsInMs: 3600_000, pointsReward: 20 });
      const draftB = await kit.event(orgB, clubB, { publish: false });
      ok(await rsvp(m, eventB));
      const before = await kit.counts();
      const future = new Date(Date.now() + 86_400_000);
      const attempts = [
        t.gql(UPDATE_CLUB, { id: clubB, input: { name: '被改了' } }, orgA.token),
        t.gql(UPDATE_CLUB, { id: clubB, input: { memberCap: 2 } }, orgA.token),
        t.gql(CREATE_EVENT, { input: { clubId: clubB, title: '冒名活动', description: '', startsAt: future.toISOString(), endsAt: new Date(future.getTime() + 3600_000).toISOString(), address: '某地', capacity: 5 } }, orgA.token),
        t.gql(UPDATE_EVENT, { id: eventB, input: { title: '改了' } }, orgA.token),
        t.gql(PUBLISH, { id: draftB }, orgA.token),
        t.gql(CANCEL_EVENT, { id: eventB }, orgA.token),
        t.gql(FINISH_EVENT, { id: eventB }, orgA.token),
        t.gql(POST, { clubId: clubB, input: { title: '冒名', body: '公告' } }, orgA.token),
        t.gql(MEMBERS, { clubId: clubB }, orgA.token),
        t.gql(REMOVE, { clubId: clubB, memberId: String(m.memberId) }, orgA.token),
        t.gql(SET_ORGANIZER, { clubId: clubB, userId: String(orgA.userId), on: true }, orgA.token),
        t.gql(ATTENDANCE, { id: eventB }, orgA.token),
        checkIn(orgA, eventB, m),
      ];
      for (const r of await Promise.all(attempts)) expect(errCode(r)).toBe(ErrorCode.FORBIDDEN);
      expect(await kit.counts()).toEqual(before);
      expect(ok(await t.gql<{ club: { name: string } }>(CLUB, { id: clubB }, m.token)).club.name).not.toBe('被改了');
      // The draft stays invisible to organizers of another club.
      expect(errCode(await t.gql(EVENT, { id: draftB }, orgA.token))).toBe(ErrorCode.NOT_FOUND);
      // B's own organizer checks the member in (the code was not used by the refused attempt).
      expect(ok(await checkIn(orgB, eventB, m)).checkInAttendee).toMatchObject({ replayed: false, attendance: { pointsAwarded: 20 } });
    });

    test('managers grant the organizer role per club; it reaches that club only; members and organizers cannot grant it', async () => {
      const founder = await kit.organizer();
      const clubA = await kit.club(founder);
      const clubB = await kit.club(founder);
      const manager = await kit.hqManager();
      const helper = await kit.member();
      expect(errCode(await t.gql(SET_ORGANIZER, { clubId: clubA, userId: String(helper.userId), on: true }, founder.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(SET_ORGANIZER, { clubId: clubA, userId: String(helper.userId), on: true }, helper.token))).toBe(ErrorCode.FORBIDDEN);
      const granted = ok(await t.gql<{ setClubOrganizer: { role: string; status: string } }>(SET_ORGANIZER, { clubId: clubA, userId: String(helper.userId), on: true }, manager.token)).setClubOrganizer;
      expect(granted).toEqual(expect.objectContaining({ role: 'ORGANIZER', status: 'ACTIVE' }));
      expect(ok(await t.gql<{ updateClub: { theme: string } }>(UPDATE_CLUB, { id: clubA, input: { theme: '山地骑行' } }, helper.token)).updateClub.theme).toBe('山地骑行');
      expect(errCode(await t.gql(UPDATE_CLUB, { id: clubB, input: { theme: '山地骑行' } }, helper.token))).toBe(ErrorCode.FORBIDDEN);
      expect(ok(await t.gql<{ club: { memberCount: number } }>(CLUB, { id: clubA }, helper.token)).club.memberCount).toBe(2);
      // Revoked: a plain member again.
      expect(ok(await t.gql(SET_ORGANIZER, { clubId: clubA, userId: String(helper.userId), on: false }, manager.token))).toMatchObject({ setClubOrganizer: { role: 'MEMBER', status: 'ACTIVE' } });
      expect(errCode(await t.gql(UPDATE_CLUB, { id: clubA, input: { theme: '公路骑行' } }, helper.token))).toBe(ErrorCode.FORBIDDEN);
    });

    test('who may start a club: organizers and managers in scope; a member may not; a store organizer only at their store', async () => {
      const member = await kit.member();
      const local = await t.signIn('clubs-store-organizer');
      await t.grant(local.userId, { role: 'ORGANIZER', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
      const before = await kit.counts();
      expect(errCode(await t.gql(CREATE_CLUB, { input: { name: 'x', theme: 'y', description: '', joinPolicy: 'OPEN' } }, member.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(CREATE_CLUB, { input: { name: 'x', theme: 'y', description: '', joinPolicy: 'OPEN' } }, null))).toBe(ErrorCode.UNAUTHENTICATED);
      expect(errCode(await t.gql(CREATE_CLUB, { input: { name: 'x', theme: 'y', description: '', joinPolicy: 'OPEN' } }, local.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(CREATE_CLUB, { input: { name: 'x', theme: 'y', description: '', joinPolicy: 'OPEN', storeId: String(t.org.zhonglou) } }, local.token))).toBe(ErrorCode.FORBIDDEN);
      expect(await kit.counts()).toEqual(before);
      const atStore = ok(await t.gql<{ createClub: { storeId: string } }>(CREATE_CLUB, { input: { name: '国贸跑团', theme: '跑步', description: '', joinPolicy: 'OPEN', storeId: String(t.org.guomao) } }, local.token)).createClub;
      expect(atStore.storeId).toBe(String(t.org.guomao));
    });
  });

  describe('tier-restricted events', () => {
    test('a member below the event tier cannot RSVP (TIER_REQUIRED) and nothing changes; non-members must join first', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org);
      const eventId = await kit.event(org, clubId, { capacity: 10, pointsCost: 50, minTierCode: 'PLATINUM' });
      const gold = await kit.member({ points: 500, tier: 'GOLD' });
      const platinum = await kit.member({ points: 500, tier: 'PLATINUM' });
      const outsider = await kit.member({ points: 500, tier: 'DIAMOND' });
      await kit.join(gold, clubId);
      await kit.join(platinum, clubId);
      const before = await kit.counts();
      const refused = await rsvp(gold, eventId);
      expect(errCode(refused)).toBe(ErrorCode.TIER_REQUIRED);
      expect(refused.errors?.[0]?.extensions?.minTier).toBe('PLATINUM');
      expect(errCode(await rsvp(outsider, eventId))).toBe(ErrorCode.CLUB_MEMBERSHIP_REQUIRED);
      expect(await kit.counts()).toEqual(before);
      expect(await kit.balance(gold.memberId)).toBe(500);
      expect(ok(await rsvp(platinum, eventId)).rsvpEvent.status).toBe('CONFIRMED');
      expect(await kit.balance(platinum.memberId)).toBe(450);
    });
  });

  describe('check-in at the door', () => {
    test('idempotent: a second scan (same or rotated code) returns the first check-in; the reward is credited once; history per member and per event', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org);
      const eventId = await kit.event(org, clubId, { startsInMs: 3600_000, pointsReward: 30, title: '奥森晨骑' });
      const m = await kit.member();
      await kit.join(m, clubId);
      ok(await rsvp(m, eventId));
      const code = t.codeOf(m);
      const first = ok(await t.gql<CheckIn>(CHECK_IN, { id: eventId, code }, org.token)).checkInAttendee;
      expect(first).toMatchObject({ replayed: false, rsvpStatus: 'CONFIRMED', attendance: { memberNo: m.memberNo, walkIn: false, pointsAwarded: 30 } });
      const before = await kit.counts();
      expect(ok(await t.gql<CheckIn>(CHECK_IN, { id: eventId, code }, org.token)).checkInAttendee.replayed).toBe(true);
      expect(ok(await checkIn(org, eventId, m, Date.now() + 30_000)).checkInAttendee.replayed).toBe(true);
      const concurrent = await Promise.all(Array.from({ length: 5 }, () => checkIn(org, eventId, m, Date.now() + 30_000)));
      for (const r of concurrent) expect(ok(r).checkInAttendee.replayed).toBe(true);
      expect(await kit.counts()).toEqual(before);
      expect(await kit.balance(m.memberId)).toBe(30);
      const entries = await t.app.services.db.q.all("SELECT id FROM points_entry WHERE source_type = 'event_attend' AND source_ref = ?", [`${eventId}:${m.memberId}`]);
      expect(entries).toHaveLength(1);
      const mine = ok(await t.gql<{ myAttendance: { eventId: string; eventTitle: string; pointsAwarded: number }[] }>(MY_ATTENDANCE, {}, m.token)).myAttendance;
      expect(mine).toEqual([expect.objectContaining({ eventId, eventTitle: '奥森晨骑', pointsAwarded: 30, walkIn: false })]);
      const atEvent = ok(await t.gql<{ eventAttendance: { memberNo: string }[] }>(ATTENDANCE, { id: eventId }, org.token)).eventAttendance;
      expect(atEvent).toEqual([{ memberNo: m.memberNo, walkIn: false, pointsAwarded: 30 }]);
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });

    test('members without a confirmed RSVP are refused (RSVP_REQUIRED) and nothing changes, unless walk-ins are allowed', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org);
      const strict = await kit.event(org, clubId, { startsInMs: 3600_000, capacity: 1, pointsReward: 10 });
      const open = await kit.event(org, clubId, { startsInMs: 3600_000, allowWalkIns: true, pointsReward: 10 });
      const [seated, waiting, stranger] = await kit.members(3);
      for (const m of [seated!, waiting!]) await kit.join(m, clubId);
      ok(await rsvp(seated!, strict));
      expect(ok(await rsvp(waiting!, strict)).rsvpEvent.status).toBe('WAITLISTED');
      const before = await kit.counts();
      const noRsvp = await checkIn(org, strict, stranger!);
      expect(errCode(noRsvp)).toBe(ErrorCode.RSVP_REQUIRED);
      const onWaitlist = await checkIn(org, strict, waiting!);
      expect(errCode(onWaitlist)).toBe(ErrorCode.RSVP_REQUIRED);
      expect(onWaitlist.errors?.[0]?.extensions?.rsvpStatus).toBe('WAITLISTED');
      expect(await kit.counts()).toEqual(before);
      // The refused scans did not use the codes: the same codes walk in where walk-ins are welcome.
      const walkIn = ok(await checkIn(org, open, stranger!)).checkInAttendee;
      expect(walkIn).toMatchObject({ replayed: false, rsvpStatus: null, attendance: { walkIn: true, pointsAwarded: 10 } });
      expect(await kit.balance(stranger!.memberId)).toBe(10);
    });

    test("staff of the event's store may check in; staff elsewhere may not; the door opens 2 hours before the start", async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org);
      const atGuomao = await kit.event(org, clubId, { startsInMs: 3600_000, storeId: t.org.guomao });
      const later = await kit.event(org, clubId, { startsInMs: 5 * 3600_000 });
      const staff = await t.signIn('clubs-door-staff');
      await t.grant(staff.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.guomao, regionId: t.org.beijing });
      const elsewhere = await t.signIn('clubs-door-staff-xian');
      await t.grant(elsewhere.userId, { role: 'STAFF', scope: 'STORE', storeId: t.org.zhonglou, regionId: t.org.xian });
      const [m, n] = await kit.members(2);
      for (const p of [m!, n!]) {
        await kit.join(p, clubId);
        ok(await rsvp(p, atGuomao));
        ok(await rsvp(p, later));
      }
      const before = await kit.counts();
      expect(errCode(await checkIn(elsewhere, atGuomao, m!))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await checkIn(staff, later, m!))).toBe(ErrorCode.FORBIDDEN); // no store: organizers and managers only
      expect(errCode(await checkIn(org, later, m!))).toBe(ErrorCode.EVENT_CLOSED); // starts in 5 h
      expect(await kit.counts()).toEqual(before);
      expect(ok(await checkIn(staff, atGuomao, m!)).checkInAttendee.replayed).toBe(false);
      expect(ok(await t.gql<{ eventAttendance: unknown[] }>(ATTENDANCE, { id: atGuomao }, staff.token)).eventAttendance).toHaveLength(1);
    });
  });

  describe('event lifecycle', () => {
    test('drafts are hidden from members and closed to RSVPs; publish, finish (waitlist refunded) and what is refused after', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org);
      const [a, b] = await kit.members(2, { points: 100 });
      await kit.join(a!, clubId);
      await kit.join(b!, clubId);
      const eventId = await kit.event(org, clubId, { capacity: 1, pointsCost: 40, startsInMs: 3600_000, publish: false });
      expect(errCode(await t.gql(EVENT, { id: eventId }, a!.token))).toBe(ErrorCode.NOT_FOUND);
      expect(errCode(await rsvp(a!, eventId))).toBe(ErrorCode.NOT_FOUND);
      expect(ok(await t.gql<{ club: { events: unknown[] } }>(CLUB, { id: clubId }, a!.token)).club.events).toEqual([]);
      expect(ok(await t.gql<{ club: { events: unknown[] } }>(CLUB, { id: clubId }, org.token)).club.events).toHaveLength(1);
      expect(ok(await t.gql(PUBLISH, { id: eventId }, org.token))).toMatchObject({ publishEvent: { status: 'PUBLISHED' } });
      expect(ok(await t.gql(PUBLISH, { id: eventId }, org.token))).toMatchObject({ publishEvent: { status: 'PUBLISHED' } });
      expect(ok(await rsvp(a!, eventId)).rsvpEvent.status).toBe('CONFIRMED');
      expect(ok(await rsvp(b!, eventId)).rsvpEvent.status).toBe('WAITLISTED');
      expect(errCode(await t.gql(UPDATE_EVENT, { id: eventId, input: { pointsCost: 10 } }, org.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(errCode(await t.gql(FINISH_EVENT, { id: eventId }, org.token))).toBe(ErrorCode.BAD_USER_INPUT); // not started
      await kit.shiftEvent(eventId, -2 * 3600_000); // it has started
      expect(ok(await t.gql(FINISH_EVENT, { id: eventId }, org.token))).toMatchObject({ finishEvent: { status: 'FINISHED' } });
      expect(await kit.balance(a!.memberId)).toBe(60);
      expect(await kit.balance(b!.memberId)).toBe(100); // never had a seat
      const before = await kit.counts();
      expect(ok(await t.gql(FINISH_EVENT, { id: eventId }, org.token))).toMatchObject({ finishEvent: { status: 'FINISHED' } });
      expect(errCode(await t.gql(CANCEL_EVENT, { id: eventId }, org.token))).toBe(ErrorCode.EVENT_CLOSED);
      expect(errCode(await t.gql(UPDATE_EVENT, { id: eventId, input: { title: '改' } }, org.token))).toBe(ErrorCode.EVENT_CLOSED);
      expect(errCode(await checkIn(org, eventId, a!))).toBe(ErrorCode.EVENT_CLOSED);
      expect(await kit.counts()).toEqual(before);
      expect(await t.app.services.ledger.reconcile()).toEqual([]);
    });

    test('RSVPs close at the deadline (EVENT_CLOSED)', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org);
      const m = await kit.member();
      await kit.join(m, clubId);
      const eventId = await kit.event(org, clubId, { rsvpDeadline: new Date(Date.now() + 86_400_000) });
      await t.app.services.db.q.run('UPDATE club_event SET rsvp_deadline = ? WHERE id = ?', [t.app.services.db.q.ts(new Date(Date.now() - 1000)), eventId]);
      const before = await kit.counts();
      const r = await rsvp(m, eventId);
      expect(errCode(r)).toBe(ErrorCode.EVENT_CLOSED);
      expect(r.errors?.[0]?.extensions?.reason).toBe('DEADLINE_PASSED');
      expect(await kit.counts()).toEqual(before);
    });
  });

  describe('manager view', () => {
    test('clubs by members and activity, with attendance and no-show rates of finished events, within the manager’s scope', async () => {
      const org = await kit.organizer();
      const clubId = await kit.club(org, { storeId: String(t.org.guomao), name: '国贸羽毛球' });
      const people = await kit.members(4);
      for (const p of people) await kit.join(p, clubId);
      const eventId = await kit.event(org, clubId, { startsInMs: 3600_000, capacity: 3, pointsReward: 5, allowWalkIns: true });
      for (const p of people) ok(await rsvp(p, eventId)); // 3 seats, 1 waitlisted
      ok(await checkIn(org, eventId, people[0]!));
      ok(await checkIn(org, eventId, people[1]!));
      ok(await checkIn(org, eventId, people[3]!)); // the waitlisted one walks in
      ok(await t.gql(POST, { clubId, input: { title: '场地', body: '3 号场' } }, org.token));
      await kit.shiftEvent(eventId, -2 * 3600_000);
      ok(await t.gql(FINISH_EVENT, { id: eventId }, org.token));

      const REPORT = `query($r: ID, $s: ID) { clubReport(regionId: $r, storeId: $s) { club { id name } members pendingRequests events finishedEvents announcements confirmedRsvps attended walkIns attendanceRate noShowRate lastActivityAt } }`;
      const hq = await kit.hqManager();
      const rows = ok(await t.gql<{ clubReport: { club: { id: string }; members: number }[] }>(REPORT, {}, hq.token)).clubReport;
      expect(rows.find((r) => r.club.id === clubId)).toMatchObject({
        members: 5, pendingRequests: 0, events: 1, finishedEvents: 1, announcements: 1, confirmedRsvps: 3, attended: 2, walkIns: 1, attendanceRate: 0.6667, noShowRate: 0.3333, lastActivityAt: expect.any(String),
      });
      for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.members).toBeGreaterThanOrEqual(rows[i]!.members);

      const bj = await t.signIn('clubs-bj-manager');
      await t.grant(bj.userId, { role: 'MANAGER', scope: 'REGION', storeId: null, regionId: t.org.beijing });
      const inBeijing = ok(await t.gql<{ clubReport: { club: { id: string } }[] }>(REPORT, { r: String(t.org.beijing) }, bj.token)).clubReport;
      expect(inBeijing.map((r) => r.club.id)).toContain(clubId);
      const wide = await kit.club(org); // organisation-wide: HQ's, not the region's
      expect(inBeijing.map((r) => r.club.id)).not.toContain(wide);
      const atHq = ok(await t.gql<{ clubReport: { club: { id: string }; members: number; events: number; announcements: number; lastActivityAt: string | null }[] }>(REPORT, {}, hq.token)).clubReport;
      // A new club with no event or announcement yet: its last activity is its organizer joining.
      const joined = await t.app.services.db.q.get<{ t: unknown }>('SELECT MAX(updated_at) AS t FROM club_member WHERE club_id = ?', [wide]);
      expect(atHq.find((r) => r.club.id === wide)).toMatchObject({ members: 1, events: 0, announcements: 0, lastActivityAt: toDate(joined?.t).toISOString() });
      expect(errCode(await t.gql(REPORT, {}, bj.token))).toBe(ErrorCode.FORBIDDEN); // HQ scope
      expect(errCode(await t.gql(REPORT, { r: String(t.org.xian) }, bj.token))).toBe(ErrorCode.FORBIDDEN);
      expect(errCode(await t.gql(REPORT, {}, org.token))).toBe(ErrorCode.FORBIDDEN);

      const EVENTS = `query($id: ID!) { clubEventReport(clubId: $id) { eventId status capacity confirmed waitlisted cancelled attended walkIns attendanceRate noShowRate } }`;
      const events = ok(await t.gql<{ clubEventReport: unknown[] }>(EVENTS, { id: clubId }, org.token)).clubEventReport;
      expect(events).toEqual([{ eventId, status: 'FINISHED', capacity: 3, confirmed: 3, waitlisted: 1, cancelled: 0, attended: 2, walkIns: 1, attendanceRate: 0.6667, noShowRate: 0.3333 }]);
      expect(errCode(await t.gql(EVENTS, { id: clubId }, people[0]!.token))).toBe(ErrorCode.FORBIDDEN);
    });
  });

  describe('bad input changes nothing', () => {
    const future = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
    let org: Persona;
    let clubId: string;
    beforeAll(async () => {
      org = await kit.organizer();
      clubId = await kit.club(org);
    });

    test.each<[string, Record<string, unknown>, string]>([
      ['an empty name', { name: '' }, ErrorCode.BAD_USER_INPUT],
      ['a name of 41 characters', { name: '名'.repeat(41) }, ErrorCode.BAD_USER_INPUT],
      ['TIER_MIN without a tier', { joinPolicy: 'TIER_MIN' }, ErrorCode.BAD_USER_INPUT],
      ['an unknown tier', { joinPolicy: 'TIER_MIN', minTierCode: 'BRONZE' }, ErrorCode.BAD_USER_INPUT],
      ['a tier on an OPEN club', { minTierCode: 'GOLD' }, ErrorCode.BAD_USER_INPUT],
      ['a cap of 0', { memberCap: 0 }, ErrorCode.BAD_USER_INPUT],
      ['a cover that is not https', { coverUrl: 'ftp://example.com/a.png' }, ErrorCode.BAD_USER_INPUT],
      ['an unknown policy', { joinPolicy: 'SECRET' }, ErrorCode.BAD_USER_INPUT],
      ['an unknown store', { storeId: '999999' }, ErrorCode.NOT_FOUND],
      ['a non-numeric store id', { storeId: 'guomao' }, ErrorCode.BAD_USER_INPUT],
    ])('createClub with %s', async (_name, over, code) => {
      const before = await kit.counts();
      const r = await t.gql(CREATE_CLUB, { input: { name: '好名字', theme: '主题', description: '', joinPolicy: 'OPEN', ...over } }, org.token);
      expect(errCode(r)).toBe(code);
      expect(await kit.counts()).toEqual(before);
    });

    test.each<[string, Record<string, unknown>, string]>([
      ['a start in the past', { startsAt: future(-1), endsAt: future(1) }, ErrorCode.BAD_USER_INPUT],
      ['an end before the start', { startsAt: future(5), endsAt: future(4) }, ErrorCode.BAD_USER_INPUT],
      ['more than 7 days', { startsAt: future(5), endsAt: future(5 + 24 * 8) }, ErrorCode.BAD_USER_INPUT],
      ['capacity 0', { capacity: 0 }, ErrorCode.BAD_USER_INPUT],
      ['a negative cost', { pointsCost: -5 }, ErrorCode.BAD_USER_INPUT],
      ['a fractional reward', { pointsReward: 1.5 }, ErrorCode.BAD_USER_INPUT],
      ['lat without lng', { lat: 39.9, lng: null }, ErrorCode.BAD_USER_INPUT],
      ['an RSVP deadline after the start', { rsvpDeadline: future(30) }, ErrorCode.BAD_USER_INPUT],
      ['a refund cut-off after the start', { refundCutoff: future(30) }, ErrorCode.BAD_USER_INPUT],
      ['an unknown tier', { minTierCode: 'BRONZE' }, ErrorCode.BAD_USER_INPUT],
      ['a malformed date', { startsAt: 'next friday' }, ErrorCode.BAD_USER_INPUT],
      ['an empty address', { address: ' ' }, ErrorCode.BAD_USER_INPUT],
      ['an unknown club', { clubId: '999999' }, ErrorCode.NOT_FOUND],
    ])('createEvent with %s', async (_name, over, code) => {
      const before = await kit.counts();
      const input = { clubId, title: '活动', description: '', startsAt: future(24), endsAt: future(26), address: '奥森', capacity: 10, ...over };
      expect(errCode(await t.gql(CREATE_EVENT, { input }, org.token))).toBe(code);
      expect(await kit.counts()).toEqual(before);
    });

    test('other operations: malformed ids, unknown clubs and events, an empty announcement, a forged member code, unknown templates', async () => {
      const m = await kit.member();
      const eventId = await kit.event(org, clubId, { startsInMs: 3600_000 });
      const before = await kit.counts();
      expect(errCode(await t.gql(JOIN, { clubId: 'abc' }, m.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(errCode(await t.gql(JOIN, { clubId: '999999' }, m.token))).toBe(ErrorCode.NOT_FOUND);
      expect(errCode(await t.gql(RSVP, { id: '999999' }, m.token))).toBe(ErrorCode.NOT_FOUND);
      expect(errCode(await t.gql(POST, { clubId, input: { title: '通知', body: '' } }, org.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(errCode(await t.gql(CHECK_IN, { id: eventId, code: 'QZ1.123.456789' }, org.token))).toBe(ErrorCode.CODE_INVALID);
      expect(errCode(await t.gql(CHECK_IN, { id: eventId, code: 'hello' }, org.token))).toBe(ErrorCode.CODE_INVALID);
      expect(errCode(await t.gql('mutation { recordSubscribeConsent(templateIds: ["nope"]) { remaining } }', {}, m.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(errCode(await t.gql('mutation { recordSubscribeConsent(templateIds: []) { remaining } }', {}, m.token))).toBe(ErrorCode.BAD_USER_INPUT);
      expect(errCode(await t.gql(RSVP, { id: eventId }, null))).toBe(ErrorCode.UNAUTHENTICATED);
      expect(await kit.counts()).toEqual(before);
    });
  });
});
