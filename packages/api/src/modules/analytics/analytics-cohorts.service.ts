/**
 * Cohort retention (F10, issue #15 item 5): the scope's members who signed up in [from, to), grouped by the Shanghai
 * month of sign-up, and for each cohort the members with a purchase (a positive amount, at any store) in the sign-up
 * month and each of the 11 months after it. A member figure (analytics-scope.ts): the cohort is the scope's members
 * (home store, else first purchase's store); their purchases count wherever they happened — retention is the member's
 * return to the brand. The grid, its month arithmetic and the rates are the shared rule (`cohortGrid`).
 *
 * Two aggregate queries: cohort sizes (member by created_at) and distinct buyers per (cohort, month) (purchase by
 * member, served by purchase_member_time_idx). The month of a timestamp is a CASE over the months' end instants,
 * computed here, so both dialects bucket by Beijing time without date functions.
 */
import { COHORT_OFFSETS, addMonthsToMonth, cohortGrid, shanghaiMonthStart, shanghaiMonthsIn, type Cohort } from '@quanzi/shared';
import { clock } from '../../clock';
import type { RequestContext } from '../../context';
import { toInt, type Db, type Q } from '../../db/sql';
import type { OrgService } from '../org/org.service';
import { checkRange, membersInScope, resolveScope, ts, type Scope } from './analytics-scope';

export interface CohortArgs {
  from: Date;
  to: Date;
  regionId?: number | null;
  storeId?: number | null;
}

export interface CohortReport {
  scope: Scope;
  from: Date;
  to: Date;
  cohorts: Cohort[];
}

/** `CASE WHEN col < end0 THEN 0 WHEN col < end1 THEN 1 … END`: the index of the month `col` falls in (null past the last). */
function monthIndexSql(q: Q, col: string, months: string[]): { sql: string; params: (Date | number)[] } {
  const ends = months.map((m) => shanghaiMonthStart(addMonthsToMonth(m, 1)));
  return { sql: `CASE ${ends.map((_, i) => `WHEN ${col} < ? THEN ${i}`).join(' ')} END`, params: ts(q, ...ends) };
}

export class AnalyticsCohortService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
  ) {}

  async retention(ctx: RequestContext, args: CohortArgs): Promise<CohortReport> {
    const range = checkRange(args.from, args.to);
    const scope = await resolveScope(ctx, this.org, args);
    const now = clock.now();
    const q = this.db.q;
    const cohortMonths = shanghaiMonthsIn(range.from, range.to);
    // Every month a cell can observe: the cohorts' months and the COHORT_OFFSETS − 1 after the last.
    const months = [...cohortMonths];
    for (let i = 1; i < COHORT_OFFSETS; i++) months.push(addMonthsToMonth(cohortMonths[cohortMonths.length - 1]!, i));
    const index = (col: string) => monthIndexSql(q, col, months);
    const mem = membersInScope(scope, 'm.id');

    const c = index('m.created_at');
    const sizeRows = await q.all<{ c: unknown; n: unknown }>(
      `SELECT x.c AS c, COUNT(*) AS n FROM (
         SELECT ${c.sql} AS c FROM member m ${mem.join} WHERE m.created_at >= ? AND m.created_at < ? AND ${mem.sql}
       ) x GROUP BY x.c`,
      [...c.params, ...ts(q, range.from, range.to), ...mem.params],
    );
    const sizes = new Map(sizeRows.map((r) => [months[toInt(r.c)]!, toInt(r.n)]));

    // Purchases from the first cohort month's start to the end of the last observable month (never past now).
    const end = shanghaiMonthStart(addMonthsToMonth(months[months.length - 1]!, 1));
    const until = now.getTime() < end.getTime() ? now : end;
    const k = index('p.created_at');
    const activeRows = await q.all<{ c: unknown; k: unknown; n: unknown }>(
      `SELECT x.c AS c, x.k AS k, COUNT(DISTINCT x.member_id) AS n FROM (
         SELECT ${c.sql} AS c, ${k.sql} AS k, m.id AS member_id
         FROM member m JOIN purchase p ON p.member_id = m.id ${mem.join}
         WHERE m.created_at >= ? AND m.created_at < ? AND p.amount_fen > 0 AND p.created_at >= ? AND p.created_at < ? AND ${mem.sql}
       ) x WHERE x.k >= x.c AND x.k < x.c + ${COHORT_OFFSETS} GROUP BY x.c, x.k`,
      [...c.params, ...k.params, ...ts(q, range.from, range.to, shanghaiMonthStart(months[0]!), until), ...mem.params],
    );
    const actives = new Map(activeRows.map((r) => [`${months[toInt(r.c)]}|${months[toInt(r.k)]}`, toInt(r.n)]));

    const cohorts = cohortGrid(cohortMonths, (m) => sizes.get(m) ?? 0, (m, month) => actives.get(`${m}|${month}`) ?? 0, now);
    return { scope, from: range.from, to: range.to, cohorts };
  }
}
