import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { RatedOperationKindColumn, RatingFollowUpColumn } from './rating.entity';

registerEnumType(RatedOperationKindColumn, {
  name: 'RatedOperationKind',
  description: 'PURCHASE: a purchase at a till; PAYMENT: a WeChat Pay payment; REDEMPTION: a reward redemption; CHECKIN: an event check-in',
});
registerEnumType(RatingFollowUpColumn, {
  name: 'RatingFollowUp',
  description: 'NONE: 3–5 stars (nothing to follow up); OPEN: a 1–2 star rating nobody took on yet; ACKNOWLEDGED: a manager is on it; RESOLVED: done, with a note',
});

@ObjectType('PendingRating', { description: 'An operation of the member still open for rating (within 24 hours, not rated yet)' })
export class PendingRatingType {
  @Field(() => RatedOperationKindColumn) kind!: RatedOperationKindColumn;
  @Field(() => ID, { description: "The operation's id (pass it to rateOperation with its kind)" }) operationId!: string;
  @Field({ description: 'What it was, in Chinese (e.g. 门店消费 ¥123.45)' }) summary!: string;
  @Field(() => String, { nullable: true }) storeName!: string | null;
  @Field(() => DateTimeISOResolver) occurredAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'The last moment it may be rated' }) closesAt!: Date;
  @Field(() => Int, { description: 'Points a rating earns (0: none)' }) bonusPoints!: number;
}

@ObjectType('MyRating', { description: "One of the member's own service ratings" })
export class MyRatingType {
  @Field(() => ID) id!: string;
  @Field(() => RatedOperationKindColumn) kind!: RatedOperationKindColumn;
  @Field(() => ID) operationId!: string;
  @Field() summary!: string;
  @Field(() => String, { nullable: true }) storeName!: string | null;
  @Field(() => Int) stars!: number;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => Int, { description: 'Points credited for rating' }) pointsAwarded!: number;
  @Field(() => DateTimeISOResolver) operationAt!: Date;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType('RatingStats', { description: "What a member's ratings add up to (their profile)" })
export class RatingStatsType {
  @Field(() => Int, { description: 'Ratings given' }) count!: number;
  @Field(() => Float, { nullable: true, description: 'Average stars given (2 decimals); null before the first rating' }) average!: number | null;
  @Field(() => [Int], { description: 'Ratings per star, 1 star first (5 entries)' }) distribution!: number[];
  @Field(() => DateTimeISOResolver, { nullable: true }) lastRatedAt!: Date | null;
}

@ObjectType('ServiceRating', { description: 'A service rating as managers see it (their scope only)' })
export class ServiceRatingType {
  @Field(() => ID) id!: string;
  @Field(() => RatedOperationKindColumn) kind!: RatedOperationKindColumn;
  @Field(() => ID) operationId!: string;
  @Field({ description: 'The operation, in Chinese' }) summary!: string;
  @Field(() => ID, { nullable: true, description: 'null: HQ-level (an in-app redemption, an event without a store)' }) storeId!: string | null;
  @Field(() => String, { nullable: true }) storeName!: string | null;
  @Field(() => ID, { nullable: true, description: 'The staff user who served, where recorded' }) staffUserId!: string | null;
  @Field(() => String, { nullable: true }) staffName!: string | null;
  @Field() memberNo!: string;
  @Field(() => Int, { description: 'Ratings this member has given in all' }) memberRatings!: number;
  @Field(() => Float, { nullable: true, description: "This member's average stars given" }) memberAverage!: number | null;
  @Field(() => Int) stars!: number;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => DateTimeISOResolver) operationAt!: Date;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => RatingFollowUpColumn) followUp!: RatingFollowUpColumn;
  @Field(() => DateTimeISOResolver, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => ID, { nullable: true }) acknowledgedBy!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => ID, { nullable: true }) resolvedBy!: string | null;
  @Field(() => String, { nullable: true }) resolutionNote!: string | null;
}

@ObjectType('ServiceRatingPage')
export class ServiceRatingPage {
  @Field(() => Int, { description: 'All matching ratings (for paging)' }) total!: number;
  @Field(() => [ServiceRatingType]) items!: ServiceRatingType[];
}

@ObjectType('StoreRatingSummary', { description: 'Ratings received by one store in the range' })
export class StoreRatingSummaryType {
  @Field(() => ID, { nullable: true, description: 'null: the HQ-level ratings (HQ managers only)' }) storeId!: string | null;
  @Field() storeName!: string;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true, description: 'Average stars (2 decimals); null without ratings' }) average!: number | null;
  @Field(() => [Int], { description: 'Ratings per star, 1 star first (5 entries)' }) distribution!: number[];
  @Field(() => Int, { description: '1–2 star ratings' }) low!: number;
  @Field(() => Int, { description: '1–2 star ratings nobody acknowledged or resolved yet' }) openLow!: number;
}

@ObjectType('StaffRatingSummary', { description: 'Ratings of the operations one staff member served at a store' })
export class StaffRatingSummaryType {
  @Field(() => ID, { nullable: true, description: 'null: operations without a recorded staff member (e.g. paid in the app)' }) staffUserId!: string | null;
  @Field() staffName!: string;
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) average!: number | null;
  @Field(() => [Int], { description: 'Ratings per star, 1 star first (5 entries)' }) distribution!: number[];
  @Field(() => Int) low!: number;
}

@InputType({ description: 'Which ratings: all in the manager’s scope, or one store / one staff member; low ones only; by follow-up' })
export class RatingFilterInput {
  @Field(() => ID, { nullable: true }) storeId?: string | null;
  @Field(() => ID, { nullable: true }) staffUserId?: string | null;
  @Field(() => Boolean, { nullable: true, description: '1–2 stars only' }) lowOnly?: boolean | null;
  @Field(() => RatingFollowUpColumn, { nullable: true }) followUp?: RatingFollowUpColumn | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Rated at or after (default: 30 days before until)' }) since?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Rated before (default: now); at most 3 years after since' }) until?: Date | null;
}

@ObjectType('RatingSettings')
export class RatingSettingsType {
  @Field(() => Int, { description: 'Points for rating a service, once per operation (0: none)' }) bonusPoints!: number;
}
