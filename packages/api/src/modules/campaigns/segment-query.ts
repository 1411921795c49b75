/**
 * Evaluating a segment (F9): the members of a scope matching an AND of conditions, as of an instant `at`.
 *
 * SQL filters what it can (scope, gender, tier, spend in a window, last purchase, a bounding box around the store);
 * the shared rules decide the rest on each page of candidates: the age band on `at`'s Shanghai date (`ageBand`),
 * the distance (`distanceKm`, consented locations only), the lifecycle stage (`AnalyticsMembersService
 * .membersInStage`, the analytics classifier), the preferred category (`preferredCategory` over the window's lines).
 * Purchases count up to `at` only, so evaluating page after page later (materialisation in batches) gives the
 * answer it would have given at `at`.
 *
 * Pages go by member id: `evaluatePage(afterId)` scans at most `pageSize` members past `afterId` and returns those
 * that match, and the last id it looked at (the cursor for the next page).
 */
import { ageBand, distanceKm, preferredCategory, type LifecycleStage, type SegmentCondition } from '@quanzi/shared';
import { toInt, type Db, type Q } from '../../db/sql';
import type { AnalyticsMembersService } from '../analytics/analytics-members.service';
import { inScope, memberStoreSql, type Scope } from '../analytics/analytics-scope';

const DAY_MS = 86_400_000;
/** Degrees of latitude per km (a bounding box: the exact distance is decided afterwards). */
const DEG_PER_KM = 1 / 111.0;

export interface SegmentPage {
  memberIds: number[];
  /** The last member id scanned (pass it as `afterId` for the next page). */
  cursor: number;
  done: boolean;
}

interface Candidate {
  id: number;
  birthday: string | null;
  lat: number | null;
  lng: number | null;
}

/** One evaluation of one segment at one instant; keeps the lifecycle sets and store coordinates between pages. */
export class SegmentEvaluator {
  private stages: Promise<Set<number>> | null = null;
  private stores = new Map<number, { lat: number; lng: number } | null>();

  constructor(
    private readonly db: Db,
    private readonly analytics: AnalyticsMembersService,
    readonly scope: Scope,
    readonly conditions: SegmentCondition[],
    readonly at: Date,
  ) {}

  private async storeAt(id: number): Promise<{ lat: number; lng: number } | null> {
    if (!this.stores.has(id)) {
      const s = await this.db.q.get<{ lat: unknown; lng: unknown }>('SELECT lat, lng FROM store WHERE id = ?', [id]);
      this.stores.set(id, s?.lat == null || s?.lng == null ? null : { lat: Number(s.lat), lng: Number(s.lng) });
    }
    return this.stores.get(id) ?? null;
  }

  /** Members of the stages any LIFECYCLE condition names, one set per condition, intersected. */
  private lifecycleMembers(): Promise<Set<number>> | null {
    const conds = this.conditions.filter((c): c is Extract<SegmentCondition, { field: 'LIFECYCLE' }> => c.field === 'LIFECYCLE');
    if (conds.length === 0) return null;
    this.stages ??= (async () => {
      const byStage = new Map<LifecycleStage, number[]>();
      for (const st of new Set(conds.flatMap((c) => c.stages))) byStage.set(st, await this.analytics.membersInStage(this.scope, st, this.at));
      const sets = conds.map((c) => new Set<number>(c.stages.flatMap((st) => byStage.get(st) ?? [])));
      const [first, ...rest] = sets;
      return new Set<number>([...(first ?? [])].filter((id) => rest.every((s) => s.has(id))));
    })();
    return this.stages;
  }

  /** The SQL part: a page of candidates past `afterId` (at most `pageSize` members scanned). */
  private async candidates(q: Q, afterId: number, pageSize: number): Promise<{ rows: Candidate[]; scanned: number; last: number }> {
    const where: string[] = ['m.id > ?', 'm.created_at <= ?'];
    const params: unknown[] = [afterId, q.ts(this.at)];
    const scope = inScope(this.scope, memberStoreSql('m.id'));
    where.push(scope.sql);
    params.push(...scope.params);
    for (const c of this.conditions) {
      switch (c.field) {
        case 'GENDER':
          where.push(`mp.gender IN (${c.genders.map(() => '?').join(', ')})`);
          params.push(...c.genders);
          break;
        case 'TIER':
          where.push(`m.tier_id IN (${c.tierIds.map(() => '?').join(', ')})`);
          params.push(...c.tierIds);
          break;
        case 'AGE_BAND':
          where.push('mp.birthday IS NOT NULL');
          break;
        case 'SPEND': {
          const sum = '(SELECT COALESCE(SUM(p.amount_fen), 0) FROM purchase p WHERE p.member_id = m.id AND p.created_at > ? AND p.created_at <= ?)';
          const from = q.ts(new Date(this.at.getTime() - c.days * DAY_MS));
          if (c.minFen !== null) {
            where.push(`${sum} >= ?`);
            params.push(from, q.ts(this.at), c.minFen);
          }
          if (c.maxFen !== null) {
            where.push(`${sum} <= ?`);
            params.push(from, q.ts(this.at), c.maxFen);
          }
          break;
        }
        case 'LAST_PURCHASE': {
          const last = '(SELECT MAX(p.created_at) FROM purchase p WHERE p.member_id = m.id AND p.amount_fen > 0 AND p.created_at <= ?)';
          if (c.after !== null) {
            where.push(`${last} >= ?`);
            params.push(q.ts(this.at), q.ts(new Date(c.after)));
          }
          if (c.before !== null) {
            where.push(`${last} < ?`);
            params.push(q.ts(this.at), q.ts(new Date(c.before)));
          }
          break;
        }
        case 'DISTANCE': {
          const s = await this.storeAt(c.storeId);
          if (!s) {
            where.push('1 = 0');
            break;
          }
          const dLat = c.maxKm * DEG_PER_KM;
          const dLng = dLat / Math.max(0.01, Math.cos((s.lat * Math.PI) / 180));
          where.push('mp.location_consent = ? AND mp.lat IS NOT NULL AND mp.lng IS NOT NULL AND mp.lat BETWEEN ? AND ? AND mp.lng BETWEEN ? AND ?');
          params.push(q.bool(true), s.lat - dLat, s.lat + dLat, s.lng - dLng, s.lng + dLng);
          break;
        }
        case 'LIFECYCLE':
        case 'PREFERRED_CATEGORY':
          break; // decided per page below
      }
    }
    // The page is the first `pageSize` members by id (every filter applied after them is per member), so the
    // cursor is exact: every member up to `last` has been decided.
    const ids = await q.all<{ id: unknown }>(`SELECT m.id FROM member m WHERE m.id > ? ORDER BY m.id LIMIT ?`, [afterId, pageSize]);
    if (ids.length === 0) return { rows: [], scanned: 0, last: afterId };
    const last = toInt(ids[ids.length - 1]?.id);
    const rows = await q.all<Record<string, unknown>>(
      `SELECT m.id, mp.birthday, mp.lat, mp.lng FROM member m LEFT JOIN member_profile mp ON mp.member_id = m.id
       WHERE ${where.join(' AND ')} AND m.id <= ? ORDER BY m.id`,
      [...params, last],
    );
    return {
      rows: rows.map((r) => ({
        id: toInt(r.id),
        birthday: r.birthday == null ? null : String(r.birthday),
        lat: r.lat == null ? null : Number(r.lat),
        lng: r.lng == null ? null : Number(r.lng),
      })),
      scanned: ids.length,
      last,
    };
  }

  /** The matching members among the next `pageSize` member ids after `afterId`. */
  async evaluatePage(afterId: number, pageSize = 500): Promise<SegmentPage> {
    const q = this.db.q;
    const { rows, scanned, last } = await this.candidates(q, afterId, pageSize);
    let keep = rows;
    for (const c of this.conditions) {
      if (keep.length === 0) break;
      if (c.field === 'AGE_BAND') keep = keep.filter((m) => {
        const band = ageBand(m.birthday, this.at);
        return band !== null && c.ageBands.includes(band);
      });
      if (c.field === 'DISTANCE') {
        const s = await this.storeAt(c.storeId);
        keep = keep.filter((m) => {
          if (!s || m.lat === null || m.lng === null) return false;
          const d = distanceKm(s, { lat: m.lat, lng: m.lng });
          return d <= c.maxKm && (c.minKm === null || d >= c.minKm);
        });
      }
      if (c.field === 'PREFERRED_CATEGORY' && keep.length > 0) {
        const lines = await q.all<{ member_id: unknown; lines: unknown }>(
          `SELECT member_id, \`lines\` FROM purchase WHERE member_id IN (${keep.map(() => '?').join(', ')}) AND created_at > ? AND created_at <= ?`,
          [...keep.map((m) => m.id), q.ts(new Date(this.at.getTime() - c.days * DAY_MS)), q.ts(this.at)],
        );
        const per = new Map<number, { category: string; amountFen: number }[]>();
        for (const r of lines) {
          const list = (typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines) as { category: string; amountFen: number }[] | null;
          const id = toInt(r.member_id);
          per.set(id, [...(per.get(id) ?? []), ...(Array.isArray(list) ? list : [])]);
        }
        keep = keep.filter((m) => {
          const pref = preferredCategory(per.get(m.id) ?? []);
          return pref !== null && c.categories.includes(pref);
        });
      }
    }
    const stages = this.lifecycleMembers();
    if (stages && keep.length > 0) {
      const set = await stages;
      keep = keep.filter((m) => set.has(m.id));
    }
    return { memberIds: keep.map((m) => m.id), cursor: last, done: scanned < pageSize };
  }

  /** Every matching member: the count and the first `sample` ids. */
  async count(sample = 5): Promise<{ count: number; sampleIds: number[] }> {
    let cursor = 0;
    let count = 0;
    const sampleIds: number[] = [];
    for (;;) {
      const page = await this.evaluatePage(cursor, 2000);
      count += page.memberIds.length;
      for (const id of page.memberIds) if (sampleIds.length < sample) sampleIds.push(id);
      cursor = page.cursor;
      if (page.done) return { count, sampleIds };
    }
  }
}
