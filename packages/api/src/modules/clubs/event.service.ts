/**
 * Club events (F7): drafts, publishing, RSVPs with capacity and a waitlist, points costs and refunds, check-in
 * at the door with the member code (event-check-in.service.ts), cancellation and finishing, and day-before reminders.
 *
 * Concurrency (ARCHITECTURE.md data rules), the same on MariaDB and libsql:
 * - a seat is an atomic conditional update `confirmed_count = confirmed_count + 1 WHERE confirmed_count < capacity`;
 *   otherwise a waitlist place from `waitlist_seq = waitlist_seq + 1` under the same row lock; both happen before
 *   the RSVP row is inserted (update-before-insert), so places go out in the order the event row lock is granted;
 * - every transaction that changes RSVPs locks the event row first, then RSVP rows, then member accounts (through
 *   the ledger), so they cannot deadlock each other;
 * - promotions from the waitlist happen inside the transaction that frees the seat;
 * - points move only through the ledger, keyed: debit (event_rsvp, rsvpId), refund credit (event_refund, rsvpId)
 *   claimed by a conditional update of `points_refunded`, reward credit (event_attend, eventId:memberId);
 * - state changes (publish, cancel, finish) are conditional updates on `status`, so a repeat does nothing twice.
 */
import { clock } from '../../clock';
import { CHECK_IN_CLOSES_AFTER_MS, ErrorCode, EVENT_REMINDER_LEAD_MS, meetsTier, refundOnCancel, rsvpClosedReason, type RsvpStatus } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { isUniqueViolation, toDate, toInt, type Db, type Q } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import type { EarningService } from '../earning/earning.service';
import { credit, debit } from '../ledger/ledger.service';
import type { MemberService } from '../members/member.service';
import type { NotificationService } from '../notifications/notification.service';
import { shanghaiMinute, thingValue, timeValue } from '../notifications/notification.service';
import type { OrgService } from '../org/org.service';
import type { DrainResult, OutboxService } from '../outbox/outbox.service';
import type { ReferralCredits } from '../referrals/referral-credits';
import { Raced, text, type ClubRow, type ClubService } from './club.service';
import { SCENE_PROFILE, type ContentGuard } from './content-guard';
import type { RateLimitService } from '../../limits/rate-limit.service';
import { EVENT_COLUMNS, RSVP_COLUMNS, toEvent, toRsvp, type EventInput, type EventRow, type RsvpEntry, type RsvpRow } from './event.rows';

export type { AttendanceRow, EventInput, EventRow, RsvpEntry, RsvpRow } from './event.rows';

export interface ClubJobsResult { finished: number; reminded: number; notices: number; delivery: DrainResult }

const MAX_CAPACITY = 10_000;
const MAX_POINTS = 100_000;
const MAX_DURATION_MS = 7 * 86_400_000;

export function closed(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError(ErrorCode.EVENT_CLOSED, message, details);
}

export class EventService {
  constructor(
    private readonly db: Db,
    private readonly clubs: ClubService,
    private readonly members: MemberService,
    private readonly earning: EarningService,
    private readonly org: OrgService,
    private readonly guard: ContentGuard,
    private readonly notifications: NotificationService,
    private readonly outbox: OutboxService,
    private readonly limits: RateLimitService,
    private readonly log: Logger,
    private readonly referrals: ReferralCredits | null = null,
  ) {}

  /** The event as stored, or NOT_FOUND. */
  async row(id: number): Promise<EventRow> {
    const r = await this.db.q.get<Record<string, unknown>>(`SELECT ${EVENT_COLUMNS} FROM club_event WHERE id = ?`, [id]);
    if (!r) throw notFound(`Event ${id}`);
    return toEvent(r);
  }

  /** The event as the caller may see it: drafts only for those who manage the club's events (NOT_FOUND for others). */
  async get(ctx: RequestContext, id: number): Promise<EventRow> {
    const e = await this.row(id);
    if (e.status === 'DRAFT' && !(await this.clubs.may(ctx, 'event.manage', await this.clubs.get(e.clubId)))) throw notFound(`Event ${id}`);
    return e;
  }

  /** A club's events by start time: upcoming only unless `includePast`; drafts for its organizers and managers. */
  async ofClub(ctx: RequestContext, club: ClubRow, includePast: boolean, now = clock.now()): Promise<EventRow[]> {
    const drafts = await this.clubs.may(ctx, 'event.manage', club);
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT ${EVENT_COLUMNS} FROM club_event WHERE club_id = ?${drafts ? '' : " AND status <> 'DRAFT'"}${includePast ? '' : ' AND ends_at >= ?'} ORDER BY starts_at, id LIMIT 200`,
      includePast ? [club.id] : [club.id, this.db.q.ts(now)],
    );
    return rows.map(toEvent);
  }

  /** How many are waiting. */
  async waitlistCount(eventId: number): Promise<number> {
    const r = await this.db.q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM event_rsvp WHERE event_id = ? AND status = 'WAITLISTED'", [eventId]);
    return toInt(r?.n);
  }

  private async normalize(input: EventInput, creating: boolean, now: Date) {
    const title = text(input.title, 'title', 1, 40);
    const description = text(input.description, 'description', 0, 1000);
    const address = text(input.address, 'address', 1, 128);
    const startsAt = input.startsAt;
    const endsAt = input.endsAt;
    if (!(startsAt instanceof Date) || Number.isNaN(startsAt.getTime())) throw badInput('startsAt must be a date-time', 'startsAt');
    if (!(endsAt instanceof Date) || Number.isNaN(endsAt.getTime())) throw badInput('endsAt must be a date-time', 'endsAt');
    if (creating && startsAt.getTime() <= now.getTime()) throw badInput('startsAt must be in the future', 'startsAt');
    if (endsAt.getTime() <= startsAt.getTime()) throw badInput('endsAt must be after startsAt', 'endsAt');
    if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) throw badInput('An event lasts at most 7 days', 'endsAt');
    const lat = input.lat ?? null;
    const lng = input.lng ?? null;
    if ((lat === null) !== (lng === null)) throw badInput('lat and lng go together', 'lat');
    if (lat !== null && !(Number.isFinite(lat) && lat >= -90 && lat <= 90)) throw badInput('lat must be −90–90', 'lat');
    if (lng !== null && !(Number.isFinite(lng) && lng >= -180 && lng <= 180)) throw badInput('lng must be −180–180', 'lng');
    const storeId = input.storeId ?? null;
    if (storeId !== null) await this.org.store(storeId);
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_CAPACITY) throw badInput(`capacity must be 1–${MAX_CAPACITY}`, 'capacity');
    const pointsCost = input.pointsCost ?? 0;
    const pointsReward = input.pointsReward ?? 0;
    if (!Number.isInteger(pointsCost) || pointsCost < 0 || pointsCost > MAX_POINTS) throw badInput(`pointsCost must be 0–${MAX_POINTS}`, 'pointsCost');
    if (!Number.isInteger(pointsReward) || pointsReward < 0 || pointsReward > MAX_POINTS) throw badInput(`pointsReward must be 0–${MAX_POINTS}`, 'pointsReward');
    for (const [field, d] of [['rsvpDeadline', input.rsvpDeadline], ['refundCutoff', input.refundCutoff]] as const) {
      if (d == null) continue;
      if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw badInput(`${field} must be a date-time`, field);
      if (d.getTime() > startsAt.getTime()) throw badInput(`${field} must not be after startsAt`, field);
    }
    const minTierId = input.minTierCode ? await this.clubs.tierId(input.minTierCode, 'minTierCode') : null;
    return {
      title, description, address, startsAt, endsAt, lat, lng, storeId, capacity: input.capacity, pointsCost, pointsReward, minTierId,
      rsvpDeadline: input.rsvpDeadline ?? null, refundCutoff: input.refundCutoff ?? null, allowWalkIns: input.allowWalkIns === true,
    };
  }

  /** An organizer (or manager) drafts an event; its texts pass content security first. */
  async create(ctx: RequestContext, clubId: number, input: EventInput, now = clock.now()): Promise<EventRow> {
    const club = await this.clubs.get(clubId);
    const userId = await this.clubs.authorize(ctx, 'event.manage', club);
    const v = await this.normalize(input, true, now);
    await this.guard.screen(userId, SCENE_PROFILE, [v.title, v.description, v.address]);
    const q = this.db.q;
    const r = await q.run(
      `INSERT INTO club_event (club_id, title, description, starts_at, ends_at, address, lat, lng, store_id, capacity, confirmed_count, waitlist_seq, min_tier_id,
         points_cost, points_reward, rsvp_deadline, refund_cutoff, allow_walk_ins, status, created_by_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, 'DRAFT', ?, ?, ?)`,
      [
        clubId, v.title, v.description, q.ts(v.startsAt), q.ts(v.endsAt), v.address, v.lat, v.lng, v.storeId, v.capacity, v.minTierId,
        v.pointsCost, v.pointsReward, v.rsvpDeadline ? q.ts(v.rsvpDeadline) : null, v.refundCutoff ? q.ts(v.refundCutoff) : null, v.allowWalkIns ? 1 : 0, userId, q.ts(now), q.ts(now),
      ],
    );
    this.log.info({ eventId: r.insertId, clubId, userId }, 'event drafted');
    return this.row(r.insertId);
  }

  /**
   * Edits a draft or published event. Once published the points cost is fixed (RSVPs paid it) and the capacity may
   * not fall below the confirmed seats; a larger capacity promotes waitlisted members at once.
   */
  async update(ctx: RequestContext, id: number, patch: Partial<EventInput>, now = clock.now()): Promise<EventRow> {
    const e = await this.row(id);
    const club = await this.clubs.get(e.clubId);
    const userId = await this.clubs.authorize(ctx, 'event.manage', club);
    if (e.status !== 'DRAFT' && e.status !== 'PUBLISHED') throw closed(`A ${e.status.toLowerCase()} event cannot be edited`);
    const minTierCode = e.minTierId === null ? null : await this.clubs.tierCode(e.minTierId);
    const merged: EventInput = {
      title: patch.title ?? e.title,
      description: patch.description ?? e.description,
      startsAt: patch.startsAt ?? e.startsAt,
      endsAt: patch.endsAt ?? e.endsAt,
      address: patch.address ?? e.address,
      lat: patch.lat !== undefined ? patch.lat : e.lat,
      lng: patch.lng !== undefined ? patch.lng : e.lng,
      storeId: patch.storeId !== undefined ? patch.storeId : e.storeId,
      capacity: patch.capacity ?? e.capacity,
      minTierCode: patch.minTierCode !== undefined ? patch.minTierCode : minTierCode,
      pointsCost: patch.pointsCost ?? e.pointsCost,
      pointsReward: patch.pointsReward ?? e.pointsReward,
      rsvpDeadline: patch.rsvpDeadline !== undefined ? patch.rsvpDeadline : e.rsvpDeadline,
      refundCutoff: patch.refundCutoff !== undefined ? patch.refundCutoff : e.refundCutoff,
      allowWalkIns: patch.allowWalkIns ?? e.allowWalkIns,
    };
    const v = await this.normalize(merged, false, now);
    if (e.status === 'PUBLISHED' && v.pointsCost !== e.pointsCost) throw badInput('The points cost of a published event cannot change', 'pointsCost');
    await this.guard.screen(userId, SCENE_PROFILE, [v.title !== e.title ? v.title : null, v.description !== e.description ? v.description : null, v.address !== e.address ? v.address : null]);
    await this.db.tx(async (q) => {
      const u = await q.run(
        `UPDATE club_event SET title = ?, description = ?, starts_at = ?, ends_at = ?, address = ?, lat = ?, lng = ?, store_id = ?, capacity = ?, min_tier_id = ?,
           points_cost = ?, points_reward = ?, rsvp_deadline = ?, refund_cutoff = ?, allow_walk_ins = ?, updated_at = ?
         WHERE id = ? AND status IN ('DRAFT', 'PUBLISHED') AND confirmed_count <= ? AND (status = 'DRAFT' OR points_cost = ?)`,
        [
          v.title, v.description, q.ts(v.startsAt), q.ts(v.endsAt), v.address, v.lat, v.lng, v.storeId, v.capacity, v.minTierId, v.pointsCost, v.pointsReward,
          v.rsvpDeadline ? q.ts(v.rsvpDeadline) : null, v.refundCutoff ? q.ts(v.refundCutoff) : null, v.allowWalkIns ? 1 : 0, q.ts(now), id, v.capacity, e.pointsCost,
        ],
      );
      if (u.affectedRows !== 1) {
        const cur = toEvent((await q.get<Record<string, unknown>>(`SELECT ${EVENT_COLUMNS} FROM club_event WHERE id = ?`, [id])) as Record<string, unknown>);
        if (cur.status !== 'DRAFT' && cur.status !== 'PUBLISHED') throw closed(`A ${cur.status.toLowerCase()} event cannot be edited`);
        if (cur.confirmedCount > v.capacity) throw badInput(`capacity cannot be below the ${cur.confirmedCount} confirmed seats`, 'capacity');
        throw badInput('The points cost of a published event cannot change', 'pointsCost');
      }
      await this.fillSeats(q, id, now);
    });
    return this.row(id);
  }

  /** DRAFT → PUBLISHED: members can see it and RSVP. Publishing twice is a no-op. */
  async publish(ctx: RequestContext, id: number, now = clock.now()): Promise<EventRow> {
    const e = await this.row(id);
    await this.clubs.authorize(ctx, 'event.manage', await this.clubs.get(e.clubId));
    const r = await this.db.q.run("UPDATE club_event SET status = 'PUBLISHED', updated_at = ? WHERE id = ? AND status = 'DRAFT' AND starts_at > ?", [
      this.db.q.ts(now), id, this.db.q.ts(now),
    ]);
    const after = await this.row(id);
    if (r.affectedRows !== 1 && after.status !== 'PUBLISHED') {
      throw closed(after.status === 'DRAFT' ? 'This event has already started and can no longer be published' : `A ${after.status.toLowerCase()} event cannot be published`);
    }
    return after;
  }

  /**
   * Cancels a draft or published event: every RSVP's points are refunded (once: a second cancellation, even a
   * concurrent one, finds the state already CANCELLED and refunds nothing) and attendees are notified.
   */
  async cancel(ctx: RequestContext, id: number, reason: string | null, now = clock.now()): Promise<EventRow> {
    const e = await this.row(id);
    const userId = await this.clubs.authorize(ctx, 'event.manage', await this.clubs.get(e.clubId));
    const why = reason == null || reason.trim() === '' ? null : text(reason, 'reason', 1, 128);
    const validity = (await this.earning.settings()).pointsValidityMonths;
    const done = await this.db.tx(async (q) => {
      const u = await q.run("UPDATE club_event SET status = 'CANCELLED', cancel_reason = ?, updated_at = ? WHERE id = ? AND status IN ('DRAFT', 'PUBLISHED')", [
        why, q.ts(now), id,
      ]);
      if (u.affectedRows !== 1) return null;
      const rsvps = await q.all<Record<string, unknown>>(`SELECT ${RSVP_COLUMNS} FROM event_rsvp WHERE event_id = ? ORDER BY id${q.forUpdate}`, [id]);
      let refunds = 0;
      for (const r of rsvps.map((x) => toRsvp(x))) {
        if (r.pointsPaid > r.pointsRefunded) refunds += await this.refund(q, r, r.pointsPaid - r.pointsRefunded, e.title, userId, validity, now);
      }
      const attendees = rsvps.filter((r) => r.status !== 'CANCELLED').map((r) => toInt(r.member_id));
      await q.run("UPDATE event_rsvp SET status = 'CANCELLED', live_member_id = NULL, cancelled_at = ?, updated_at = ? WHERE event_id = ? AND status <> 'CANCELLED'", [q.ts(now), q.ts(now), id]);
      await q.run('UPDATE club_event SET confirmed_count = 0 WHERE id = ?', [id]);
      await this.notifications.notify(
        q,
        attendees,
        {
          kind: 'EVENT_CANCELLED',
          ref: String(id),
          title: `活动取消 · ${e.title}`,
          body: `${e.title}（${shanghaiMinute(e.startsAt)}）已取消${why ? `：${why}` : ''}${e.pointsCost > 0 ? '，报名积分已退回' : ''}`,
          page: `pages/event/index?id=${id}`,
          subscribe: { template: 'EVENT_UPDATE', data: { thing1: thingValue(e.title), phrase2: { value: '已取消' }, time3: timeValue(e.startsAt) } },
        },
        now,
      );
      return { refunds, notified: attendees.length };
    });
    const after = await this.row(id);
    if (done === null && after.status !== 'CANCELLED') throw closed(`A ${after.status.toLowerCase()} event cannot be cancelled`);
    if (done) this.log.info({ eventId: id, userId, ...done }, 'event cancelled');
    return after;
  }

  /**
   * PUBLISHED → FINISHED once it has started (by its organizers, or the jobs after check-in closed). Members still
   * on the waitlist never had a seat: their points come back. Finishing twice is a no-op.
   */
  async finish(ctx: RequestContext, id: number, now = clock.now()): Promise<EventRow> {
    const e = await this.row(id);
    const userId = await this.clubs.authorize(ctx, 'event.manage', await this.clubs.get(e.clubId));
    if (e.status === 'PUBLISHED' && now.getTime() < e.startsAt.getTime()) throw badInput('An event can be finished once it has started', 'id');
    const finished = await this.finishNow(id, userId, now);
    const after = await this.row(id);
    if (!finished && after.status !== 'FINISHED') throw closed(`A ${after.status.toLowerCase()} event cannot be finished`);
    return after;
  }

  private async finishNow(id: number, actorId: number | null, now: Date): Promise<boolean> {
    const validity = (await this.earning.settings()).pointsValidityMonths;
    return this.db.tx(async (q) => {
      const u = await q.run("UPDATE club_event SET status = 'FINISHED', updated_at = ? WHERE id = ? AND status = 'PUBLISHED' AND starts_at <= ?", [q.ts(now), id, q.ts(now)]);
      if (u.affectedRows !== 1) return false;
      const title = String((await q.get<{ title: unknown }>('SELECT title FROM club_event WHERE id = ?', [id]))?.title ?? '');
      const waiting = await q.all<Record<string, unknown>>(`SELECT ${RSVP_COLUMNS} FROM event_rsvp WHERE event_id = ? AND status = 'WAITLISTED' ORDER BY id${q.forUpdate}`, [id]);
      for (const r of waiting.map((x) => toRsvp(x))) {
        if (r.pointsPaid > r.pointsRefunded) await this.refund(q, r, r.pointsPaid - r.pointsRefunded, title, actorId, validity, now);
      }
      return true;
    });
  }

  /**
   * The signed-in member RSVPs: a seat while there is one, otherwise the next waitlist place; the points cost is
   * debited either way (INSUFFICIENT_POINTS changes nothing). Active club membership is required
   * (CLUB_MEMBERSHIP_REQUIRED), and the event's tier (TIER_REQUIRED); RSVPs close at the deadline (EVENT_CLOSED).
   * RSVPing again while an RSVP is live returns it unchanged.
   */
  async rsvp(ctx: RequestContext, eventId: number, now = clock.now()): Promise<RsvpRow> {
    const me = await this.clubs.me(ctx);
    const e = await this.get(ctx, eventId);
    const live = await this.liveRsvp(eventId, me.memberId);
    if (live) return live;
    const why = rsvpClosedReason(e, now);
    if (why) throw closed(why === 'NOT_PUBLISHED' ? `RSVPs are closed: the event is ${e.status.toLowerCase()}` : 'RSVPs are closed: the deadline has passed', { reason: why });
    const membership = await this.clubs.membership(e.clubId, me.memberId);
    if (membership?.status !== 'ACTIVE') throw new AppError(ErrorCode.CLUB_MEMBERSHIP_REQUIRED, 'Join the club before RSVPing to its events');
    await this.requireTier(me.tierId, e);
    try {
      await this.db.tx(async (q) => {
        const seat = await q.run(
          "UPDATE club_event SET confirmed_count = confirmed_count + 1, updated_at = ? WHERE id = ? AND status = 'PUBLISHED' AND confirmed_count < capacity",
          [q.ts(now), eventId],
        );
        let status: RsvpStatus = 'CONFIRMED';
        let seq: number | null = null;
        if (seat.affectedRows !== 1) {
          const w = await q.run("UPDATE club_event SET waitlist_seq = waitlist_seq + 1, updated_at = ? WHERE id = ? AND status = 'PUBLISHED'", [q.ts(now), eventId]);
          if (w.affectedRows !== 1) throw closed('RSVPs are closed: the event is no longer published');
          seq = toInt((await q.get<{ s: unknown }>('SELECT waitlist_seq AS s FROM club_event WHERE id = ?', [eventId]))?.s);
          status = 'WAITLISTED';
        }
        // Read under the row lock: the cost an RSVP pays is the one in force when it got its place.
        const cost = toInt((await q.get<{ c: unknown }>('SELECT points_cost AS c FROM club_event WHERE id = ?', [eventId]))?.c);
        const r = await q.run(
          'INSERT INTO event_rsvp (event_id, member_id, live_member_id, status, waitlist_seq, points_paid, points_refunded, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)',
          [eventId, me.memberId, me.memberId, status, seq, cost, q.ts(now), q.ts(now)],
        );
        if (cost > 0) {
          await debit(
            q,
            { memberId: me.memberId, kind: 'REDEEM', reason: `活动报名 · ${e.title}`, actorId: me.userId, storeId: null, sourceType: 'event_rsvp', sourceRef: String(r.insertId), requestHash: null, now },
            cost,
          );
        }
      });
    } catch (err) {
      // The same member RSVPing twice at once: the other request's RSVP stands.
      if (isUniqueViolation(err)) {
        const again = await this.liveRsvp(eventId, me.memberId);
        if (again) return again;
      }
      throw err;
    }
    const mine = await this.liveRsvp(eventId, me.memberId);
    if (!mine) throw new AppError(ErrorCode.INTERNAL, 'RSVP vanished');
    return mine;
  }

  /**
   * The signed-in member cancels their RSVP before the event starts. Points come back per `refundOnCancel` (all of
   * them for a waitlist place; for a seat, before the refund cut-off); a freed seat goes to the first on the
   * waitlist in the same transaction. Cancelling again returns the cancelled RSVP.
   */
  async cancelRsvp(ctx: RequestContext, eventId: number, now = clock.now()): Promise<RsvpRow> {
    const me = await this.clubs.me(ctx);
    const e = await this.get(ctx, eventId);
    const live = await this.liveRsvp(eventId, me.memberId);
    if (!live) {
      const last = await this.db.q.get<Record<string, unknown>>(`SELECT ${RSVP_COLUMNS} FROM event_rsvp WHERE event_id = ? AND member_id = ? ORDER BY id DESC LIMIT 1`, [eventId, me.memberId]);
      if (last) return toRsvp(last);
      throw notFound('RSVP');
    }
    if (e.status !== 'PUBLISHED' || now.getTime() >= e.startsAt.getTime()) throw closed('This event has started or is no longer open; the RSVP cannot be cancelled');
    const validity = (await this.earning.settings()).pointsValidityMonths;
    try {
      await this.db.tx(async (q) => {
        const ev = await q.get<Record<string, unknown>>(`SELECT status FROM club_event WHERE id = ?${q.forUpdate}`, [eventId]);
        if (ev?.status !== 'PUBLISHED') throw closed('This event is no longer open');
        const cur = await q.get<Record<string, unknown>>(`SELECT ${RSVP_COLUMNS} FROM event_rsvp WHERE id = ?${q.forUpdate}`, [live.id]);
        const r = cur ? toRsvp(cur) : null;
        if (!r || r.status === 'CANCELLED') throw new Raced();
        await q.run("UPDATE event_rsvp SET status = 'CANCELLED', live_member_id = NULL, cancelled_at = ?, updated_at = ? WHERE id = ?", [q.ts(now), q.ts(now), r.id]);
        const back = refundOnCancel(r, e, now) - r.pointsRefunded;
        if (back > 0) await this.refund(q, r, back, e.title, me.userId, validity, now);
        if (r.status === 'CONFIRMED') {
          await q.run('UPDATE club_event SET confirmed_count = confirmed_count - 1, updated_at = ? WHERE id = ?', [q.ts(now), eventId]);
          await this.fillSeats(q, eventId, now);
        }
      });
    } catch (err) {
      if (!(err instanceof Raced)) throw err;
    }
    return toRsvp((await this.db.q.get<Record<string, unknown>>(`SELECT ${RSVP_COLUMNS} FROM event_rsvp WHERE id = ?`, [live.id])) as Record<string, unknown>);
  }

  /**
   * Promotes waitlisted RSVPs, first come first served, into free seats (inside the caller's transaction, which holds
   * the event row lock) and tells each promoted member. Returns how many moved up.
   */
  private async fillSeats(q: Q, eventId: number, now: Date): Promise<number> {
    const ev = await q.get<Record<string, unknown>>(`SELECT title, starts_at, capacity, confirmed_count, status FROM club_event WHERE id = ?${q.forUpdate}`, [eventId]);
    if (!ev || ev.status !== 'PUBLISHED') return 0;
    const free = toInt(ev.capacity) - toInt(ev.confirmed_count);
    if (free <= 0) return 0;
    const next = await q.all<Record<string, unknown>>(
      `SELECT id, member_id FROM event_rsvp WHERE event_id = ? AND status = 'WAITLISTED' ORDER BY waitlist_seq, id LIMIT ?${q.forUpdate}`,
      [eventId, free],
    );
    if (next.length === 0) return 0;
    const ids = next.map((r) => toInt(r.id));
    await q.run(`UPDATE event_rsvp SET status = 'CONFIRMED', promoted_at = ?, updated_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [q.ts(now), q.ts(now), ...ids]);
    await q.run('UPDATE club_event SET confirmed_count = confirmed_count + ?, updated_at = ? WHERE id = ?', [ids.length, q.ts(now), eventId]);
    const title = String(ev.title);
    const startsAt = toDate(ev.starts_at);
    for (const r of next) {
      await this.notifications.notify(
        q,
        [toInt(r.member_id)],
        {
          kind: 'WAITLIST_PROMOTED',
          ref: String(toInt(r.id)),
          title: `候补成功 · ${title}`,
          body: `有人取消了报名，你已从候补转为正式报名：${title}（${shanghaiMinute(startsAt)}）`,
          page: `pages/event/index?id=${eventId}`,
          subscribe: { template: 'EVENT_UPDATE', data: { thing1: thingValue(title), phrase2: { value: '候补成功' }, time3: timeValue(startsAt) } },
        },
        now,
      );
    }
    return ids.length;
  }

  /** Gives back `points` of an RSVP once: claimed by a conditional update, credited as a REVERSAL keyed by the RSVP. */
  private async refund(q: Q, r: RsvpRow, points: number, title: string, actorId: number | null, validityMonths: number, now: Date): Promise<number> {
    const claim = await q.run('UPDATE event_rsvp SET points_refunded = points_refunded + ?, updated_at = ? WHERE id = ? AND points_refunded = ?', [points, q.ts(now), r.id, r.pointsRefunded]);
    if (claim.affectedRows !== 1) return 0;
    await credit(
      q,
      { memberId: r.memberId, kind: 'REVERSAL', reason: `活动退款 · ${title}`, actorId, storeId: null, sourceType: 'event_refund', sourceRef: String(r.id), requestHash: null, now },
      points,
      validityMonths,
    );
    return points;
  }

  /** TIER_REQUIRED unless a member of `tierId` meets the event's tier restriction. */
  async requireTier(tierId: number, e: EventRow): Promise<void> {
    if (e.minTierId === null) return;
    const required = await this.clubs.tierRank(e.minTierId);
    if (!meetsTier(await this.clubs.tierRank(tierId), required)) {
      throw new AppError(ErrorCode.TIER_REQUIRED, 'Your tier is below what this event requires', { minTier: await this.clubs.tierCode(e.minTierId) });
    }
  }

  /** The member's live (confirmed or waitlisted) RSVP, with their waitlist place. */
  async liveRsvp(eventId: number, memberId: number): Promise<RsvpRow | null> {
    const r = await this.db.q.get<Record<string, unknown>>(`SELECT ${RSVP_COLUMNS} FROM event_rsvp WHERE event_id = ? AND live_member_id = ?`, [eventId, memberId]);
    if (!r) return null;
    return toRsvp(r, r.status === 'WAITLISTED' ? await this.placeOf(eventId, toInt(r.waitlist_seq)) : null);
  }

  /** The signed-in member's RSVP to an event (live, else the latest), or null. */
  async myRsvp(ctx: RequestContext, eventId: number): Promise<RsvpRow | null> {
    if (ctx.userId === null) return null;
    const me = await this.clubs.me(ctx);
    const live = await this.liveRsvp(eventId, me.memberId);
    if (live) return live;
    const last = await this.db.q.get<Record<string, unknown>>(`SELECT ${RSVP_COLUMNS} FROM event_rsvp WHERE event_id = ? AND member_id = ? ORDER BY id DESC LIMIT 1`, [eventId, me.memberId]);
    return last ? toRsvp(last) : null;
  }

  /** The signed-in member's live RSVPs to events that have not ended, soonest first. */
  async myRsvps(ctx: RequestContext, now = clock.now()): Promise<RsvpRow[]> {
    const me = await this.clubs.me(ctx);
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT ${RSVP_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')} FROM event_rsvp r JOIN club_event e ON e.id = r.event_id
       WHERE r.live_member_id = ? AND e.ends_at >= ? AND e.status = 'PUBLISHED' ORDER BY e.starts_at, r.id LIMIT 100`,
      [me.memberId, this.db.q.ts(now)],
    );
    const out: RsvpRow[] = [];
    for (const r of rows) out.push(toRsvp(r, r.status === 'WAITLISTED' ? await this.placeOf(toInt(r.event_id), toInt(r.waitlist_seq)) : null));
    return out;
  }

  private async placeOf(eventId: number, seq: number): Promise<number> {
    const r = await this.db.q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM event_rsvp WHERE event_id = ? AND status = 'WAITLISTED' AND waitlist_seq <= ?", [eventId, seq]);
    return toInt(r?.n);
  }

  /** Every RSVP of an event (organizers and managers): confirmed first, then the waitlist in order, then cancellations. */
  async rsvps(ctx: RequestContext, eventId: number): Promise<RsvpEntry[]> {
    const e = await this.row(eventId);
    await this.clubs.authorize(ctx, 'event.manage', await this.clubs.get(e.clubId));
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT ${RSVP_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}, m.member_no, u.nickname FROM event_rsvp r JOIN member m ON m.id = r.member_id JOIN app_user u ON u.id = m.user_id
       WHERE r.event_id = ? ORDER BY CASE r.status WHEN 'CONFIRMED' THEN 0 WHEN 'WAITLISTED' THEN 1 ELSE 2 END, r.waitlist_seq, r.id LIMIT 1000`,
      [eventId],
    );
    let place = 0;
    return rows.map((r) => ({
      ...toRsvp(r, r.status === 'WAITLISTED' ? ++place : null),
      memberNo: String(r.member_no),
      nickname: r.nickname == null ? null : String(r.nickname),
    }));
  }

  /**
   * Day-before reminders: every published event starting within the next 24 hours whose reminders have not gone out
   * is claimed (a conditional update of `reminded_at`, so each event is reminded once, even with several workers)
   * and its confirmed attendees are notified in the same transaction.
   */
  async sendReminders(now = clock.now()): Promise<{ events: number; notices: number }> {
    const q0 = this.db.q;
    const due = await q0.all<Record<string, unknown>>(
      "SELECT id FROM club_event WHERE status = 'PUBLISHED' AND reminded_at IS NULL AND starts_at > ? AND starts_at <= ? ORDER BY starts_at LIMIT 500",
      [q0.ts(now), q0.ts(new Date(now.getTime() + EVENT_REMINDER_LEAD_MS))],
    );
    let events = 0;
    let notices = 0;
    for (const d of due) {
      const id = toInt(d.id);
      const sent = await this.db.tx(async (q) => {
        const claim = await q.run("UPDATE club_event SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL AND status = 'PUBLISHED'", [q.ts(now), id]);
        if (claim.affectedRows !== 1) return null;
        const e = toEvent((await q.get<Record<string, unknown>>(`SELECT ${EVENT_COLUMNS} FROM club_event WHERE id = ?`, [id])) as Record<string, unknown>);
        const who = await q.all<{ member_id: unknown }>("SELECT member_id FROM event_rsvp WHERE event_id = ? AND status = 'CONFIRMED'", [id]);
        const r = await this.notifications.notify(
          q,
          who.map((w) => toInt(w.member_id)),
          {
            kind: 'EVENT_REMINDER',
            ref: String(id),
            title: `活动提醒 · ${e.title}`,
            body: `${e.title} 将于 ${shanghaiMinute(e.startsAt)} 开始 · ${e.address}`,
            page: `pages/event/index?id=${id}`,
            subscribe: { template: 'EVENT_REMINDER', data: { thing1: thingValue(e.title), time2: timeValue(e.startsAt), thing3: thingValue(e.address) } },
          },
          now,
        );
        return r.notices;
      });
      if (sent !== null) {
        events++;
        notices += sent;
      }
    }
    return { events, notices };
  }

  /** Finishes published events whose check-in has closed (2 h after the end). */
  async finishDue(now = clock.now()): Promise<number> {
    const due = await this.db.q.all<Record<string, unknown>>("SELECT id FROM club_event WHERE status = 'PUBLISHED' AND ends_at <= ? ORDER BY id LIMIT 500", [
      this.db.q.ts(new Date(now.getTime() - CHECK_IN_CLOSES_AFTER_MS)),
    ]);
    let n = 0;
    for (const d of due) if (await this.finishNow(toInt(d.id), null, now)) n++;
    return n;
  }

  /**
   * The club jobs, in one call (the in-process timer, or `runClubJobs` from a scheduler): finish past events,
   * queue day-before reminders, deliver queued subscribe messages. Each step is safe to repeat or run concurrently.
   */
  async runJobs(now = clock.now()): Promise<ClubJobsResult> {
    const finished = await this.finishDue(now);
    const r = await this.sendReminders(now);
    const delivery = await this.outbox.drain(now);
    return { finished, reminded: r.events, notices: r.notices, delivery };
  }

  /** HQ managers: run the club jobs now. */
  async runJobsAs(ctx: RequestContext, now = clock.now()): Promise<ClubJobsResult> {
    await authorize(ctx, 'club.jobs');
    return this.runJobs(now);
  }
}
