/**
 * The profile-completion bonus (F4, non-purchase earning): the programme's `profileBonusPoints`, credited once ever,
 * in the transaction of the `updateMyProfile` that leaves gender, birthday and home store all set (location is
 * optional and personal: not asked for). An EARN credit keyed (`profile_bonus`, member id), shown as 完善资料奖励.
 *
 * Once ever: `member_profile.profile_bonus_at` is set by a conditional update (only while null and the profile is
 * complete), which also row-locks the profile, so concurrent saves pay once; clearing a field and completing the
 * profile again pays nothing (the column stays set, and the ledger key would refuse a second credit anyway).
 * While the programme offers no bonus (0) nothing is recorded: the first complete save after it is switched on pays.
 */
import { ledgerReason } from '@quanzi/shared';
import type { Q } from '../../db/sql';
import { credit } from '../ledger/ledger.service';
import type { ProgramSettings } from './earning.service';

export const PROFILE_BONUS_SOURCE = 'profile_bonus';

/** Inside the profile-saving transaction (after the profile row was written). Returns the points credited. */
export async function payProfileBonus(q: Q, memberId: number, settings: ProgramSettings, now: Date): Promise<number> {
  const points = settings.profileBonusPoints;
  if (!Number.isSafeInteger(points) || points <= 0) return 0;
  const claimed = await q.run(
    'UPDATE member_profile SET profile_bonus_at = ? WHERE member_id = ? AND profile_bonus_at IS NULL AND gender IS NOT NULL AND birthday IS NOT NULL AND home_store_id IS NOT NULL',
    [q.ts(now), memberId],
  );
  if (claimed.affectedRows !== 1) return 0;
  // Belt and braces: a credit under this key already (a profile row deleted and created again) is not paid twice.
  if (await q.get('SELECT id FROM points_entry WHERE source_type = ? AND source_ref = ?', [PROFILE_BONUS_SOURCE, String(memberId)])) return 0;
  await credit(
    q,
    { memberId, kind: 'EARN', reason: ledgerReason.profileBonus(), actorId: null, storeId: null, sourceType: PROFILE_BONUS_SOURCE, sourceRef: String(memberId), requestHash: null, now },
    points,
    settings.pointsValidityMonths,
  );
  return points;
}
