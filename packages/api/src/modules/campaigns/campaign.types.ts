import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsOptional } from 'class-validator';
import { DateTimeISOResolver } from 'graphql-scalars';
import { AgeBandGql, GenderGql } from '../members/member-profile.types';
import { LifecycleStageGql } from '../analytics/analytics.types';
import { PageInfo } from '../members/member.types';
import type { CampaignRow } from './campaign.service';

export enum SegmentFieldGql {
  GENDER = 'GENDER',
  AGE_BAND = 'AGE_BAND',
  TIER = 'TIER',
  LIFECYCLE = 'LIFECYCLE',
  SPEND = 'SPEND',
  PREFERRED_CATEGORY = 'PREFERRED_CATEGORY',
  LAST_PURCHASE = 'LAST_PURCHASE',
  DISTANCE = 'DISTANCE',
}
registerEnumType(SegmentFieldGql, {
  name: 'SegmentField',
  description:
    'GENDER (genders); AGE_BAND (ageBands, on the Shanghai date of the evaluation); TIER (tierIds); LIFECYCLE (stages, the analytics classifier); SPEND (net spend in the last `days` days, minFen and/or maxFen); PREFERRED_CATEGORY (the category with the most net spend in the last `days` days is one of `categories`); LAST_PURCHASE (the last purchase with a positive amount is at or after `after` and/or before `before`); DISTANCE (consented location within maxKm, and at least minKm, of storeId)',
});

export enum CampaignStatusGql {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}
registerEnumType(CampaignStatusGql, {
  name: 'CampaignStatus',
  description: 'DRAFT (editable) → SCHEDULED → RUNNING (from startsAt: materialising and sending) → DONE; CANCELLED stops sending',
});

export enum CampaignOfferKindGql {
  COUPON = 'COUPON',
  MULTIPLIER = 'MULTIPLIER',
}
registerEnumType(CampaignOfferKindGql, { name: 'CampaignOfferKind', description: 'COUPON: one coupon per treated member; MULTIPLIER: a points multiplier window for the treated members only' });

@InputType({ description: 'One condition of a segment (an AND of conditions): `field` says which of the other fields apply; the others must be null' })
export class SegmentConditionInput {
  @Field(() => SegmentFieldGql) field!: SegmentFieldGql;
  @Field(() => [GenderGql], { nullable: true }) @IsOptional() @ArrayMaxSize(4) genders?: GenderGql[] | null;
  @Field(() => [AgeBandGql], { nullable: true }) @IsOptional() @ArrayMaxSize(14) ageBands?: AgeBandGql[] | null;
  @Field(() => [ID], { nullable: true }) @IsOptional() @ArrayMaxSize(20) tierIds?: string[] | null;
  @Field(() => [LifecycleStageGql], { nullable: true }) @IsOptional() @ArrayMaxSize(10) stages?: LifecycleStageGql[] | null;
  @Field(() => Int, { nullable: true, description: 'SPEND, PREFERRED_CATEGORY: the last N days (1–1095)' }) days?: number | null;
  @Field(() => Float, { nullable: true, description: 'SPEND: at least this many fen' }) minFen?: number | null;
  @Field(() => Float, { nullable: true, description: 'SPEND: at most this many fen' }) maxFen?: number | null;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(20) categories?: string[] | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) after?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) before?: Date | null;
  @Field(() => ID, { nullable: true }) storeId?: string | null;
  @Field(() => Float, { nullable: true }) minKm?: number | null;
  @Field(() => Float, { nullable: true }) maxKm?: number | null;
}

@ObjectType('SegmentCondition')
export class SegmentConditionType {
  @Field(() => SegmentFieldGql) field!: SegmentFieldGql;
  @Field(() => [GenderGql], { nullable: true }) genders!: GenderGql[] | null;
  @Field(() => [AgeBandGql], { nullable: true }) ageBands!: AgeBandGql[] | null;
  @Field(() => [ID], { nullable: true }) tierIds!: string[] | null;
  @Field(() => [LifecycleStageGql], { nullable: true }) stages!: LifecycleStageGql[] | null;
  @Field(() => Int, { nullable: true }) days!: number | null;
  @Field(() => Float, { nullable: true }) minFen!: number | null;
  @Field(() => Float, { nullable: true }) maxFen!: number | null;
  @Field(() => [String], { nullable: true }) categories!: string[] | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) after!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) before!: Date | null;
  @Field(() => ID, { nullable: true }) storeId!: string | null;
  @Field(() => Float, { nullable: true }) minKm!: number | null;
  @Field(() => Float, { nullable: true }) maxKm!: number | null;
}

@ObjectType()
export class SegmentSampleMember {
  @Field({ description: 'Masked member number (first 3 and last 2 digits)' }) memberNo!: string;
  @Field(() => GenderGql, { nullable: true }) gender!: GenderGql | null;
  @Field(() => AgeBandGql, { nullable: true }) ageBand!: AgeBandGql | null;
}

@ObjectType('SegmentPreview')
export class SegmentPreviewType {
  @Field(() => Int, { description: 'Members matching the segment now' }) count!: number;
  @Field(() => [SegmentSampleMember], { description: 'Up to 5 of them, masked' }) sample!: SegmentSampleMember[];
}

@ObjectType()
export class CampaignProgressType {
  @Field(() => Int, { description: 'Members of the segment written so far (treated + holdout)' }) materialised!: number;
  @Field({ description: 'The whole segment is materialised' }) complete!: boolean;
  @Field(() => Int) treated!: number;
  @Field(() => Int) holdout!: number;
  @Field(() => Int, { description: 'Treated members still waiting for the offer' }) pending!: number;
  @Field(() => Int, { description: 'Treated members given the offer and the message' }) sent!: number;
  @Field(() => Int, { description: 'Treated members whose coupon was refused (budget used up, per-member limit, template switched off)' }) failed!: number;
}

@ObjectType('TargetedCampaign', { description: 'A targeted campaign (F9): a segment of a scope, a coupon offer, channels, a start, a holdout' })
export class TargetedCampaignType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => ID, { nullable: true, description: 'The scope: a region (or a store campaign’s region); both null = HQ' }) scopeRegionId!: string | null;
  @Field(() => ID, { nullable: true }) scopeStoreId!: string | null;
  @Field(() => [SegmentConditionType]) conditions!: SegmentConditionType[];
  @Field(() => CampaignOfferKindGql) offerKind!: CampaignOfferKindGql;
  @Field(() => ID, { nullable: true, description: 'COUPON: the template each treated member gets one coupon of' }) couponTemplateId!: string | null;
  @Field(() => Int, { nullable: true, description: 'MULTIPLIER: per cent (200 = double points) for treated members' }) multiplierPct!: number | null;
  @Field(() => Int, { nullable: true, description: 'MULTIPLIER: the window [startsAt, startsAt + multiplierDays)' }) multiplierDays!: number | null;
  @Field(() => String, { nullable: true, description: 'The inbox text; null: made from the offer' }) message!: string | null;
  @Field({ description: 'Also by SMS (members with a phone, when the CAMPAIGN SMS template is configured)' }) sms!: boolean;
  @Field(() => DateTimeISOResolver) startsAt!: Date;
  @Field(() => Int, { description: 'Response window: [startsAt, startsAt + responseDays)' }) responseDays!: number;
  @Field(() => Int, { description: 'Per cent of the segment held out (gets nothing), 0–50' }) holdoutPct!: number;
  @Field(() => CampaignStatusGql) status!: CampaignStatusGql;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver) updatedAt!: Date;
  /** The stored row (for field resolvers; not in the schema). */
  row!: CampaignRow;
}

@ObjectType()
export class TargetedCampaignPage {
  @Field(() => [TargetedCampaignType]) items!: TargetedCampaignType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class CampaignGroupResponse {
  @Field(() => Int) members!: number;
  @Field(() => Int, { description: 'Members with at least one purchase (positive amount) in the window' }) responders!: number;
  @Field(() => Float, { nullable: true, description: 'responders ÷ members' }) responseRate!: number | null;
  @Field(() => Int, { description: 'Purchases with a positive amount in the window' }) visits!: number;
  @Field(() => Float, { description: 'Net purchase amount in the window (refunds deducted), fen' }) spendFen!: number;
  @Field(() => Float, { nullable: true }) visitsPerMember!: number | null;
  @Field(() => Float, { nullable: true, description: 'spendFen ÷ members, rounded to the fen' }) spendPerMemberFen!: number | null;
}

@ObjectType()
export class CampaignUplift {
  @Field(() => Float, { description: 'Treated response rate − holdout response rate' }) uplift!: number;
  @Field(() => Float, { description: "Newcombe's hybrid score 95 % interval, lower bound" }) lower!: number;
  @Field(() => Float) upper!: number;
}

@ObjectType()
export class CampaignReportType {
  @Field(() => DateTimeISOResolver) windowStart!: Date;
  @Field(() => DateTimeISOResolver, { description: 'exclusive' }) windowEnd!: Date;
  @Field({ description: 'The window is over and the segment fully materialised' }) final!: boolean;
  @Field(() => CampaignGroupResponse) treated!: CampaignGroupResponse;
  @Field(() => CampaignGroupResponse) holdout!: CampaignGroupResponse;
  @Field(() => Int) couponsIssued!: number;
  @Field(() => Int) couponsRedeemed!: number;
  @Field(() => Float, { nullable: true, description: 'Campaign coupons used ÷ treated members' }) redemptionRate!: number | null;
  @Field(() => CampaignUplift, { nullable: true, description: 'null while a group is empty' }) uplift!: CampaignUplift | null;
}

@ObjectType()
export class CampaignJobsRunType {
  @Field(() => Int, { description: 'Scheduled campaigns started' }) started!: number;
  @Field(() => Int, { description: 'Segment members written' }) materialised!: number;
  @Field(() => Int, { description: 'Offers given (coupon + message)' }) sent!: number;
  @Field(() => Int, { description: 'Offers refused' }) failed!: number;
  @Field(() => Int, { description: 'Campaigns finished' }) finished!: number;
}

@InputType()
export class CreateCampaignInput {
  @Field() name!: string;
  @Field(() => ID, { nullable: true, description: 'A region campaign (or neither: HQ)' }) scopeRegionId?: string | null;
  @Field(() => ID, { nullable: true, description: 'A store campaign' }) scopeStoreId?: string | null;
  @Field(() => [SegmentConditionInput], { description: '1–10 conditions, all must hold' }) @ArrayMaxSize(10) conditions!: SegmentConditionInput[];
  @Field(() => ID, { nullable: true, description: 'The offer: one coupon of this template per treated member …' }) couponTemplateId?: string | null;
  @Field(() => Int, { nullable: true, description: '… or a points multiplier for them, 101–1000 per cent (200 = double points) …' }) multiplierPct?: number | null;
  @Field(() => Int, { nullable: true, description: '… for 1–90 days from startsAt' }) multiplierDays?: number | null;
  @Field(() => String, { nullable: true, description: 'Inbox text, 1–200 characters (default: made from the offer)' }) message?: string | null;
  @Field(() => Boolean, { nullable: true }) sms?: boolean | null;
  @Field(() => DateTimeISOResolver) startsAt!: Date;
  @Field(() => Int, { nullable: true, description: '1–90, default 14' }) responseDays?: number | null;
  @Field(() => Int, { nullable: true, description: '0–50, default 10' }) holdoutPct?: number | null;
}

@InputType()
export class UpdateCampaignInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => [SegmentConditionInput], { nullable: true }) @IsOptional() @ArrayMaxSize(10) conditions?: SegmentConditionInput[] | null;
  @Field(() => ID, { nullable: true, description: 'A coupon offer (replaces a multiplier)' }) couponTemplateId?: string | null;
  @Field(() => Int, { nullable: true, description: 'A multiplier offer (replaces a coupon; with multiplierDays)' }) multiplierPct?: number | null;
  @Field(() => Int, { nullable: true }) multiplierDays?: number | null;
  @Field(() => String, { nullable: true, description: 'null or empty: the text made from the offer' }) message?: string | null;
  @Field(() => Boolean, { nullable: true }) sms?: boolean | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) startsAt?: Date | null;
  @Field(() => Int, { nullable: true }) responseDays?: number | null;
  @Field(() => Int, { nullable: true }) holdoutPct?: number | null;
}
