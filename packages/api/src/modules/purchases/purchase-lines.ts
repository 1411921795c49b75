import { badInput } from '../../errors';

export interface PurchaseLine { category: string; amountFen: number }

/** ¥1,000,000: the most one purchase or order may be. */
export const MAX_AMOUNT_FEN = 100_000_000;
const CATEGORY_RE = /^[\p{L}\p{N}_-]{1,32}$/u;

/**
 * Checks a purchase amount and its category lines (till purchases, WeChat Pay orders): a positive whole number of
 * fen, 1–50 lines of a known-shaped category and a positive amount, adding up to the total. Returns clean copies.
 */
export function validatePurchaseLines(amountFen: number, lines: readonly PurchaseLine[] | null | undefined): PurchaseLine[] {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0 || amountFen > MAX_AMOUNT_FEN) {
    throw badInput(`amountFen must be a positive integer ≤ ${MAX_AMOUNT_FEN}`, 'amountFen');
  }
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > 50) throw badInput('lines: 1–50 purchase lines', 'lines');
  let sum = 0;
  for (const l of lines) {
    if (!CATEGORY_RE.test(l.category ?? '')) throw badInput('Each line needs a category (letters, digits, _ or -, ≤ 32)', 'lines');
    if (!Number.isSafeInteger(l.amountFen) || l.amountFen <= 0) throw badInput('Each line amount must be a positive integer (fen)', 'lines');
    sum += l.amountFen;
  }
  if (sum !== amountFen) throw badInput(`The lines add up to ${sum} fen, not ${amountFen}`, 'lines');
  return lines.map((l) => ({ category: l.category, amountFen: l.amountFen }));
}
