import { clock } from '../../clock';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One change of a member's tier (issue #13, the console's tier history): written by `TierService.reevaluate` in the
 * transaction that moves `member.tier_id`, so the history and the member's tier cannot disagree. Append-only.
 */
@Entity({ tableName: 'tier_change' })
@Index({ name: 'tier_change_member_idx', properties: ['memberId', 'createdAt', 'id'] })
export class TierChange {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'integer' })
  memberId!: number;

  /** The tier before (every member starts in the entry tier); equal to `toTierId` for a renewal. */
  @Property({ type: 'integer' })
  fromTierId!: number;

  @Property({ type: 'integer' })
  toTierId!: number;

  /**
   * `UPGRADE` at once on qualifying spend; once a qualification period has ended, `DOWNGRADE` below the threshold or
   * `RENEWED` (保级: same tier, a new period).
   */
  @Property({ type: 'string', length: 12 })
  kind!: string;

  /** The rolling 12-month spend (fen) the decision was taken on. */
  @Property({ type: 'integer' })
  spendFen!: number;

  /** When the new tier's qualification period ends. */
  @Property({ type: 'datetime', length: 3 })
  periodEndsAt!: Date;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}
