/**
 * mulberry32: a tiny, fast, well-distributed 32-bit PRNG for synthetic data and seeded tests — the same seed gives
 * the same sequence, so a generated data set or a failing randomised test replays. Not for secrets.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
