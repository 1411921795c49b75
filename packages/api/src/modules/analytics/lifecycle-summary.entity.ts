import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Each member's lifecycle timeline (issue #15 item 7; lifecycle-summary.ts): the stage changes from joining on,
 * computed from the member's purchases by the shared `lifecycleTimeline`, and the store the member counts for.
 * Written only by the leased `lifecycle-summary` job, never in a business transaction; kept so that a member whose
 * history changes can be taken out of the counts exactly as they were put in.
 */
@Entity({ tableName: 'lifecycle_member' })
@Index({ name: 'lifecycle_member_store_idx', properties: ['storeId', 'memberId'] }) // a scope's members for the KPIs (issue #15)
export class LifecycleMember {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  memberId!: number;

  /** The member's store (home store, else the first purchase's); null when neither. */
  @Property({ type: 'integer', nullable: true })
  storeId?: number | null;

  /** `encodeTimeline` text: `<epoch ms base 36><stage letter>`, comma-separated. */
  @Property({ type: 'text' })
  timeline!: string;
}

/**
 * The change in the number of members per stage that takes effect at each Shanghai midnight, per scope key
 * (0: the whole chain; a store id: that store's members). A stage's count at midnight T is Σ `net` over the rows
 * with `upto` ≤ T. Includes the changes already known to come (a member who buys nothing more is LOST on a known
 * day), which a later purchase revises.
 */
@Entity({ tableName: 'lifecycle_net' })
export class LifecycleNet {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  scopeKey!: number;

  @PrimaryKey({ type: 'datetime', length: 3 })
  upto!: Date;

  @PrimaryKey({ type: 'string', length: 12 })
  stage!: string;

  @Property({ type: 'integer' })
  net!: number;
}

/** The summary's state: every row created before `until` is in it (null while a rebuild runs), for these thresholds. */
@Entity({ tableName: 'lifecycle_state' })
export class LifecycleState {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id!: number;

  @Property({ type: 'datetime', length: 3, nullable: true })
  until?: Date | null;

  /** The lifecycle thresholds the timelines were computed with (JSON); other thresholds → rebuild. */
  @Property({ type: 'string', length: 400 })
  thresholds!: string;
}

/**
 * The spans of time in which a member is DECLINING (from their timeline; `to` null: until further notice), so the
 * retention list at any instant is an index range, not a classification of every member. Rewritten with the member's
 * `lifecycle_member` row, by the same job.
 */
@Entity({ tableName: 'lifecycle_declining' })
@Index({ name: 'lifecycle_declining_store_idx', properties: ['storeId', 'memberId', 'fromAt', 'toAt'] })
@Index({ name: 'lifecycle_declining_from_idx', properties: ['fromAt', 'storeId'] })
@Index({ name: 'lifecycle_declining_to_idx', properties: ['toAt', 'storeId'] })
export class LifecycleDeclining {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  memberId!: number;

  @PrimaryKey({ type: 'datetime', length: 3 })
  fromAt!: Date;

  @Property({ type: 'datetime', length: 3, nullable: true })
  toAt?: Date | null;

  @Property({ type: 'integer', nullable: true })
  storeId?: number | null;
}
