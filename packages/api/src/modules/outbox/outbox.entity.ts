import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { AppUser } from '../users/user.entity';

export enum OutboxStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
  DEAD = 'DEAD',
}

/**
 * Background work written in the same transaction as the business change (ARCHITECTURE.md): a topic and a
 * reference; a worker claims due rows (`FOR UPDATE SKIP LOCKED` on MariaDB/MySQL) by pushing `available_at` out
 * by a lease, runs the topic's handler, then marks the row DONE, or backs off, and after the last attempt DEAD.
 * Retention (`OutboxRetentionService`) deletes DONE rows some days after delivery and DEAD rows (dead letters) only
 * some days after a manager acknowledged them.
 */
@Entity({ tableName: 'outbox' })
@Index({ name: 'outbox_due_idx', properties: ['status', 'availableAt'] })
@Index({ name: 'outbox_retention_idx', properties: ['status', 'updatedAt'] })
export class OutboxItem {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 32 })
  topic!: string;

  @Property({ type: 'string', length: 64 })
  ref!: string;

  @Enum({ items: () => OutboxStatus, type: 'string', length: 8 })
  status: OutboxStatus = OutboxStatus.PENDING;

  @Property({ type: 'integer' })
  attempts: number = 0;

  /** Not before this instant (also the lease of a claimed row). */
  @Property({ type: 'datetime', length: 3 })
  availableAt: Date = clock.now();

  @Property({ type: 'string', length: 255, nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  /** When the row last changed: delivered (DONE), died (DEAD), claimed or rescheduled. */
  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();

  /** A dead letter a manager has seen and dealt with: from then on retention may delete it. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  acknowledgedAt?: Date | null;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  acknowledgedBy?: AppUser | null;
}
