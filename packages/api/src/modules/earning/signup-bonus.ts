/**
 * The sign-up bonus (F4, non-purchase earning): the programme's `signupBonusPoints` credited once, at a member's first
 * sign-in, inside the transaction that creates the member — an EARN credit keyed (`signup_bonus`, member id), so a
 * member gets it at most once whatever races or retries happen (concurrent first sign-ins of one openid create one
 * member: the losers' transactions roll back with their credit).
 */
import { ledgerReason } from '@quanzi/shared';
import type { Q } from '../../db/sql';
import { credit } from '../ledger/ledger.service';
import type { ProgramSettings } from './earning.service';

export const SIGNUP_BONUS_SOURCE = 'signup_bonus';

/** Inside the member-creating transaction: credits the bonus when the programme has one. Returns the points credited. */
export async function paySignupBonus(q: Q, memberId: number, settings: ProgramSettings, now: Date): Promise<number> {
  const points = settings.signupBonusPoints;
  if (!Number.isSafeInteger(points) || points <= 0) return 0;
  await credit(
    q,
    { memberId, kind: 'EARN', reason: ledgerReason.signupBonus(), actorId: null, storeId: null, sourceType: SIGNUP_BONUS_SOURCE, sourceRef: String(memberId), requestHash: null, now },
    points,
    settings.pointsValidityMonths,
  );
  return points;
}
