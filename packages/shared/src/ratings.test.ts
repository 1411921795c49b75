import {
  isLowRating,
  normalizeRatingComment,
  ratedOperationLabel,
  ratingClosesAt,
  ratingInputProblem,
  ratingOpen,
  starsText,
  summarizeStars,
} from './ratings';

const at = new Date('2026-03-01T10:00:00.000Z');
const plus = (ms: number): Date => new Date(at.getTime() + ms);
const MIN = 60_000;
const H = 60 * MIN;

describe('ratingOpen: 24 hours from the operation', () => {
  it.each<[string, Date, boolean]>([
    ['right after', plus(1000), true],
    ['at 23:59', plus(23 * H + 59 * MIN), true],
    ['at exactly 24:00', plus(24 * H), true],
    ['at 24:01', plus(24 * H + MIN), false],
    ['a week later', plus(7 * 24 * H), false],
    ['2 minutes before it happened (WeChat Pay’s clock ahead of ours)', plus(-2 * MIN), true],
    ['10 minutes before it happened', plus(-10 * MIN), false],
  ])('%s → %p', (_why, now, open) => {
    expect(ratingOpen(at, now)).toBe(open);
  });

  it('closes 24 hours after the operation', () => {
    expect(ratingClosesAt(at).toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });
});

describe('ratingInputProblem', () => {
  const long = '好'.repeat(200);
  it.each<[string, number, string | null | undefined, ReturnType<typeof ratingInputProblem>]>([
    ['1 star, no comment', 1, null, null],
    ['5 stars with a comment', 5, '店员很热情', null],
    ['0 stars', 0, null, 'STARS'],
    ['6 stars', 6, null, 'STARS'],
    ['half a star', 2.5, null, 'STARS'],
    ['NaN', Number.NaN, null, 'STARS'],
    ['200 characters (Chinese, each one code point)', 3, long, null],
    ['201 characters', 3, `${long}好`, 'COMMENT_TOO_LONG'],
    ['200 emoji (two UTF-16 units each) still fit', 3, '😀'.repeat(200), null],
    ['spaces around do not count', 3, `  ${long}  `, null],
  ])('%s → %p', (_why, stars, comment, problem) => {
    expect(ratingInputProblem(stars, comment)).toBe(problem);
  });
});

describe('normalizeRatingComment', () => {
  it.each<[string | null | undefined, string | null]>([
    [null, null],
    [undefined, null],
    ['', null],
    ['   ', null],
    ['  排队 太久 ', '排队 太久'],
    ['a\n\nb', 'a b'],
  ])('%p → %p', (input, out) => {
    expect(normalizeRatingComment(input)).toBe(out);
  });
});

describe('isLowRating: 1–2 stars alert the managers', () => {
  it.each<[number, boolean]>([[1, true], [2, true], [3, false], [4, false], [5, false]])('%p → %p', (stars, low) => {
    expect(isLowRating(stars)).toBe(low);
  });
});

describe('summarizeStars', () => {
  it.each<[string, number[], { count: number; average: number | null; low: number }]>([
    ['none', [0, 0, 0, 0, 0], { count: 0, average: null, low: 0 }],
    // 1·1 + 2·1 + 5·2 = 13 over 4 = 3.25
    ['one 1, one 2, two 5', [1, 1, 0, 0, 2], { count: 4, average: 3.25, low: 2 }],
    // (4 + 5 + 5) / 3 = 4.666… → 4.67
    ['rounded to 2 decimals', [0, 0, 0, 1, 2], { count: 3, average: 4.67, low: 0 }],
    ['short arrays count as zeros', [3], { count: 3, average: 1, low: 3 }],
  ])('%s', (_why, dist, out) => {
    expect(summarizeStars(dist)).toEqual(out);
  });
});

describe('labels', () => {
  it('names each operation in Chinese', () => {
    expect([ratedOperationLabel('PURCHASE'), ratedOperationLabel('PAYMENT'), ratedOperationLabel('REDEMPTION'), ratedOperationLabel('CHECKIN')]).toEqual(['门店消费', '微信支付', '积分兑换', '活动签到']);
  });
  it('draws the stars', () => {
    expect(starsText(2)).toBe('★★☆☆☆');
    expect(starsText(5)).toBe('★★★★★');
  });
});
