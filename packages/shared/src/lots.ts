/**
 * FIFO lot allocation (PRODUCT F3): a debit consumes the points lots that expire first.
 */
export interface LotBalance { id: string; remaining: number; expiresAt: Date }
export interface LotTake { lotId: string; points: number }

/**
 * Take `points` from the live lots (expiresAt > now, remaining > 0), oldest expiry first, ties by id
 * (numeric-aware). Returns null when the live lots do not cover `points`. `points` must be a positive integer
 * (RangeError otherwise). The input array and lots are not modified.
 */
export function allocateFifo(lots: LotBalance[], points: number, now: Date): LotTake[] | null {
  if (!Number.isSafeInteger(points) || points <= 0) throw new RangeError('points must be a positive integer');
  const nowMs = now.getTime();
  const live = lots
    .filter((l) => l.remaining > 0 && l.expiresAt.getTime() > nowMs)
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || compareIds(a.id, b.id));
  const takes: LotTake[] = [];
  let left = points;
  for (const lot of live) {
    if (left <= 0) break;
    const take = Math.min(lot.remaining, left);
    takes.push({ lotId: lot.id, points: take });
    left -= take;
  }
  return left > 0 ? null : takes;
}

/**
 * Numeric-aware id order without Intl (not every mini-program engine has full `localeCompare` options):
 * runs of digits compare by value ("9" < "10", leading zeros ignored, any length), other text by code unit.
 */
function compareIds(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  const n = Math.min(ra.length, rb.length);
  for (let i = 0; i < n; i++) {
    const x = ra[i] as string;
    const y = rb[i] as string;
    const xd = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const yd = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    let c: number;
    if (xd && yd) {
      const xs = x.replace(/^0+/, '');
      const ys = y.replace(/^0+/, '');
      c = xs.length - ys.length || (xs < ys ? -1 : xs > ys ? 1 : 0);
    } else {
      c = x < y ? -1 : x > y ? 1 : 0;
    }
    if (c !== 0) return c;
  }
  return ra.length - rb.length || (a < b ? -1 : a > b ? 1 : 0);
}
