import type { RequestContext } from '../../context';
import { authorize, type RoleGrant } from '../../auth/authz';
import { toDate, toInt, type Db } from '../../db/sql';
import { badInput } from '../../errors';

export interface AuditRow {
  id: number;
  actorUserId: number;
  actorMemberNo: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  regionId: number | null;
  storeId: number | null;
  before: string | null;
  after: string | null;
  createdAt: Date;
}

export interface AuditFilter {
  action?: string | null;
  targetType?: string | null;
  actorUserId?: number | null;
  since?: Date | null;
  until?: Date | null;
}

/**
 * The SQL condition restricting audit entries to what the grants cover: an HQ manager reads everything, a region
 * manager the entries of their region (its stores included), a store manager those of their store.
 */
export function auditScopeSql(grants: readonly RoleGrant[]): { sql: string; params: unknown[] } {
  const managers = grants.filter((g) => g.role === 'MANAGER');
  if (managers.some((g) => g.scope === 'HQ')) return { sql: '1 = 1', params: [] };
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const g of managers) {
    if (g.scope === 'REGION') {
      parts.push('a.region_id = ?');
      params.push(g.regionId);
    } else if (g.scope === 'STORE') {
      parts.push('a.store_id = ?');
      params.push(g.storeId);
    }
  }
  return parts.length ? { sql: `(${parts.join(' OR ')})`, params } : { sql: '1 = 0', params: [] };
}

/** Reads the audit trail (managers, their scope only), newest first, with offset pagination and a total. */
export class AuditService {
  constructor(private readonly db: Db) {}

  async list(ctx: RequestContext, filter: AuditFilter, first: number, offset: number): Promise<{ total: number; items: AuditRow[] }> {
    await authorize(ctx, 'audit.read');
    if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first must be 1–200', 'first');
    if (!Number.isInteger(offset) || offset < 0) throw badInput('offset must be ≥ 0', 'offset');
    const q = this.db.q;
    const scope = auditScopeSql(await ctx.roles());
    const where = [scope.sql];
    const params = [...scope.params];
    if (filter.action) (where.push('a.action = ?'), params.push(filter.action));
    if (filter.targetType) (where.push('a.target_type = ?'), params.push(filter.targetType));
    if (filter.actorUserId != null) (where.push('a.actor_user_id = ?'), params.push(filter.actorUserId));
    if (filter.since) (where.push('a.created_at >= ?'), params.push(q.ts(filter.since)));
    if (filter.until) (where.push('a.created_at < ?'), params.push(q.ts(filter.until)));
    const w = where.join(' AND ');
    const total = toInt((await q.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM audit_log a WHERE ${w}`, params))?.n);
    const rows = await q.all<Record<string, unknown>>(
      `SELECT a.id, a.actor_user_id, m.member_no, a.action, a.target_type, a.target_id, a.region_id, a.store_id, a.before_json, a.after_json, a.created_at
         FROM audit_log a LEFT JOIN member m ON m.user_id = a.actor_user_id WHERE ${w} ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?`,
      [...params, first, offset],
    );
    return {
      total,
      items: rows.map((r) => ({
        id: toInt(r.id),
        actorUserId: toInt(r.actor_user_id),
        actorMemberNo: r.member_no == null ? null : String(r.member_no),
        action: String(r.action),
        targetType: String(r.target_type),
        targetId: r.target_id == null ? null : String(r.target_id),
        regionId: r.region_id == null ? null : toInt(r.region_id),
        storeId: r.store_id == null ? null : toInt(r.store_id),
        before: r.before_json == null ? null : String(r.before_json),
        after: r.after_json == null ? null : String(r.after_json),
        createdAt: toDate(r.created_at),
      })),
    };
  }
}
