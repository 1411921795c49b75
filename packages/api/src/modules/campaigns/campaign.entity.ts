import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';
import { Region, Store } from '../org/org.entity';
import { AppUser } from '../users/user.entity';
import { Reward } from '../rewards/reward.entity';

export enum CampaignStatusColumn {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}

/**
 * A targeted campaign (F9, issue #14 item 3): a scope (HQ, a region, a store), a segment (normalised conditions,
 * JSON), an offer (a coupon template), the channels, the start, a holdout share and the secret seed that draws it,
 * and the response window. The sender materialises the segment into `campaign_member` in batches past
 * `materialised_through` (the last member id decided), evaluated as of `starts_at` so every batch sees the same data.
 */
@Entity({ tableName: 'campaign' })
@Index({ name: 'campaign_status_start_idx', properties: ['status', 'startsAt'] })
export class Campaign {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 64 })
  name!: string;

  /** The scope's region (a region campaign, or a store campaign's region); null for HQ. */
  @ManyToOne(() => Region, { nullable: true, deleteRule: 'restrict' })
  scopeRegion?: Region | null;

  @ManyToOne(() => Store, { nullable: true, deleteRule: 'restrict' })
  scopeStore?: Store | null;

  /** The normalised segment conditions (@quanzi/shared normalizeSegment), an AND. */
  @Property({ type: 'json' })
  segment!: unknown;

  /** COUPON: one coupon of `couponTemplate` per treated member; MULTIPLIER: a points multiplier window for them. */
  @Property({ type: 'string', length: 16 })
  offerKind: string = 'COUPON';

  @ManyToOne(() => Reward, { nullable: true, deleteRule: 'restrict' })
  couponTemplate?: Reward | null;

  /** MULTIPLIER: per cent (200 = double points) on purchases in [startsAt, startsAt + multiplierDays). */
  @Property({ type: 'integer', nullable: true })
  multiplierPct?: number | null;

  @Property({ type: 'integer', nullable: true })
  multiplierDays?: number | null;

  /** MULTIPLIER: the CAMPAIGN earning rule created when the campaign started (its audience: the treated members). */
  @Property({ type: 'integer', nullable: true })
  earningRuleId?: number | null;

  /** The inbox text (and SMS parameter); null: a text made from the offer. */
  @Property({ type: 'string', length: 200, nullable: true })
  message?: string | null;

  /** Also by SMS to members with a phone, when the CAMPAIGN SMS template is configured. */
  @Property({ type: 'boolean' })
  sms: boolean = false;

  @Property({ type: 'datetime', length: 3 })
  startsAt!: Date;

  /** Response is measured over [startsAt, startsAt + responseDays). */
  @Property({ type: 'integer' })
  responseDays: number = 14;

  /** Per cent of the segment held out (0–50). */
  @Property({ type: 'integer' })
  holdoutPct: number = 10;

  /** The secret key of the holdout draw (HMAC over the member id): reproducible per (campaign, member). */
  @Property({ type: 'string', length: 64 })
  seed!: string;

  @Enum({ items: () => CampaignStatusColumn, type: 'string', length: 12 })
  status!: CampaignStatusColumn;

  /** The segment is materialised for every member id up to this one (0: not started). */
  @Property({ type: 'integer' })
  materialisedThrough: number = 0;

  /** When the whole segment was materialised. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  materialisedAt?: Date | null;

  @ManyToOne(() => AppUser, { deleteRule: 'restrict' })
  createdBy!: AppUser;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}

export enum CampaignGroupColumn {
  TREATED = 'TREATED',
  HOLDOUT = 'HOLDOUT',
}

export enum CampaignMemberStateColumn {
  /** Treated, offer not given yet. */
  PENDING = 'PENDING',
  /** Offer and message given (in the transaction that set this). */
  SENT = 'SENT',
  /** The offer was refused (budget used up, per-member limit, template switched off): nothing given. */
  FAILED = 'FAILED',
  /** In the holdout: gets nothing, measured as the control group. */
  HELD_OUT = 'HELD_OUT',
}

/** One member of a campaign's materialised segment; (campaign, member) is unique, so nobody is counted or sent twice. */
@Entity({ tableName: 'campaign_member' })
@Unique({ name: 'campaign_member_unique', properties: ['campaign', 'member'] })
@Index({ name: 'campaign_member_state_idx', properties: ['campaign', 'state', 'id'] })
@Index({ name: 'campaign_member_member_idx', properties: ['member'] })
export class CampaignMember {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @Enum({ items: () => CampaignGroupColumn, type: 'string', length: 8 })
  grp!: CampaignGroupColumn;

  @Enum({ items: () => CampaignMemberStateColumn, type: 'string', length: 8 })
  state!: CampaignMemberStateColumn;

  /** The coupon issued (a reward_redemption, keyed `campaign:<id>` for the member). */
  @Property({ type: 'integer', nullable: true })
  redemptionId?: number | null;

  /** Why the offer was refused (an error code). */
  @Property({ type: 'string', length: 32, nullable: true })
  error?: string | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}
