/**
 * What a WeChat Pay refund claws back (F5), as PaymentService.completeRefund applies it: cumulatively
 * floor(order points × refunded fen ÷ order fen), less what earlier refunds already reversed. The API then takes at
 * most the member's spendable points (balances never go negative) and records the rest as `pointsUncollected`, so
 * this is the most a refund can take back — the console's preview before a refund is sent.
 */
export interface RefundClawbackInput {
  /** Points the order credited when paid (null or 0: none). */
  orderPoints: number | null;
  orderFen: number;
  /** Fen already refunded successfully. */
  refundedFen: number;
  /** Points already reversed by earlier refunds. */
  pointsReversed: number;
  /** This refund. */
  amountFen: number;
}

export function refundClawback(i: RefundClawbackInput): number {
  const points = i.orderPoints ?? 0;
  if (points <= 0 || i.orderFen <= 0 || !Number.isFinite(i.amountFen) || i.amountFen <= 0) return 0;
  const refunded = Math.min(i.orderFen, i.refundedFen + i.amountFen);
  return Math.max(0, Math.floor((points * refunded) / i.orderFen) - i.pointsReversed);
}
