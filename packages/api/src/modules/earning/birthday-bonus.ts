/**
 * The birthday-month bonus (F4, non-purchase earning): the programme's `birthdayBonusPoints`, credited in the member's
 * birthday month (the Asia/Shanghai calendar month of the birthday on their profile) as an EARN credit keyed
 * (`birthday_bonus`, `${memberId}:${yyyy-mm}`), shown as 生日月奖励.
 *
 * When it is paid (whichever comes first in the month):
 * - by the daily job (`runDue`: the in-process timer, or `runBirthdayBonuses` now), which pays every member whose
 *   birthday month it is, in batches of members, one transaction per member;
 * - when the member saves a profile with a birthday in the current month (`updateMyProfile`, in its transaction);
 * - at sign-in (`login` of an existing member), so a member opening the mini-program on the 1st needs no job run.
 *
 * At most once in any 12 months: `member_profile.birthday_bonus_month` is claimed by a conditional update (only while
 * the birthday is in this month and the last bonus was for a month at least 12 months ago) in the transaction that
 * credits, so concurrent triggers pay once, and editing the birthday into the current (or next) month after a bonus
 * earns nothing until 12 months after the last one. The ledger key makes a second credit for one month impossible.
 *
 * The birthday coupon (`birthdayCouponTemplateId`, coupons/rule-coupons.ts) rides on the same claim: issued in the
 * claiming transaction, keyed `birthday:<yyyy-mm>`, so once per birthday month, with or without bonus points.
 */
import { addMonthsToMonth, BIRTHDAY_BONUS_GAP_MONTHS, birthdayBonusDue, ledgerReason, shanghaiDay, shanghaiMonth } from '@quanzi/shared';
import { clock } from '../../clock';
import { toInt, type Db, type Q } from '../../db/sql';
import type { Logger } from '../../logger';
import { credit } from '../ledger/ledger.service';
import { issueBirthdayCoupon } from '../coupons/rule-coupons';
import type { EarningService, ProgramSettings } from './earning.service';

export const BIRTHDAY_BONUS_SOURCE = 'birthday_bonus';

/** Members read per batch by the job. */
const BATCH = 200;

/** `birthday LIKE ?` for birthdays (`YYYY-MM-DD`) in the month of `month` (`YYYY-MM`). */
const birthdayInMonth = (month: string): string => `____-${month.slice(5, 7)}-__`;

/** Whether the programme gives anything in the birthday month (points or a coupon). */
export const birthdayGiftOn = (s: ProgramSettings): boolean => s.birthdayBonusPoints > 0 || s.birthdayCouponTemplateId !== null;

/**
 * Inside a transaction: credits the member's birthday bonus (and issues the birthday coupon) when due at `now`.
 * Returns the points credited.
 */
export async function payBirthdayBonus(q: Q, memberId: number, settings: ProgramSettings, now: Date): Promise<number> {
  const points = settings.birthdayBonusPoints;
  if (!Number.isSafeInteger(points) || !birthdayGiftOn(settings)) return 0;
  const p = await q.get<{ birthday: unknown; birthday_bonus_month: unknown }>('SELECT birthday, birthday_bonus_month FROM member_profile WHERE member_id = ?', [memberId]);
  const month = birthdayBonusDue(p?.birthday == null ? null : String(p.birthday), p?.birthday_bonus_month == null ? null : String(p.birthday_bonus_month), now);
  if (!month) return 0;
  // The claim: the same conditions again, under the row lock it takes (the read above may be stale by now).
  const claimed = await q.run(
    'UPDATE member_profile SET birthday_bonus_month = ? WHERE member_id = ? AND birthday LIKE ? AND (birthday_bonus_month IS NULL OR birthday_bonus_month <= ?)',
    [month, memberId, birthdayInMonth(month), addMonthsToMonth(month, -BIRTHDAY_BONUS_GAP_MONTHS)],
  );
  if (claimed.affectedRows !== 1) return 0;
  if (settings.birthdayCouponTemplateId !== null) await issueBirthdayCoupon(q, settings.birthdayCouponTemplateId, memberId, month, now);
  if (points <= 0) return 0;
  const ref = `${memberId}:${month}`;
  if (await q.get('SELECT id FROM points_entry WHERE source_type = ? AND source_ref = ?', [BIRTHDAY_BONUS_SOURCE, ref])) return 0;
  await credit(
    q,
    { memberId, kind: 'EARN', reason: ledgerReason.birthdayBonus(), actorId: null, storeId: null, sourceType: BIRTHDAY_BONUS_SOURCE, sourceRef: ref, requestHash: null, now },
    points,
    settings.pointsValidityMonths,
  );
  return points;
}

export interface BirthdayBonusRun {
  /** Members credited by this run. */
  members: number;
  points: number;
  /** Members whose transaction failed (logged; the next run tries again). */
  failed: number;
}

/** The job and the sign-in trigger. */
export class BirthdayBonusService {
  /** The Shanghai day of this process's last complete timer pass (the timer passes once a day; `runDue` always). */
  private passedDay: number | null = null;
  private running: Promise<BirthdayBonusRun> | null = null;

  constructor(private readonly db: Db, private readonly earning: EarningService, private readonly log: Logger) {}

  /** At sign-in: pays the member of `userId` when due (own transaction). Returns the points credited. */
  async forUser(userId: number, now = clock.now()): Promise<number> {
    const settings = await this.earning.settings();
    if (!birthdayGiftOn(settings)) return 0;
    const r = await this.db.q.get<{ id: unknown; birthday: unknown; birthday_bonus_month: unknown }>(
      'SELECT m.id, p.birthday, p.birthday_bonus_month FROM member m JOIN member_profile p ON p.member_id = m.id WHERE m.user_id = ?',
      [userId],
    );
    if (!r || !birthdayBonusDue(r.birthday == null ? null : String(r.birthday), r.birthday_bonus_month == null ? null : String(r.birthday_bonus_month), now)) return 0;
    const memberId = toInt(r.id);
    return this.db.tx((q) => payBirthdayBonus(q, memberId, settings, now));
  }

  /**
   * Pays every member whose birthday month it is at `now` and who has not had a bonus in the last 12 months: members
   * read in batches by id (keyset), each paid in its own transaction. Safe to run twice or concurrently (with another
   * run, a sign-in or a profile save): the claim pays each member once.
   */
  async runDue(now = clock.now()): Promise<BirthdayBonusRun> {
    const run: BirthdayBonusRun = { members: 0, points: 0, failed: 0 };
    const settings = await this.earning.settings();
    if (!birthdayGiftOn(settings)) return run;
    const month = shanghaiMonth(now);
    const cutoff = addMonthsToMonth(month, -BIRTHDAY_BONUS_GAP_MONTHS);
    let after = 0;
    for (;;) {
      const rows = await this.db.q.all<{ member_id: unknown }>(
        `SELECT member_id FROM member_profile WHERE member_id > ? AND birthday LIKE ? AND (birthday_bonus_month IS NULL OR birthday_bonus_month <= ?) ORDER BY member_id LIMIT ${BATCH}`,
        [after, birthdayInMonth(month), cutoff],
      );
      for (const r of rows) {
        const memberId = toInt(r.member_id);
        after = memberId;
        try {
          const points = await this.db.tx((q) => payBirthdayBonus(q, memberId, settings, now));
          if (points > 0) {
            run.members += 1;
            run.points += points;
          }
        } catch (e) {
          run.failed += 1;
          this.log.error({ memberId, err: e instanceof Error ? e.message : String(e) }, 'birthday bonus failed');
        }
      }
      if (rows.length < BATCH) break;
    }
    if (run.members > 0 || run.failed > 0) this.log.info({ ...run, month }, 'birthday bonuses');
    return run;
  }

  /** The timer's call: one pass a day per process (a restart passes again; the claim keeps that harmless), never two at once. */
  async tick(now = clock.now()): Promise<BirthdayBonusRun | null> {
    const day = shanghaiDay(now);
    if (this.passedDay === day || this.running) return null;
    this.running = this.runDue(now);
    try {
      const r = await this.running;
      if (r.failed === 0) this.passedDay = day;
      return r;
    } finally {
      this.running = null;
    }
  }
}
