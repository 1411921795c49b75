/**
 * A member's lifecycle stage over time (F10 at chain scale, issue #15 item 7): the instants at which
 * {@link classifyLifecycle} would give a different answer, computed once from the member's history instead of
 * classifying every member at every point a report asks about.
 *
 * The classifier's inputs change only at known instants: joining; each purchase or refund (it enters the recent
 * window), `windowDays` later (it moves to the previous window), `2·windowDays` later (it leaves the trend) and
 * 365 days later (it leaves the year); each visit's `quietDays` and `lostAfterDays` marks; and the tenure marks
 * (`newDays`, `matureMinDays`, `lostAfterDays` after joining). Between two consecutive instants every fact — and
 * every comparison of tenure or idleness with a threshold — is constant, so the stage is too. The timeline is the
 * stage at each instant, with repeats dropped: the stage at any `t` ≥ joining is the one of the last change at or
 * before `t`. The comparisons that are strict in the classifier (`idle > quietDays`, `tenure > newDays`, …) take
 * effect one millisecond after the mark.
 */
import { classifyLifecycle, lifecycleFacts, DEFAULT_LIFECYCLE_THRESHOLDS, type LifecycleStage, type LifecycleThresholds, type PurchasePoint } from './lifecycle';

const DAY_MS = 86_400_000;

export interface StageChange {
  /** Epoch milliseconds: the stage holds from this instant (inclusive) until the next change. */
  at: number;
  stage: LifecycleStage;
}

/** The member's stage changes from joining on, oldest first (the first is at `joinedAt`); no two in a row are equal. */
export function lifecycleTimeline(joinedAt: Date, history: readonly PurchasePoint[], t: LifecycleThresholds = DEFAULT_LIFECYCLE_THRESHOLDS): StageChange[] {
  const join = joinedAt.getTime();
  const w = t.windowDays * DAY_MS;
  const marks = new Set<number>([join, join + t.newDays * DAY_MS + 1, join + t.matureMinDays * DAY_MS, join + t.lostAfterDays * DAY_MS + 1]);
  for (const p of history) {
    const at = p.at.getTime();
    marks.add(at).add(at + w).add(at + 2 * w).add(at + 365 * DAY_MS);
    if (p.amountFen > 0) marks.add(at + t.quietDays * DAY_MS + 1).add(at + t.lostAfterDays * DAY_MS + 1);
  }
  const sorted = [...marks].filter((m) => m >= join).sort((a, b) => a - b);
  const out: StageChange[] = [];
  for (const at of sorted) {
    const now = new Date(at);
    const stage = classifyLifecycle(lifecycleFacts(joinedAt, history, now, t), now, t).stage;
    if (out.length === 0 || out[out.length - 1]!.stage !== stage) out.push({ at, stage });
  }
  return out;
}

/** The stage at `at` from a timeline; null before the first change (not yet a member). */
export function stageAt(timeline: readonly StageChange[], at: number): LifecycleStage | null {
  let stage: LifecycleStage | null = null;
  for (const c of timeline) {
    if (c.at > at) break;
    stage = c.stage;
  }
  return stage;
}

const CODES: Record<LifecycleStage, string> = { NEW: 'N', DEVELOPING: 'D', MATURE: 'M', DECLINING: 'C', LOST: 'L' };
const STAGE_OF: Record<string, LifecycleStage> = { N: 'NEW', D: 'DEVELOPING', M: 'MATURE', C: 'DECLINING', L: 'LOST' };

/** A compact text form for storage: `<at base 36><stage letter>` per change, comma-separated (e.g. `lx3k9c00N,…`). */
export function encodeTimeline(timeline: readonly StageChange[]): string {
  return timeline.map((c) => `${c.at.toString(36)}${CODES[c.stage]}`).join(',');
}

/** The inverse of {@link encodeTimeline}; throws on anything it did not write. */
export function decodeTimeline(text: string): StageChange[] {
  if (text === '') return [];
  return text.split(',').map((part) => {
    const stage = STAGE_OF[part.slice(-1)];
    const at = parseInt(part.slice(0, -1), 36);
    if (!stage || !Number.isSafeInteger(at) || !/^[0-9a-z]+$/.test(part.slice(0, -1))) throw new RangeError(`Malformed timeline entry ${part}`);
    return { at, stage };
  });
}
