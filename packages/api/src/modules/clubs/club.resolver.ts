import { clock } from '../../clock';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { RequestContext } from '../../context';
import type { Target } from '../../auth/authz';
import { parseId } from '../members/member.resolver';
import { TierType } from '../members/member.types';
import { StoreType, toStoreType } from '../org/org.resolver';
import { toTierType } from '../tiers/tier.resolver';
import type { MembershipStatus } from './club.service';
import {
  AnnouncementInput,
  AnnouncementType,
  ClubEventType,
  ClubMembershipType,
  ClubOrganizerType,
  ClubPersonType,
  ClubReportRowType,
  ClubType,
  CreateClubInput,
  EventReportRowType,
  EventStatusGql,
  MembershipStatusGql,
  toAnnouncementType,
  toClubType,
  toEventType,
  toMembershipType,
  toPersonType,
  UpdateClubInput,
} from './club.types';
import { REPLICA_LAG_DOC } from '../../db/read-routing';
import type { Services } from '../../services';

const REPORT_WINDOW_MS = 90 * 86_400_000;

@Resolver(() => ClubType)
export class ClubResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [ClubType], { description: 'Clubs, biggest first; mine: those the signed-in member belongs to or asked to join' })
  async clubs(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('mine', { defaultValue: false }) mine: boolean,
  ): Promise<ClubType[]> {
    return (await this.services.clubs.list(ctx, { first, mine })).map(toClubType);
  }

  @Query(() => ClubType)
  async club(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ClubType> {
    return toClubType(await this.services.clubs.get(parseId(id, 'id')));
  }

  @Query(() => [ClubPersonType], { description: 'Organizers and managers: the member list with roles (active and pending), or one status' })
  async clubMembers(
    @Arg('clubId', () => ID) clubId: string,
    @Arg('status', () => MembershipStatusGql, { nullable: true }) status: MembershipStatusGql | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ClubPersonType[]> {
    return (await this.services.clubs.members(ctx, parseId(clubId, 'clubId'), (status ?? null) as MembershipStatus | null)).map(toPersonType);
  }

  @Query(() => [ClubReportRowType], { description: `Managers: clubs in scope (a store, a region, or HQ when both are omitted) by members and activity. ${REPLICA_LAG_DOC}` })
  async clubReport(
    @Ctx() ctx: RequestContext,
    @Arg('regionId', () => ID, { nullable: true }) regionId: string | null,
    @Arg('storeId', () => ID, { nullable: true }) storeId: string | null,
    @Arg('since', () => DateTimeISOResolver, { nullable: true, description: 'Start of the activity window (default: 90 days ago)' }) since: Date | null,
  ): Promise<ClubReportRowType[]> {
    let scope: Target = { kind: 'HQ' };
    if (storeId != null) scope = await this.services.org.storeTarget(parseId(storeId, 'storeId'));
    else if (regionId != null) scope = { kind: 'REGION', regionId: (await this.services.org.regionExists(parseId(regionId, 'regionId'))).id };
    const rows = await this.services.clubReports.clubs(ctx, scope, since ?? new Date(clock.ms() - REPORT_WINDOW_MS));
    return rows.map((r) => ({ ...r, club: toClubType(r.club) }));
  }

  @Query(() => [EventReportRowType], { description: `Organizers and managers: a club's events with RSVP, attendance and no-show figures. ${REPLICA_LAG_DOC}` })
  async clubEventReport(@Arg('clubId', () => ID) clubId: string, @Ctx() ctx: RequestContext): Promise<EventReportRowType[]> {
    return (await this.services.clubReports.events(ctx, parseId(clubId, 'clubId'))).map((r) => ({ ...r, eventId: String(r.eventId), status: r.status as EventStatusGql }));
  }

  @Mutation(() => ClubType, { description: 'Organizers (and managers) in scope: start a club; texts pass WeChat content security first' })
  async createClub(@Arg('input') input: CreateClubInput, @Ctx() ctx: RequestContext): Promise<ClubType> {
    return toClubType(await this.services.clubs.create(ctx, { ...input, storeId: input.storeId == null ? null : parseId(input.storeId, 'storeId') }));
  }

  @Mutation(() => ClubType, { description: "The club's organizers, managers in scope: edit the club" })
  async updateClub(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateClubInput, @Ctx() ctx: RequestContext): Promise<ClubType> {
    return toClubType(await this.services.clubs.update(ctx, parseId(id, 'id'), input));
  }

  @Mutation(() => ClubType, { description: 'INVITE clubs: a new invitation code (the old one stops working)' })
  async resetClubInviteCode(@Arg('clubId', () => ID) clubId: string, @Ctx() ctx: RequestContext): Promise<ClubType> {
    return toClubType(await this.services.clubs.resetInviteCode(ctx, parseId(clubId, 'clubId')));
  }

  @Mutation(() => ClubPersonType, { description: 'Managers: grant or revoke the organizer role of one club' })
  async setClubOrganizer(
    @Arg('clubId', () => ID) clubId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('organizer') organizer: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<ClubPersonType> {
    return toPersonType(await this.services.clubs.setOrganizer(ctx, parseId(clubId, 'clubId'), parseId(userId, 'userId'), organizer));
  }

  @Mutation(() => ClubMembershipType, { description: 'Join (OPEN, TIER_MIN, INVITE with inviteCode) or ask to join (APPROVAL)' })
  async joinClub(
    @Arg('clubId', () => ID) clubId: string,
    @Arg('inviteCode', () => String, { nullable: true }) inviteCode: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ClubMembershipType> {
    return toMembershipType(await this.services.clubs.join(ctx, parseId(clubId, 'clubId'), inviteCode ?? null));
  }

  @Mutation(() => ClubMembershipType, { description: 'Leave a club (or withdraw a request)' })
  async leaveClub(@Arg('clubId', () => ID) clubId: string, @Ctx() ctx: RequestContext): Promise<ClubMembershipType> {
    return toMembershipType(await this.services.clubs.leave(ctx, parseId(clubId, 'clubId')));
  }

  @Mutation(() => ClubPersonType, { description: 'Organizers: approve or reject a join request' })
  async reviewJoinRequest(
    @Arg('clubId', () => ID) clubId: string,
    @Arg('memberId', () => ID) memberId: string,
    @Arg('approve') approve: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<ClubPersonType> {
    return toPersonType(await this.services.clubs.review(ctx, parseId(clubId, 'clubId'), parseId(memberId, 'memberId'), approve));
  }

  @Mutation(() => ClubPersonType, { description: 'Organizers: remove a member (they cannot rejoin)' })
  async removeClubMember(@Arg('clubId', () => ID) clubId: string, @Arg('memberId', () => ID) memberId: string, @Ctx() ctx: RequestContext): Promise<ClubPersonType> {
    return toPersonType(await this.services.clubs.remove(ctx, parseId(clubId, 'clubId'), parseId(memberId, 'memberId')));
  }

  @Mutation(() => AnnouncementType, { description: 'Organizers: post to club members (in the app; as a subscribe message to those who consented)' })
  async postAnnouncement(@Arg('clubId', () => ID) clubId: string, @Arg('input') input: AnnouncementInput, @Ctx() ctx: RequestContext): Promise<AnnouncementType> {
    return toAnnouncementType(await this.services.clubs.post(ctx, parseId(clubId, 'clubId'), input));
  }

  @FieldResolver(() => TierType, { nullable: true, description: 'TIER_MIN: the lowest tier admitted' })
  async minTier(@Root() c: ClubType, @Ctx() ctx: RequestContext): Promise<TierType | null> {
    return c.row.minTierId === null ? null : toTierType(await this.services.tiers.byId(c.row.minTierId));
  }

  @FieldResolver(() => StoreType, { nullable: true })
  async store(@Root() c: ClubType, @Ctx() ctx: RequestContext): Promise<StoreType | null> {
    return c.row.storeId === null ? null : toStoreType(await this.services.org.store(c.row.storeId));
  }

  @FieldResolver(() => [ClubOrganizerType], { description: 'Its active organizers (public: no member numbers)' })
  async organizers(@Root() c: ClubType, @Ctx() ctx: RequestContext): Promise<ClubOrganizerType[]> {
    return (await this.services.clubs.organizers(c.row.id)).map((p) => ({ memberId: String(p.memberId), nickname: p.nickname }));
  }

  @FieldResolver(() => ClubMembershipType, { nullable: true, description: 'null when signed out or never joined' })
  async myMembership(@Root() c: ClubType, @Ctx() ctx: RequestContext): Promise<ClubMembershipType | null> {
    const m = await this.services.clubs.myMembership(ctx, c.row.id);
    return m ? toMembershipType(m) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'INVITE clubs: the invitation code (organizers and managers only)' })
  async inviteCode(@Root() c: ClubType, @Ctx() ctx: RequestContext): Promise<string | null> {
    return c.row.inviteCode !== null && (await this.services.clubs.may(ctx, 'club.edit', c.row)) ? c.row.inviteCode : null;
  }

  @FieldResolver(() => [ClubEventType], { description: 'By start time; upcoming only unless includePast; drafts for organizers' })
  async events(@Root() c: ClubType, @Ctx() ctx: RequestContext, @Arg('includePast', { defaultValue: false }) includePast: boolean): Promise<ClubEventType[]> {
    return (await this.services.events.ofClub(ctx, c.row, includePast)).map(toEventType);
  }

  @FieldResolver(() => [AnnouncementType], { description: 'Newest first; members only (empty for others)' })
  async announcements(@Root() c: ClubType, @Ctx() ctx: RequestContext, @Arg('first', () => Int, { defaultValue: 20 }) first: number): Promise<AnnouncementType[]> {
    return (await this.services.clubs.posts(ctx, c.row, first)).map(toAnnouncementType);
  }
}
