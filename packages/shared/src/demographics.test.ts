import { ageBand, ageOn, parseBirthday } from './demographics';

// 2026-06-15 10:00 Shanghai = 02:00 UTC.
const NOW = new Date('2026-06-15T02:00:00Z');

describe('ageOn / ageBand', () => {
  it.each([
    ['2008-06-15', 18, 'AGE_18_24'], // 18th birthday today (Shanghai date)
    ['2008-06-16', 17, 'UNDER_18'], // tomorrow
    ['2001-06-16', 24, 'AGE_18_24'],
    ['2001-06-15', 25, 'AGE_25_34'],
    ['1991-06-16', 34, 'AGE_25_34'],
    ['1991-06-15', 35, 'AGE_35_44'],
    ['1981-06-15', 45, 'AGE_45_54'],
    ['1971-06-15', 55, 'AGE_55_64'],
    ['1961-06-16', 64, 'AGE_55_64'],
    ['1961-06-15', 65, 'AGE_65_PLUS'],
    ['2026-06-15', 0, 'UNDER_18'],
  ])('%s → %p (%s)', (birthday, age, band) => {
    expect(ageOn(birthday, NOW)).toBe(age);
    expect(ageBand(birthday, NOW)).toBe(band);
  });

  it('uses the Shanghai calendar date: 16:00 UTC on the 14th is already the 15th in Shanghai', () => {
    expect(ageOn('2008-06-15', new Date('2026-06-14T16:00:00Z'))).toBe(18);
    expect(ageOn('2008-06-15', new Date('2026-06-14T15:59:59Z'))).toBe(17);
  });

  it('a 29 February birthday counts from 1 March in common years, on the day in leap years', () => {
    expect(ageOn('2000-02-29', new Date('2027-02-28T04:00:00Z'))).toBe(26);
    expect(ageOn('2000-02-29', new Date('2027-03-01T04:00:00Z'))).toBe(27);
    expect(ageOn('2000-02-29', new Date('2028-02-29T04:00:00Z'))).toBe(28);
  });

  it('unknown, malformed or future birthdays have no band', () => {
    expect(ageBand(null, NOW)).toBeNull();
    expect(ageBand('1990-02-30', NOW)).toBeNull();
    expect(ageBand('19900101', NOW)).toBeNull();
    expect(ageBand('2026-06-16', NOW)).toBeNull();
    expect(parseBirthday('2024-02-29')).toEqual({ y: 2024, m: 2, d: 29 });
    expect(parseBirthday('2023-02-29')).toBeNull();
  });
});
