import { clock } from '../../clock';
import { Entity, Index, ManyToOne, OneToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';
import { PointsEntry } from '../ledger/ledger.entity';
import { Region, Store } from '../org/org.entity';
import { AppUser } from '../users/user.entity';

/** The referral programme's settings (F8), one row (id = 1); absent = off with the defaults. */
@Entity({ tableName: 'referral_program' })
export class ReferralProgram {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'boolean' })
  enabled: boolean = false;

  /** One-off points to the referrer at the referee's first qualifying purchase. */
  @Property({ type: 'integer' })
  referrerBonus: number = 500;

  /** Points to the referee when bound at first sign-in (0: none). */
  @Property({ type: 'integer' })
  refereeBonus: number = 0;

  /** The referrer's share (percent) of the points the referee earns. */
  @Property({ type: 'integer' })
  sharePct: number = 10;

  /** How many months after binding the share is paid. */
  @Property({ type: 'integer' })
  shareMonths: number = 12;

  /** Referral points per referrer per calendar month (Asia/Shanghai); 0 = no cap. */
  @Property({ type: 'integer' })
  monthlyCap: number = 0;

  /** The smallest purchase (fen) that qualifies for the referrer's bonus. */
  @Property({ type: 'integer' })
  qualifyingMinFen: number = 0;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  updatedBy?: AppUser | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  updatedAt?: Date | null;
}

/** A member's invitation: the short token in the share path and in the mini-program code's scene. */
@Entity({ tableName: 'referral_invite' })
export class ReferralInvite {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Member, { owner: true, unique: true, deleteRule: 'cascade' })
  member!: Member;

  @Unique()
  @Property({ type: 'string', length: 16 })
  token!: string;

  /** The store the invitation is counted at in the report (the member's latest purchase when it was made). */
  @ManyToOne(() => Store, { nullable: true, deleteRule: 'set null' })
  store?: Store | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}

/**
 * A referee bound to a referrer, once, at the referee's first sign-in. `referee` is unique: the accrual transaction
 * finds a referee's binding with one lookup of this index.
 */
@Entity({ tableName: 'referral' })
@Index({ name: 'referral_referrer_idx', properties: ['referrer', 'id'] })
export class Referral {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Member, { owner: true, unique: 'referral_referee_unique', deleteRule: 'cascade' })
  referee!: Member;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  referrer!: Member;

  /** Where the referral is reported: the referrer's latest purchase's store at binding (null: never bought). */
  @ManyToOne(() => Store, { nullable: true, deleteRule: 'set null' })
  store?: Store | null;

  @ManyToOne(() => Region, { nullable: true, deleteRule: 'set null' })
  region?: Region | null;

  @Property({ type: 'datetime', length: 3 })
  boundAt!: Date;

  /** The referee's first qualifying purchase (the referrer's bonus). */
  @Property({ type: 'datetime', length: 3, nullable: true })
  qualifiedAt?: Date | null;

  /** A self-referral found later (the same phone): no more credits. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'string', length: 32, nullable: true })
  revokeReason?: string | null;

  @Property({ type: 'integer' })
  welcomePoints: number = 0;

  @Property({ type: 'integer' })
  bonusPoints: number = 0;

  /** Shares paid to the referrer, and what refunds took back of them. */
  @Property({ type: 'integer' })
  sharePoints: number = 0;

  @Property({ type: 'integer' })
  shareReversed: number = 0;
}

/**
 * A referral credit to the referrer, or one the cap refused (`points` 0, `capped` > 0, `refusal`). (kind, sourceRef)
 * is unique: the bonus is keyed by the referee, a share by the referee's earning entry.
 */
@Entity({ tableName: 'referral_credit' })
@Unique({ name: 'referral_credit_source_unique', properties: ['kind', 'sourceRef'] })
@Index({ name: 'referral_credit_cap_idx', properties: ['referrer', 'month'] })
export class ReferralCredit {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Referral, { deleteRule: 'cascade' })
  referral!: Referral;

  @ManyToOne(() => Member, { deleteRule: 'cascade' })
  referrer!: Member;

  /** `BONUS` or `SHARE`. */
  @Property({ type: 'string', length: 8 })
  kind!: string;

  @Property({ type: 'string', length: 32 })
  sourceRef!: string;

  /** The referee's earning the share is of (null for the bonus). */
  @ManyToOne(() => PointsEntry, { nullable: true, deleteRule: 'set null' })
  sourceEntry?: PointsEntry | null;

  /** Points the referee earned in that entry. */
  @Property({ type: 'integer' })
  sourcePoints: number = 0;

  /** Points paid to the referrer. */
  @Property({ type: 'integer' })
  points!: number;

  /** Points the monthly cap withheld. */
  @Property({ type: 'integer' })
  capped: number = 0;

  /** The referrer's ledger entry (null when nothing was paid). */
  @ManyToOne(() => PointsEntry, { nullable: true, deleteRule: 'set null' })
  entry?: PointsEntry | null;

  /** Points taken back after the referee's refunds (cumulative target, as on the order). */
  @Property({ type: 'integer' })
  reversed: number = 0;

  /** Why less than due was paid (an ErrorCode, e.g. REFERRAL_CAP_REACHED). */
  @Property({ type: 'string', length: 32, nullable: true })
  refusal?: string | null;

  /** The calendar month in Asia/Shanghai (`YYYY-MM`) the cap counts this credit in. */
  @Property({ type: 'string', length: 7 })
  month!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}
