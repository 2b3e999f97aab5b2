import {
  DEFAULT_TIME_ZONE,
  VN_HOLIDAY_FIRST_YEAR,
  VN_HOLIDAY_LAST_YEAR,
  validateCalendarConfig,
  vietnameseLunarDates,
  addCalendarDays,
  addWorkingDays,
  buildHolidayCalendar,
  dayOfWeek,
  daysBetween,
  instantAt,
  isLocalDate,
  isValidTimeZone,
  localDateOf,
  localMinuteOfDay,
  parseLocalDate,
  parseLocalMoment,
  vietnamPublicHolidays,
  zoneOffsetMs,
} from './calendar';
import { HOUR_MS } from './duration';
import { DomainError } from './errors';

const HCM = 'Asia/Ho_Chi_Minh';
const BERLIN = 'Europe/Berlin';

describe('time zones', () => {
  it('defaults to Asia/Ho_Chi_Minh', () => {
    expect(DEFAULT_TIME_ZONE).toBe(HCM);
  });

  it('recognises IANA zone names', () => {
    expect(isValidTimeZone(HCM)).toBe(true);
    expect(isValidTimeZone(BERLIN)).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('gives the zone offset at an instant', () => {
    expect(zoneOffsetMs(HCM, Date.UTC(2026, 0, 15, 12))).toBe(7 * HOUR_MS);
    expect(zoneOffsetMs(BERLIN, Date.UTC(2026, 0, 15, 12))).toBe(HOUR_MS);
    expect(zoneOffsetMs(BERLIN, Date.UTC(2026, 6, 15, 12))).toBe(2 * HOUR_MS);
  });
});

describe('instantAt / localDateOf in Asia/Ho_Chi_Minh (UTC+7, no DST)', () => {
  it('maps a local date and time to the instant seven hours earlier in UTC', () => {
    expect(instantAt('2026-10-14', 17 * 60, HCM)).toBe(Date.UTC(2026, 9, 14, 10, 0));
    expect(instantAt('2026-10-14', 8 * 60 + 30, HCM)).toBe(Date.UTC(2026, 9, 14, 1, 30));
  });

  it('places local midnight on the previous UTC day', () => {
    expect(instantAt('2026-01-01', 0, HCM)).toBe(Date.UTC(2025, 11, 31, 17, 0));
  });

  it('gives the local date of an instant, which changes at 17:00 UTC', () => {
    expect(localDateOf(Date.UTC(2025, 11, 31, 16, 59, 59), HCM)).toBe('2025-12-31');
    expect(localDateOf(Date.UTC(2025, 11, 31, 17, 0, 0), HCM)).toBe('2026-01-01');
  });

  it('gives the local minute of day', () => {
    expect(localMinuteOfDay(Date.UTC(2026, 9, 14, 10, 0), HCM)).toBe(17 * 60);
    expect(localMinuteOfDay(Date.UTC(2026, 9, 13, 17, 0), HCM)).toBe(0);
  });

  it('round-trips date and minute of day', () => {
    for (const [date, minute] of [
      ['2026-02-28', 0],
      ['2026-06-30', 23 * 60 + 59],
      ['2028-02-29', 12 * 60],
    ] as const) {
      const instant = instantAt(date, minute, HCM);
      expect(localDateOf(instant, HCM)).toBe(date);
      expect(localMinuteOfDay(instant, HCM)).toBe(minute);
    }
  });
});

describe('instantAt / localDateOf in a DST zone (Europe/Berlin)', () => {
  // 2026: clocks go forward on Sunday 29 March (02:00 CET → 03:00 CEST) and back on Sunday 25 October.
  it('uses CET (UTC+1) on the day before the spring change', () => {
    expect(instantAt('2026-03-28', 12 * 60, BERLIN)).toBe(Date.UTC(2026, 2, 28, 11));
  });

  it('uses the right offset on either side of the change on the day clocks go forward', () => {
    expect(instantAt('2026-03-29', 0, BERLIN)).toBe(Date.UTC(2026, 2, 28, 23));
    expect(instantAt('2026-03-29', 60, BERLIN)).toBe(Date.UTC(2026, 2, 29, 0));
    expect(instantAt('2026-03-29', 12 * 60, BERLIN)).toBe(Date.UTC(2026, 2, 29, 10));
    expect(instantAt('2026-03-29', 17 * 60, BERLIN)).toBe(Date.UTC(2026, 2, 29, 15));
  });

  it('makes the day clocks go forward 23 hours long', () => {
    const start = instantAt('2026-03-29', 0, BERLIN);
    const next = instantAt('2026-03-30', 0, BERLIN);
    expect(next - start).toBe(23 * HOUR_MS);
  });

  it('uses the right offset on either side of the change on the day clocks go back', () => {
    expect(instantAt('2026-10-25', 0, BERLIN)).toBe(Date.UTC(2026, 9, 24, 22));
    expect(instantAt('2026-10-25', 12 * 60, BERLIN)).toBe(Date.UTC(2026, 9, 25, 11));
    const next = instantAt('2026-10-26', 0, BERLIN);
    expect(next - instantAt('2026-10-25', 0, BERLIN)).toBe(25 * HOUR_MS);
  });

  it('gives local dates and times on the day clocks go forward', () => {
    expect(localDateOf(Date.UTC(2026, 2, 28, 22, 59), BERLIN)).toBe('2026-03-28');
    expect(localDateOf(Date.UTC(2026, 2, 28, 23, 0), BERLIN)).toBe('2026-03-29');
    expect(localMinuteOfDay(Date.UTC(2026, 2, 29, 0, 59), BERLIN)).toBe(60 + 59);
    expect(localMinuteOfDay(Date.UTC(2026, 2, 29, 1, 0), BERLIN)).toBe(3 * 60);
  });

  it('round-trips times of day away from the skipped hour', () => {
    for (const minute of [0, 60, 4 * 60, 8 * 60, 17 * 60, 23 * 60 + 59]) {
      const instant = instantAt('2026-03-29', minute, BERLIN);
      expect(localDateOf(instant, BERLIN)).toBe('2026-03-29');
      expect(localMinuteOfDay(instant, BERLIN)).toBe(minute);
    }
  });
});

describe('local dates', () => {
  it('parses YYYY-MM-DD', () => {
    expect(parseLocalDate('2027-02-06')).toEqual({ year: 2027, month: 2, day: 6 });
  });

  it('rejects a malformed date', () => {
    expect(() => parseLocalDate('2027-2-6')).toThrow(RangeError);
    expect(() => parseLocalDate('2027-2-6')).toThrow('"2027-2-6" is not a date of the form YYYY-MM-DD');
    expect(isLocalDate('06/02/2027')).toBe(false);
  });

  it('rejects a date that does not exist', () => {
    expect(() => parseLocalDate('2026-02-29')).toThrow('"2026-02-29" is not a calendar date');
    expect(() => parseLocalDate('2026-13-01')).toThrow(RangeError);
    expect(isLocalDate('2026-04-31')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
  });

  it('rejects an invalid date in instantAt', () => {
    expect(() => instantAt('2026-02-30', 0, HCM)).toThrow(RangeError);
  });

  it('gives the day of the week, 0 = Sunday', () => {
    expect(dayOfWeek('2027-02-06')).toBe(6);
    expect(dayOfWeek('2027-02-07')).toBe(0);
    expect(dayOfWeek('2027-02-15')).toBe(1);
  });

  it('counts whole days between dates, negative backwards', () => {
    expect(daysBetween('2026-10-14', '2026-10-16')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2027-01-01', '2026-01-01')).toBe(-365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2026-03-29', '2026-03-29')).toBe(0);
  });
});

describe('addCalendarDays', () => {
  it.each([
    ['2026-10-14', 0, '2026-10-14'],
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2027-03-01', -1, '2027-02-28'],
    ['2026-10-14', -90, '2026-07-16'],
    ['2026-10-16', 30, '2026-11-15'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('%s %+d days is %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
  });
});

describe('vietnamPublicHolidays', () => {
  const y2027 = vietnamPublicHolidays(2027);

  // Mùng 1 Tết and Giỗ Tổ Hùng Vương (10/3 âm lịch) as published for Vietnam (UTC+7), year by year.
  const OFFICIAL: Array<[number, string, string]> = [
    [2020, '2020-01-25', '2020-04-02'],
    [2021, '2021-02-12', '2021-04-21'],
    [2022, '2022-02-01', '2022-04-10'],
    [2023, '2023-01-22', '2023-04-29'],
    [2024, '2024-02-10', '2024-04-18'],
    [2025, '2025-01-29', '2025-04-07'],
    [2026, '2026-02-17', '2026-04-26'],
    [2027, '2027-02-06', '2027-04-16'],
    [2028, '2028-01-26', '2028-04-04'],
    [2029, '2029-02-13', '2029-04-23'],
    [2030, '2030-02-02', '2030-04-12'],
    [2031, '2031-01-23', '2031-04-01'],
  ];

  it.each(OFFICIAL)('computes the official lunar holidays of %i: Tết %s, Giỗ Tổ %s', (year, tet, hungKings) => {
    expect(vietnameseLunarDates(year)).toEqual({ tet, hungKings });
  });

  it('puts Tết 2030 on 2 February (Vietnam, UTC+7), not on China’s 3 February: giao thừa is 1 February', () => {
    const y2030 = vietnamPublicHolidays(2030);
    expect(y2030.get('2030-02-01')).toBe('Tết Nguyên đán (30 Tết)');
    expect(y2030.get('2030-02-02')).toBe('Tết Nguyên đán (mùng 1)');
    expect(y2030.get('2030-02-05')).toBe('Tết Nguyên đán (mùng 4)');
    expect(y2030.has('2030-02-06')).toBe(false);
    expect(buildHolidayCalendar().isWorkingDay('2030-02-01')).toBe(false);
  });

  it('puts Giỗ Tổ 2031 on 1 April, and 1 May 2031 is only Labour Day', () => {
    const y2031 = vietnamPublicHolidays(2031);
    expect(y2031.get('2031-04-01')).toBe('Giỗ Tổ Hùng Vương');
    expect(y2031.get('2031-05-01')).toBe('Ngày Quốc tế Lao động');
  });

  it('covers 2000 to 2099 (every year has eleven days)', () => {
    expect([VN_HOLIDAY_FIRST_YEAR, VN_HOLIDAY_LAST_YEAR]).toEqual([2000, 2099]);
    for (let year = VN_HOLIDAY_FIRST_YEAR; year <= VN_HOLIDAY_LAST_YEAR; year++) {
      expect(vietnamPublicHolidays(year).size).toBe(11);
    }
  });

  it('gives Tết 2027 as five days, from New Year’s Eve 2027-02-05 to 2027-02-09', () => {
    expect(y2027.get('2027-02-05')).toBe('Tết Nguyên đán (30 Tết)');
    expect(y2027.get('2027-02-06')).toBe('Tết Nguyên đán (mùng 1)');
    expect(y2027.get('2027-02-07')).toBe('Tết Nguyên đán (mùng 2)');
    expect(y2027.get('2027-02-08')).toBe('Tết Nguyên đán (mùng 3)');
    expect(y2027.get('2027-02-09')).toBe('Tết Nguyên đán (mùng 4)');
    expect(y2027.has('2027-02-04')).toBe(false);
    expect(y2027.has('2027-02-10')).toBe(false);
  });

  it('includes the fixed-date holidays', () => {
    expect(y2027.get('2027-01-01')).toBe('Tết Dương lịch');
    expect(y2027.get('2027-04-30')).toBe('Ngày Giải phóng miền Nam, thống nhất đất nước');
    expect(y2027.get('2027-05-01')).toBe('Ngày Quốc tế Lao động');
    expect(y2027.get('2027-09-01')).toBe('Quốc khánh (nghỉ liền kề)');
    expect(y2027.get('2027-09-02')).toBe('Quốc khánh');
  });

  it('includes the Hùng Kings’ Commemoration (10/3 lunar)', () => {
    expect(y2027.get('2027-04-16')).toBe('Giỗ Tổ Hùng Vương');
    expect(vietnamPublicHolidays(2026).get('2026-04-26')).toBe('Giỗ Tổ Hùng Vương');
  });

  it('has eleven days in a year with lunar data and nothing else', () => {
    expect(y2027.size).toBe(11);
    expect([...y2027.keys()].every((d) => d.startsWith('2027-'))).toBe(true);
  });

  it('places Tết that starts in January within the same year (2025: 28/1 to 1/2)', () => {
    const y2025 = vietnamPublicHolidays(2025);
    expect(y2025.get('2025-01-28')).toBe('Tết Nguyên đán (30 Tết)');
    expect(y2025.get('2025-02-01')).toBe('Tết Nguyên đán (mùng 4)');
  });

  it('refuses a year it does not cover instead of giving it no lunar holidays', () => {
    expect(() => vietnamPublicHolidays(2100)).toThrow(DomainError);
    expect(() => vietnamPublicHolidays(1999)).toThrow(/outside the years whose Vietnamese public holidays are known/);
  });
});

describe('buildHolidayCalendar', () => {
  describe('default (VN base, Saturday and Sunday off)', () => {
    const calendar = buildHolidayCalendar();

    it('treats ordinary weekdays as working days', () => {
      expect(calendar.isWorkingDay('2027-02-04')).toBe(true);
      expect(calendar.isWorkingDay('2027-02-10')).toBe(true);
      expect(calendar.holidayName('2027-02-10')).toBeUndefined();
    });

    it('treats weekends as days off without naming them holidays', () => {
      expect(calendar.isWorkingDay('2027-02-13')).toBe(false);
      expect(calendar.isWorkingDay('2027-02-14')).toBe(false);
      expect(calendar.holidayName('2027-02-13')).toBeUndefined();
    });

    it('treats public holidays on weekdays as days off', () => {
      expect(calendar.isWorkingDay('2027-02-08')).toBe(false);
      expect(calendar.holidayName('2027-02-08')).toBe('Tết Nguyên đán (mùng 3)');
      expect(calendar.isWorkingDay('2027-04-30')).toBe(false);
      expect(calendar.isWorkingDay('2026-09-02')).toBe(false);
    });

    it('works for several years from one calendar', () => {
      expect(calendar.holidayName('2026-02-17')).toBe('Tết Nguyên đán (mùng 1)');
      expect(calendar.holidayName('2028-01-26')).toBe('Tết Nguyên đán (mùng 1)');
    });
  });

  it('adds extra holidays', () => {
    const calendar = buildHolidayCalendar({ extraHolidays: ['2027-02-10'] });
    expect(calendar.isWorkingDay('2027-02-10')).toBe(false);
    expect(calendar.holidayName('2027-02-10')).toBe('Ngày nghỉ theo kế hoạch');
    expect(calendar.isWorkingDay('2027-02-11')).toBe(true);
  });

  it('makes extra working days of weekends and holidays', () => {
    const calendar = buildHolidayCalendar({ extraWorkingDays: ['2027-02-13', '2027-02-09'] });
    expect(calendar.isWorkingDay('2027-02-13')).toBe(true);
    expect(calendar.isWorkingDay('2027-02-09')).toBe(true);
    expect(calendar.holidayName('2027-02-09')).toBeUndefined();
    expect(calendar.isWorkingDay('2027-02-08')).toBe(false);
  });

  it('lets an extra working day win over an extra holiday on the same date', () => {
    const calendar = buildHolidayCalendar({ extraHolidays: ['2027-02-10'], extraWorkingDays: ['2027-02-10'] });
    expect(calendar.isWorkingDay('2027-02-10')).toBe(true);
    expect(calendar.holidayName('2027-02-10')).toBeUndefined();
  });

  it('with base NONE knows weekends and extra holidays only', () => {
    const calendar = buildHolidayCalendar({ base: 'NONE', extraHolidays: ['2027-02-10'] });
    expect(calendar.isWorkingDay('2027-02-08')).toBe(true);
    expect(calendar.holidayName('2027-02-08')).toBeUndefined();
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true);
    expect(calendar.isWorkingDay('2027-02-06')).toBe(false);
    expect(calendar.isWorkingDay('2027-02-10')).toBe(false);
  });

  it('accepts other weekend days', () => {
    const calendar = buildHolidayCalendar({ base: 'NONE', weekendDays: [0] });
    expect(calendar.isWorkingDay('2027-02-13')).toBe(true);
    expect(calendar.isWorkingDay('2027-02-14')).toBe(false);
  });
});

describe('addWorkingDays', () => {
  const vn = buildHolidayCalendar();
  const none = buildHolidayCalendar({ base: 'NONE' });

  it('moves forward over a weekend (Friday + 1 = Monday)', () => {
    expect(addWorkingDays('2026-10-09', 1, vn)).toBe('2026-10-12');
    expect(addWorkingDays('2026-10-09', 5, vn)).toBe('2026-10-16');
  });

  it('moves backward over a weekend (Monday - 1 = Friday)', () => {
    expect(addWorkingDays('2026-10-12', -1, vn)).toBe('2026-10-09');
    expect(addWorkingDays('2026-10-14', -10, vn)).toBe('2026-09-30');
  });

  it('skips Tết going forward', () => {
    // Thursday 4 Feb 2027, then Tết (Fri 5 – Tue 9, with the weekend inside it): Wednesday 10 Feb.
    expect(addWorkingDays('2027-02-04', 1, vn)).toBe('2027-02-10');
    expect(addWorkingDays('2027-02-04', 1, none)).toBe('2027-02-05');
  });

  it('skips Tết going backward', () => {
    expect(addWorkingDays('2027-02-10', -1, vn)).toBe('2027-02-04');
    expect(addWorkingDays('2027-02-15', -5, vn)).toBe('2027-02-03');
    expect(addWorkingDays('2027-02-15', -5, none)).toBe('2027-02-08');
  });

  it('counts a compensatory working Saturday', () => {
    const calendar = buildHolidayCalendar({ extraWorkingDays: ['2026-10-10'] });
    expect(addWorkingDays('2026-10-09', 1, calendar)).toBe('2026-10-10');
  });

  it('with 0 returns a working day itself', () => {
    expect(addWorkingDays('2026-10-14', 0, vn)).toBe('2026-10-14');
  });

  it('with 0 returns the previous working day for a weekend day', () => {
    expect(addWorkingDays('2026-10-11', 0, vn)).toBe('2026-10-09');
  });

  it('with 0 returns the last working day before Tết for a day of Tết', () => {
    expect(addWorkingDays('2027-02-08', 0, vn)).toBe('2027-02-04');
  });

  it('crosses a year end', () => {
    // Thu 31 Dec 2026 + 1 → Fri 1 Jan 2027 is a holiday, then the weekend: Monday 4 Jan.
    expect(addWorkingDays('2026-12-31', 1, vn)).toBe('2027-01-04');
    expect(addWorkingDays('2027-01-04', -1, vn)).toBe('2026-12-31');
  });

  it('always lands on a working day', () => {
    for (let days = -30; days <= 30; days++) {
      expect(vn.isWorkingDay(addWorkingDays('2027-02-06', days, vn))).toBe(true);
    }
  });
});

describe('dates outside the covered years', () => {
  const vn = buildHolidayCalendar();

  it('are refused with a DomainError naming the date, never silently working days', () => {
    expect(() => vn.isWorkingDay('2100-03-02')).toThrow(DomainError);
    expect(() => vn.isWorkingDay('2100-03-02')).toThrow('2100-03-02 is outside the years');
    expect(() => vn.holidayName('1999-12-31')).toThrow(DomainError);
    expect(() => addWorkingDays('2099-12-30', 5, vn)).toThrow(/2100-01-0\d is outside the years/);
  });

  it('are fine with base NONE, which knows weekends only', () => {
    expect(buildHolidayCalendar({ base: 'NONE' }).isWorkingDay('2100-03-02')).toBe(true);
  });
});

describe("the government's yearly decisions", () => {
  // Tết Ất Tỵ 2025: civil servants also off on Monday 27 January, worked Saturday 8 February in exchange.
  const calendar = buildHolidayCalendar({
    governmentDecisions: [{ decision: 'Thông báo 6150/TB-BNV', daysOff: ['2025-01-27'], workingDays: ['2025-02-08'] }],
  });

  it('add the days off they give, named by the decision', () => {
    expect(calendar.isWorkingDay('2025-01-27')).toBe(false);
    expect(calendar.holidayName('2025-01-27')).toBe('Ngày nghỉ theo Thông báo 6150/TB-BNV');
  });

  it('make the swapped Saturday a working day', () => {
    expect(calendar.isWorkingDay('2025-02-08')).toBe(true);
    expect(buildHolidayCalendar().isWorkingDay('2025-02-08')).toBe(false);
  });

  it('move working-day deadlines accordingly', () => {
    // Friday 24 January + 1 working day: Monday 27 is off, Tết runs 28/1 – 1/2, so Monday 3 February.
    expect(addWorkingDays('2025-01-24', 1, calendar)).toBe('2025-02-03');
    // Without the decision, Monday 27 January is a working day.
    expect(addWorkingDays('2025-01-24', 1, buildHolidayCalendar())).toBe('2025-01-27');
    expect(addWorkingDays('2025-02-07', 1, calendar)).toBe('2025-02-08');
  });
});

describe('validateCalendarConfig', () => {
  it('accepts real dates and names every bad one by path', () => {
    expect(validateCalendarConfig(undefined)).toEqual([]);
    expect(
      validateCalendarConfig({
        extraHolidays: ['2027-02-10'],
        governmentDecisions: [{ decision: 'Thông báo 1/TB-BNV', daysOff: ['2027-02-11'], workingDays: ['2027-02-20'] }],
      }),
    ).toEqual([]);
    expect(
      validateCalendarConfig(
        {
          extraWorkingDays: ['2027-02-30'],
          governmentDecisions: [{ decision: ' ', daysOff: ['10/02/2027'] }],
        },
        'plan.calendar',
      ),
    ).toEqual([
      { path: 'plan.calendar.extraWorkingDays[0]', message: '"2027-02-30" is not a date YYYY-MM-DD' },
      {
        path: 'plan.calendar.governmentDecisions[0].decision',
        message: 'must name the decision (number and symbol, or title)',
      },
      { path: 'plan.calendar.governmentDecisions[0].daysOff[0]', message: '"10/02/2027" is not a date YYYY-MM-DD' },
    ]);
  });
});

describe('zone offsets are remembered per quarter hour, never at the cost of an exact answer', () => {
  /** What Intl says, asked directly for the instant (the answer before offsets were remembered). */
  function intlWallClock(instantMs: number, timeZone: string) {
    const parts: Record<string, string> = {};
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    for (const p of formatter.formatToParts(new Date(instantMs))) parts[p.type] = p.value;
    const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
    return {
      offset: asUtc - Math.floor(instantMs / 1000) * 1000,
      date: `${parts.year}-${parts.month}-${parts.day}`,
      minute: +parts.hour * 60 + +parts.minute,
    };
  }

  // Half-hour summer time (Lord Howe), quarter-hour offsets (Kathmandu), a skipped day (Apia, end of 2011),
  // Vietnam's own change of 1975, and ordinary summer time on both hemispheres.
  const zones = [
    'Asia/Ho_Chi_Minh',
    'Europe/Berlin',
    'America/New_York',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Apia',
    'America/Santiago',
  ];

  it.each(zones)('%s: every 28 min 53 s across its transitions of 1975, 2011 and 2026 matches Intl', (zone) => {
    const windows = [Date.UTC(1975, 5, 1), Date.UTC(2011, 0, 1), Date.UTC(2026, 0, 1)];
    let checked = 0;
    for (const start of windows) {
      // A year, walked at a step that is not a divisor of a quarter hour, so every position inside one is visited.
      for (let t = start; t < start + 366 * 86_400_000; t += 1_733_000) {
        const expected = intlWallClock(t, zone);
        expect(zoneOffsetMs(zone, t)).toBe(expected.offset);
        if (checked % 7 === 0) {
          expect(localDateOf(t, zone)).toBe(expected.date);
          expect(localMinuteOfDay(t, zone)).toBe(expected.minute);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it('a second either side of each 2026 transition in New York and Lord Howe', () => {
    for (const zone of ['America/New_York', 'Australia/Lord_Howe']) {
      let previous = zoneOffsetMs(zone, Date.UTC(2026, 0, 1));
      let transitions = 0;
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 60_000) {
        const offset = zoneOffsetMs(zone, t);
        if (offset !== previous) {
          transitions++;
          expect(zoneOffsetMs(zone, t - 1000)).toBe(intlWallClock(t - 1000, zone).offset);
          expect(zoneOffsetMs(zone, t + 1000)).toBe(intlWallClock(t + 1000, zone).offset);
          expect(instantAt(localDateOf(t + 3_600_000, zone), localMinuteOfDay(t + 3_600_000, zone), zone)).toBe(
            Math.floor((t + 3_600_000) / 60_000) * 60_000,
          );
        }
        previous = offset;
      }
      expect(transitions).toBe(2);
    }
  });
});

describe('parseLocalMoment (one reading of a local moment for the API and the CLI)', () => {
  it('reads a date and time, or a date alone at 08:00 unless told otherwise', () => {
    expect(parseLocalMoment('2027-03-05T14:30', 'Asia/Ho_Chi_Minh')).toBe(Date.parse('2027-03-05T14:30:00+07:00'));
    expect(parseLocalMoment('2027-03-05', 'Asia/Ho_Chi_Minh')).toBe(Date.parse('2027-03-05T08:00:00+07:00'));
    expect(parseLocalMoment('2027-03-05', 'Europe/Berlin', 0)).toBe(Date.parse('2027-03-05T00:00:00+01:00'));
  });

  it.each(['2027-02-30', '2027-03-05T24:00', '2027-03-05T08:60', '2027-03-05T8:00', '2027-03-05 08:00', ''])(
    'refuses "%s"',
    (text) => expect(parseLocalMoment(text, 'Asia/Ho_Chi_Minh')).toBeUndefined(),
  );
});
