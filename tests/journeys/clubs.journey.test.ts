/**
 * Journey (F7) through GraphQL over HTTP against MariaDB, as the mini-program drives it: a manager appoints an
 * organizer and door staff; the organizer creates a club and an event with a points cost and an attendance reward;
 * members earn points at the till, join and RSVP (one lands on the waitlist and moves up when someone cancels);
 * staff scan them in at the door; the attendance points are credited and the books balance.
 * Only the first HQ manager is granted directly (someone has to be first).
 */
import { startTestApp, type GqlResult, type TestApp } from '../../packages/api/test/support/harness';

type Persona = Awaited<ReturnType<TestApp['signIn']>>;

function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

describe('journey: a club event from creation to attendance points', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mariadb');
  }, 60_000);
  afterAll(async () => t?.close());

  test('organizer creates a club and an event → members join and RSVP → staff checks them in → attendance points credited', async () => {
    const manager = await t.signIn('journey-hq-manager');
    await t.grant(manager.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    const organizer = await t.signIn('journey-organizer');
    const staff = await t.signIn('journey-door-staff');
    const ASSIGN = 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { role scope } }';
    ok(await t.gql(ASSIGN, { input: { userId: String(organizer.userId), role: 'ORGANIZER', scope: 'HQ' } }, manager.token));
    ok(await t.gql(ASSIGN, { input: { userId: String(staff.userId), role: 'STAFF', scope: 'STORE', storeId: String(t.org.guomao) } }, manager.token));

    // Members earn points at the till (北京: ¥10 = 1 point).
    const members: Persona[] = [];
    for (const name of ['journey-ann', 'journey-bo', 'journey-cai']) {
      const m = await t.signIn(name);
      const receipt = ok(
        await t.gql<{ recordPurchase: { points: number } }>(
          'mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points } }',
          { input: { memberCode: t.codeOf(m), storeId: String(t.org.guomao), amountFen: 50_000, lines: [{ category: 'general', amountFen: 50_000 }], idempotencyKey: `journey-${name}` } },
          staff.token,
        ),
      );
      expect(receipt.recordPurchase.points).toBe(50);
      members.push(m);
    }
    const [ann, bo, cai] = members as [Persona, Persona, Persona];

    // The organizer starts a club and an event at 北京国贸店: 2 seats, 20 points to RSVP, 30 points for coming.
    const club = ok(
      await t.gql<{ createClub: { id: string; organizers: { memberId: string }[] } }>(
        'mutation($input: CreateClubInput!) { createClub(input: $input) { id organizers { memberId } } }',
        { input: { name: '国贸咖啡品鉴会', theme: '咖啡', description: '每月一次，店长带你品鉴新豆', joinPolicy: 'OPEN', memberCap: 30, storeId: String(t.org.guomao) } },
        organizer.token,
      ),
    ).createClub;
    expect(club.organizers.map((o) => o.memberId)).toEqual([String(organizer.memberId)]);
    const startsAt = new Date(Date.now() + 3600_000);
    const event = ok(
      await t.gql<{ createEvent: { id: string; status: string } }>(
        'mutation($input: CreateEventInput!) { createEvent(input: $input) { id status } }',
        {
          input: {
            clubId: club.id, title: '埃塞俄比亚新豆品鉴', description: '三款日晒豆对比', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(),
            address: '北京市朝阳区建国门外大街 1 号 国贸店二层', lat: 39.9087, lng: 116.4605, storeId: String(t.org.guomao), capacity: 2, pointsCost: 20, pointsReward: 30,
          },
        },
        organizer.token,
      ),
    ).createEvent;
    expect(event.status).toBe('DRAFT');
    expect(ok(await t.gql<{ publishEvent: { status: string } }>('mutation($id: ID!) { publishEvent(id: $id) { status } }', { id: event.id }, organizer.token)).publishEvent.status).toBe('PUBLISHED');

    // Members find the club, join and RSVP: two seats, one waitlist place.
    const listed = ok(await t.gql<{ clubs: { id: string; events: { id: string }[] }[] }>('{ clubs { id events { id } } }', {}, ann.token)).clubs;
    expect(listed.find((c) => c.id === club.id)?.events.map((e) => e.id)).toEqual([event.id]);
    const RSVP = 'mutation($id: ID!) { rsvpEvent(eventId: $id) { status waitlistPosition pointsPaid } }';
    for (const m of members) ok(await t.gql('mutation($id: ID!) { joinClub(clubId: $id) { status } }', { id: club.id }, m.token));
    expect(ok(await t.gql<{ rsvpEvent: unknown }>(RSVP, { id: event.id }, ann.token)).rsvpEvent).toEqual({ status: 'CONFIRMED', waitlistPosition: null, pointsPaid: 20 });
    expect(ok(await t.gql<{ rsvpEvent: unknown }>(RSVP, { id: event.id }, bo.token)).rsvpEvent).toEqual({ status: 'CONFIRMED', waitlistPosition: null, pointsPaid: 20 });
    expect(ok(await t.gql<{ rsvpEvent: unknown }>(RSVP, { id: event.id }, cai.token)).rsvpEvent).toEqual({ status: 'WAITLISTED', waitlistPosition: 1, pointsPaid: 20 });

    // Bo cannot come after all: refunded, and Cai moves up.
    expect(ok(await t.gql<{ cancelRsvp: unknown }>('mutation($id: ID!) { cancelRsvp(eventId: $id) { status pointsRefunded } }', { id: event.id }, bo.token)).cancelRsvp).toEqual({ status: 'CANCELLED', pointsRefunded: 20 });
    const caiView = ok(await t.gql<{ event: { myRsvp: unknown; confirmedCount: number; waitlistCount: number } }>('query($id: ID!) { event(id: $id) { confirmedCount waitlistCount myRsvp { status } } }', { id: event.id }, cai.token)).event;
    expect(caiView).toEqual({ confirmedCount: 2, waitlistCount: 0, myRsvp: { status: 'CONFIRMED' } });
    const caiInbox = ok(await t.gql<{ myNotifications: { kind: string }[] }>('{ myNotifications { kind } }', {}, cai.token)).myNotifications;
    expect(caiInbox.map((n) => n.kind)).toContain('WAITLIST_PROMOTED');

    // At the door, staff of 国贸店 scan the member codes; Bo (cancelled) is turned away.
    const CHECK_IN = 'mutation($id: ID!, $code: String!) { checkInAttendee(eventId: $id, memberCode: $code) { replayed attendance { memberNo pointsAwarded walkIn } } }';
    for (const m of [ann, cai]) {
      const r = ok(await t.gql<{ checkInAttendee: { replayed: boolean; attendance: { memberNo: string; pointsAwarded: number } } }>(CHECK_IN, { id: event.id, code: t.codeOf(m, Date.now() + 30_000) }, staff.token));
      expect(r.checkInAttendee).toMatchObject({ replayed: false, attendance: { memberNo: m.memberNo, pointsAwarded: 30, walkIn: false } });
    }
    const turnedAway = await t.gql(CHECK_IN, { id: event.id, code: t.codeOf(bo, Date.now() + 30_000) }, staff.token);
    expect(turnedAway.errors?.[0]?.extensions?.code).toBe('RSVP_REQUIRED');
    // A double scan changes nothing.
    expect(ok(await t.gql<{ checkInAttendee: { replayed: boolean } }>(CHECK_IN, { id: event.id, code: t.codeOf(ann, Date.now() + 30_000) }, staff.token)).checkInAttendee.replayed).toBe(true);

    // Attendance points are credited: 50 earned − 20 RSVP + 30 attendance.
    const ME = '{ me { points ledger(first: 5) { edges { node { delta kind reason } } } } }';
    const annMe = ok(await t.gql<{ me: { points: number; ledger: { edges: { node: { delta: number; kind: string; reason: string } }[] } } }>(ME, {}, ann.token)).me;
    expect(annMe.points).toBe(60);
    expect(annMe.ledger.edges.map((e) => e.node)).toEqual([
      { delta: 30, kind: 'EARN', reason: '活动签到奖励 · 埃塞俄比亚新豆品鉴' },
      { delta: -20, kind: 'REDEEM', reason: '活动报名 · 埃塞俄比亚新豆品鉴' },
      { delta: 50, kind: 'EARN', reason: '门店消费 ¥500.00' },
    ]);
    expect(ok(await t.gql<{ me: { points: number } }>(ME, {}, cai.token)).me.points).toBe(60);
    expect(ok(await t.gql<{ me: { points: number } }>(ME, {}, bo.token)).me.points).toBe(50);

    // Attendance history for the member and the event; the organizer's figures; the books balance.
    const history = ok(await t.gql<{ myAttendance: unknown[] }>('{ myAttendance { eventTitle clubName pointsAwarded } }', {}, ann.token)).myAttendance;
    expect(history).toEqual([{ eventTitle: '埃塞俄比亚新豆品鉴', clubName: '国贸咖啡品鉴会', pointsAwarded: 30 }]);
    const door = ok(await t.gql<{ eventAttendance: { memberNo: string }[] }>('query($id: ID!) { eventAttendance(eventId: $id) { memberNo } }', { id: event.id }, organizer.token)).eventAttendance;
    expect(door.map((a) => a.memberNo).sort()).toEqual([ann.memberNo, cai.memberNo].sort());
    const report = ok(await t.gql<{ clubEventReport: unknown[] }>('query($id: ID!) { clubEventReport(clubId: $id) { confirmed cancelled attended walkIns } }', { id: club.id }, organizer.token)).clubEventReport;
    expect(report).toEqual([{ confirmed: 2, cancelled: 1, attended: 2, walkIns: 0 }]);
    expect(ok(await t.gql<{ pointsReconciliation: unknown[] }>('{ pointsReconciliation { memberId } }', {}, manager.token)).pointsReconciliation).toEqual([]);
  });
});
