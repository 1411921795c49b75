/**
 * RSVPs under concurrency, waitlist promotion and points refunds (F7), run against each database (MariaDB and
 * libsql) through real HTTP: capacity is never exceeded, the waitlist keeps its order, every point debited is
 * either kept by a seat or refunded exactly once, and the ledger reconciles after everything.
 */
import { ErrorCode } from '@quanzi/shared';
import { toInt } from '../../src/db/sql';
import { startTestApp, type TestApp } from './harness';
import { CANCEL_EVENT, CANCEL_RSVP, ClubKit, errCode, EVENT, MY_NOTIFICATIONS, ok, RSVP, RSVPS, type Persona } from './clubs';
import type { TestDialect } from './db';

type Rsvp = { id: string; status: string; waitlistPosition: number | null; pointsPaid: number; pointsRefunded: number };

export function rsvpSuite(dialect: TestDialect): void {
  let t: TestApp;
  let kit: ClubKit;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    kit = new ClubKit(t, `rsvp-${dialect}`);
  }, 60_000);
  afterAll(async () => t?.close());

  const rsvp = (m: Persona, id: string) => t.gql<{ rsvpEvent: Rsvp }>(RSVP, { id }, m.token);
  const cancel = (m: Persona, id: string) => t.gql<{ cancelRsvp: Rsvp }>(CANCEL_RSVP, { id }, m.token);
  const sql = <T = Record<string, unknown>>(s: string, p: unknown[] = []) => t.app.services.db.q.all<T>(s, p);
  const entries = async (sourceType: string, ref: string) =>
    toInt((await t.app.services.db.q.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM points_entry WHERE source_type = ? AND source_ref = ?', [sourceType, ref]))?.n);

  /** A club with `n` joined members holding `points` each, and its organizer. */
  async function clubWith(n: number, points: number): Promise<{ org: Persona; clubId: string; members: Persona[] }> {
    const org = await kit.organizer();
    const clubId = await kit.club(org);
    const members = await kit.members(n, { points });
    for (const m of members) await kit.join(m, clubId);
    return { org, clubId, members };
  }

  test('50 members RSVP concurrently to 20 seats: 20 confirmed, 30 waitlisted in order; 5 cancellations promote the next 5; points reconcile', async () => {
    const { org, clubId, members } = await clubWith(50, 500);
    const eventId = await kit.event(org, clubId, { capacity: 20, pointsCost: 100 });

    const results = await Promise.all(members.map((m) => rsvp(m, eventId)));
    for (const r of results) expect(r.errors).toBeUndefined();
    const byMember = new Map(members.map((m, i) => [m.memberId, results[i]!.data!.rsvpEvent]));
    const confirmed = [...byMember.values()].filter((r) => r.status === 'CONFIRMED');
    const waitlisted = [...byMember.values()].filter((r) => r.status === 'WAITLISTED');
    expect(confirmed).toHaveLength(20);
    expect(waitlisted).toHaveLength(30);
    for (const r of confirmed) expect(r.waitlistPosition).toBeNull();
    expect(waitlisted.map((r) => r.waitlistPosition).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const r of [...confirmed, ...waitlisted]) expect(r).toMatchObject({ pointsPaid: 100, pointsRefunded: 0 });

    // In order: places were handed out under the event row lock, so the RSVP rows (ids) follow the same order:
    // every seat before every waitlist place, and waitlist places ascending with the rows.
    const rows = await sql<{ id: unknown; status: string; waitlist_seq: unknown }>('SELECT id, status, waitlist_seq FROM event_rsvp WHERE event_id = ? ORDER BY id', [eventId]);
    expect(rows.slice(0, 20).every((r) => r.status === 'CONFIRMED')).toBe(true);
    expect(rows.slice(20).map((r) => toInt(r.waitlist_seq))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await kit.eventInvariants(eventId)).toEqual({ confirmedCount: 20, confirmedRows: 20, capacity: 20, waitlisted: 30 });
    for (const m of members) expect(await kit.balance(m.memberId)).toBe(400);

    // Five seat holders cancel at once: each gets the cost back, the first five on the waitlist move up.
    const leavers = members.filter((m) => byMember.get(m.memberId)!.status === 'CONFIRMED').slice(0, 5);
    const firstFive = members.filter((m) => (byMember.get(m.memberId)!.waitlistPosition ?? 99) <= 5);
    const cancels = await Promise.all(leavers.map((m) => cancel(m, eventId)));
    for (const c of cancels) expect(c.data?.cancelRsvp).toMatchObject({ status: 'CANCELLED', pointsPaid: 100, pointsRefunded: 100 });
    for (const m of leavers) expect(await kit.balance(m.memberId)).toBe(500);
    for (const m of firstFive) {
      const e = ok(await t.gql<{ event: { myRsvp: Rsvp } }>(EVENT, { id: eventId }, m.token)).event;
      expect(e.myRsvp).toMatchObject({ status: 'CONFIRMED', waitlistPosition: null, pointsPaid: 100 });
      const inbox = ok(await t.gql<{ myNotifications: { kind: string; title: string }[] }>(MY_NOTIFICATIONS, {}, m.token)).myNotifications;
      expect(inbox.filter((n) => n.kind === 'WAITLIST_PROMOTED')).toHaveLength(1);
    }
    const ev = ok(await t.gql<{ event: { confirmedCount: number; waitlistCount: number; spotsLeft: number } }>(EVENT, { id: eventId }, org.token)).event;
    expect(ev).toMatchObject({ confirmedCount: 20, waitlistCount: 25, spotsLeft: 0 });
    const list = ok(await t.gql<{ eventRsvps: { status: string; waitlistPosition: number | null; promotedAt: string | null }[] }>(RSVPS, { id: eventId }, org.token)).eventRsvps;
    expect(list.filter((r) => r.status === 'WAITLISTED').map((r) => r.waitlistPosition)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(list.filter((r) => r.promotedAt !== null)).toHaveLength(5);
    expect(await kit.eventInvariants(eventId)).toEqual({ confirmedCount: 20, confirmedRows: 20, capacity: 20, waitlisted: 25 });

    // One of the leavers changes their mind: a new RSVP at the end of the queue, charged again under its own key.
    const back = ok(await rsvp(leavers[0]!, eventId)).rsvpEvent;
    expect(back).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 26, pointsPaid: 100 });
    expect(await entries('event_rsvp', back.id)).toBe(1);

    // Points: 50 debits of 100, 5 refunds of 100, one new debit; balances agree with the ledger.
    const rsvpIds = (await sql<{ id: unknown }>('SELECT id FROM event_rsvp WHERE event_id = ?', [eventId])).map((r) => String(toInt(r.id)));
    const sumOf = async (sourceType: string) => {
      const r = await t.app.services.db.q.get<{ n: unknown; s: unknown }>(
        `SELECT COUNT(*) AS n, SUM(delta) AS s FROM points_entry WHERE source_type = ? AND source_ref IN (${rsvpIds.map(() => '?').join(', ')})`,
        [sourceType, ...rsvpIds],
      );
      return { n: toInt(r?.n), s: toInt(r?.s) };
    };
    expect(await sumOf('event_rsvp')).toEqual({ n: 51, s: -5100 });
    expect(await sumOf('event_refund')).toEqual({ n: 5, s: 500 });
    let total = 0;
    for (const m of members) total += await kit.balance(m.memberId);
    expect(total).toBe(50 * 500 - 5100 + 500);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 180_000);

  test('RSVPing twice, even concurrently, keeps one RSVP and charges once', async () => {
    const { org, clubId, members } = await clubWith(1, 300);
    const m = members[0]!;
    const eventId = await kit.event(org, clubId, { capacity: 5, pointsCost: 120 });
    const results = await Promise.all(Array.from({ length: 8 }, () => rsvp(m, eventId)));
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(new Set(results.map((r) => r.data!.rsvpEvent.id)).size).toBe(1);
    expect(await kit.balance(m.memberId)).toBe(180);
    expect(await kit.eventInvariants(eventId)).toMatchObject({ confirmedCount: 1, confirmedRows: 1 });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('not enough points for the cost is INSUFFICIENT_POINTS and takes no seat', async () => {
    const { org, clubId, members } = await clubWith(2, 50);
    const eventId = await kit.event(org, clubId, { capacity: 1, pointsCost: 80 });
    const before = await kit.counts();
    expect(errCode(await rsvp(members[0]!, eventId))).toBe(ErrorCode.INSUFFICIENT_POINTS);
    expect(await kit.counts()).toEqual(before);
    await kit.givePoints(members[1]!.memberId, 100);
    expect(ok(await rsvp(members[1]!, eventId)).rsvpEvent.status).toBe('CONFIRMED');
  }, 60_000);

  test('after the refund cut-off a cancelled seat keeps its cost; a waitlist place always gets it back', async () => {
    const { org, clubId, members } = await clubWith(2, 100);
    const [seat, waiting] = members as [Persona, Persona];
    const eventId = await kit.event(org, clubId, { capacity: 1, pointsCost: 60, refundCutoff: new Date(Date.now() + 86_400_000) });
    expect(ok(await rsvp(seat, eventId)).rsvpEvent.status).toBe('CONFIRMED');
    expect(ok(await rsvp(waiting, eventId)).rsvpEvent.status).toBe('WAITLISTED');
    // The cut-off passes.
    await t.app.services.db.q.run('UPDATE club_event SET refund_cutoff = ? WHERE id = ?', [t.app.services.db.q.ts(new Date(Date.now() - 1000)), eventId]);
    const w = ok(await cancel(waiting, eventId)).cancelRsvp;
    expect(w).toMatchObject({ status: 'CANCELLED', pointsRefunded: 60 });
    expect(await kit.balance(waiting.memberId)).toBe(100);
    const s = ok(await cancel(seat, eventId)).cancelRsvp;
    expect(s).toMatchObject({ status: 'CANCELLED', pointsPaid: 60, pointsRefunded: 0 });
    expect(await kit.balance(seat.memberId)).toBe(40);
    // Cancelling again returns the cancelled RSVP and moves nothing.
    const before = await kit.counts();
    expect(ok(await cancel(seat, eventId)).cancelRsvp).toMatchObject({ id: s.id, status: 'CANCELLED' });
    expect(await kit.counts()).toEqual(before);
    expect(await kit.eventInvariants(eventId)).toMatchObject({ confirmedCount: 0, confirmedRows: 0, waitlisted: 0 });
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('cancelling an event refunds every RSVP exactly once, even when the cancellation is submitted twice at once and again later', async () => {
    const { org, clubId, members } = await clubWith(5, 200);
    const eventId = await kit.event(org, clubId, { capacity: 3, pointsCost: 70 });
    for (const m of members) ok(await rsvp(m, eventId));
    // One seat holder cancelled after the cut-off and forfeited the cost; the event's cancellation still refunds it.
    await t.app.services.db.q.run('UPDATE club_event SET refund_cutoff = ? WHERE id = ?', [t.app.services.db.q.ts(new Date(Date.now() - 1000)), eventId]);
    const late = members[0]!;
    expect(ok(await cancel(late, eventId)).cancelRsvp.pointsRefunded).toBe(0);
    for (const m of members) expect(await kit.balance(m.memberId)).toBe(130);

    const twice = await Promise.all([t.gql(CANCEL_EVENT, { id: eventId, reason: '暴雨预警' }, org.token), t.gql(CANCEL_EVENT, { id: eventId, reason: '暴雨预警' }, org.token)]);
    for (const r of twice) expect(ok(r)).toMatchObject({ cancelEvent: { status: 'CANCELLED', cancelReason: '暴雨预警' } });
    const before = await kit.counts();
    expect(ok(await t.gql(CANCEL_EVENT, { id: eventId }, org.token))).toMatchObject({ cancelEvent: { status: 'CANCELLED' } });
    expect(await kit.counts()).toEqual(before);

    for (const m of members) expect(await kit.balance(m.memberId)).toBe(200);
    const ids = (await sql<{ id: unknown }>('SELECT id FROM event_rsvp WHERE event_id = ?', [eventId])).map((r) => String(toInt(r.id)));
    expect(ids).toHaveLength(5);
    for (const id of ids) {
      expect(await entries('event_rsvp', id)).toBe(1);
      expect(await entries('event_refund', id)).toBe(1);
    }
    // Attendees (the four live RSVPs) are told; the member who had cancelled is not.
    const told = await sql<{ member_id: unknown }>("SELECT member_id FROM notification WHERE kind = 'EVENT_CANCELLED' AND ref = ?", [eventId]);
    expect(told.map((r) => toInt(r.member_id)).sort()).toEqual(members.slice(1).map((m) => m.memberId).sort());
    // Nothing more can happen to it.
    const frozen = await kit.counts();
    expect(errCode(await rsvp(members[0]!, eventId))).toBe(ErrorCode.EVENT_CLOSED);
    // The cancellation closed every RSVP: cancelling one now just shows it, refunded.
    expect(ok(await cancel(members[1]!, eventId)).cancelRsvp).toMatchObject({ status: 'CANCELLED', pointsPaid: 70, pointsRefunded: 70 });
    expect(await kit.eventInvariants(eventId)).toMatchObject({ confirmedCount: 0, confirmedRows: 0, waitlisted: 0 });
    expect(await kit.counts()).toEqual(frozen);
    expect(await t.app.services.ledger.reconcile()).toEqual([]);
  }, 60_000);

  test('a larger capacity promotes from the waitlist at once; a smaller one than the seats taken is refused', async () => {
    const { org, clubId, members } = await clubWith(4, 0);
    const eventId = await kit.event(org, clubId, { capacity: 1 });
    for (const m of members) ok(await rsvp(m, eventId));
    const grown = ok(await t.gql<{ updateEvent: { capacity: number; confirmedCount: number; waitlistCount: number } }>(
      'mutation($id: ID!, $c: Int!) { updateEvent(id: $id, input: { capacity: $c }) { capacity confirmedCount waitlistCount } }',
      { id: eventId, c: 3 },
      org.token,
    )).updateEvent;
    expect(grown).toEqual({ capacity: 3, confirmedCount: 3, waitlistCount: 1 });
    const before = await kit.counts();
    const shrink = await t.gql('mutation($id: ID!) { updateEvent(id: $id, input: { capacity: 2 }) { id } }', { id: eventId }, org.token);
    expect(errCode(shrink)).toBe(ErrorCode.BAD_USER_INPUT);
    expect(await kit.counts()).toEqual(before);
    expect(await kit.eventInvariants(eventId)).toEqual({ confirmedCount: 3, confirmedRows: 3, capacity: 3, waitlisted: 1 });
  }, 60_000);
}
