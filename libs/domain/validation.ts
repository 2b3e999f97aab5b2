/**
 * Validation of congress and plan definitions, before any workflow starts. Every issue names the offending
 * path, so that the API can answer 400 with a message a coordinator can act on.
 */
import { isLocalDate, isValidTimeZone, parseLocalDate, DEFAULT_TIME_ZONE, validateCalendarConfig } from './calendar';
import { isDuration, parseDuration } from './duration';
import type { ValidationIssue } from './errors';
import { LIST_LIMITS, TEXT_LIMITS, listTooLong, textTooLong } from './limits';
import {
  CONGRESS_LEVELS,
  ESCALATION_AUDIENCES,
  PHASES,
  QUORUMS,
  CHECK_IN_CADENCES,
  type CongressDefinition,
  type Person,
  type TaskDefinition,
  type UnitPlanDefinition,
} from './model';
import { afterRef, buildScheduleContext, parseDue, resolveDue, type DueSpec } from './schedule';

/**
 * Most tasks one plan may hold (its own and its scenarios'). The whole state travels in one payload at
 * continue-as-new (limit 2 MiB); at 1000 tasks it is about a third of that (see `npm run bench`).
 */
export const MAX_TASKS_PER_PLAN = 1000;

export const KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
export const TASK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const EXTERNAL_REF_PATTERN = /^([A-Za-z0-9][A-Za-z0-9-]{0,31}):([A-Za-z0-9][A-Za-z0-9_.-]{0,63})$/;

export function isExternalRef(ref: string): boolean {
  return EXTERNAL_REF_PATTERN.test(ref);
}

export function congressPeople(congress: CongressDefinition): Person[] {
  const p = congress?.people;
  if (!p) return [];
  return [p.head, ...(p.deputyHeads ?? []), ...(p.standingSection ?? []), ...(p.standingCommittee ?? [])].filter(
    (person): person is Person => !!person,
  );
}

export function validateCongress(congress: CongressDefinition, path = 'congress'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (p: string, message: string) => issues.push({ path: `${path}.${p}`, message });
  if (!congress || typeof congress !== 'object') return [{ path, message: 'is required' }];
  if (!KEY_PATTERN.test(congress.id ?? '')) add('id', 'must be 2-63 lowercase letters, digits or dashes');
  if (!congress.name?.trim()) add('name', 'must not be empty');
  issues.push(...textTooLong(congress.name, TEXT_LIMITS.name, `${path}.name`));
  if (!CONGRESS_LEVELS.includes(congress.level)) add('level', `must be one of ${CONGRESS_LEVELS.join(', ')}`);
  let datesOk = true;
  for (const field of ['startDate', 'endDate'] as const) {
    try {
      parseLocalDate(congress[field]);
    } catch {
      datesOk = false;
      add(field, 'must be a date YYYY-MM-DD');
    }
  }
  if (datesOk && congress.endDate < congress.startDate) add('endDate', 'must not be before startDate');
  const tz = congress.timeZone ?? DEFAULT_TIME_ZONE;
  if (!isValidTimeZone(tz)) add('timeZone', `"${tz}" is not an IANA time zone`);
  const people = congress.people;
  if (!people?.head?.id) add('people.head', 'the head of the subcommittee is required');
  if (!people?.standingCommittee?.length) add('people.standingCommittee', 'at least one approver is required');
  checkPeopleUnique(people ? congressPeople(congress) : [], `${path}.people`, issues, true);
  return issues;
}

function checkPeopleUnique(people: Person[], path: string, issues: ValidationIssue[], allowRepeats: boolean): void {
  const seen = new Map<string, string>();
  issues.push(...listTooLong(people, LIST_LIMITS.people, path));
  people.forEach((person, i) => {
    issues.push(
      ...textTooLong(person?.id, TEXT_LIMITS.id, `${path}[${i}].id`),
      ...textTooLong(person?.name, TEXT_LIMITS.name, `${path}[${i}].name`),
      ...textTooLong(person?.title, TEXT_LIMITS.name, `${path}[${i}].title`),
      ...textTooLong(person?.email, TEXT_LIMITS.email, `${path}[${i}].email`),
    );
    if (!person?.id?.trim()) issues.push({ path: `${path}[${i}].id`, message: 'must not be empty' });
    else if (!person.name?.trim()) issues.push({ path: `${path}[${i}].name`, message: 'must not be empty' });
    else if (seen.has(person.id) && (!allowRepeats || seen.get(person.id) !== person.name)) {
      issues.push({ path: `${path}[${i}].id`, message: `"${person.id}" is used twice` });
    }
    if (person?.id) seen.set(person.id, person.name);
  });
}

/** All issues in a unit plan, checked against its congress. Empty when the plan can start. */
export function validatePlan(plan: UnitPlanDefinition, congress: CongressDefinition, path = 'plan'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (p: string, message: string) => issues.push({ path: p ? `${path}.${p}` : path, message });
  if (!plan || typeof plan !== 'object') return [{ path, message: 'is required' }];
  if (!congress?.people) return [{ path: 'congress.people', message: 'is required' }];

  if (!UNIT_CODE_PATTERN.test(plan.unitCode ?? '')) add('unitCode', 'must be 1-32 letters, digits or dashes');
  if (!plan.unitName?.trim()) add('unitName', 'must not be empty');
  issues.push(
    ...textTooLong(plan.unitName, TEXT_LIMITS.name, `${path}.unitName`),
    ...textTooLong(plan.unitNameEn, TEXT_LIMITS.name, `${path}.unitNameEn`),
    ...textTooLong(plan.documentNumber, TEXT_LIMITS.documentNumber, `${path}.documentNumber`),
    ...listTooLong(plan.agencies, LIST_LIMITS.agencies, `${path}.agencies`),
    ...listTooLong(plan.groups, LIST_LIMITS.groups, `${path}.groups`),
    ...listTooLong(plan.scenarios, LIST_LIMITS.scenarios, `${path}.scenarios`),
    ...listTooLong(plan.reminders, LIST_LIMITS.reminders, `${path}.reminders`),
    ...listTooLong(plan.escalationLadder, LIST_LIMITS.escalationSteps, `${path}.escalationLadder`),
  );

  const people = new Set([...congressPeople(congress).map((p) => p.id), ...(plan.people ?? []).map((p) => p.id)]);
  checkPeopleUnique(plan.people ?? [], `${path}.people`, issues, false);
  if (!people.has(plan.unitLead)) add('unitLead', `"${plan.unitLead}" is not a known person`);
  issues.push(...validateCalendarConfig(plan.calendar, `${path}.calendar`));

  const agencies = new Set<string>();
  (plan.agencies ?? []).forEach((agency, i) => {
    issues.push(...agencyLimitIssues(agency, `${path}.agencies[${i}]`));
    if (!agency.code?.trim()) add(`agencies[${i}].code`, 'must not be empty');
    else if (agencies.has(agency.code)) add(`agencies[${i}].code`, `"${agency.code}" is used twice`);
    agencies.add(agency.code);
    if (agency.head !== undefined && !people.has(agency.head))
      add(`agencies[${i}].head`, `"${agency.head}" is not a known person`);
  });

  const groups = new Set<string>();
  (plan.groups ?? []).forEach((group, i) => {
    issues.push(
      ...textTooLong(group.id, TEXT_LIMITS.id, `${path}.groups[${i}].id`),
      ...textTooLong(group.name, TEXT_LIMITS.name, `${path}.groups[${i}].name`),
    );
    if (!group.id?.trim()) add(`groups[${i}].id`, 'must not be empty');
    else if (groups.has(group.id)) add(`groups[${i}].id`, `"${group.id}" is used twice`);
    groups.add(group.id);
  });

  (plan.reminders ?? []).forEach((r, i) => {
    if (!isDuration(r)) add(`reminders[${i}]`, `"${r}" is not a duration (e.g. 7d, 1d, 12h)`);
  });

  const ladder = plan.escalationLadder ?? [];
  if (ladder.length === 0) add('escalationLadder', 'needs at least one step');
  let previous = -1;
  ladder.forEach((step, i) => {
    if (!isDuration(step.after)) {
      add(`escalationLadder[${i}].after`, `"${step.after}" is not a duration`);
      return;
    }
    const after = parseDuration(step.after);
    if (after <= previous) add(`escalationLadder[${i}].after`, 'steps must come in increasing order of delay');
    previous = after;
    if (!step.notify?.length) add(`escalationLadder[${i}].notify`, 'must name at least one audience');
    (step.notify ?? []).forEach((a, j) => {
      if (!ESCALATION_AUDIENCES.includes(a)) {
        add(`escalationLadder[${i}].notify[${j}]`, `must be one of ${ESCALATION_AUDIENCES.join(', ')}`);
      }
    });
  });

  const policy = plan.approvalPolicy;
  if (!policy) add('approvalPolicy', 'is required');
  else {
    if (!QUORUMS.includes(policy.quorum)) add('approvalPolicy.quorum', `must be one of ${QUORUMS.join(', ')}`);
    if (!isDuration(policy.decisionWindow ?? '')) add('approvalPolicy.decisionWindow', 'must be a duration such as 5d');
    if (policy.commentWindow !== undefined && !isDuration(policy.commentWindow)) {
      add('approvalPolicy.commentWindow', 'must be a duration such as 3d');
    }
    (policy.approvers ?? []).forEach((id, i) => {
      if (!people.has(id)) add(`approvalPolicy.approvers[${i}]`, `"${id}" is not a known person`);
    });
    if (policy.approvers && policy.approvers.length === 0) add('approvalPolicy.approvers', 'must not be empty');
  }
  if (!CHECK_IN_CADENCES.includes(plan.checkInCadence))
    add('checkInCadence', `must be one of ${CHECK_IN_CADENCES.join(', ')}`);
  if (plan.weeklyCheckInsBefore !== undefined && !isDuration(plan.weeklyCheckInsBefore))
    add('weeklyCheckInsBefore', 'must be a duration such as 28d');
  if (plan.closeAfter !== undefined && !isDuration(plan.closeAfter))
    add('closeAfter', 'must be a duration such as 30d');

  // Tasks: the plan's own, then each scenario's, sharing one id space.
  const allTasks: Array<{ task: TaskDefinition; path: string; scenario?: string }> = [];
  (plan.tasks ?? []).forEach((task, i) => allTasks.push({ task, path: `tasks[${i}]` }));
  const scenarioCodes = new Set<string>();
  (plan.scenarios ?? []).forEach((scenario, s) => {
    if (!KEY_PATTERN.test(scenario.code ?? ''))
      add(`scenarios[${s}].code`, 'must be 2-63 lowercase letters, digits or dashes');
    else if (scenarioCodes.has(scenario.code)) add(`scenarios[${s}].code`, `"${scenario.code}" is used twice`);
    scenarioCodes.add(scenario.code);
    if (!scenario.name?.trim()) add(`scenarios[${s}].name`, 'must not be empty');
    issues.push(
      ...textTooLong(scenario.name, TEXT_LIMITS.name, `${path}.scenarios[${s}].name`),
      ...textTooLong(scenario.description, TEXT_LIMITS.description, `${path}.scenarios[${s}].description`),
      ...listTooLong(scenario.suspends, LIST_LIMITS.suspends, `${path}.scenarios[${s}].suspends`),
    );
    (scenario.tasks ?? []).forEach((task, i) =>
      allTasks.push({ task, path: `scenarios[${s}].tasks[${i}]`, scenario: scenario.code }),
    );
  });

  if (allTasks.length > MAX_TASKS_PER_PLAN) {
    add('tasks', `a plan holds at most ${MAX_TASKS_PER_PLAN} tasks, scenarios included (split the unit's plan)`);
  }
  const ids = new Map<string, string>();
  for (const { task, path: p } of allTasks) {
    if (!TASK_ID_PATTERN.test(task.id ?? ''))
      add(`${p}.id`, 'must be 1-64 letters, digits, dots, dashes or underscores');
    else if (ids.has(task.id)) add(`${p}.id`, `"${task.id}" is already the id of ${ids.get(task.id)}`);
    else ids.set(task.id, p);
  }
  (plan.scenarios ?? []).forEach((scenario, s) => {
    (scenario.suspends ?? []).forEach((id, i) => {
      if (!(plan.tasks ?? []).some((t) => t.id === id))
        add(`scenarios[${s}].suspends[${i}]`, `"${id}" is not a task of the plan`);
    });
  });

  const specs = new Map<string, DueSpec>();
  for (const { task, path: p, scenario } of allTasks) {
    issues.push(...validateTask(task, { groups, agencies, people, taskIds: ids, scenario }, `${path}.${p}`));
    try {
      specs.set(task.id, parseDue(task.due, `${path}.${p}.due`));
    } catch {
      // reported by validateTask
    }
  }

  // Dependency cycles (own tasks only; other units' tasks cannot depend back within one plan).
  const deps = new Map(allTasks.map(({ task }) => [task.id, taskDependencies(task).filter((d) => ids.has(d))]));
  const cycle = findCycle(deps);
  if (cycle) add(`${ids.get(cycle[0])}.dependsOn`, `dependency cycle: ${cycle.join(' → ')}`);

  // A deadline earlier than a prerequisite's deadline cannot be met. Only on a valid congress: bad congress dates
  // or zone are the congress's own issues, and no deadline can be resolved against them.
  const congressDatesOk =
    isLocalDate(congress.startDate) &&
    isLocalDate(congress.endDate) &&
    isValidTimeZone(congress.timeZone ?? DEFAULT_TIME_ZONE);
  if (!cycle && issues.length === 0 && congressDatesOk) {
    const ctx = buildScheduleContext(
      { startDate: congress.startDate, endDate: congress.endDate, timeZone: congress.timeZone ?? DEFAULT_TIME_ZONE },
      plan.calendar,
    );
    const deadlines = new Map<string, number | undefined>();
    for (const [id, spec] of specs) deadlines.set(id, resolveDue(spec, ctx));
    for (const { task, path: p } of allTasks) {
      const own = deadlines.get(task.id);
      (task.dependsOn ?? []).forEach((dep, i) => {
        const theirs = deadlines.get(dep);
        if (own !== undefined && theirs !== undefined && own < theirs) {
          add(`${p}.due`, `"${task.due}" is earlier than the deadline of its prerequisite ${dep} (dependsOn[${i}])`);
        }
      });
    }
  }
  return issues;
}

interface TaskContext {
  groups: Set<string>;
  agencies: Set<string>;
  people: Set<string>;
  taskIds: Map<string, string>;
  scenario?: string;
}

/** A task's prerequisites: its `dependsOn` plus the task an `after:` deadline counts from. */
export function taskDependencies(task: Pick<TaskDefinition, 'dependsOn' | 'due'>): string[] {
  const deps = [...(task.dependsOn ?? [])];
  const after = afterRef(task.due);
  if (after && !deps.includes(after)) deps.push(after);
  return deps;
}

export function validateTask(task: TaskDefinition, ctx: TaskContext, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (p: string, message: string) => issues.push({ path: `${path}.${p}`, message });
  if (!task.title?.trim()) add('title', 'must not be empty');
  issues.push(
    ...textTooLong(task.title, TEXT_LIMITS.taskTitle, `${path}.title`),
    ...textTooLong(task.deliverable, TEXT_LIMITS.deliverable, `${path}.deliverable`),
    ...textTooLong(task.due, TEXT_LIMITS.due, `${path}.due`),
    ...listTooLong(task.coordinatingAgencies, LIST_LIMITS.coordinatingAgencies, `${path}.coordinatingAgencies`),
    ...listTooLong(task.dependsOn, LIST_LIMITS.dependsOn, `${path}.dependsOn`),
  );
  if (!ctx.groups.has(task.group)) add('group', `"${task.group}" is not a task group of the plan`);
  if (!PHASES.includes(task.phase)) add('phase', `must be one of ${PHASES.join(', ')}`);
  if (!ctx.agencies.has(task.leadAgency)) add('leadAgency', `"${task.leadAgency}" is not an agency of the plan`);
  (task.coordinatingAgencies ?? []).forEach((a, i) => {
    if (!ctx.agencies.has(a)) add(`coordinatingAgencies[${i}]`, `"${a}" is not an agency of the plan`);
  });
  if (task.responsible !== undefined && !ctx.people.has(task.responsible)) {
    add('responsible', `"${task.responsible}" is not a known person`);
  }
  if (task.budgetVnd !== undefined && (!Number.isFinite(task.budgetVnd) || task.budgetVnd < 0)) {
    add('budgetVnd', 'must be a non-negative amount in VND');
  }
  try {
    const spec = parseDue(task.due, `${path}.due`);
    if (spec.kind === 'activation' && !ctx.scenario)
      add('due', "A+… deadlines are only for a contingency scenario's tasks");
  } catch (err) {
    add('due', err instanceof Error ? err.message.replace(`${path}.due: `, '') : String(err));
  }
  (task.dependsOn ?? []).forEach((dep, i) => {
    if (dep === task.id) add(`dependsOn[${i}]`, 'a task cannot depend on itself');
    else if (!ctx.taskIds.has(dep) && !isExternalRef(dep))
      add(`dependsOn[${i}]`, `"${dep}" is not a task of the plan (nor UNIT:taskId)`);
  });
  const after = afterRef(task.due);
  if (after && !ctx.taskIds.has(after) && !isExternalRef(after)) add('due', `"${after}" is not a task of the plan`);
  return issues;
}

/** A cycle in a dependency graph as a list of ids (first repeated at the end), or undefined. */
export function findCycle(deps: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of deps.get(id) ?? []) {
      if (state.get(next) === 'visiting') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of deps.keys()) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Length limits of an agency (in a plan, or new in a reassignment). */
export function agencyLimitIssues(
  agency: { code?: string; name?: string; head?: string },
  path: string,
): ValidationIssue[] {
  return [
    ...textTooLong(agency?.code, TEXT_LIMITS.code, `${path}.code`),
    ...textTooLong(agency?.name, TEXT_LIMITS.name, `${path}.name`),
    ...textTooLong(agency?.head, TEXT_LIMITS.id, `${path}.head`),
  ];
}
