import { categoryCodes, categoryLabel } from './categories';

describe('purchase categories', () => {
  it('names the known codes in Chinese and shows an unknown code as itself', () => {
    expect(categoryLabel('general')).toBe('普通商品');
    expect(categoryLabel('apparel')).toBe('服装');
    expect(categoryLabel('fuel')).toBe('油品');
    expect(categoryLabel('wine-2026')).toBe('wine-2026');
  });

  it('lists the known codes first, then the others once', () => {
    expect(categoryCodes(['fresh', 'toys', null, 'toys', undefined]).slice(-2)).toEqual(['fuel', 'toys']);
    expect(categoryCodes()[0]).toBe('general');
    expect(new Set(categoryCodes(['fresh'])).size).toBe(categoryCodes(['fresh']).length);
  });
});
