/**
 * Where a congress enters (the API, a template, the workflow's start): it is checked and normalised once —
 * time zone defaulted, dates parsed, strings within their limits (libs/domain/limits.ts, checked by the
 * validators), not starting in the past — and everything after that reads the normalised form.
 */
import { DEFAULT_TIME_ZONE, addCalendarDays, instantAt, localDateOf } from '../calendar';
import { invalidInput, type ValidationIssue } from '../errors';
import type { CongressDefinition, PlanState, TaskDefinition, UnitPlanDefinition } from '../model';
import { isTerminal } from '../transitions';
import { closingInstant } from '../schedule';
import { DEFAULT_CLOSE_AFTER } from '../engine';
import { KEY_PATTERN, findCycle, isExternalRef, taskDependencies, validateCongress, validatePlan } from '../validation';
import type { NormalisedCongress } from './model';

/** A congress's id: lowercase letters, digits and dashes, part of every workflow ID. */
export const CONGRESS_ID_PATTERN = KEY_PATTERN;

/** Most plans a congress starts with. */
export const MAX_PLANS_PER_CONGRESS = 50;

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
  const issues = validateCongress(congress, path);
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
    if (units.has(plan.unitCode))
      issues.push({ path: `${plansPath}[${i}].unitCode`, message: `"${plan.unitCode}" has two plans` });
    units.add(plan.unitCode);
  });
  if (issues.length === 0) {
    const units = plans.map(
      (plan, i): UnitTasks => ({
        unitCode: plan.unitCode,
        tasks: definitionTasks(plan, `${plansPath}[${i}]`).map(writtenTaskNode),
      }),
    );
    issues.push(...crossUnitCycleIssues(units));
  }
  return issues;
}

/** One unit's tasks as the cycle check sees them: where each is written (for the message), and what it waits on. */
interface UnitTasks {
  unitCode: string;
  tasks: Array<{ id: string; waitsOn: string[]; path?: string }>;
}

/**
 * Plans that wait on each other in a circle (TT-01 on another unit's AN-01, which waits on TT-01) would never
 * start those tasks. Each plan checks its own cycles; this checks the congress's plans as one graph, and names
 * the first task of the circle that has a path (one of the plans being admitted).
 */
function crossUnitCycleIssues(units: UnitTasks[]): ValidationIssue[] {
  const paths = new Map<string, string>();
  const deps = new Map<string, string[]>();
  for (const { unitCode, tasks } of units) {
    for (const { id, waitsOn, path } of tasks) {
      const node = `${unitCode}:${id}`;
      if (path) paths.set(node, path);
      deps.set(
        node,
        waitsOn.map((dep) => (isExternalRef(dep) ? dep : `${unitCode}:${dep}`)),
      );
    }
  }
  const cycle = findCycle(deps);
  // A cycle inside one plan is that plan's own issue (validatePlan); only one that crosses units is new here.
  if (!cycle || new Set(cycle.map((node) => node.split(':')[0])).size < 2) return [];
  const named = cycle.find((node) => paths.has(node)) ?? cycle[0];
  return [
    { path: `${paths.get(named) ?? 'plan'}.dependsOn`, message: `dependency cycle across units: ${cycle.join(' → ')}` },
  ];
}

/** A task as written (in a definition or a request), as the cycle check sees it. */
function writtenTaskNode({ task, path }: { task: Pick<TaskDefinition, 'id' | 'dependsOn' | 'due'>; path: string }) {
  return { id: task.id, waitsOn: taskDependencies(task), path };
}

/** A plan definition's tasks, its scenarios' included, with where each is written. */
function definitionTasks(
  plan: UnitPlanDefinition,
  planPath: string,
): Array<{ task: Pick<TaskDefinition, 'id' | 'dependsOn' | 'due'>; path: string }> {
  return [
    ...plan.tasks.map((task, j) => ({ task, path: `${planPath}.tasks[${j}]` })),
    ...plan.scenarios.flatMap((scenario, k) =>
      scenario.tasks.map((task, j) => ({ task, path: `${planPath}.scenarios[${k}].tasks[${j}]` })),
    ),
  ];
}

/**
 * Tasks added to a running congress (a new plan's, or one task added to a running plan), against the running
 * plans as they are now: tasks added since their start included, scenarios' tasks not yet active too. A circle
 * through a task already settled cannot block anything, so settled tasks wait on nothing here.
 */
export function addedTasksCycleIssues(
  running: PlanState[],
  unitCode: string,
  added: Array<{ task: Pick<TaskDefinition, 'id' | 'dependsOn' | 'due'>; path: string }>,
): ValidationIssue[] {
  const addedIds = new Set(added.map(({ task }) => task.id));
  const runningUnits = running.map((state): UnitTasks => {
    const current = Object.values(state.tasks).map((task) => ({
      id: task.id,
      waitsOn: isTerminal(task.status) ? [] : taskDependencies(task),
    }));
    const known = new Set(current.map((t) => t.id));
    const inactive = state.definition.scenarios
      .flatMap((scenario) => scenario.tasks)
      .filter((task) => !known.has(task.id))
      .map((task) => ({ id: task.id, waitsOn: taskDependencies(task) }));
    const own = state.definition.unitCode === unitCode;
    return {
      unitCode: state.definition.unitCode,
      tasks: [...current, ...inactive].filter((t) => !own || !addedIds.has(t.id)),
    };
  });
  const addedUnit: UnitTasks = {
    unitCode,
    tasks: added.map(writtenTaskNode),
  };
  return crossUnitCycleIssues([...runningUnits, addedUnit]);
}

/** A plan added to a running congress: its tasks, its scenarios' included, against the running plans. */
export function addedPlanCycleIssues(
  running: PlanState[],
  plan: UnitPlanDefinition,
  planPath = 'plan',
): ValidationIssue[] {
  return addedTasksCycleIssues(running, plan.unitCode, definitionTasks(plan, planPath));
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

/**
 * When a congress's plan closes on its own (the schedule's closing rule, with the time zone and `closeAfter`
 * defaulted): what the preview of a move reports, and what the plan engine computes for the plan.
 */
export function planClosesAt(
  congress: Pick<CongressDefinition, 'endDate' | 'timeZone'>,
  closeAfter: string | undefined,
): number {
  const timeZone = congress.timeZone ?? DEFAULT_TIME_ZONE;
  return closingInstant({ endDate: congress.endDate, timeZone }, closeAfter ?? DEFAULT_CLOSE_AFTER);
}

/** The first moment of a congress's first day. */
export function congressStartsAt(congress: Pick<CongressDefinition, 'startDate' | 'timeZone'>): number {
  return instantAt(congress.startDate, 0, congress.timeZone ?? DEFAULT_TIME_ZONE);
}

/** A date `days` after today in the congress's zone (examples and defaults computed, never hard-coded). */
export function daysFromToday(now: number, days: number, timeZone = DEFAULT_TIME_ZONE): string {
  return addCalendarDays(localDateOf(now, timeZone), days);
}
