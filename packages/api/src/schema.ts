/** Builds the GraphQL schema from the resolvers (type-graphql, validation on). */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuthResolver } from './modules/users/auth.resolver';
import { EarningResolver } from './modules/earning/earning.resolver';
import { LedgerResolver } from './modules/ledger/ledger.resolver';
import { MemberResolver } from './modules/members/member.resolver';
import { OrgResolver } from './modules/org/org.resolver';
import { PurchaseResolver } from './modules/purchases/purchase.resolver';
import { TierResolver } from './modules/tiers/tier.resolver';
import { PaymentResolver } from './modules/payments/payment.resolver';
import { PayAnomalyResolver } from './modules/payments/pay-anomaly.resolver';
import { ClubResolver } from './modules/clubs/club.resolver';
import { EventResolver, RsvpResolver } from './modules/clubs/event.resolver';
import { NotificationResolver } from './modules/notifications/notification.resolver';
import { RedemptionResolver, RewardResolver } from './modules/rewards/reward.resolver';
import { OutboxResolver } from './modules/outbox/outbox.resolver';
import { ConsoleResolver } from './modules/console/console.resolver';
import { MemberProfileResolver } from './modules/members/member-profile.resolver';
import { AnalyticsResolver } from './modules/analytics/analytics.resolver';
import { AnalyticsCohortResolver } from './modules/analytics/analytics-cohorts.resolver';
import { MemberRatingResolver, RatingResolver } from './modules/ratings/rating.resolver';
import { ConsoleMembersResolver } from './modules/console/console-members.resolver';
import { AdjustmentResolver } from './modules/adjustments/adjustment.resolver';
import { CouponResolver } from './modules/coupons/coupon.resolver';
import { ReferralResolver } from './modules/referrals/referral.resolver';
import { BonusResolver } from './modules/earning/bonus.resolver';
import { CampaignResolver } from './modules/campaigns/campaign.resolver';

export const resolvers = [AuthResolver, MemberResolver, TierResolver, OrgResolver, EarningResolver, PurchaseResolver, LedgerResolver, PaymentResolver, ClubResolver, EventResolver, RsvpResolver, NotificationResolver, RewardResolver, RedemptionResolver, OutboxResolver, ConsoleResolver, PayAnomalyResolver, MemberProfileResolver, AnalyticsResolver, AnalyticsCohortResolver, RatingResolver, MemberRatingResolver, ConsoleMembersResolver, AdjustmentResolver, CouponResolver, ReferralResolver, BonusResolver, CampaignResolver] as const;

let cached: Promise<GraphQLSchema> | null = null;

/** The schema (built once per process). */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [...resolvers],
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
  return cached;
}
