import { clock } from '../../clock';
import { computeEarning, ErrorCode, type EarningResult, type EarningRuleSet, type PurchaseInput } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize, managerSees, type Target } from '../../auth/authz';
import { TtlCache } from '../../cache';
import { isUniqueViolation, toDate, toInt, type Db, type Q } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { OrgService } from '../org/org.service';
import { writeAudit } from '../audit/audit';
import { checkRuleTemplate, MAX_TIER_COUPONS, parseTierCoupons, type TierUpgradeCoupon } from '../coupons/rule-coupons';

/** Where a rule sits in the organisation, for its audit entry. */
const auditPlace = (t: Target): { regionId: number | null; storeId: number | null } =>
  t.kind === 'HQ' ? { regionId: null, storeId: null } : t.kind === 'REGION' ? { regionId: t.regionId, storeId: null } : { regionId: t.regionId, storeId: t.storeId };

export interface ProgramSettings {
  rounding: 'FLOOR' | 'ROUND' | 'CEIL';
  capPerPurchase: number | null;
  pointsValidityMonths: number;
  tierPeriodMonths: number;
  /** Points credited once at a member's first sign-in (0 = none): signup-bonus.ts. */
  signupBonusPoints: number;
  /** Points credited in a member's birthday month, at most once in any 12 months (0 = none): birthday-bonus.ts. */
  birthdayBonusPoints: number;
  /** Points credited once ever when the profile is complete (0 = none): profile-bonus.ts. */
  profileBonusPoints: number;
  /** The coupon template given in the birthday month (null = none): coupons/rule-coupons.ts. */
  birthdayCouponTemplateId: number | null;
  /** The coupon template given on rising into each listed tier, once per (member, tier): coupons/rule-coupons.ts. */
  tierUpgradeCoupons: TierUpgradeCoupon[];
}

/** The largest sign-up bonus a programme may set. */
export const MAX_SIGNUP_BONUS = 100_000;
/** The largest birthday-month or profile-completion bonus a programme may set. */
export const MAX_PROFILE_BONUS = 100_000;

export interface EarningRuleRow {
  id: number;
  kind: 'BASE_RATE' | 'CATEGORY' | 'CAMPAIGN';
  name: string;
  scope: 'HQ' | 'REGION' | 'STORE';
  scopeId: number | null;
  fenPerPoint: number | null;
  multiplierPct: number | null;
  category: string | null;
  categories: string[] | null;
  startsAt: Date | null;
  endsAt: Date | null;
  active: boolean;
  /** The version this one replaced (edits keep history: the old row is retired, a new one inserted). */
  replacesId: number | null;
  retiredAt: Date | null;
  /** A targeted campaign's multiplier (CAMPAIGN rules only): it applies to that campaign's treated members only. */
  campaignId: number | null;
}

export interface CreateEarningRuleInput {
  kind: EarningRuleRow['kind'];
  name: string;
  scope: EarningRuleRow['scope'];
  scopeId?: number | null;
  fenPerPoint?: number | null;
  multiplierPct?: number | null;
  category?: string | null;
  categories?: string[] | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  /** Set by the campaigns module only (not a GraphQL input): the rule applies to the campaign's treated members. */
  campaignId?: number | null;
}

/** What may change in an edit: kind and scope stay (a rule elsewhere is a new rule). */
export type UpdateEarningRuleInput = Partial<Pick<CreateEarningRuleInput, 'name' | 'fenPerPoint' | 'multiplierPct' | 'category' | 'categories' | 'startsAt' | 'endsAt'>>;

/**
 * The slot an active rule holds: one base rate per HQ/region/store, one multiplier per category there. Campaigns
 * may overlap (the engine applies the best one). Stored in the unique `active_slot` column.
 */
export function ruleSlot(r: Pick<EarningRuleRow, 'kind' | 'scope' | 'scopeId' | 'category'>): string | null {
  if (r.kind === 'CAMPAIGN') return null;
  return `${r.kind}:${r.scope}:${r.scopeId ?? ''}:${r.kind === 'CATEGORY' ? (r.category ?? '') : ''}`;
}

const ruleConflict = (r: Pick<EarningRuleRow, 'kind' | 'scope' | 'scopeId' | 'category'>): AppError =>
  new AppError(
    ErrorCode.RULE_CONFLICT,
    r.kind === 'BASE_RATE'
      ? `An active base rate already applies at ${r.scope}${r.scopeId == null ? '' : ` ${r.scopeId}`}: edit or retire it instead`
      : `An active multiplier for category ${r.category ?? ''} already applies at ${r.scope}${r.scopeId == null ? '' : ` ${r.scopeId}`}: edit or retire it instead`,
  );

const DEFAULT_SETTINGS: ProgramSettings = { rounding: 'FLOOR', capPerPurchase: null, pointsValidityMonths: 24, tierPeriodMonths: 12, signupBonusPoints: 0, birthdayBonusPoints: 0, profileBonusPoints: 0, birthdayCouponTemplateId: null, tierUpgradeCoupons: [] };

/**
 * Earning rules (F4): stored rows → the shared engine's EarningRuleSet. Rules and program settings are cached
 * for a few seconds (every till operation reads them) and invalidated on change.
 */
export class EarningService {
  private readonly cache: TtlCache<{ rules: EarningRuleRow[]; settings: ProgramSettings; ruleSet: EarningRuleSet }>;

  constructor(private readonly db: Db, private readonly org: OrgService) {
    this.cache = new TtlCache(() => this.load(), 5_000, 'earning');
  }

  private async load(): Promise<{ rules: EarningRuleRow[]; settings: ProgramSettings; ruleSet: EarningRuleSet }> {
    const rows = await this.db.q.all<Record<string, unknown>>(
      'SELECT id, kind, name, scope, scope_id, fen_per_point, multiplier_pct, category, categories, starts_at, ends_at, active, replaces_id, retired_at, campaign_id FROM earning_rule ORDER BY id',
    );
    const rules = rows.map((r) => ({
      id: toInt(r.id),
      kind: r.kind as EarningRuleRow['kind'],
      name: String(r.name),
      scope: r.scope as EarningRuleRow['scope'],
      scopeId: r.scope_id == null ? null : toInt(r.scope_id),
      fenPerPoint: r.fen_per_point == null ? null : toInt(r.fen_per_point),
      multiplierPct: r.multiplier_pct == null ? null : toInt(r.multiplier_pct),
      category: r.category == null ? null : String(r.category),
      categories: r.categories == null ? null : ((typeof r.categories === 'string' ? JSON.parse(r.categories) : r.categories) as string[]),
      startsAt: r.starts_at == null ? null : toDate(r.starts_at),
      endsAt: r.ends_at == null ? null : toDate(r.ends_at),
      active: Boolean(toInt(r.active)),
      replacesId: r.replaces_id == null ? null : toInt(r.replaces_id),
      retiredAt: r.retired_at == null ? null : toDate(r.retired_at),
      campaignId: r.campaign_id == null ? null : toInt(r.campaign_id),
    }));
    const s = await this.db.q.get<Record<string, unknown>>(
      'SELECT rounding, cap_per_purchase, points_validity_months, tier_period_months, signup_bonus_points, birthday_bonus_points, profile_bonus_points, birthday_coupon_template_id, tier_upgrade_coupons FROM loyalty_program WHERE id = 1',
    );
    const settings: ProgramSettings = s
      ? {
          rounding: s.rounding as ProgramSettings['rounding'],
          capPerPurchase: s.cap_per_purchase == null ? null : toInt(s.cap_per_purchase),
          pointsValidityMonths: toInt(s.points_validity_months),
          tierPeriodMonths: toInt(s.tier_period_months),
          signupBonusPoints: toInt(s.signup_bonus_points),
          birthdayBonusPoints: toInt(s.birthday_bonus_points),
          profileBonusPoints: toInt(s.profile_bonus_points),
          birthdayCouponTemplateId: s.birthday_coupon_template_id == null ? null : toInt(s.birthday_coupon_template_id),
          tierUpgradeCoupons: parseTierCoupons(s.tier_upgrade_coupons),
        }
      : DEFAULT_SETTINGS;
    return { rules, settings, ruleSet: await this.buildRuleSet(rules, settings) };
  }

  async settings(): Promise<ProgramSettings> {
    return (await this.cache.get()).settings;
  }

  async list(): Promise<EarningRuleRow[]> {
    return (await this.cache.get()).rules;
  }

  /**
   * The rules a manager sees (the console's and `earningRuleDefinitions`): every rule whose scope meets one of their
   * manager grants (`managerSees`) — HQ rules for everyone, their region's, their stores' — never another region's.
   */
  async listFor(ctx: RequestContext): Promise<EarningRuleRow[]> {
    await authorize(ctx, 'earningRule.read');
    const mine = (await ctx.roles()).filter((g) => g.role === 'MANAGER');
    if (mine.some((g) => g.scope === 'HQ')) return this.list();
    const stores = new Map((await this.org.stores()).map((st) => [st.id, st]));
    // A store grant's region, from the store itself (grants need not carry it).
    const grants = mine.map((g) => (g.scope === 'STORE' && g.storeId !== null ? { ...g, regionId: stores.get(g.storeId)?.regionId ?? g.regionId } : g));
    const targetOf = (r: EarningRuleRow): Target | null => {
      if (r.scope === 'HQ') return { kind: 'HQ' };
      if (r.scope === 'REGION') return r.scopeId == null ? null : { kind: 'REGION', regionId: r.scopeId };
      const st = r.scopeId == null ? undefined : stores.get(r.scopeId);
      return st ? { kind: 'STORE', storeId: st.id, regionId: st.regionId } : null;
    };
    return (await this.list()).filter((r) => {
      const t = targetOf(r);
      return t !== null && grants.some((g) => managerSees(g, t));
    });
  }

  /** The engine's rule set (active rules only). Scope filtering is the engine's job, so the preview matches. */
  async ruleSet(): Promise<EarningRuleSet> {
    return (await this.cache.get()).ruleSet;
  }

  /** Built once per cache load (not per purchase): active rules in the engine's shape, scopes named. */
  private async buildRuleSet(rules: EarningRuleRow[], settings: ProgramSettings): Promise<EarningRuleSet> {
    const active = rules.filter((r) => r.active);
    const sid = (r: EarningRuleRow): string | null => (r.scopeId == null ? null : String(r.scopeId));
    const regions = new Map((await this.org.regions()).map((x) => [x.id, x.name]));
    const stores = new Map((await this.org.stores()).map((x) => [x.id, x.name]));
    const scopeName = (r: EarningRuleRow): { scopeName?: string } => {
      const n = r.scopeId == null ? undefined : r.scope === 'REGION' ? regions.get(r.scopeId) : r.scope === 'STORE' ? stores.get(r.scopeId) : undefined;
      return n ? { scopeName: n } : {};
    };
    return {
      baseRates: active.filter((r) => r.kind === 'BASE_RATE').map((r) => ({ id: String(r.id), scope: r.scope, scopeId: sid(r), ...scopeName(r), fenPerPoint: r.fenPerPoint ?? 0 })),
      categories: active
        .filter((r) => r.kind === 'CATEGORY')
        .map((r) => ({ id: String(r.id), category: r.category ?? '', multiplierPct: r.multiplierPct ?? 100, scope: r.scope, scopeId: sid(r), ...scopeName(r) })),
      campaigns: active
        .filter((r) => r.kind === 'CAMPAIGN' && r.startsAt && r.endsAt)
        .map((r) => ({
          id: String(r.id),
          name: r.name,
          multiplierPct: r.multiplierPct ?? 100,
          startsAt: r.startsAt as Date,
          endsAt: r.endsAt as Date,
          scope: r.scope,
          scopeId: sid(r),
          categories: r.categories,
          audience: r.campaignId == null ? null : campaignAudience(r.campaignId),
        })),
      capPerPurchase: settings.capPerPurchase,
      rounding: settings.rounding,
    };
  }

  /**
   * Points for a purchase, with the engine's explanation. With `memberId`, the targeted campaign multipliers in force
   * at the purchase apply when the member is one of their campaign's treated members (one indexed query, only while
   * such a rule is running).
   */
  async compute(purchase: PurchaseInput, memberId: number | null = null): Promise<EarningResult> {
    const set = await this.ruleSet();
    const at = purchase.at.getTime();
    const targeted = memberId === null ? [] : set.campaigns.filter((c) => c.audience != null && c.startsAt.getTime() <= at && at < c.endsAt.getTime());
    if (targeted.length === 0) return computeEarning(set, purchase);
    const ids = [...new Set(targeted.map((c) => Number(String(c.audience).slice('campaign:'.length))))];
    const rows = await this.db.q.all<{ campaign_id: unknown }>(
      `SELECT campaign_id FROM campaign_member WHERE member_id = ? AND grp = 'TREATED' AND campaign_id IN (${ids.map(() => '?').join(', ')})`,
      [memberId, ...ids],
    );
    return computeEarning(set, { ...purchase, audiences: rows.map((r) => campaignAudience(toInt(r.campaign_id))) });
  }

  /** Forgets the cached rules (after a rule was written in a caller's transaction). */
  invalidate(): void {
    this.cache.invalidate();
  }

  /**
   * Inside the caller's transaction: a targeted campaign's multiplier window, as a CAMPAIGN rule of the campaign's
   * scope (the same checks and audit as `create`; the actor is the campaign's manager). Call `invalidate` after commit.
   */
  async createCampaignRule(q: Q, actorId: number, input: CreateEarningRuleInput & { campaignId: number }): Promise<number> {
    validateRule(input);
    const target = await this.targetOf(input.scope, input.scopeId);
    const id = await this.insertVersion(q, input, null);
    await writeAudit(q, actorId, { action: 'createEarningRule', targetType: 'earning_rule', targetId: id, ...auditPlace(target), after: { ...input, active: true } });
    return id;
  }

  /** Inside the caller's transaction: retires a rule (a cancelled campaign's multiplier). */
  async retireInTx(q: Q, id: number, now: Date): Promise<void> {
    await q.run('UPDATE earning_rule SET active = ?, active_slot = NULL, retired_at = ? WHERE id = ? AND retired_at IS NULL', [q.bool(false), q.ts(now), id]);
  }

  private async targetOf(scope: EarningRuleRow['scope'], scopeId: number | null | undefined): Promise<Target> {
    if (scope === 'HQ') {
      if (scopeId != null) throw badInput('An HQ rule has no scopeId', 'scopeId');
      return { kind: 'HQ' };
    }
    if (scopeId == null) throw badInput(`A ${scope} rule needs a scopeId`, 'scopeId');
    if (scope === 'REGION') {
      await this.org.regionExists(scopeId);
      return { kind: 'REGION', regionId: scopeId };
    }
    return this.org.storeTarget(scopeId);
  }

  /**
   * Creates a rule; managers may only create rules inside their own scope. A second active base rate for the same
   * HQ/region/store (or multiplier for the same category there) is refused with RULE_CONFLICT: edit the rule instead.
   */
  async create(ctx: RequestContext, input: CreateEarningRuleInput): Promise<EarningRuleRow> {
    const target = await this.targetOf(input.scope, input.scopeId);
    const actor = await authorize(ctx, 'earningRule.manage', target);
    validateRule(input);
    const id = await this.db
      .tx(async (q) => {
        const id = await this.insertVersion(q, input, null);
        await writeAudit(q, actor, { action: 'createEarningRule', targetType: 'earning_rule', targetId: id, ...auditPlace(target), after: { ...input, active: true } });
        return id;
      })
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? ruleConflict({ ...input, scopeId: input.scopeId ?? null, category: input.category ?? null }) : e;
      });
    return this.reload(id);
  }

  private async insertVersion(q: Q, input: CreateEarningRuleInput, replacesId: number | null, active = true): Promise<number> {
    const r = await q.run(
      'INSERT INTO earning_rule (kind, name, scope, scope_id, fen_per_point, multiplier_pct, category, categories, starts_at, ends_at, active, active_slot, replaces_id, created_at, campaign_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        input.kind,
        input.name,
        input.scope,
        input.scopeId ?? null,
        input.kind === 'BASE_RATE' ? input.fenPerPoint : null,
        input.kind === 'BASE_RATE' ? null : input.multiplierPct,
        input.kind === 'CATEGORY' ? input.category : null,
        input.kind === 'CAMPAIGN' && input.categories ? JSON.stringify(input.categories) : null,
        input.kind === 'CAMPAIGN' ? q.ts(input.startsAt as Date) : null,
        input.kind === 'CAMPAIGN' ? q.ts(input.endsAt as Date) : null,
        q.bool(active),
        active ? ruleSlot({ kind: input.kind, scope: input.scope, scopeId: input.scopeId ?? null, category: input.category ?? null }) : null,
        replacesId,
        q.ts(clock.now()),
        input.kind === 'CAMPAIGN' ? (input.campaignId ?? null) : null,
      ],
    );
    return r.insertId;
  }

  private async reload(id: number): Promise<EarningRuleRow> {
    this.cache.invalidate();
    const row = (await this.list()).find((x) => x.id === id);
    if (!row) throw new AppError(ErrorCode.INTERNAL, 'rule vanished');
    return row;
  }

  /** The rule and the authorization to manage it (fresh from the database, not the cache). */
  private async managed(ctx: RequestContext, id: number): Promise<{ rule: EarningRuleRow; actor: number; target: Target }> {
    this.cache.invalidate();
    const rule = (await this.list()).find((x) => x.id === id);
    if (!rule) throw notFound(`Earning rule ${id}`);
    const target = await this.targetOf(rule.scope, rule.scopeId);
    const actor = await authorize(ctx, 'earningRule.manage', target);
    return { rule, actor, target };
  }

  /**
   * Switches a rule on or off (rules are never deleted: past purchases were explained by them). Switching on a rule
   * whose slot another active rule holds is RULE_CONFLICT; a retired rule stays retired (CONFLICT).
   */
  async setActive(ctx: RequestContext, id: number, active: boolean): Promise<EarningRuleRow> {
    const { rule, actor, target } = await this.managed(ctx, id);
    if (rule.retiredAt) throw new AppError(ErrorCode.CONFLICT, 'A retired rule cannot be switched on: create a new one');
    try {
      await this.db.tx(async (q) => {
        await q.run('UPDATE earning_rule SET active = ?, active_slot = ? WHERE id = ? AND retired_at IS NULL', [q.bool(active), active ? ruleSlot(rule) : null, id]);
        await writeAudit(q, actor, { action: 'setEarningRuleActive', targetType: 'earning_rule', targetId: id, ...auditPlace(target), before: { active: rule.active }, after: { active } });
      });
    } catch (e) {
      throw isUniqueViolation(e) ? ruleConflict(rule) : e;
    }
    return this.reload(id);
  }

  /**
   * Edits a rule: in one transaction the current version is retired (conditionally: only while it is the current
   * one, so two concurrent edits cannot both win) and the new version inserted with `replacesId`, taking over the
   * slot. An edit of a switched-off rule stays off.
   */
  async update(ctx: RequestContext, id: number, patch: UpdateEarningRuleInput): Promise<EarningRuleRow> {
    const { rule, actor, target } = await this.managed(ctx, id);
    if (rule.retiredAt) throw new AppError(ErrorCode.CONFLICT, 'This version was retired: edit the current one');
    const pick = <K extends keyof UpdateEarningRuleInput>(k: K, cur: CreateEarningRuleInput[K]): CreateEarningRuleInput[K] => (patch[k] === undefined ? cur : (patch[k] as CreateEarningRuleInput[K]));
    const next: CreateEarningRuleInput = {
      kind: rule.kind,
      scope: rule.scope,
      scopeId: rule.scopeId,
      name: pick('name', rule.name) as string,
      fenPerPoint: pick('fenPerPoint', rule.fenPerPoint),
      multiplierPct: pick('multiplierPct', rule.multiplierPct),
      category: pick('category', rule.category),
      categories: pick('categories', rule.categories),
      startsAt: pick('startsAt', rule.startsAt),
      endsAt: pick('endsAt', rule.endsAt),
      campaignId: rule.campaignId,
    };
    validateRule(next);
    const now = clock.now();
    const newId = await this.db
      .tx(async (q) => {
        const r = await q.run('UPDATE earning_rule SET active = ?, active_slot = NULL, retired_at = ? WHERE id = ? AND retired_at IS NULL', [q.bool(false), q.ts(now), id]);
        if (r.affectedRows !== 1) throw new AppError(ErrorCode.CONFLICT, 'This rule was changed meanwhile: reload it');
        const newId = await this.insertVersion(q, next, id, rule.active);
        await writeAudit(q, actor, { action: 'updateEarningRule', targetType: 'earning_rule', targetId: newId, ...auditPlace(target), before: { ...rule }, after: { ...next, replacesId: id } });
        return newId;
      })
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? ruleConflict(next as EarningRuleRow) : e;
      });
    return this.reload(newId);
  }

  /** Retires a rule for good: it stops applying at once (the cache is invalidated) and stays as history. */
  async retire(ctx: RequestContext, id: number): Promise<EarningRuleRow> {
    const { rule, actor, target } = await this.managed(ctx, id);
    if (rule.retiredAt) return rule;
    await this.db.tx(async (q) => {
      const r = await q.run('UPDATE earning_rule SET active = ?, active_slot = NULL, retired_at = ? WHERE id = ? AND retired_at IS NULL', [q.bool(false), q.ts(clock.now()), id]);
      if (r.affectedRows === 1) await writeAudit(q, actor, { action: 'retireEarningRule', targetType: 'earning_rule', targetId: id, ...auditPlace(target), before: { active: rule.active }, after: { active: false, retired: true } });
    });
    return this.reload(id);
  }

  /** Program-wide rounding and cap (HQ managers). */
  async updateSettings(ctx: RequestContext, input: Partial<ProgramSettings>): Promise<ProgramSettings> {
    const actor = await authorize(ctx, 'program.manage');
    const cur = await this.settings();
    const next: ProgramSettings = { ...cur, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as ProgramSettings;
    if (next.capPerPurchase !== null && (!Number.isInteger(next.capPerPurchase) || next.capPerPurchase <= 0)) throw badInput('capPerPurchase must be a positive integer', 'capPerPurchase');
    if (!Number.isInteger(next.pointsValidityMonths) || next.pointsValidityMonths < 1 || next.pointsValidityMonths > 120) throw badInput('pointsValidityMonths must be 1–120', 'pointsValidityMonths');
    if (!Number.isInteger(next.tierPeriodMonths) || next.tierPeriodMonths < 1 || next.tierPeriodMonths > 36) throw badInput('tierPeriodMonths must be 1–36', 'tierPeriodMonths');
    if (!Number.isInteger(next.signupBonusPoints) || next.signupBonusPoints < 0 || next.signupBonusPoints > MAX_SIGNUP_BONUS) throw badInput(`signupBonusPoints must be 0–${MAX_SIGNUP_BONUS}`, 'signupBonusPoints');
    for (const k of ['birthdayBonusPoints', 'profileBonusPoints'] as const) {
      if (!Number.isInteger(next[k]) || next[k] < 0 || next[k] > MAX_PROFILE_BONUS) throw badInput(`${k} must be 0–${MAX_PROFILE_BONUS}`, k);
    }
    // The rule coupons are checked when given (a template switched off later does not block saving other settings).
    if (input.birthdayCouponTemplateId != null) next.birthdayCouponTemplateId = await checkRuleTemplate(this.db.q, toIdNumber(input.birthdayCouponTemplateId), 'birthdayCouponTemplateId');
    if (input.tierUpgradeCoupons !== undefined) next.tierUpgradeCoupons = await this.checkTierCoupons(input.tierUpgradeCoupons ?? []);
    await this.db.tx(async (q) => {
      const values = [
        next.rounding, next.capPerPurchase, next.pointsValidityMonths, next.tierPeriodMonths, next.signupBonusPoints, next.birthdayBonusPoints, next.profileBonusPoints,
        next.birthdayCouponTemplateId, next.tierUpgradeCoupons.length ? JSON.stringify(next.tierUpgradeCoupons) : null,
      ];
      const n = await q.run(
        `UPDATE loyalty_program SET rounding = ?, cap_per_purchase = ?, points_validity_months = ?, tier_period_months = ?, signup_bonus_points = ?, birthday_bonus_points = ?, profile_bonus_points = ?,
           birthday_coupon_template_id = ?, tier_upgrade_coupons = ? WHERE id = 1`,
        values,
      );
      if (n.affectedRows === 0) {
        await q.run(
          `INSERT INTO loyalty_program (id, rounding, cap_per_purchase, points_validity_months, tier_period_months, signup_bonus_points, birthday_bonus_points, profile_bonus_points,
             birthday_coupon_template_id, tier_upgrade_coupons) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          values,
        );
      }
      await writeAudit(q, actor, { action: 'updateProgramSettings', targetType: 'program', targetId: 1, before: cur, after: next });
    });
    this.cache.invalidate();
    return next;
  }

  /**
   * The tier-upgrade coupons as given (the whole list replaces the old one): each tier once, a tier above the entry
   * tier (NOT_FOUND for an unknown tier, BAD_USER_INPUT for the entry tier or a repeat), each template checked like the
   * birthday coupon's (`checkRuleTemplate`). Sorted by tier id.
   */
  private async checkTierCoupons(list: { tierId: unknown; templateId: unknown }[]): Promise<TierUpgradeCoupon[]> {
    if (!Array.isArray(list) || list.length > MAX_TIER_COUPONS) throw badInput(`tierUpgradeCoupons: at most ${MAX_TIER_COUPONS}`, 'tierUpgradeCoupons');
    const out: TierUpgradeCoupon[] = [];
    for (const x of list) {
      const tierId = toIdNumber(x.tierId);
      if (!Number.isSafeInteger(tierId) || tierId < 1) throw badInput('tierUpgradeCoupons: not a tier id', 'tierUpgradeCoupons');
      const tier = await this.db.q.get<{ rank: unknown }>('SELECT `rank` FROM tier WHERE id = ?', [tierId]);
      if (!tier) throw new AppError(ErrorCode.NOT_FOUND, `Tier ${tierId} not found`, { field: 'tierUpgradeCoupons' });
      if (toInt(tier.rank) === 0) throw badInput('Nobody rises into the entry tier: no upgrade coupon for it', 'tierUpgradeCoupons');
      if (out.some((o) => o.tierId === tierId)) throw badInput(`Tier ${tierId} is listed twice`, 'tierUpgradeCoupons');
      out.push({ tierId, templateId: await checkRuleTemplate(this.db.q, toIdNumber(x.templateId), 'tierUpgradeCoupons') });
    }
    return out.sort((a, b) => a.tierId - b.tierId);
  }
}

/** A GraphQL ID (string) or a number as a number (NaN when it is neither). */
const toIdNumber = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : Number.NaN);

/** The engine's audience of a targeted campaign's multiplier. */
export const campaignAudience = (campaignId: number): string => `campaign:${campaignId}`;

function validateRule(input: CreateEarningRuleInput): void {
  if (!input.name.trim()) throw badInput('name is required', 'name');
  if (input.kind === 'BASE_RATE') {
    if (!Number.isInteger(input.fenPerPoint) || (input.fenPerPoint as number) < 1) throw badInput('fenPerPoint must be a positive integer', 'fenPerPoint');
    return;
  }
  if (!Number.isInteger(input.multiplierPct) || (input.multiplierPct as number) < 0 || (input.multiplierPct as number) > 10_000) {
    throw badInput('multiplierPct must be an integer 0–10000', 'multiplierPct');
  }
  if (input.kind === 'CATEGORY' && !input.category?.trim()) throw badInput('category is required', 'category');
  if (input.kind === 'CAMPAIGN') {
    if (!input.startsAt || !input.endsAt || !(input.endsAt > input.startsAt)) throw badInput('A campaign needs startsAt < endsAt', 'endsAt');
  }
}
