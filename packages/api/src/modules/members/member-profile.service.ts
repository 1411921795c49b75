/**
 * The member's own optional profile (F9/F10; issue #14 item 3): gender, birthday, home store and a consented,
 * coarsened location. Only the member reads or changes it; analytics aggregates it (see modules/analytics).
 */
import { clock } from '../../clock';
import { ageBand, ageOn, coarsenLocation, GENDERS, isValidLatLng, parseBirthday, type AgeBand, type Gender } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { isUniqueViolation, toDate, toInt, type Db } from '../../db/sql';
import { badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import type { OrgService, StoreRow } from '../org/org.service';
import type { EarningService } from '../earning/earning.service';
import { payBirthdayBonus } from '../earning/birthday-bonus';
import { payProfileBonus } from '../earning/profile-bonus';

export interface MemberProfileRow {
  gender: Gender | null;
  birthday: string | null;
  ageBand: AgeBand | null;
  homeStore: StoreRow | null;
  /** The stored (coarsened) location; only ever returned to the member themself. */
  location: { lat: number; lng: number } | null;
  locationConsent: boolean;
  locationConsentAt: Date | null;
}

/** A change: a field left undefined is kept, null clears it. */
export interface ProfileChange {
  gender?: Gender | null;
  birthday?: string | null;
  homeStoreId?: number | null;
  /** A location needs `consent: true`; null withdraws consent and deletes the stored location. */
  location?: { lat: number; lng: number; consent: boolean } | null;
}

/** The oldest birthday accepted (an age over 120 is a typo). */
const MAX_AGE = 120;

export class MemberProfileService {
  constructor(private readonly db: Db, private readonly org: OrgService, private readonly earning: EarningService, private readonly log: Logger) {}

  private async memberId(ctx: RequestContext): Promise<number> {
    const r = await this.db.q.get<{ id: unknown }>('SELECT id FROM member WHERE user_id = ?', [ctx.requireUser()]);
    if (!r) throw notFound('Member');
    return toInt(r.id);
  }

  /** The signed-in member's profile (empty when never set). */
  async mine(ctx: RequestContext, now = clock.now()): Promise<MemberProfileRow> {
    return this.load(await this.memberId(ctx), now);
  }

  private async load(memberId: number, now: Date): Promise<MemberProfileRow> {
    const r = await this.db.q.get<Record<string, unknown>>(
      'SELECT gender, birthday, home_store_id, lat, lng, location_consent, location_consent_at FROM member_profile WHERE member_id = ?',
      [memberId],
    );
    const birthday = r?.birthday == null ? null : String(r.birthday);
    const consent = r != null && Boolean(toInt(r.location_consent));
    return {
      gender: r?.gender == null ? null : (String(r.gender) as Gender),
      birthday,
      ageBand: ageBand(birthday, now),
      homeStore: r?.home_store_id == null ? null : await this.org.store(toInt(r.home_store_id)),
      location: consent && r?.lat != null && r.lng != null ? { lat: Number(r.lat), lng: Number(r.lng) } : null,
      locationConsent: consent,
      locationConsentAt: consent && r?.location_consent_at != null ? toDate(r.location_consent_at) : null,
    };
  }

  /**
   * Sets or clears profile fields for the signed-in member. Bad input (unknown gender, a malformed or impossible
   * birthday, an unknown store, a location off the globe or without consent) is refused and changes nothing.
   * A location is stored coarsened to 0.01°; `location: null` withdraws consent and deletes it.
   *
   * In the same transaction as the change (F4): the profile-completion bonus when this save leaves gender, birthday
   * and home store all set and it was never paid (profile-bonus.ts), and the birthday-month bonus when the birthday
   * is in the current month and none was paid in the last 12 months (birthday-bonus.ts).
   */
  async update(ctx: RequestContext, change: ProfileChange, now = clock.now()): Promise<MemberProfileRow> {
    const memberId = await this.memberId(ctx);
    const sets: string[] = [];
    const params: unknown[] = [];
    const q = this.db.q;
    if (change.gender !== undefined) {
      if (change.gender !== null && !(GENDERS as readonly string[]).includes(change.gender)) throw badInput(`gender must be one of ${GENDERS.join(', ')}`, 'gender');
      sets.push('gender = ?');
      params.push(change.gender);
    }
    if (change.birthday !== undefined) {
      if (change.birthday !== null) {
        const age = parseBirthday(change.birthday) ? ageOn(change.birthday, now) : null;
        if (age === null || age > MAX_AGE) throw badInput(`birthday must be a date YYYY-MM-DD, not in the future, at most ${MAX_AGE} years ago`, 'birthday');
      }
      sets.push('birthday = ?');
      params.push(change.birthday);
    }
    if (change.homeStoreId !== undefined) {
      if (change.homeStoreId !== null) await this.org.store(change.homeStoreId); // NOT_FOUND for an unknown store
      sets.push('home_store_id = ?');
      params.push(change.homeStoreId);
    }
    if (change.location !== undefined) {
      if (change.location === null) {
        sets.push('lat = NULL', 'lng = NULL', 'location_consent = ?', 'location_consent_at = NULL');
        params.push(q.bool(false));
      } else {
        if (change.location.consent !== true) throw badInput('A location is stored only with the member’s consent (consent: true)', 'consent');
        if (!isValidLatLng(change.location)) throw badInput('lat must be −90…90 and lng −180…180', 'location');
        const c = coarsenLocation(change.location);
        sets.push('lat = ?', 'lng = ?', 'location_consent = ?', 'location_consent_at = ?');
        params.push(c.lat, c.lng, q.bool(true), q.ts(now));
      }
    }
    if (sets.length > 0) {
      // The row first (a concurrent first change may create it too), so the change below is one row-locking update.
      if (!(await q.get('SELECT member_id FROM member_profile WHERE member_id = ?', [memberId]))) {
        try {
          await q.run('INSERT INTO member_profile (member_id, location_consent, updated_at) VALUES (?, ?, ?)', [memberId, q.bool(false), q.ts(now)]);
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
        }
      }
      const settings = await this.earning.settings();
      const paid = await this.db.tx(async (tq) => {
        await tq.run(`UPDATE member_profile SET ${sets.join(', ')}, updated_at = ? WHERE member_id = ?`, [...params, tq.ts(now), memberId]);
        return { profile: await payProfileBonus(tq, memberId, settings, now), birthday: await payBirthdayBonus(tq, memberId, settings, now) };
      });
      if (paid.profile > 0 || paid.birthday > 0) this.log.info({ memberId, profileBonus: paid.profile, birthdayBonus: paid.birthday }, 'profile bonuses credited');
      // Which fields changed, never their values (birthday and location are personal data).
      this.log.info({ memberId, fields: Object.keys(change).filter((k) => change[k as keyof ProfileChange] !== undefined) }, 'member profile updated');
    }
    return this.load(memberId, now);
  }
}
