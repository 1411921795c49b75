/**
 * Announcements, WeChat subscribe messages and day-before reminders (F7) on MariaDB, against the WeChat simulator:
 * every notice lands in the in-app inbox; a subscribe message goes out only for a consent (one consent = one
 * message), 43101 falls back to in-app; delivery runs from the outbox with retries, and two workers never send a
 * message twice.
 */
import { ErrorCode } from '@quanzi/shared';
import { toInt } from '../src/db/sql';
import { createLogger } from '../src/logger';
import { NotificationService } from '../src/modules/notifications/notification.service';
import { OutboxService } from '../src/modules/outbox/outbox.service';
import { startTestApp, type TestApp } from './support/harness';
import { CANCEL_RSVP, CLUB, ClubKit, CONSENT, errCode, MY_NOTIFICATIONS, ok, POST, RSVP, RUN_JOBS, type Persona } from './support/clubs';

type Notice = { kind: string; title: string; body: string; page: string | null; delivery: string };

describe('club notifications', () => {
  let t: TestApp;
  let kit: ClubKit;
  let templates: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp('mariadb');
    kit = new ClubKit(t, 'notify');
    const r = ok(await t.gql<{ subscribeTemplates: { kind: string; templateId: string }[] }>('{ subscribeTemplates { kind templateId } }'));
    templates = Object.fromEntries(r.subscribeTemplates.map((x) => [x.kind, x.templateId]));
  }, 60_000);
  afterAll(async () => t?.close());

  const openid = async (p: Persona) => String((await t.app.services.db.q.get<{ o: unknown }>('SELECT openid AS o FROM app_user WHERE id = ?', [p.userId]))?.o);
  const remaining = async (p: Persona, template: string) =>
    toInt((await t.app.services.db.q.get<{ r: unknown }>('SELECT remaining AS r FROM subscribe_consent WHERE member_id = ? AND template_id = ?', [p.memberId, template]))?.r);
  const inbox = async (p: Persona) => ok(await t.gql<{ myNotifications: Notice[] }>(MY_NOTIFICATIONS, {}, p.token)).myNotifications;
  /** The member taps "allow" in wx.requestSubscribeMessage: WeChat records it, the mini-program tells the API. */
  async function consent(p: Persona, kind: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) {
      t.sim.grantSubscribeConsent(await openid(p), templates[kind]!);
      ok(await t.gql(CONSENT, { ids: [templates[kind]] }, p.token));
    }
  }
  const sentTo = async (p: Persona) => {
    const o = await openid(p);
    return t.sim.sentMessages.filter((m) => m.touser === o);
  };

  test('the templates are published for the mini-program; consents add up per template', async () => {
    expect(Object.keys(templates).sort()).toEqual(['CAMPAIGN_OFFER', 'CLUB_ANNOUNCEMENT', 'EVENT_REMINDER', 'EVENT_UPDATE', 'RATING_ALERT', 'REWARD_RESULT']);
    const m = await kit.member();
    const r = ok(await t.gql<{ recordSubscribeConsent: { templateId: string; remaining: number }[] }>(CONSENT, { ids: [templates.CLUB_ANNOUNCEMENT, templates.CLUB_ANNOUNCEMENT, templates.EVENT_REMINDER] }, m.token));
    expect(r.recordSubscribeConsent).toEqual(
      expect.arrayContaining([{ templateId: templates.CLUB_ANNOUNCEMENT, remaining: 2 }, { templateId: templates.EVENT_REMINDER, remaining: 1 }]),
    );
    expect(errCode(await t.gql(CONSENT, { ids: [templates.CLUB_ANNOUNCEMENT] }, null))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  test('an announcement reaches every active member in the app and, per consent, as one subscribe message; 43101 falls back to in-app', async () => {
    const org = await kit.organizer();
    const clubId = await kit.club(org, { name: '周末骑行俱乐部' });
    const [consented, silent, stale, outsider] = await kit.members(4);
    for (const m of [consented!, silent!, stale!]) await kit.join(m, clubId);
    await consent(consented!, 'CLUB_ANNOUNCEMENT');
    // The API believes `stale` consented, but WeChat has no consent for it (e.g. the phone said no after all).
    ok(await t.gql(CONSENT, { ids: [templates.CLUB_ANNOUNCEMENT] }, stale!.token));

    const post = ok(await t.gql<{ postAnnouncement: { id: string } }>(POST, { clubId, input: { title: '周六集合地点变更', body: '改到奥森北门，早上 7:30' } }, org.token)).postAnnouncement;
    const rows = await t.app.services.db.q.all<{ member_id: unknown; delivery: string }>("SELECT member_id, delivery FROM notification WHERE kind = 'CLUB_ANNOUNCEMENT' AND ref = ? ORDER BY member_id", [post.id]);
    expect(rows.map((r) => [toInt(r.member_id), r.delivery])).toEqual([
      [consented!.memberId, 'PENDING'],
      [silent!.memberId, 'IN_APP'],
      [stale!.memberId, 'PENDING'],
    ]);
    expect(await inbox(outsider!)).toEqual([]);
    expect(await inbox(org)).toEqual([]); // the author is not notified of their own post

    const run = await t.app.services.outbox.drain();
    expect(run).toEqual({ done: 2, retried: 0, dead: 0 });
    const sent = await sentTo(consented!);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      template_id: templates.CLUB_ANNOUNCEMENT,
      page: `pages/club/index?id=${clubId}`,
      data: { thing1: { value: '周末骑行俱乐部' }, thing2: { value: '周六集合地点变更' }, time3: { value: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) } },
    });
    expect((await inbox(consented!))[0]).toMatchObject({ kind: 'CLUB_ANNOUNCEMENT', title: '周末骑行俱乐部 · 周六集合地点变更', body: '改到奥森北门，早上 7:30', delivery: 'WECHAT' });
    expect((await inbox(silent!))[0]?.delivery).toBe('IN_APP');
    expect((await inbox(stale!))[0]?.delivery).toBe('IN_APP');
    expect(await sentTo(stale!)).toEqual([]);
    expect(await remaining(stale!, templates.CLUB_ANNOUNCEMENT!)).toBe(0); // WeChat knew better
    expect(await remaining(consented!, templates.CLUB_ANNOUNCEMENT!)).toBe(0); // the consent was used

    // One consent = one message: the next announcement is in-app only, and is not even queued.
    const outboxBefore = toInt((await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM outbox'))?.n);
    ok(await t.gql(POST, { clubId, input: { title: '装备提醒', body: '记得带头盔' } }, org.token));
    expect(toInt((await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM outbox'))?.n)).toBe(outboxBefore);
    await t.app.services.outbox.drain();
    expect(await sentTo(consented!)).toHaveLength(1);
    expect((await inbox(consented!)).map((n) => [n.title, n.delivery])).toEqual([
      ['周末骑行俱乐部 · 装备提醒', 'IN_APP'],
      ['周末骑行俱乐部 · 周六集合地点变更', 'WECHAT'],
    ]);
    // Members read the announcements on the club page; outsiders see none.
    expect(ok(await t.gql<{ club: { announcements: { title: string }[] } }>(CLUB, { id: clubId }, silent!.token)).club.announcements.map((a) => a.title)).toEqual(['装备提醒', '周六集合地点变更']);
    expect(ok(await t.gql<{ club: { announcements: unknown[] } }>(CLUB, { id: clubId }, outsider!.token)).club.announcements).toEqual([]);
    expect(errCode(await t.gql(POST, { clubId, input: { title: '冒名', body: '公告' } }, silent!.token))).toBe(ErrorCode.FORBIDDEN);
  });

  test('a transient WeChat failure is retried with backoff and keeps the consent; after the last attempt the notice stays in-app', async () => {
    const org = await kit.organizer();
    const clubId = await kit.club(org);
    const [m, n] = await kit.members(2);
    for (const p of [m!, n!]) {
      await kit.join(p, clubId);
      await consent(p, 'CLUB_ANNOUNCEMENT');
    }
    ok(await t.gql(POST, { clubId, input: { title: '第一条', body: '内容' } }, org.token));
    t.sim.failNext('subscribe_send', -1, 2); // both members' first attempts fail
    expect(await t.app.services.outbox.drain()).toEqual({ done: 0, retried: 2, dead: 0 });
    expect(await remaining(m!, templates.CLUB_ANNOUNCEMENT!)).toBe(1);
    expect((await inbox(m!))[0]?.delivery).toBe('PENDING');
    expect(await t.app.services.outbox.drain()).toEqual({ done: 0, retried: 0, dead: 0 }); // backing off
    expect(await t.app.services.outbox.drain(new Date(Date.now() + 31_000))).toEqual({ done: 2, retried: 0, dead: 0 });
    expect(await sentTo(m!)).toHaveLength(1);
    expect((await inbox(m!))[0]?.delivery).toBe('WECHAT');

    // WeChat down for good: eight attempts, then DEAD, in-app only, the consent kept for the next message.
    await consent(m!, 'CLUB_ANNOUNCEMENT');
    ok(await t.gql(POST, { clubId, input: { title: '第二条', body: '内容' } }, org.token));
    t.sim.failNext('subscribe_send', -1, 8); // one queued message (n has no consent left), eight attempts
    let at = Date.now();
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await t.app.services.outbox.drain(new Date(at));
      outcomes.push(r.dead > 0 ? 'dead' : r.retried > 0 ? 'retried' : 'idle');
      at += 2 * 3600_000;
    }
    expect(outcomes).toEqual([...Array(7).fill('retried'), 'dead']);
    expect((await inbox(m!))[0]).toMatchObject({ title: expect.stringContaining('第二条'), delivery: 'IN_APP' });
    expect(await remaining(m!, templates.CLUB_ANNOUNCEMENT!)).toBe(1);
    const dead = await t.app.services.db.q.get<{ status: string; attempts: unknown; last_error: string }>("SELECT status, attempts, last_error FROM outbox WHERE status = 'DEAD' ORDER BY id DESC LIMIT 1");
    expect(dead).toMatchObject({ status: 'DEAD', last_error: expect.stringContaining('-1') });
    expect(toInt(dead?.attempts)).toBe(8);
  });

  test('two workers draining at once send every message exactly once (SKIP LOCKED)', async () => {
    const org = await kit.organizer();
    const clubId = await kit.club(org);
    const people = await kit.members(12);
    for (const p of people) {
      await kit.join(p, clubId);
      await consent(p, 'CLUB_ANNOUNCEMENT');
    }
    ok(await t.gql(POST, { clubId, input: { title: '并发投递', body: '内容' } }, org.token));
    const log = createLogger('silent');
    const s = t.app.services;
    const other = new OutboxService(s.db, log, { batch: 3 });
    new NotificationService(s.db, s.wechat, other, log, s.config.subscribeTemplates, 'developer');
    const [a, b] = await Promise.all([s.outbox.drain(), other.drain()]);
    expect(a.done + b.done).toBe(12);
    for (const p of people) expect(await sentTo(p)).toHaveLength(1);
    for (const p of people) expect((await inbox(p))[0]?.delivery).toBe('WECHAT');
  });

  test('day-before reminders go to confirmed attendees once; a waitlist promotion is announced as an event update', async () => {
    const org = await kit.organizer();
    const clubId = await kit.club(org);
    const manager = await kit.hqManager();
    const [seat1, seat2, waiting] = await kit.members(3);
    for (const p of [seat1!, seat2!, waiting!]) await kit.join(p, clubId);
    await consent(seat1!, 'EVENT_REMINDER');
    await consent(waiting!, 'EVENT_UPDATE');
    const soon = await kit.event(org, clubId, { capacity: 2, startsInMs: 20 * 3600_000, title: '明早骑行' });
    const later = await kit.event(org, clubId, { capacity: 2, startsInMs: 3 * 86_400_000 });
    for (const p of [seat1!, seat2!, waiting!]) ok(await t.gql(RSVP, { id: soon }, p.token));
    ok(await t.gql(RSVP, { id: later }, seat1!.token));

    expect(errCode(await t.gql(RUN_JOBS, {}, org.token))).toBe(ErrorCode.FORBIDDEN);
    const first = ok(await t.gql<{ runClubJobs: { reminded: number; notices: number; delivered: number } }>(RUN_JOBS, {}, manager.token)).runClubJobs;
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    const reminded = await t.app.services.db.q.all<{ member_id: unknown }>("SELECT member_id FROM notification WHERE kind = 'EVENT_REMINDER' AND ref = ? ORDER BY member_id", [soon]);
    expect(reminded.map((r) => toInt(r.member_id))).toEqual([seat1!.memberId, seat2!.memberId]);
    expect(await t.app.services.db.q.all("SELECT id FROM notification WHERE kind = 'EVENT_REMINDER' AND ref = ?", [later])).toEqual([]);
    const msg = (await sentTo(seat1!)).find((m) => m.template_id === templates.EVENT_REMINDER);
    expect(msg).toMatchObject({ page: `pages/event/index?id=${soon}`, data: { thing1: { value: '明早骑行' }, time2: { value: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) }, thing3: { value: '北京奥林匹克森林公园南门' } } });
    expect((await inbox(seat2!)).find((n) => n.kind === 'EVENT_REMINDER')).toMatchObject({ title: '活动提醒 · 明早骑行', delivery: 'IN_APP' });

    // Running again reminds nobody twice.
    const before = await kit.counts();
    await t.app.services.events.runJobs();
    expect(await kit.counts()).toEqual(before);

    // A seat frees up: the first on the waitlist moves up and is told through WeChat.
    ok(await t.gql(CANCEL_RSVP, { id: soon }, seat2!.token));
    await t.app.services.outbox.drain();
    const update = (await sentTo(waiting!)).find((m) => m.template_id === templates.EVENT_UPDATE);
    expect(update).toMatchObject({ data: { thing1: { value: '明早骑行' }, phrase2: { value: '候补成功' } } });
    expect((await inbox(waiting!))[0]).toMatchObject({ kind: 'WAITLIST_PROMOTED', delivery: 'WECHAT' });
  });

  test('finishing is a job too: a published event is finished once check-in has closed', async () => {
    const org = await kit.organizer();
    const clubId = await kit.club(org);
    const eventId = await kit.event(org, clubId, { startsInMs: 3600_000 });
    await kit.shiftEvent(eventId, -8 * 3600_000);
    const r = await t.app.services.events.runJobs();
    expect(r.finished).toBeGreaterThanOrEqual(1);
    expect(String((await t.app.services.db.q.get<{ s: unknown }>('SELECT status AS s FROM club_event WHERE id = ?', [eventId]))?.s)).toBe('FINISHED');
  });
});
