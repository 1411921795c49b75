/**
 * The API's background jobs, and why each is safe when several API processes run it at once:
 *
 * - `points-expiry` (leased): in batches of members it locks their account rows (`FOR UPDATE SKIP LOCKED`) and
 *   re-reads their due lots under those locks, and each EXPIRE entry is keyed (expiry, lot id), so a concurrent run
 *   finds nothing left (modules/ledger/expiry.service.ts); the lease only spares the second process the scan and the
 *   lock traffic beside the tills.
 * - `payment-recovery` (leased): completing an order is the notification's own idempotent path and closing is a
 *   conditional update; the lease keeps N processes from querying (and closing) every pending order N times at
 *   WeChat Pay.
 * - `reward-jobs` and `club-jobs` (not leased): outbox drains claim rows with `FOR UPDATE SKIP LOCKED` on MariaDB
 *   and push them out by the outbox lease, so processes take different rows and deliver in parallel; each handler
 *   claims its work with a conditional update (a redemption PENDING → PROCESSING, an SMS PENDING → SENDING, an event
 *   PUBLISHED → FINISHED, a reminder's `reminded_at`). SMS goes out through the same drain.
 * - `outbox-retention` (leased): deletes re-check their condition by primary key, so a second run deletes nothing;
 *   the lease spares the scan.
 * - `birthday-bonus` (leased): each member's bonus claims `member_profile.birthday_bonus_month` by a conditional update
 *   in the credit's transaction and the credit is keyed (birthday_bonus, member:month), so a second run pays nothing;
 *   the lease spares the scan (the job itself passes once per Shanghai day).
 * - `campaigns` (not leased): writing a segment advances a cursor only from the value the page started from, and each
 *   treated member is sent by a conditional PENDING → SENT in the offer's transaction, so concurrent senders split the
 *   work and never send twice (modules/campaigns/campaign-sender.ts).
 *
 * - `analytics-summary` (leased): adds the settled Shanghai days to `analytics_day` and advances the watermark in one
 *   transaction, conditional on the watermark it read, so a second process writes nothing (analytics-summary.ts); then
 *   the same for each store's figures, `analytics_store_day` (store-day-summary.ts), and the chain's first visits per
 *   day, `analytics_visit_day` (visit-summary.ts), each from its own watermark; then HQ's RFM report for each fixed
 *   window ending at the last settled midnight, once (`analytics_rfm_snapshot`, a duplicate key ignored: rfm-snapshot.ts).
 *
 * libsql (the embedded demo) is one process: the same code runs, and its single writer serialises the claims.
 */
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { JobLeases } from './leases';
import { JobScheduler } from './scheduler';

export { JobLeases, leaseHolderId } from './leases';
export { JobScheduler, RUN_LEASE_MS, type JobSpec, type TickOutcome } from './scheduler';

export const JOB_NAMES = ['points-expiry', 'payment-recovery', 'reward-jobs', 'club-jobs', 'outbox-retention', 'birthday-bonus', 'campaigns', 'analytics-summary', 'lifecycle-summary'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** The scheduler with every in-process job of this configuration (timers start with `start()`). */
export function createJobs(services: Services, config: Config, log: Logger): JobScheduler {
  const jobs = new JobScheduler(new JobLeases(services.db), log);
  jobs.add({
    name: 'points-expiry',
    everyMs: config.expiryIntervalMinutes * 60_000,
    leased: true,
    run: () => services.ledger.expireDue(),
    report: (r, l) => r.lots > 0 && l.info(r, 'points expired'),
  });
  if (services.payments.enabled) {
    jobs.add({
      name: 'payment-recovery',
      everyMs: config.pay.recoveryIntervalSeconds * 1000,
      leased: true,
      run: () => services.payments.recover(),
      report: (r, l) => (r.completed > 0 || r.closed > 0) && l.info(r, 'payment recovery'),
    });
  }
  jobs.add({
    name: 'reward-jobs',
    everyMs: config.rewards.jobsIntervalSeconds * 1000,
    leased: false,
    run: () => services.fulfilment.runJobs(),
    report: (r, l) => r.dead > 0 && l.warn(r, 'reward jobs'),
  });
  jobs.add({
    name: 'club-jobs',
    everyMs: config.clubJobsIntervalSeconds * 1000,
    leased: false,
    run: () => services.events.runJobs(),
    report: (r, l) => (r.finished > 0 || r.reminded > 0 || r.delivery.done + r.delivery.retried + r.delivery.dead > 0) && l.info(r, 'club jobs'),
  });
  jobs.add({
    name: 'outbox-retention',
    everyMs: config.outbox.retentionIntervalMinutes * 60_000,
    leased: true,
    run: () => services.outboxRetention.purge(),
  });
  jobs.add({
    name: 'birthday-bonus',
    everyMs: config.birthdayBonusIntervalMinutes * 60_000,
    leased: true,
    run: () => services.birthdayBonus.tick(),
  });
  jobs.add({
    name: 'campaigns',
    everyMs: config.campaigns.jobsIntervalSeconds * 1000,
    leased: false,
    run: () => services.campaignSender.run(),
  });
  jobs.add({
    name: 'analytics-summary',
    everyMs: config.analytics.summaryIntervalMinutes * 60_000,
    leased: true,
    // The chain's per-day figures, each store's, then the chain's first visits per day, each from its own watermark;
    // then HQ's RFM snapshots of the windows ending at the last settled midnight (once a day).
    run: async () => ({
      days: await services.analyticsSummary.refresh(),
      stores: await services.storeDaySummary.refresh(),
      visits: await services.visitSummary.refresh(),
      rfm: await services.rfmSnapshots.refresh(),
    }),
    report: (r, l) => (r.days.days > 0 || r.stores.days > 0 || r.visits.days > 0 || r.rfm.written > 0) && l.info(r, 'analytics summary'),
  });
  jobs.add({
    name: 'lifecycle-summary',
    everyMs: config.analytics.summaryIntervalMinutes * 60_000,
    leased: true,
    run: () => services.lifecycleSummary.refresh(),
    report: (r, l) => r.members > 0 && l.info(r, 'lifecycle summary'),
  });
  return jobs;
}
