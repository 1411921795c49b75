/**
 * Instant service ratings (PRODUCT F11, seed 003: the counter's rating device). After a till purchase, a WeChat Pay
 * payment, a reward redemption or an event check-in the member may rate the service 1–5 stars with an optional
 * comment, once per operation and within 24 hours of it; a rating of 1–2 is a low rating that alerts the store's
 * managers at once. Pure, so the mini-program shows "open for 3 more hours" and checks the comment with the
 * server's own rules.
 */

/** What can be rated. */
export type RatedOperationKind = 'PURCHASE' | 'PAYMENT' | 'REDEMPTION' | 'CHECKIN';
export const RATED_OPERATION_KINDS: readonly RatedOperationKind[] = ['PURCHASE', 'PAYMENT', 'REDEMPTION', 'CHECKIN'];

/** The member may rate an operation for this long after it happened. */
export const RATING_WINDOW_MS = 24 * 3600_000;
/** The longest comment (characters, as the member sees them: code points). */
export const RATING_COMMENT_MAX = 200;
/** The longest follow-up note a manager writes when resolving a low rating. */
export const RATING_NOTE_MAX = 500;
/**
 * How far an operation's time may lie ahead of the API's clock and still count as having happened: a WeChat Pay
 * payment carries WeChat's `success_time`, whose clock is not ours.
 */
export const RATING_CLOCK_SKEW_MS = 5 * 60_000;
/** Ratings at or below this many stars alert the managers. */
export const LOW_RATING_MAX_STARS = 2;

/** When the window to rate an operation that happened at `operationAt` closes. */
export function ratingClosesAt(operationAt: Date): Date {
  return new Date(operationAt.getTime() + RATING_WINDOW_MS);
}

/**
 * Whether an operation that happened at `operationAt` may still be rated at `now`: open up to and including 24 h
 * after it (and from a few minutes before, for another party's clock running ahead: {@link RATING_CLOCK_SKEW_MS}).
 */
export function ratingOpen(operationAt: Date, now: Date): boolean {
  const age = now.getTime() - operationAt.getTime();
  return age >= -RATING_CLOCK_SKEW_MS && age <= RATING_WINDOW_MS;
}

/** Whether a rating alerts the managers. */
export function isLowRating(stars: number): boolean {
  return stars <= LOW_RATING_MAX_STARS;
}

export type RatingInputProblem = 'STARS' | 'COMMENT_TOO_LONG';

/** Trims a comment and turns an empty one into null (no comment). */
export function normalizeRatingComment(comment: string | null | undefined): string | null {
  const c = (comment ?? '').replace(/\s+/g, ' ').trim();
  return c === '' ? null : c;
}

/** What is wrong with a rating's stars and (normalised) comment, or null when it may be sent. */
export function ratingInputProblem(stars: number, comment: string | null | undefined): RatingInputProblem | null {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) return 'STARS';
  const c = normalizeRatingComment(comment);
  if (c !== null && [...c].length > RATING_COMMENT_MAX) return 'COMMENT_TOO_LONG';
  return null;
}

/** Counts per star (index 0 = 1 star … index 4 = 5 stars) → count, average (2 decimals, null when none) and low count. */
export function summarizeStars(distribution: readonly number[]): { count: number; average: number | null; low: number } {
  let count = 0;
  let sum = 0;
  let low = 0;
  for (let i = 0; i < 5; i++) {
    const n = distribution[i] ?? 0;
    count += n;
    sum += n * (i + 1);
    if (isLowRating(i + 1)) low += n;
  }
  return { count, average: count === 0 ? null : Math.round((sum / count) * 100) / 100, low };
}

/** The operation in plain Chinese for the member's rating sheet and the manager's alert. */
export function ratedOperationLabel(kind: RatedOperationKind): string {
  switch (kind) {
    case 'PURCHASE':
      return '门店消费';
    case 'PAYMENT':
      return '微信支付';
    case 'REDEMPTION':
      return '积分兑换';
    case 'CHECKIN':
      return '活动签到';
  }
}

/** The stars as the member picked them, e.g. ★★☆☆☆. */
export function starsText(stars: number): string {
  const n = Math.max(0, Math.min(5, Math.round(stars)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}

/** The ledger reason of the points a member gets for rating a service (once per operation). */
export function ratingBonusReason(kind: RatedOperationKind): string {
  return `服务评价奖励 · ${ratedOperationLabel(kind)}`;
}
