/** The service graph, built once per process (or per test) from config, ORM and WeChat client. */
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from './config';
import { TokenService } from './auth/jwt';
import { Db } from './db/sql';
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
import { ClubReportService } from './modules/clubs/club-report.service';
import { createRewardServices, type RewardServices } from './modules/rewards/reward-services';
import { AuditService } from './modules/audit/audit.service';
import { ConsoleLoginService } from './modules/console/console-login.service';
import { ConsoleOrgService } from './modules/console/console-org.service';
import { RateLimitService } from './limits/rate-limit.service';
import { PayAnomalyService } from './modules/payments/pay-anomaly.service';

export interface Services extends RewardServices {
  config: Config;
  orm: MikroORM;
  db: Db;
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
  clubReports: ClubReportService;
  audit: AuditService;
  consoleLogin: ConsoleLoginService;
  consoleOrg: ConsoleOrgService;
  limits: RateLimitService;
  payAnomalies: PayAnomalyService;
  referralSettings: ReferralSettingsService;
  referrals: ReferralService;
}

export function createServices(config: Config, orm: MikroORM, log: Logger, wechatBase: string): Services {
  const db = new Db(orm);
  const tokens = new TokenService(config.jwt.secret, config.jwt.ttlSeconds);
  const wechat = new WechatClient({ baseUrl: wechatBase, appid: config.wechat.appid, secret: config.wechat.secret });
  const org = new OrgService(db);
  const tiers = new TierService(db);
  const earning = new EarningService(db, org);
  const referralSettings = new ReferralSettingsService(db);
  const referralCredits = new ReferralCredits(referralSettings, log);
  const referrals = new ReferralService(db, config, wechat, referralSettings, earning, org, log);
  const users = new UserService(db, wechat, tokens, tiers, earning, org, log, referrals);
  const outbox = new OutboxService(db, log);
  const notifications = new NotificationService(db, wechat, outbox, log, config.subscribeTemplates, config.env === 'production' ? 'formal' : 'developer');
  const limits = new RateLimitService(config.limits, db, notifications, log);
  const members = new MemberService(db, tiers, org, tokens);
  const ledger = new LedgerService(db);
  const till = new TillIdentifier(members, tokens, limits);
  const accrual = new PurchaseAccrual(earning, tiers, referralCredits);
  const purchases = new PurchaseService(db, till, accrual, org, log);
  const wp = config.wechatPay;
  const verifier = wp ? new WechatPayVerifier(wp.platformKeys, wp.apiV3Key) : null;
  const payClient =
    wp && verifier
      ? new WechatPayClient({ baseUrl: wp.apiBase, appid: config.wechat.appid, mchid: wp.mchid, serialNo: wp.serialNo, privateKeyPem: wp.privateKeyPem, publicKeyPem: wp.publicKeyPem, verifier })
      : null;
  const payAnomalies = new PayAnomalyService(db, log);
  const payments = new PaymentService(db, config, payClient, verifier, wechat, earning, accrual, org, log, payAnomalies);
  const outboxRetention = new OutboxRetentionService(db, log, { retentionDays: config.outbox.retentionDays });
  const guard = new ContentGuard(db, wechat, log);
  const clubs = new ClubService(db, org, tiers, guard, notifications, log);
  const events = new EventService(db, clubs, members, earning, org, guard, notifications, outbox, log, referralCredits);
  const clubReports = new ClubReportService(db, clubs);
  const rewardServices = createRewardServices(config, db, log, { org, tiers, earning, outbox, notifications, till });
  const audit = new AuditService(db);
  const consoleLogin = new ConsoleLoginService(db, tokens, users, config, log);
  const consoleOrg = new ConsoleOrgService(db, org);
  return { config, orm, db, log, tokens, wechat, org, tiers, earning, users, members, ledger, purchases, payments, outbox, outboxRetention, notifications, clubs, events, clubReports, audit, consoleLogin, consoleOrg, limits, payAnomalies, referralSettings, referrals, ...rewardServices };
}
