import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { AppUser } from '../users/user.entity';
import { PayOrder } from './payment.entity';

export enum PayAnomalyKind {
  /** WeChat says another amount was paid than the order's. */
  AMOUNT_MISMATCH = 'AMOUNT_MISMATCH',
  /** The payment went to another merchant id than ours. */
  MERCHANT_MISMATCH = 'MERCHANT_MISMATCH',
  /** Someone else paid than the member the order was prepaid for. */
  PAYER_MISMATCH = 'PAYER_MISMATCH',
  /** The transaction id already paid another of our orders. */
  TRANSACTION_REUSED = 'TRANSACTION_REUSED',
  /** The order is already paid by another transaction (a second payment of one order). */
  PAID_TWICE = 'PAID_TWICE',
}

/**
 * A verified WeChat Pay message (notification or query answer) that contradicts our order. It was acknowledged (so
 * WeChat stops retrying) and changed no points; HQ managers list and resolve it. Unique per (order, transaction,
 * kind): repeats count up `timesSeen` instead of adding rows.
 */
@Entity({ tableName: 'pay_anomaly' })
@Unique({ name: 'pay_anomaly_order_tx_kind_unique', properties: ['order', 'transactionId', 'kind'] })
@Index({ name: 'pay_anomaly_resolved_idx', properties: ['resolvedAt', 'id'] })
export class PayAnomaly {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => PayOrder, { deleteRule: 'restrict' })
  order!: PayOrder;

  /** WeChat's transaction id as the message gave it ('' when it gave none). */
  @Property({ type: 'string', length: 32 })
  transactionId!: string;

  @Enum({ items: () => PayAnomalyKind, type: 'string', length: 20 })
  kind!: PayAnomalyKind;

  /** What our order says (e.g. the amount in fen, our merchant id, the order that holds the transaction). */
  @Property({ type: 'string', length: 128 })
  expected!: string;

  /** What the message said. */
  @Property({ type: 'string', length: 128 })
  received!: string;

  /** `notify` or `query` (recovery) the first time. */
  @Property({ type: 'string', length: 8 })
  source!: string;

  @Property({ type: 'datetime', length: 3 })
  firstSeenAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  lastSeenAt: Date = clock.now();

  @Property({ type: 'integer' })
  timesSeen: number = 1;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  resolvedBy?: AppUser | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  resolvedAt?: Date | null;

  @Property({ type: 'string', length: 500, nullable: true })
  resolutionNote?: string | null;
}
