/**
 * Which reads may go to a read replica (DATABASE_REPLICA_URL), in one place. `services.reports` is the handle; the
 * services wired to it in src/services.ts are exactly the ones listed here, and the README ("Production: scaling
 * out") says the same per screen.
 *
 * A replica applies the primary's binlog a little later (normally well under a second, seconds under load, more while
 * it catches up after a restart). So only reads that are aggregates over time ranges, shown to a manager, and never
 * followed by a write in the same request go there:
 *
 * | reads                                                              | handle    | lag it tolerates            |
 * | ------------------------------------------------------------------ | --------- | --------------------------- |
 * | analytics: KPIs, customer inventory, declining members, RFM, radar | replica   | seconds (a dashboard)       |
 * | reward report, club report, rating by store / by staff             | replica   | seconds                     |
 * | referral report, campaign report (treated vs holdout)              | replica   | seconds                     |
 * | member: `me`, ledger, orders, redemptions, coupons                 | primary   | none: read-your-writes      |
 * | till, payments, refunds, redemptions, adjustments, jobs            | primary   | none: transactional         |
 * | console member page (profile, ledger, redemptions, clubs)          | primary   | none: the manager adjusts   |
 * | console lists acted on: ratings to follow up, pay orders, approvals| primary   | none: the next click writes |
 * | campaign audience (segment count and the sender's lifecycle stage) | primary   | none: recipients are written|
 * | settings and caches (analytics settings, rules, tiers, org)        | primary   | none: a manager's own change|
 *
 * Without DATABASE_REPLICA_URL the handle is the primary `Db` itself: nothing changes.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from '../config';
import { Db } from './sql';

/** The handle for replica-tolerant reads: a replica `Db` when replicas are configured, else `primary`. */
export function reportsDb(orm: MikroORM, database: Config['database'], primary: Db): Db {
  return database.kind !== 'sqlite' && database.replicaUrls?.length ? new Db(orm, 'replica') : primary;
}

/** Appended to the GraphQL descriptions of the queries served by `reports`. */
export const REPLICA_LAG_DOC = 'Served by a read replica when DATABASE_REPLICA_URL is set: may trail the till by seconds.';
