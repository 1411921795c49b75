import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';
import { Region, Store } from '../org/org.entity';
import { AppUser } from '../users/user.entity';

export enum RatedOperationKindColumn {
  PURCHASE = 'PURCHASE',
  PAYMENT = 'PAYMENT',
  REDEMPTION = 'REDEMPTION',
  CHECKIN = 'CHECKIN',
}

/** Where a low rating's follow-up stands; NONE for 3–5 stars (nothing to follow up). */
export enum RatingFollowUpColumn {
  NONE = 'NONE',
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

/**
 * A member's rating of one service interaction (F11): a till purchase (`purchase`), a WeChat Pay payment
 * (`pay_order`), a reward redemption (`reward_redemption`) or an event check-in (`event_attendance`).
 * (kind, operationId) is unique: once per operation, whatever the interleaving of concurrent submits. The store,
 * its region and the staff member who served are copied from the operation when it is rated, so that reports and
 * manager scopes read this table alone; both null = HQ-level (an in-app redemption, an event without a store).
 */
@Entity({ tableName: 'service_rating' })
@Unique({ name: 'service_rating_operation_unique', properties: ['kind', 'operationId'] })
@Index({ name: 'service_rating_member_idx', properties: ['member', 'id'] })
// Covering indexes for the manager's reports (per store, per staff member) at a store, in a region and at HQ.
@Index({ name: 'service_rating_store_time_idx', properties: ['store', 'createdAt', 'stars', 'followUp', 'staff'] })
@Index({ name: 'service_rating_region_time_idx', properties: ['region', 'createdAt', 'stars', 'followUp', 'store'] })
@Index({ name: 'service_rating_time_idx', properties: ['createdAt', 'store', 'stars', 'followUp'] })
export class ServiceRating {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @Enum({ items: () => RatedOperationKindColumn, type: 'string', length: 12 })
  kind!: RatedOperationKindColumn;

  /** The rated row's id in the operation's table. */
  @Property({ type: 'integer' })
  operationId!: number;

  /** What it was, in plain Chinese (e.g. 门店消费 ¥123.45), for the manager's list and the member's history. */
  @Property({ type: 'string', length: 96 })
  summary!: string;

  @ManyToOne(() => Store, { nullable: true, deleteRule: 'restrict' })
  store?: Store | null;

  @ManyToOne(() => Region, { nullable: true, deleteRule: 'restrict' })
  region?: Region | null;

  /** The staff user who served (the till's cashier, the staff who created the till order, checked the member in). */
  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  staff?: AppUser | null;

  @Property({ type: 'smallint' })
  stars!: number;

  @Property({ type: 'string', length: 255, nullable: true })
  comment?: string | null;

  /** When the operation happened (the 24-hour window runs from here). */
  @Property({ type: 'datetime', length: 3 })
  operationAt!: Date;

  /** Points credited for the rating (through the ledger, keyed (rating_bonus, id)). */
  @Property({ type: 'integer' })
  pointsAwarded: number = 0;

  @Enum({ items: () => RatingFollowUpColumn, type: 'string', length: 12 })
  followUp!: RatingFollowUpColumn;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  acknowledgedBy?: AppUser | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  acknowledgedAt?: Date | null;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  resolvedBy?: AppUser | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  resolvedAt?: Date | null;

  @Property({ type: 'string', length: 500, nullable: true })
  resolutionNote?: string | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

/** Rating settings (one row, id = 1; absent = no bonus): points for rating a service, once per operation. */
@Entity({ tableName: 'rating_program' })
export class RatingProgram {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'integer' })
  bonusPoints: number = 0;
}
