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

/**
 * The chain's first visits per Shanghai day, by the day of the member's previous visit (issue #15 item 7: distinct
 * visitors, active members and churn at HQ without a GROUP BY over every member's purchases). A visit is a purchase
 * with a positive amount, anywhere in the chain; only a member's first visit of a day counts. The members who
 * visited in the days [f, t) are then Σ `visits` over the rows with f ≤ `day` < t and `prevDay` < f
 * (visit-summary.ts). Written only by the leased `analytics-summary` job, for whole days before its own watermark
 * (`visit_day`), never in a business transaction; append-only like `analytics_day` (a day's rows depend only on
 * the visits up to that day). A store's or a region's distinct members are read live through (store, time).
 */
@Entity({ tableName: 'analytics_visit_day' })
export class AnalyticsVisitDay {
  /** Shanghai day number (days since 1970-01-01 in Shanghai). */
  @PrimaryKey({ type: 'integer', autoincrement: false })
  day!: number;

  /** The Shanghai day number of the member's previous visit, 0 when this is the member's first. */
  @PrimaryKey({ type: 'integer', autoincrement: false })
  prevDay!: number;

  @Property({ type: 'integer' })
  visits!: number;
}

/**
 * Each store's additive figures per Asia/Shanghai day, from the rows that carry the store (issue #15 item 7: a store's
 * or a region's KPIs without reading the store's ledger per request): visits and net spend of its purchases, points
 * issued / redeemed / expired by its ledger entries. Rows without a store (expiry, in-app redemptions, bonuses) are
 * attributed through the member's store at read time, so they are not here. Written only by the leased
 * `analytics-summary` job for whole days before its own watermark (`store_day`), never in a business transaction;
 * purchases and ledger entries are append-only, so a summarised day never changes (store-day-summary.ts).
 */
@Entity({ tableName: 'analytics_store_day' })
export class AnalyticsStoreDay {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  storeId!: number;

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
}

/**
 * HQ's RFM report of one fixed window [from, to) (issue #15 item 7; rfm-snapshot.ts): written once a day by the
 * leased `analytics-summary` job for the windows of RFM_WINDOW_DAYS ending at the last settled Shanghai midnight,
 * never in a business transaction; a week's worth kept. `cells` is the 5 × 5 R × F grid as JSON
 * `[[members, spendFen], …]`, r then f ascending.
 */
@Entity({ tableName: 'analytics_rfm_snapshot' })
export class AnalyticsRfmSnapshot {
  @PrimaryKey({ type: 'datetime', length: 3 })
  fromAt!: Date;

  @PrimaryKey({ type: 'datetime', length: 3 })
  toAt!: Date;

  @Property({ type: 'integer' })
  scoredMembers!: number;

  @Property({ type: 'bigint' })
  spendFen!: number;

  @Property({ type: 'double', nullable: true })
  topSpendShare?: number | null;

  @Property({ type: 'text' })
  cells!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt!: Date;
}

/** How far a summary is complete: every row created before `until` (a Shanghai midnight) is in it. */
@Entity({ tableName: 'analytics_watermark' })
export class AnalyticsWatermark {
  @PrimaryKey({ type: 'string', length: 32 })
  name!: string;

  @Property({ type: 'datetime', length: 3 })
  until!: Date;
}
