/**
 * Confidence intervals for campaign evaluation (F9/F10): the uplift of a treated group's response rate over a
 * held-out control group's.
 *
 * Newcombe's hybrid score interval (Newcombe 1998, "method 10") is used rather than the Wald interval: it is
 * built from the two Wilson score intervals, so it stays inside [−1, 1], never collapses to a zero width when a
 * group's rate is 0 or 1, and keeps close to its nominal coverage with the small holdouts (10 % of a segment)
 * that campaigns use, where Wald is known to undercover.
 */

/** The standard normal quantile for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  lower: number;
  upper: number;
}

function checkCounts(successes: number, trials: number): void {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || trials < 1 || successes < 0 || successes > trials) {
    throw new RangeError('need integers 0 ≤ successes ≤ trials, trials ≥ 1');
  }
}

/** Wilson score interval for a proportion successes/trials. */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval {
  checkCounts(successes, trials);
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

export interface Uplift extends Interval {
  treatedRate: number;
  controlRate: number;
  /** treatedRate − controlRate. */
  uplift: number;
}

/**
 * The difference of two response rates (treated − control) with Newcombe's hybrid score interval.
 * Throws RangeError unless both groups have at least one member and 0 ≤ responders ≤ members.
 */
export function upliftInterval(treated: { responders: number; members: number }, control: { responders: number; members: number }, z = Z_95): Uplift {
  const p1 = treated.responders / treated.members;
  const p2 = control.responders / control.members;
  const w1 = wilsonInterval(treated.responders, treated.members, z);
  const w2 = wilsonInterval(control.responders, control.members, z);
  const d = p1 - p2;
  return {
    treatedRate: p1,
    controlRate: p2,
    uplift: d,
    lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}
