import { addMonthsUtc, ErrorCode, evaluateTier, type TierDef } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize } from '../../auth/authz';
import { TtlCache } from '../../cache';
import { isUniqueViolation, toDate, toInt, type Db, type Q } from '../../db/sql';
import { AppError, badInput } from '../../errors';
import { writeAudit } from '../audit/audit';
import { issueTierUpgradeCoupon } from '../coupons/rule-coupons';
import type { ProgramSettings } from '../earning/earning.service';

export interface TierRow extends TierDef {
  dbId: number;
  benefits: string | null;
}

/** Tier definitions (F1), cached in-process; the entry tier is rank 0 with threshold 0. */
export class TierService {
  private readonly cache: TtlCache<TierRow[]>;
  constructor(private readonly db: Db) {
    this.cache = new TtlCache(() => this.load(), 10_000, 'tiers');
  }

  private async load(): Promise<TierRow[]> {
    const rows = await this.db.q.all<Record<string, unknown>>(
      'SELECT id, code, name, `rank`, threshold_fen, multiplier_pct, benefits FROM tier ORDER BY `rank`',
    );
    return rows.map((r) => ({
      dbId: toInt(r.id),
      id: String(r.id),
      code: String(r.code),
      name: String(r.name),
      rank: toInt(r.rank),
      thresholdFen: toInt(r.threshold_fen),
      multiplierPct: toInt(r.multiplier_pct),
      benefits: r.benefits == null ? null : String(r.benefits),
    }));
  }

  /** All tiers by rank. */
  list(): Promise<TierRow[]> {
    return this.cache.get();
  }

  async byId(id: number): Promise<TierRow> {
    const t = await this.cache.find((tiers) => tiers.find((x) => x.dbId === id));
    if (!t) throw new AppError(ErrorCode.INTERNAL, `tier ${id} missing`);
    return t;
  }

  /** The entry tier (rank 0) new members start in. */
  async entryTier(): Promise<TierRow> {
    const t = (await this.list())[0];
    if (!t) throw new AppError(ErrorCode.INTERNAL, 'No tiers configured');
    return t;
  }

  /** Creates or updates a tier by code (HQ managers). Rank 0 must have threshold 0; thresholds rise with rank. */
  async upsert(ctx: RequestContext, input: { code: string; name: string; rank: number; thresholdFen: number; multiplierPct: number; benefits?: string | null }): Promise<TierRow> {
    const actor = await authorize(ctx, 'tier.manage');
    if (input.rank === 0 && input.thresholdFen !== 0) throw badInput('The entry tier (rank 0) must have threshold 0', 'thresholdFen');
    const others = (await this.load()).filter((t) => t.code !== input.code);
    for (const t of others) {
      if (t.rank < input.rank && t.thresholdFen >= input.thresholdFen) throw badInput(`Threshold must be above ${t.name}'s`, 'thresholdFen');
      if (t.rank > input.rank && t.thresholdFen <= input.thresholdFen) throw badInput(`Threshold must be below ${t.name}'s`, 'thresholdFen');
    }
    try {
      await this.db.tx(async (q) => {
        const existing = await q.get<Record<string, unknown>>('SELECT id, code, name, `rank`, threshold_fen, multiplier_pct, benefits FROM tier WHERE code = ?', [input.code]);
        let id: number;
        if (existing) {
          id = toInt(existing.id);
          await q.run('UPDATE tier SET name = ?, `rank` = ?, threshold_fen = ?, multiplier_pct = ?, benefits = ? WHERE id = ?', [
            input.name, input.rank, input.thresholdFen, input.multiplierPct, input.benefits ?? null, id,
          ]);
        } else {
          id = (await q.run('INSERT INTO tier (code, name, `rank`, threshold_fen, multiplier_pct, benefits) VALUES (?, ?, ?, ?, ?, ?)', [
            input.code, input.name, input.rank, input.thresholdFen, input.multiplierPct, input.benefits ?? null,
          ])).insertId;
        }
        const before = existing && { code: String(existing.code), name: String(existing.name), rank: toInt(existing.rank), thresholdFen: toInt(existing.threshold_fen), multiplierPct: toInt(existing.multiplier_pct), benefits: existing.benefits == null ? null : String(existing.benefits) };
        const after = { code: input.code, name: input.name, rank: input.rank, thresholdFen: input.thresholdFen, multiplierPct: input.multiplierPct, benefits: input.benefits ?? null };
        await writeAudit(q, actor, { action: 'upsertTier', targetType: 'tier', targetId: id, before, after });
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError(ErrorCode.CONFLICT, `Another tier already has rank ${input.rank}`);
      throw e;
    }
    this.cache.invalidate();
    const t = (await this.list()).find((x) => x.code === input.code);
    if (!t) throw new AppError(ErrorCode.INTERNAL, 'tier vanished');
    return t;
  }

  /**
   * Qualifying spend over the rolling 12 months ending at `now`: purchases minus refunds (refunds are negative purchase
   * rows), never below 0 (a refund can fall inside the window after its purchase has left it).
   */
  async rollingSpend(q: Q, memberId: number, now: Date): Promise<number> {
    const r = await q.get<{ s: unknown }>('SELECT COALESCE(SUM(amount_fen), 0) AS s FROM purchase WHERE member_id = ? AND created_at > ?', [
      memberId,
      q.ts(spendWindowStart(now)),
    ]);
    return Math.max(0, toInt(r?.s));
  }

  /**
   * Re-evaluates a member's tier inside the caller's transaction (the member row locked by the caller) after a
   * qualifying change: upgrades at once on rolling 12-month spend (purchases minus refunds), downgrades only once the
   * qualification period has ended. One statement reads the tier and the spend (`tierStateSql`).
   */
  async reevaluate(q: Q, memberId: number, now: Date, settings: TierSettings): Promise<void> {
    const m = await q.get<Record<string, unknown>>(`SELECT ${tierStateSql('m')} FROM member m WHERE m.id = ?`, [q.ts(spendWindowStart(now)), memberId]);
    if (!m) return;
    await this.apply(q, memberId, tierState(m), now, settings);
  }

  /**
   * The tier decision for a member's state read in the caller's transaction (`tierStateSql`), written when it changes,
   * with its tier history row. A rise into a tier issues that tier's upgrade coupon (programme settings), once per
   * (member, tier) ever. The update is conditional on the tier read, so of two transactions that saw the same tier
   * only the first to write it moves (and records, and issues the coupon).
   */
  async apply(q: Q, memberId: number, state: TierState, now: Date, settings: TierSettings): Promise<void> {
    const tiers = settings.tiers;
    const d = evaluateTier([...tiers], { tierId: String(state.tierId), periodEndsAt: state.periodEndsAt }, state.spend, now, settings.tierPeriodMonths);
    if (d.changed === 'NONE') return;
    const moved = await q.run('UPDATE member SET tier_id = ?, tier_period_ends_at = ? WHERE id = ? AND tier_id = ?', [Number(d.tierId), q.ts(d.periodEndsAt), memberId, state.tierId]);
    if (moved.affectedRows !== 1) return;
    // The tier history (console member page), in the same transaction as the change itself.
    await q.run('INSERT INTO tier_change (member_id, from_tier_id, to_tier_id, kind, spend_fen, period_ends_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      memberId, state.tierId, Number(d.tierId), d.changed, Math.min(state.spend, 2_147_483_647), q.ts(d.periodEndsAt), q.ts(now),
    ]);
    const from = tiers.find((t) => t.dbId === state.tierId);
    const to = tiers.find((t) => t.id === d.tierId);
    if (from && to && to.rank > from.rank && settings.tierUpgradeCoupons.length > 0) {
      await issueTierUpgradeCoupon(q, settings.tierUpgradeCoupons, memberId, to.dbId, now);
    }
  }
}

/** What a tier decision needs of the programme settings. */
/**
 * What a tier decision needs besides the member's state: the programme's tier settings and the tier list, read by the
 * caller before its transaction (a cache reload inside one would wait for a second pool connection while holding the
 * first: with every connection held by a till transaction doing the same, the pool deadlocks until its timeout).
 */
export type TierSettings = Pick<ProgramSettings, 'tierPeriodMonths' | 'tierUpgradeCoupons'> & { tiers: readonly TierRow[] };

/** A member's tier, its qualification period's end and rolling 12-month spend (≥ 0), read together. */
export interface TierState { tierId: number; periodEndsAt: Date; spend: number }

/** Where the rolling 12-month spend window starts at `now` (exclusive). */
export const spendWindowStart = (now: Date): Date => addMonthsUtc(now, -12);

/**
 * The columns of a member's tier state, for the `member` row aliased `m`: tier_id, tier_period_ends_at and the rolling
 * spend (`spend`). One parameter: the window's start (`q.ts(spendWindowStart(now))`).
 */
export const tierStateSql = (m: string): string =>
  `${m}.tier_id, ${m}.tier_period_ends_at, (SELECT COALESCE(SUM(sp.amount_fen), 0) FROM purchase sp WHERE sp.member_id = ${m}.id AND sp.created_at > ?) AS spend`;

/** Reads `tierStateSql`'s columns. */
export const tierState = (r: Record<string, unknown>): TierState => ({ tierId: toInt(r.tier_id), periodEndsAt: toDate(r.tier_period_ends_at), spend: Math.max(0, toInt(r.spend)) });
