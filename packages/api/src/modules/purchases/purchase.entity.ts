import { clock } from '../../clock';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';
import { Store } from '../org/org.entity';
import { AppUser } from '../users/user.entity';

/** A purchase recorded at a till (or, later, paid with WeChat Pay). Spend drives tier qualification. */
@Entity({ tableName: 'purchase' })
@Index({ name: 'purchase_member_time_idx', properties: ['member', 'createdAt'] })
@Index({ name: 'purchase_store_time_idx', properties: ['store', 'createdAt', 'member', 'amountFen'] }) // covers a store's distinct visitors (issue #15)
@Index({ name: 'purchase_time_idx', properties: ['createdAt', 'member', 'amountFen'] }) // analytics at HQ (issue #15)
export class Purchase {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @ManyToOne(() => Store, { deleteRule: 'restrict' })
  store!: Store;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  staff?: AppUser | null;

  @Property({ type: 'integer' })
  amountFen!: number;

  @Property({ type: 'json' })
  lines!: { category: string; amountFen: number }[];

  @Property({ type: 'integer' })
  points!: number;

  /** A coupon applied to the purchase (F9): the fen it took off; amountFen and lines are what was paid after it. */
  @Property({ type: 'integer', default: 0 })
  discountFen: number = 0;

  @Unique()
  @Property({ type: 'string', length: 96 })
  idempotencyKey!: string;

  /** SHA-256 of the request: a replay of the key with other content is an IDEMPOTENCY_CONFLICT. */
  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}
