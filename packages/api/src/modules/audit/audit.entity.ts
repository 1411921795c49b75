import { clock } from '../../clock';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One manager change (issue #13, F12 "every manager change is audited"): who, when, what, before/after. Written in
 * the same transaction as the change by `writeAudit`, so a change without its entry (or the reverse) cannot commit.
 * Append-only: nothing updates or deletes rows. `region_id`/`store_id` place the entry in the organisation so that
 * managers read only the entries in their scope (both null: HQ-level, e.g. a tier).
 */
@Entity({ tableName: 'audit_log' })
@Index({ name: 'audit_log_created_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'audit_log_action_idx', properties: ['action', 'createdAt'] })
export class AuditLog {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** The user who made the change (no foreign key: the trail outlives users). */
  @Index()
  @Property({ type: 'integer' })
  actorUserId!: number;

  /** The GraphQL mutation, e.g. `createStore`. */
  @Property({ type: 'string', length: 48 })
  action!: string;

  /** What changed: `region`, `store`, `role`, `tier`, `earning_rule`, `program`, `reward`. */
  @Property({ type: 'string', length: 32 })
  targetType!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  targetId?: string | null;

  @Index()
  @Property({ type: 'integer', nullable: true })
  regionId?: number | null;

  @Index()
  @Property({ type: 'integer', nullable: true })
  storeId?: number | null;

  /** JSON of the state before (null for a creation). */
  @Property({ type: 'text', nullable: true })
  beforeJson?: string | null;

  /** JSON of the state after. */
  @Property({ type: 'text', nullable: true })
  afterJson?: string | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}
