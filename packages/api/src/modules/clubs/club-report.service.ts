/**
 * The manager view of clubs (F7, F10): clubs by members and activity, and per event the attendance and no-show
 * rates. Rates count finished events only: attendance = confirmed RSVPs that checked in ÷ confirmed RSVPs,
 * no-show = the rest ÷ confirmed RSVPs; walk-ins are counted apart.
 */
import { clock } from '../../clock';
import { rate, type EventStatus } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import type { Target } from '../../auth/authz';
import { toDate, toInt, type Db } from '../../db/sql';
import { badInput } from '../../errors';
import type { ClubRow, ClubService } from './club.service';

export interface ClubReportRow {
  club: ClubRow;
  members: number;
  pendingRequests: number;
  events: number;
  finishedEvents: number;
  announcements: number;
  confirmedRsvps: number;
  attended: number;
  walkIns: number;
  attendanceRate: number | null;
  noShowRate: number | null;
  lastActivityAt: Date | null;
}

export interface EventReportRow {
  eventId: number;
  title: string;
  startsAt: Date;
  status: EventStatus;
  capacity: number;
  confirmed: number;
  waitlisted: number;
  cancelled: number;
  attended: number;
  walkIns: number;
  attendanceRate: number | null;
  noShowRate: number | null;
}

type Counts = Map<number, number>;

export class ClubReportService {
  constructor(private readonly db: Db, private readonly clubService: ClubService) {}

  private async countBy(sql: string, params: unknown[]): Promise<Counts> {
    const rows = await this.db.q.all<{ k: unknown; n: unknown }>(sql, params);
    return new Map(rows.map((r) => [toInt(r.k), toInt(r.n)]));
  }

  /** Clubs a manager oversees in `scope` since `since`, by members then activity (events + announcements). */
  async clubs(ctx: RequestContext, scope: Target, since: Date, now = clock.now()): Promise<ClubReportRow[]> {
    if (Number.isNaN(since.getTime()) || since.getTime() > now.getTime()) throw badInput('since must be a date-time in the past', 'since');
    const clubs = await this.clubService.inScope(ctx, scope);
    if (clubs.length === 0) return [];
    const ids = clubs.map((c) => c.id);
    const inIds = ids.map(() => '?').join(', ');
    const ts = this.db.q.ts(since);
    const pending = await this.countBy(`SELECT club_id AS k, COUNT(*) AS n FROM club_member WHERE status = 'PENDING' AND club_id IN (${inIds}) GROUP BY club_id`, ids);
    const events = await this.countBy(`SELECT club_id AS k, COUNT(*) AS n FROM club_event WHERE status IN ('PUBLISHED', 'FINISHED') AND starts_at >= ? AND club_id IN (${inIds}) GROUP BY club_id`, [ts, ...ids]);
    const finished = await this.countBy(`SELECT club_id AS k, COUNT(*) AS n FROM club_event WHERE status = 'FINISHED' AND starts_at >= ? AND club_id IN (${inIds}) GROUP BY club_id`, [ts, ...ids]);
    const posts = await this.countBy(`SELECT club_id AS k, COUNT(*) AS n FROM club_post WHERE created_at >= ? AND club_id IN (${inIds}) GROUP BY club_id`, [ts, ...ids]);
    const confirmed = await this.countBy(
      `SELECT e.club_id AS k, COUNT(*) AS n FROM event_rsvp r JOIN club_event e ON e.id = r.event_id
       WHERE e.status = 'FINISHED' AND e.starts_at >= ? AND r.status = 'CONFIRMED' AND e.club_id IN (${inIds}) GROUP BY e.club_id`,
      [ts, ...ids],
    );
    const attended = await this.countBy(
      `SELECT e.club_id AS k, COUNT(*) AS n FROM event_attendance a JOIN event_rsvp r ON r.id = a.rsvp_id JOIN club_event e ON e.id = a.event_id
       WHERE e.status = 'FINISHED' AND e.starts_at >= ? AND r.status = 'CONFIRMED' AND e.club_id IN (${inIds}) GROUP BY e.club_id`,
      [ts, ...ids],
    );
    const walkIns = await this.countBy(
      `SELECT e.club_id AS k, COUNT(*) AS n FROM event_attendance a JOIN club_event e ON e.id = a.event_id
       WHERE e.status = 'FINISHED' AND e.starts_at >= ? AND a.rsvp_id IS NULL AND e.club_id IN (${inIds}) GROUP BY e.club_id`,
      [ts, ...ids],
    );
    const lastRows = await this.db.q.all<{ k: unknown; t: unknown }>(
      `SELECT k, MAX(t) AS t FROM (
         SELECT club_id AS k, MAX(created_at) AS t FROM club_post WHERE club_id IN (${inIds}) GROUP BY club_id
         UNION ALL SELECT club_id AS k, MAX(starts_at) AS t FROM club_event WHERE status IN ('PUBLISHED', 'FINISHED') AND starts_at <= ? AND club_id IN (${inIds}) GROUP BY club_id
         UNION ALL SELECT club_id AS k, MAX(updated_at) AS t FROM club_member WHERE club_id IN (${inIds}) GROUP BY club_id
       ) x GROUP BY k`,
      [...ids, this.db.q.ts(now), ...ids, ...ids],
    );
    const last = new Map(lastRows.filter((r) => r.t != null).map((r) => [toInt(r.k), toDate(r.t)]));
    const get = (m: Counts, id: number) => m.get(id) ?? 0;
    const rows = clubs.map((club) => {
      const c = get(confirmed, club.id);
      const a = get(attended, club.id);
      return {
        club,
        members: club.memberCount,
        pendingRequests: get(pending, club.id),
        events: get(events, club.id),
        finishedEvents: get(finished, club.id),
        announcements: get(posts, club.id),
        confirmedRsvps: c,
        attended: a,
        walkIns: get(walkIns, club.id),
        attendanceRate: rate(a, c),
        noShowRate: rate(c - a, c),
        lastActivityAt: last.get(club.id) ?? null,
      };
    });
    return rows.sort((x, y) => y.members - x.members || y.events + y.announcements - (x.events + x.announcements) || x.club.id - y.club.id);
  }

  /** Every non-draft event of a club, latest first, with RSVP and attendance figures (its organizers and managers). */
  async events(ctx: RequestContext, clubId: number): Promise<EventReportRow[]> {
    const club = await this.clubService.get(clubId);
    await this.clubService.authorize(ctx, 'event.manage', club);
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT e.id, e.title, e.starts_at, e.status, e.capacity,
         (SELECT COUNT(*) FROM event_rsvp r WHERE r.event_id = e.id AND r.status = 'CONFIRMED') AS confirmed,
         (SELECT COUNT(*) FROM event_rsvp r WHERE r.event_id = e.id AND r.status = 'WAITLISTED') AS waitlisted,
         (SELECT COUNT(*) FROM event_rsvp r WHERE r.event_id = e.id AND r.status = 'CANCELLED') AS cancelled,
         (SELECT COUNT(*) FROM event_attendance a JOIN event_rsvp r ON r.id = a.rsvp_id WHERE a.event_id = e.id AND r.status = 'CONFIRMED') AS attended,
         (SELECT COUNT(*) FROM event_attendance a WHERE a.event_id = e.id AND a.rsvp_id IS NULL) AS walk_ins
       FROM club_event e WHERE e.club_id = ? AND e.status <> 'DRAFT' ORDER BY e.starts_at DESC, e.id DESC LIMIT 200`,
      [clubId],
    );
    return rows.map((r) => {
      const status = r.status as EventStatus;
      const confirmedN = toInt(r.confirmed);
      const attendedN = toInt(r.attended);
      const done = status === 'FINISHED';
      return {
        eventId: toInt(r.id),
        title: String(r.title),
        startsAt: toDate(r.starts_at),
        status,
        capacity: toInt(r.capacity),
        confirmed: confirmedN,
        waitlisted: toInt(r.waitlisted),
        cancelled: toInt(r.cancelled),
        attended: attendedN,
        walkIns: toInt(r.walk_ins),
        attendanceRate: done ? rate(attendedN, confirmedN) : null,
        noShowRate: done ? rate(confirmedN - attendedN, confirmedN) : null,
      };
    });
  }
}
