import { clock } from '../../clock';
import { Entity, Index, OneToOne, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { AppUser } from '../users/user.entity';
import { Tier } from '../tiers/tier.entity';

/** The loyalty membership of a user: member number, tier and the member-code (TOTP) secret. */
@Entity({ tableName: 'member' })
@Index({ name: 'member_created_idx', properties: ['createdAt'] }) // analytics: new members in a period (issue #15)
export class Member {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => AppUser, { owner: true, unique: true, deleteRule: 'cascade' })
  user!: AppUser;

  @Unique()
  @Property({ type: 'string', length: 20 })
  memberNo!: string;

  @ManyToOne(() => Tier, { deleteRule: 'restrict' })
  tier!: Tier;

  @Property({ type: 'datetime', length: 3 })
  tierPeriodEndsAt!: Date;

  /** Base32 TOTP secret; only ever shown to the member themself. */
  @Property({ type: 'string', length: 64 })
  codeSecret!: string;

  /** The last TOTP step consumed at a till (replay protection). */
  @Property({ type: 'bigint', nullable: true, columnType: 'bigint' })
  codeLastStep?: number | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

/** The points balance cache, kept in the same transaction as every ledger entry (F3). */
@Entity({ tableName: 'member_account' })
export class MemberAccount {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id!: number; // = member.id

  @Property({ type: 'integer' })
  balance: number = 0;

  @Property({ type: 'integer' })
  lifetimeEarned: number = 0;

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}
