/**
 * The reward catalogue (F6): mobile top-ups and fuel cards from partners (fulfilled by a provider), own products
 * picked up in store and coupons (both as vouchers used at a till). Each reward has a points price (vouchers may add
 * a cash part paid at the till), stock, per-member limits per day/month, a tier restriction, a validity window, a
 * partner and a cost price. HQ managers edit the catalogue; members browse it with what they can afford first.
 */
import { clock } from '../../clock';
import { canAfford, DEFAULT_REWARD_PROVIDER, ErrorCode, FACE_VALUES_YUAN, isBrandOf, isProviderKind, REWARD_KINDS, REWARD_PROVIDER_IDS, rewardUnavailableReason, sortCatalogue, type CouponKind, type RewardKind } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { allows, authorize } from '../../auth/authz';
import { TtlCache } from '../../cache';
import { isUniqueViolation, toDate, toInt, type Db } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import type { OrgService } from '../org/org.service';
import { spendableSql } from '../ledger/ledger.service';
import type { TierService } from '../tiers/tier.service';
import { writeAudit } from '../audit/audit';

export interface RewardRow {
  id: number;
  kind: RewardKind;
  name: string;
  description: string;
  imageUrl: string | null;
  pointsPrice: number;
  cashFen: number;
  faceValueFen: number | null;
  brand: string | null;
  amountOffFen: number | null;
  discountPct: number | null;
  minSpendFen: number;
  stock: number;
  limitPerDay: number | null;
  limitPerMonth: number | null;
  minTierId: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  active: boolean;
  partnerId: number | null;
  costFen: number;
  provider: string | null;
  storeIds: number[] | null;
  voucherValidDays: number | null;
  /** Coupon templates (coupon.service.ts); null/false/empty on other rewards. */
  couponKind: CouponKind | null;
  giftName: string | null;
  regionIds: number[] | null;
  ownerRegionId: number | null;
  ownerStoreId: number | null;
  validFrom: Date | null;
  validUntil: Date | null;
  limitPerMember: number | null;
  budget: number | null;
  welcome: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface PartnerRow { id: number; code: string; name: string }

export interface RewardInput {
  kind: RewardKind;
  name: string;
  description?: string | null;
  imageUrl?: string | null;
  pointsPrice: number;
  cashFen?: number | null;
  faceValueFen?: number | null;
  brand?: string | null;
  amountOffFen?: number | null;
  discountPct?: number | null;
  minSpendFen?: number | null;
  stock: number;
  limitPerDay?: number | null;
  limitPerMonth?: number | null;
  minTierCode?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  active?: boolean | null;
  partnerId?: number | null;
  costFen?: number | null;
  provider?: string | null;
  storeIds?: number[] | null;
  voucherValidDays?: number | null;
}

/** What the signed-in member brings to the catalogue: points and tier rank (null when signed out). */
export interface Viewer { memberId: number; balance: number; tierRank: number }

/** A reward with whether the viewer can afford it now (points, tier, stock). */
export interface ListedReward { row: RewardRow; affordable: boolean }

export const REWARD_COLUMNS =
  'id, kind, name, description, image_url, points_price, cash_fen, face_value_fen, brand, amount_off_fen, discount_pct, min_spend_fen, stock, limit_per_day, limit_per_month, min_tier_id, starts_at, ends_at, active, partner_id, cost_fen, provider, store_ids, voucher_valid_days, created_at, updated_at, ' +
  'coupon_kind, gift_name, region_ids, owner_region_id, owner_store_id, valid_from, valid_until, limit_per_member, budget, welcome';

const MAX_POINTS = 10_000_000;
const MAX_FEN = 100_000_000;
const MAX_STOCK = 10_000_000;
const MAX_LIMIT = 1000;
const MAX_STORES = 200;
/** Provider adapters a reward may name (shared `REWARD_PROVIDERS`; whether each is configured is checked on redemption). */
export const KNOWN_PROVIDERS = REWARD_PROVIDER_IDS;

const intOrNull = (v: unknown): number | null => (v == null ? null : toInt(v));
const dateOrNull = (v: unknown): Date | null => (v == null ? null : toDate(v));

const idsOrNull = (v: unknown): number[] | null => (v == null ? null : ((typeof v === 'string' ? JSON.parse(v) : v) as number[]));

export function toReward(r: Record<string, unknown>): RewardRow {
  const stores = idsOrNull(r.store_ids);
  return {
    id: toInt(r.id),
    kind: r.kind as RewardKind,
    name: String(r.name),
    description: String(r.description),
    imageUrl: r.image_url == null ? null : String(r.image_url),
    pointsPrice: toInt(r.points_price),
    cashFen: toInt(r.cash_fen),
    faceValueFen: intOrNull(r.face_value_fen),
    brand: r.brand == null ? null : String(r.brand),
    amountOffFen: intOrNull(r.amount_off_fen),
    discountPct: intOrNull(r.discount_pct),
    minSpendFen: toInt(r.min_spend_fen),
    stock: toInt(r.stock),
    limitPerDay: intOrNull(r.limit_per_day),
    limitPerMonth: intOrNull(r.limit_per_month),
    minTierId: intOrNull(r.min_tier_id),
    startsAt: dateOrNull(r.starts_at),
    endsAt: dateOrNull(r.ends_at),
    active: Boolean(toInt(r.active)),
    partnerId: intOrNull(r.partner_id),
    costFen: toInt(r.cost_fen),
    provider: r.provider == null ? null : String(r.provider),
    storeIds: stores,
    voucherValidDays: intOrNull(r.voucher_valid_days),
    couponKind: r.coupon_kind == null ? null : (String(r.coupon_kind) as CouponKind),
    giftName: r.gift_name == null ? null : String(r.gift_name),
    regionIds: idsOrNull(r.region_ids),
    ownerRegionId: intOrNull(r.owner_region_id),
    ownerStoreId: intOrNull(r.owner_store_id),
    validFrom: dateOrNull(r.valid_from),
    validUntil: dateOrNull(r.valid_until),
    limitPerMember: intOrNull(r.limit_per_member),
    budget: intOrNull(r.budget),
    welcome: Boolean(toInt(r.welcome)),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

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

export class RewardService {
  private readonly partnerCache: TtlCache<PartnerRow[]>;

  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly tiers: TierService,
    private readonly log: Logger,
  ) {
    this.partnerCache = new TtlCache(async () => {
      const rows = await this.db.q.all<Record<string, unknown>>('SELECT id, code, name FROM reward_partner ORDER BY id');
      return rows.map((r) => ({ id: toInt(r.id), code: String(r.code), name: String(r.name) }));
    }, 10_000, 'reward-partners');
  }

  /** The reward as stored, or NOT_FOUND. */
  async row(id: number): Promise<RewardRow> {
    const r = await this.db.q.get<Record<string, unknown>>(`SELECT ${REWARD_COLUMNS} FROM reward WHERE id = ?`, [id]);
    if (!r) throw notFound(`Reward ${id}`);
    return toReward(r);
  }

  /** Whether the user may see the economics and edit the catalogue (no error). */
  async mayManage(ctx: RequestContext): Promise<boolean> {
    return ctx.userId !== null && allows(await ctx.roles(), 'reward.manage', { kind: 'HQ' });
  }

  /** The signed-in member's balance and tier rank, or null when signed out (or not a member). */
  async viewer(ctx: RequestContext): Promise<Viewer | null> {
    if (ctx.userId === null) return null;
    const r = await this.db.q.get<Record<string, unknown>>(`SELECT m.id, m.tier_id, ${spendableSql('a')} AS balance FROM member m JOIN member_account a ON a.id = m.id WHERE m.user_id = ?`, [this.db.q.ts(clock.now()), ctx.userId]);
    if (!r) return null;
    return { memberId: toInt(r.id), balance: toInt(r.balance), tierRank: (await this.tiers.byId(toInt(r.tier_id))).rank };
  }

  /**
   * What members can browse: active rewards inside their validity window, of one kind (category) or all, with what
   * the viewer can afford first (points, tier and stock), then by points price. Sold-out rewards stay listed last.
   */
  async browse(ctx: RequestContext, kind: RewardKind | null, first: number, now = clock.now()): Promise<ListedReward[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first must be 1–200', 'first');
    if (kind !== null && !REWARD_KINDS.includes(kind)) throw badInput('Unknown reward kind', 'kind');
    const q = this.db.q;
    const on = q.bool(true);
    const rows = (
      await q.all<Record<string, unknown>>(
        `SELECT ${REWARD_COLUMNS} FROM reward WHERE active = ? AND points_price > 0${kind ? ' AND kind = ?' : ''} AND (starts_at IS NULL OR starts_at <= ?) AND (ends_at IS NULL OR ends_at > ?) ORDER BY id LIMIT 1000`,
        kind ? [on, kind, q.ts(now), q.ts(now)] : [on, q.ts(now), q.ts(now)],
      )
    ).map(toReward);
    const viewer = await this.viewer(ctx);
    const ranks = new Map((await this.tiers.list()).map((t) => [t.dbId, t.rank]));
    const items = rows.map((r) => ({ row: r, id: String(r.id), pointsPrice: r.pointsPrice, stock: r.stock, minTierRank: r.minTierId === null ? null : (ranks.get(r.minTierId) ?? null) }));
    return sortCatalogue(items, viewer)
      .slice(0, first)
      .map((i) => ({ row: i.row, affordable: canAfford(i, viewer) }));
  }

  /** Whether the signed-in member can afford each reward (points, tier, stock). */
  async affordability(ctx: RequestContext, rows: RewardRow[]): Promise<ListedReward[]> {
    const viewer = await this.viewer(ctx);
    const ranks = new Map((await this.tiers.list()).map((t) => [t.dbId, t.rank]));
    return rows.map((r) => ({ row: r, affordable: canAfford({ id: String(r.id), pointsPrice: r.pointsPrice, stock: r.stock, minTierRank: r.minTierId === null ? null : (ranks.get(r.minTierId) ?? null) }, viewer) }));
  }

  /** A reward as members see it: NOT_FOUND unless it is active (managers see every reward). */
  async get(ctx: RequestContext, id: number): Promise<RewardRow> {
    const r = await this.row(id);
    if (!r.active && !(await this.mayManage(ctx))) throw notFound(`Reward ${id}`);
    return r;
  }

  /** Managers: the whole catalogue, switched-off and past rewards included, newest first. */
  async catalogue(ctx: RequestContext, kind: RewardKind | null): Promise<RewardRow[]> {
    await authorize(ctx, 'reward.manage');
    const rows = await this.db.q.all<Record<string, unknown>>(`SELECT ${REWARD_COLUMNS} FROM reward${kind ? ' WHERE kind = ?' : ''} ORDER BY id DESC LIMIT 1000`, kind ? [kind] : []);
    return rows.map(toReward);
  }

  /** Whether the reward can be redeemed now as far as switch and window go (null) or why not. */
  unavailableReason(r: RewardRow, now: Date): string | null {
    return rewardUnavailableReason(r, now);
  }

  private async normalize(input: RewardInput) {
    const kind = input.kind;
    if (!REWARD_KINDS.includes(kind)) throw badInput('Unknown reward kind', 'kind');
    const name = text(input.name, 'name', 1, 64);
    const description = text(input.description ?? '', 'description', 0, 500);
    const imageUrl = input.imageUrl ? text(input.imageUrl, 'imageUrl', 1, 255) : null;
    if (imageUrl !== null && !/^https:\/\/\S+$/.test(imageUrl)) throw badInput('imageUrl must be an https URL', 'imageUrl');
    const pointsPrice = intIn(input.pointsPrice, 'pointsPrice', 1, MAX_POINTS);
    const cashFen = input.cashFen == null ? 0 : intIn(input.cashFen, 'cashFen', 0, MAX_FEN);
    const stock = intIn(input.stock, 'stock', 0, MAX_STOCK);
    const limitPerDay = optInt(input.limitPerDay, 'limitPerDay', 1, MAX_LIMIT);
    const limitPerMonth = optInt(input.limitPerMonth, 'limitPerMonth', 1, MAX_LIMIT * 31);
    if (limitPerDay !== null && limitPerMonth !== null && limitPerMonth < limitPerDay) throw badInput('limitPerMonth cannot be below limitPerDay', 'limitPerMonth');
    const costFen = input.costFen == null ? 0 : intIn(input.costFen, 'costFen', 0, MAX_FEN);
    const startsAt = input.startsAt ?? null;
    const endsAt = input.endsAt ?? null;
    for (const [field, d] of [['startsAt', startsAt], ['endsAt', endsAt]] as const) {
      if (d !== null && (!(d instanceof Date) || Number.isNaN(d.getTime()))) throw badInput(`${field} must be a date-time`, field);
    }
    if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) throw badInput('endsAt must be after startsAt', 'endsAt');
    let minTierId: number | null = null;
    if (input.minTierCode) {
      const t = (await this.tiers.list()).find((x) => x.code === input.minTierCode);
      if (!t) throw badInput(`Unknown tier ${input.minTierCode}`, 'minTierCode');
      minTierId = t.dbId;
    }
    const partnerId = input.partnerId ?? null;
    if (partnerId !== null) await this.partner(partnerId);
    const v = {
      kind, name, description, imageUrl, pointsPrice, cashFen, stock, limitPerDay, limitPerMonth, costFen, startsAt, endsAt, minTierId, partnerId,
      active: input.active ?? true,
      faceValueFen: null as number | null,
      brand: null as string | null,
      provider: null as string | null,
      amountOffFen: null as number | null,
      discountPct: null as number | null,
      minSpendFen: 0,
      storeIds: null as number[] | null,
      voucherValidDays: null as number | null,
    };
    if (isProviderKind(kind)) {
      // Fulfilled by a provider: a face value it sells, the operator or fuel company, the adapter, the supplier.
      const brand = input.brand ?? '';
      if (!isBrandOf(kind, brand)) throw badInput(kind === 'MOBILE_TOPUP' ? 'brand must be CMCC, CUCC or CTCC' : 'brand must be SINOPEC or CNPC', 'brand');
      const face = input.faceValueFen ?? -1;
      if (!FACE_VALUES_YUAN[kind].some((y) => y * 100 === face)) throw badInput(`faceValueFen must be one of ${FACE_VALUES_YUAN[kind].map((y) => y * 100).join(', ')}`, 'faceValueFen');
      const provider = input.provider ?? DEFAULT_REWARD_PROVIDER;
      if (!(KNOWN_PROVIDERS as readonly string[]).includes(provider)) throw badInput(`provider must be one of ${KNOWN_PROVIDERS.join(', ')}`, 'provider');
      if (partnerId === null) throw badInput('Top-ups and fuel cards come from a partner (partnerId)', 'partnerId');
      if (cashFen !== 0) throw badInput('A cash part is paid at the till: only OWN_PRODUCT and COUPON rewards may have one', 'cashFen');
      for (const f of ['amountOffFen', 'discountPct', 'storeIds', 'voucherValidDays'] as const) if (input[f] != null) throw badInput(`${f} is for vouchers (OWN_PRODUCT, COUPON)`, f);
      Object.assign(v, { brand, faceValueFen: face, provider });
    } else {
      for (const f of ['faceValueFen', 'brand', 'provider'] as const) if (input[f] != null) throw badInput(`${f} is for top-ups and fuel cards`, f);
      if (kind === 'COUPON') {
        const amountOffFen = optInt(input.amountOffFen, 'amountOffFen', 1, MAX_FEN);
        const discountPct = optInt(input.discountPct, 'discountPct', 1, 99);
        if ((amountOffFen === null) === (discountPct === null)) throw badInput('A coupon has either amountOffFen or discountPct', 'amountOffFen');
        Object.assign(v, { amountOffFen, discountPct, minSpendFen: input.minSpendFen == null ? 0 : intIn(input.minSpendFen, 'minSpendFen', 0, MAX_FEN) });
      } else {
        for (const f of ['amountOffFen', 'discountPct', 'minSpendFen'] as const) if (input[f] != null) throw badInput(`${f} is for coupons`, f);
      }
      if (input.storeIds != null) {
        const ids = [...new Set(input.storeIds)];
        if (ids.length === 0 || ids.length > MAX_STORES) throw badInput(`storeIds: 1–${MAX_STORES} stores, or null for every store`, 'storeIds');
        for (const id of ids) await this.org.store(id);
        v.storeIds = ids.sort((a, b) => a - b);
      }
      v.voucherValidDays = optInt(input.voucherValidDays, 'voucherValidDays', 1, 3650);
    }
    return v;
  }

  /** HQ managers: adds a reward. */
  async create(ctx: RequestContext, input: RewardInput, now = clock.now()): Promise<RewardRow> {
    const userId = await authorize(ctx, 'reward.manage');
    const v = await this.normalize(input);
    const r = await this.db.tx(async (q) => {
      const r = await q.run(
        `INSERT INTO reward (kind, name, description, image_url, points_price, cash_fen, face_value_fen, brand, amount_off_fen, discount_pct, min_spend_fen, stock,
           limit_per_day, limit_per_month, min_tier_id, starts_at, ends_at, active, partner_id, cost_fen, provider, store_ids, voucher_valid_days, created_by_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          v.kind, v.name, v.description, v.imageUrl, v.pointsPrice, v.cashFen, v.faceValueFen, v.brand, v.amountOffFen, v.discountPct, v.minSpendFen, v.stock,
          v.limitPerDay, v.limitPerMonth, v.minTierId, v.startsAt ? q.ts(v.startsAt) : null, v.endsAt ? q.ts(v.endsAt) : null, this.db.q.bool(v.active), v.partnerId, v.costFen,
          v.provider, v.storeIds ? JSON.stringify(v.storeIds) : null, v.voucherValidDays, userId, q.ts(now), q.ts(now),
        ],
      );
      await writeAudit(q, userId, { action: 'createReward', targetType: 'reward', targetId: r.insertId, after: v }, now);
      return r;
    });
    this.log.info({ rewardId: r.insertId, kind: v.kind, userId }, 'reward created');
    return this.row(r.insertId);
  }

  /**
   * HQ managers: edits a reward (the kind is fixed; stock moves only by `adjustStock`, so a concurrent redemption's
   * decrement is never overwritten). Redemptions already made keep the price they paid.
   */
  async update(ctx: RequestContext, id: number, patch: Partial<Omit<RewardInput, 'kind' | 'stock'>>, now = clock.now()): Promise<RewardRow> {
    const userId = await authorize(ctx, 'reward.manage');
    const cur = await this.row(id);
    if (cur.couponKind !== null) throw badInput('A coupon template: edit it with updateCouponTemplate', 'id');
    const pick = <K extends keyof RewardInput>(k: K, current: RewardInput[K]): RewardInput[K] => ((patch as RewardInput)[k] !== undefined ? (patch as RewardInput)[k] : current);
    const minTierCode = cur.minTierId === null ? null : (await this.tiers.byId(cur.minTierId)).code;
    const merged: RewardInput = {
      kind: cur.kind,
      stock: cur.stock,
      name: pick('name', cur.name),
      description: pick('description', cur.description),
      imageUrl: pick('imageUrl', cur.imageUrl),
      pointsPrice: pick('pointsPrice', cur.pointsPrice),
      cashFen: pick('cashFen', cur.cashFen),
      faceValueFen: pick('faceValueFen', cur.faceValueFen),
      brand: pick('brand', cur.brand),
      amountOffFen: pick('amountOffFen', cur.amountOffFen),
      discountPct: pick('discountPct', cur.discountPct),
      minSpendFen: pick('minSpendFen', cur.kind === 'COUPON' ? cur.minSpendFen : null),
      limitPerDay: pick('limitPerDay', cur.limitPerDay),
      limitPerMonth: pick('limitPerMonth', cur.limitPerMonth),
      minTierCode: pick('minTierCode', minTierCode),
      startsAt: pick('startsAt', cur.startsAt),
      endsAt: pick('endsAt', cur.endsAt),
      active: pick('active', cur.active),
      partnerId: pick('partnerId', cur.partnerId),
      costFen: pick('costFen', cur.costFen),
      provider: pick('provider', cur.provider),
      storeIds: pick('storeIds', cur.storeIds),
      voucherValidDays: pick('voucherValidDays', cur.voucherValidDays),
    };
    const v = await this.normalize(merged);
    await this.db.tx(async (q) => {
      await q.run(
        `UPDATE reward SET name = ?, description = ?, image_url = ?, points_price = ?, cash_fen = ?, face_value_fen = ?, brand = ?, amount_off_fen = ?, discount_pct = ?,
           min_spend_fen = ?, limit_per_day = ?, limit_per_month = ?, min_tier_id = ?, starts_at = ?, ends_at = ?, active = ?, partner_id = ?, cost_fen = ?, provider = ?,
           store_ids = ?, voucher_valid_days = ?, updated_at = ? WHERE id = ?`,
        [
          v.name, v.description, v.imageUrl, v.pointsPrice, v.cashFen, v.faceValueFen, v.brand, v.amountOffFen, v.discountPct, v.minSpendFen, v.limitPerDay, v.limitPerMonth,
          v.minTierId, v.startsAt ? q.ts(v.startsAt) : null, v.endsAt ? q.ts(v.endsAt) : null, this.db.q.bool(v.active), v.partnerId, v.costFen, v.provider,
          v.storeIds ? JSON.stringify(v.storeIds) : null, v.voucherValidDays, q.ts(now), id,
        ],
      );
      await writeAudit(q, userId, { action: 'updateReward', targetType: 'reward', targetId: id, before: cur, after: v }, now);
    });
    this.log.info({ rewardId: id, userId }, 'reward updated');
    return this.row(id);
  }

  /** HQ managers: adds (or with a negative delta removes) stock atomically; never below 0. */
  async adjustStock(ctx: RequestContext, id: number, delta: number, now = clock.now()): Promise<RewardRow> {
    const userId = await authorize(ctx, 'reward.manage');
    if (!Number.isSafeInteger(delta) || delta === 0 || Math.abs(delta) > MAX_STOCK) throw badInput(`delta must be a non-zero integer within ±${MAX_STOCK}`, 'delta');
    if ((await this.row(id)).couponKind !== null) throw badInput("A coupon template: change its budget with updateCouponTemplate", 'id');
    await this.db.tx(async (q) => {
      const r = await q.run('UPDATE reward SET stock = stock + ?, updated_at = ? WHERE id = ? AND stock + ? >= 0 AND stock + ? <= ?', [delta, q.ts(now), id, delta, delta, MAX_STOCK]);
      if (r.affectedRows !== 1) throw badInput(`Stock cannot go below 0 or above ${MAX_STOCK}`, 'delta');
      // Read under the row lock the update holds: the stock this change produced, whatever redemptions do meanwhile.
      const after = toInt((await q.get<{ stock: unknown }>('SELECT stock FROM reward WHERE id = ?', [id]))?.stock);
      await writeAudit(q, userId, { action: 'adjustRewardStock', targetType: 'reward', targetId: id, before: { stock: after - delta }, after: { stock: after, delta } }, now);
    });
    return this.row(id);
  }

  /** Every partner (cached briefly: the catalogue names each reward's partner). */
  partners(): Promise<PartnerRow[]> {
    return this.partnerCache.get();
  }

  /** The partner, or NOT_FOUND. */
  async partner(id: number): Promise<PartnerRow> {
    const p = await this.partnerCache.find((partners) => partners.find((x) => x.id === id));
    if (!p) throw notFound(`Partner ${id}`);
    return p;
  }

  /** HQ managers: adds a partner (联盟商家) that supplies rewards. */
  async createPartner(ctx: RequestContext, input: { code: string; name: string }, now = clock.now()): Promise<PartnerRow> {
    const userId = await authorize(ctx, 'reward.manage');
    const code = text(input.code, 'code', 2, 32);
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(code)) throw badInput('code: lower-case letters, digits, _ and -', 'code');
    const name = text(input.name, 'name', 1, 64);
    try {
      const r = await this.db.tx(async (q) => {
        const r = await q.run('INSERT INTO reward_partner (code, name, created_at) VALUES (?, ?, ?)', [code, name, q.ts(now)]);
        await writeAudit(q, userId, { action: 'createRewardPartner', targetType: 'reward_partner', targetId: r.insertId, after: { code, name } }, now);
        return r;
      });
      this.partnerCache.invalidate();
      return { id: r.insertId, code, name };
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError(ErrorCode.CONFLICT, `Partner code ${code} already exists`);
      throw e;
    }
  }
}
