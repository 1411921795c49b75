/**
 * Member lifecycle (F10, seed 002: 新顾客, 发展顾客, 成熟顾客, 衰退顾客, 流失顾客) from a member's purchase history.
 *
 * The classifier takes per-member aggregates ({@link LifecycleFacts}) rather than raw rows, so the server can
 * compute them with one GROUP BY (and, at scale, read them from a summary table) and the same rule decides.
 * {@link lifecycleFacts} builds them from raw purchases for tests and small histories.
 *
 * Stages, checked in this order (the first that holds wins):
 * 1. LOST — no purchase for more than `lostAfterDays` (default 180), or none at all since joining more than
 *    `lostAfterDays` ago.
 * 2. NEW — joined within the last `newDays` (default 90): too early to judge a trend.
 * 3. DECLINING — any of: no purchase for more than `quietDays` (60); visits in the recent window (the last
 *    `windowDays`, 90) at most `dropRatio` (50 %) of those in the window before, which had at least
 *    `minBaselineVisits` (2); spend in the recent window at most `dropRatio` of the window before's (which had
 *    spend > 0 and at least `minBaselineVisits` visits); never bought anything since joining. The reason
 *    names each that holds. Seed 000's gym member — a ¥4,000 card, one visit, then nothing — is DECLINING.
 * 4. MATURE — a member for at least `matureMinDays` (180) with at least `matureMinVisits` (6) visits in the
 *    last 365 days.
 * 5. DEVELOPING — everyone else: active, past the first weeks, not yet a regular.
 *
 * A visit is a purchase with a positive amount; refunds (negative rows) reduce spend and are not visits.
 */
import { fenToYuan } from './format';

export const LIFECYCLE_STAGES = ['NEW', 'DEVELOPING', 'MATURE', 'DECLINING', 'LOST'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export interface LifecycleThresholds {
  /** A member who joined within this many days is NEW. */
  newDays: number;
  /** No purchase for more than this many days: LOST. */
  lostAfterDays: number;
  /** No purchase for more than this many days (but not lost): DECLINING. */
  quietDays: number;
  /** The trend compares the last `windowDays` with the `windowDays` before them. */
  windowDays: number;
  /** Recent visits (or spend) at most this share of the previous window's: DECLINING. */
  dropRatio: number;
  /** The previous window needs at least this many visits for a visit or spend drop to count. */
  minBaselineVisits: number;
  /** MATURE needs this much tenure (days) … */
  matureMinDays: number;
  /** … and this many visits in the last 365 days. */
  matureMinVisits: number;
}

export const DEFAULT_LIFECYCLE_THRESHOLDS: LifecycleThresholds = {
  newDays: 90,
  lostAfterDays: 180,
  quietDays: 60,
  windowDays: 90,
  dropRatio: 0.5,
  minBaselineVisits: 2,
  matureMinDays: 180,
  matureMinVisits: 6,
};

/** Throws RangeError unless the thresholds are coherent (positive, quiet < lost, a ratio in [0, 1)). */
export function validateLifecycleThresholds(t: LifecycleThresholds): void {
  const ints: (keyof LifecycleThresholds)[] = ['newDays', 'lostAfterDays', 'quietDays', 'windowDays', 'minBaselineVisits', 'matureMinDays', 'matureMinVisits'];
  for (const k of ints) if (!Number.isInteger(t[k]) || t[k] < 1 || t[k] > 3650) throw new RangeError(`${k} must be an integer 1–3650`);
  if (t.quietDays >= t.lostAfterDays) throw new RangeError('quietDays must be less than lostAfterDays');
  if (!(t.dropRatio >= 0 && t.dropRatio < 1)) throw new RangeError('dropRatio must be in [0, 1)');
}

/** What the classifier needs to know about one member at `now`. */
export interface LifecycleFacts {
  joinedAt: Date;
  /** The latest visit at or before `now`; null when none. */
  lastPurchaseAt: Date | null;
  /** Visits and net spend (fen) in (now − windowDays, now]. */
  visitsRecent: number;
  spendRecentFen: number;
  /** Visits and net spend in (now − 2·windowDays, now − windowDays]. */
  visitsPrevious: number;
  spendPreviousFen: number;
  /** Visits in (now − 365 days, now]. */
  visitsYear: number;
}

export type DeclineReason = 'QUIET' | 'VISITS_DROP' | 'SPEND_DROP' | 'NEVER_BOUGHT';

export interface LifecycleResult {
  stage: LifecycleStage;
  /** DECLINING only: what triggered it, in order. */
  reasons: DeclineReason[];
  /** DECLINING only: the reasons in plain Chinese for the manager, e.g. `已 110 天未消费；近 90 天到店 0 次（此前 90 天 2 次）`. */
  reason: string | null;
}

const DAY_MS = 86_400_000;

/** Whole days from `a` to `b` (floored). */
const daysBetween = (a: Date, b: Date): number => Math.floor((b.getTime() - a.getTime()) / DAY_MS);

/** Classifies one member at `now` (see the module comment for the rules). */
export function classifyLifecycle(f: LifecycleFacts, now: Date, t: LifecycleThresholds = DEFAULT_LIFECYCLE_THRESHOLDS): LifecycleResult {
  const tenure = (now.getTime() - f.joinedAt.getTime()) / DAY_MS;
  const idle = f.lastPurchaseAt === null ? null : (now.getTime() - f.lastPurchaseAt.getTime()) / DAY_MS;
  const plain = (stage: LifecycleStage): LifecycleResult => ({ stage, reasons: [], reason: null });
  if (idle !== null ? idle > t.lostAfterDays : tenure > t.lostAfterDays) return plain('LOST');
  if (tenure <= t.newDays) return plain('NEW');

  const reasons: DeclineReason[] = [];
  const text: string[] = [];
  if (idle === null) {
    reasons.push('NEVER_BOUGHT');
    text.push(`入会 ${Math.floor(tenure)} 天从未消费`);
  } else if (idle > t.quietDays) {
    reasons.push('QUIET');
    text.push(`已 ${daysBetween(f.lastPurchaseAt as Date, now)} 天未消费`);
  }
  const baseline = f.visitsPrevious >= t.minBaselineVisits;
  if (baseline && f.visitsRecent <= f.visitsPrevious * t.dropRatio) {
    reasons.push('VISITS_DROP');
    text.push(`近 ${t.windowDays} 天到店 ${f.visitsRecent} 次（此前 ${t.windowDays} 天 ${f.visitsPrevious} 次）`);
  }
  if (baseline && f.spendPreviousFen > 0 && f.spendRecentFen <= f.spendPreviousFen * t.dropRatio) {
    reasons.push('SPEND_DROP');
    text.push(`近 ${t.windowDays} 天消费 ¥${fenToYuan(Math.max(0, f.spendRecentFen))}（此前 ¥${fenToYuan(f.spendPreviousFen)}）`);
  }
  if (reasons.length > 0) return { stage: 'DECLINING', reasons, reason: text.join('；') };
  if (tenure >= t.matureMinDays && f.visitsYear >= t.matureMinVisits) return plain('MATURE');
  return plain('DEVELOPING');
}

export interface PurchasePoint {
  at: Date;
  /** Net amount in fen: positive for a purchase (a visit), negative for a refund. */
  amountFen: number;
}

/** Aggregates a raw purchase history into {@link LifecycleFacts} at `now` (rows after `now` are ignored). */
export function lifecycleFacts(joinedAt: Date, history: readonly PurchasePoint[], now: Date, t: LifecycleThresholds = DEFAULT_LIFECYCLE_THRESHOLDS): LifecycleFacts {
  const n = now.getTime();
  const w = t.windowDays * DAY_MS;
  const f: LifecycleFacts = { joinedAt, lastPurchaseAt: null, visitsRecent: 0, spendRecentFen: 0, visitsPrevious: 0, spendPreviousFen: 0, visitsYear: 0 };
  for (const p of history) {
    const at = p.at.getTime();
    if (at > n) continue;
    const visit = p.amountFen > 0 ? 1 : 0;
    if (visit && (f.lastPurchaseAt === null || at > f.lastPurchaseAt.getTime())) f.lastPurchaseAt = p.at;
    if (at > n - w) {
      f.visitsRecent += visit;
      f.spendRecentFen += p.amountFen;
    } else if (at > n - 2 * w) {
      f.visitsPrevious += visit;
      f.spendPreviousFen += p.amountFen;
    }
    if (at > n - 365 * DAY_MS) f.visitsYear += visit;
  }
  return f;
}
