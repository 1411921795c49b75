/**
 * Member analytics (F10): the customer inventory by lifecycle stage (seed 002's 顾客库存), the members flagged
 * DECLINING for retention with the reason, and RFM (seed 003). The scope's members are those whose store
 * (home store, else first purchase's) is in scope; their whole purchase history counts, so a member has one
 * stage and one set of facts whoever looks.
 *
 * SQL computes per-member aggregates ({@link LifecycleFacts}: last visit, visits and spend per window) in one
 * GROUP BY per point in time; the shared classifier decides the stage. At chain scale the aggregates come from a
 * per-member summary instead, with the same classifier (issue #15 item 7).
 */
import { clock } from '../../clock';
import {
  classifyLifecycle,
  DEFAULT_LIFECYCLE_THRESHOLDS,
  LIFECYCLE_STAGES,
  type DeclineReason,
  type LifecycleFacts,
  type LifecycleResult,
  type LifecycleStage,
  type LifecycleThresholds,
} from '@quanzi/shared';
import type { RequestContext } from '../../context';
import { toDate, toInt, type Db } from '../../db/sql';
import { badInput } from '../../errors';
import type { OrgService } from '../org/org.service';
import type { AnalyticsSettingsService } from './analytics-settings.service';
import { checkRange, daysBefore, resolveScope, scopeMembersJoin, ts, type Scope } from './analytics-scope';
import type { LifecycleSummary } from './lifecycle-summary';
import { rfmLive, type RfmFigures, type RfmSnapshots } from './rfm-snapshot';

const DAY_MS = 86_400_000;
/** The inventory's points in time: at most this many weeks (3 years). */
export const MAX_WEEKS = 157;

export interface MemberFacts extends LifecycleFacts {
  memberId: number;
  memberNo: string;
  tierName: string;
}

export interface InventoryWeek {
  /** The end of the week: the stage counts are as of this instant. */
  at: Date;
  counts: Record<LifecycleStage, number>;
}

export interface Inventory {
  scope: Scope;
  weeks: InventoryWeek[];
  /** Per stage: the count at the first and the last week, and the change. */
  trend: { stage: LifecycleStage; first: number; last: number; change: number }[];
  /** Where the counts came from: the lifecycle summary (exact, see lifecycle-summary.ts) or classifying live. */
  source: 'SUMMARY' | 'LIVE';
}

export interface DecliningMember {
  memberId: number;
  memberNo: string;
  tierName: string;
  joinedAt: Date;
  lastPurchaseAt: Date | null;
  visitsRecent: number;
  visitsPrevious: number;
  spendRecentFen: number;
  spendPreviousFen: number;
  reasons: DeclineReason[];
  reason: string;
}

export interface RfmReport extends RfmFigures {
  scope: Scope;
  from: Date;
  to: Date;
}

type ScopeArgs = { regionId?: number | null; storeId?: number | null };

export class AnalyticsMembersService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly settings: AnalyticsSettingsService,
    /** Serves the inventory at Shanghai midnights when it can (lifecycle-summary.ts); without it, always live. */
    private readonly lifecycle: LifecycleSummary | null = null,
    /** HQ's daily RFM snapshots (rfm-snapshot.ts); without them, RFM is always live. */
    private readonly snapshots: RfmSnapshots | null = null,
  ) {}

  private async thresholds(): Promise<LifecycleThresholds> {
    return (await this.settings.get()).lifecycle;
  }

  /** Lifecycle facts at `at` of every member of the scope who had joined by then (of `ids` only, when given). */
  async factsAt(scope: Scope, at: Date, t: LifecycleThresholds = DEFAULT_LIFECYCLE_THRESHOLDS, ids?: number[]): Promise<MemberFacts[]> {
    if (ids?.length === 0) return [];
    const q = this.db.q;
    const recent = daysBefore(at, t.windowDays);
    const previous = daysBefore(at, 2 * t.windowDays);
    const year = daysBefore(at, 365);
    // Older purchases cannot change the stage: a member whose last visit is before this is LOST either way.
    const lower = daysBefore(at, Math.max(365, 2 * t.windowDays, t.lostAfterDays) + 1);
    const mem = scopeMembersJoin(scope, 'm.id');
    const rows = await q.all<Record<string, unknown>>(
      `SELECT m.id, m.member_no, m.created_at, t.name AS tier_name,
         MAX(CASE WHEN p.amount_fen > 0 THEN p.created_at END) AS last_at,
         COALESCE(SUM(CASE WHEN p.created_at > ? AND p.amount_fen > 0 THEN 1 ELSE 0 END), 0) AS v_recent,
         COALESCE(SUM(CASE WHEN p.created_at > ? THEN p.amount_fen ELSE 0 END), 0) AS s_recent,
         COALESCE(SUM(CASE WHEN p.created_at > ? AND p.created_at <= ? AND p.amount_fen > 0 THEN 1 ELSE 0 END), 0) AS v_prev,
         COALESCE(SUM(CASE WHEN p.created_at > ? AND p.created_at <= ? THEN p.amount_fen ELSE 0 END), 0) AS s_prev,
         COALESCE(SUM(CASE WHEN p.created_at > ? AND p.amount_fen > 0 THEN 1 ELSE 0 END), 0) AS v_year
       FROM member m JOIN tier t ON t.id = m.tier_id ${mem.join}
         LEFT JOIN purchase p ON p.member_id = m.id AND p.created_at <= ? AND p.created_at > ?
       WHERE m.created_at <= ?${ids ? ` AND m.id IN (${ids.map(() => '?').join(', ')})` : ''}
       GROUP BY m.id, m.member_no, m.created_at, t.name ORDER BY m.id`,
      [...ts(q, recent, recent, previous, recent, previous, recent, year), ...mem.params, ...ts(q, at, lower, at), ...(ids ?? [])],
    );
    return rows.map((r) => ({
      memberId: toInt(r.id),
      memberNo: String(r.member_no),
      tierName: String(r.tier_name),
      joinedAt: toDate(r.created_at),
      lastPurchaseAt: r.last_at == null ? null : toDate(r.last_at),
      visitsRecent: toInt(r.v_recent),
      spendRecentFen: toInt(r.s_recent),
      visitsPrevious: toInt(r.v_prev),
      spendPreviousFen: toInt(r.s_prev),
      visitsYear: toInt(r.v_year),
    }));
  }

  /**
   * The customer inventory: members per stage at the end of each week of [from, to) — at `to`, `to` − 7 days, …
   * (oldest first) — and each stage's change from the first week to the last.
   */
  async inventory(ctx: RequestContext, args: ScopeArgs & { from: Date; to: Date }): Promise<Inventory> {
    const range = checkRange(args.from, args.to);
    const scope = await resolveScope(ctx, this.org, args);
    const points: Date[] = [];
    for (let at = range.to.getTime(); at > range.from.getTime() && points.length < MAX_WEEKS; at -= 7 * DAY_MS) points.unshift(new Date(at));
    const t = await this.thresholds();
    const summary = (await this.lifecycle?.countsAt(scope, points, t)) ?? null;
    const weeks: InventoryWeek[] = summary ? points.map((at, i) => ({ at, counts: summary[i] as Record<LifecycleStage, number> })) : await this.liveWeeks(scope, points, t);
    const first = weeks[0] as InventoryWeek;
    const last = weeks[weeks.length - 1] as InventoryWeek;
    return {
      scope,
      weeks,
      trend: LIFECYCLE_STAGES.map((stage) => ({ stage, first: first.counts[stage], last: last.counts[stage], change: last.counts[stage] - first.counts[stage] })),
      source: summary ? 'SUMMARY' : 'LIVE',
    };
  }

  /** The inventory's counts by classifying every member of the scope at each point (small chains; the fallback). */
  async liveWeeks(scope: Scope, points: Date[], t: LifecycleThresholds): Promise<InventoryWeek[]> {
    const weeks: InventoryWeek[] = [];
    for (const at of points) {
      const counts = Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, 0])) as Record<LifecycleStage, number>;
      for (const f of await this.factsAt(scope, at, t)) counts[classifyLifecycle(f, at, t).stage] += 1;
      weeks.push({ at, counts });
    }
    return weeks;
  }

  /** The scope's members in `stage` at `at` (member ids, ascending): a segment for retention campaigns. */
  async membersInStage(scope: Scope, stage: LifecycleStage, at: Date): Promise<number[]> {
    const t = await this.thresholds();
    return (await this.factsAt(scope, at, t)).filter((f) => classifyLifecycle(f, at, t).stage === stage).map((f) => f.memberId);
  }

  /** Members flagged DECLINING now, with the reason, by member id; keyset-paginated (`after` is an opaque cursor). */
  async declining(ctx: RequestContext, args: ScopeArgs & { first: number; after?: string | null }, now = clock.now()): Promise<{ items: DecliningMember[]; hasNextPage: boolean; endCursor: string | null; total: number }> {
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > 100) throw badInput('first must be 1–100', 'first');
    const after = args.after == null ? 0 : decodeMemberCursor(args.after);
    const scope = await resolveScope(ctx, this.org, args);
    const t = await this.thresholds();
    // From the lifecycle summary when it can answer (an index range), else by classifying the scope's members.
    const page = await this.lifecycle?.decliningAt(scope, now, t, args.first, after);
    if (page) {
      const items = (await this.factsAt({ target: scope.target, storeIds: null }, now, t, page.ids)).map((f) => declining(f, classifyLifecycle(f, now, t)));
      const lastItem = items[items.length - 1];
      return { items, hasNextPage: page.hasNextPage, endCursor: lastItem ? encodeMemberCursor(lastItem.memberId) : null, total: page.total };
    }
    const all: DecliningMember[] = [];
    for (const f of await this.factsAt(scope, now, t)) {
      const c = classifyLifecycle(f, now, t);
      if (c.stage === 'DECLINING') all.push(declining(f, c));
    }
    const rest = all.filter((m) => m.memberId > after);
    const items = rest.slice(0, args.first);
    const lastItem = items[items.length - 1];
    return { items, hasNextPage: rest.length > args.first, endCursor: lastItem ? encodeMemberCursor(lastItem.memberId) : null, total: all.length };
  }

  /**
   * RFM over [from, to) in scope (rfm-snapshot.ts): HQ's daily snapshot when the range is one of its windows, else live.
   */
  async rfm(ctx: RequestContext, args: ScopeArgs & { from: Date; to: Date }): Promise<RfmReport> {
    const range = checkRange(args.from, args.to);
    const scope = await resolveScope(ctx, this.org, args);
    const snapshot = scope.storeIds === null ? await this.snapshots?.find(range) : null;
    return { scope, from: range.from, to: range.to, ...(snapshot ?? (await rfmLive(this.db.q, this.lifecycle, scope, range))) };
  }
}

/** A DECLINING member's row for the retention list. */
function declining(f: MemberFacts, c: LifecycleResult): DecliningMember {
  return {
    memberId: f.memberId,
    memberNo: f.memberNo,
    tierName: f.tierName,
    joinedAt: f.joinedAt,
    lastPurchaseAt: f.lastPurchaseAt,
    visitsRecent: f.visitsRecent,
    visitsPrevious: f.visitsPrevious,
    spendRecentFen: f.spendRecentFen,
    spendPreviousFen: f.spendPreviousFen,
    reasons: c.reasons,
    reason: c.reason ?? '',
  };
}

export function encodeMemberCursor(id: number): string {
  return Buffer.from(`m:${id}`).toString('base64url');
}

export function decodeMemberCursor(cursor: string): number {
  const m = /^m:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw badInput('Malformed cursor', 'after');
  return Number(m[1]);
}
