/** The service graph, built once per process (or per test) from config, ORM and WeChat client. */
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from './config';
import { TokenService } from './auth/jwt';
import { Db } from './db/sql';
import { reportsDb } from './db/read-routing';
import { WechatClient } from './integrations/wechat/wechat-client';
import type { Logger } from './logger';
import { EarningService } from './modules/earning/earning.service';
import { LedgerService } from './modules/ledger/ledger.service';
import { MemberService } from './modules/members/member.service';
import { OrgService } from './modules/org/org.service';
import { PurchaseService } from './modules/purchases/purchase.service';
import { TillIdentifier } from './modules/purchases/till-identity';
import { PurchaseAccrual } from './modules/purchases/purchase-accrual';
import { ReferralSettingsService } from './modules/referrals/referral-settings.service';
import { ReferralCredits } from './modules/referrals/referral-credits';
import { ReferralService } from './modules/referrals/referral.service';
import { TierService } from './modules/tiers/tier.service';
import { UserService } from './modules/users/user.service';
import { PaymentService } from './modules/payments/payment.service';
import { WechatPayClient } from './integrations/wechatpay/wechatpay-client';
import { WechatPayVerifier } from './integrations/wechatpay/wechatpay-verifier';
import { OutboxService } from './modules/outbox/outbox.service';
import { OutboxRetentionService } from './modules/outbox/outbox-retention.service';
import { NotificationService } from './modules/notifications/notification.service';
import { ContentGuard } from './modules/clubs/content-guard';
import { ClubService } from './modules/clubs/club.service';
import { EventService } from './modules/clubs/event.service';
import { EventCheckInService } from './modules/clubs/event-check-in.service';
import { ClubReportService } from './modules/clubs/club-report.service';
import { createRewardServices, type RewardServices } from './modules/rewards/reward-services';
import { AuditService } from './modules/audit/audit.service';
import { ConsoleLoginService } from './modules/console/console-login.service';
import { ConsoleOrgService } from './modules/console/console-org.service';
import { RateLimitService } from './limits/rate-limit.service';
import { PayAnomalyService } from './modules/payments/pay-anomaly.service';
import { SmsService } from './modules/sms/sms.service';
import { TencentSmsClient } from './integrations/sms/tencent-sms-client';
import { InboxOtpSender, SmsOtpSender } from './modules/rewards/otp-sender';
import { MemberProfileService } from './modules/members/member-profile.service';
import { AnalyticsKpiService } from './modules/analytics/analytics-kpi.service';
import { VisitSummary } from './modules/analytics/visit-summary';
import { StoreDaySummary } from './modules/analytics/store-day-summary';
import { AnalyticsSummary } from './modules/analytics/analytics-summary';
import { RfmSnapshots } from './modules/analytics/rfm-snapshot';
import { LifecycleSummary } from './modules/analytics/lifecycle-summary';
import { AnalyticsMembersService } from './modules/analytics/analytics-members.service';
import { AnalyticsRadarService } from './modules/analytics/analytics-radar.service';
import { AnalyticsSettingsService } from './modules/analytics/analytics-settings.service';
import { AnalyticsCohortService } from './modules/analytics/analytics-cohorts.service';
import { RatingService } from './modules/ratings/rating.service';
import { RatingReportService } from './modules/ratings/rating-report.service';
import { ConsoleMemberService } from './modules/console/console-members.service';
import { AdjustmentService } from './modules/adjustments/adjustment.service';
import { CouponTemplateService } from './modules/coupons/coupon-template.service';
import { CouponService } from './modules/coupons/coupon.service';
import { BirthdayBonusService } from './modules/earning/birthday-bonus';
import { CampaignService } from './modules/campaigns/campaign.service';
import { CampaignSender } from './modules/campaigns/campaign-sender';

export interface Services extends RewardServices {
  config: Config;
  orm: MikroORM;
  /** The primary: every transaction, every write, and every read that must see them. */
  db: Db;
  /** Replica-tolerant reads (analytics and reports; src/db/read-routing.ts): a read replica when configured, else `db`. */
  reports: Db;
  log: Logger;
  tokens: TokenService;
  wechat: WechatClient;
  org: OrgService;
  tiers: TierService;
  earning: EarningService;
  users: UserService;
  members: MemberService;
  ledger: LedgerService;
  purchases: PurchaseService;
  payments: PaymentService;
  outbox: OutboxService;
  outboxRetention: OutboxRetentionService;
  notifications: NotificationService;
  clubs: ClubService;
  events: EventService;
  eventCheckIn: EventCheckInService;
  clubReports: ClubReportService;
  audit: AuditService;
  consoleLogin: ConsoleLoginService;
  consoleOrg: ConsoleOrgService;
  limits: RateLimitService;
  payAnomalies: PayAnomalyService;
  /** SMS through the outbox (null when SMS_PROVIDER is not configured). */
  sms: SmsService | null;
  memberProfiles: MemberProfileService;
  analyticsKpis: AnalyticsKpiService;
  analyticsSummary: AnalyticsSummary;
  visitSummary: VisitSummary;
  storeDaySummary: StoreDaySummary;
  rfmSnapshots: RfmSnapshots;
  lifecycleSummary: LifecycleSummary;
  analyticsMembers: AnalyticsMembersService;
  analyticsRadar: AnalyticsRadarService;
  analyticsSettings: AnalyticsSettingsService;
  analyticsCohorts: AnalyticsCohortService;
  ratings: RatingService;
  ratingReports: RatingReportService;
  consoleMembers: ConsoleMemberService;
  adjustments: AdjustmentService;
  couponTemplates: CouponTemplateService;
  coupons: CouponService;
  referralSettings: ReferralSettingsService;
  referrals: ReferralService;
  /** The birthday-month bonus: the daily job and the sign-in trigger (F4). */
  birthdayBonus: BirthdayBonusService;
  campaigns: CampaignService;
  campaignSender: CampaignSender;
}

export function createServices(config: Config, orm: MikroORM, log: Logger, wechatBase: string): Services {
  const db = new Db(orm);
  const reports = reportsDb(orm, config.database, db);
  const tokens = new TokenService(config.jwt.secret, config.jwt.ttlSeconds);
  const wechat = new WechatClient({ baseUrl: wechatBase, appid: config.wechat.appid, secret: config.wechat.secret });
  const org = new OrgService(db);
  const tiers = new TierService(db);
  const earning = new EarningService(db, org);
  const referralSettings = new ReferralSettingsService(db);
  const referralCredits = new ReferralCredits(referralSettings, log);
  const referrals = new ReferralService(db, config, wechat, referralSettings, earning, org, log, reports);
  const users = new UserService(db, wechat, tokens, tiers, earning, org, log, referrals);
  const outbox = new OutboxService(db, log);
  const notifications = new NotificationService(db, wechat, outbox, log, config.subscribeTemplates, config.env === 'production' ? 'formal' : 'developer');
  const limits = new RateLimitService(config.limits, db, notifications, log);
  const members = new MemberService(db, tiers, org, tokens, limits);
  const ledger = new LedgerService(db);
  const till = new TillIdentifier(members, tokens, limits);
  const accrual = new PurchaseAccrual(earning, tiers, referralCredits);
  const purchases = new PurchaseService(db, till, accrual, org, log, limits);
  const wp = config.wechatPay;
  const verifier = wp ? new WechatPayVerifier(wp.platformKeys, wp.apiV3Key) : null;
  const payClient =
    wp && verifier
      ? new WechatPayClient({ baseUrl: wp.apiBase, appid: config.wechat.appid, mchid: wp.mchid, serialNo: wp.serialNo, privateKeyPem: wp.privateKeyPem, publicKeyPem: wp.publicKeyPem, verifier })
      : null;
  const payAnomalies = new PayAnomalyService(db, log);
  const payments = new PaymentService(db, config, payClient, verifier, wechat, earning, accrual, org, log, payAnomalies, limits);
  const outboxRetention = new OutboxRetentionService(db, log, { retentionDays: config.outbox.retentionDays });
  const guard = new ContentGuard(db, wechat, log);
  const clubs = new ClubService(db, org, tiers, guard, notifications, log);
  const events = new EventService(db, clubs, members, earning, org, guard, notifications, outbox, limits, log, referralCredits);
  const eventCheckIn = new EventCheckInService(db, events, clubs, members, earning, limits, log, referralCredits);
  const clubReports = new ClubReportService(reports, clubs);
  const sms = createSms(config, db, outbox, log);
  const otpSender = sms?.canSend('REWARD_OTP') ? new SmsOtpSender(sms, config.sms?.inboxCopy ? new InboxOtpSender(notifications, log) : null) : undefined;
  const rewardServices = createRewardServices(config, db, log, { org, tiers, earning, outbox, notifications, till, limits, otpSender, reports });
  const audit = new AuditService(db);
  const consoleLogin = new ConsoleLoginService(db, tokens, users, config, log);
  const consoleOrg = new ConsoleOrgService(db, org);
  const memberProfiles = new MemberProfileService(db, org, earning, log);
  const analyticsSettings = new AnalyticsSettingsService(db, config.analytics);
  // The summary's job writes on the primary; the KPIs read summary days and the live tail from one server (the
  // replica when configured), so both come from the same point in its replication stream.
  const analyticsSummary = new AnalyticsSummary(db);
  const visitSummary = new VisitSummary(db);
  const storeDaySummary = new StoreDaySummary(db);
  // The lifecycle summary's job writes on the primary; the inventory reads it where it reads the live rows.
  const lifecycleSummary = new LifecycleSummary(db, () => analyticsSettings.get().then((s) => s.lifecycle));
  const reportLifecycle = reports === db ? lifecycleSummary : new LifecycleSummary(reports, () => analyticsSettings.get().then((s) => s.lifecycle));
  const analyticsKpis = new AnalyticsKpiService(reports, org, analyticsSettings, reports === db ? analyticsSummary : new AnalyticsSummary(reports), {
    visits: reports === db ? visitSummary : new VisitSummary(reports),
    stores: reports === db ? storeDaySummary : new StoreDaySummary(reports),
    lifecycle: reportLifecycle,
  });
  // HQ's daily RFM snapshots: computed and written by the job on the primary, read where the live RFM is read.
  const rfmSnapshots = new RfmSnapshots(db);
  const analyticsMembers = new AnalyticsMembersService(reports, org, analyticsSettings, reportLifecycle, reports === db ? rfmSnapshots : new RfmSnapshots(reports));
  const analyticsRadar = new AnalyticsRadarService(reports, org);
  const analyticsCohorts = new AnalyticsCohortService(reports, org);
  const ratings = new RatingService(db, earning, notifications, log);
  const ratingReports = new RatingReportService(db, org, log, reports);
  const consoleMembers = new ConsoleMemberService(db, org);
  const adjustments = new AdjustmentService(db, config, org, earning, consoleMembers);
  const couponTemplates = new CouponTemplateService(db, org, log);
  const coupons = new CouponService(db, couponTemplates, rewardServices.redemptions, log);
  const birthdayBonus = new BirthdayBonusService(db, earning, log);
  // A campaign's audience is written as its recipients: its lifecycle stages read the primary, not the dashboards' replica.
  const campaignAudience = reports === db ? analyticsMembers : new AnalyticsMembersService(db, org, analyticsSettings);
  const campaigns = new CampaignService(db, org, campaignAudience, couponTemplates, earning);
  const campaignSender = new CampaignSender(db, campaigns, couponTemplates, notifications, sms, log, { sendPerRun: config.campaigns.sendPerRun });
  return {
    config, orm, db, reports, log, tokens, wechat, org, tiers, earning, users, members, ledger, purchases, payments, outbox, outboxRetention, notifications, clubs, events, eventCheckIn, clubReports, audit, consoleLogin, consoleOrg, limits, payAnomalies, sms,
    memberProfiles, analyticsKpis, analyticsSummary, visitSummary, storeDaySummary, lifecycleSummary, rfmSnapshots, analyticsMembers, analyticsRadar, analyticsSettings, analyticsCohorts, ratings, ratingReports, consoleMembers, adjustments, couponTemplates, coupons, referralSettings, referrals, birthdayBonus, campaigns, campaignSender, ...rewardServices,
  };
}

/** The SMS gateway when SMS_PROVIDER is set: queued messages go out at once when jobs run in-process. */
function createSms(config: Config, db: Db, outbox: OutboxService, log: Logger): SmsService | null {
  const c = config.sms;
  if (!c) return null;
  const client = new TencentSmsClient({ secretId: c.secretId, secretKey: c.secretKey, sdkAppId: c.sdkAppId, signName: c.signName, region: c.region, endpoint: c.endpoint, timeoutMs: c.timeoutMs });
  const kick = () => {
    if (config.rewards.jobsIntervalSeconds > 0 || config.clubJobsIntervalSeconds > 0) outbox.drain().catch((e: Error) => log.error({ err: e.message }, 'outbox drain failed'));
  };
  return new SmsService(db, client, outbox, c, config.jwt.secret, log, kick);
}
