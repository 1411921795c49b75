/** Builds the GraphQL schema from the resolvers (type-graphql, validation on). */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { Services } from './services';
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

/** The resolver classes, each constructed with the service graph. */
type ResolverClass = new (services: Services) => object;

const schemas = new WeakMap<Services, Promise<GraphQLSchema>>();

/**
 * The schema for one service graph (built once per graph: once per process in production, once per app in tests).
 * type-graphql asks the container for each resolver; it is constructed once with the graph, so resolvers read
 * `this.services` and the per-request context carries only who is asking.
 */
export function getSchema(services: Services): Promise<GraphQLSchema> {
  let schema = schemas.get(services);
  if (!schema) {
    const instances = new Map<ResolverClass, object>();
    schema = buildSchema({
      resolvers: [...resolvers],
      validate: { forbidUnknownValues: false },
      emitSchemaFile: false,
      container: {
        get: (cls: ResolverClass) => {
          let r = instances.get(cls);
          if (!r) instances.set(cls, (r = new cls(services)));
          return r;
        },
      },
    });
    schemas.set(services, schema);
  }
  return schema;
}

/** The schema's shape alone (for `pnpm schema`): no resolver is ever constructed. */
export function schemaShape(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: [...resolvers], validate: { forbidUnknownValues: false }, emitSchemaFile: false });
}
