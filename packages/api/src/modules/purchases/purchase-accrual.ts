/**
 * "Earn for a purchase" (F4): the one step every recorded purchase goes through — the till's `recordPurchase` and a
 * WeChat Pay payment (notification or recovery) alike. The earning engine evaluates the purchase before the
 * transaction; inside the caller's transaction (the member row already locked by the caller) come the purchase row,
 * the ledger credit, the tier re-evaluation and the referrer's credits (a bonus at the first qualifying purchase, a
 * share of the points earned: see referral-credits.ts).
 */
import type { EarningResult, ReferralSettings } from '@quanzi/shared';
import type { Q } from '../../db/sql';
import { credit } from '../ledger/ledger.service';
import type { EarningService, ProgramSettings } from '../earning/earning.service';
import type { TierService } from '../tiers/tier.service';
import type { PurchaseLine } from './purchase-lines';
import type { ReferralCredits } from '../referrals/referral-credits';

/**
 * What the engine says a purchase earns, with the programme settings the accrual applies (read before the transaction:
 * a cache reload inside it would wait for a second connection, which the embedded database does not have).
 */
export interface Evaluation {
  earned: EarningResult;
  settings: ProgramSettings;
  referral: ReferralSettings;
}

export interface AccrualInput {
  memberId: number;
  storeId: number;
  /** The staff member at the till; null for a payment. */
  staffId: number | null;
  amountFen: number;
  lines: PurchaseLine[];
  /** The points the evaluation gave. */
  points: number;
  /** The purchase row's idempotency key and request hash. */
  idempotencyKey: string;
  requestHash: string;
  /** When the purchase happened: its row and its ledger entry carry this time. */
  at: Date;
  /** The time the tier is re-evaluated at. */
  now: Date;
  /** The ledger credit: its idempotency key (`sourceRef` null = the new purchase row's id), reason and actor. */
  ledger: { sourceType: string; sourceRef: string | null; reason: string; actorId: number | null; requestHash: string | null };
}

export interface Accrual {
  purchaseId: number;
  /** The EARN entry, or null when the purchase earned nothing. */
  entryId: number | null;
}

export class PurchaseAccrual {
  constructor(
    private readonly earning: EarningService,
    private readonly tiers: TierService,
    private readonly referrals: ReferralCredits,
  ) {}

  /** Points a member of `tierId` earns for `lines` at the store at `at` (the engine's result, with its steps). */
  async evaluate(store: { id: number; regionId: number }, tierId: number, lines: PurchaseLine[], at: Date): Promise<Evaluation> {
    const tier = await this.tiers.byId(tierId);
    const earned = await this.earning.compute({
      storeId: String(store.id),
      regionId: String(store.regionId),
      at,
      tierMultiplierPct: tier.multiplierPct,
      tierName: tier.name,
      lines,
    });
    return { earned, settings: await this.earning.settings(), referral: await this.referrals.settings() };
  }

  /** Inside the caller's transaction, after it has locked the member row: purchase row, credit, tier, referral credits. */
  async accrue(q: Q, a: AccrualInput, { settings, referral }: Omit<Evaluation, 'earned'>): Promise<Accrual> {
    const p = await q.run(
      'INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [a.memberId, a.storeId, a.staffId, a.amountFen, JSON.stringify(a.lines), a.points, a.idempotencyKey, a.requestHash, q.ts(a.at)],
    );
    let entryId: number | null = null;
    if (a.points > 0) {
      const c = await credit(
        q,
        {
          memberId: a.memberId, kind: 'EARN', reason: a.ledger.reason, actorId: a.ledger.actorId, storeId: a.storeId,
          sourceType: a.ledger.sourceType, sourceRef: a.ledger.sourceRef ?? String(p.insertId), requestHash: a.ledger.requestHash, now: a.at,
        },
        a.points,
        settings.pointsValidityMonths,
      );
      entryId = c.entryId;
    }
    await this.tiers.reevaluate(q, a.memberId, a.now, settings.tierPeriodMonths);
    await this.referrals.onEarn(q, { refereeId: a.memberId, entryId, points: a.points, amountFen: a.amountFen, at: a.at, validityMonths: settings.pointsValidityMonths }, referral);
    return { purchaseId: p.insertId, entryId };
  }
}
