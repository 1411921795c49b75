/**
 * Referral credits (F8), inside the referee's own transaction:
 * - at the referee's first qualifying purchase, the referrer's one-off bonus, keyed (`referral_bonus`, refereeId);
 * - for every genuine earning of the referee within the share window, the referrer's share, keyed
 *   (`referral_share`, the referee's entry id) — called only by the earning paths (purchase accrual, an event's
 *   attendance reward), never for
 *   reversals, refunds or referral credits, so shares never chain;
 * - on the referee's refund, the share taken back in proportion, like the purchase's own points.
 *
 * The referrer's entries carry no store: the referrer was not at the referee's till (the reason names the friend).
 *
 * Cost when the referee has no referrer: none when the programme is off or the caller read the binding with its own
 * statement (the purchase accrual joins it to its member-state read); else one lookup of `referral.referee_id`.
 * Locks: the caller holds the referee's member row; the referrer's member row is locked next (a referrer
 * always existed before its referee, so locks go from newer to older members and cannot cycle), then its account.
 */
import { applyMonthlyCap, ErrorCode, inShareWindow, ledgerReason, maskReferee, referralShare, shanghaiMonth, shareReversal, type ReferralSettings } from '@quanzi/shared';
import { toDate, toInt, type Q } from '../../db/sql';
import type { Logger } from '../../logger';
import { credit, debit } from '../ledger/ledger.service';
import type { ReferralSettingsService } from './referral-settings.service';

/** A genuine earning of a member (a purchase or payment): the referrer may get a bonus and a share of it. */
export interface Earning {
  refereeId: number;
  /** The EARN entry (null when the purchase earned no points: it may still qualify for the bonus). */
  entryId: number | null;
  points: number;
  amountFen: number;
  at: Date;
  validityMonths: number;
  /** What the earning was, in the share's ledger reason: 消费 (default) or e.g. 活动. */
  origin?: string;
}

/** A refund of a referee's purchase: cumulative refunded fen of the purchase's fen. */
export interface Reversal {
  /** The referee's EARN entry of the refunded purchase. */
  entryId: number;
  refundedFen: number;
  amountFen: number;
  /** The refund's own key (e.g. the out_refund_no): the share reversal's idempotency key. */
  refundRef: string;
  at: Date;
}

/** A referee's binding to its referrer, as the credits need it. */
export interface ReferralBinding { id: number; referrerId: number; boundAt: Date; qualifiedAt: Date | null; revokedAt: Date | null }

/** The binding's columns for a `referral` row aliased `r` (LEFT JOINed by `referee_id`: `referral_id` null = none). */
export const referralBindingSql = (r: string): string =>
  `${r}.id AS referral_id, ${r}.referrer_id AS referral_referrer_id, ${r}.bound_at AS referral_bound_at, ${r}.qualified_at AS referral_qualified_at, ${r}.revoked_at AS referral_revoked_at`;

/** Reads `referralBindingSql`'s columns; null when the member has no referrer. */
export function referralBinding(row: Record<string, unknown>): ReferralBinding | null {
  if (row.referral_id == null) return null;
  return {
    id: toInt(row.referral_id),
    referrerId: toInt(row.referral_referrer_id),
    boundAt: toDate(row.referral_bound_at),
    qualifiedAt: row.referral_qualified_at == null ? null : toDate(row.referral_qualified_at),
    revokedAt: row.referral_revoked_at == null ? null : toDate(row.referral_revoked_at),
  };
}

export class ReferralCredits {
  constructor(
    private readonly programme: ReferralSettingsService,
    private readonly log: Logger,
  ) {}

  /** The settings in force, to read before the transaction (cached). */
  settings(): Promise<ReferralSettings> {
    return this.programme.get();
  }

  /**
   * After a referee's earning was credited, in the same transaction: the bonus (first qualifying purchase) and the
   * share. `s`: the settings read before the transaction. `known`: the referee's binding when the caller has read it
   * in this transaction already (`referralBindingSql` joined to its read; null = none), else it is looked up here.
   */
  async onEarn(q: Q, e: Earning, s: ReferralSettings, known?: ReferralBinding | null): Promise<void> {
    if (!s.enabled) return;
    const r = known !== undefined ? known : referralBinding((await q.get<Record<string, unknown>>(`SELECT ${referralBindingSql('r')} FROM referral r WHERE r.referee_id = ?`, [e.refereeId])) ?? {});
    if (!r || r.revokedAt !== null) return;
    const referralId = r.id;
    let bonus = false;
    if (r.qualifiedAt === null && e.amountFen > 0 && e.amountFen >= s.qualifyingMinFen) {
      // Claimed by a conditional update: concurrent first purchases qualify once.
      const u = await q.run('UPDATE referral SET qualified_at = ? WHERE id = ? AND qualified_at IS NULL', [q.ts(e.at), referralId]);
      bonus = u.affectedRows === 1 && s.referrerBonus > 0;
    }
    const share = e.entryId !== null && inShareWindow(r.boundAt, s.shareMonths, e.at) ? referralShare(e.points, s.sharePct) : 0;
    if (!bonus && share === 0) return;

    const referrerId = r.referrerId;
    await q.get(`SELECT id FROM member WHERE id = ?${q.forUpdate}`, [referrerId]);
    const who = await this.refereeName(q, e.refereeId);
    const month = shanghaiMonth(e.at);
    const paid = await q.get<{ s: unknown }>('SELECT COALESCE(SUM(points), 0) AS s FROM referral_credit WHERE referrer_id = ? AND month = ?', [referrerId, month]);
    let paidThisMonth = toInt(paid?.s);
    const pay = async (kind: 'BONUS' | 'SHARE', due: number, sourceRef: string, reason: string): Promise<void> => {
      const cap = applyMonthlyCap(due, paidThisMonth, s.monthlyCap);
      let entryId: number | null = null;
      if (cap.pay > 0) {
        const c = await credit(
          q,
          { memberId: referrerId, kind: 'EARN', reason, actorId: null, storeId: null, sourceType: kind === 'BONUS' ? 'referral_bonus' : 'referral_share', sourceRef, requestHash: null, now: e.at },
          cap.pay,
          e.validityMonths,
        );
        entryId = c.entryId;
      }
      await q.run(
        'INSERT INTO referral_credit (referral_id, referrer_id, kind, source_ref, source_entry_id, source_points, points, capped, entry_id, reversed, refusal, month, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)',
        [
          referralId, referrerId, kind, sourceRef, kind === 'SHARE' ? e.entryId : null, kind === 'SHARE' ? e.points : 0, cap.pay, cap.capped, entryId,
          cap.capped > 0 ? ErrorCode.REFERRAL_CAP_REACHED : null, month, q.ts(e.at),
        ],
      );
      await q.run(`UPDATE referral SET ${kind === 'BONUS' ? 'bonus_points = bonus_points' : 'share_points = share_points'} + ? WHERE id = ?`, [cap.pay, referralId]);
      paidThisMonth += cap.pay;
      if (cap.capped > 0) this.log.info({ referralId, referrerId, kind, due, paid: cap.pay, reason: ErrorCode.REFERRAL_CAP_REACHED }, 'referral credit capped');
    };
    if (bonus) await pay('BONUS', s.referrerBonus, String(e.refereeId), ledgerReason.referralBonus(who));
    if (share > 0) await pay('SHARE', share, String(e.entryId), ledgerReason.referralShare(who, s.sharePct, e.origin));
  }

  /**
   * After a referee's refund reversed (part of) a purchase, in the same transaction: the share of that purchase is
   * taken back in the same proportion, cumulatively, never more than the referrer can spend (balances never go
   * negative; what could not be taken stays recorded as the credit's target `reversed`). Also when the programme
   * has been turned off since.
   */
  async onRefund(q: Q, rv: Reversal): Promise<number> {
    const c = await q.get<Record<string, unknown>>("SELECT id, referral_id, referrer_id, points, reversed FROM referral_credit WHERE kind = 'SHARE' AND source_ref = ?", [String(rv.entryId)]);
    if (!c || toInt(c.points) <= 0) return 0;
    const due = shareReversal(toInt(c.points), rv.refundedFen, rv.amountFen, toInt(c.reversed));
    if (due.now <= 0) return 0;
    const referrerId = toInt(c.referrer_id);
    await q.get(`SELECT id FROM member WHERE id = ?${q.forUpdate}`, [referrerId]);
    const live = await q.get<{ s: unknown }>('SELECT COALESCE(SUM(remaining), 0) AS s FROM points_lot WHERE member_id = ? AND remaining > 0 AND expires_at > ?', [referrerId, q.ts(rv.at)]);
    const bal = await q.get<{ b: unknown }>(`SELECT balance AS b FROM member_account WHERE id = ?${q.forUpdate}`, [referrerId]);
    const taken = Math.max(0, Math.min(due.now, toInt(live?.s), toInt(bal?.b)));
    await q.run('UPDATE referral_credit SET reversed = ? WHERE id = ?', [due.target, toInt(c.id)]);
    if (taken > 0) {
      const referee = await q.get<{ referee_id: unknown }>('SELECT referee_id FROM referral WHERE id = ?', [toInt(c.referral_id)]);
      await debit(
        q,
        {
          memberId: referrerId, kind: 'REVERSAL', reason: ledgerReason.referralShareReversal(await this.refereeName(q, toInt(referee?.referee_id))), actorId: null, storeId: null,
          sourceType: 'referral_share_reversal', sourceRef: rv.refundRef, requestHash: null, now: rv.at,
        },
        taken,
      );
      await q.run('UPDATE referral SET share_reversed = share_reversed + ? WHERE id = ?', [taken, toInt(c.referral_id)]);
    }
    this.log.info({ referrerId, creditId: toInt(c.id), due: due.now, taken }, 'referral share reversed');
    return taken;
  }

  private async refereeName(q: Q, memberId: number): Promise<string> {
    const m = await q.get<Record<string, unknown>>('SELECT m.member_no, u.nickname, u.phone FROM member m JOIN app_user u ON u.id = m.user_id WHERE m.id = ?', [memberId]);
    return maskReferee({ memberNo: String(m?.member_no ?? ''), nickname: m?.nickname == null ? null : String(m.nickname), phone: m?.phone == null ? null : String(m.phone) });
  }
}
