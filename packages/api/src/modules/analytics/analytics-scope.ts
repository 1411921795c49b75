/**
 * What every analytics query shares: the scope (HQ, a region or a store) turned into SQL, the date range checks,
 * and the attribution rules.
 *
 * Attribution (the README's "Analytics" section says the same):
 * - An activity (a purchase, a ledger entry, a redemption, an event check-in) belongs to the store where it
 *   happened. One without a store (an in-app redemption, expiry, a bonus) belongs to the member's store.
 * - A member's store is their home store (profile), else the store of their first purchase; a member with
 *   neither belongs to HQ only.
 * - Member figures (new members, lifecycle, RFM, liability) count the scope's members; activity figures
 *   (visits, spend, active members, points issued/redeemed/expired, redemptions, club check-ins) count the
 *   scope's activities.
 */
import type { RequestContext } from '../../context';
import { authorize, type Target } from '../../auth/authz';
import type { Q } from '../../db/sql';
import { badInput } from '../../errors';
import type { OrgService } from '../org/org.service';

const DAY_MS = 86_400_000;
/** The longest range a query accepts: 3 years (of 366 days, so any 3 calendar years fit). */
export const MAX_RANGE_DAYS = 3 * 366;

/** A resolved, authorized scope: the target and the store ids it covers (null = HQ, every store). */
export interface Scope {
  target: Target;
  storeIds: number[] | null;
}

/** A half-open date range [from, to). */
export interface Range {
  from: Date;
  to: Date;
}

/** Checks a range: both valid dates, from < to, at most 3 years. Bad input is BAD_USER_INPUT naming the field. */
export function checkRange(from: Date, to: Date): Range {
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw badInput('from must be a date-time', 'from');
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) throw badInput('to must be a date-time', 'to');
  if (to.getTime() <= from.getTime()) throw badInput('The range is backwards or empty: from must be before to', 'to');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw badInput(`The range is over 3 years (${MAX_RANGE_DAYS} days)`, 'from');
  return { from, to };
}

/** The period just before `r`, of the same length. */
export function previousRange(r: Range): Range {
  const len = r.to.getTime() - r.from.getTime();
  return { from: new Date(r.from.getTime() - len), to: r.from };
}

export const daysBefore = (d: Date, days: number): Date => new Date(d.getTime() - days * DAY_MS);

/**
 * Resolves the scope the arguments name (a store, a region, or HQ when both are omitted; both at once is
 * BAD_USER_INPUT; an unknown one NOT_FOUND) and authorizes it (FORBIDDEN outside the manager's scope).
 */
export async function resolveScope(ctx: RequestContext, org: OrgService, args: { regionId?: number | null; storeId?: number | null }): Promise<Scope> {
  if (args.regionId != null && args.storeId != null) throw badInput('Give a store or a region, not both', 'regionId');
  let target: Target = { kind: 'HQ' };
  if (args.storeId != null) target = await org.storeTarget(args.storeId);
  else if (args.regionId != null) target = { kind: 'REGION', regionId: (await org.regionExists(args.regionId)).id };
  await authorize(ctx, 'analytics.read', target);
  const storeIds = target.kind === 'HQ' ? null : target.kind === 'STORE' ? [target.storeId] : (await org.stores(target.regionId)).map((s) => s.id);
  return { target, storeIds };
}

/** `expr IN (…)` for the scope's stores, with its parameters; always true at HQ, always false for a region without stores. */
export function inScope(scope: Scope, expr: string): { sql: string; params: number[] } {
  if (scope.storeIds === null) return { sql: '1 = 1', params: [] };
  if (scope.storeIds.length === 0) return { sql: '1 = 0', params: [] };
  return { sql: `${expr} IN (${scope.storeIds.map(() => '?').join(', ')})`, params: scope.storeIds };
}

/**
 * SQL for a member's store (home store, else first purchase's store), given the member id column; needs
 * `LEFT JOIN member_profile mp ON mp.member_id = <memberId>`. Served by purchase_member_time_idx.
 */
export const memberStoreSql = (memberId: string): string =>
  `COALESCE(mp.home_store_id, (SELECT fp.store_id FROM purchase fp WHERE fp.member_id = ${memberId} ORDER BY fp.created_at, fp.id LIMIT 1))`;

/** A filter on the scope's members, for a query with a member id column (and `mp` joined when scoped). */
export function membersInScope(scope: Scope, memberId: string): { join: string; sql: string; params: number[] } {
  if (scope.storeIds === null) return { join: '', sql: '1 = 1', params: [] };
  const f = inScope(scope, memberStoreSql(memberId));
  return { join: `LEFT JOIN member_profile mp ON mp.member_id = ${memberId}`, ...f };
}

/** The scope's members as a join on a member id column: its SQL and the parameters at the join's place. */
export type MemberJoin = (memberId: string) => { join: string; params: number[] };

/**
 * The scope's members as a join, for queries that start from members (lifecycle facts, RFM, liability): a derived
 * table of member ids — home store in scope, or no home store and a first purchase at a store in scope — joined on
 * `memberId`, so a store's query reads that store's members through the home-store and (store, time) indexes instead
 * of evaluating every member's store. Same members as {@link membersInScope}. Its parameters come where the join
 * sits in the SQL text. At HQ: no join.
 */
export function scopeMembersJoin(scope: Scope, memberId: string): { join: string; params: number[] } {
  if (scope.storeIds === null) return { join: '', params: [] };
  if (scope.storeIds.length === 0) return { join: `JOIN member_profile sm ON 1 = 0 AND sm.member_id = ${memberId}`, params: [] };
  const list = scope.storeIds.map(() => '?').join(', ');
  return {
    join: `JOIN (
      SELECT hm.member_id FROM member_profile hm WHERE hm.home_store_id IN (${list})
      UNION
      SELECT fp0.member_id FROM purchase fp0 LEFT JOIN member_profile hp ON hp.member_id = fp0.member_id
      WHERE fp0.store_id IN (${list}) AND hp.home_store_id IS NULL
        AND fp0.id = (SELECT fp.id FROM purchase fp WHERE fp.member_id = fp0.member_id ORDER BY fp.created_at, fp.id LIMIT 1)
    ) sm ON sm.member_id = ${memberId}`,
    params: [...scope.storeIds, ...scope.storeIds],
  };
}

/** Timestamp parameters for a range in the dialect's storage. */
export const ts = (q: Q, ...dates: Date[]): (Date | number)[] => dates.map((d) => q.ts(d));
