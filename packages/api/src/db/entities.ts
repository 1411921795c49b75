import { Region, Store } from '../modules/org/org.entity';
import { AppUser, RoleAssignment } from '../modules/users/user.entity';
import { Tier } from '../modules/tiers/tier.entity';
import { TierChange } from '../modules/tiers/tier-change.entity';
import { Member, MemberAccount } from '../modules/members/member.entity';
import { EarningRule, LoyaltyProgram } from '../modules/earning/earning-rule.entity';
import { LotAllocation, PointsEntry, PointsLot } from '../modules/ledger/ledger.entity';
import { Purchase } from '../modules/purchases/purchase.entity';
import { PayOrder, PayRefund } from '../modules/payments/payment.entity';
import { PayAnomaly } from '../modules/payments/pay-anomaly.entity';
import { Club, ClubMember, ClubPost } from '../modules/clubs/club.entity';
import { ClubEvent, EventAttendance, EventRsvp } from '../modules/clubs/event.entity';
import { Notification, SubscribeConsent } from '../modules/notifications/notification.entity';
import { OutboxItem } from '../modules/outbox/outbox.entity';
import { OtpChallenge, Reward, RewardPartner, RewardRedemption } from '../modules/rewards/reward.entity';
import { AuditLog } from '../modules/audit/audit.entity';
import { ConsoleLogin } from '../modules/console/console-login.entity';
import { SmsMessage } from '../modules/sms/sms.entity';
import { MemberProfile } from '../modules/members/member-profile.entity';
import { AnalyticsSettings } from '../modules/analytics/analytics-settings.entity';
import { AnalyticsDay, AnalyticsRfmSnapshot, AnalyticsStoreDay, AnalyticsVisitDay, AnalyticsWatermark } from '../modules/analytics/analytics-summary.entity';
import { LifecycleDeclining, LifecycleMember, LifecycleNet, LifecycleState } from '../modules/analytics/lifecycle-summary.entity';
import { RatingProgram, ServiceRating } from '../modules/ratings/rating.entity';
import { PointsAdjustment } from '../modules/adjustments/adjustment.entity';
import { Referral, ReferralCredit, ReferralInvite, ReferralProgram } from '../modules/referrals/referral.entity';
import { JobLease } from '../jobs/job-lease.entity';
import { Campaign, CampaignMember } from '../modules/campaigns/campaign.entity';

/** Every entity, in one list for the ORM config. */
export const entities = [
  Region,
  Store,
  AppUser,
  RoleAssignment,
  Tier,
  TierChange,
  Member,
  MemberAccount,
  EarningRule,
  LoyaltyProgram,
  PointsEntry,
  PointsLot,
  LotAllocation,
  Purchase,
  PayOrder,
  PayRefund,
  PayAnomaly,
  Club,
  ClubMember,
  ClubPost,
  ClubEvent,
  EventRsvp,
  EventAttendance,
  Notification,
  SubscribeConsent,
  OutboxItem,
  RewardPartner,
  Reward,
  RewardRedemption,
  OtpChallenge,
  AuditLog,
  ConsoleLogin,
  SmsMessage,
  MemberProfile,
  AnalyticsSettings,
  AnalyticsDay,
  AnalyticsVisitDay,
  AnalyticsStoreDay,
  AnalyticsWatermark,
  AnalyticsRfmSnapshot,
  LifecycleMember,
  LifecycleNet,
  LifecycleState,
  LifecycleDeclining,
  ServiceRating,
  RatingProgram,
  PointsAdjustment,
  ReferralProgram,
  ReferralInvite,
  Referral,
  ReferralCredit,
  JobLease,
  Campaign,
  CampaignMember,
];
