import { addMinutes, beijingDay, fromBeijing, toBeijing, weekdayOf } from '../src/utils/beijing-time';

// Pure calendar arithmetic: these cases are deliberately absolute dates (year ends, leap days, the UTC day boundary),
// not "today" — nothing here reads the clock.
const CASES: [string, string, string][] = [
  // Beijing date, Beijing time, UTC instant
  ['2030-12-01', '19:30', '2030-12-01T11:30:00.000Z'],
  ['2030-12-02', '07:59', '2030-12-01T23:59:00.000Z'], // before 08:00 in Beijing is the previous UTC day
  ['2030-12-02', '08:00', '2030-12-02T00:00:00.000Z'],
  ['2031-01-01', '00:00', '2030-12-31T16:00:00.000Z'], // new year in Beijing, still the old year in UTC
  ['2028-02-29', '12:00', '2028-02-29T04:00:00.000Z'], // a leap day
  ['2030-07-15', '23:59', '2030-07-15T15:59:00.000Z'], // summer: Beijing has no daylight saving
];

describe('Beijing wall time ↔ UTC instants', () => {
  it.each(CASES)('%s %s in Beijing is %s', (date, time, iso) => {
    expect(fromBeijing({ date, time })).toBe(iso);
    expect(toBeijing(iso)).toEqual({ date, time });
    expect(toBeijing(Date.parse(iso))).toEqual({ date, time });
  });

  it.each([
    ['2030-02-29', '12:00'], // not a leap year
    ['2030-04-31', '12:00'],
    ['2030-13-01', '12:00'],
    ['2030-00-10', '12:00'],
    ['2030-12-01', '24:00'],
    ['2030-12-01', '19:60'],
    ['明天', '19:30'],
    ['2030-12-01', ''],
    ['', '19:30'],
  ])('%p %p is not a time', (date, time) => {
    expect(fromBeijing({ date, time })).toBeNull();
  });

  it('reads nothing from the device time zone (no local-time Date methods)', () => {
    // jest cannot switch the process's TZ mid-run; instead every zone-dependent getter throws. (The browser journey
    // picks times on a phone set to Los Angeles time.)
    const local = ['getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getTimezoneOffset', 'toString', 'toLocaleString'] as const;
    for (const m of local) {
      jest.spyOn(Date.prototype, m).mockImplementation(() => {
        throw new Error(`Date.prototype.${m} depends on the device time zone`);
      });
    }
    try {
      for (const [date, time, iso] of CASES) {
        expect(fromBeijing({ date, time })).toBe(iso);
        expect(toBeijing(iso)).toEqual({ date, time });
        expect(addMinutes({ date, time }, 90)).not.toBeNull();
        expect(beijingDay(Date.parse(iso), 1, time).time).toBe(time);
        expect(weekdayOf(date)).not.toBe('');
      }
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('adds minutes across days, months and years', () => {
    expect(addMinutes({ date: '2030-12-31', time: '23:00' }, 120)).toEqual({ date: '2031-01-01', time: '01:00' });
    expect(addMinutes({ date: '2028-03-01', time: '00:30' }, -60)).toEqual({ date: '2028-02-29', time: '23:30' });
    expect(addMinutes({ date: '2030-02-30', time: '00:30' }, 60)).toBeNull();
  });

  it('finds the Beijing day relative to a moment, not the UTC day', () => {
    // 2030-12-31 17:00 UTC is already 2031-01-01 01:00 in Beijing: "tomorrow" there is 2 January.
    const lateUtc = Date.parse('2030-12-31T17:00:00.000Z');
    expect(beijingDay(lateUtc, 0, '19:30')).toEqual({ date: '2031-01-01', time: '19:30' });
    expect(beijingDay(lateUtc, 1, '19:30')).toEqual({ date: '2031-01-02', time: '19:30' });
    expect(beijingDay(Date.parse('2028-02-28T10:00:00.000Z'), 1, '08:00')).toEqual({ date: '2028-02-29', time: '08:00' });
  });

  it('names the weekday', () => {
    expect(weekdayOf('2030-12-01')).toBe('周日');
    expect(weekdayOf('2030-12-02')).toBe('周一');
    expect(weekdayOf('2028-02-29')).toBe('周二');
    expect(weekdayOf('2030-02-30')).toBe('');
  });
});
