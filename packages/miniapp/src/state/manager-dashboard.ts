import { ManagerInventoryDocument, ManagerKpisDocument } from '@quanzi/shared/graphql';
import { inventoryRange, periodRange, type ScopeChoice } from '../manager/dashboard/model';
import { useQuery } from './use-query';

/** Managers: the KPIs of the last `days` Beijing days (today included) in `scope`, with the period before. */
export function useManagerKpis(scope: ScopeChoice | null, days: number, nowMs: number) {
  return useQuery(ManagerKpisDocument, { ...periodRange(nowMs, days), regionId: scope?.regionId ?? null, storeId: scope?.storeId ?? null }, { skip: !scope });
}

/** Managers: members per lifecycle stage at the end of each of the last 8 weeks in `scope`. */
export function useManagerInventory(scope: ScopeChoice | null, nowMs: number) {
  return useQuery(ManagerInventoryDocument, { ...inventoryRange(nowMs), regionId: scope?.regionId ?? null, storeId: scope?.storeId ?? null }, { skip: !scope });
}
