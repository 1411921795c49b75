/**
 * Club and event rules (PRODUCT F7), pure so the mini-program can say "cancel now and get N points back" or
 * "check-in opens at 18:00" with the server's own logic.
 */

export type JoinPolicy = 'OPEN' | 'APPROVAL' | 'TIER_MIN' | 'INVITE';
export type EventStatus = 'DRAFT' | 'PUBLISHED' | 'CANCELLED' | 'FINISHED';
export type RsvpStatus = 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED';

/** Check-in opens this long before an event starts and closes this long after it ends. */
export const CHECK_IN_OPENS_BEFORE_MS = 2 * 3600_000;
export const CHECK_IN_CLOSES_AFTER_MS = 2 * 3600_000;
/** Reminders go out to confirmed attendees once the start is this close ("the day before"). */
export const EVENT_REMINDER_LEAD_MS = 24 * 3600_000;

export interface JoinFacts {
  policy: JoinPolicy;
  /** The member's tier rank (0 = entry tier). */
  memberTierRank: number;
  /** TIER_MIN: the lowest tier rank admitted. */
  minTierRank: number | null;
  /** INVITE: the club's current code, and the one the member typed. */
  clubInviteCode: string | null;
  inviteCode: string | null;
}

export type JoinDecision = { ok: true; status: 'ACTIVE' | 'PENDING' } | { ok: false; error: 'TIER_REQUIRED' | 'INVITE_INVALID' };

/**
 * What a join request becomes: OPEN → a member at once; APPROVAL → pending until an organizer approves;
 * TIER_MIN → a member when their tier ranks at least the minimum, otherwise TIER_REQUIRED; INVITE → a member
 * with the club's current invitation code (case-insensitive), otherwise INVITE_INVALID.
 */
export function decideJoin(f: JoinFacts): JoinDecision {
  switch (f.policy) {
    case 'OPEN':
      return { ok: true, status: 'ACTIVE' };
    case 'APPROVAL':
      return { ok: true, status: 'PENDING' };
    case 'TIER_MIN':
      return meetsTier(f.memberTierRank, f.minTierRank) ? { ok: true, status: 'ACTIVE' } : { ok: false, error: 'TIER_REQUIRED' };
    case 'INVITE': {
      const given = (f.inviteCode ?? '').trim().toUpperCase();
      return f.clubInviteCode && given === f.clubInviteCode.toUpperCase() ? { ok: true, status: 'ACTIVE' } : { ok: false, error: 'INVITE_INVALID' };
    }
  }
}

/** A member of `memberTierRank` may enter something restricted to `minTierRank` and above (null = no restriction). */
export function meetsTier(memberTierRank: number, minTierRank: number | null): boolean {
  return minTierRank === null || memberTierRank >= minTierRank;
}

export interface EventTimes {
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  /** Last moment to RSVP; null = until the start. */
  rsvpDeadline: Date | null;
  /** Cancelling a confirmed seat refunds its points cost until this moment; null = until the start. */
  refundCutoff: Date | null;
}

/** Why an RSVP is refused at `now`, or null when RSVPs are open (published, before the deadline and the start). */
export function rsvpClosedReason(e: EventTimes, now: Date): 'NOT_PUBLISHED' | 'DEADLINE_PASSED' | null {
  if (e.status !== 'PUBLISHED') return 'NOT_PUBLISHED';
  const deadline = e.rsvpDeadline && e.rsvpDeadline.getTime() < e.startsAt.getTime() ? e.rsvpDeadline : e.startsAt;
  return now.getTime() < deadline.getTime() ? null : 'DEADLINE_PASSED';
}

/**
 * Points given back when the member cancels their own RSVP at `now`: a waitlisted RSVP never held a seat and gets
 * everything back; a confirmed one gets everything back before the refund cut-off (default: the start), nothing
 * after. An RSVP already cancelled gets nothing (it was settled when it was cancelled).
 */
export function refundOnCancel(rsvp: { status: RsvpStatus; pointsPaid: number }, e: Pick<EventTimes, 'startsAt' | 'refundCutoff'>, now: Date): number {
  if (rsvp.status === 'CANCELLED' || rsvp.pointsPaid <= 0) return 0;
  if (rsvp.status === 'WAITLISTED') return rsvp.pointsPaid;
  const cutoff = e.refundCutoff ?? e.startsAt;
  return now.getTime() < cutoff.getTime() ? rsvp.pointsPaid : 0;
}

/** Whether the door is open for check-in at `now`: a published event, from 2 h before its start to 2 h after its end. */
export function checkInOpen(e: Pick<EventTimes, 'status' | 'startsAt' | 'endsAt'>, now: Date): boolean {
  const t = now.getTime();
  return e.status === 'PUBLISHED' && t >= e.startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS && t <= e.endsAt.getTime() + CHECK_IN_CLOSES_AFTER_MS;
}

/** Share of `part` in `whole` rounded to 4 decimals, or null when `whole` is 0 (no rate to speak of). */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}
