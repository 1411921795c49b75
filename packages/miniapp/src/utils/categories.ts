/** Purchase categories the till offers: `general` plus every category that has an earning rule at the store. */
export const DEFAULT_CATEGORY = 'general';

const LABELS: Record<string, string> = {
  general: '普通商品',
  fresh: '生鲜',
  tobacco: '烟酒',
  fuel: '油品',
  food: '餐饮',
};

export function categoryLabel(code: string): string {
  return LABELS[code] ?? code;
}

export function categoryOptions(ruleCategories: readonly string[]): string[] {
  return [DEFAULT_CATEGORY, ...ruleCategories.filter((c, i, all) => c !== DEFAULT_CATEGORY && all.indexOf(c) === i)];
}
