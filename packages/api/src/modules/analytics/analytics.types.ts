import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver, SafeIntResolver } from 'graphql-scalars';
import { AgeBandGql } from '../members/member-profile.types';
import { PageInfo } from '../members/member.types';

export enum LifecycleStageGql {
  NEW = 'NEW',
  DEVELOPING = 'DEVELOPING',
  MATURE = 'MATURE',
  DECLINING = 'DECLINING',
  LOST = 'LOST',
}
registerEnumType(LifecycleStageGql, {
  name: 'LifecycleStage',
  description:
    'Member lifecycle (seed 002), first match wins: LOST — no purchase for over 180 days (or none since joining over 180 days ago); NEW — joined within 90 days; DECLINING — no purchase for over 60 days, or visits or spend in the last 90 days at most half of the 90 days before (which had ≥ 2 visits), or nothing bought since joining; MATURE — a member for ≥ 180 days with ≥ 6 visits in the last 365; DEVELOPING — everyone else',
});

export enum DeclineReasonGql {
  QUIET = 'QUIET',
  VISITS_DROP = 'VISITS_DROP',
  SPEND_DROP = 'SPEND_DROP',
  NEVER_BOUGHT = 'NEVER_BOUGHT',
}
registerEnumType(DeclineReasonGql, {
  name: 'DeclineReason',
  description: 'QUIET: no purchase for over 60 days; VISITS_DROP / SPEND_DROP: last 90 days at most half of the 90 before; NEVER_BOUGHT: no purchase since joining (past the NEW period)',
});

export enum ScopeKindGql {
  HQ = 'HQ',
  REGION = 'REGION',
  STORE = 'STORE',
}
registerEnumType(ScopeKindGql, { name: 'AnalyticsScopeKind' });

export enum DistanceRingGql {
  KM_0_5 = 'KM_0_5',
  KM_5_10 = 'KM_5_10',
  KM_10_20 = 'KM_10_20',
  KM_20_PLUS = 'KM_20_PLUS',
}
registerEnumType(DistanceRingGql, { name: 'DistanceRing', description: 'Great-circle distance from the store: [0, 5), [5, 10), [10, 20) km, 20 km and more' });

export enum CompassSectorGql {
  N = 'N',
  NE = 'NE',
  E = 'E',
  SE = 'SE',
  S = 'S',
  SW = 'SW',
  W = 'W',
  NW = 'NW',
}
registerEnumType(CompassSectorGql, { name: 'CompassSector', description: 'Initial bearing from the store in 45° sectors centred on each direction (N = 337.5°–22.5°)' });

export enum GenderBucketGql {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(GenderBucketGql, { name: 'GenderBucket', description: 'A gender, or UNKNOWN when the member did not give one' });

@ObjectType('AnalyticsScope', { description: 'Where the figures come from: HQ (everything), a region, or a store' })
export class AnalyticsScopeType {
  @Field(() => ScopeKindGql) kind!: ScopeKindGql;
  @Field(() => ID, { nullable: true }) regionId!: string | null;
  @Field(() => ID, { nullable: true }) storeId!: string | null;
}

@ObjectType('KpiValues', {
  description:
    "One period's KPIs. Activity figures count what happened at the scope's stores (a row without a store counts at its member's store); member figures count the scope's members (home store, else the store of their first purchase). Rates are ratios with 4 decimals (redemptionRate exceeds 1 when more points are redeemed than issued); null when the denominator is 0",
})
export class KpiValuesType {
  @Field(() => DateTimeISOResolver, { description: 'Period start (inclusive)' }) from!: Date;
  @Field(() => DateTimeISOResolver, { description: 'Period end (exclusive)' }) to!: Date;
  @Field(() => Int, { description: "New members: the scope's members who joined in the period" }) newMembers!: number;
  @Field(() => Int, { description: 'Referrals: new members of the period who signed up through a referral (registration source REFERRAL)' }) referrals!: number;
  @Field(() => Int, { description: "Active members: members with a purchase (positive amount) at the scope's stores in the activeDays before the period's end" })
  activeMembers!: number;
  @Field(() => Int, { description: "Churn base: members active at the period's start (a purchase in the activeDays before it)" }) churnBase!: number;
  @Field(() => Int, { description: "Churned: members of the churn base with no purchase in the activeDays before the period's end" }) churned!: number;
  @Field(() => Float, { nullable: true, description: 'Churn rate: churned ÷ churn base' }) churnRate!: number | null;
  @Field(() => Int, { description: "Visits: purchases with a positive amount at the scope's stores in the period (a refund is not a visit)" }) visits!: number;
  @Field(() => Int, { description: 'Visitors: distinct members with a visit in the period' }) visitors!: number;
  @Field(() => SafeIntResolver, { description: 'Spend (fen): net purchase amount in the period, refunds deducted' }) spendFen!: number;
  @Field(() => SafeIntResolver, { nullable: true, description: 'Average spend per visit (fen): spend ÷ visits, rounded' }) avgSpendPerVisitFen!: number | null;
  @Field(() => Float, { nullable: true, description: 'Visit frequency: visits ÷ visitors in the period (2 decimals)' }) visitFrequency!: number | null;
  @Field(() => SafeIntResolver, { description: 'Points issued: earning credits (EARN) in the period, less the points clawed back by purchase refunds' }) pointsIssued!: number;
  @Field(() => SafeIntResolver, { description: 'Points redeemed: redemption debits (rewards, till deductions, event fees) in the period, less refunded redemptions' })
  pointsRedeemed!: number;
  @Field(() => SafeIntResolver, { description: 'Points expired: expiry debits written in the period' }) pointsExpired!: number;
  @Field(() => Float, { nullable: true, description: 'Redemption rate: points redeemed ÷ points issued in the period' }) redemptionRate!: number | null;
  @Field(() => SafeIntResolver, { description: "Outstanding points liability: the ledger balance of the scope's members at the period's end (points past their expiry count until the expiry run writes them off)" })
  liabilityPoints!: number;
  @Field(() => SafeIntResolver, { description: 'Liability cost (fen): liabilityPoints × the value of 100 points (analyticsSettings.pointValueFenPer100) ÷ 100, rounded' })
  liabilityFen!: number;
  @Field(() => Int, { description: 'Own redemptions: redemptions placed in the period (failed ones excluded) of rewards without a partner' }) ownRedemptions!: number;
  @Field(() => Int, { description: "Partner redemptions: the same for partners' rewards (top-ups, fuel cards, …)" }) partnerRedemptions!: number;
  @Field(() => Float, { nullable: true, description: 'Own-versus-partner redemption ratio: own ÷ (own + partner); high means members want what the brand itself offers (seed 000)' })
  ownRedemptionRatio!: number | null;
  @Field(() => Int, { description: "Club attendees: distinct members checked in at a club event in the period at the scope's stores (the event's store, else its club's)" })
  clubAttendees!: number;
  @Field(() => Float, { nullable: true, description: 'Club participation: club attendees ÷ active members' }) clubParticipationRate!: number | null;
}

@ObjectType('AnalyticsKpis', { description: 'Live KPIs for a period and the period of the same length just before it, for comparison' })
export class AnalyticsKpisType {
  @Field(() => AnalyticsScopeType) scope!: AnalyticsScopeType;
  @Field(() => Int, { description: 'The active-member window used (days)' }) activeDays!: number;
  @Field(() => Int, { description: 'The configured cost of 100 points in fen' }) pointValueFenPer100!: number;
  @Field(() => KpiValuesType) current!: KpiValuesType;
  @Field(() => KpiValuesType) previous!: KpiValuesType;
}

@ObjectType('StageCount')
export class StageCountType {
  @Field(() => LifecycleStageGql) stage!: LifecycleStageGql;
  @Field(() => Int) members!: number;
}

@ObjectType('InventoryWeek', { description: 'Member counts per lifecycle stage at the end of one week' })
export class InventoryWeekType {
  @Field(() => DateTimeISOResolver, { description: 'The instant the counts are taken at' }) at!: Date;
  @Field(() => [StageCountType], { description: 'All five stages, in lifecycle order' }) counts!: StageCountType[];
}

@ObjectType('StageTrend')
export class StageTrendType {
  @Field(() => LifecycleStageGql) stage!: LifecycleStageGql;
  @Field(() => Int, { description: 'Members in the stage at the first week' }) first!: number;
  @Field(() => Int, { description: 'Members in the stage at the last week' }) last!: number;
  @Field(() => Int, { description: 'last − first' }) change!: number;
}

@ObjectType('CustomerInventory', { description: "The customer inventory (seed 002): the scope's members per lifecycle stage at the end of each week, and the trend" })
export class CustomerInventoryType {
  @Field(() => AnalyticsScopeType) scope!: AnalyticsScopeType;
  @Field(() => [InventoryWeekType], { description: 'Weeks ending at `to`, `to` − 7 days, …, after `from`; oldest first' }) weeks!: InventoryWeekType[];
  @Field(() => [StageTrendType]) trend!: StageTrendType[];
}

@ObjectType('DecliningMember', { description: 'A member flagged for retention: no phone, no location' })
export class DecliningMemberType {
  @Field(() => ID) memberId!: string;
  @Field() memberNo!: string;
  @Field() tierName!: string;
  @Field(() => DateTimeISOResolver) joinedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) lastPurchaseAt!: Date | null;
  @Field(() => Int, { description: 'Visits in the last 90 days' }) visitsRecent!: number;
  @Field(() => Int, { description: 'Visits in the 90 days before those' }) visitsPrevious!: number;
  @Field(() => SafeIntResolver) spendRecentFen!: number;
  @Field(() => SafeIntResolver) spendPreviousFen!: number;
  @Field(() => [DeclineReasonGql]) reasons!: DeclineReasonGql[];
  @Field({ description: 'The reasons in plain Chinese, e.g. 已 110 天未消费；近 90 天到店 0 次（此前 90 天 2 次）' }) reason!: string;
}

@ObjectType('DecliningMemberPage')
export class DecliningMemberPage {
  @Field(() => [DecliningMemberType]) items!: DecliningMemberType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'All declining members in scope' }) total!: number;
}

@ObjectType('RfmCell', { description: 'One cell of the 5 × 5 recency × frequency grid' })
export class RfmCellType {
  @Field(() => Int, { description: 'Recency score 1–5 (5 = most recent)' }) r!: number;
  @Field(() => Int, { description: 'Frequency score 1–5 (5 = most visits)' }) f!: number;
  @Field(() => Int) members!: number;
  @Field(() => SafeIntResolver, { description: 'Their net spend in the range (fen)' }) spendFen!: number;
}

export enum RfmSourceGql {
  SNAPSHOT = 'SNAPSHOT',
  LIVE = 'LIVE',
}
registerEnumType(RfmSourceGql, {
  name: 'RfmSource',
  description: "SNAPSHOT: HQ's daily snapshot of a fixed window (RFM_WINDOW_DAYS: the last 30, 90 or 365 whole Beijing days), written by the analytics job; LIVE: computed for this request",
});

@ObjectType('RfmReport', {
  description:
    "RFM (seed 003) over a range: the scope's members with a visit in it, scored 1–5 on recency (last visit), frequency (visits) and monetary (net spend) by quintile among them — score = 1 + ⌊5 × (members with a strictly lower value) ÷ n⌋, so ties share a score",
})
export class RfmReportType {
  @Field(() => AnalyticsScopeType) scope!: AnalyticsScopeType;
  @Field(() => DateTimeISOResolver) from!: Date;
  @Field(() => DateTimeISOResolver) to!: Date;
  @Field(() => Int) scoredMembers!: number;
  @Field(() => SafeIntResolver, { description: 'Net spend of the scored members in the range (fen)' }) spendFen!: number;
  @Field(() => [RfmCellType], { description: 'All 25 cells, r then f ascending' }) cells!: RfmCellType[];
  @Field(() => Float, { nullable: true, description: 'Share of spend from the top 20 % of scored members by spend (⌈20 % × n⌉ members): the 80/20 check' })
  topSpendShare!: number | null;
  @Field(() => RfmSourceGql, { description: 'Where the report came from (the figures are the same either way)' }) source!: RfmSourceGql;
}

@ObjectType('GenderTally')
export class GenderTallyType {
  @Field(() => GenderBucketGql) gender!: GenderBucketGql;
  @Field(() => Int) members!: number;
  @Field(() => SafeIntResolver) spendFen!: number;
  @Field(() => SafeIntResolver) points!: number;
}

@ObjectType('AgeBandTally')
export class AgeBandTallyType {
  @Field(() => AgeBandGql, { nullable: true, description: 'null: no birthday given' }) ageBand!: AgeBandGql | null;
  @Field(() => Int) members!: number;
  @Field(() => SafeIntResolver) spendFen!: number;
  @Field(() => SafeIntResolver) points!: number;
}

@ObjectType('RadarSector', { description: 'One ring × direction sector of the radar: counts and sums only' })
export class RadarSectorType {
  @Field(() => DistanceRingGql) ring!: DistanceRingGql;
  @Field(() => CompassSectorGql) direction!: CompassSectorGql;
  @Field(() => Int) members!: number;
  @Field(() => SafeIntResolver, { description: "Their net spend at the store in the range (fen)" }) spendFen!: number;
  @Field(() => SafeIntResolver, { description: "Their points balance at the range's end" }) points!: number;
  @Field(() => [GenderTallyType]) byGender!: GenderTallyType[];
  @Field(() => [AgeBandTallyType], { description: 'Age on the last day of the range' }) byAgeBand!: AgeBandTallyType[];
}

@ObjectType('TradeAreaRadar', {
  description:
    "The trade-area radar of a store (seed 002): its customers (a visit at the store in the range, or it is their home store) whose coarsened location they consented to share, by great-circle distance ring and compass direction from the store. Never an individual's location",
})
export class TradeAreaRadarType {
  @Field(() => ID) storeId!: string;
  @Field(() => DateTimeISOResolver) from!: Date;
  @Field(() => DateTimeISOResolver) to!: Date;
  @Field(() => Int, { description: 'Customers with a consented location (placed on the radar)' }) located!: number;
  @Field(() => Int, { description: 'Customers without one (not placed)' }) unlocated!: number;
  @Field(() => [RadarSectorType], { description: 'All 32 sectors: rings inside out, directions clockwise from N' }) sectors!: RadarSectorType[];
}
