/**
 * Authorization (F12), in one place. Services call `authorize(ctx, action, target)` before they change
 * anything; the policy below is the whole truth and is covered by a role × mutation test matrix.
 */
import { forbidden, unauthenticated } from '../errors';
import type { RequestContext } from '../context';

export type RoleName = 'STAFF' | 'ORGANIZER' | 'MANAGER';
export type ScopeName = 'STORE' | 'REGION' | 'HQ';

export interface RoleGrant {
  role: RoleName;
  scope: ScopeName;
  storeId: number | null;
  regionId: number | null;
}

/** What an action applies to: a store (with its region), a region, or the whole organisation. */
export type Target = { kind: 'STORE'; storeId: number; regionId: number } | { kind: 'REGION'; regionId: number } | { kind: 'HQ' };

export type Action =
  | 'till.purchase' // record a purchase at a store's till
  | 'till.redeem' // deduct points at a store's till
  | 'till.lookup' // look a member up by code, read the till's recent operations
  | 'earningRule.manage'
  | 'earningRule.read'
  | 'program.manage'
  | 'tier.manage'
  | 'org.manage'
  | 'role.assign'
  | 'role.assignManager'
  | 'points.expire'
  | 'points.reconcile';

/** Does a manager grant cover the target? HQ covers all; a region covers its region and its stores; a store itself. */
export function managerCovers(g: RoleGrant, t: Target): boolean {
  if (g.role !== 'MANAGER') return false;
  if (g.scope === 'HQ') return true;
  if (g.scope === 'REGION') return t.kind !== 'HQ' && g.regionId === t.regionId;
  return t.kind === 'STORE' && g.storeId === t.storeId;
}

function staffAt(g: RoleGrant, t: Target): boolean {
  return g.role === 'STAFF' && t.kind === 'STORE' && g.scope === 'STORE' && g.storeId === t.storeId;
}

const POLICY: Record<Action, (g: RoleGrant, t: Target) => boolean> = {
  'till.purchase': (g, t) => staffAt(g, t) || managerCovers(g, t),
  'till.redeem': (g, t) => staffAt(g, t) || managerCovers(g, t),
  'till.lookup': (g, t) => staffAt(g, t) || managerCovers(g, t),
  'earningRule.manage': managerCovers,
  'earningRule.read': (g) => g.role === 'MANAGER',
  'program.manage': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'role.assign': managerCovers,
  'tier.manage': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'org.manage': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'role.assignManager': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'points.expire': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
  'points.reconcile': (g) => g.role === 'MANAGER' && g.scope === 'HQ',
};

/** Whether the grants allow `action` on `target`. */
export function allows(grants: readonly RoleGrant[], action: Action, target: Target): boolean {
  const rule = POLICY[action];
  return grants.some((g) => rule(g, target));
}

/** Throws UNAUTHENTICATED when signed out, FORBIDDEN when no role allows the action; returns the user id. */
export async function authorize(ctx: RequestContext, action: Action, target: Target = { kind: 'HQ' }): Promise<number> {
  const userId = ctx.userId;
  if (userId === null) throw unauthenticated();
  const grants = await ctx.roles();
  if (!allows(grants, action, target)) throw forbidden();
  return userId;
}
