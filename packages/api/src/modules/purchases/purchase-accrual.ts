/**
 * "Earn for a purchase" (F4): the one step every recorded purchase goes through — the till's `recordPurchase` and a
 * WeChat Pay payment (notification or recovery) alike — and its reverse, the one place a refund takes a purchase's
 * points back (`reverse`). The earning engine evaluates the purchase before the
 * transaction; inside the caller's transaction (the member row already locked by the caller) come the purchase row,
 * the ledger credit, the tier re-evaluation and the referrer's credits (a bonus at the first qualifying purchase, a
 * share of the points earned: see referral-credits.ts).
 */
import { ErrorCode, type EarningResult, type ReferralSettings } from '@quanzi/shared';
import { toInt, type Q, type RunResult, type Stmt } from '../../db/sql';
import { AppError } from '../../errors';
import { creditDone, creditStatements, debit, previousInsertRef, spendableSql, type EntryInput } from '../ledger/ledger.service';
import type { EarningService, ProgramSettings } from '../earning/earning.service';
import { spendWindowStart, tierState, tierStateSql, type TierRow, type TierService, type TierSettings } from '../tiers/tier.service';
import type { PurchaseLine } from './purchase-lines';
import { referralBinding, referralBindingSql, type ReferralCredits } from '../referrals/referral-credits';

/**
 * What the engine says a purchase earns, with the programme settings the accrual applies (read before the transaction:
 * a cache reload inside it would wait for a second connection, which the embedded database does not have).
 */
export interface Evaluation {
  earned: EarningResult;
  settings: ProgramSettings;
  referral: ReferralSettings;
  tiers: TierRow[];
}

export interface AccrualInput {
  memberId: number;
  storeId: number;
  /** The staff member at the till; null for a payment. */
  staffId: number | null;
  /** What was paid (after a coupon's discount), and the discount (0 without a coupon). */
  amountFen: number;
  discountFen?: number;
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

/** A refund of (part of) a purchase, once the caller has decided how many points it takes back (`clawback`). */
export interface RefundReversal {
  memberId: number;
  storeId: number;
  /** This refund's fen, and the purchase's refunded fen so far (this refund included) of its `amountFen`. */
  refundFen: number;
  refundedFen: number;
  amountFen: number;
  /** The points this refund should take back (before the cap at what the member can spend). */
  clawback: number;
  /** The purchase's EARN entry, by its idempotency key (the referrer's share of it goes back in proportion). */
  earned: { sourceType: string; sourceRef: string };
  /** The negative purchase row's idempotency key and request hash. */
  idempotencyKey: string;
  requestHash: string;
  now: Date;
  /** The REVERSAL debit: its idempotency key and reason. */
  ledger: { sourceType: string; sourceRef: string; reason: string };
}

/** Statements an accrual's batch starts with, and the check of their results (see `accrue`). */
export interface Lead { statements: Stmt[]; check(results: readonly unknown[]): void }
const NO_LEAD: Lead = { statements: [], check: () => undefined };

export interface Accrual {
  purchaseId: number;
  /** The EARN entry, or null when the purchase earned nothing. */
  entryId: number | null;
  /** The points the member can spend at `now` after this purchase (read in the transaction, under its locks). */
  balance: number;
}

export class PurchaseAccrual {
  constructor(
    private readonly earning: EarningService,
    private readonly tiers: TierService,
    private readonly referrals: ReferralCredits,
  ) {}

  /**
   * Points a member of `tierId` earns for `lines` at the store at `at` (the engine's result, with its steps); with
   * `memberId`, the targeted campaign multipliers the member is treated by apply too.
   */
  async evaluate(store: { id: number; regionId: number }, tierId: number, lines: PurchaseLine[], at: Date, memberId: number | null = null): Promise<Evaluation> {
    const tier = await this.tiers.byId(tierId);
    const earned = await this.earning.compute({
      storeId: String(store.id),
      regionId: String(store.regionId),
      at,
      tierMultiplierPct: tier.multiplierPct,
      tierName: tier.name,
      lines,
    }, memberId);
    return { earned, settings: await this.earning.settings(), referral: await this.referrals.settings(), tiers: await this.tiers.list() };
  }

  /** What `reverse` needs, read before the caller's transaction (see Evaluation). */
  async reversalSettings(): Promise<TierSettings & ProgramSettings> {
    return { ...(await this.earning.settings()), tiers: await this.tiers.list() };
  }

  /**
   * Inside the caller's transaction: purchase row, credit, tier, referral credits. The member row must be locked first:
   * by the caller before, or by `lead` — statements sent ahead in the same round trip (the till's code step, the
   * payment's member lock), whose results `lead.check` sees before anything else is decided (its error rolls back all).
   * The purchase row, the credit (account, entry keyed by the purchase, lot) and the member's state go as one batch.
   */
  async accrue(q: Q, a: AccrualInput, { settings, referral, tiers }: Omit<Evaluation, 'earned'>, lead: Lead = NO_LEAD): Promise<Accrual> {
    const statements: Stmt[] = [
      ...lead.statements,
      {
        sql: 'INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, discount_fen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        params: [a.memberId, a.storeId, a.staffId, a.amountFen, JSON.stringify(a.lines), a.points, a.idempotencyKey, a.requestHash, a.discountFen ?? 0, q.ts(a.at)],
      },
    ];
    if (a.points > 0) {
      // The entry's idempotency key: the payment's, or the purchase row's id (inserted just before the credit).
      const entry: EntryInput = {
        memberId: a.memberId, kind: 'EARN', reason: a.ledger.reason, actorId: a.ledger.actorId, storeId: a.storeId,
        sourceType: a.ledger.sourceType, sourceRef: a.ledger.sourceRef ?? '', requestHash: a.ledger.requestHash, now: a.at,
      };
      statements.push(...creditStatements(q, entry, a.points, settings.pointsValidityMonths, a.ledger.sourceRef === null ? previousInsertRef(q) : undefined));
    }
    // One read for what follows (the member row is locked, the account by the credit): the tier and rolling spend, the
    // referral binding and the points the member can spend now (the till's receipt shows them).
    statements.push({
      sql: `SELECT ${tierStateSql('m')}, ${spendableSql('a')} AS balance, ${referralBindingSql('r')}
       FROM member m LEFT JOIN member_account a ON a.id = m.id LEFT JOIN referral r ON r.referee_id = m.id WHERE m.id = ?`,
      params: [q.ts(spendWindowStart(a.now)), q.ts(a.now), a.memberId],
      rows: true,
    });
    const results = await q.batch(statements);
    const n = lead.statements.length;
    lead.check(results.slice(0, n));
    const purchaseId = (results[n] as RunResult).insertId;
    const entryId = a.points > 0 ? creditDone(results.slice(n + 1, n + 4)).entryId : null;
    const m = (results[results.length - 1] as Record<string, unknown>[])[0];
    if (!m) throw new AppError(ErrorCode.NOT_FOUND, 'Member not found');
    await this.tiers.apply(q, a.memberId, tierState(m), a.now, { ...settings, tiers });
    await this.referrals.onEarn(
      q,
      { refereeId: a.memberId, entryId, points: a.points, amountFen: a.amountFen, at: a.at, validityMonths: settings.pointsValidityMonths },
      referral,
      referralBinding(m),
    );
    return { purchaseId, entryId, balance: toInt(m.balance) };
  }
  /**
   * Inside the caller's transaction (the order row locked): takes back `clawback` points, capped at what the member
   * can spend (balances never go negative; the caller records the rest as uncollected), takes the referrer's share of
   * the purchase back in the same proportion, records the refunded spend as a negative purchase row (history is never
   * edited; tiers stop counting it) and re-evaluates the tier. Returns the points taken.
   */
  async reverse(q: Q, r: RefundReversal, settings: TierSettings & ProgramSettings): Promise<number> {
    await q.get(`SELECT id FROM member WHERE id = ?${q.forUpdate}`, [r.memberId]);
    let taken = 0;
    if (r.clawback > 0) {
      const live = await q.get<{ s: unknown }>('SELECT COALESCE(SUM(remaining), 0) AS s FROM points_lot WHERE member_id = ? AND remaining > 0 AND expires_at > ?', [r.memberId, q.ts(r.now)]);
      const bal = await q.get<{ b: unknown }>(`SELECT balance AS b FROM member_account WHERE id = ?${q.forUpdate}`, [r.memberId]);
      taken = Math.min(r.clawback, toInt(live?.s), toInt(bal?.b));
      if (taken > 0) {
        await debit(
          q,
          { memberId: r.memberId, kind: 'REVERSAL', reason: r.ledger.reason, actorId: null, storeId: r.storeId, sourceType: r.ledger.sourceType, sourceRef: r.ledger.sourceRef, requestHash: null, now: r.now },
          taken,
        );
      }
    }
    const earned = await q.get<{ id: unknown }>('SELECT id FROM points_entry WHERE source_type = ? AND source_ref = ?', [r.earned.sourceType, r.earned.sourceRef]);
    if (earned) await this.referrals.onRefund(q, { entryId: toInt(earned.id), refundedFen: r.refundedFen, amountFen: r.amountFen, refundRef: r.ledger.sourceRef, at: r.now });
    await q.run('INSERT INTO purchase (member_id, store_id, staff_id, amount_fen, `lines`, points, idempotency_key, request_hash, created_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)', [
      r.memberId, r.storeId, -r.refundFen, JSON.stringify([{ category: 'refund', amountFen: -r.refundFen }]), -taken, r.idempotencyKey, r.requestHash, q.ts(r.now),
    ]);
    await this.tiers.reevaluate(q, r.memberId, r.now, settings);
    return taken;
  }
}
