/** Wires the rewards feature (F6): catalogue, redemption, fulfilment through the provider adapters, reports. */
import type { Config } from '../../config';
import type { Db } from '../../db/sql';
import { AGGREGATOR_PROVIDER_ID, AggregatorClient } from '../../integrations/rewards/aggregator-client';
import type { RewardProvider } from '../../integrations/rewards/reward-provider';
import type { Logger } from '../../logger';
import type { EarningService } from '../earning/earning.service';
import type { NotificationService } from '../notifications/notification.service';
import type { OrgService } from '../org/org.service';
import type { OutboxService } from '../outbox/outbox.service';
import type { TillIdentifier } from '../purchases/till-identity';
import type { TierService } from '../tiers/tier.service';
import { FulfilmentService } from './fulfilment.service';
import { InboxOtpSender, type OtpSender } from './otp-sender';
import { RedemptionService } from './redemption.service';
import { RewardReportService } from './reward-report.service';
import { RewardService } from './reward.service';
import { TillRedemptionService } from './till-redemption.service';
import type { RateLimitService } from '../../limits/rate-limit.service';

export interface RewardServices {
  rewards: RewardService;
  redemptions: RedemptionService;
  fulfilment: FulfilmentService;
  rewardReports: RewardReportService;
  tillRedemptions: TillRedemptionService;
}

export interface RewardDeps { org: OrgService; tiers: TierService; earning: EarningService; outbox: OutboxService; notifications: NotificationService; till: TillIdentifier; limits: RateLimitService; otpSender?: OtpSender; /** The report's reads (src/db/read-routing.ts); default `db`. */ reports?: Db }

/** The configured provider adapters by id (the aggregator when REWARD_PROVIDER_* is set, or the demo's simulator). */
export function rewardProviders(config: Config): Map<string, RewardProvider> {
  const providers = new Map<string, RewardProvider>();
  if (config.rewards.provider) providers.set(AGGREGATOR_PROVIDER_ID, new AggregatorClient(config.rewards.provider));
  return providers;
}

export function createRewardServices(config: Config, db: Db, log: Logger, d: RewardDeps): RewardServices {
  const rewards = new RewardService(db, d.org, d.tiers, log);
  const fulfilment = new FulfilmentService(db, config, rewardProviders(config), d.outbox, d.notifications, d.earning, log);
  // With in-process jobs on, a partner order starts at once instead of waiting for the next tick.
  const kick = () => {
    if (config.rewards.jobsIntervalSeconds > 0) fulfilment.runJobs().catch((e: Error) => log.error({ err: e.message }, 'reward jobs failed'));
  };
  const redemptions = new RedemptionService(db, config, rewards, d.tiers, d.org, d.limits, d.otpSender ?? new InboxOtpSender(d.notifications, log), (p) => fulfilment.canFulfil(p), log, kick);
  return { rewards, redemptions, fulfilment, rewardReports: new RewardReportService(d.reports ?? db), tillRedemptions: new TillRedemptionService(db, d.org, d.till, redemptions, d.limits) };
}
