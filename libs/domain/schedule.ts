/**
 * Schedule maths: deadlines written the way the subcommittee writes them ("T-30 days", "ten working days
 * before congress day", "five days after the venue is approved") resolved to instants in the congress's
 * time zone, and recomputed whenever congress day moves.
 */
import {
  addCalendarDays,
  addWorkingDays,
  buildHolidayCalendar,
  instantAt,
  isLocalDate,
  localDateOf,
  parseLocalDate,
  type CalendarConfig,
  type HolidayCalendar,
  type LocalDate,
  type LunarHolidaySource,
} from './calendar';
import { isDuration, parseDuration } from './duration';
import { DomainError } from './errors';

/** Deadlines relative to a day fall at the end of the working day unless they say `@HH:MM`. */
export const DEFAULT_DUE_MINUTE = 17 * 60;

export type DueSpec =
  | { kind: 'absolute'; at: number }
  | { kind: 'congress'; anchor: 'start' | 'end'; days: number; workingDays: boolean; minuteOfDay: number }
  | { kind: 'after'; taskRef: string; offset: Offset }
  | { kind: 'activation'; offset: Offset };

/** An offset from an event: a duration, or a number of working days (landing at the default hour). */
export type Offset = { durationMs: number } | { workingDays: number };

const CONGRESS_PATTERN = /^([TE])(?:([+-])(\d+)(wd|d))?(?:@(\d{2}):(\d{2}))?$/;
const AFTER_PATTERN = /^after:([A-Za-z0-9_.:-]+?)(?:\+(.+))?$/;
const ACTIVATION_PATTERN = /^A(?:\+(.+))?$/;
const ISO_INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function bad(text: string, path: string, why: string): DomainError {
  const message = `"${text}" is not a due time: ${why}`;
  return new DomainError('INVALID_INPUT', `${path}: ${message}`, [{ path, message }]);
}

/** Farthest a deadline may lie from its anchor, in days (calendar or working): beyond it, dates leave the calendar. */
export const MAX_OFFSET_DAYS = 3660;

function parseOffset(text: string | undefined, original: string, path: string): Offset {
  if (text === undefined || text === '') return { durationMs: 0 };
  const working = /^(\d+)wd$/.exec(text);
  if (working) {
    if (Number(working[1]) > MAX_OFFSET_DAYS) throw bad(original, path, `at most ${MAX_OFFSET_DAYS} working days`);
    return { workingDays: Number(working[1]) };
  }
  if (!isDuration(text)) throw bad(original, path, `"${text}" is neither a duration (5d, 12h) nor working days (3wd)`);
  return { durationMs: parseDuration(text, path) };
}

/** The task an `after:<task>+…` deadline counts from, or undefined for any other form. */
export function afterRef(due: string | undefined): string | undefined {
  return AFTER_PATTERN.exec((due ?? '').trim())?.[1];
}

/** Parses a due expression; throws a DomainError naming `path` when it is malformed. */
export function parseDue(text: string, path = 'due'): DueSpec {
  const trimmed = (text ?? '').trim();
  const congress = CONGRESS_PATTERN.exec(trimmed);
  if (congress) {
    const [, anchor, sign, amount, unit, hh, mm] = congress;
    const minuteOfDay = hh === undefined ? DEFAULT_DUE_MINUTE : Number(hh) * 60 + Number(mm);
    if (hh !== undefined && (Number(hh) > 23 || Number(mm) > 59)) throw bad(text, path, 'the time of day is invalid');
    const magnitude = amount === undefined ? 0 : Number(amount);
    if (magnitude > MAX_OFFSET_DAYS) throw bad(text, path, `at most ${MAX_OFFSET_DAYS} days from congress day`);
    return {
      kind: 'congress',
      anchor: anchor === 'T' ? 'start' : 'end',
      days: sign === '-' ? -magnitude : magnitude,
      workingDays: unit === 'wd',
      minuteOfDay,
    };
  }
  const after = AFTER_PATTERN.exec(trimmed);
  if (after) return { kind: 'after', taskRef: after[1], offset: parseOffset(after[2], text, path) };
  const activation = ACTIVATION_PATTERN.exec(trimmed);
  if (activation) return { kind: 'activation', offset: parseOffset(activation[1], text, path) };
  if (ISO_INSTANT_PATTERN.test(trimmed)) {
    const at = Date.parse(trimmed);
    // Date.parse rolls 2026-02-30 over into March: the calendar date must exist as written.
    if (Number.isNaN(at) || !isLocalDate(trimmed.slice(0, 10))) throw bad(text, path, 'the instant is not a real date');
    return { kind: 'absolute', at };
  }
  throw bad(
    text,
    path,
    'use T-30d, T-10wd, T+1d@08:00, E+7d, after:<task>+5d, A+2d, or an ISO instant with offset (2026-01-10T17:00:00+07:00)',
  );
}

export interface ScheduleContext {
  startDate: LocalDate;
  endDate: LocalDate;
  timeZone: string;
  calendar: HolidayCalendar;
  /** When a task (own id, or `UNIT:taskId`) was completed, if it was. */
  completionOf(taskRef: string): number | undefined;
  /** When the scenario owning the task was activated, if it is active. */
  activationOf(scenario: string | undefined): number | undefined;
}

export function buildScheduleContext(
  congress: { startDate: LocalDate; endDate: LocalDate; timeZone: string },
  calendar: CalendarConfig | undefined,
  completionOf: ScheduleContext['completionOf'] = () => undefined,
  activationOf: ScheduleContext['activationOf'] = () => undefined,
  holidays: LunarHolidaySource = 'lunar',
): ScheduleContext {
  parseLocalDate(congress.startDate);
  parseLocalDate(congress.endDate);
  return { ...congress, calendar: holidayCalendarOf(calendar, holidays), completionOf, activationOf };
}

/**
 * Holiday calendars by configuration, built once: the engine asks for the schedule on every turn, and
 * building one (lunar holidays included) costs far more than using it. Deterministic, so safe in workflows.
 */
const calendars = new Map<string, HolidayCalendar>();
function holidayCalendarOf(config: CalendarConfig | undefined, holidays: LunarHolidaySource): HolidayCalendar {
  const key = `${holidays}:${JSON.stringify(config ?? {})}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size >= 32) calendars.clear();
    calendar = buildHolidayCalendar(config, holidays);
    calendars.set(key, calendar);
  }
  return calendar;
}

function applyOffset(from: number, offset: Offset, ctx: ScheduleContext): number {
  if ('durationMs' in offset) return from + offset.durationMs;
  const date = addWorkingDays(localDateOf(from, ctx.timeZone), offset.workingDays, ctx.calendar);
  return instantAt(date, DEFAULT_DUE_MINUTE, ctx.timeZone);
}

/** The instant a due spec stands for, or undefined while the event it counts from has not happened. */
export function resolveDue(spec: DueSpec, ctx: ScheduleContext, scenario?: string): number | undefined {
  switch (spec.kind) {
    case 'absolute':
      return spec.at;
    case 'congress': {
      const anchor = spec.anchor === 'start' ? ctx.startDate : ctx.endDate;
      const date = spec.workingDays
        ? addWorkingDays(anchor, spec.days, ctx.calendar)
        : addCalendarDays(anchor, spec.days);
      return instantAt(date, spec.minuteOfDay, ctx.timeZone);
    }
    case 'after': {
      const completed = ctx.completionOf(spec.taskRef);
      return completed === undefined ? undefined : applyOffset(completed, spec.offset, ctx);
    }
    case 'activation': {
      const activated = ctx.activationOf(scenario);
      return activated === undefined ? undefined : applyOffset(activated, spec.offset, ctx);
    }
  }
}

/** Parses and resolves in one step. */
export function resolveDueText(
  text: string,
  ctx: ScheduleContext,
  scenario?: string,
  path = 'due',
): number | undefined {
  return resolveDue(parseDue(text, path), ctx, scenario);
}

/** The phase of the congress at an instant: before its first day, during its days, after its last. */
export function phaseAt(
  instant: number,
  ctx: Pick<ScheduleContext, 'startDate' | 'endDate' | 'timeZone'>,
): 'before' | 'during' | 'after' {
  if (instant < instantAt(ctx.startDate, 0, ctx.timeZone)) return 'before';
  if (instant < instantAt(addCalendarDays(ctx.endDate, 1), 0, ctx.timeZone)) return 'during';
  return 'after';
}

/** Start of the local day after the congress's last day: when the after phase begins. */
export function congressEndInstant(ctx: Pick<ScheduleContext, 'endDate' | 'timeZone'>): number {
  return instantAt(addCalendarDays(ctx.endDate, 1), 0, ctx.timeZone);
}

/** When a plan closes on its own: `closeAfter` (a duration) after the start of the day after the congress. */
export function closingInstant(ctx: Pick<ScheduleContext, 'endDate' | 'timeZone'>, closeAfter: string): number {
  return congressEndInstant(ctx) + parseDuration(closeAfter);
}

export function congressStartInstant(ctx: Pick<ScheduleContext, 'startDate' | 'timeZone'>): number {
  return instantAt(ctx.startDate, 0, ctx.timeZone);
}

/** The next check-in after `after`: 08:00 local on the first day of the next month, quarter or year. */
export function nextCheckIn(
  after: number,
  cadence: 'monthly' | 'quarterly' | 'yearly' | 'none',
  timeZone: string,
): number | undefined {
  if (cadence === 'none') return undefined;
  const today = parseLocalDate(localDateOf(after, timeZone));
  const step = cadence === 'monthly' ? 1 : cadence === 'quarterly' ? 3 : 12;
  let monthIndex = today.year * 12 + (today.month - 1);
  // Align to the cadence's boundaries (quarters start in Jan/Apr/Jul/Oct, years in Jan).
  monthIndex = Math.floor(monthIndex / step) * step;
  for (;;) {
    const y = Math.floor(monthIndex / 12);
    const m = (monthIndex % 12) + 1;
    const candidate = instantAt(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`, 8 * 60, timeZone);
    if (candidate > after) return candidate;
    monthIndex += step;
  }
}
