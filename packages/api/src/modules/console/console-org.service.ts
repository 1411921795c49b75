import { clock } from '../../clock';
import type { RequestContext } from '../../context';
import { authorize, managerCovers, type RoleGrant, type Target } from '../../auth/authz';
import { toDate, toInt, type Db } from '../../db/sql';
import { badInput, notFound } from '../../errors';
import type { OrgService, RegionRow, StoreRow } from '../org/org.service';
import { writeAudit } from '../audit/audit';

export interface ManagerScope { hq: boolean; regions: RegionRow[]; stores: StoreRow[] }

export interface RoleGrantRow {
  id: number;
  userId: number;
  memberNo: string | null;
  nickname: string | null;
  role: RoleGrant['role'];
  scope: RoleGrant['scope'];
  storeId: number | null;
  regionId: number | null;
  createdAt: Date;
}

/** Where a stored grant sits, as an authorization target. */
export function grantTarget(g: { scope: RoleGrant['scope']; storeId: number | null; regionId: number | null }): Target {
  if (g.scope === 'HQ') return { kind: 'HQ' };
  if (g.scope === 'REGION') return { kind: 'REGION', regionId: g.regionId as number };
  return { kind: 'STORE', storeId: g.storeId as number, regionId: g.regionId as number };
}

/** The console's view of the organisation (issue #13): the viewer's scope, role grants in it, revoking a grant. */
export class ConsoleOrgService {
  constructor(private readonly db: Db, private readonly org: OrgService) {}

  /** The regions and stores the viewer's manager grants cover (HQ: all). FORBIDDEN for non-managers. */
  async scope(ctx: RequestContext): Promise<ManagerScope> {
    await authorize(ctx, 'console.use');
    const grants = (await ctx.roles()).filter((g) => g.role === 'MANAGER');
    const regions = await this.org.regions();
    const stores = await this.org.stores();
    const covers = (t: Target) => grants.some((g) => managerCovers(g, t));
    return {
      hq: covers({ kind: 'HQ' }),
      regions: regions.filter((r) => covers({ kind: 'REGION', regionId: r.id })),
      stores: stores.filter((s) => covers({ kind: 'STORE', storeId: s.id, regionId: s.regionId })),
    };
  }

  /** Role grants inside the viewer's scope (a store manager: their store's), newest first, paginated. */
  async grants(ctx: RequestContext, filter: { storeId?: number | null; regionId?: number | null; role?: string | null }, first: number, offset: number): Promise<{ total: number; items: RoleGrantRow[] }> {
    await authorize(ctx, 'console.use');
    if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first must be 1–200', 'first');
    if (!Number.isInteger(offset) || offset < 0) throw badInput('offset must be ≥ 0', 'offset');
    const managers = (await ctx.roles()).filter((g) => g.role === 'MANAGER');
    const scope: string[] = [];
    const params: unknown[] = [];
    if (!managers.some((g) => g.scope === 'HQ')) {
      for (const g of managers) {
        if (g.scope === 'REGION') (scope.push('(ra.region_id = ? OR s.region_id = ?)'), params.push(g.regionId, g.regionId));
        else (scope.push('ra.store_id = ?'), params.push(g.storeId));
      }
    }
    const where = [scope.length ? `(${scope.join(' OR ')})` : '1 = 1'];
    if (filter.storeId != null) (where.push('ra.store_id = ?'), params.push(filter.storeId));
    if (filter.regionId != null) (where.push('(ra.region_id = ? OR s.region_id = ?)'), params.push(filter.regionId, filter.regionId));
    if (filter.role) (where.push('ra.role = ?'), params.push(filter.role));
    const from = `FROM role_assignment ra LEFT JOIN store s ON s.id = ra.store_id LEFT JOIN member m ON m.user_id = ra.user_id JOIN app_user u ON u.id = ra.user_id WHERE ${where.join(' AND ')}`;
    const total = toInt((await this.db.q.get<{ n: unknown }>(`SELECT COUNT(*) AS n ${from}`, params))?.n);
    const rows = await this.db.q.all<Record<string, unknown>>(
      `SELECT ra.id, ra.user_id, m.member_no, u.nickname, ra.role, ra.scope, ra.store_id, COALESCE(ra.region_id, s.region_id) AS region_id, ra.created_at ${from} ORDER BY ra.id DESC LIMIT ? OFFSET ?`,
      [...params, first, offset],
    );
    return {
      total,
      items: rows.map((r) => ({
        id: toInt(r.id),
        userId: toInt(r.user_id),
        memberNo: r.member_no == null ? null : String(r.member_no),
        nickname: r.nickname == null ? null : String(r.nickname),
        role: r.role as RoleGrant['role'],
        scope: r.scope as RoleGrant['scope'],
        storeId: r.store_id == null ? null : toInt(r.store_id),
        regionId: r.region_id == null ? null : toInt(r.region_id),
        createdAt: toDate(r.created_at),
      })),
    };
  }

  /** Revokes a grant, with the same rights as granting it (managers in scope; manager grants: HQ). Audited. */
  async revoke(ctx: RequestContext, id: number): Promise<RoleGrantRow> {
    const r = await this.db.q.get<Record<string, unknown>>('SELECT ra.id, ra.user_id, ra.role, ra.scope, ra.store_id, ra.region_id, s.region_id AS store_region_id, ra.created_at FROM role_assignment ra LEFT JOIN store s ON s.id = ra.store_id WHERE ra.id = ?', [id]);
    if (!r) throw notFound(`Role grant ${id}`);
    const row: RoleGrantRow = {
      id,
      userId: toInt(r.user_id),
      memberNo: null,
      nickname: null,
      role: r.role as RoleGrant['role'],
      scope: r.scope as RoleGrant['scope'],
      storeId: r.store_id == null ? null : toInt(r.store_id),
      regionId: r.region_id != null ? toInt(r.region_id) : r.store_region_id != null ? toInt(r.store_region_id) : null,
      createdAt: toDate(r.created_at),
    };
    const actor = await authorize(ctx, row.role === 'MANAGER' ? 'role.assignManager' : 'role.assign', grantTarget(row));
    await this.db.tx(async (q) => {
      const del = await q.run('DELETE FROM role_assignment WHERE id = ?', [id]);
      if (del.affectedRows !== 1) throw notFound(`Role grant ${id}`);
      await writeAudit(q, actor, { action: 'revokeRole', targetType: 'role', targetId: id, regionId: row.regionId, storeId: row.storeId, before: { userId: row.userId, role: row.role, scope: row.scope, storeId: row.storeId, regionId: row.regionId } }, clock.now());
    });
    return row;
  }
}
