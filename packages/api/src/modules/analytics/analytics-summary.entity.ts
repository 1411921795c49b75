import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The chain's additive figures per Asia/Shanghai day (issue #15 item 7): written only by the leased
 * `analytics-summary` job (analytics-summary.ts) for whole days before its watermark, never in a business
 * transaction. KPI queries at HQ add these rows to the live rows after the watermark, so the figures stay exact.
 */
@Entity({ tableName: 'analytics_day' })
export class AnalyticsDay {
  /** The Shanghai date, YYYY-MM-DD. */
  @PrimaryKey({ type: 'string', length: 10 })
  day!: string;

  /** Purchases with a positive amount. */
  @Property({ type: 'integer', default: 0 })
  visits: number = 0;

  /** Net spend: purchases and refunds (negative rows). */
  @Property({ type: 'bigint', default: 0 })
  spendFen: number = 0;

  @Property({ type: 'bigint', default: 0 })
  pointsIssued: number = 0;

  @Property({ type: 'bigint', default: 0 })
  pointsRedeemed: number = 0;

  @Property({ type: 'bigint', default: 0 })
  pointsExpired: number = 0;

  /** Σ of every ledger entry's delta that day (the liability is the running total). */
  @Property({ type: 'bigint', default: 0 })
  pointsNet: number = 0;

  @Property({ type: 'integer', default: 0 })
  newMembers: number = 0;

  /** New members who came through a referral. */
  @Property({ type: 'integer', default: 0 })
  referrals: number = 0;
}

/** How far a summary is complete: every row created before `until` (a Shanghai midnight) is in it. */
@Entity({ tableName: 'analytics_watermark' })
export class AnalyticsWatermark {
  @PrimaryKey({ type: 'string', length: 32 })
  name!: string;

  @Property({ type: 'datetime', length: 3 })
  until!: Date;
}
