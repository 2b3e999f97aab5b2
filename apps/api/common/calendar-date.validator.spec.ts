import { validateSync } from 'class-validator';
import { IsCalendarDate } from './calendar-date.validator';

class Dates {
  @IsCalendarDate() day!: unknown;
  @IsCalendarDate({ each: true }) days!: unknown[];
}

function issues(day: unknown, days: unknown[] = []): string[] {
  const dates = Object.assign(new Dates(), { day, days });
  return validateSync(dates).flatMap((e) => Object.values(e.constraints ?? {}));
}

describe('IsCalendarDate', () => {
  it('accepts real dates, leap days included', () => {
    expect(issues('2026-10-14', ['2028-02-29', '2026-12-31'])).toEqual([]);
  });

  it.each([
    '2026-02-30',
    '2026-02-29',
    '2026-13-01',
    '2026-04-31',
    '2026-00-10',
    '2026-1-5',
    '14/10/2026',
    20261014,
    null,
  ])('refuses %p, naming the field', (day) => {
    expect(issues(day)).toEqual(['day must be a real calendar date YYYY-MM-DD']);
  });

  it('checks each date of a list', () => {
    expect(issues('2026-10-14', ['2026-09-02', '2026-02-30'])).toEqual([
      'days must hold real calendar dates YYYY-MM-DD',
    ]);
  });
});
