import { clock } from '../../clock';
import type { RequestContext } from '../../context';
import { authorize, type Target } from '../../auth/authz';
import { TtlCache } from '../../cache';
import type { Db } from '../../db/sql';
import { isUniqueViolation, toInt } from '../../db/sql';
import { AppError, badInput, notFound } from '../../errors';
import { ErrorCode } from '@quanzi/shared';
import { writeAudit } from '../audit/audit';

export interface StoreRow { id: number; code: string; name: string; regionId: number; regionName: string; regionCode: string }
export interface RegionRow { id: number; code: string; name: string }

/** Regions and stores (F12). Read through a short cache: every till operation needs its store's region. */
export class OrgService {
  private readonly cache: TtlCache<{ regions: RegionRow[]; stores: Map<number, StoreRow> }>;

  constructor(private readonly db: Db) {
    this.cache = new TtlCache(() => this.loadAll(), 10_000, 'org');
  }

  private async loadAll(): Promise<{ regions: RegionRow[]; stores: Map<number, StoreRow> }> {
    const regions = (await this.db.q.all<Record<string, unknown>>('SELECT id, code, name FROM region ORDER BY id')).map((r) => ({
      id: toInt(r.id),
      code: String(r.code),
      name: String(r.name),
    }));
    const rows = await this.db.q.all<Record<string, unknown>>(
      'SELECT s.id, s.code, s.name, s.region_id, r.name AS region_name, r.code AS region_code FROM store s JOIN region r ON r.id = s.region_id ORDER BY s.id',
    );
    const stores = new Map<number, StoreRow>();
    for (const r of rows) {
      stores.set(toInt(r.id), {
        id: toInt(r.id),
        code: String(r.code),
        name: String(r.name),
        regionId: toInt(r.region_id),
        regionName: String(r.region_name),
        regionCode: String(r.region_code),
      });
    }
    return { regions, stores };
  }

  async regions(): Promise<RegionRow[]> {
    return (await this.cache.get()).regions;
  }

  async stores(regionId?: number): Promise<StoreRow[]> {
    const all = [...(await this.cache.get()).stores.values()];
    return regionId === undefined ? all : all.filter((s) => s.regionId === regionId);
  }

  /** The store, or NOT_FOUND (a clear error for an unknown store id). */
  async store(storeId: number): Promise<StoreRow> {
    const s = await this.cache.find((c) => c.stores.get(storeId));
    if (!s) throw notFound(`Store ${storeId}`);
    return s;
  }

  async storeTarget(storeId: number): Promise<Target> {
    const s = await this.store(storeId);
    return { kind: 'STORE', storeId: s.id, regionId: s.regionId };
  }

  async regionExists(regionId: number): Promise<RegionRow> {
    const r = await this.cache.find((c) => c.regions.find((x) => x.id === regionId));
    if (!r) throw notFound(`Region ${regionId}`);
    return r;
  }

  /** Creates a region (HQ managers). */
  async createRegion(ctx: RequestContext, input: { code: string; name: string }): Promise<RegionRow> {
    const actor = await authorize(ctx, 'org.manage');
    try {
      const id = await this.db.tx(async (q) => {
        const r = await q.run('INSERT INTO region (code, name, created_at) VALUES (?, ?, ?)', [input.code, input.name, q.ts(clock.now())]);
        await writeAudit(q, actor, { action: 'createRegion', targetType: 'region', targetId: r.insertId, regionId: r.insertId, after: { code: input.code, name: input.name } });
        return r.insertId;
      });
      this.cache.invalidate();
      return { id, code: input.code, name: input.name };
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError(ErrorCode.CONFLICT, `Region code ${input.code} already exists`);
      throw e;
    }
  }

  /** Creates a store in a region (HQ managers). */
  async createStore(ctx: RequestContext, input: { regionId: number; code: string; name: string; lat?: number | null; lng?: number | null }): Promise<StoreRow> {
    const actor = await authorize(ctx, 'org.manage');
    const region = await this.regionExists(input.regionId);
    if ((input.lat == null) !== (input.lng == null)) throw badInput('lat and lng go together', 'lat');
    try {
      const id = await this.db.tx(async (q) => {
        const r = await q.run('INSERT INTO store (region_id, code, name, lat, lng, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
          region.id,
          input.code,
          input.name,
          input.lat ?? null,
          input.lng ?? null,
          q.ts(clock.now()),
        ]);
        const after = { regionId: region.id, code: input.code, name: input.name, lat: input.lat ?? null, lng: input.lng ?? null };
        await writeAudit(q, actor, { action: 'createStore', targetType: 'store', targetId: r.insertId, regionId: region.id, storeId: r.insertId, after });
        return r.insertId;
      });
      this.cache.invalidate();
      return { id, code: input.code, name: input.name, regionId: region.id, regionName: region.name, regionCode: region.code };
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError(ErrorCode.CONFLICT, `Store code ${input.code} already exists`);
      throw e;
    }
  }
}
