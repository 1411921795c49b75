import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, Min, ValidateNested } from 'class-validator';

@ObjectType('LifecycleThresholds', { description: 'The lifecycle classifier’s thresholds (days unless stated)' })
export class LifecycleThresholdsType {
  @Field(() => Int, { description: 'Joined within this many days: NEW' }) newDays!: number;
  @Field(() => Int, { description: 'No purchase for more than this: LOST' }) lostAfterDays!: number;
  @Field(() => Int, { description: 'No purchase for more than this: DECLINING (QUIET); less than lostAfterDays' }) quietDays!: number;
  @Field(() => Int, { description: 'The trend compares the last windowDays with the windowDays before' }) windowDays!: number;
  @Field(() => Float, { description: 'Recent visits or spend at most this share of the previous window’s: DECLINING (0 ≤ x < 1)' }) dropRatio!: number;
  @Field(() => Int, { description: 'Visits the previous window needs for a drop to count' }) minBaselineVisits!: number;
  @Field(() => Int, { description: 'MATURE needs this much tenure…' }) matureMinDays!: number;
  @Field(() => Int, { description: '…and this many visits in the last 365 days' }) matureMinVisits!: number;
}

@ObjectType('AnalyticsSettings', { description: 'Programme-wide analytics settings (HQ managers edit them)' })
export class AnalyticsSettingsType {
  @Field(() => Int, { description: 'Active-member window (days) for the KPIs' }) activeDays!: number;
  @Field(() => Int, { description: 'Cost of 100 outstanding points in fen (liability KPI)' }) pointValueFenPer100!: number;
  @Field(() => LifecycleThresholdsType) lifecycle!: LifecycleThresholdsType;
}

@InputType({ description: 'Thresholds to change (omitted ones are kept); the result must be coherent' })
export class LifecycleThresholdsInput {
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(3650) newDays?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(3650) lostAfterDays?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(3650) quietDays?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(3650) windowDays?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(0) @Max(0.99) dropRatio?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(3650) minBaselineVisits?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(3650) matureMinDays?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(3650) matureMinVisits?: number;
}

@InputType({ description: 'Analytics settings to change (omitted ones are kept)' })
export class AnalyticsSettingsInput {
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(7) @Max(365) activeDays?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(0) @Max(100_000) pointValueFenPer100?: number;
  @Field(() => LifecycleThresholdsInput, { nullable: true }) @IsOptional() @ValidateNested() lifecycle?: LifecycleThresholdsInput;
}
