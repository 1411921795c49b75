/**
 * Check-in at club events (F7): staff, organizers or managers scan the member code at the door; the attendance row
 * and the attendance reward are written once per event and member, whatever the repeats and races (a second scan,
 * a rotated code, two doors at once). Also the attendance lists. Split from event.service.ts, which owns the events
 * and RSVPs this reads.
 */
import { clock } from '../../clock';
import { checkInOpen, ErrorCode, parseMemberCode, type RsvpStatus } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { isUniqueViolation, toDate, toInt, type Db } from '../../db/sql';
import { AppError, badInput } from '../../errors';
import type { Logger } from '../../logger';
import type { EarningService } from '../earning/earning.service';
import { credit } from '../ledger/ledger.service';
import type { MemberService } from '../members/member.service';
import { CodeStepTaken, consumeCodeStep } from '../purchases/till-identity';
import type { ReferralCredits } from '../referrals/referral-credits';
import type { RateLimitService } from '../../limits/rate-limit.service';
import type { ClubService } from './club.service';
import type { AttendanceRow } from './event.rows';
import { closed, type EventService } from './event.service';

export class EventCheckInService {
  constructor(
    private readonly db: Db,
    private readonly events: EventService,
    private readonly clubs: ClubService,
    private readonly members: MemberService,
    private readonly earning: EarningService,
    private readonly limits: RateLimitService,
    private readonly log: Logger,
    private readonly referrals: ReferralCredits | null = null,
  ) {}

  /**
   * Check-in at the door: an organizer of the club, a manager over it, or staff of the store it takes place in scans
   * the member code. Idempotent per event and member (scanning again returns the first check-in, even with a rotated
   * code). Members without a confirmed RSVP are refused (RSVP_REQUIRED) unless walk-ins are allowed; the attendance
   * reward is credited once.
   */
  async checkIn(ctx: RequestContext, eventId: number, memberCode: string, now = clock.now()): Promise<{ attendance: AttendanceRow; replayed: boolean; rsvpStatus: RsvpStatus | null }> {
    const e = await this.events.row(eventId);
    const club = await this.clubs.get(e.clubId);
    const staffId = await this.clubs.authorize(ctx, 'event.checkin', club, e.storeId);
    if (!checkInOpen(e, now)) throw closed(e.status === 'PUBLISHED' ? 'Check-in opens 2 hours before the start and closes 2 hours after the end' : `Check-in is closed: the event is ${e.status.toLowerCase()}`);
    let verified;
    try {
      verified = await this.limits.guard('member-code', { userId: staffId, storeId: e.storeId ?? club.storeId ?? null }, () => this.members.verifyCode(memberCode, now.getTime()));
    } catch (err) {
      // A second scan of a code already used here is a repeat of the same check-in.
      if (err instanceof AppError && err.code === ErrorCode.CODE_REUSED) {
        const prior = await this.attendanceByCode(eventId, memberCode);
        if (prior) return { attendance: prior, replayed: true, rsvpStatus: (await this.events.liveRsvp(eventId, prior.memberId))?.status ?? null };
      }
      throw err;
    }
    const { member, step } = verified;
    const prior = await this.attendanceOf(eventId, member.id);
    const rsvp = await this.events.liveRsvp(eventId, member.id);
    if (prior) return { attendance: prior, replayed: true, rsvpStatus: rsvp?.status ?? null };
    const seated = rsvp?.status === 'CONFIRMED';
    if (!seated && !e.allowWalkIns) {
      throw new AppError(ErrorCode.RSVP_REQUIRED, rsvp ? 'This member is on the waitlist, not confirmed' : 'This member has not RSVPed to this event', { rsvpStatus: rsvp?.status ?? null });
    }
    if (!seated) await this.events.requireTier(member.tierId, e);
    const validity = (await this.earning.settings()).pointsValidityMonths;
    const referral = this.referrals ? await this.referrals.settings() : null; // before the transaction (a cache reload)
    try {
      await this.db.tx(async (q) => {
        // The member row first (the code step), then the rows that reference it: no shared-lock upgrade on a double scan.
        await consumeCodeStep(q, member.id, step);
        await q.run('INSERT INTO event_attendance (event_id, member_id, rsvp_id, walk_in, points_awarded, checked_in_by_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          eventId, member.id, seated ? rsvp.id : null, seated ? 0 : 1, e.pointsReward, staffId, q.ts(now),
        ]);
        if (e.pointsReward > 0) {
          const c = await credit(
            q,
            { memberId: member.id, kind: 'EARN', reason: `活动签到奖励 · ${e.title}`, actorId: staffId, storeId: e.storeId ?? club.storeId, sourceType: 'event_attend', sourceRef: `${eventId}:${member.id}`, requestHash: null, now },
            e.pointsReward,
            validity,
          );
          // A genuine earning: the member's referrer gets a share of it (F8; no bonus, it is not a purchase).
          if (this.referrals && referral) {
            await this.referrals.onEarn(q, { refereeId: member.id, entryId: c.entryId, points: e.pointsReward, amountFen: 0, at: now, validityMonths: validity, origin: '活动' }, referral);
          }
        }
      });
    } catch (err) {
      if (isUniqueViolation(err) || err instanceof CodeStepTaken) {
        const again = await this.attendanceOf(eventId, member.id);
        if (again) return { attendance: again, replayed: true, rsvpStatus: rsvp?.status ?? null };
        if (err instanceof CodeStepTaken) throw new AppError(ErrorCode.CODE_REUSED, 'This member code was already used');
      }
      throw err;
    }
    const attendance = await this.attendanceOf(eventId, member.id);
    if (!attendance) throw new AppError(ErrorCode.INTERNAL, 'check-in vanished');
    this.log.info({ eventId, memberId: member.id, staffId, walkIn: !seated, points: e.pointsReward }, 'checked in');
    return { attendance, replayed: false, rsvpStatus: rsvp?.status ?? null };
  }

  private async attendanceByCode(eventId: number, code: string): Promise<AttendanceRow | null> {
    const parsed = parseMemberCode(code ?? '');
    if (!parsed) return null;
    const member = await this.members.byMemberNo(parsed.memberNo);
    return member ? this.attendanceOf(eventId, member.id) : null;
  }

  private async attendanceOf(eventId: number, memberId: number): Promise<AttendanceRow | null> {
    const [row] = await this.attendance('a.event_id = ? AND a.member_id = ?', [eventId, memberId], 1);
    return row ?? null;
  }

  private async attendance(where: string, params: unknown[], limit: number): Promise<AttendanceRow[]> {
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT a.id, a.event_id, a.member_id, a.walk_in, a.points_awarded, a.created_at, e.title, e.starts_at, e.club_id, c.name AS club_name, m.member_no, u.nickname
       FROM event_attendance a JOIN club_event e ON e.id = a.event_id JOIN club c ON c.id = e.club_id JOIN member m ON m.id = a.member_id JOIN app_user u ON u.id = m.user_id
       WHERE ${where} ORDER BY a.id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map((r) => ({
      id: toInt(r.id),
      eventId: toInt(r.event_id),
      eventTitle: String(r.title),
      clubId: toInt(r.club_id),
      clubName: String(r.club_name),
      startsAt: toDate(r.starts_at),
      memberId: toInt(r.member_id),
      memberNo: String(r.member_no),
      nickname: r.nickname == null ? null : String(r.nickname),
      walkIn: Boolean(toInt(r.walk_in)),
      pointsAwarded: toInt(r.points_awarded),
      checkedInAt: toDate(r.created_at),
    }));
  }

  /** Who checked in to an event, latest first (organizers, managers, staff at its door). */
  async eventAttendance(ctx: RequestContext, eventId: number): Promise<AttendanceRow[]> {
    const e = await this.events.row(eventId);
    await this.clubs.authorize(ctx, 'event.checkin', await this.clubs.get(e.clubId), e.storeId);
    return this.attendance('a.event_id = ?', [eventId], 1000);
  }

  /** The signed-in member's attendance history, latest first. */
  async myAttendance(ctx: RequestContext, first: number): Promise<AttendanceRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    const me = await this.clubs.me(ctx);
    return this.attendance('a.member_id = ?', [me.memberId], first);
  }
}
