import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';
import { AppUser } from '../users/user.entity';
import { Store } from '../org/org.entity';

export enum LedgerKind {
  EARN = 'EARN',
  REDEEM = 'REDEEM',
  EXPIRE = 'EXPIRE',
  REVERSAL = 'REVERSAL',
  ADJUST = 'ADJUST',
}

/** An append-only ledger entry (F3). (source_type, source_ref) is the idempotency key. */
@Entity({ tableName: 'points_entry' })
@Unique({ name: 'points_entry_source_unique', properties: ['sourceType', 'sourceRef'] })
// A member's or a store's entries in id order come from the foreign keys' own (member_id) and (store_id) indexes:
// InnoDB and SQLite append the primary key to every secondary index. This one covers a member's balance at a past
// instant (Σ delta before t: the trade-area radar, a store's points liability) without reading the rows.
@Index({ name: 'points_entry_member_time_idx', properties: ['member', 'createdAt', 'delta'] })
@Index({ name: 'points_entry_time_idx', properties: ['createdAt', 'kind'] }) // analytics: points moved in a period (issue #15)
export class PointsEntry {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @Property({ type: 'integer' })
  delta!: number;

  @Enum({ items: () => LedgerKind, type: 'string', length: 12 })
  kind!: LedgerKind;

  /** Plain-Chinese reason shown to the member. */
  @Property({ type: 'string', length: 128 })
  reason!: string;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  actor?: AppUser | null;

  @ManyToOne(() => Store, { nullable: true, deleteRule: 'set null' })
  store?: Store | null;

  @Property({ type: 'string', length: 32 })
  sourceType!: string;

  @Property({ type: 'string', length: 96 })
  sourceRef!: string;

  /** SHA-256 of the request that created the entry: a replay with other content is an IDEMPOTENCY_CONFLICT. */
  @Property({ type: 'string', length: 64, nullable: true })
  requestHash?: string | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

/** Points earned together, with what is left of them and when they expire. */
@Entity({ tableName: 'points_lot' })
// Every query on lots names the member: (member_id, expires_at) serves them and the expiry job's walk over members
// with a due lot. (An (expires_at, remaining) index served no query and cost every lot write a second index change;
// dropped for the expiry at scale, issue #16.)
@Index({ name: 'points_lot_member_expiry_idx', properties: ['member', 'expiresAt'] })
export class PointsLot {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @ManyToOne(() => PointsEntry, { deleteRule: 'restrict' })
  entry!: PointsEntry;

  @Property({ type: 'integer' })
  points!: number;

  @Property({ type: 'integer' })
  remaining!: number;

  @Property({ type: 'datetime', length: 3 })
  expiresAt!: Date;
}

/** Which lots a debit consumed, and how much of each. */
@Entity({ tableName: 'lot_allocation' })
export class LotAllocation {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => PointsEntry, { deleteRule: 'restrict' })
  entry!: PointsEntry;

  @ManyToOne(() => PointsLot, { deleteRule: 'restrict' })
  lot!: PointsLot;

  @Property({ type: 'integer' })
  points!: number;
}
