/**
 * Coupon templates (F9): what a coupon gives (an amount off, a percentage off, or a gift), the minimum spend, where
 * it is accepted, how long an issued coupon is valid, the per-member limit, the budget, and whether it is the welcome
 * coupon or for sale for points. A template IS a COUPON reward of the catalogue (the voucher machinery: codes, the
 * till scan, the mall's points path), with the template columns set; its `stock` is what is left of its budget.
 *
 * Templates belong to a scope: HQ, a region or a store. Managers whose scope covers it create, edit and issue it
 * (`coupon.manage`); the stores and regions it names lie inside that scope; naming none means the whole scope.
 */
import { clock } from '../../clock';
import { COUPON_KINDS, percentOffToSharePaid, type CouponKind } from '@quanzi/shared';
import { allows, authorize, type Target } from '../../auth/authz';
import type { RequestContext } from '../../context';
import { toInt, type Db } from '../../db/sql';
import { badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import { writeAudit } from '../audit/audit';
import type { OrgService } from '../org/org.service';
import { REWARD_COLUMNS, toReward, type RewardRow } from '../rewards/reward.service';

export interface TemplateInput {
  kind: CouponKind;
  name: string;
  description?: string | null;
  amountOffFen?: number | null;
  percentOff?: number | null;
  giftName?: string | null;
  minSpendFen?: number | null;
  storeIds?: number[] | null;
  regionIds?: number[] | null;
  validFrom?: Date | null;
  validUntil?: Date | null;
  validDays?: number | null;
  limitPerMember?: number | null;
  budget: number;
  /** Points to buy one (null or 0: not for sale, only given). */
  pointsPrice?: number | null;
  active?: boolean | null;
  welcome?: boolean | null;
}

/** The scope a template belongs to (fixed once created): a store, a region, or neither (HQ). */
export interface TemplateScope { storeId?: number | null; regionId?: number | null }

export interface TemplateRow extends RewardRow {
  couponKind: CouponKind;
  /** Coupons issued so far (budget − what is left). */
  issued: number;
  used: number;
}

const MAX_FEN = 100_000_000;
const MAX_POINTS = 10_000_000;
const MAX_BUDGET = 10_000_000;
const MAX_STORES = 50;
const MAX_REGIONS = 20;

function text(v: unknown, field: string, min: number, max: number): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if ([...s].length < min || [...s].length > max) throw badInput(`${field} must be ${min}–${max} characters`, field);
  return s;
}

function intIn(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw badInput(`${field} must be an integer ${min}–${max}`, field);
  return v;
}

const optInt = (v: number | null | undefined, field: string, min: number, max: number): number | null => (v == null ? null : intIn(v, field, min, max));

function optDate(v: Date | null | undefined, field: string): Date | null {
  if (v == null) return null;
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw badInput(`${field} must be a date-time`, field);
  return v;
}

/** The authorization target of a template's scope. */
export function scopeTarget(t: { ownerStoreId: number | null; ownerRegionId: number | null }): Target {
  if (t.ownerStoreId !== null) return { kind: 'STORE', storeId: t.ownerStoreId, regionId: t.ownerRegionId as number };
  if (t.ownerRegionId !== null) return { kind: 'REGION', regionId: t.ownerRegionId };
  return { kind: 'HQ' };
}

export class CouponTemplateService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly log: Logger,
  ) {}

  /** A coupon template as stored (with its issued and used counts), or NOT_FOUND (also for rewards that are not templates). */
  async row(id: number): Promise<TemplateRow> {
    const r = await this.db.q.get<Record<string, unknown>>(`SELECT ${REWARD_COLUMNS} FROM reward WHERE id = ? AND coupon_kind IS NOT NULL`, [id]);
    if (!r) throw notFound(`Coupon template ${id}`);
    const t = toReward(r);
    const used = await this.db.q.get<{ n: unknown }>("SELECT COUNT(*) AS n FROM reward_redemption WHERE reward_id = ? AND status = 'USED'", [id]);
    return { ...t, couponKind: t.couponKind as CouponKind, issued: (t.budget ?? 0) - t.stock, used: toInt(used?.n) };
  }

  /** Managers: the templates they may manage (their scope's, HQ's for HQ managers), newest first. */
  async list(ctx: RequestContext, activeOnly: boolean): Promise<TemplateRow[]> {
    await authorize(ctx, 'console.use');
    const grants = await ctx.roles();
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT ${REWARD_COLUMNS}, (SELECT COUNT(*) FROM reward_redemption x WHERE x.reward_id = reward.id AND x.status = 'USED') AS used_count
       FROM reward WHERE coupon_kind IS NOT NULL${activeOnly ? ' AND active = ?' : ''} ORDER BY id DESC LIMIT 500`,
      activeOnly ? [this.db.q.bool(true)] : [],
    );
    return rows
      .map((r) => {
        const t = toReward(r);
        return { ...t, couponKind: t.couponKind as CouponKind, issued: (t.budget ?? 0) - t.stock, used: toInt(r.used_count) };
      })
      .filter((t) => allows(grants, 'coupon.manage', scopeTarget(t)))
      .slice(0, 100);
  }

  /** The template, after checking the caller may manage its scope (FORBIDDEN otherwise). Returns it and the user id. */
  async managed(ctx: RequestContext, id: number): Promise<{ t: TemplateRow; userId: number }> {
    if (ctx.userId === null) await authorize(ctx, 'coupon.manage');
    const t = await this.row(id);
    return { t, userId: await authorize(ctx, 'coupon.manage', scopeTarget(t)) };
  }

  /** Checks a template's fields (create and update alike) against its scope; the values to store. */
  private async normalize(input: TemplateInput, owner: { ownerStoreId: number | null; ownerRegionId: number | null }) {
    if (!COUPON_KINDS.includes(input.kind)) throw badInput('kind must be AMOUNT_OFF, PERCENT_OFF or GIFT', 'kind');
    const name = text(input.name, 'name', 1, 64);
    const description = text(input.description ?? '', 'description', 0, 500);
    const terms = { amountOffFen: null as number | null, discountPct: null as number | null, giftName: null as string | null };
    const only = (field: 'amountOffFen' | 'percentOff' | 'giftName') => {
      for (const f of ['amountOffFen', 'percentOff', 'giftName'] as const) if (f !== field && input[f] != null) throw badInput(`${f} is not for ${input.kind} coupons`, f);
    };
    if (input.kind === 'AMOUNT_OFF') {
      only('amountOffFen');
      terms.amountOffFen = intIn(input.amountOffFen, 'amountOffFen', 1, MAX_FEN);
    } else if (input.kind === 'PERCENT_OFF') {
      only('percentOff');
      terms.discountPct = percentOffToSharePaid(intIn(input.percentOff, 'percentOff', 1, 99));
    } else {
      only('giftName');
      terms.giftName = text(input.giftName, 'giftName', 1, 64);
    }
    const minSpendFen = input.minSpendFen == null ? 0 : intIn(input.minSpendFen, 'minSpendFen', 0, MAX_FEN);
    const storeIds = [...new Set(input.storeIds ?? [])].sort((a, b) => a - b);
    const regionIds = [...new Set(input.regionIds ?? [])].sort((a, b) => a - b);
    if (storeIds.length > MAX_STORES) throw badInput(`storeIds: at most ${MAX_STORES}`, 'storeIds');
    if (regionIds.length > MAX_REGIONS) throw badInput(`regionIds: at most ${MAX_REGIONS}`, 'regionIds');
    for (const id of storeIds) {
      const s = await this.org.store(id);
      const inside = owner.ownerStoreId !== null ? s.id === owner.ownerStoreId : owner.ownerRegionId !== null ? s.regionId === owner.ownerRegionId : true;
      if (!inside) throw badInput(`Store ${id} is outside the template's scope`, 'storeIds');
    }
    for (const id of regionIds) {
      await this.org.regionExists(id);
      const inside = owner.ownerStoreId !== null ? false : owner.ownerRegionId !== null ? id === owner.ownerRegionId : true;
      if (!inside) throw badInput(`Region ${id} is outside the template's scope`, 'regionIds');
    }
    const validFrom = optDate(input.validFrom, 'validFrom');
    const validUntil = optDate(input.validUntil, 'validUntil');
    const validDays = optInt(input.validDays, 'validDays', 1, 3650);
    if ((validUntil === null) === (validDays === null)) throw badInput('Give the validity as fixed dates (validUntil, optionally validFrom) or as validDays from issue', 'validUntil');
    if (validFrom !== null && validUntil === null) throw badInput('validFrom goes with validUntil', 'validFrom');
    if (validFrom && validUntil && validUntil.getTime() <= validFrom.getTime()) throw badInput('validUntil must be after validFrom', 'validUntil');
    const limitPerMember = optInt(input.limitPerMember, 'limitPerMember', 1, 1000);
    const budget = intIn(input.budget, 'budget', 1, MAX_BUDGET);
    const pointsPrice = input.pointsPrice == null ? 0 : intIn(input.pointsPrice, 'pointsPrice', 0, MAX_POINTS);
    const welcome = input.welcome ?? false;
    if (welcome && (owner.ownerStoreId !== null || owner.ownerRegionId !== null)) throw badInput('Only an HQ template can be the welcome coupon (every new member gets it)', 'welcome');
    return {
      kind: input.kind, name, description, ...terms, minSpendFen, storeIds: storeIds.length ? storeIds : null, regionIds: regionIds.length ? regionIds : null,
      validFrom, validUntil, validDays, limitPerMember, budget, pointsPrice, active: input.active ?? true, welcome,
    };
  }

  /** Managers of the scope: creates a template (scope: a store, a region, or neither for HQ). */
  async create(ctx: RequestContext, scope: TemplateScope, input: TemplateInput, now = clock.now()): Promise<TemplateRow> {
    let owner = { ownerStoreId: null as number | null, ownerRegionId: null as number | null };
    if (scope.storeId != null && scope.regionId != null) throw badInput('A template belongs to a store or a region, not both', 'scopeRegionId');
    if (scope.storeId != null) {
      const s = await this.org.store(scope.storeId);
      owner = { ownerStoreId: s.id, ownerRegionId: s.regionId };
    } else if (scope.regionId != null) {
      owner = { ownerStoreId: null, ownerRegionId: (await this.org.regionExists(scope.regionId)).id };
    }
    const userId = await authorize(ctx, 'coupon.manage', scopeTarget(owner));
    const v = await this.normalize(input, owner);
    const id = await this.db.tx(async (q) => {
      const r = await q.run(
        `INSERT INTO reward (kind, name, description, points_price, cash_fen, amount_off_fen, discount_pct, min_spend_fen, stock, active, cost_fen, store_ids, voucher_valid_days,
           created_by_id, created_at, updated_at, coupon_kind, gift_name, region_ids, owner_region_id, owner_store_id, valid_from, valid_until, limit_per_member, budget, welcome)
         VALUES ('COUPON', ?, ?, ?, 0, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          v.name, v.description, v.pointsPrice, v.amountOffFen, v.discountPct, v.minSpendFen, v.budget, q.bool(v.active), v.storeIds ? JSON.stringify(v.storeIds) : null, v.validDays,
          userId, q.ts(now), q.ts(now), v.kind, v.giftName, v.regionIds ? JSON.stringify(v.regionIds) : null, owner.ownerRegionId, owner.ownerStoreId,
          v.validFrom ? q.ts(v.validFrom) : null, v.validUntil ? q.ts(v.validUntil) : null, v.limitPerMember, v.budget, q.bool(v.welcome),
        ],
      );
      await writeAudit(q, userId, { action: 'createCouponTemplate', targetType: 'reward', targetId: r.insertId, regionId: owner.ownerRegionId, storeId: owner.ownerStoreId, after: v }, now);
      return r.insertId;
    });
    this.log.info({ templateId: id, kind: v.kind, userId }, 'coupon template created');
    return this.row(id);
  }

  /**
   * Managers of its scope: edits a template (not its kind or scope). The same rules as creating it, on the merged
   * fields. The budget may not drop below what was already issued: the change is made under the template's row
   * lock, so a concurrent issue either comes before it (and counts) or waits for it.
   */
  async update(ctx: RequestContext, id: number, patch: Partial<Omit<TemplateInput, 'kind'>>, now = clock.now()): Promise<TemplateRow> {
    const { t: cur, userId } = await this.managed(ctx, id);
    const pick = <K extends keyof TemplateInput>(k: K, current: TemplateInput[K]): TemplateInput[K] => ((patch as TemplateInput)[k] !== undefined ? (patch as TemplateInput)[k] : current);
    const merged: TemplateInput = {
      kind: cur.couponKind,
      name: pick('name', cur.name),
      description: pick('description', cur.description),
      amountOffFen: pick('amountOffFen', cur.amountOffFen),
      percentOff: pick('percentOff', cur.discountPct === null ? null : 100 - cur.discountPct),
      giftName: pick('giftName', cur.giftName),
      minSpendFen: pick('minSpendFen', cur.minSpendFen),
      storeIds: pick('storeIds', cur.storeIds),
      regionIds: pick('regionIds', cur.regionIds),
      validFrom: pick('validFrom', cur.validFrom),
      validUntil: pick('validUntil', cur.validUntil),
      validDays: pick('validDays', cur.voucherValidDays),
      limitPerMember: pick('limitPerMember', cur.limitPerMember),
      budget: pick('budget', cur.budget ?? 0),
      pointsPrice: pick('pointsPrice', cur.pointsPrice),
      active: pick('active', cur.active),
      welcome: pick('welcome', cur.welcome),
    };
    const v = await this.normalize(merged, cur);
    await this.db.tx(async (q) => {
      const locked = await q.get<{ budget: unknown; stock: unknown }>(`SELECT budget, stock FROM reward WHERE id = ?${q.forUpdate}`, [id]);
      const issued = toInt(locked?.budget) - toInt(locked?.stock);
      if (v.budget < issued) throw badInput(`budget cannot be below the ${issued} coupons already issued`, 'budget');
      await q.run(
        `UPDATE reward SET name = ?, description = ?, points_price = ?, amount_off_fen = ?, discount_pct = ?, min_spend_fen = ?, stock = ?, active = ?, store_ids = ?,
           voucher_valid_days = ?, gift_name = ?, region_ids = ?, valid_from = ?, valid_until = ?, limit_per_member = ?, budget = ?, welcome = ?, updated_at = ? WHERE id = ?`,
        [
          v.name, v.description, v.pointsPrice, v.amountOffFen, v.discountPct, v.minSpendFen, v.budget - issued, q.bool(v.active), v.storeIds ? JSON.stringify(v.storeIds) : null,
          v.validDays, v.giftName, v.regionIds ? JSON.stringify(v.regionIds) : null, v.validFrom ? q.ts(v.validFrom) : null, v.validUntil ? q.ts(v.validUntil) : null,
          v.limitPerMember, v.budget, q.bool(v.welcome), q.ts(now), id,
        ],
      );
      await writeAudit(q, userId, { action: 'updateCouponTemplate', targetType: 'reward', targetId: id, regionId: cur.ownerRegionId, storeId: cur.ownerStoreId, before: cur, after: v }, now);
    });
    this.log.info({ templateId: id, userId }, 'coupon template updated');
    return this.row(id);
  }
}
