import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { AppUser } from '../users/user.entity';
import { Member } from '../members/member.entity';
import { Store } from '../org/org.entity';

export enum AdjustmentStatus {
  /** Above the approval threshold: waits for a second manager; not in the ledger. */
  PENDING = 'PENDING',
  /** In the ledger (entry keyed (adjustment, id)). */
  APPLIED = 'APPLIED',
  REJECTED = 'REJECTED',
}

/**
 * A manager's manual points adjustment (issue #13). At or below `ADJUSTMENT_APPROVAL_POINTS` it is APPLIED at once;
 * above, it stays PENDING until a second manager whose scope covers the same store approves it. `status` moves only by
 * conditional updates (PENDING → APPLIED | REJECTED) in the same transaction as the ledger entry and the audit row.
 * `region_id` is the store's region, for scope filters; both null: booked at HQ.
 */
@Entity({ tableName: 'points_adjustment' })
@Unique({ name: 'points_adjustment_requester_key_unique', properties: ['requestedBy', 'idempotencyKey'] })
@Index({ name: 'points_adjustment_status_idx', properties: ['status', 'id'] })
@Index({ name: 'points_adjustment_store_idx', properties: ['store', 'id'] })
@Index({ name: 'points_adjustment_region_idx', properties: ['regionId', 'id'] })
@Index({ name: 'points_adjustment_member_idx', properties: ['member', 'id'] })
export class PointsAdjustment {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  /** Points to credit (> 0) or debit (< 0). */
  @Property({ type: 'integer' })
  delta!: number;

  @Property({ type: 'string', length: 100 })
  reason!: string;

  @Enum({ items: () => AdjustmentStatus, type: 'string', length: 12 })
  status!: AdjustmentStatus;

  @ManyToOne(() => Store, { nullable: true, deleteRule: 'restrict' })
  store?: Store | null;

  @Property({ type: 'integer', nullable: true })
  regionId?: number | null;

  @ManyToOne(() => AppUser, { deleteRule: 'restrict' })
  requestedBy!: AppUser;

  @Property({ type: 'string', length: 96 })
  idempotencyKey!: string;

  /** SHA-256 of the request: the same key with other content is an IDEMPOTENCY_CONFLICT. */
  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  /** Who approved (or applied it at once: the requester) or rejected it. */
  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'restrict' })
  decidedBy?: AppUser | null;

  @Property({ type: 'string', length: 100, nullable: true })
  decisionNote?: string | null;

  /** The ledger entry, once APPLIED. */
  @Property({ type: 'integer', nullable: true })
  entryId?: number | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3, nullable: true })
  decidedAt?: Date | null;
}
