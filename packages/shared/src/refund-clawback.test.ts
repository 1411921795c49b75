import { refundClawback } from './refund-clawback';

describe('refundClawback', () => {
  const order = { orderPoints: 100, orderFen: 10_000, refundedFen: 0, pointsReversed: 0 };
  test.each<[string, Partial<Parameters<typeof refundClawback>[0]>, number]>([
    ['a full refund takes every point back', { amountFen: 10_000 }, 100],
    ['a partial refund takes the floor of its share', { amountFen: 3_333 }, 33],
    ['cumulative: the second of two thirds takes what the sum adds', { refundedFen: 3_333, pointsReversed: 33, amountFen: 3_333 }, 33],
    ['cumulative: the last third takes the remainder', { refundedFen: 6_666, pointsReversed: 66, amountFen: 3_334 }, 34],
    ['an order that earned nothing', { orderPoints: null, amountFen: 5_000 }, 0],
    ['no amount yet', { amountFen: 0 }, 0],
    ['more than the order is capped at the order', { amountFen: 20_000 }, 100],
  ])('%s', (_n, over, points) => expect(refundClawback({ ...order, amountFen: 0, ...over })).toBe(points));
});
