/** Purchase categories the till offers: `general` plus every category that has an earning rule at the store. */
export const DEFAULT_CATEGORY = 'general';

/** Names from @quanzi/shared's one list (the console's rule form and preview use the same). */
export { categoryLabel } from '@quanzi/shared';

export function categoryOptions(ruleCategories: readonly string[]): string[] {
  return [DEFAULT_CATEGORY, ...ruleCategories.filter((c, i, all) => c !== DEFAULT_CATEGORY && all.indexOf(c) === i)];
}
