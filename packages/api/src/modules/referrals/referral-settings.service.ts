/**
 * The referral programme's settings (F8): one row, read on every accrual (so cached for a few seconds and invalidated
 * on change), changed only by HQ managers, audited, bounded (`referralSettingsProblems`).
 */
import { clock } from '../../clock';
import { DEFAULT_REFERRAL_SETTINGS, referralSettingsProblems, type ReferralSettings } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { TtlCache } from '../../cache';
import { isUniqueViolation, toDate, toInt, type Db } from '../../db/sql';
import { badInput } from '../../errors';
import { writeAudit } from '../audit/audit';

export interface ReferralProgramRow extends ReferralSettings {
  updatedAt: Date | null;
}

const COLUMNS = 'enabled, referrer_bonus, referee_bonus, share_pct, share_months, monthly_cap, qualifying_min_fen, updated_at';

export class ReferralSettingsService {
  private readonly cache: TtlCache<ReferralProgramRow>;

  constructor(private readonly db: Db) {
    this.cache = new TtlCache(() => this.load(), 5_000, 'referral-settings');
  }

  private async load(): Promise<ReferralProgramRow> {
    const r = await this.db.q.get<Record<string, unknown>>(`SELECT ${COLUMNS} FROM referral_program WHERE id = 1`);
    if (!r) return { ...DEFAULT_REFERRAL_SETTINGS, updatedAt: null };
    return {
      enabled: Boolean(toInt(r.enabled)),
      referrerBonus: toInt(r.referrer_bonus),
      refereeBonus: toInt(r.referee_bonus),
      sharePct: toInt(r.share_pct),
      shareMonths: toInt(r.share_months),
      monthlyCap: toInt(r.monthly_cap),
      qualifyingMinFen: toInt(r.qualifying_min_fen),
      updatedAt: r.updated_at == null ? null : toDate(r.updated_at),
    };
  }

  /** The settings in force (cached up to 5 s). */
  get(): Promise<ReferralProgramRow> {
    return this.cache.get();
  }

  /** The settings as a manager reads them (any manager: the console shows them next to the report). */
  async read(ctx: RequestContext): Promise<ReferralProgramRow> {
    await authorize(ctx, 'referral.settings', { kind: 'HQ' });
    this.cache.invalidate();
    return this.get();
  }

  /** HQ managers: replace the settings. Out-of-bounds values are BAD_USER_INPUT and change nothing. */
  async update(ctx: RequestContext, input: ReferralSettings, now = clock.now()): Promise<ReferralProgramRow> {
    const actor = await authorize(ctx, 'referral.manage', { kind: 'HQ' });
    const next: ReferralSettings = {
      enabled: Boolean(input.enabled),
      referrerBonus: input.referrerBonus,
      refereeBonus: input.refereeBonus,
      sharePct: input.sharePct,
      shareMonths: input.shareMonths,
      monthlyCap: input.monthlyCap,
      qualifyingMinFen: input.qualifyingMinFen,
    };
    const problem = referralSettingsProblems(next)[0];
    if (problem) throw badInput(problem.message, problem.field);
    const write = () =>
      this.db.tx(async (q) => {
        const before = await q.get<Record<string, unknown>>(`SELECT ${COLUMNS} FROM referral_program WHERE id = 1${q.forUpdate}`);
        const values = [q.bool(next.enabled), next.referrerBonus, next.refereeBonus, next.sharePct, next.shareMonths, next.monthlyCap, next.qualifyingMinFen, actor, q.ts(now)];
        if (before) {
          await q.run(
            'UPDATE referral_program SET enabled = ?, referrer_bonus = ?, referee_bonus = ?, share_pct = ?, share_months = ?, monthly_cap = ?, qualifying_min_fen = ?, updated_by_id = ?, updated_at = ? WHERE id = 1',
            values,
          );
        } else {
          await q.run(
            'INSERT INTO referral_program (id, enabled, referrer_bonus, referee_bonus, share_pct, share_months, monthly_cap, qualifying_min_fen, updated_by_id, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            values,
          );
        }
        await writeAudit(q, actor, { action: 'updateReferralProgram', targetType: 'program', targetId: 'referral', before: before ?? null, after: next }, now);
      });
    // Two first saves at once: the loser's insert meets the winner's row; written again, it updates it.
    await write().catch((e: unknown) => {
      if (!isUniqueViolation(e)) throw e;
      return write();
    });
    this.cache.invalidate();
    return this.get();
  }
}
