import { clock } from '../../clock';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Member } from '../members/member.entity';
import { Store } from '../org/org.entity';
import { Tier } from '../tiers/tier.entity';
import { AppUser } from '../users/user.entity';

export enum JoinPolicy {
  OPEN = 'OPEN',
  APPROVAL = 'APPROVAL',
  TIER_MIN = 'TIER_MIN',
  INVITE = 'INVITE',
}

export enum ClubRole {
  MEMBER = 'MEMBER',
  ORGANIZER = 'ORGANIZER',
}

export enum MembershipStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  LEFT = 'LEFT',
  REMOVED = 'REMOVED',
  REJECTED = 'REJECTED',
}

/** A club around an interest (F7). Texts are visible only after WeChat content security passed them. */
@Entity({ tableName: 'club' })
export class Club {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 40 })
  name!: string;

  @Property({ type: 'string', length: 32 })
  theme!: string;

  @Property({ type: 'string', length: 512, nullable: true })
  coverUrl?: string | null;

  @Property({ type: 'text' })
  description!: string;

  @Enum({ items: () => JoinPolicy, type: 'string', length: 12 })
  joinPolicy!: JoinPolicy;

  /** TIER_MIN: the lowest tier admitted. */
  @ManyToOne(() => Tier, { nullable: true, deleteRule: 'restrict' })
  minTier?: Tier | null;

  /** INVITE: the current invitation code (organizers can rotate it). */
  @Unique()
  @Property({ type: 'string', length: 16, nullable: true })
  inviteCode?: string | null;

  /** At most this many active members (null = no cap). */
  @Property({ type: 'integer', nullable: true })
  memberCap?: number | null;

  /** Active members (organizers included), kept by atomic conditional updates so the cap holds under concurrency. */
  @Property({ type: 'integer' })
  memberCount: number = 0;

  /** The home store (managers of it, its region and HQ oversee the club); null = organisation-wide. */
  @ManyToOne(() => Store, { nullable: true, deleteRule: 'restrict' })
  store?: Store | null;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  createdBy?: AppUser | null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}

/** A member's place in a club: role (member or organizer, per club) and where their membership stands. */
@Entity({ tableName: 'club_member' })
@Unique({ name: 'club_member_club_member_unique', properties: ['club', 'member'] })
@Index({ name: 'club_member_club_status_idx', properties: ['club', 'status'] })
export class ClubMember {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Club, { deleteRule: 'restrict' })
  club!: Club;

  @ManyToOne(() => Member, { deleteRule: 'restrict' })
  member!: Member;

  @Enum({ items: () => ClubRole, type: 'string', length: 12 })
  role!: ClubRole;

  @Enum({ items: () => MembershipStatus, type: 'string', length: 12 })
  status!: MembershipStatus;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}

/** An announcement organizers posted to a club (after content security passed it). */
@Entity({ tableName: 'club_post' })
@Index({ name: 'club_post_club_idx', properties: ['club', 'id'] })
export class ClubPost {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Club, { deleteRule: 'restrict' })
  club!: Club;

  @ManyToOne(() => AppUser, { nullable: true, deleteRule: 'set null' })
  author?: AppUser | null;

  @Property({ type: 'string', length: 40 })
  title!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = clock.now();
}
