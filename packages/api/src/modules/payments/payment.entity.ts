import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';
import { Store } from '../org/org.entity';
import { AppUser } from '../users/user.entity';

export enum PayOrderState {
  PENDING = 'PENDING',
  PAID = 'PAID',
  CLOSED = 'CLOSED',
}

/**
 * A WeChat Pay order (F5): paid in the mini-program (JSAPI), or created by staff at a till and paid by the
 * member who scans its code. Points are credited once, keyed by the WeChat transaction id.
 */
@Entity({ tableName: 'pay_order' })
@Index({ name: 'pay_order_state_created_idx', properties: ['state', 'createdAt'] })
@Index({ name: 'pay_order_member_idx', properties: ['member', 'id'] })
export class PayOrder {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Unique()
  @Property({ type: 'string', length: 32 })
  outTradeNo!: string;

  /** Null for a till order until a member claims (pays) it. */
  @ManyToOne(() => Member, { nullable: true, deleteRule: 'restrict' })
  member?: Member | null;

  @ManyToOne(() => Store, { deleteRule: 'restrict' })
  store!: Store;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  createdBy?: AppUser | null;

  @Property({ type: 'integer' })
  amountFen!: number;

  @Property({ type: 'string', length: 127 })
  description!: string;

  @Property({ type: 'json' })
  lines!: { category: string; amountFen: number }[];

  @Enum({ items: () => PayOrderState, type: 'string', length: 8 })
  state: PayOrderState = PayOrderState.PENDING;

  @Property({ type: 'string', length: 64, nullable: true })
  prepayId?: string | null;

  @Unique()
  @Property({ type: 'string', length: 32, nullable: true })
  transactionId?: string | null;

  @Property({ type: 'integer', nullable: true })
  points?: number | null;

  /** A member's coupon applied at the till (coupons/coupon-reservation.ts): reserved by this order, used when it is paid. */
  @Property({ type: 'integer', nullable: true })
  couponRedemptionId?: number | null;

  /** The coupon's discount (fen): `amountFen` is what is paid after it. */
  @Property({ type: 'integer', default: 0 })
  discountFen: number = 0;

  /** Fen refunded so far (successful refunds only). */
  @Property({ type: 'integer' })
  refundedFen: number = 0;

  /** Points reversed so far by refunds. */
  @Property({ type: 'integer' })
  pointsReversed: number = 0;

  @Property({ type: 'datetime', length: 3 })
  expiresAt!: Date;

  @Property({ type: 'datetime', length: 3, nullable: true })
  paidAt?: Date | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

export enum PayRefundStatus {
  PROCESSING = 'PROCESSING',
  SUCCESS = 'SUCCESS',
  CLOSED = 'CLOSED',
  ABNORMAL = 'ABNORMAL',
}

/** A (partial) refund of a paid order; on success its proportional points are reversed. */
@Entity({ tableName: 'pay_refund' })
export class PayRefund {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => PayOrder, { deleteRule: 'restrict' })
  order!: PayOrder;

  @Unique()
  @Property({ type: 'string', length: 64 })
  outRefundNo!: string;

  @Property({ type: 'integer' })
  amountFen!: number;

  @Property({ type: 'string', length: 80, nullable: true })
  reason?: string | null;

  @Enum({ items: () => PayRefundStatus, type: 'string', length: 10 })
  status: PayRefundStatus = PayRefundStatus.PROCESSING;

  @Property({ type: 'string', length: 64, nullable: true })
  refundId?: string | null;

  /** Points reversed for this refund (may be less than proportional if the member had spent them: capped). */
  @Property({ type: 'integer' })
  pointsReversed: number = 0;

  /** Points the proportional clawback could not take back because the member had already spent them. */
  @Property({ type: 'integer' })
  pointsUncollected: number = 0;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  createdBy?: AppUser | null;

  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3, nullable: true })
  completedAt?: Date | null;
}
