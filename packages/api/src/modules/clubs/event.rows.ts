/** Club events' and RSVPs' rows as the services use them (event.service.ts, event-check-in.service.ts), and their readers. */
import type { EventStatus, RsvpStatus } from '@quanzi/shared';
import { toDate, toInt } from '../../db/sql';

export interface EventRow {
  id: number;
  clubId: number;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  address: string;
  lat: number | null;
  lng: number | null;
  storeId: number | null;
  capacity: number;
  confirmedCount: number;
  minTierId: number | null;
  pointsCost: number;
  pointsReward: number;
  rsvpDeadline: Date | null;
  refundCutoff: Date | null;
  allowWalkIns: boolean;
  status: EventStatus;
  cancelReason: string | null;
  createdAt: Date;
}

export interface RsvpRow {
  id: number;
  eventId: number;
  memberId: number;
  status: RsvpStatus;
  /** 1-based place among those still waiting (null unless WAITLISTED). */
  waitlistPosition: number | null;
  pointsPaid: number;
  pointsRefunded: number;
  createdAt: Date;
  promotedAt: Date | null;
  cancelledAt: Date | null;
}

export interface RsvpEntry extends RsvpRow { memberNo: string; nickname: string | null }

export interface AttendanceRow {
  id: number;
  eventId: number;
  eventTitle: string;
  clubId: number;
  clubName: string;
  startsAt: Date;
  memberId: number;
  memberNo: string;
  nickname: string | null;
  walkIn: boolean;
  pointsAwarded: number;
  checkedInAt: Date;
}

export interface EventInput {
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  address: string;
  lat?: number | null;
  lng?: number | null;
  storeId?: number | null;
  capacity: number;
  minTierCode?: string | null;
  pointsCost?: number;
  pointsReward?: number;
  rsvpDeadline?: Date | null;
  refundCutoff?: Date | null;
  allowWalkIns?: boolean;
}

export const EVENT_COLUMNS =
  'id, club_id, title, description, starts_at, ends_at, address, lat, lng, store_id, capacity, confirmed_count, min_tier_id, points_cost, points_reward, rsvp_deadline, refund_cutoff, allow_walk_ins, status, cancel_reason, created_at';
export const RSVP_COLUMNS = 'id, event_id, member_id, status, waitlist_seq, points_paid, points_refunded, created_at, promoted_at, cancelled_at';

const dateOrNull = (v: unknown): Date | null => (v == null ? null : toDate(v));

export function toEvent(r: Record<string, unknown>): EventRow {
  return {
    id: toInt(r.id),
    clubId: toInt(r.club_id),
    title: String(r.title),
    description: String(r.description),
    startsAt: toDate(r.starts_at),
    endsAt: toDate(r.ends_at),
    address: String(r.address),
    lat: r.lat == null ? null : Number(r.lat),
    lng: r.lng == null ? null : Number(r.lng),
    storeId: r.store_id == null ? null : toInt(r.store_id),
    capacity: toInt(r.capacity),
    confirmedCount: toInt(r.confirmed_count),
    minTierId: r.min_tier_id == null ? null : toInt(r.min_tier_id),
    pointsCost: toInt(r.points_cost),
    pointsReward: toInt(r.points_reward),
    rsvpDeadline: dateOrNull(r.rsvp_deadline),
    refundCutoff: dateOrNull(r.refund_cutoff),
    allowWalkIns: Boolean(toInt(r.allow_walk_ins)),
    status: r.status as EventStatus,
    cancelReason: r.cancel_reason == null ? null : String(r.cancel_reason),
    createdAt: toDate(r.created_at),
  };
}

export function toRsvp(r: Record<string, unknown>, waitlistPosition: number | null = null): RsvpRow {
  return {
    id: toInt(r.id),
    eventId: toInt(r.event_id),
    memberId: toInt(r.member_id),
    status: r.status as RsvpStatus,
    waitlistPosition,
    pointsPaid: toInt(r.points_paid),
    pointsRefunded: toInt(r.points_refunded),
    createdAt: toDate(r.created_at),
    promotedAt: dateOrNull(r.promoted_at),
    cancelledAt: dateOrNull(r.cancelled_at),
  };
}

