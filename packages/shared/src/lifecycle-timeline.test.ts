import { classifyLifecycle, DEFAULT_LIFECYCLE_THRESHOLDS, lifecycleFacts, type LifecycleThresholds, type PurchasePoint } from './lifecycle';
import { decodeTimeline, encodeTimeline, lifecycleTimeline, stageAt } from './lifecycle-timeline';
import { prng } from './prng';

const JOIN = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;
const day = (n: number, ms = 0): number => JOIN + n * DAY + ms;
const buy = (n: number, amountFen: number): PurchasePoint => ({ at: new Date(day(n)), amountFen });

describe('lifecycleTimeline', () => {
  it("seed 000's gym (a ¥4,000 card on day 0, one ¥20 visit on day 10, nothing after), by hand", () => {
    const tl = lifecycleTimeline(new Date(JOIN), [buy(0, 400_000), buy(10, 2_000)]);
    expect(tl).toEqual([
      // NEW while tenure ≤ 90 days (day 90 inclusive).
      { at: day(0), stage: 'NEW' },
      // Then quiet (70 days idle > 60) and the spend/visit drop: DECLINING from 90 days and 1 ms.
      { at: day(90, 1), stage: 'DECLINING' },
      // Idle > 180 days after the last visit (day 10): LOST from day 190 and 1 ms, for good.
      { at: day(190, 1), stage: 'LOST' },
    ]);
    expect(stageAt(tl, day(-1))).toBeNull();
    expect(stageAt(tl, day(90))).toBe('NEW');
    expect(stageAt(tl, day(150))).toBe('DECLINING');
    expect(stageAt(tl, day(190))).toBe('DECLINING');
    expect(stageAt(tl, day(190, 1))).toBe('LOST');
  });

  it('a member who never buys: NEW, DECLINING (never bought) after 90 days, LOST after 180', () => {
    expect(lifecycleTimeline(new Date(JOIN), [])).toEqual([
      { at: day(0), stage: 'NEW' },
      { at: day(90, 1), stage: 'DECLINING' },
      { at: day(180, 1), stage: 'LOST' },
    ]);
  });

  it('a regular (a ¥100 visit every 14 days) becomes MATURE at 180 days of tenure and stays', () => {
    const history = Array.from({ length: 60 }, (_, i) => buy(i * 14, 10_000));
    const tl = lifecycleTimeline(new Date(JOIN), history);
    // Hand: NEW to day 90; DEVELOPING (not yet 180 days a member); MATURE from day 180 (≥ 6 visits in the year).
    expect(tl.slice(0, 3)).toEqual([
      { at: day(0), stage: 'NEW' },
      { at: day(90, 1), stage: 'DEVELOPING' },
      { at: day(180), stage: 'MATURE' },
    ]);
    // The last visit is on day 826. On day 874 the day-784 visit moves to the previous window: 3 visits in
    // (784, 874] against 7 in (694, 784] is a drop to at most half → DECLINING; lost 180 days after the last visit.
    expect(tl.slice(3)).toEqual([
      { at: day(874), stage: 'DECLINING' },
      { at: day(826 + 180, 1), stage: 'LOST' },
    ]);
  });

  it('equals the classifier at every instant, for random histories and thresholds (incl. refunds and ties)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = prng(seed);
      const t: LifecycleThresholds =
        seed % 3 === 0
          ? { newDays: 30, lostAfterDays: 120, quietDays: 45, windowDays: 60, dropRatio: 0.4, minBaselineVisits: 1, matureMinDays: 90, matureMinVisits: 3 }
          : DEFAULT_LIFECYCLE_THRESHOLDS;
      const n = Math.floor(rnd() * 12);
      const history: PurchasePoint[] = [];
      for (let i = 0; i < n; i++) {
        // Whole days (marks of different purchases coincide) or anywhere in a day.
        const at = day(Math.floor(rnd() * 700), seed % 2 === 0 ? 0 : Math.floor(rnd() * DAY));
        const amountFen = rnd() < 0.15 ? -Math.floor(rnd() * 5_000) : 100 + Math.floor(rnd() * 50_000);
        history.push({ at: new Date(at), amountFen });
      }
      const tl = lifecycleTimeline(new Date(JOIN), history, t);
      for (let k = 1; k < tl.length; k++) expect(tl[k]!.stage).not.toBe(tl[k - 1]!.stage);
      // Every change instant, a millisecond either side, and random instants over ~3 years.
      const probes = tl.flatMap((c) => [c.at - 1, c.at, c.at + 1]);
      for (let i = 0; i < 60; i++) probes.push(day(Math.floor(rnd() * 1_100), Math.floor(rnd() * DAY)));
      for (const at of probes) {
        if (at < JOIN) continue;
        const now = new Date(at);
        const want = classifyLifecycle(lifecycleFacts(new Date(JOIN), history, now, t), now, t).stage;
        if (stageAt(tl, at) !== want) throw new Error(`seed ${seed} at ${now.toISOString()}: timeline ${stageAt(tl, at)}, classifier ${want}`);
      }
    }
  });

  it('encodes compactly and decodes to the same changes; refuses what it did not write', () => {
    const tl = lifecycleTimeline(new Date(JOIN), [buy(0, 400_000), buy(10, 2_000)]);
    const text = encodeTimeline(tl);
    expect(text).toMatch(/^[0-9a-z]+N,[0-9a-z]+C,[0-9a-z]+L$/);
    expect(decodeTimeline(text)).toEqual(tl);
    expect(decodeTimeline('')).toEqual([]);
    expect(() => decodeTimeline('12X')).toThrow(RangeError);
    expect(() => decodeTimeline('-1N')).toThrow(RangeError);
  });
});
