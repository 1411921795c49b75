/**
 * Instant service ratings, the manager's side (F11): ratings per store and per staff member in the manager's scope
 * (count, average, distribution, low ones), the ratings themselves (low ones with their comments, paginated), and the
 * follow-up of a low rating: acknowledge ("I am on it"), resolve with a note. A manager sees and acts on the ratings
 * of the stores their scope covers (HQ: all, and the HQ-level ones without a store); elsewhere FORBIDDEN.
 */
import { clock } from '../../clock';
import { ErrorCode, LOW_RATING_MAX_STARS, RATING_NOTE_MAX, summarizeStars, type RatedOperationKind } from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { authorize, type RoleGrant, type Target } from '../../auth/authz';
import { toDate, toInt, type Db } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import type { Logger } from '../../logger';
import { writeAudit } from '../audit/audit';
import type { OrgService } from '../org/org.service';

export type FollowUp = 'NONE' | 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED';

export interface RatingRange { since: Date; until: Date }

export interface StarSummary { count: number; average: number | null; distribution: number[]; low: number }

export interface StoreRatingRow extends StarSummary { storeId: number | null; storeName: string; regionId: number | null; openLow: number }
export interface StaffRatingRow extends StarSummary { staffUserId: number | null; staffName: string }

export interface ManagerRatingRow {
  id: number;
  kind: RatedOperationKind;
  operationId: number;
  summary: string;
  storeId: number | null;
  storeName: string | null;
  staffUserId: number | null;
  staffName: string | null;
  memberNo: string;
  /** The member's profile: how many ratings they gave and their average (a habitual 1-star giver reads differently). */
  memberRatings: number;
  memberAverage: number | null;
  stars: number;
  comment: string | null;
  operationAt: Date;
  createdAt: Date;
  followUp: FollowUp;
  acknowledgedAt: Date | null;
  acknowledgedById: number | null;
  resolvedAt: Date | null;
  resolvedById: number | null;
  resolutionNote: string | null;
}

export interface RatingFilter { storeId?: number | null; staffUserId?: number | null; lowOnly?: boolean | null; followUp?: FollowUp | null }

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 3 * 366;
const MAX_STAFF_ROWS = 200;

/** The SQL condition restricting ratings (alias `r`) to what the grants cover (cf. auditScopeSql). */
export function ratingScopeSql(grants: readonly RoleGrant[]): { sql: string; params: unknown[] } {
  const managers = grants.filter((g) => g.role === 'MANAGER');
  if (managers.some((g) => g.scope === 'HQ')) return { sql: '1 = 1', params: [] };
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const g of managers) {
    if (g.scope === 'REGION') (parts.push('r.region_id = ?'), params.push(g.regionId));
    else if (g.scope === 'STORE') (parts.push('r.store_id = ?'), params.push(g.storeId));
  }
  return parts.length ? { sql: `(${parts.join(' OR ')})`, params } : { sql: '1 = 0', params: [] };
}

/** A date range: defaults to the 30 days before now; backwards or longer than 3 years is BAD_USER_INPUT. */
export function ratingRange(since: Date | null | undefined, until: Date | null | undefined, now: Date): RatingRange {
  const u = until ?? new Date(now.getTime() + 1); // up to and including now
  const s = since ?? new Date(u.getTime() - 30 * DAY);
  if (Number.isNaN(s.getTime()) || Number.isNaN(u.getTime())) throw badInput('since/until must be dates', 'since');
  if (s.getTime() >= u.getTime()) throw badInput('since must be before until', 'since');
  if (u.getTime() - s.getTime() > MAX_RANGE_DAYS * DAY) throw badInput('The range may span at most 3 years', 'since');
  return { since: s, until: u };
}

function starSummary(dist: number[]): StarSummary {
  const s = summarizeStars(dist);
  return { count: s.count, average: s.average, distribution: dist, low: s.low };
}

export class RatingReportService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly log: Logger,
    /** The per-store and per-staff aggregates read here (a read replica, src/db/read-routing.ts); lists and follow-ups read `db`. */
    private readonly reports: Db = db,
  ) {}

  private async storeTarget(storeId: number | null): Promise<Target> {
    if (storeId === null) return { kind: 'HQ' };
    const s = await this.org.store(storeId);
    return { kind: 'STORE', storeId: s.id, regionId: s.regionId };
  }

  /** Per store in the manager's scope (HQ-level ratings as a store-less row for HQ managers): counts, average, distribution, open low ones. */
  async byStore(ctx: RequestContext, range: RatingRange): Promise<StoreRatingRow[]> {
    await authorize(ctx, 'rating.list');
    const q = this.reports.q;
    const scope = ratingScopeSql(await ctx.roles());
    const rows = await q.all<Record<string, unknown>>(
      `SELECT r.store_id, r.stars, COUNT(*) AS n, SUM(CASE WHEN r.follow_up = 'OPEN' THEN 1 ELSE 0 END) AS open_low
         FROM service_rating r WHERE ${scope.sql} AND r.created_at >= ? AND r.created_at < ? GROUP BY r.store_id, r.stars`,
      [...scope.params, q.ts(range.since), q.ts(range.until)],
    );
    const by = new Map<number | null, { dist: number[]; open: number }>();
    for (const r of rows) {
      const id = r.store_id == null ? null : toInt(r.store_id);
      const e = by.get(id) ?? { dist: [0, 0, 0, 0, 0], open: 0 };
      e.dist[toInt(r.stars) - 1] = toInt(r.n);
      e.open += toInt(r.open_low);
      by.set(id, e);
    }
    // Every store in scope, rated or not (a store with no ratings is worth seeing too).
    const grants = await ctx.roles();
    const stores = (await this.org.stores()).filter((s) => grants.some((g) => g.role === 'MANAGER' && (g.scope === 'HQ' || (g.scope === 'REGION' && g.regionId === s.regionId) || (g.scope === 'STORE' && g.storeId === s.id))));
    const out: StoreRatingRow[] = stores.map((s) => {
      const e = by.get(s.id) ?? { dist: [0, 0, 0, 0, 0], open: 0 };
      return { storeId: s.id, storeName: s.name, regionId: s.regionId, ...starSummary(e.dist), openLow: e.open };
    });
    const hq = by.get(null);
    if (hq) out.push({ storeId: null, storeName: '总部（线上兑换、无门店活动）', regionId: null, ...starSummary(hq.dist), openLow: hq.open });
    return out;
  }

  /** Per staff member at one store (FORBIDDEN outside the manager's scope); ratings without a recorded staff member form one row. */
  async byStaff(ctx: RequestContext, storeId: number, range: RatingRange): Promise<StaffRatingRow[]> {
    await authorize(ctx, 'rating.read', await this.storeTarget(storeId));
    const q = this.reports.q;
    const rows = await q.all<Record<string, unknown>>(
      `SELECT r.staff_id, u.nickname, r.stars, COUNT(*) AS n FROM service_rating r LEFT JOIN app_user u ON u.id = r.staff_id
        WHERE r.store_id = ? AND r.created_at >= ? AND r.created_at < ? GROUP BY r.staff_id, u.nickname, r.stars`,
      [storeId, q.ts(range.since), q.ts(range.until)],
    );
    const by = new Map<number | null, { name: string; dist: number[] }>();
    for (const r of rows) {
      const id = r.staff_id == null ? null : toInt(r.staff_id);
      const e = by.get(id) ?? { name: staffLabel(id, r.nickname), dist: [0, 0, 0, 0, 0] };
      e.dist[toInt(r.stars) - 1] = toInt(r.n);
      by.set(id, e);
    }
    return [...by.entries()]
      .map(([staffUserId, e]) => ({ staffUserId, staffName: e.name, ...starSummary(e.dist) }))
      .sort((a, b) => (a.average ?? 6) - (b.average ?? 6) || b.count - a.count)
      .slice(0, MAX_STAFF_ROWS);
  }

  /**
   * Ratings in the manager's scope (or at one store / by one staff member), newest first, with a total for paging.
   * `lowOnly` keeps the 1–2 star ones, `followUp` those whose follow-up stands there.
   */
  async list(ctx: RequestContext, filter: RatingFilter, range: RatingRange, first: number, offset: number): Promise<{ total: number; items: ManagerRatingRow[] }> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1–100', 'first');
    if (!Number.isInteger(offset) || offset < 0 || offset > 100_000) throw badInput('offset must be 0–100000', 'offset');
    const q = this.db.q;
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.storeId != null) {
      await authorize(ctx, 'rating.read', await this.storeTarget(filter.storeId));
      (where.push('r.store_id = ?'), params.push(filter.storeId));
    } else {
      await authorize(ctx, 'rating.list');
      const scope = ratingScopeSql(await ctx.roles());
      (where.push(scope.sql), params.push(...scope.params));
    }
    if (filter.staffUserId != null) (where.push('r.staff_id = ?'), params.push(filter.staffUserId));
    if (filter.lowOnly) (where.push('r.stars <= ?'), params.push(LOW_RATING_MAX_STARS));
    if (filter.followUp) (where.push('r.follow_up = ?'), params.push(filter.followUp));
    where.push('r.created_at >= ? AND r.created_at < ?');
    params.push(q.ts(range.since), q.ts(range.until));
    const w = where.join(' AND ');
    const total = toInt((await q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM service_rating r WHERE ${w}`, params))?.n);
    const rows = await q.all<Record<string, unknown>>(`${SELECT} WHERE ${w} ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?`, [...params, first, offset]);
    return { total, items: await this.withProfiles(rows) };
  }

  /** One rating, for the manager whose scope covers its store (FORBIDDEN elsewhere, NOT_FOUND when there is none). */
  async get(ctx: RequestContext, id: number): Promise<ManagerRatingRow> {
    await authorize(ctx, 'rating.list'); // members and staff learn nothing, not even whether it exists
    const row = await this.row(id);
    await authorize(ctx, 'rating.read', await this.storeTarget(row.storeId));
    return row;
  }

  /** A manager acknowledges a low rating (OPEN → ACKNOWLEDGED); CONFLICT when it is not open, BAD_USER_INPUT for a 3–5 star one. */
  async acknowledge(ctx: RequestContext, id: number, now = clock.now()): Promise<ManagerRatingRow> {
    await authorize(ctx, 'rating.list');
    const cur = await this.row(id);
    const userId = await authorize(ctx, 'rating.followUp', await this.storeTarget(cur.storeId));
    if (cur.followUp === 'NONE') throw badInput('Only 1–2 star ratings are followed up', 'id');
    await this.db.tx(async (q) => {
      const u = await q.run("UPDATE service_rating SET follow_up = 'ACKNOWLEDGED', acknowledged_at = ?, acknowledged_by_id = ? WHERE id = ? AND follow_up = 'OPEN'", [q.ts(now), userId, id]);
      if (u.affectedRows !== 1) throw new AppError(ErrorCode.CONFLICT, 'This rating was already acknowledged or resolved');
      await writeAudit(q, userId, { action: 'acknowledgeRating', targetType: 'rating', targetId: id, regionId: cur.storeId === null ? null : (await this.org.store(cur.storeId)).regionId, storeId: cur.storeId, before: { followUp: cur.followUp }, after: { followUp: 'ACKNOWLEDGED' } }, now);
    });
    this.log.info({ ratingId: id, userId }, 'low rating acknowledged');
    return this.row(id);
  }

  /** A manager resolves a low rating with a note (1–500 characters: what was done); from OPEN or ACKNOWLEDGED, once. */
  async resolve(ctx: RequestContext, id: number, note: string, now = clock.now()): Promise<ManagerRatingRow> {
    await authorize(ctx, 'rating.list');
    const cur = await this.row(id);
    const userId = await authorize(ctx, 'rating.followUp', await this.storeTarget(cur.storeId));
    const text = (note ?? '').trim();
    if (text.length < 1 || [...text].length > RATING_NOTE_MAX) throw badInput(`note: 1–${RATING_NOTE_MAX} characters`, 'note');
    if (cur.followUp === 'NONE') throw badInput('Only 1–2 star ratings are followed up', 'id');
    await this.db.tx(async (q) => {
      const u = await q.run(
        `UPDATE service_rating SET follow_up = 'RESOLVED', resolved_at = ?, resolved_by_id = ?, resolution_note = ?,
           acknowledged_at = COALESCE(acknowledged_at, ?), acknowledged_by_id = COALESCE(acknowledged_by_id, ?)
         WHERE id = ? AND follow_up IN ('OPEN', 'ACKNOWLEDGED')`,
        [q.ts(now), userId, text, q.ts(now), userId, id],
      );
      if (u.affectedRows !== 1) throw new AppError(ErrorCode.CONFLICT, 'This rating was already resolved');
      await writeAudit(q, userId, { action: 'resolveRating', targetType: 'rating', targetId: id, regionId: cur.storeId === null ? null : (await this.org.store(cur.storeId)).regionId, storeId: cur.storeId, before: { followUp: cur.followUp }, after: { followUp: 'RESOLVED', note: text } }, now);
    });
    this.log.info({ ratingId: id, userId }, 'low rating resolved');
    return this.row(id);
  }

  private async row(id: number): Promise<ManagerRatingRow> {
    const r = await this.db.q.get<Record<string, unknown>>(`${SELECT} WHERE r.id = ?`, [id]);
    if (!r) throw notFound('Rating');
    return (await this.withProfiles([r]))[0] as ManagerRatingRow;
  }

  /** Rows → results, with each member's rating count and average (one grouped query for the page). */
  private async withProfiles(rows: Record<string, unknown>[]): Promise<ManagerRatingRow[]> {
    const memberIds = [...new Set(rows.map((r) => toInt(r.member_id)))];
    const profiles = new Map<number, { n: number; avg: number | null }>();
    if (memberIds.length > 0) {
      const ps = await this.db.q.all<{ member_id: unknown; n: unknown; total: unknown }>(
        `SELECT member_id, COUNT(*) AS n, SUM(stars) AS total FROM service_rating WHERE member_id IN (${memberIds.map(() => '?').join(', ')}) GROUP BY member_id`,
        memberIds,
      );
      for (const p of ps) {
        const n = toInt(p.n);
        profiles.set(toInt(p.member_id), { n, avg: n === 0 ? null : Math.round((Number(p.total) / n) * 100) / 100 });
      }
    }
    return rows.map((r) => {
      const p = profiles.get(toInt(r.member_id)) ?? { n: 0, avg: null };
      const staffId = r.staff_id == null ? null : toInt(r.staff_id);
      return {
        id: toInt(r.id),
        kind: r.kind as RatedOperationKind,
        operationId: toInt(r.operation_id),
        summary: String(r.summary),
        storeId: r.store_id == null ? null : toInt(r.store_id),
        storeName: r.store_name == null ? null : String(r.store_name),
        staffUserId: staffId,
        staffName: staffId === null ? null : staffLabel(staffId, r.nickname),
        memberNo: String(r.member_no),
        memberRatings: p.n,
        memberAverage: p.avg,
        stars: toInt(r.stars),
        comment: r.comment == null ? null : String(r.comment),
        operationAt: toDate(r.operation_at),
        createdAt: toDate(r.created_at),
        followUp: r.follow_up as FollowUp,
        acknowledgedAt: r.acknowledged_at == null ? null : toDate(r.acknowledged_at),
        acknowledgedById: r.acknowledged_by_id == null ? null : toInt(r.acknowledged_by_id),
        resolvedAt: r.resolved_at == null ? null : toDate(r.resolved_at),
        resolvedById: r.resolved_by_id == null ? null : toInt(r.resolved_by_id),
        resolutionNote: r.resolution_note == null ? null : String(r.resolution_note),
      };
    });
  }
}

const SELECT = `SELECT r.id, r.member_id, m.member_no, r.kind, r.operation_id, r.summary, r.store_id, s.name AS store_name, r.staff_id, u.nickname,
  r.stars, r.comment, r.operation_at, r.created_at, r.follow_up, r.acknowledged_at, r.acknowledged_by_id, r.resolved_at, r.resolved_by_id, r.resolution_note
  FROM service_rating r JOIN member m ON m.id = r.member_id LEFT JOIN store s ON s.id = r.store_id LEFT JOIN app_user u ON u.id = r.staff_id`;

function staffLabel(id: number | null, nickname: unknown): string {
  if (id === null) return '未记录';
  return nickname ? `${String(nickname)}（用户 ${id}）` : `用户 ${id}`;
}
