/**
 * The plan's running state: how it starts, and the small reading helpers every capability shares.
 * Functions that take a `PlanState` and return nothing change it in place.
 */
import { DEFAULT_TIME_ZONE, addCalendarDays, dayOfWeek, instantAt, localDateOf } from '../calendar';
import { parseDuration } from '../duration';
import { DomainError, invalidInput } from '../errors';
import {
  SYSTEM_ACTOR,
  type Agency,
  type ApprovalRequest,
  type CongressDefinition,
  type Effect,
  type Person,
  type PlanRules,
  type PlanState,
  type TaskDefinition,
  type TaskState,
  type UnitPlanDefinition,
} from '../model';
import {
  buildScheduleContext,
  closingInstant,
  congressStartInstant,
  nextCheckIn,
  phaseAt,
  type ScheduleContext,
} from '../schedule';
import { audit, isActionable, isTerminal } from '../transitions';
import { refreshSchedule } from './schedule';
import { congressPeople, isExternalRef, taskDependencies, validateCongress, validatePlan } from '../validation';

export const DEFAULT_CLOSE_AFTER = '30d';

/**
 * The plan's next check-in after `after`: the cadence's next date, or a Monday at 08:00 of the last stretch before
 * congress day (`weeklyCheckInsBefore`) when that comes first.
 */
export function nextPlanCheckIn(
  plan: Pick<UnitPlanDefinition, 'checkInCadence' | 'weeklyCheckInsBefore'>,
  ctx: ScheduleContext,
  after: number,
): number | undefined {
  const regular = nextCheckIn(after, plan.checkInCadence, ctx.timeZone);
  if (plan.weeklyCheckInsBefore === undefined) return regular;
  const congressDay = congressStartInstant(ctx);
  const from = Math.max(after, congressDay - parseDuration(plan.weeklyCheckInsBefore));
  let day = localDateOf(from, ctx.timeZone);
  for (let i = 0; i < 8; i++, day = addCalendarDays(day, 1)) {
    const monday = instantAt(day, 8 * 60, ctx.timeZone);
    if (dayOfWeek(day) !== 1 || monday <= after || monday < from) continue;
    if (monday >= congressDay) break;
    return regular === undefined ? monday : Math.min(regular, monday);
  }
  return regular;
}

/** When the plan closes on its own: its `closeAfter` (30 days unless set) after the congress has ended. */
export function planClosingInstant(ctx: ScheduleContext, plan: Pick<UnitPlanDefinition, 'closeAfter'>): number {
  return closingInstant(ctx, plan.closeAfter ?? DEFAULT_CLOSE_AFTER);
}
export const DEFAULT_COMMENT_WINDOW = '3d';

export interface PlanStartOptions {
  /** Task ids other units depend on: their completion is announced to the congress. */
  watchedTasks?: string[];
  /** The rules of the workflow version starting the plan, in force from its first deadline on. */
  rules?: PlanRules;
}

/** A deep copy through JSON: the state is JSON by contract, and the workflow sandbox has no structuredClone. */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function createPlanState(
  congress: CongressDefinition,
  plan: UnitPlanDefinition,
  now: number,
  options: PlanStartOptions = {},
): PlanState {
  const issues = [...validateCongress(congress), ...validatePlan(plan, congress)];
  if (issues.length > 0) throw invalidInput(issues);
  // A copy: the state is changed in place later, and must never share arrays with the caller's definition.
  const { tasks, ...definition } = jsonCopy(plan);
  const timeZone = congress.timeZone ?? DEFAULT_TIME_ZONE;
  const ctx = buildScheduleContext({ ...congress, timeZone }, plan.calendar);
  const state: PlanState = {
    schemaVersion: 1,
    congress: { ...jsonCopy(congress), timeZone },
    definition,
    status: plan.approvalPolicy.planRequiresApproval ? 'draft' : 'active',
    phase: phaseAt(now, ctx),
    startedAt: now,
    tasks: {},
    taskOrder: [],
    externalCompletions: {},
    approvals: {},
    contingencies: Object.fromEntries(plan.scenarios.map((s) => [s.code, { code: s.code, status: 'inactive' }])),
    comments: [],
    audit: [],
    outbox: [],
    watchedTasks: [...(options.watchedTasks ?? [])],
    draftUntil: plan.approvalPolicy.planRequiresApproval
      ? now + parseDuration(plan.approvalPolicy.commentWindow ?? DEFAULT_COMMENT_WINDOW)
      : undefined,
    nextCheckInAt: nextPlanCheckIn(plan, ctx, now),
    closesAt: planClosingInstant(ctx, plan),
    processedRequests: [],
    counters: { audit: 0, approval: 0, effect: 0 },
    ...(options.rules ? { rules: options.rules } : {}),
  };
  for (const task of tasks) addTaskState(state, task, undefined);
  audit(
    state,
    { actor: SYSTEM_ACTOR, action: 'plan.started', details: { tasks: tasks.length, status: state.status } },
    now,
  );
  refreshSchedule(state, now);
  return state;
}

export function addTaskState(state: PlanState, def: TaskDefinition, scenario: string | undefined): TaskState {
  const task: TaskState = {
    ...def,
    coordinatingAgencies: [...(def.coordinatingAgencies ?? [])],
    dependsOn: [...(def.dependsOn ?? [])],
    status: 'blocked',
    progress: 0,
    remindersSent: [],
    ...(scenario ? { scenario } : {}),
  };
  state.tasks[def.id] = task;
  if (!state.taskOrder.includes(def.id)) state.taskOrder.push(def.id);
  return task;
}

export function isClosed(state: PlanState): boolean {
  return state.status === 'closed' || state.status === 'stopped';
}

export function orderedTasks(state: PlanState): TaskState[] {
  return state.taskOrder.map((id) => state.tasks[id]).filter((t): t is TaskState => t !== undefined);
}

export function scheduleContextOf(state: PlanState): ScheduleContext {
  return buildScheduleContext(
    state.congress,
    state.definition.calendar,
    (ref) => (isExternalRef(ref) ? state.externalCompletions[ref] : state.tasks[ref]?.completedAt),
    (scenario) => (scenario ? state.contingencies[scenario]?.activatedAt : undefined),
    state.rules?.legacyHolidayTable ? 'legacy-table' : 'lunar',
  );
}

export function peopleDirectory(state: PlanState): Map<string, Person> {
  const people = new Map<string, Person>();
  for (const p of [...congressPeople(state.congress), ...(state.definition.people ?? [])]) people.set(p.id, p);
  return people;
}

/** A person to notify by id; the system (a plan sent on by its comment window, say) is nobody to notify. */
export function person(state: PlanState, id: string | undefined): Person | undefined {
  if (!id || id === SYSTEM_ACTOR.id) return undefined;
  return peopleDirectory(state).get(id) ?? { id, name: id };
}

export function findAgency(state: PlanState, code: string): Agency | undefined {
  return state.definition.agencies.find((a) => a.code === code);
}

export function getTask(state: PlanState, taskId: string): TaskState {
  const task = state.tasks[taskId];
  if (!task) throw new DomainError('NOT_FOUND', `task ${taskId} does not exist in plan ${state.definition.unitCode}`);
  return task;
}

export function getApproval(state: PlanState, approvalId: string): ApprovalRequest {
  const approval = state.approvals[approvalId];
  if (!approval) throw new DomainError('NOT_FOUND', `approval ${approvalId} does not exist`);
  return approval;
}

export function getScenario(state: PlanState, code: string) {
  const scenario = state.definition.scenarios.find((s) => s.code === code);
  if (!scenario) throw new DomainError('NOT_FOUND', `contingency scenario ${code} does not exist`);
  return scenario;
}

export function dependenciesSatisfied(state: PlanState, task: TaskState): boolean {
  return taskDependencies(task).every((dep) => {
    if (isExternalRef(dep)) return state.externalCompletions[dep] !== undefined;
    const other = state.tasks[dep];
    return other === undefined || isTerminal(other.status);
  });
}

export function isOverdue(task: TaskState, now: number): boolean {
  return isActionable(task.status) && task.deadline !== undefined && now >= task.deadline;
}

/** Queues an effect for the workflow to carry out; an effect with a key already queued is not queued twice. */
export function queue(state: PlanState, effect: Effect): void {
  if (state.outbox.some((e) => e.key === effect.key)) return;
  state.counters.effect++;
  state.outbox.push(effect);
}
