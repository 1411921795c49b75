import { createContext, useContext } from 'react';
import type { ManagerScopeQuery } from './graphql/generated';

export type Scope = ManagerScopeQuery['managerScope'];
export const ScopeContext = createContext<Scope | null>(null);

/** The signed-in manager's scope (regions and stores their grants cover); sections render only inside it. */
export function useScope(): Scope {
  const s = useContext(ScopeContext);
  if (!s) throw new Error('useScope outside the signed-in console');
  return s;
}

/** How the scope reads in the header: 总部 / 区域：北京 / 门店：北京国贸店. */
export function scopeLabel(s: Scope): string {
  if (s.hq) return '总部';
  if (s.regions.length) return `区域：${s.regions.map((r) => r.name).join('、')}`;
  return `门店：${s.stores.map((x) => x.name).join('、')}`;
}
