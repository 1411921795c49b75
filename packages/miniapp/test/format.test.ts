import { daysUntil, formatDate, formatDateTime, parsePoints, parseYuan, signedPoints, yuan } from '../src/utils/format';
import { categoryOptions } from '../src/utils/categories';
import { API_ROOT, API_URL } from '../src/env';

describe('format helpers', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['0.05', 5],
    [' 100.00 ', 10000],
    ['12.345', null],
    ['-1', null],
    ['abc', null],
    ['', null],
  ])('parseYuan(%p) = %p', (input, fen) => expect(parseYuan(input)).toBe(fen));

  it('parses whole positive points only', () => {
    expect(parsePoints('120')).toBe(120);
    expect(parsePoints('0')).toBeNull();
    expect(parsePoints('1.5')).toBeNull();
  });

  it('shows yuan without trailing .00', () => {
    expect(yuan(35000)).toBe('350');
    expect(yuan(12345)).toBe('123.45');
  });

  it('shows times in Asia/Shanghai', () => {
    // Absolute on purpose: formatting/calendar cases — instants printed as Beijing wall time across a midnight, and a
    // day count that takes its `now` explicitly (20:00 UTC is already the next day in Beijing); no clock involved.
    expect(formatDateTime('2026-11-23T16:30:00.000Z')).toBe('2026-11-24 00:30');
    expect(formatDate('2026-12-31T15:59:59.000Z')).toBe('2026年12月31日');
    expect(daysUntil('2026-12-01T00:00:00Z', Date.parse('2026-11-23T20:00:00Z'))).toBe(7);
  });

  it('signs points', () => {
    expect(signedPoints(5)).toBe('+5');
    expect(signedPoints(-5)).toBe('-5');
  });

  it('offers general plus the categories with rules', () => {
    expect(categoryOptions(['fresh', 'tobacco', 'fresh', 'general'])).toEqual(['general', 'fresh', 'tobacco']);
  });

  it('reads the API URL once from TARO_APP_API_URL', () => {
    expect(API_URL).toBe('http://api.test/graphql');
    expect(API_ROOT).toBe('http://api.test');
  });
});
