/**
 * Journey (F7) through GraphQL over HTTP against MariaDB, as the mini-program drives it: a manager appoints an
 * organizer and door staff; the organizer creates a club and an event with a points cost and an attendance reward;
 * members earn points at the till, join and RSVP (one lands on the waitlist and moves up when someone cancels);
 * staff scan them in at the door; the attendance points are credited and the books balance.
 * Only the first HQ manager is granted directly (someone has to be first).
 * Then, in Chromium on the H5 build, a manager creates an event in the event editor with its date and time pickers
 * (on a phone set to Los Angeles time: the editor works in Beijing time regardless); a deadline after the start is
 * refused with its message.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fromBeijing, type WallTime } from '../../packages/miniapp/src/utils/beijing-time';
import { startTestApp, type GqlResult, type TestApp } from '../../packages/api/test/support/harness';
import { button, launchChromium, newPhone, openRoute, requireH5, see, turnPicker } from '../support/h5';

const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'journey');

type Persona = Awaited<ReturnType<TestApp['signIn']>>;

function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

describe('journey: a club event from creation to attendance points', () => {
  let t: TestApp;
  let browser: Browser | undefined;
  let phone: { ctx: BrowserContext; page: Page } | undefined;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    requireH5(); // before the app starts: the API serves the H5 build only when it exists
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startTestApp('mariadb', { demo: true });
  }, 180_000);
  afterAll(async () => {
    await phone?.page.screenshot({ path: path.join(ARTIFACTS, 'zz-last-organizer.png') }).catch(() => undefined);
    await phone?.ctx.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await t?.close();
  }, 60_000);

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

  test('H5: a manager picks the event times in Beijing time; a deadline after the start is refused', async () => {
    // Dave (a demo persona) manages HQ and has a club to plan for.
    const dave = await t.signIn('dave');
    await t.grant(dave.userId, { role: 'MANAGER', scope: 'HQ', storeId: null, regionId: null });
    const club = ok(
      await t.gql<{ createClub: { id: string } }>(
        'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }',
        { input: { name: '三里屯跑步团', theme: '跑步', description: '每周夜跑', joinPolicy: 'OPEN', storeId: String(t.org.guomao) } },
        dave.token,
      ),
    ).createClub;

    browser = await launchChromium();
    // The phone is set to Los Angeles: what it shows and sends must still be Beijing time.
    phone = await newPhone(browser, 'organizer', pageErrors, 'America/Los_Angeles');
    const { page } = phone;
    expect(await page.evaluate(() => new Date().getTimezoneOffset())).toBeGreaterThan(0);
    await page.goto(`${t.url}/#/pages/login/index`);
    await see(page, '演示环境：选择一个身份登录');
    await button(page, 'Dave').click();
    await page.waitForURL(/#\/pages\/(card|till)\/index/);
    await openRoute(page, `${t.url}/#/organizer/event-edit/index?clubId=${club.id}`);
    await see(page, '开始时间（北京时间）');

    const shown = async (which: 'start' | 'end' | 'deadline') => {
      const [date, time] = await Promise.all(
        (['date', 'time'] as const).map(async (part) => (await page.locator(`.event-edit__${which}-${part}:visible`).innerText()).replace('▾', '').trim()),
      );
      return `${date} ${time}`;
    };
    // Tomorrow (in Beijing) 19:30–21:30 by default, no deadline.
    const start = await shown('start');
    const day = start.slice(0, 10);
    expect(start).toMatch(/^\d{4}-\d{2}-\d{2} 周. 19:30$/);
    expect(await shown('end')).toBe(start.replace('19:30', '21:30'));
    expect(await shown('deadline')).toBe('未设置 --:--');

    await page.locator('.event-edit__title input:visible').fill('夜跑：亮马河 5 公里');
    await page.locator('.event-edit__address input:visible').fill('亮马河国际风情水岸');
    await page.locator('.event-edit__capacity input:visible').fill('15');
    // Start one hour later (the hour column up one row): the end moves with it.
    await turnPicker(page, 'taro-picker-core.event-edit__start-time', [1]);
    expect(await shown('start')).toBe(start.replace('19:30', '20:30'));
    expect(await shown('end')).toBe(start.replace('19:30', '22:30'));
    // A deadline an hour after the start (the deadline picker opens at the start's time): refused, nothing sent.
    await turnPicker(page, 'taro-picker-core.event-edit__deadline-time', [1]);
    expect(await shown('deadline')).toBe(start.replace('19:30', '21:30'));
    await button(page, '保存并发布').click();
    await page.locator('.event-edit__problem:visible').scrollIntoViewIfNeeded();
    await see(page, '报名截止时间不能晚于开始时间');
    await page.screenshot({ path: path.join(ARTIFACTS, 'clubs-01-deadline-after-start.png') });
    const EVENTS = 'query($id: ID!) { club(id: $id) { events { id title startsAt endsAt rsvpDeadline status } } }';
    const eventsNow = async () => ok(await t.gql<{ club: { events: { id: string; title: string; startsAt: string; endsAt: string; rsvpDeadline: string | null; status: string }[] } }>(EVENTS, { id: club.id }, dave.token)).club.events;
    expect(await eventsNow()).toEqual([]);

    // Three hours earlier (18:30): published, and the event page shows the Beijing times.
    await turnPicker(page, 'taro-picker-core.event-edit__deadline-time', [-3]);
    expect(await shown('deadline')).toBe(start.replace('19:30', '18:30'));
    await button(page, '保存并发布').click();
    await page.waitForURL(/#\/pages\/event\/index\?id=/);
    await see(page, '夜跑：亮马河 5 公里', `报名截止：${day} 18:30`, `时间：${day} 20:30 – ${day} 22:30`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'clubs-02-event-published.png') });
    const at = (time: string) => new Date(fromBeijing({ date: day, time } as WallTime) as string).getTime();
    const [saved] = await eventsNow();
    expect(saved).toMatchObject({ title: '夜跑：亮马河 5 公里', status: 'PUBLISHED' });
    expect([saved!.startsAt, saved!.endsAt, saved!.rsvpDeadline].map((d) => Date.parse(d as string))).toEqual([at('20:30'), at('22:30'), at('18:30')]);
    // 20:30 in Beijing is 12:30 UTC, whatever the phone's zone.
    expect(new Date(saved!.startsAt).toISOString().slice(11, 16)).toBe('12:30');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
