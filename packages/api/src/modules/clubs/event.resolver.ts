import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { parseId } from '../members/member.resolver';
import { TierType } from '../members/member.types';
import { toTierType } from '../tiers/tier.resolver';
import type { EventInput } from './event.service';
import {
  AttendanceType,
  CheckInResultType,
  ClubEventType,
  ClubJobsRunType,
  ClubType,
  CreateEventInput,
  RsvpEntryType,
  RsvpStatusGql,
  RsvpType,
  toAttendanceType,
  toClubType,
  toEventType,
  toRsvpEntryType,
  toRsvpType,
  UpdateEventInput,
} from './club.types';
import type { Services } from '../../services';

const storeOf = (v: string | null | undefined): number | null | undefined => (v === undefined ? undefined : v === null ? null : parseId(v, 'storeId'));

@Resolver(() => ClubEventType)
export class EventResolver {
  constructor(private readonly services: Services) {}

  @Query(() => ClubEventType, { description: 'An event (drafts only for its organizers)' })
  async event(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ClubEventType> {
    return toEventType(await this.services.events.get(ctx, parseId(id, 'id')));
  }

  @Query(() => [RsvpType], { description: "The signed-in member's live RSVPs to events that have not ended" })
  async myRsvps(@Ctx() ctx: RequestContext): Promise<RsvpType[]> {
    return (await this.services.events.myRsvps(ctx)).map(toRsvpType);
  }

  @Query(() => [RsvpEntryType], { description: 'Organizers: every RSVP (confirmed, the waitlist in order, cancelled)' })
  async eventRsvps(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: RequestContext): Promise<RsvpEntryType[]> {
    return (await this.services.events.rsvps(ctx, parseId(eventId, 'eventId'))).map(toRsvpEntryType);
  }

  @Query(() => [AttendanceType], { description: 'Organizers, staff at the door: who checked in' })
  async eventAttendance(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: RequestContext): Promise<AttendanceType[]> {
    return (await this.services.eventCheckIn.eventAttendance(ctx, parseId(eventId, 'eventId'))).map(toAttendanceType);
  }

  @Query(() => [AttendanceType], { description: "The signed-in member's attendance history, latest first" })
  async myAttendance(@Ctx() ctx: RequestContext, @Arg('first', () => Int, { defaultValue: 20 }) first: number): Promise<AttendanceType[]> {
    return (await this.services.eventCheckIn.myAttendance(ctx, first)).map(toAttendanceType);
  }

  @Mutation(() => ClubEventType, { description: 'Organizers: draft an event; texts pass WeChat content security first' })
  async createEvent(@Arg('input') input: CreateEventInput, @Ctx() ctx: RequestContext): Promise<ClubEventType> {
    const { clubId, storeId, ...rest } = input;
    return toEventType(await this.services.events.create(ctx, parseId(clubId, 'clubId'), { ...rest, storeId: storeOf(storeId) } as EventInput));
  }

  @Mutation(() => ClubEventType, { description: 'Organizers: edit a draft or published event (a larger capacity promotes from the waitlist)' })
  async updateEvent(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateEventInput, @Ctx() ctx: RequestContext): Promise<ClubEventType> {
    const { storeId, ...rest } = input;
    return toEventType(await this.services.events.update(ctx, parseId(id, 'id'), { ...rest, storeId: storeOf(storeId) } as Partial<EventInput>));
  }

  @Mutation(() => ClubEventType, { description: 'Organizers: DRAFT → PUBLISHED' })
  async publishEvent(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ClubEventType> {
    return toEventType(await this.services.events.publish(ctx, parseId(id, 'id')));
  }

  @Mutation(() => ClubEventType, { description: "Organizers: cancel; every RSVP's points are refunded exactly once and attendees notified" })
  async cancelEvent(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | null, @Ctx() ctx: RequestContext): Promise<ClubEventType> {
    return toEventType(await this.services.events.cancel(ctx, parseId(id, 'id'), reason ?? null));
  }

  @Mutation(() => ClubEventType, { description: 'Organizers: PUBLISHED → FINISHED once started (waitlisted points are refunded)' })
  async finishEvent(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ClubEventType> {
    return toEventType(await this.services.events.finish(ctx, parseId(id, 'id')));
  }

  @Mutation(() => RsvpType, { description: 'RSVP: a seat, or the next waitlist place; the points cost is deducted' })
  async rsvpEvent(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: RequestContext): Promise<RsvpType> {
    return toRsvpType(await this.services.events.rsvp(ctx, parseId(eventId, 'eventId')));
  }

  @Mutation(() => RsvpType, { description: 'Cancel my RSVP (refund before the cut-off; a freed seat goes to the waitlist)' })
  async cancelRsvp(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: RequestContext): Promise<RsvpType> {
    return toRsvpType(await this.services.events.cancelRsvp(ctx, parseId(eventId, 'eventId')));
  }

  @Mutation(() => CheckInResultType, { description: 'Organizers, or staff at the event’s store: scan a member code at the door (idempotent)' })
  async checkInAttendee(@Arg('eventId', () => ID) eventId: string, @Arg('memberCode') memberCode: string, @Ctx() ctx: RequestContext): Promise<CheckInResultType> {
    const r = await this.services.eventCheckIn.checkIn(ctx, parseId(eventId, 'eventId'), memberCode);
    return { attendance: toAttendanceType(r.attendance), replayed: r.replayed, rsvpStatus: r.rsvpStatus as RsvpStatusGql | null };
  }

  @Mutation(() => ClubJobsRunType, { description: 'HQ manager: finish past events, queue day-before reminders, deliver subscribe messages now (also run by the scheduler)' })
  async runClubJobs(@Ctx() ctx: RequestContext): Promise<ClubJobsRunType> {
    const r = await this.services.events.runJobsAs(ctx);
    return { finished: r.finished, reminded: r.reminded, notices: r.notices, delivered: r.delivery.done, retried: r.delivery.retried, dead: r.delivery.dead };
  }

  @FieldResolver(() => ClubType)
  async club(@Root() e: ClubEventType, @Ctx() ctx: RequestContext): Promise<ClubType> {
    return toClubType(await this.services.clubs.get(e.row.clubId));
  }

  @FieldResolver(() => TierType, { nullable: true, description: 'Elite events: the lowest tier that may RSVP' })
  async minTier(@Root() e: ClubEventType, @Ctx() ctx: RequestContext): Promise<TierType | null> {
    return e.row.minTierId === null ? null : toTierType(await this.services.tiers.byId(e.row.minTierId));
  }

  @FieldResolver(() => Int)
  async waitlistCount(@Root() e: ClubEventType, @Ctx() ctx: RequestContext): Promise<number> {
    return this.services.events.waitlistCount(e.row.id);
  }

  @FieldResolver(() => Int, { description: 'Free seats now' })
  spotsLeft(@Root() e: ClubEventType): number {
    return Math.max(0, e.row.capacity - e.row.confirmedCount);
  }

  @FieldResolver(() => RsvpType, { nullable: true, description: "The signed-in member's RSVP (live, else the latest), null if none" })
  async myRsvp(@Root() e: ClubEventType, @Ctx() ctx: RequestContext): Promise<RsvpType | null> {
    const r = await this.services.events.myRsvp(ctx, e.row.id);
    return r ? toRsvpType(r) : null;
  }
}

@Resolver(() => RsvpType)
export class RsvpResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => ClubEventType)
  async event(@Root() r: RsvpType, @Ctx() ctx: RequestContext): Promise<ClubEventType> {
    return toEventType(await this.services.events.row(Number(r.eventId)));
  }
}
