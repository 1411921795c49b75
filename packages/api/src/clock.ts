/**
 * The API's one clock. Every business decision that depends on time (points expiry, deadlines, OTP and
 * voucher validity, limit windows, token lifetimes, jobs) reads it here, never the database's NOW(): the
 * database server's clock is not ours to set, and mixing the two would let a skewed server decide.
 *
 * Production reads the process clock. Tests set it (`clock.set(date)` freezes it, `clock.offset(ms)` moves it
 * relative to the real time so that timers and timeouts keep running) and reset it afterwards.
 */
type Source = () => number;

const real: Source = () => Date.now();
let source: Source = real;

export const clock = {
  /** The current time. */
  now(): Date {
    return new Date(source());
  },
  /** The current time in epoch milliseconds. */
  ms(): number {
    return source();
  },
  /** Freezes the clock at `at` (tests). */
  set(at: Date | number): void {
    const fixed = typeof at === 'number' ? at : at.getTime();
    source = () => fixed;
  },
  /** Runs the clock `ms` ahead of (or behind) the real time (tests). */
  offset(ms: number): void {
    source = () => Date.now() + ms;
  },
  /** Back to the process clock. */
  reset(): void {
    source = real;
  },
};
