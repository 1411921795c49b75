import { clock } from '../../clock';
import { Entity, Index, ManyToOne, OneToOne, Property } from '@mikro-orm/core';
import { Member } from './member.entity';
import { Store } from '../org/org.entity';

/**
 * Optional profile facts a member chose to give (F9/F10, issue #14 item 3), apart from the membership row so they
 * are read only where needed: gender, birthday, home store, and a location coarsened to 0.01° that is kept only
 * while the member consents (withdrawing consent deletes it). Never shown to other members or to staff; analytics
 * aggregates them and never returns a member's own location.
 */
@Entity({ tableName: 'member_profile' })
@Index({ name: 'member_profile_location_idx', properties: ['locationConsent', 'lat', 'lng'] })
@Index({ name: 'member_profile_updated_idx', properties: ['updatedAt'] }) // lifecycle summary: home stores changed since its watermark
export class MemberProfile {
  @OneToOne(() => Member, { primary: true, owner: true, deleteRule: 'cascade' })
  member!: Member;

  /** FEMALE or MALE; null when not given. */
  @Property({ type: 'string', length: 8, nullable: true })
  gender?: string | null;

  /** YYYY-MM-DD; null when not given. */
  @Property({ type: 'string', length: 10, nullable: true })
  birthday?: string | null;

  @ManyToOne(() => Store, { nullable: true, deleteRule: 'set null' })
  homeStore?: Store | null;

  /** Coarsened to 0.01° (≈ 1 km); null unless the member consented. */
  @Property({ type: 'double', nullable: true })
  lat?: number | null;

  @Property({ type: 'double', nullable: true })
  lng?: number | null;

  @Property({ type: 'boolean' })
  locationConsent: boolean = false;

  /** When the member consented to sharing their location; null without consent. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  locationConsentAt?: Date | null;

  /**
   * The month (`YYYY-MM`, Asia/Shanghai) of the last birthday bonus paid, null when none. Updated conditionally in
   * the paying transaction, so one bonus in any 12 months however often or concurrently it is triggered, and however
   * the birthday is edited (modules/earning/birthday-bonus.ts).
   */
  @Property({ type: 'string', length: 7, nullable: true })
  birthdayBonusMonth?: string | null;

  /** When the profile-completion bonus was paid (once ever; modules/earning/profile-bonus.ts), null when not. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  profileBonusAt?: Date | null;

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = clock.now();
}
