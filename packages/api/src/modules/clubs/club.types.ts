/** GraphQL types and inputs of clubs and events (F7). */
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { ClubPerson, ClubRow, Membership, PostRow } from './club.service';
import type { AttendanceRow, EventRow, RsvpEntry, RsvpRow } from './event.service';

export enum JoinPolicyGql { OPEN = 'OPEN', APPROVAL = 'APPROVAL', TIER_MIN = 'TIER_MIN', INVITE = 'INVITE' }
export enum ClubRoleGql { MEMBER = 'MEMBER', ORGANIZER = 'ORGANIZER' }
export enum MembershipStatusGql { PENDING = 'PENDING', ACTIVE = 'ACTIVE', LEFT = 'LEFT', REMOVED = 'REMOVED', REJECTED = 'REJECTED' }
export enum EventStatusGql { DRAFT = 'DRAFT', PUBLISHED = 'PUBLISHED', CANCELLED = 'CANCELLED', FINISHED = 'FINISHED' }
export enum RsvpStatusGql { CONFIRMED = 'CONFIRMED', WAITLISTED = 'WAITLISTED', CANCELLED = 'CANCELLED' }
registerEnumType(JoinPolicyGql, { name: 'JoinPolicy', description: 'OPEN: anyone; APPROVAL: an organizer approves; TIER_MIN: members of a tier and above; INVITE: with the invitation code' });
registerEnumType(ClubRoleGql, { name: 'ClubRole' });
registerEnumType(MembershipStatusGql, { name: 'MembershipStatus' });
registerEnumType(EventStatusGql, { name: 'EventStatus' });
registerEnumType(RsvpStatusGql, { name: 'RsvpStatus' });

@ObjectType('Club', { description: 'A club around an interest (F7)' })
export class ClubType {
  row!: ClubRow;
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() theme!: string;
  @Field(() => String, { nullable: true }) coverUrl!: string | null;
  @Field() description!: string;
  @Field(() => JoinPolicyGql) joinPolicy!: JoinPolicyGql;
  @Field(() => Int, { nullable: true, description: 'At most this many active members (null = no cap)' }) memberCap!: number | null;
  @Field(() => Int, { description: 'Active members, organizers included' }) memberCount!: number;
  @Field(() => ID, { nullable: true, description: 'Home store (null = organisation-wide)' }) storeId!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

export function toClubType(c: ClubRow): ClubType {
  return Object.assign(new ClubType(), {
    row: c,
    id: String(c.id),
    name: c.name,
    theme: c.theme,
    coverUrl: c.coverUrl,
    description: c.description,
    joinPolicy: c.joinPolicy as JoinPolicyGql,
    memberCap: c.memberCap,
    memberCount: c.memberCount,
    storeId: c.storeId === null ? null : String(c.storeId),
    createdAt: c.createdAt,
  });
}

@ObjectType('ClubMembership', { description: "The signed-in member's place in a club" })
export class ClubMembershipType {
  @Field(() => ID) clubId!: string;
  @Field(() => ClubRoleGql) role!: ClubRoleGql;
  @Field(() => MembershipStatusGql) status!: MembershipStatusGql;
  @Field(() => DateTimeISOResolver, { description: 'When the status last changed' }) since!: Date;
}

export const toMembershipType = (m: Membership): ClubMembershipType => ({ clubId: String(m.clubId), role: m.role as ClubRoleGql, status: m.status as MembershipStatusGql, since: m.since });

@ObjectType('ClubPerson', { description: 'Someone in a club, as organizers see them' })
export class ClubPersonType {
  @Field(() => ID) memberId!: string;
  @Field(() => ID, { description: "The member's user id (what setClubOrganizer takes)" }) userId!: string;
  @Field() memberNo!: string;
  @Field(() => String, { nullable: true }) nickname!: string | null;
  @Field() tierName!: string;
  @Field(() => ClubRoleGql) role!: ClubRoleGql;
  @Field(() => MembershipStatusGql) status!: MembershipStatusGql;
  @Field(() => DateTimeISOResolver) since!: Date;
}

@ObjectType('ClubOrganizer', { description: 'An organizer as anyone sees them on the club page' })
export class ClubOrganizerType {
  @Field(() => ID) memberId!: string;
  @Field(() => String, { nullable: true }) nickname!: string | null;
}

export const toPersonType = (p: ClubPerson): ClubPersonType => ({ ...p, memberId: String(p.memberId), userId: String(p.userId), role: p.role as ClubRoleGql, status: p.status as MembershipStatusGql });

@ObjectType('Announcement')
export class AnnouncementType {
  @Field(() => ID) id!: string;
  @Field(() => ID) clubId!: string;
  @Field() title!: string;
  @Field() body!: string;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

export const toAnnouncementType = (p: PostRow): AnnouncementType => ({ id: String(p.id), clubId: String(p.clubId), title: p.title, body: p.body, createdAt: p.createdAt });

@ObjectType('ClubEvent', { description: 'An event of a club: time, place, capacity with a waitlist, tier restriction, points cost or reward' })
export class ClubEventType {
  row!: EventRow;
  @Field(() => ID) id!: string;
  @Field(() => ID) clubId!: string;
  @Field() title!: string;
  @Field() description!: string;
  @Field(() => DateTimeISOResolver) startsAt!: Date;
  @Field(() => DateTimeISOResolver) endsAt!: Date;
  @Field() address!: string;
  @Field(() => Float, { nullable: true }) lat!: number | null;
  @Field(() => Float, { nullable: true }) lng!: number | null;
  @Field(() => ID, { nullable: true, description: 'The store it takes place in (its staff may check attendees in)' }) storeId!: string | null;
  @Field(() => Int) capacity!: number;
  @Field(() => Int) confirmedCount!: number;
  @Field(() => Int, { description: 'Deducted on RSVP' }) pointsCost!: number;
  @Field(() => Int, { description: 'Credited on check-in' }) pointsReward!: number;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'null = RSVPs until the start' }) rsvpDeadline!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Cancelling a seat refunds its cost until then (null = until the start)' }) refundCutoff!: Date | null;
  @Field() allowWalkIns!: boolean;
  @Field(() => EventStatusGql) status!: EventStatusGql;
  @Field(() => String, { nullable: true }) cancelReason!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

export function toEventType(e: EventRow): ClubEventType {
  return Object.assign(new ClubEventType(), {
    row: e,
    id: String(e.id),
    clubId: String(e.clubId),
    title: e.title,
    description: e.description,
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    address: e.address,
    lat: e.lat,
    lng: e.lng,
    storeId: e.storeId === null ? null : String(e.storeId),
    capacity: e.capacity,
    confirmedCount: e.confirmedCount,
    pointsCost: e.pointsCost,
    pointsReward: e.pointsReward,
    rsvpDeadline: e.rsvpDeadline,
    refundCutoff: e.refundCutoff,
    allowWalkIns: e.allowWalkIns,
    status: e.status as EventStatusGql,
    cancelReason: e.cancelReason,
    createdAt: e.createdAt,
  });
}

@ObjectType('Rsvp')
export class RsvpType {
  @Field(() => ID) id!: string;
  @Field(() => ID) eventId!: string;
  @Field(() => RsvpStatusGql) status!: RsvpStatusGql;
  @Field(() => Int, { nullable: true, description: '1-based place on the waitlist (null unless WAITLISTED)' }) waitlistPosition!: number | null;
  @Field(() => Int) pointsPaid!: number;
  @Field(() => Int) pointsRefunded!: number;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it moved from the waitlist to a seat' }) promotedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) cancelledAt!: Date | null;
}

export const toRsvpType = (r: RsvpRow): RsvpType =>
  Object.assign(new RsvpType(), {
    id: String(r.id),
    eventId: String(r.eventId),
    status: r.status as RsvpStatusGql,
    waitlistPosition: r.waitlistPosition,
    pointsPaid: r.pointsPaid,
    pointsRefunded: r.pointsRefunded,
    createdAt: r.createdAt,
    promotedAt: r.promotedAt,
    cancelledAt: r.cancelledAt,
  });

@ObjectType('EventRsvpEntry', { description: 'An RSVP as organizers see it' })
export class RsvpEntryType extends RsvpType {
  @Field() memberNo!: string;
  @Field(() => String, { nullable: true }) nickname!: string | null;
}

export const toRsvpEntryType = (r: RsvpEntry): RsvpEntryType => Object.assign(new RsvpEntryType(), toRsvpType(r), { memberNo: r.memberNo, nickname: r.nickname });

@ObjectType('Attendance', { description: 'A check-in at an event' })
export class AttendanceType {
  @Field(() => ID) id!: string;
  @Field(() => ID) eventId!: string;
  @Field() eventTitle!: string;
  @Field(() => ID) clubId!: string;
  @Field() clubName!: string;
  @Field(() => DateTimeISOResolver) startsAt!: Date;
  @Field() memberNo!: string;
  @Field(() => String, { nullable: true }) nickname!: string | null;
  @Field({ description: 'Checked in without a confirmed RSVP' }) walkIn!: boolean;
  @Field(() => Int) pointsAwarded!: number;
  @Field(() => DateTimeISOResolver) checkedInAt!: Date;
}

export const toAttendanceType = (a: AttendanceRow): AttendanceType => ({ ...a, id: String(a.id), eventId: String(a.eventId), clubId: String(a.clubId) });

@ObjectType('CheckInResult')
export class CheckInResultType {
  @Field(() => AttendanceType) attendance!: AttendanceType;
  @Field({ description: 'true when this member had already been checked in (nothing changed)' }) replayed!: boolean;
  @Field(() => RsvpStatusGql, { nullable: true }) rsvpStatus!: RsvpStatusGql | null;
}

@ObjectType('ClubReportRow', { description: 'A club in the manager view; rates over finished events since the start of the window' })
export class ClubReportRowType {
  @Field(() => ClubType) club!: ClubType;
  @Field(() => Int) members!: number;
  @Field(() => Int) pendingRequests!: number;
  @Field(() => Int, { description: 'Published or finished events starting in the window' }) events!: number;
  @Field(() => Int) finishedEvents!: number;
  @Field(() => Int) announcements!: number;
  @Field(() => Int) confirmedRsvps!: number;
  @Field(() => Int, { description: 'Confirmed RSVPs that checked in' }) attended!: number;
  @Field(() => Int) walkIns!: number;
  @Field(() => Float, { nullable: true, description: 'attended ÷ confirmed RSVPs (null without any)' }) attendanceRate!: number | null;
  @Field(() => Float, { nullable: true, description: '(confirmed − attended) ÷ confirmed RSVPs' }) noShowRate!: number | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) lastActivityAt!: Date | null;
}

@ObjectType('EventReportRow')
export class EventReportRowType {
  @Field(() => ID) eventId!: string;
  @Field() title!: string;
  @Field(() => DateTimeISOResolver) startsAt!: Date;
  @Field(() => EventStatusGql) status!: EventStatusGql;
  @Field(() => Int) capacity!: number;
  @Field(() => Int) confirmed!: number;
  @Field(() => Int) waitlisted!: number;
  @Field(() => Int) cancelled!: number;
  @Field(() => Int) attended!: number;
  @Field(() => Int) walkIns!: number;
  @Field(() => Float, { nullable: true, description: 'Finished events only' }) attendanceRate!: number | null;
  @Field(() => Float, { nullable: true, description: 'Finished events only' }) noShowRate!: number | null;
}

@ObjectType('ClubJobsRun')
export class ClubJobsRunType {
  @Field(() => Int, { description: 'Events finished (check-in closed)' }) finished!: number;
  @Field(() => Int, { description: 'Events whose day-before reminders were queued' }) reminded!: number;
  @Field(() => Int, { description: 'Reminder notices written' }) notices!: number;
  @Field(() => Int, { description: 'Queued subscribe messages handled (sent, or in-app only)' }) delivered!: number;
  @Field(() => Int) retried!: number;
  @Field(() => Int) dead!: number;
}

@InputType()
export class CreateClubInput {
  @Field() @Length(1, 40) name!: string;
  @Field() @Length(1, 32) theme!: string;
  @Field() @Length(0, 1000) description!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 512) coverUrl?: string | null;
  @Field(() => JoinPolicyGql) joinPolicy!: JoinPolicyGql;
  @Field(() => String, { nullable: true, description: 'TIER_MIN: the lowest tier admitted, e.g. GOLD' }) @IsOptional() @Length(1, 16) minTierCode?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100_000) memberCap?: number | null;
  @Field(() => ID, { nullable: true, description: 'Home store; omit for an organisation-wide club' }) storeId?: string | null;
}

@InputType()
export class UpdateClubInput {
  @Field({ nullable: true }) @IsOptional() @Length(1, 40) name?: string;
  @Field({ nullable: true }) @IsOptional() @Length(1, 32) theme?: string;
  @Field({ nullable: true }) @IsOptional() @Length(0, 1000) description?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 512) coverUrl?: string | null;
  @Field(() => JoinPolicyGql, { nullable: true }) joinPolicy?: JoinPolicyGql;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 16) minTierCode?: string | null;
  @Field(() => Int, { nullable: true, description: 'null removes the cap' }) @IsOptional() @IsInt() @Min(1) @Max(100_000) memberCap?: number | null;
}

@InputType()
export class AnnouncementInput {
  @Field() @Length(1, 40) title!: string;
  @Field() @Length(1, 1000) body!: string;
}

@InputType()
export class CreateEventInput {
  @Field(() => ID) clubId!: string;
  @Field() @Length(1, 40) title!: string;
  @Field() @Length(0, 1000) description!: string;
  @Field(() => DateTimeISOResolver) startsAt!: Date;
  @Field(() => DateTimeISOResolver) endsAt!: Date;
  @Field() @Length(1, 128) address!: string;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(-90) @Max(90) lat?: number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(-180) @Max(180) lng?: number | null;
  @Field(() => ID, { nullable: true }) storeId?: string | null;
  @Field(() => Int) @IsInt() @Min(1) @Max(10_000) capacity!: number;
  @Field(() => String, { nullable: true, description: 'Elite events: the lowest tier that may RSVP' }) @IsOptional() @Length(1, 16) minTierCode?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100_000) pointsCost?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100_000) pointsReward?: number;
  @Field(() => DateTimeISOResolver, { nullable: true }) rsvpDeadline?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) refundCutoff?: Date | null;
  @Field({ nullable: true }) allowWalkIns?: boolean;
}

@InputType()
export class UpdateEventInput {
  @Field({ nullable: true }) @IsOptional() @Length(1, 40) title?: string;
  @Field({ nullable: true }) @IsOptional() @Length(0, 1000) description?: string;
  @Field(() => DateTimeISOResolver, { nullable: true }) startsAt?: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) endsAt?: Date;
  @Field({ nullable: true }) @IsOptional() @Length(1, 128) address?: string;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(-90) @Max(90) lat?: number | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(-180) @Max(180) lng?: number | null;
  @Field(() => ID, { nullable: true }) storeId?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(10_000) capacity?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 16) minTierCode?: string | null;
  @Field(() => Int, { nullable: true, description: 'Drafts only' }) @IsOptional() @IsInt() @Min(0) @Max(100_000) pointsCost?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100_000) pointsReward?: number;
  @Field(() => DateTimeISOResolver, { nullable: true }) rsvpDeadline?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) refundCutoff?: Date | null;
  @Field({ nullable: true }) allowWalkIns?: boolean;
}
