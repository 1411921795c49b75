/**
 * Targeted campaigns (F9, issue #14 item 3; seed 002: target a segment instead of "buy 100 get 300"): managers of a
 * scope (HQ, a region, a store; `campaign.manage`) preview a segment, create a campaign (segment, offer — a coupon or
 * a points multiplier window for the treated members —, channels, start, holdout share, response window), edit it
 * while it is a DRAFT, schedule and cancel it. Sending is campaign-sender.ts, the report campaign-report.ts.
 *
 * Every refusal changes nothing: bad input is BAD_USER_INPUT (with `field`), another scope FORBIDDEN, an unknown
 * campaign/template/store NOT_FOUND, an edit of a campaign that is no longer a DRAFT CONFLICT.
 */
import { randomBytes } from 'node:crypto';
import { clock } from '../../clock';
import { ErrorCode, MAX_HOLDOUT_PCT, normalizeSegment, parseStoredSegment, SegmentError, ageBand, type SegmentCondition, type SegmentConditionInput } from '@quanzi/shared';
import { allows, authorize, type RoleGrant, type Target } from '../../auth/authz';
import type { RequestContext } from '../../context';
import { toDate, toInt, type Db, type Q } from '../../db/sql';
import type { EarningService } from '../earning/earning.service';
import { AppError, badInput, notFound } from '../../errors';
import type { AnalyticsMembersService } from '../analytics/analytics-members.service';
import type { Scope } from '../analytics/analytics-scope';
import { writeAudit } from '../audit/audit';
import type { CouponTemplateService } from '../coupons/coupon-template.service';
import { scopeTarget } from '../coupons/coupon-template.service';
import type { OrgService } from '../org/org.service';
import { SegmentEvaluator } from './segment-query';

const DAY_MS = 86_400_000;

export type CampaignStatus = 'DRAFT' | 'SCHEDULED' | 'RUNNING' | 'DONE' | 'CANCELLED';

export interface CampaignRow {
  id: number;
  name: string;
  scopeRegionId: number | null;
  scopeStoreId: number | null;
  segment: SegmentCondition[];
  offerKind: 'COUPON' | 'MULTIPLIER';
  couponTemplateId: number | null;
  multiplierPct: number | null;
  multiplierDays: number | null;
  earningRuleId: number | null;
  message: string | null;
  sms: boolean;
  startsAt: Date;
  responseDays: number;
  holdoutPct: number;
  seed: string;
  status: CampaignStatus;
  materialisedThrough: number;
  materialisedAt: Date | null;
  createdById: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CampaignInput {
  name?: string;
  conditions?: SegmentConditionInput[];
  couponTemplateId?: number | null;
  /** Instead of a coupon: a points multiplier (101–1000 per cent) for `multiplierDays` (1–90) from the start. */
  multiplierPct?: number | null;
  multiplierDays?: number | null;
  message?: string | null;
  sms?: boolean;
  startsAt?: Date;
  responseDays?: number;
  holdoutPct?: number;
}

export interface CampaignScopeInput {
  regionId?: number | null;
  storeId?: number | null;
}

export interface SegmentPreview {
  count: number;
  /** Up to 5 matching members, masked: member number, gender, age band. */
  sample: { memberNo: string; gender: string | null; ageBand: string | null }[];
}

export interface Progress {
  materialised: number;
  treated: number;
  holdout: number;
  pending: number;
  sent: number;
  failed: number;
}

const COLUMNS =
  'id, name, scope_region_id, scope_store_id, segment, offer_kind, coupon_template_id, multiplier_pct, multiplier_days, earning_rule_id, message, sms, starts_at, response_days, holdout_pct, seed, status, materialised_through, materialised_at, created_by_id, created_at, updated_at';

export function toCampaign(r: Record<string, unknown>): CampaignRow {
  return {
    id: toInt(r.id),
    name: String(r.name),
    scopeRegionId: r.scope_region_id == null ? null : toInt(r.scope_region_id),
    scopeStoreId: r.scope_store_id == null ? null : toInt(r.scope_store_id),
    segment: parseStoredSegment(r.segment),
    offerKind: r.offer_kind === 'MULTIPLIER' ? 'MULTIPLIER' : 'COUPON',
    couponTemplateId: r.coupon_template_id == null ? null : toInt(r.coupon_template_id),
    multiplierPct: r.multiplier_pct == null ? null : toInt(r.multiplier_pct),
    multiplierDays: r.multiplier_days == null ? null : toInt(r.multiplier_days),
    earningRuleId: r.earning_rule_id == null ? null : toInt(r.earning_rule_id),
    message: r.message == null ? null : String(r.message),
    sms: Boolean(toInt(r.sms)),
    startsAt: toDate(r.starts_at),
    responseDays: toInt(r.response_days),
    holdoutPct: toInt(r.holdout_pct),
    seed: String(r.seed),
    status: String(r.status) as CampaignStatus,
    materialisedThrough: toInt(r.materialised_through),
    materialisedAt: r.materialised_at == null ? null : toDate(r.materialised_at),
    createdById: toInt(r.created_by_id),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

/** The authorization target of a campaign's scope. */
export const campaignTarget = (c: { scopeRegionId: number | null; scopeStoreId: number | null }): Target =>
  scopeTarget({ ownerStoreId: c.scopeStoreId, ownerRegionId: c.scopeRegionId });

/** Masks a member number for a preview: the first 3 and last 2 digits. */
export const maskMemberNo = (no: string): string => (no.length <= 5 ? '*'.repeat(no.length) : `${no.slice(0, 3)}${'*'.repeat(no.length - 5)}${no.slice(-2)}`);

function text(v: unknown, field: string, min: number, max: number): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if ([...s].length < min || [...s].length > max) throw badInput(`${field} must be ${min}–${max} characters`, field);
  return s;
}

function intIn(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw badInput(`${field} must be an integer ${min}–${max}`, field);
  return v;
}

export class CampaignService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly analytics: AnalyticsMembersService,
    private readonly templates: CouponTemplateService,
    readonly earning: EarningService,
  ) {}

  /** The scope the arguments name (a store, a region, HQ when neither), authorized for `campaign.manage`. */
  async resolveScope(ctx: RequestContext, args: CampaignScopeInput): Promise<{ scope: Scope; userId: number; regionId: number | null; storeId: number | null }> {
    if (args.regionId != null && args.storeId != null) throw badInput('A campaign belongs to a store or a region, not both', 'scopeRegionId');
    if (ctx.userId === null) await authorize(ctx, 'campaign.manage');
    let target: Target = { kind: 'HQ' };
    if (args.storeId != null) target = await this.org.storeTarget(args.storeId);
    else if (args.regionId != null) target = { kind: 'REGION', regionId: (await this.org.regionExists(args.regionId)).id };
    const userId = await authorize(ctx, 'campaign.manage', target);
    return { scope: await this.scopeOf(target), userId, regionId: target.kind === 'HQ' ? null : target.regionId, storeId: target.kind === 'STORE' ? target.storeId : null };
  }

  async scopeOf(target: Target): Promise<Scope> {
    const storeIds = target.kind === 'HQ' ? null : target.kind === 'STORE' ? [target.storeId] : (await this.org.stores(target.regionId)).map((s) => s.id);
    return { target, storeIds };
  }

  /** Normalises the conditions and checks what they name (tiers, a store inside the scope). */
  async segment(scope: Scope, conditions: SegmentConditionInput[] | undefined): Promise<SegmentCondition[]> {
    let seg: SegmentCondition[];
    try {
      seg = normalizeSegment(conditions);
    } catch (e) {
      if (e instanceof SegmentError) throw badInput(e.message, e.field);
      throw e;
    }
    for (const [i, c] of seg.entries()) {
      if (c.field === 'TIER') {
        const rows = await this.db.q.all<{ id: unknown }>(`SELECT id FROM tier WHERE id IN (${c.tierIds.map(() => '?').join(', ')})`, c.tierIds);
        if (rows.length !== c.tierIds.length) throw badInput(`conditions[${i}].tierIds: an unknown tier`, `conditions[${i}].tierIds`);
      }
      if (c.field === 'DISTANCE') {
        const s = await this.org.store(c.storeId);
        if (scope.storeIds !== null && !scope.storeIds.includes(s.id)) throw badInput(`conditions[${i}].storeId: store ${s.id} is outside the campaign's scope`, `conditions[${i}].storeId`);
        const pos = await this.db.q.get<{ lat: unknown }>('SELECT lat FROM store WHERE id = ?', [s.id]);
        if (pos?.lat == null) throw badInput(`conditions[${i}].storeId: store ${s.id} has no coordinates`, `conditions[${i}].storeId`);
      }
    }
    return seg;
  }

  evaluator(scope: Scope, segment: SegmentCondition[], at: Date): SegmentEvaluator {
    return new SegmentEvaluator(this.db, this.analytics, scope, segment, at);
  }

  /** The count (and a small masked sample) of a segment now, before anything is stored or sent. */
  async preview(ctx: RequestContext, args: CampaignScopeInput, conditions: SegmentConditionInput[], now = clock.now()): Promise<SegmentPreview> {
    const { scope } = await this.resolveScope(ctx, args);
    const seg = await this.segment(scope, conditions);
    return this.previewOf(scope, seg, now);
  }

  private async previewOf(scope: Scope, seg: SegmentCondition[], now: Date): Promise<SegmentPreview> {
    const { count, sampleIds } = await this.evaluator(scope, seg, now).count(5);
    const rows = sampleIds.length
      ? await this.db.q.all<Record<string, unknown>>(
          `SELECT m.id, m.member_no, mp.gender, mp.birthday FROM member m LEFT JOIN member_profile mp ON mp.member_id = m.id WHERE m.id IN (${sampleIds.map(() => '?').join(', ')}) ORDER BY m.id`,
          sampleIds,
        )
      : [];
    return {
      count,
      sample: rows.map((r) => ({ memberNo: maskMemberNo(String(r.member_no)), gender: r.gender == null ? null : String(r.gender), ageBand: ageBand(r.birthday == null ? null : String(r.birthday), now) })),
    };
  }

  /** Checks a whole campaign definition (create, and each edit merged into the stored one). */
  private async definition(
    ctx: RequestContext,
    scope: Scope,
    input: Required<Omit<CampaignInput, 'message' | 'couponTemplateId' | 'multiplierPct' | 'multiplierDays'>> & { message: string | null; couponTemplateId: number | null; multiplierPct: number | null; multiplierDays: number | null },
    now: Date,
  ) {
    const name = text(input.name, 'name', 1, 64);
    const message = input.message == null || input.message.trim() === '' ? null : text(input.message, 'message', 1, 200);
    if (typeof input.sms !== 'boolean') throw badInput('sms must be true or false', 'sms');
    if (!(input.startsAt instanceof Date) || Number.isNaN(input.startsAt.getTime())) throw badInput('startsAt must be a date-time', 'startsAt');
    if (input.startsAt.getTime() < now.getTime() - 3_600_000) throw badInput('startsAt is in the past', 'startsAt');
    if (input.startsAt.getTime() > now.getTime() + 366 * DAY_MS) throw badInput('startsAt is more than a year ahead', 'startsAt');
    const responseDays = intIn(input.responseDays, 'responseDays', 1, 90);
    const holdoutPct = intIn(input.holdoutPct, 'holdoutPct', 0, MAX_HOLDOUT_PCT);
    const segment = await this.segment(scope, input.conditions);
    // The offer: a coupon template the manager may issue (its scope is theirs), switched on — or a multiplier window.
    if ((input.couponTemplateId == null) === (input.multiplierPct == null)) throw badInput('Give the offer: a couponTemplateId or a multiplierPct (not both)', 'couponTemplateId');
    let templateId: number | null = null;
    let multiplierPct: number | null = null;
    let multiplierDays: number | null = null;
    if (input.couponTemplateId != null) {
      if (input.multiplierDays != null) throw badInput('multiplierDays goes with multiplierPct', 'multiplierDays');
      templateId = intIn(input.couponTemplateId, 'couponTemplateId', 1, Number.MAX_SAFE_INTEGER);
      const { t } = await this.templates.managed(ctx, templateId);
      if (!t.active) throw new AppError(ErrorCode.REWARD_UNAVAILABLE, 'This coupon template is switched off', { reason: 'INACTIVE', field: 'couponTemplateId' });
    } else {
      multiplierPct = intIn(input.multiplierPct, 'multiplierPct', 101, 1000);
      multiplierDays = intIn(input.multiplierDays, 'multiplierDays', 1, 90);
    }
    const { count } = await this.evaluator(scope, segment, now).count(0);
    if (count === 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'The segment is empty: no member matches it now', { field: 'conditions', reason: 'EMPTY_SEGMENT' });
    return { name, message, sms: input.sms, startsAt: input.startsAt, responseDays, holdoutPct, segment, templateId, multiplierPct, multiplierDays };
  }

  /** Managers of the scope: a new DRAFT campaign. */
  async create(ctx: RequestContext, args: CampaignScopeInput, input: CampaignInput, now = clock.now()): Promise<CampaignRow> {
    const { scope, userId, regionId, storeId } = await this.resolveScope(ctx, args);
    const d = await this.definition(
      ctx,
      scope,
      {
        name: input.name ?? '',
        conditions: input.conditions ?? [],
        couponTemplateId: input.couponTemplateId ?? null,
        multiplierPct: input.multiplierPct ?? null,
        multiplierDays: input.multiplierDays ?? null,
        message: input.message ?? null,
        sms: input.sms ?? false,
        startsAt: input.startsAt as Date,
        responseDays: input.responseDays ?? 14,
        holdoutPct: input.holdoutPct ?? 10,
      },
      now,
    );
    const id = await this.db.tx(async (q) => {
      const r = await q.run(
        `INSERT INTO campaign (name, scope_region_id, scope_store_id, segment, offer_kind, coupon_template_id, multiplier_pct, multiplier_days, message, sms, starts_at, response_days, holdout_pct, seed, status,
           materialised_through, created_by_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'DRAFT', 0, ?, ?, ?)`,
        [d.name, regionId, storeId, JSON.stringify(d.segment), d.templateId === null ? 'MULTIPLIER' : 'COUPON', d.templateId, d.multiplierPct, d.multiplierDays, d.message, q.bool(d.sms), q.ts(d.startsAt), d.responseDays, d.holdoutPct, randomBytes(24).toString('hex'), userId, q.ts(now), q.ts(now)],
      );
      await writeAudit(q, userId, { action: 'createCampaign', targetType: 'campaign', targetId: r.insertId, regionId, storeId, after: { ...d } }, now);
      return r.insertId;
    });
    return this.row(id);
  }

  async row(id: number): Promise<CampaignRow> {
    const r = await this.db.q.get<Record<string, unknown>>(`SELECT ${COLUMNS} FROM campaign WHERE id = ?`, [id]);
    if (!r) throw notFound(`Campaign ${id}`);
    return toCampaign(r);
  }

  /** The campaign, after checking the caller manages its scope (FORBIDDEN otherwise). */
  async managed(ctx: RequestContext, id: number): Promise<{ c: CampaignRow; userId: number }> {
    if (ctx.userId === null) await authorize(ctx, 'campaign.manage');
    const c = await this.row(id);
    return { c, userId: await authorize(ctx, 'campaign.manage', campaignTarget(c)) };
  }

  /** Managers of the scope: edit a DRAFT (the scope stays); anything else is CONFLICT. */
  async update(ctx: RequestContext, id: number, patch: CampaignInput, now = clock.now()): Promise<CampaignRow> {
    const { c, userId } = await this.managed(ctx, id);
    if (c.status !== 'DRAFT') throw new AppError(ErrorCode.CONFLICT, `Only a draft can be edited (this campaign is ${c.status})`, { status: c.status });
    const scope = await this.scopeOf(campaignTarget(c));
    const d = await this.definition(
      ctx,
      scope,
      {
        name: patch.name ?? c.name,
        conditions: patch.conditions ?? (c.segment as unknown as SegmentConditionInput[]).map(storedToInput),
        // An offer in the patch replaces the stored one (a coupon for a multiplier, or the other way round).
        couponTemplateId: patch.couponTemplateId != null || patch.multiplierPct != null ? (patch.couponTemplateId ?? null) : c.couponTemplateId,
        multiplierPct: patch.couponTemplateId != null || patch.multiplierPct != null ? (patch.multiplierPct ?? null) : c.multiplierPct,
        multiplierDays: patch.couponTemplateId != null || patch.multiplierPct != null ? (patch.multiplierDays ?? null) : (patch.multiplierDays ?? c.multiplierDays),
        message: patch.message === undefined ? c.message : patch.message,
        sms: patch.sms ?? c.sms,
        startsAt: patch.startsAt ?? c.startsAt,
        responseDays: patch.responseDays ?? c.responseDays,
        holdoutPct: patch.holdoutPct ?? c.holdoutPct,
      },
      now,
    );
    await this.db.tx(async (q) => {
      const r = await q.run(
        "UPDATE campaign SET name = ?, segment = ?, offer_kind = ?, coupon_template_id = ?, multiplier_pct = ?, multiplier_days = ?, message = ?, sms = ?, starts_at = ?, response_days = ?, holdout_pct = ?, updated_at = ? WHERE id = ? AND status = 'DRAFT'",
        [d.name, JSON.stringify(d.segment), d.templateId === null ? 'MULTIPLIER' : 'COUPON', d.templateId, d.multiplierPct, d.multiplierDays, d.message, q.bool(d.sms), q.ts(d.startsAt), d.responseDays, d.holdoutPct, q.ts(now), id],
      );
      if (r.affectedRows !== 1) throw new AppError(ErrorCode.CONFLICT, 'This campaign was scheduled or cancelled meanwhile: reload it');
      await writeAudit(q, userId, { action: 'updateCampaign', targetType: 'campaign', targetId: id, regionId: c.scopeRegionId, storeId: c.scopeStoreId, before: { ...c, seed: undefined }, after: { ...d } }, now);
    });
    return this.row(id);
  }

  /** DRAFT → SCHEDULED: the sender starts it at `startsAt` (the API's clock). The segment must not be empty now. */
  async schedule(ctx: RequestContext, id: number, now = clock.now()): Promise<CampaignRow> {
    const { c, userId } = await this.managed(ctx, id);
    if (c.status !== 'DRAFT') throw new AppError(ErrorCode.CONFLICT, `Only a draft can be scheduled (this campaign is ${c.status})`, { status: c.status });
    if (c.startsAt.getTime() < now.getTime() - 3_600_000) throw badInput('startsAt is in the past: edit it first', 'startsAt');
    const { count } = await this.evaluator(await this.scopeOf(campaignTarget(c)), c.segment, now).count(0);
    if (count === 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'The segment is empty: no member matches it now', { field: 'conditions', reason: 'EMPTY_SEGMENT' });
    await this.transition(c, userId, ['DRAFT'], 'SCHEDULED', 'scheduleCampaign', now);
    return this.row(id);
  }

  /** Stops a campaign that has not finished: nobody else gets the offer (what was given stays given). */
  async cancel(ctx: RequestContext, id: number, now = clock.now()): Promise<CampaignRow> {
    const { c, userId } = await this.managed(ctx, id);
    // A sent multiplier campaign (DONE) may still be stopped while its window runs: that retires the multiplier.
    const windowOpen = c.offerKind === 'MULTIPLIER' && c.earningRuleId !== null && now.getTime() < c.startsAt.getTime() + (c.multiplierDays ?? 0) * DAY_MS;
    if (c.status === 'CANCELLED' || (c.status === 'DONE' && !windowOpen)) throw new AppError(ErrorCode.CONFLICT, `This campaign is already ${c.status}`, { status: c.status });
    await this.transition(c, userId, ['DRAFT', 'SCHEDULED', 'RUNNING', ...(windowOpen ? (['DONE'] as const) : [])], 'CANCELLED', 'cancelCampaign', now, async (q) => {
      // A running multiplier window stops with the campaign.
      const r = await q.get<{ earning_rule_id: unknown }>('SELECT earning_rule_id FROM campaign WHERE id = ?', [id]);
      if (r?.earning_rule_id != null) await this.earning.retireInTx(q, toInt(r.earning_rule_id), now);
    });
    this.earning.invalidate();
    return this.row(id);
  }

  private async transition(c: CampaignRow, userId: number, from: CampaignStatus[], to: CampaignStatus, action: string, now: Date, also?: (q: Q) => Promise<void>): Promise<void> {
    await this.db.tx(async (q) => {
      const r = await q.run(`UPDATE campaign SET status = ?, updated_at = ? WHERE id = ? AND status IN (${from.map(() => '?').join(', ')})`, [to, q.ts(now), c.id, ...from]);
      if (r.affectedRows !== 1) throw new AppError(ErrorCode.CONFLICT, 'This campaign changed meanwhile: reload it');
      await also?.(q);
      await writeAudit(q, userId, { action, targetType: 'campaign', targetId: c.id, regionId: c.scopeRegionId, storeId: c.scopeStoreId, before: { status: c.status }, after: { status: to } }, now);
    });
  }

  /** Managers: the campaigns of their scope, newest first, keyset by id (`after` = the last id seen). */
  async list(ctx: RequestContext, first: number, after: number | null): Promise<{ items: CampaignRow[]; hasNextPage: boolean }> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    await authorize(ctx, 'console.use');
    const grants = (await ctx.roles()).filter((g) => g.role === 'MANAGER');
    const { sql, params } = grantFilter(grants);
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM campaign WHERE (${sql})${after !== null ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      [...params, ...(after !== null ? [after] : []), first + 1],
    );
    const items = rows.map(toCampaign).filter((c) => allows(grants, 'campaign.manage', campaignTarget(c)));
    return { items: items.slice(0, first), hasNextPage: rows.length > first };
  }

  /** Sending progress: materialised members by group and state. */
  async progress(id: number): Promise<Progress> {
    const rows = await this.db.q.all<{ grp: unknown; state: unknown; n: unknown }>('SELECT grp, state, COUNT(*) AS n FROM campaign_member WHERE campaign_id = ? GROUP BY grp, state', [id]);
    const p: Progress = { materialised: 0, treated: 0, holdout: 0, pending: 0, sent: 0, failed: 0 };
    for (const r of rows) {
      const n = toInt(r.n);
      p.materialised += n;
      if (r.grp === 'HOLDOUT') p.holdout += n;
      else p.treated += n;
      if (r.state === 'PENDING') p.pending += n;
      if (r.state === 'SENT') p.sent += n;
      if (r.state === 'FAILED') p.failed += n;
    }
    return p;
  }
}

/** A stored condition back to the input shape (dates as Dates) for re-validation on edit. */
function storedToInput(c: SegmentConditionInput): SegmentConditionInput {
  const r = c as unknown as Record<string, unknown>;
  return { ...c, after: r.after == null ? null : new Date(String(r.after)), before: r.before == null ? null : new Date(String(r.before)) };
}

/** SQL narrowing the campaigns to the grants' scopes (the exact check is `allows` on each row). */
function grantFilter(grants: RoleGrant[]): { sql: string; params: number[] } {
  if (grants.some((g) => g.scope === 'HQ')) return { sql: '1 = 1', params: [] };
  const parts: string[] = [];
  const params: number[] = [];
  for (const g of grants) {
    if (g.scope === 'REGION' && g.regionId !== null) {
      parts.push('scope_region_id = ?');
      params.push(g.regionId);
    } else if (g.scope === 'STORE' && g.storeId !== null) {
      parts.push('scope_store_id = ?');
      params.push(g.storeId);
    }
  }
  return parts.length ? { sql: parts.join(' OR '), params } : { sql: '1 = 0', params: [] };
}


