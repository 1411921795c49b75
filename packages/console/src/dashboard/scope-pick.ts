/** The scope picker's options: HQ (HQ managers only), each region and each store of the manager's `managerScope`. */
export interface ScopeLike {
  hq: boolean;
  regions: readonly { id: string; name: string }[];
  stores: readonly { id: string; name: string; regionName?: string | null }[];
}
/** 'hq' | 'r:<regionId>' | 's:<storeId>' */
export type ScopeKey = string;

export function scopeOptions(s: ScopeLike): { value: ScopeKey; label: string }[] {
  return [
    ...(s.hq ? [{ value: 'hq', label: '总部（全部门店）' }] : []),
    ...s.regions.map((r) => ({ value: `r:${r.id}`, label: `区域：${r.name}` })),
    ...s.stores.map((x) => ({ value: `s:${x.id}`, label: `门店：${x.name}` })),
  ];
}

export const defaultScopeKey = (s: ScopeLike): ScopeKey => scopeOptions(s)[0]?.value ?? 'hq';

/** The API's scope arguments: HQ when both are omitted, never both. */
export function scopeArgs(key: ScopeKey): { regionId: string | null; storeId: string | null } {
  if (key.startsWith('r:')) return { regionId: key.slice(2), storeId: null };
  if (key.startsWith('s:')) return { regionId: null, storeId: key.slice(2) };
  return { regionId: null, storeId: null };
}
