import { addMonthsToMonth, birthdayBonusDue, isProfileComplete } from './bonuses';
import { shanghaiMonth } from './referrals';
import { ledgerReason } from './format';

// Absolute dates on purpose: calendar arithmetic of pure functions, no clock involved.
const at = (iso: string): Date => new Date(iso);

describe('shanghaiMonth', () => {
  it.each([
    ['2026-03-31T15:59:59.999Z', '2026-03'], // 23:59:59 on 31 March in Shanghai
    ['2026-03-31T16:00:00.000Z', '2026-04'], // midnight on 1 April in Shanghai, still 31 March in UTC
    ['2026-12-31T16:00:00.000Z', '2027-01'],
    ['2026-01-01T00:00:00.000Z', '2026-01'],
  ])('%s → %s', (iso, month) => expect(shanghaiMonth(at(iso))).toBe(month));
});

describe('addMonthsToMonth', () => {
  it.each([
    ['2026-01', -12, '2025-01'],
    ['2026-01', -1, '2025-12'],
    ['2026-12', 1, '2027-01'],
    ['2026-05', 0, '2026-05'],
    ['2026-05', 25, '2028-06'],
  ])('%s %+d → %s', (m, n, expected) => expect(addMonthsToMonth(m, n)).toBe(expected));
  it('refuses a malformed month', () => expect(() => addMonthsToMonth('2026-5', 1)).toThrow(RangeError));
});

describe('birthdayBonusDue', () => {
  const inMay = at('2026-05-14T04:00:00.000Z');
  it('due in the birthday month, keyed by that month', () => expect(birthdayBonusDue('1990-05-20', null, inMay)).toBe('2026-05'));
  it('not in another month', () => {
    expect(birthdayBonusDue('1990-06-01', null, inMay)).toBeNull();
    expect(birthdayBonusDue('1990-04-30', null, inMay)).toBeNull();
  });
  it('the Shanghai month decides: 1 June 00:30 in Shanghai is June', () => {
    expect(birthdayBonusDue('1990-06-15', null, at('2026-05-31T16:30:00.000Z'))).toBe('2026-06');
    expect(birthdayBonusDue('1990-05-15', null, at('2026-05-31T16:30:00.000Z'))).toBeNull();
  });
  it('no birthday or a malformed one: never due', () => {
    expect(birthdayBonusDue(null, null, inMay)).toBeNull();
    expect(birthdayBonusDue('1990-05-32', null, inMay)).toBeNull();
  });
  it('once in the month: a bonus for this month was paid → not due', () => expect(birthdayBonusDue('1990-05-20', '2026-05', inMay)).toBeNull());
  it('again twelve months later', () => expect(birthdayBonusDue('1990-05-20', '2025-05', inMay)).toBe('2026-05'));
  it('a birthday moved after a bonus in the last 12 months earns nothing until 12 months have passed', () => {
    // Paid in August 2025, birthday then changed to May: May 2026 is only 9 months later.
    expect(birthdayBonusDue('1990-05-20', '2025-08', inMay)).toBeNull();
    expect(birthdayBonusDue('1990-05-20', '2025-08', at('2027-05-10T00:00:00.000Z'))).toBe('2027-05');
    // Paid in April 2026, moved to May: not in May 2026.
    expect(birthdayBonusDue('1990-05-20', '2026-04', inMay)).toBeNull();
  });
  it('29 February birthdays are February birthdays, also in common years', () => expect(birthdayBonusDue('2000-02-29', null, at('2027-02-10T00:00:00.000Z'))).toBe('2027-02'));
});

describe('isProfileComplete', () => {
  it.each([
    [{ gender: 'FEMALE', birthday: '1990-05-20', homeStoreId: 3 }, true],
    [{ gender: null, birthday: '1990-05-20', homeStoreId: 3 }, false],
    [{ gender: 'MALE', birthday: null, homeStoreId: 3 }, false],
    [{ gender: 'MALE', birthday: '1990-05-20', homeStoreId: null }, false],
  ])('%p → %p', (p, expected) => expect(isProfileComplete(p)).toBe(expected));
});

describe('ledger reasons of the bonuses', () => {
  it('read as plain Chinese', () => {
    expect(ledgerReason.birthdayBonus()).toBe('生日月奖励');
    expect(ledgerReason.profileBonus()).toBe('完善资料奖励');
  });
});
