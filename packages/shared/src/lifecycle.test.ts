import { classifyLifecycle, DEFAULT_LIFECYCLE_THRESHOLDS, lifecycleFacts, validateLifecycleThresholds, type LifecycleFacts } from './lifecycle';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
/** `n` days before NOW (fractions allowed); `ms` more milliseconds back. */
const ago = (n: number, ms = 0): Date => new Date(NOW.getTime() - n * DAY - ms);

/** A steady member: joined a year ago, 3 visits of ¥100 in each 90-day window, 12 in the year, last 10 days ago. */
const steady = (over: Partial<LifecycleFacts> = {}): LifecycleFacts => ({
  joinedAt: ago(365),
  lastPurchaseAt: ago(10),
  visitsRecent: 3,
  spendRecentFen: 30_000,
  visitsPrevious: 3,
  spendPreviousFen: 30_000,
  visitsYear: 12,
  ...over,
});

describe('classifyLifecycle (default thresholds)', () => {
  it('defaults are as documented', () => {
    expect(DEFAULT_LIFECYCLE_THRESHOLDS).toEqual({ newDays: 90, lostAfterDays: 180, quietDays: 60, windowDays: 90, dropRatio: 0.5, minBaselineVisits: 2, matureMinDays: 180, matureMinVisits: 6 });
  });

  it("seed 000's gym: a ¥4,000 card 120 days ago, one visit (¥20) 110 days ago, nothing since → DECLINING, with the reason", () => {
    const f = lifecycleFacts(ago(120), [{ at: ago(120), amountFen: 400_000 }, { at: ago(110), amountFen: 2_000 }], NOW);
    // Hand: both purchases fall in the previous window (180…90 days ago): 2 visits, ¥4,020; recent window empty.
    expect(f).toEqual({ joinedAt: ago(120), lastPurchaseAt: ago(110), visitsRecent: 0, spendRecentFen: 0, visitsPrevious: 2, spendPreviousFen: 402_000, visitsYear: 2 });
    expect(classifyLifecycle(f, NOW)).toEqual({
      stage: 'DECLINING',
      reasons: ['QUIET', 'VISITS_DROP', 'SPEND_DROP'],
      reason: '已 110 天未消费；近 90 天到店 0 次（此前 90 天 2 次）；近 90 天消费 ¥0.00（此前 ¥4020.00）',
    });
  });

  describe('LOST after 180 days without a purchase', () => {
    it('exactly 180 days idle is not lost yet (DECLINING: quiet)', () => {
      expect(classifyLifecycle(steady({ lastPurchaseAt: ago(180), visitsRecent: 0, spendRecentFen: 0, visitsPrevious: 1, spendPreviousFen: 100 }), NOW).stage).toBe('DECLINING');
    });
    it('180 days and a millisecond is LOST', () => {
      expect(classifyLifecycle(steady({ lastPurchaseAt: ago(180, 1) }), NOW)).toEqual({ stage: 'LOST', reasons: [], reason: null });
    });
    it('never bought, joined 180 days + 1 ms ago → LOST; exactly 180 days → DECLINING (never bought)', () => {
      const none = { lastPurchaseAt: null, visitsRecent: 0, spendRecentFen: 0, visitsPrevious: 0, spendPreviousFen: 0, visitsYear: 0 };
      expect(classifyLifecycle(steady({ ...none, joinedAt: ago(180, 1) }), NOW).stage).toBe('LOST');
      expect(classifyLifecycle(steady({ ...none, joinedAt: ago(180) }), NOW)).toEqual({ stage: 'DECLINING', reasons: ['NEVER_BOUGHT'], reason: '入会 180 天从未消费' });
    });
  });

  describe('NEW within 90 days of joining', () => {
    it('joined exactly 90 days ago → NEW (even without a purchase)', () => {
      expect(classifyLifecycle(steady({ joinedAt: ago(90), lastPurchaseAt: null, visitsRecent: 0, spendRecentFen: 0, visitsPrevious: 0, spendPreviousFen: 0, visitsYear: 0 }), NOW).stage).toBe('NEW');
    });
    it('joined 90 days + 1 ms ago without a purchase → DECLINING (never bought)', () => {
      expect(classifyLifecycle(steady({ joinedAt: ago(90, 1), lastPurchaseAt: null, visitsRecent: 0, spendRecentFen: 0, visitsPrevious: 0, spendPreviousFen: 0, visitsYear: 0 }), NOW).reasons).toEqual(['NEVER_BOUGHT']);
    });
    it('a new member with one purchase 2 days ago → NEW', () => {
      expect(classifyLifecycle(lifecycleFacts(ago(5), [{ at: ago(2), amountFen: 5_000 }], NOW), NOW).stage).toBe('NEW');
    });
  });

  describe('DECLINING', () => {
    it('quiet: 60 days idle is fine, 60 days + 1 ms is not', () => {
      expect(classifyLifecycle(steady({ lastPurchaseAt: ago(60) }), NOW).stage).toBe('MATURE');
      expect(classifyLifecycle(steady({ lastPurchaseAt: ago(60, 1) }), NOW)).toEqual({ stage: 'DECLINING', reasons: ['QUIET'], reason: '已 60 天未消费' });
    });
    it('visits halved (4 → 2) is a drop; 4 → 3 is not', () => {
      expect(classifyLifecycle(steady({ visitsPrevious: 4, visitsRecent: 2 }), NOW)).toEqual({ stage: 'DECLINING', reasons: ['VISITS_DROP'], reason: '近 90 天到店 2 次（此前 90 天 4 次）' });
      expect(classifyLifecycle(steady({ visitsPrevious: 4, visitsRecent: 3 }), NOW).stage).toBe('MATURE');
    });
    it('a baseline of one visit is too thin to call a drop', () => {
      expect(classifyLifecycle(steady({ visitsPrevious: 1, visitsRecent: 0, spendPreviousFen: 90_000, spendRecentFen: 0, lastPurchaseAt: ago(30) }), NOW).stage).toBe('MATURE');
    });
    it('spend halved (¥100 → ¥50) is a drop; ¥50.01 is not', () => {
      expect(classifyLifecycle(steady({ spendPreviousFen: 10_000, spendRecentFen: 5_000 }), NOW)).toEqual({ stage: 'DECLINING', reasons: ['SPEND_DROP'], reason: '近 90 天消费 ¥50.00（此前 ¥100.00）' });
      expect(classifyLifecycle(steady({ spendPreviousFen: 10_000, spendRecentFen: 5_001 }), NOW).stage).toBe('MATURE');
    });
  });

  describe('MATURE vs DEVELOPING', () => {
    it('180 days of tenure and 6 visits in the year → MATURE', () => {
      expect(classifyLifecycle(steady({ joinedAt: ago(180), visitsYear: 6 }), NOW).stage).toBe('MATURE');
    });
    it('5 visits in the year → DEVELOPING', () => {
      expect(classifyLifecycle(steady({ joinedAt: ago(180), visitsYear: 5 }), NOW).stage).toBe('DEVELOPING');
    });
    it('179 days of tenure → DEVELOPING', () => {
      expect(classifyLifecycle(steady({ joinedAt: ago(179), visitsYear: 12 }), NOW).stage).toBe('DEVELOPING');
    });
  });

  it('thresholds are a parameter: a 30-day NEW period makes a 45-day-old member DEVELOPING', () => {
    const f = lifecycleFacts(ago(45), [{ at: ago(40), amountFen: 5_000 }, { at: ago(3), amountFen: 5_000 }], NOW);
    expect(classifyLifecycle(f, NOW).stage).toBe('NEW');
    expect(classifyLifecycle(f, NOW, { ...DEFAULT_LIFECYCLE_THRESHOLDS, newDays: 30 }).stage).toBe('DEVELOPING');
  });
});

describe('lifecycleFacts', () => {
  it('windows are (now − 90 d, now] and (now − 180 d, now − 90 d]; refunds reduce spend, are not visits; the future is ignored', () => {
    const f = lifecycleFacts(ago(400), [
      { at: ago(90), amountFen: 1_000 }, // exactly 90 days ago: previous window
      { at: ago(89.5), amountFen: 2_000 }, // recent
      { at: ago(10), amountFen: -500 }, // a refund: spend only
      { at: ago(180), amountFen: 4_000 }, // exactly 180 days ago: neither window
      { at: ago(300), amountFen: 8_000 }, // in the year only
      { at: ago(366), amountFen: 16_000 }, // older than a year
      { at: new Date(NOW.getTime() + 1), amountFen: 32_000 }, // after now
    ], NOW);
    expect(f).toEqual({ joinedAt: ago(400), lastPurchaseAt: ago(89.5), visitsRecent: 1, spendRecentFen: 1_500, visitsPrevious: 1, spendPreviousFen: 1_000, visitsYear: 4 });
  });
});

describe('validateLifecycleThresholds', () => {
  it('accepts the defaults and refuses incoherent ones', () => {
    expect(() => validateLifecycleThresholds(DEFAULT_LIFECYCLE_THRESHOLDS)).not.toThrow();
    expect(() => validateLifecycleThresholds({ ...DEFAULT_LIFECYCLE_THRESHOLDS, quietDays: 180 })).toThrow(RangeError);
    expect(() => validateLifecycleThresholds({ ...DEFAULT_LIFECYCLE_THRESHOLDS, dropRatio: 1 })).toThrow(RangeError);
    expect(() => validateLifecycleThresholds({ ...DEFAULT_LIFECYCLE_THRESHOLDS, newDays: 0 })).toThrow(RangeError);
  });
});
