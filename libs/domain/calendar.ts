/**
 * Calendar maths in a congress's time zone: local dates, instants at a local time of day, and working days
 * with a holiday calendar. Pure and deterministic (Intl's time zone data is the only input besides arguments),
 * so the same functions run in the API, in workflow code and in simulations.
 */
import { CalendarVietnamese } from 'date-chinese';
import { DAY_MS, MINUTE_MS } from './duration';
import { DomainError, type ValidationIssue } from './errors';

/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows `timeZone` as an IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset at an instant, read from Intl (the costly call this module otherwise makes per date). */
function measuredOffsetMs(timeZone: string, instantMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * Offsets at the start of each UTC day, per zone. A plan of a hundred tasks asks for thousands of offsets at a
 * handful of dates; Intl answers each in microseconds, which made the offset most of the cost of starting a plan.
 * (In the workflow sandbox this memory lasts one workflow task: module state is per workflow.)
 */
const offsetsAtMarks = new Map<string, number>();
const OFFSETS_KEPT = 50_000;

function offsetAtMark(timeZone: string, mark: number): number {
  const key = `${timeZone} ${mark}`;
  let offset = offsetsAtMarks.get(key);
  if (offset === undefined) {
    if (offsetsAtMarks.size >= OFFSETS_KEPT) offsetsAtMarks.clear();
    offset = measuredOffsetMs(timeZone, mark);
    offsetsAtMarks.set(key, offset);
  }
  return offset;
}

/** The zone's offset from UTC at an instant, in milliseconds (+7h for Asia/Ho_Chi_Minh). */
export function zoneOffsetMs(timeZone: string, instantMs: number): number {
  const mark = Math.floor(instantMs / DAY_MS) * DAY_MS;
  const atStart = offsetAtMark(timeZone, mark);
  // The same offset at both ends of the day means no transition inside it (the time zone database has no zone
  // that changes its offset and changes it back within a day); otherwise the instant is measured exactly.
  return atStart === offsetAtMark(timeZone, mark + DAY_MS) ? atStart : measuredOffsetMs(timeZone, instantMs);
}

/** The wall clock of an instant in a zone, as a Date whose UTC fields are the local ones. */
function wallClock(instantMs: number, timeZone: string): Date {
  return new Date(Math.floor(instantMs / 1000) * 1000 + zoneOffsetMs(timeZone, instantMs));
}

export function parseLocalDate(date: LocalDate): { year: number; month: number; day: number } {
  const match = LOCAL_DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date of the form YYYY-MM-DD`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`"${date}" is not a calendar date`);
  }
  return { year, month, day };
}

export function isLocalDate(text: string): boolean {
  try {
    parseLocalDate(text);
    return true;
  } catch {
    return false;
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function fromUtcDate(d: Date): LocalDate {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The local date of an instant in a time zone. */
export function localDateOf(instantMs: number, timeZone: string): LocalDate {
  return fromUtcDate(wallClock(instantMs, timeZone));
}

/** Minutes since local midnight of an instant in a time zone. */
export function localMinuteOfDay(instantMs: number, timeZone: string): number {
  const wall = wallClock(instantMs, timeZone);
  return wall.getUTCHours() * 60 + wall.getUTCMinutes();
}

/** The instant at a local date and minute of day in a time zone. */
export function instantAt(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const { year, month, day } = parseLocalDate(date);
  const wallClockAsUtc = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE_MS;
  // Two passes settle the offset even on a day whose offset changes (DST zones).
  let guess = wallClockAsUtc - zoneOffsetMs(timeZone, wallClockAsUtc);
  guess = wallClockAsUtc - zoneOffsetMs(timeZone, guess);
  return guess;
}

/** A local moment as people write it: a date and time `YYYY-MM-DDTHH:mm`, or a date `YYYY-MM-DD`. */
export const LOCAL_MOMENT_PATTERN = /^(\d{4}-\d{2}-\d{2})(?:T([01]\d|2[0-3]):([0-5]\d))?$/;

/**
 * The instant of a local moment (`YYYY-MM-DDTHH:mm`, or a date alone at `minuteOfDayForDate`, 08:00 unless
 * said) in a time zone; undefined when the text is not one (an impossible date such as 2026-02-30 included).
 */
export function parseLocalMoment(text: string, timeZone: string, minuteOfDayForDate = 8 * 60): number | undefined {
  const match = LOCAL_MOMENT_PATTERN.exec(text);
  if (!match || !isLocalDate(match[1])) return undefined;
  const minute = match[2] === undefined ? minuteOfDayForDate : Number(match[2]) * 60 + Number(match[3]);
  return instantAt(match[1], minute, timeZone);
}

export function isLocalMoment(text: string): boolean {
  const match = LOCAL_MOMENT_PATTERN.exec(text);
  return match !== null && isLocalDate(match[1]);
}

export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  return fromUtcDate(new Date(Date.UTC(year, month - 1, day) + days * DAY_MS));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

// ---------------------------------------------------------------------------------------------------------
// Holiday calendars

/**
 * A government decision for one year (e.g. the Ministry of Home Affairs' notice on Tết): days off given on
 * top of the Labour Code's holidays, and the weekend days worked in exchange (ngày nghỉ bù, hoán đổi ngày
 * làm việc). Published every year, so plans carry them as data instead of tminus guessing them.
 */
export interface GovernmentDayOffDecision {
  /** The decision's number and symbol or title, shown as the day's name, e.g. `Thông báo 6150/TB-BNV`. */
  decision: string;
  daysOff?: LocalDate[];
  workingDays?: LocalDate[];
}

/** What a plan says about its calendar: a base calendar plus its own additions and exceptions. */
export interface CalendarConfig {
  /** `VN` (Vietnam's public holidays, the default) or `NONE` (weekends only). */
  base?: 'VN' | 'NONE';
  /** Extra days off, e.g. a province's own holiday or a Tết bridge decided by the government. */
  extraHolidays?: LocalDate[];
  /** Days that are worked although they fall on a weekend or holiday (compensatory Saturdays). */
  extraWorkingDays?: LocalDate[];
  /** The government's yearly days off and swapped working days, decision by decision. */
  governmentDecisions?: GovernmentDayOffDecision[];
  /** Weekend days, 0 = Sunday … 6 = Saturday. Default Saturday and Sunday. */
  weekendDays?: number[];
}

export interface HolidayCalendar {
  isWorkingDay(date: LocalDate): boolean;
  holidayName(date: LocalDate): string | undefined;
}

/**
 * The years whose Vietnamese holidays tminus knows. The lunar dates are computed (below) for any year, but
 * checked against the officially published dates only around the congress terms tminus plans for; a date
 * outside these years is refused rather than silently treated as a working day.
 */
export const VN_HOLIDAY_FIRST_YEAR = 2000;
export const VN_HOLIDAY_LAST_YEAR = 2099;

/** True when tminus knows Vietnam's public holidays in `year`. */
export function isCoveredHolidayYear(year: number): boolean {
  return Number.isInteger(year) && year >= VN_HOLIDAY_FIRST_YEAR && year <= VN_HOLIDAY_LAST_YEAR;
}

function outsideCoveredYears(date: LocalDate): DomainError {
  const message =
    `${date} is outside the years whose Vietnamese public holidays are known ` +
    `(${VN_HOLIDAY_FIRST_YEAR}–${VN_HOLIDAY_LAST_YEAR}): working days cannot be counted there`;
  return new DomainError('INVALID_INPUT', message, [{ path: 'calendar', message }]);
}

const lunarDateCache = new Map<number, { tet: LocalDate; hungKings: LocalDate }>();

/**
 * Lunar New Year's Day (Mùng 1 Tết) and the Hùng Kings' Commemoration (10/3 âm lịch) in the Gregorian
 * calendar, from date-chinese's Vietnamese lunisolar calendar: new moons and solar terms computed
 * astronomically for the meridian of UTC+7, which is what makes Vietnam's Tết differ from China's in some
 * years (2030: 2 February in Vietnam, 3 February in China). Pure arithmetic, no I/O: safe in workflow code.
 */
export function vietnameseLunarDates(year: number): { tet: LocalDate; hungKings: LocalDate } {
  let dates = lunarDateCache.get(year);
  if (!dates) {
    const lunar = new CalendarVietnamese();
    lunar.fromJDE(lunar.newYear(year));
    const tet = lunar.toGregorian(year);
    // Month 3, not the leap month: Giỗ Tổ is kept in the ordinary third month when a year has a leap one.
    const [cycle, lunarYear] = lunar.get();
    lunar.set(cycle, lunarYear, 3, 0, 10);
    const hungKings = lunar.toGregorian(year);
    const asDate = (g: { year: number; month: number; day: number }) =>
      `${pad(g.year, 4)}-${pad(g.month)}-${pad(g.day)}`;
    dates = { tet: asDate(tet), hungKings: asDate(hungKings) };
    lunarDateCache.set(year, dates);
  }
  return dates;
}

/**
 * The table of lunar holidays plans used before the lunar computation, kept unchanged (errors included: Tết
 * 2030 and Giỗ Tổ 2031 are wrong here) only so that those plans replay as they ran. Remove it with the patch
 * `lunar-holidays-v1` (workflows/versions.ts).
 */
const LEGACY_LUNAR_TABLE: Readonly<Record<number, { tet: LocalDate; hungKings: LocalDate }>> = {
  2020: { tet: '2020-01-25', hungKings: '2020-04-02' },
  2021: { tet: '2021-02-12', hungKings: '2021-04-21' },
  2022: { tet: '2022-02-01', hungKings: '2022-04-10' },
  2023: { tet: '2023-01-22', hungKings: '2023-04-29' },
  2024: { tet: '2024-02-10', hungKings: '2024-04-18' },
  2025: { tet: '2025-01-29', hungKings: '2025-04-07' },
  2026: { tet: '2026-02-17', hungKings: '2026-04-26' },
  2027: { tet: '2027-02-06', hungKings: '2027-04-16' },
  2028: { tet: '2028-01-26', hungKings: '2028-04-04' },
  2029: { tet: '2029-02-13', hungKings: '2029-04-23' },
  2030: { tet: '2030-02-03', hungKings: '2030-04-12' },
  2031: { tet: '2031-01-23', hungKings: '2031-05-01' },
};

/** Where Tết and Giỗ Tổ come from: the lunar computation, or the legacy table of older plans. */
export type LunarHolidaySource = 'lunar' | 'legacy-table';

/**
 * Vietnam's public holidays for a year, per the Labour Code 2019 (art. 112): New Year (1/1), Tết (five days:
 * the last day of the lunar year and the first four days of the new one), Hùng Kings (10/3 lunar),
 * Reunification (30/4), Labour Day (1/5), National Day (2/9 and 1/9). The days swapped or added each year by
 * the government's decision are not in here: plans list them in `calendar.governmentDecisions`.
 * Throws for a year outside VN_HOLIDAY_FIRST_YEAR…VN_HOLIDAY_LAST_YEAR.
 */
export function vietnamPublicHolidays(year: number, source: LunarHolidaySource = 'lunar'): Map<LocalDate, string> {
  if (source === 'lunar' && !isCoveredHolidayYear(year)) throw outsideCoveredYears(`${pad(year, 4)}-01-01`);
  const days = new Map<LocalDate, string>();
  days.set(`${year}-01-01`, 'Tết Dương lịch');
  days.set(`${year}-04-30`, 'Ngày Giải phóng miền Nam, thống nhất đất nước');
  days.set(`${year}-05-01`, 'Ngày Quốc tế Lao động');
  days.set(`${year}-09-01`, 'Quốc khánh (nghỉ liền kề)');
  days.set(`${year}-09-02`, 'Quốc khánh');
  const lunar = source === 'lunar' ? vietnameseLunarDates(year) : LEGACY_LUNAR_TABLE[year];
  if (!lunar) return days;
  for (let offset = -1; offset <= 3; offset++) {
    days.set(
      addCalendarDays(lunar.tet, offset),
      offset < 0 ? 'Tết Nguyên đán (30 Tết)' : `Tết Nguyên đán (mùng ${offset + 1})`,
    );
  }
  days.set(lunar.hungKings, 'Giỗ Tổ Hùng Vương');
  return days;
}

export function buildHolidayCalendar(
  config: CalendarConfig = {},
  source: LunarHolidaySource = 'lunar',
): HolidayCalendar {
  const weekend = new Set(config.weekendDays ?? [0, 6]);
  const extraHolidays = new Map<LocalDate, string>(
    (config.extraHolidays ?? []).map((d) => [d, 'Ngày nghỉ theo kế hoạch']),
  );
  const extraWorking = new Set(config.extraWorkingDays ?? []);
  for (const decision of config.governmentDecisions ?? []) {
    for (const day of decision.daysOff ?? []) extraHolidays.set(day, `Ngày nghỉ theo ${decision.decision}`);
    for (const day of decision.workingDays ?? []) extraWorking.add(day);
  }
  const byYear = new Map<number, Map<LocalDate, string>>();
  const base = config.base ?? 'VN';
  const publicHoliday = (date: LocalDate): string | undefined => {
    if (base === 'NONE') return undefined;
    const year = Number(date.slice(0, 4));
    if (source === 'lunar' && !isCoveredHolidayYear(year)) throw outsideCoveredYears(date);
    let days = byYear.get(year);
    if (!days) {
      days = vietnamPublicHolidays(year, source);
      byYear.set(year, days);
    }
    return days.get(date);
  };
  const holidayName = (date: LocalDate): string | undefined => {
    if (extraWorking.has(date)) return undefined;
    return extraHolidays.get(date) ?? publicHoliday(date);
  };
  return {
    holidayName,
    isWorkingDay(date) {
      if (extraWorking.has(date)) return true;
      return !weekend.has(dayOfWeek(date)) && holidayName(date) === undefined;
    },
  };
}

/**
 * Moves `days` working days from `date` (negative: backwards). With 0 it returns the date itself when it is
 * a working day, else the previous working day — a deadline never lands on a day off.
 */
export function addWorkingDays(date: LocalDate, days: number, calendar: HolidayCalendar): LocalDate {
  const step = days < 0 ? -1 : 1;
  let current = date;
  let remaining = Math.abs(days);
  while (remaining > 0) {
    current = addCalendarDays(current, step);
    if (calendar.isWorkingDay(current)) remaining--;
  }
  while (!calendar.isWorkingDay(current)) current = addCalendarDays(current, -1);
  return current;
}

/** Problems in a plan's calendar settings, by path: every date must be a real `YYYY-MM-DD`. */
export function validateCalendarConfig(config: CalendarConfig | undefined, path = 'calendar'): ValidationIssue[] {
  if (config === undefined) return [];
  const issues: ValidationIssue[] = [];
  const dates = (list: unknown, at: string) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) return void issues.push({ path: at, message: 'must be a list of dates YYYY-MM-DD' });
    list.forEach((d, i) => {
      if (typeof d !== 'string' || !isLocalDate(d)) {
        issues.push({ path: `${at}[${i}]`, message: `"${String(d)}" is not a date YYYY-MM-DD` });
      }
    });
  };
  dates(config.extraHolidays, `${path}.extraHolidays`);
  dates(config.extraWorkingDays, `${path}.extraWorkingDays`);
  (config.governmentDecisions ?? []).forEach((decision, i) => {
    const at = `${path}.governmentDecisions[${i}]`;
    if (typeof decision?.decision !== 'string' || !decision.decision.trim()) {
      issues.push({ path: `${at}.decision`, message: 'must name the decision (number and symbol, or title)' });
    }
    dates(decision?.daysOff, `${at}.daysOff`);
    dates(decision?.workingDays, `${at}.workingDays`);
  });
  return issues;
}
