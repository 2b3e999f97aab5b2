/**
 * Where a congress enters (the API, a template, the workflow's start): it is checked and normalised once —
 * time zone defaulted, dates parsed, strings within their limits, not starting in the past — and everything
 * after that reads the normalised form. The DTOs take their patterns and limits from here.
 */
import { DEFAULT_TIME_ZONE, addCalendarDays, instantAt, localDateOf } from '../calendar';
import { parseDuration } from '../duration';
import { invalidInput, type ValidationIssue } from '../errors';
import type { CongressDefinition, UnitPlanDefinition } from '../model';
import { congressEndInstant } from '../schedule';
import { DEFAULT_CLOSE_AFTER } from '../engine';
import { KEY_PATTERN, validateCongress, validatePlan } from '../validation';
import type { NormalisedCongress } from './model';

/** A congress's id: lowercase letters, digits and dashes, part of every workflow ID. */
export const CONGRESS_ID_PATTERN = KEY_PATTERN;

/** Most plans a congress starts with. */
export const MAX_PLANS_PER_CONGRESS = 50;

/**
 * Longest text, in characters, by field name, for every string a congress or plan definition holds. A field not
 * named here gets `default`. Generous for real documents, small enough that no definition can bloat a state.
 */
export const TEXT_LIMITS = {
  id: 64,
  code: 64,
  unitCode: 32,
  group: 64,
  leadAgency: 64,
  responsible: 64,
  unitLead: 64,
  head: 64,
  name: 300,
  unitName: 300,
  unitNameEn: 300,
  title: 500,
  deliverable: 500,
  description: 2000,
  documentNumber: 100,
  due: 100,
  email: 254,
  timeZone: 64,
  reason: 1000,
  default: 200,
} as const;

/** The limit for a field, by its name. */
export function textLimit(field: string): number {
  return (TEXT_LIMITS as Record<string, number>)[field] ?? TEXT_LIMITS.default;
}

/** Every string in `value` longer than its field's limit (array items take the array's field name). */
export function textLimitIssues(value: unknown, path: string, field = ''): ValidationIssue[] {
  if (typeof value === 'string') {
    const limit = textLimit(field);
    return value.length > limit ? [{ path, message: `must be at most ${limit} characters` }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => textLimitIssues(item, `${path}[${i}]`, field));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => textLimitIssues(v, path ? `${path}.${key}` : key, key));
  }
  return [];
}

/** The congress with its defaults filled in; its issues are `congressIssues`. */
export function normaliseCongress(congress: CongressDefinition): NormalisedCongress {
  return { ...congress, timeZone: congress.timeZone ?? DEFAULT_TIME_ZONE };
}

/** Today's date where the congress takes place. */
export function todayAt(congress: Pick<CongressDefinition, 'timeZone'>, now: number): string {
  return localDateOf(now, congress.timeZone ?? DEFAULT_TIME_ZONE);
}

/**
 * Everything wrong with a congress definition and its plans, by path. `now` is given for a new congress: it
 * may not start before today (a congress created in the past would close its plans within seconds).
 */
export function congressIssues(
  congress: CongressDefinition,
  plans: UnitPlanDefinition[],
  options: { now?: number; path?: string; plansPath?: string } = {},
): ValidationIssue[] {
  const path = options.path ?? 'congress';
  const plansPath = options.plansPath ?? 'plans';
  const issues = [...validateCongress(congress, path), ...textLimitIssues(congress, path)];
  if (options.now !== undefined && !issues.some((i) => i.path === `${path}.startDate`)) {
    const today = todayAt(congress, options.now);
    if (congress.startDate < today) {
      issues.push({ path: `${path}.startDate`, message: `must not be in the past (today is ${today})` });
    }
  }
  if (plans.length > MAX_PLANS_PER_CONGRESS) {
    issues.push({ path: plansPath, message: `a congress starts with at most ${MAX_PLANS_PER_CONGRESS} plans` });
  }
  // Plans are checked against the congress's dates: only once those are real dates.
  const congressOk = !issues.some((i) => i.path === `${path}.startDate` || i.path === `${path}.endDate`);
  const units = new Set<string>();
  plans.forEach((plan, i) => {
    if (congressOk) issues.push(...validatePlan(plan, congress, `${plansPath}[${i}]`));
    issues.push(...textLimitIssues(plan, `${plansPath}[${i}]`));
    if (units.has(plan.unitCode))
      issues.push({ path: `${plansPath}[${i}].unitCode`, message: `"${plan.unitCode}" has two plans` });
    units.add(plan.unitCode);
  });
  return issues;
}

/** Normalises a new congress and its plans, or throws one 400 naming every issue. */
export function admitCongress(
  congress: CongressDefinition,
  plans: UnitPlanDefinition[],
  now: number,
  paths: { path?: string; plansPath?: string } = {},
): NormalisedCongress {
  const normalised = normaliseCongress(congress);
  const issues = congressIssues(normalised, plans, { now, ...paths });
  if (issues.length > 0) throw invalidInput(issues);
  return normalised;
}

/** When a plan closes on its own: `closeAfter` (default 30 days) after the start of the day after the congress. */
export function planClosesAt(
  congress: Pick<CongressDefinition, 'endDate' | 'timeZone'>,
  closeAfter: string | undefined,
): number {
  const timeZone = congress.timeZone ?? DEFAULT_TIME_ZONE;
  return congressEndInstant({ endDate: congress.endDate, timeZone }) + parseDuration(closeAfter ?? DEFAULT_CLOSE_AFTER);
}

/** The first moment of a congress's first day. */
export function congressStartsAt(congress: Pick<CongressDefinition, 'startDate' | 'timeZone'>): number {
  return instantAt(congress.startDate, 0, congress.timeZone ?? DEFAULT_TIME_ZONE);
}

/** A date `days` after today in the congress's zone (examples and defaults computed, never hard-coded). */
export function daysFromToday(now: number, days: number, timeZone = DEFAULT_TIME_ZONE): string {
  return addCalendarDays(localDateOf(now, timeZone), days);
}
