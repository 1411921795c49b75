import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { clock } from '../../clock';
import type { RequestContext } from '../../context';
import { badInput } from '../../errors';
import { parseId } from '../members/member.resolver';
import { MemberType } from '../members/member.types';
import { RatedOperationKindColumn } from './rating.entity';
import type { ManagerRatingRow, RatingFilter } from './rating-report.service';
import { ratingRange } from './rating-report.service';
import type { MyRatingRow } from './rating.service';
import {
  MyRatingType,
  PendingRatingType,
  RatingFilterInput,
  RatingSettingsType,
  RatingStatsType,
  ServiceRatingPage,
  ServiceRatingType,
  StaffRatingSummaryType,
  StoreRatingSummaryType,
} from './rating.types';
import { DateTimeISOResolver } from 'graphql-scalars';
import { REPLICA_LAG_DOC } from '../../db/read-routing';
import type { Services } from '../../services';

const optId = (v: string | null | undefined, field: string): number | null => (v == null ? null : parseId(v, field));

const toMine = (r: MyRatingRow): MyRatingType => ({ ...r, id: String(r.id), kind: r.kind as RatedOperationKindColumn, operationId: String(r.operationId) });

const toManager = (r: ManagerRatingRow): ServiceRatingType => ({
  ...r,
  id: String(r.id),
  kind: r.kind as RatedOperationKindColumn,
  operationId: String(r.operationId),
  storeId: r.storeId === null ? null : String(r.storeId),
  staffUserId: r.staffUserId === null ? null : String(r.staffUserId),
  followUp: r.followUp as ServiceRatingType['followUp'],
  acknowledgedBy: r.acknowledgedById === null ? null : String(r.acknowledgedById),
  resolvedBy: r.resolvedById === null ? null : String(r.resolvedById),
});

@Resolver()
export class RatingResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [PendingRatingType], { description: "The signed-in member's operations still open for rating (within 24 hours, not rated), newest first, at most 20" })
  async myPendingRatings(@Ctx() ctx: RequestContext): Promise<PendingRatingType[]> {
    return (await this.services.ratings.pending(ctx)).map((o) => ({
      kind: o.kind as RatedOperationKindColumn,
      operationId: String(o.id),
      summary: o.summary,
      storeName: o.storeName,
      occurredAt: o.at,
      closesAt: o.closesAt,
      bonusPoints: o.bonusPoints,
    }));
  }

  @Mutation(() => MyRatingType, {
    description:
      'Rate one of your operations 1–5 stars with an optional comment (≤ 200 characters), once, within 24 hours. NOT_FOUND for an operation that is not yours, ALREADY_RATED, RATING_CLOSED, BAD_USER_INPUT. 1–2 stars alert the store’s managers at once.',
  })
  async rateOperation(
    @Arg('kind', () => RatedOperationKindColumn) kind: RatedOperationKindColumn,
    @Arg('operationId', () => ID) operationId: string,
    @Arg('stars', () => Int) stars: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MyRatingType> {
    if (typeof comment === 'string' && comment.length > 2000) throw badInput('comment: at most 200 characters', 'comment');
    return toMine(await this.services.ratings.rate(ctx, kind, parseId(operationId, 'operationId'), stars, comment ?? null));
  }

  @Query(() => [MyRatingType], { description: "The signed-in member's own ratings, newest first" })
  async myRatings(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<MyRatingType[]> {
    const memberId = await this.services.ratings.memberOf(ctx);
    return (await this.services.ratings.history(memberId, first, offset)).map(toMine);
  }

  @Query(() => RatingSettingsType, { description: 'Rating settings (signed-in users)' })
  async ratingSettings(@Ctx() ctx: RequestContext): Promise<RatingSettingsType> {
    ctx.requireUser();
    return { bonusPoints: await this.services.ratings.bonusPoints() };
  }

  @Mutation(() => RatingSettingsType, { description: 'HQ manager: points for rating a service, 0–1000 (0 = none); audited' })
  async updateRatingSettings(@Arg('bonusPoints', () => Int) bonusPoints: number, @Ctx() ctx: RequestContext): Promise<RatingSettingsType> {
    return { bonusPoints: await this.services.ratings.updateBonusPoints(ctx, bonusPoints) };
  }

  @Query(() => [StoreRatingSummaryType], { description: `Manager: ratings per store in the manager's scope over the range (default: the last 30 days; at most 3 years). ${REPLICA_LAG_DOC}` })
  async storeRatings(
    @Ctx() ctx: RequestContext,
    @Arg('since', () => DateTimeISOResolver, { nullable: true }) since: Date | null,
    @Arg('until', () => DateTimeISOResolver, { nullable: true }) until: Date | null,
  ): Promise<StoreRatingSummaryType[]> {
    const rows = await this.services.ratingReports.byStore(ctx, ratingRange(since, until, clock.now()));
    return rows.map((r) => ({ ...r, storeId: r.storeId === null ? null : String(r.storeId) }));
  }

  @Query(() => [StaffRatingSummaryType], { description: `Manager: ratings per staff member at one store in scope (lowest average first). ${REPLICA_LAG_DOC}` })
  async staffRatings(
    @Ctx() ctx: RequestContext,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('since', () => DateTimeISOResolver, { nullable: true }) since: Date | null,
    @Arg('until', () => DateTimeISOResolver, { nullable: true }) until: Date | null,
  ): Promise<StaffRatingSummaryType[]> {
    const rows = await this.services.ratingReports.byStaff(ctx, parseId(storeId, 'storeId'), ratingRange(since, until, clock.now()));
    return rows.map((r) => ({ ...r, staffUserId: r.staffUserId === null ? null : String(r.staffUserId) }));
  }

  @Query(() => ServiceRatingPage, { description: "Manager: ratings in scope (or at one store / by one staff member), newest first, with comments and follow-up" })
  async serviceRatings(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => RatingFilterInput, { nullable: true }) filter: RatingFilterInput | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<ServiceRatingPage> {
    const f: RatingFilter = {
      storeId: optId(filter?.storeId, 'storeId'),
      staffUserId: optId(filter?.staffUserId, 'staffUserId'),
      lowOnly: filter?.lowOnly ?? null,
      followUp: filter?.followUp ?? null,
    };
    const page = await this.services.ratingReports.list(ctx, f, ratingRange(filter?.since, filter?.until, clock.now()), first, offset);
    return { total: page.total, items: page.items.map(toManager) };
  }

  @Query(() => ServiceRatingType, { description: "Manager: one rating in scope (the low-rating notice's link)" })
  async serviceRating(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ServiceRatingType> {
    return toManager(await this.services.ratingReports.get(ctx, parseId(id, 'id')));
  }

  @Mutation(() => ServiceRatingType, { description: 'Manager: take on a 1–2 star rating in scope (OPEN → ACKNOWLEDGED; CONFLICT otherwise)' })
  async acknowledgeRating(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ServiceRatingType> {
    return toManager(await this.services.ratingReports.acknowledge(ctx, parseId(id, 'id')));
  }

  @Mutation(() => ServiceRatingType, { description: 'Manager: resolve a 1–2 star rating in scope with a note (1–500 characters: what was done); once' })
  async resolveRating(@Arg('id', () => ID) id: string, @Arg('note') note: string, @Ctx() ctx: RequestContext): Promise<ServiceRatingType> {
    if (typeof note === 'string' && note.length > 5000) throw badInput('note: 1–500 characters', 'note');
    return toManager(await this.services.ratingReports.resolve(ctx, parseId(id, 'id'), note));
  }
}

/** Ratings feed the member's profile: `me { ratingStats }`. */
@Resolver(() => MemberType)
export class MemberRatingResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => RatingStatsType, { description: 'The ratings this member gave: how many, the average, the distribution' })
  async ratingStats(@Root() m: MemberType, @Ctx() ctx: RequestContext): Promise<RatingStatsType> {
    return this.services.ratings.stats(m.home.id);
  }
}
