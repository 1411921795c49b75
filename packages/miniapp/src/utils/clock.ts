/**
 * The mini-program's one clock: countdowns, deadlines, code rotation and previews read the time here, so tests can
 * set it (`clock.set`) instead of depending on the day they run.
 */
type Source = () => number;

const real: Source = () => Date.now();
let source: Source = real;

export const clock = {
  /** The current time in epoch milliseconds. */
  ms(): number {
    return source();
  },
  /** The current time. */
  now(): Date {
    return new Date(source());
  },
  /** Freezes the clock at `at` (tests). */
  set(at: Date | number): void {
    const fixed = typeof at === 'number' ? at : at.getTime();
    source = () => fixed;
  },
  /** Back to the device clock. */
  reset(): void {
    source = real;
  },
};
