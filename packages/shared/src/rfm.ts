/**
 * RFM segmentation (F10, seed 003: members by how recently, how often and how much they buy; the 80/20 rule).
 *
 * Each scored member gets a recency, frequency and monetary score 1–5 by quintile within the group scored
 * (a manager's scope). Scores are percentile ranks: score = 1 + ⌊5 × (members with a strictly worse value) / n⌋,
 * so equal values always share a score (ties never depend on row order or ids) and the best value gets the
 * highest score. For recency "better" is a later last purchase; for frequency and monetary, more.
 */

export interface RfmInput {
  memberId: number;
  /** The last visit (epoch ms or Date): later is better. */
  lastPurchaseAt: Date;
  /** Visits in the window. */
  frequency: number;
  /** Net spend in the window (fen). */
  monetaryFen: number;
}

export interface RfmScore extends RfmInput {
  r: number;
  f: number;
  m: number;
}

/** Quintile scores 1–5 for `values` (higher value → higher score; equal values → equal scores), by percentile rank. */
export function quintileScores(values: readonly number[]): number[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  // below(v) = how many values are strictly less than v: the first index of v in the sorted list.
  const below = (v: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return values.map((v) => 1 + Math.floor((5 * below(v)) / n));
}

/** Scores every member (see the module comment). The input order is kept. */
export function scoreRfm(members: readonly RfmInput[]): RfmScore[] {
  const r = quintileScores(members.map((m) => m.lastPurchaseAt.getTime()));
  const f = quintileScores(members.map((m) => m.frequency));
  const m = quintileScores(members.map((x) => x.monetaryFen));
  return members.map((x, i) => ({ ...x, r: r[i] as number, f: f[i] as number, m: m[i] as number }));
}

export interface RfmCell {
  /** Recency score 1–5 (5 = bought most recently). */
  r: number;
  /** Frequency score 1–5 (5 = most visits). */
  f: number;
  members: number;
  spendFen: number;
}

/** The 5 × 5 recency × frequency grid: all 25 cells (empty ones with zeros), r then f ascending. */
export function rfmGrid(scores: readonly RfmScore[]): RfmCell[] {
  const cells: RfmCell[] = [];
  for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) cells.push({ r, f, members: 0, spendFen: 0 });
  for (const s of scores) {
    const c = cells[(s.r - 1) * 5 + (s.f - 1)] as RfmCell;
    c.members += 1;
    c.spendFen += s.monetaryFen;
  }
  return cells;
}

/**
 * The share of total spend that the top `share` (default 20 %) of members by spend account for (seed 003's
 * 80/20). The top group is ⌈share × n⌉ members (at least one); ties do not change the sum. Null when there is
 * no positive total spend.
 */
export function topSpendShare(spendsFen: readonly number[], share = 0.2): number | null {
  const total = spendsFen.reduce((s, v) => s + v, 0);
  if (spendsFen.length === 0 || total <= 0) return null;
  const k = Math.max(1, Math.ceil(share * spendsFen.length - 1e-9));
  const top = [...spendsFen].sort((a, b) => b - a).slice(0, k).reduce((s, v) => s + v, 0);
  return top / total;
}

/**
 * The RFM windows a manager picks from (days, each ending at the last Asia/Shanghai midnight: whole days up to
 * yesterday). The analytics job keeps HQ's report for each as a daily snapshot (the API's rfm-snapshot.ts); any other
 * range or scope is computed live.
 */
export const RFM_WINDOW_DAYS = [30, 90, 365] as const;
export type RfmWindowDays = (typeof RFM_WINDOW_DAYS)[number];
