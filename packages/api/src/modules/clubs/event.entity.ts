import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';
import { Store } from '../org/org.entity';
import { Tier } from '../tiers/tier.entity';
import { AppUser } from '../users/user.entity';
import { Club } from './club.entity';

export enum EventStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  CANCELLED = 'CANCELLED',
  FINISHED = 'FINISHED',
}

export enum RsvpStatus {
  CONFIRMED = 'CONFIRMED',
  WAITLISTED = 'WAITLISTED',
  CANCELLED = 'CANCELLED',
}

/**
 * A club event (F7). `confirmedCount` and `waitlistSeq` are the concurrency guards: a seat is taken by
 * `confirmed_count = confirmed_count + 1 WHERE confirmed_count < capacity`, a waitlist place by incrementing
 * `waitlist_seq` under the same row lock, so places are handed out in the order the row lock is granted.
 */
@Entity({ tableName: 'club_event' })
@Index({ name: 'club_event_club_start_idx', properties: ['club', 'startsAt'] })
@Index({ name: 'club_event_status_start_idx', properties: ['status', 'startsAt'] })
export class ClubEvent {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Club, { deleteRule: 'restrict' })
  club!: Club;

  @Property({ type: 'string', length: 40 })
  title!: string;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'datetime', length: 3 })
  startsAt!: Date;

  @Property({ type: 'datetime', length: 3 })
  endsAt!: Date;

  @Property({ type: 'string', length: 128 })
  address!: string;

  @Property({ type: 'double', nullable: true })
  lat?: number | null;

  @Property({ type: 'double', nullable: true })
  lng?: number | null;

  /** The store it takes place in, if any (its staff may check attendees in). */
  @ManyToOne(() => Store, { nullable: true, deleteRule: 'restrict' })
  store?: Store | null;

  @Property({ type: 'integer' })
  capacity!: number;

  @Property({ type: 'integer' })
  confirmedCount: number = 0;

  /** Monotonic waitlist sequence: the last waitlist place handed out. */
  @Property({ type: 'integer' })
  waitlistSeq: number = 0;

  /** Elite events: the lowest tier that may RSVP. */
  @ManyToOne(() => Tier, { nullable: true, deleteRule: 'restrict' })
  minTier?: Tier | null;

  /** Points deducted on RSVP (refunded on cancellation before the cut-off, and when the event is cancelled). */
  @Property({ type: 'integer' })
  pointsCost: number = 0;

  /** Points credited on check-in. */
  @Property({ type: 'integer' })
  pointsReward: number = 0;

  @Property({ type: 'datetime', length: 3, nullable: true })
  rsvpDeadline?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  refundCutoff?: Date | null;

  /** Whether members without a confirmed RSVP may be checked in at the door. */
  @Property({ type: 'boolean' })
  allowWalkIns: boolean = false;

  @Enum({ items: () => EventStatus, type: 'string', length: 12 })
  status: EventStatus = EventStatus.DRAFT;

  @Property({ type: 'string', length: 128, nullable: true })
  cancelReason?: string | null;

  /** Set when the day-before reminders were queued (claimed by a conditional update, so they go out once). */
  @Property({ type: 'datetime', length: 3, nullable: true })
  remindedAt?: Date | null;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  createdBy?: AppUser | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}

/**
 * A member's RSVP. `liveMemberId` is the member id while the RSVP is live (confirmed or waitlisted) and NULL once
 * cancelled, so (event, liveMemberId) is unique for live RSVPs while a member may RSVP again after cancelling
 * (a new row: the points debit is keyed by the RSVP id).
 */
@Entity({ tableName: 'event_rsvp' })
@Unique({ name: 'event_rsvp_live_unique', properties: ['event', 'liveMemberId'] })
@Index({ name: 'event_rsvp_event_status_idx', properties: ['event', 'status', 'waitlistSeq'] })
export class EventRsvp {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => ClubEvent, { deleteRule: 'restrict' })
  event!: ClubEvent;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @Property({ type: 'integer', nullable: true })
  liveMemberId?: number | null;

  @Enum({ items: () => RsvpStatus, type: 'string', length: 12 })
  status!: RsvpStatus;

  /** The waitlist place handed out (null when a seat was free at once). */
  @Property({ type: 'integer', nullable: true })
  waitlistSeq?: number | null;

  @Property({ type: 'integer' })
  pointsPaid: number = 0;

  @Property({ type: 'integer' })
  pointsRefunded: number = 0;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3, nullable: true })
  promotedAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  cancelledAt?: Date | null;
}

/** A member checked in at an event's door (once per event and member). */
@Entity({ tableName: 'event_attendance' })
@Unique({ name: 'event_attendance_event_member_unique', properties: ['event', 'member'] })
@Index({ name: 'event_attendance_member_idx', properties: ['member', 'id'] })
export class EventAttendance {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => ClubEvent, { deleteRule: 'restrict' })
  event!: ClubEvent;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  /** The confirmed RSVP this check-in honoured; null for a walk-in. */
  @ManyToOne(() => EventRsvp, { nullable: true, deleteRule: 'restrict' })
  rsvp?: EventRsvp | null;

  @Property({ type: 'boolean' })
  walkIn: boolean = false;

  @Property({ type: 'integer' })
  pointsAwarded: number = 0;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  checkedInBy?: AppUser | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}
