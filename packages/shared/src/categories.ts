/**
 * Purchase categories (the codes earning rules and receipts use) and their Chinese names — one list for the till, the
 * manager console's rule form and its preview. A code not listed here (a rule may name any) shows as itself.
 */
export const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  general: '普通商品',
  fresh: '生鲜',
  food: '餐饮',
  apparel: '服装',
  beauty: '美妆',
  tobacco: '烟酒',
  fuel: '油品',
};

/** The Chinese name of a category code (the code itself when it has none). */
export function categoryLabel(code: string): string {
  return CATEGORY_LABELS[code] ?? code;
}

/** The known categories followed by any others `extra` names (e.g. from the rules), each once, in that order. */
export function categoryCodes(extra: readonly (string | null | undefined)[] = []): string[] {
  const out = Object.keys(CATEGORY_LABELS);
  for (const c of extra) if (c && !out.includes(c)) out.push(c);
  return out;
}
