import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A membership tier (普通/银卡/金卡/白金/钻石): threshold on rolling 12-month spend and an accrual multiplier. */
@Entity({ tableName: 'tier' })
export class Tier {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Unique()
  @Property({ type: 'string', length: 16 })
  code!: string;

  @Property({ type: 'string', length: 32 })
  name!: string;

  @Unique()
  @Property({ type: 'integer' })
  rank!: number;

  @Property({ type: 'integer' })
  thresholdFen!: number;

  @Property({ type: 'integer' })
  multiplierPct!: number;

  @Property({ type: 'text', nullable: true })
  benefits?: string | null;
}
