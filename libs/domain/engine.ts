/**
 * The plan engine: a unit plan's running state and everything that changes it, as deterministic functions.
 *
 * - `createPlanState` builds the state a plan starts with.
 * - `checkCommand` says whether a command may be applied (throws a DomainError, changes nothing);
 *   `applyCommand` applies it. Both take the time as an argument: the workflow passes workflow time,
 *   a simulation passes a virtual clock.
 * - `advance` brings the plan up to a moment: unblocks, reminds, escalates, alerts on approvals, runs
 *   check-ins, changes phase and closes the plan, queueing effects in `state.outbox`.
 * - `nextWakeAt` is the one moment anything is next due: the workflow arms a single timer for it.
 *
 * Functions that take a `PlanState` and return nothing change it in place; callers that need the old
 * state keep a copy.
 */
import { DEFAULT_TIME_ZONE } from './calendar';
import { parseDuration } from './duration';
import { DomainError, invalidInput, type ValidationIssue } from './errors';
import { vi } from './messages.vi';
import {
  SYSTEM_ACTOR,
  type Actor,
  type Agency,
  type ApprovalRequest,
  type ApprovalSubject,
  type CongressDefinition,
  type Effect,
  type EscalationAudience,
  type Person,
  type PlanState,
  type TaskDefinition,
  type TaskState,
  type UnitPlanDefinition,
} from './model';
import {
  buildScheduleContext,
  congressEndInstant,
  congressStartInstant,
  nextCheckIn,
  parseDue,
  phaseAt,
  resolveDue,
  type ScheduleContext,
} from './schedule';
import { assertTransition, audit, isActionable, isTerminal, transitionTask } from './transitions';
import {
  MAX_TASKS_PER_PLAN,
  congressPeople,
  findCycle,
  isExternalRef,
  taskDependencies,
  validateCongress,
  validatePlan,
  validateTask,
} from './validation';

export const DEFAULT_CLOSE_AFTER = '30d';
export const DEFAULT_COMMENT_WINDOW = '3d';
/** How many processed request ids a plan remembers for idempotent retries. */
export const PROCESSED_REQUESTS_KEPT = 500;

// ---------------------------------------------------------------------------------------------------------
// Creation

export interface PlanStartOptions {
  /** Task ids other units depend on: their completion is announced to the congress. */
  watchedTasks?: string[];
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
  const { tasks, ...definition } = JSON.parse(JSON.stringify(plan)) as UnitPlanDefinition;
  const timeZone = congress.timeZone ?? DEFAULT_TIME_ZONE;
  const ctx = buildScheduleContext({ ...congress, timeZone }, plan.calendar);
  const state: PlanState = {
    schemaVersion: 1,
    congress: { ...(JSON.parse(JSON.stringify(congress)) as CongressDefinition), timeZone },
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
    nextCheckInAt: nextCheckIn(now, plan.checkInCadence, timeZone),
    closesAt: congressEndInstant(ctx) + parseDuration(plan.closeAfter ?? DEFAULT_CLOSE_AFTER),
    processedRequests: [],
    counters: { audit: 0, approval: 0, effect: 0 },
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

function addTaskState(state: PlanState, def: TaskDefinition, scenario: string | undefined): TaskState {
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

// ---------------------------------------------------------------------------------------------------------
// Reading helpers

export function orderedTasks(state: PlanState): TaskState[] {
  return state.taskOrder.map((id) => state.tasks[id]).filter((t): t is TaskState => t !== undefined);
}

export function scheduleContextOf(state: PlanState): ScheduleContext {
  return buildScheduleContext(
    state.congress,
    state.definition.calendar,
    (ref) => (isExternalRef(ref) ? state.externalCompletions[ref] : state.tasks[ref]?.completedAt),
    (scenario) => (scenario ? state.contingencies[scenario]?.activatedAt : undefined),
  );
}

export function peopleDirectory(state: PlanState): Map<string, Person> {
  const people = new Map<string, Person>();
  for (const p of [...congressPeople(state.congress), ...(state.definition.people ?? [])]) people.set(p.id, p);
  return people;
}

function person(state: PlanState, id: string | undefined): Person | undefined {
  if (!id) return undefined;
  return peopleDirectory(state).get(id) ?? { id, name: id };
}

export function findAgency(state: PlanState, code: string): Agency | undefined {
  return state.definition.agencies.find((a) => a.code === code);
}

function getTask(state: PlanState, taskId: string): TaskState {
  const task = state.tasks[taskId];
  if (!task) throw new DomainError('NOT_FOUND', `task ${taskId} does not exist in plan ${state.definition.unitCode}`);
  return task;
}

function getApproval(state: PlanState, approvalId: string): ApprovalRequest {
  const approval = state.approvals[approvalId];
  if (!approval) throw new DomainError('NOT_FOUND', `approval ${approvalId} does not exist`);
  return approval;
}

function getScenario(state: PlanState, code: string) {
  const scenario = state.definition.scenarios.find((s) => s.code === code);
  if (!scenario) throw new DomainError('NOT_FOUND', `contingency scenario ${code} does not exist`);
  return scenario;
}

function dependenciesSatisfied(state: PlanState, task: TaskState): boolean {
  return taskDependencies(task).every((dep) => {
    if (isExternalRef(dep)) return state.externalCompletions[dep] !== undefined;
    const other = state.tasks[dep];
    return other === undefined || isTerminal(other.status);
  });
}

export function isOverdue(task: TaskState, now: number): boolean {
  return isActionable(task.status) && task.deadline !== undefined && now >= task.deadline;
}

// ---------------------------------------------------------------------------------------------------------
// Schedule: deadlines, blocking, phase

/**
 * Resolves every deadline again (after a move of congress day, a completion, an activation…), starts a new
 * overdue episode for tasks whose deadline changed, and unblocks tasks whose prerequisites are met.
 */
export function refreshSchedule(state: PlanState, now: number): void {
  const ctx = scheduleContextOf(state);
  for (const task of orderedTasks(state)) {
    if (isTerminal(task.status)) continue;
    const resolved = resolveDue(parseDue(task.due), ctx, task.scenario);
    const deadline =
      resolved !== undefined && task.resumedDeadline !== undefined
        ? Math.max(resolved, task.resumedDeadline)
        : resolved;
    if (deadline !== task.deadline) {
      if (deadline === undefined) delete task.deadline;
      else task.deadline = deadline;
      if (task.escalation && task.escalation.episodeDeadline !== deadline) delete task.escalation;
    }
    if (task.status === 'blocked' && dependenciesSatisfied(state, task)) {
      transitionTask(state, task, 'open', SYSTEM_ACTOR, now, 'prerequisites completed');
    } else if ((task.status === 'open' || task.status === 'in_progress') && !dependenciesSatisfied(state, task)) {
      transitionTask(state, task, 'blocked', SYSTEM_ACTOR, now, 'waiting on a prerequisite');
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Effects

function queue(state: PlanState, effect: Effect): void {
  if (state.outbox.some((e) => e.key === effect.key)) return;
  state.counters.effect++;
  state.outbox.push(effect);
}

function audienceOf(state: PlanState, task: TaskState, audience: EscalationAudience): Person[] {
  const people = state.congress.people;
  switch (audience) {
    case 'assignee':
      return [person(state, task.escalation?.acknowledgedBy ?? task.responsible)].filter(isPerson);
    case 'leadAgencyHead':
      return [person(state, findAgency(state, task.leadAgency)?.head)].filter(isPerson);
    case 'unitLead':
      return [person(state, state.definition.unitLead)].filter(isPerson);
    case 'standingSection':
      return people.standingSection ?? [];
    case 'head':
      return [people.head];
  }
}

function isPerson(p: Person | undefined): p is Person {
  return p !== undefined;
}

/** The unit lead and the standing section, and the head of the subcommittee when asked. */
function unitLeadership(state: PlanState, options: { withHead: boolean }): Person[] {
  return uniquePeople([
    ...[person(state, state.definition.unitLead)].filter(isPerson),
    ...(state.congress.people.standingSection ?? []),
    ...(options.withHead ? [state.congress.people.head] : []),
  ]);
}

function uniquePeople(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
}

// ---------------------------------------------------------------------------------------------------------
// Approvals

function approverIds(state: PlanState): string[] {
  return state.definition.approvalPolicy.approvers ?? state.congress.people.standingCommittee.map((p) => p.id);
}

function openApproval(
  state: PlanState,
  subject: ApprovalSubject,
  title: string,
  actor: Actor,
  now: number,
): ApprovalRequest {
  const approval: ApprovalRequest = {
    id: `A${++state.counters.approval}`,
    subject,
    title,
    requestedBy: actor.id,
    requestedAt: now,
    approvers: approverIds(state),
    quorum: state.definition.approvalPolicy.quorum,
    deadline: now + parseDuration(state.definition.approvalPolicy.decisionWindow),
    status: 'pending',
    decisions: [],
  };
  state.approvals[approval.id] = approval;
  audit(state, { actor, action: 'approval.requested', target: approval.id, details: { subject, title } }, now);
  const message = vi.approvalRequested(approval, state.congress.timeZone);
  queue(state, {
    kind: 'notify',
    key: `approval-requested:${approval.id}`,
    event: 'approval-requested',
    recipients: approval.approvers.map((id) => person(state, id)).filter(isPerson),
    ...message,
  });
  return approval;
}

/** Approvals needed under a quorum policy among `n` approvers. */
export function approvalsRequired(quorum: ApprovalRequest['quorum'], n: number): number {
  if (quorum === 'any') return 1;
  if (quorum === 'all') return n;
  return Math.floor(n / 2) + 1;
}

/** Outcome of the decisions so far: approved, rejected (approval can no longer be reached) or still pending. */
export function quorumOutcome(approval: ApprovalRequest): 'approved' | 'rejected' | 'pending' {
  const headDecision = approval.decisions.find((d) => !approval.approvers.includes(d.by));
  if (headDecision) return headDecision.decision === 'approve' ? 'approved' : 'rejected';
  const n = approval.approvers.length;
  const required = approvalsRequired(approval.quorum, n);
  const approves = approval.decisions.filter((d) => d.decision === 'approve').length;
  const rejects = approval.decisions.filter((d) => d.decision === 'reject').length;
  if (approves >= required) return 'approved';
  if (rejects > n - required) return 'rejected';
  return 'pending';
}

function mayDecide(state: PlanState, approval: ApprovalRequest, actorId: string): boolean {
  if (approval.approvers.includes(actorId)) return true;
  return approval.escalatedAt !== undefined && actorId === state.congress.people.head.id;
}

function resolveApproval(state: PlanState, approval: ApprovalRequest, now: number): void {
  const outcome = quorumOutcome(approval);
  if (outcome === 'pending') return;
  approval.status = outcome;
  approval.resolvedAt = now;
  const approved = outcome === 'approved';
  const comment = approval.decisions
    .filter((d) => d.comment)
    .map((d) => `${d.byName}: ${d.comment}`)
    .join('; ');
  audit(
    state,
    { actor: SYSTEM_ACTOR, action: `approval.${outcome}`, target: approval.id, reason: comment || undefined },
    now,
  );
  const subject = approval.subject;
  const decidedBy = SYSTEM_ACTOR;
  if (subject.kind === 'plan') {
    if (approved) {
      state.status = 'active';
      audit(state, { actor: decidedBy, action: 'plan.activated', target: approval.id }, now);
    } else {
      state.status = 'draft';
      audit(state, { actor: decidedBy, action: 'plan.returned-to-draft', target: approval.id, reason: comment }, now);
    }
  } else if (subject.kind === 'task') {
    const task = state.tasks[subject.taskId];
    if (task && task.status === 'awaiting_approval') {
      delete task.pendingApprovalId;
      if (approved) completeTaskNow(state, task, decidedBy, now, 'approved');
      else {
        transitionTask(state, task, 'reopened', decidedBy, now, comment || 'rejected');
        task.progress = Math.min(task.progress, 90);
      }
    }
  } else {
    const contingency = state.contingencies[subject.scenario];
    if (contingency) {
      delete contingency.approvalId;
      if (subject.ratification) {
        if (approved) contingency.emergency = false;
        else deactivateScenario(state, subject.scenario, decidedBy, now, `ratification rejected: ${comment}`);
      } else if (approved) {
        activateScenario(state, subject.scenario, decidedBy, now, false);
      } else {
        contingency.status = 'inactive';
      }
    }
  }
  const message = vi.approvalDecided(approval);
  const requester = person(state, approval.requestedBy);
  queue(state, {
    kind: 'notify',
    key: `approval-decided:${approval.id}`,
    event: 'approval-decided',
    recipients: uniquePeople([...(requester ? [requester] : []), ...(state.congress.people.standingSection ?? [])]),
    ...message,
  });
  refreshSchedule(state, now);
}

// ---------------------------------------------------------------------------------------------------------
// Tasks

function completeTaskNow(state: PlanState, task: TaskState, actor: Actor, now: number, reason?: string): void {
  transitionTask(state, task, 'done', actor, now, reason);
  if (state.watchedTasks.includes(task.id)) {
    queue(state, { kind: 'task-completed', key: `task-completed:${task.id}`, taskId: task.id, at: now });
  }
  refreshSchedule(state, now);
}

// ---------------------------------------------------------------------------------------------------------
// Contingencies

function activateScenario(state: PlanState, code: string, actor: Actor, now: number, emergency: boolean): void {
  const scenario = getScenario(state, code);
  const contingency = state.contingencies[code];
  contingency.status = 'active';
  contingency.activatedAt = now;
  contingency.activatedBy = actor.id;
  contingency.emergency = emergency;
  audit(state, { actor, action: 'contingency.activated', target: code, details: { emergency } }, now);
  for (const def of scenario.tasks) {
    const existing = state.tasks[def.id];
    if (!existing || isTerminal(existing.status)) {
      const task = addTaskState(state, def, code);
      audit(state, { actor, action: 'task.added', target: task.id, reason: `contingency ${code}` }, now);
    }
  }
  for (const id of scenario.suspends) {
    const task = state.tasks[id];
    if (!task || isTerminal(task.status)) continue;
    task.suspendedBy = [...new Set([...(task.suspendedBy ?? []), code])];
    if (task.status === 'suspended') continue;
    task.statusBeforeSuspension = task.status;
    task.suspendedAt = now;
    if (task.deadline !== undefined) task.remainingAtSuspension = Math.max(0, task.deadline - now);
    transitionTask(state, task, 'suspended', actor, now, `contingency ${code}`);
  }
  const message = vi.contingency(scenario.name, true, emergency);
  queue(state, {
    kind: 'notify',
    key: `contingency:${code}:on:${now}`,
    event: 'contingency',
    recipients: unitLeadership(state, { withHead: true }),
    ...message,
  });
  refreshSchedule(state, now);
}

function deactivateScenario(state: PlanState, code: string, actor: Actor, now: number, reason: string): void {
  const scenario = getScenario(state, code);
  const contingency = state.contingencies[code];
  contingency.status = 'inactive';
  delete contingency.activatedAt;
  delete contingency.emergency;
  audit(state, { actor, action: 'contingency.deactivated', target: code, reason }, now);
  for (const task of orderedTasks(state)) {
    if (task.scenario === code && !isTerminal(task.status)) {
      transitionTask(state, task, 'cancelled', actor, now, `contingency ${code} ended`);
    }
    if (task.status === 'suspended' && task.suspendedBy?.includes(code)) {
      task.suspendedBy = task.suspendedBy.filter((c) => c !== code);
      if (task.suspendedBy.length > 0) continue;
      const back = task.statusBeforeSuspension ?? 'open';
      // The task gets back the time it had left when it stopped, and never a deadline earlier than its own.
      if (task.remainingAtSuspension !== undefined) {
        const window = Math.max(task.remainingAtSuspension, state.rules?.minimumResumeWindowMs ?? 0);
        task.resumedDeadline = now + window;
      }
      delete task.suspendedBy;
      delete task.suspendedAt;
      delete task.remainingAtSuspension;
      delete task.statusBeforeSuspension;
      delete task.escalation;
      transitionTask(state, task, back, actor, now, `contingency ${code} ended`);
    }
  }
  const message = vi.contingency(scenario.name, false, false);
  queue(state, {
    kind: 'notify',
    key: `contingency:${code}:off:${now}`,
    event: 'contingency',
    recipients: unitLeadership(state, { withHead: false }),
    ...message,
  });
  refreshSchedule(state, now);
}

// ---------------------------------------------------------------------------------------------------------
// Commands

interface CommandBase {
  /** Who does it: taken from the caller's token, never from a request body. */
  actor: Actor;
  /** Why: required for changes to the plan itself. */
  reason?: string;
  /** Idempotency key: a command with a request id already processed returns the first result. */
  requestId?: string;
}

export interface PlanCommands {
  reportProgress: { taskId: string; progress: number; note?: string };
  completeTask: { taskId: string; note?: string };
  addTask: { task: TaskDefinition };
  editTask: {
    taskId: string;
    title?: string;
    responsible?: string;
    coordinatingAgencies?: string[];
    budgetVnd?: number;
    deliverable?: string;
    requiresApproval?: boolean;
  };
  reassignTask: { taskId: string; leadAgency?: string; responsible?: string };
  reassignAgency: { fromAgency: string; toAgency: string; newAgency?: Agency };
  changeDeadline: { taskId: string; due: string };
  waiveTask: { taskId: string };
  acknowledgeEscalation: { taskId: string; holdFor: string };
  decide: { approvalId: string; decision: 'approve' | 'reject'; comment?: string };
  submitComment: { text: string };
  submitPlanForApproval: Record<never, never>;
  requestContingency: { scenario: string };
  activateContingencyEmergency: { scenario: string };
  deactivateContingency: { scenario: string };
  moveCongressDay: { startDate: string; endDate: string };
  externalTaskCompleted: { ref: string; at: number };
  watchTask: { taskId: string };
  /** A congress-wide scenario decided at congress level: applies without a plan-level approval. */
  congressContingency: { scenario: string; active: boolean };
  stopPlan: Record<never, never>;
}

export type PlanCommandType = keyof PlanCommands;
export type PlanCommandOf<T extends PlanCommandType> = CommandBase & PlanCommands[T];
export type PlanCommand = { [T in PlanCommandType]: { type: T } & PlanCommandOf<T> }[PlanCommandType];

export const PLAN_COMMAND_TYPES: readonly PlanCommandType[] = [
  'reportProgress',
  'completeTask',
  'addTask',
  'editTask',
  'reassignTask',
  'reassignAgency',
  'changeDeadline',
  'waiveTask',
  'acknowledgeEscalation',
  'decide',
  'submitComment',
  'submitPlanForApproval',
  'requestContingency',
  'activateContingencyEmergency',
  'deactivateContingency',
  'moveCongressDay',
  'externalTaskCompleted',
  'watchTask',
  'congressContingency',
  'stopPlan',
];

/** Commands that change the plan itself and so must say why. */
const REASON_REQUIRED: ReadonlySet<PlanCommandType> = new Set<PlanCommandType>([
  'addTask',
  'editTask',
  'reassignTask',
  'reassignAgency',
  'changeDeadline',
  'waiveTask',
  'activateContingencyEmergency',
  'deactivateContingency',
  'moveCongressDay',
  'stopPlan',
]);

/** Commands the congress relays: they still apply to a finished plan (as no-ops), so relays never fail. */
const SYSTEM_COMMANDS: ReadonlySet<PlanCommandType> = new Set<PlanCommandType>(['externalTaskCompleted', 'watchTask']);

export interface CommandResult {
  ok: true;
  /** What the command created or touched, e.g. the approval id a completion opened. */
  approvalId?: string;
  taskId?: string;
  status?: string;
  /** Set when the result is the remembered answer to an earlier request with the same id. */
  replayed?: boolean;
}

/** What identifies a request's content, for telling a retry from a different request under a reused key. */
function requestFingerprint(command: PlanCommand): string {
  const content: Partial<PlanCommand> = { ...command };
  delete content.actor;
  delete content.requestId;
  return JSON.stringify([command.actor?.id, content]);
}

/**
 * The remembered result of a request already processed under the same id, or undefined. A request id reused
 * for a different request (another command, other content, another actor) is refused, not answered with the
 * first request's result.
 */
export function previousResult(state: PlanState, command: PlanCommand): CommandResult | undefined {
  if (!command.requestId) return undefined;
  const found = state.processedRequests.find((r) => r.id === command.requestId);
  if (!found) return undefined;
  if (found.fingerprint !== undefined && found.fingerprint !== requestFingerprint(command)) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `idempotency key ${command.requestId} was already used for a different request (${found.type ?? 'unknown'})`,
    );
  }
  return { ...(found.result as CommandResult), replayed: true };
}

function fail(path: string, message: string): never {
  throw invalidInput([{ path, message }]);
}

function requireActive(state: PlanState, what: string): void {
  if (state.status === 'closed' || state.status === 'stopped') {
    throw new DomainError('INVALID_TRANSITION', `the plan is ${state.status}: cannot ${what}`);
  }
}

/**
 * Throws a DomainError if `command` cannot be applied to `state` at `now`; changes nothing. A decision by
 * someone outside the approver group passes this check on purpose: `applyCommand` records the refusal.
 */
export function checkCommand(state: PlanState, command: PlanCommand, _now: number): void {
  if (previousResult(state, command)) return;
  if (!command.actor?.id) fail('actor', 'is required');
  if (REASON_REQUIRED.has(command.type) && !command.reason?.trim())
    fail('reason', 'is required for changes to the plan');
  if (!SYSTEM_COMMANDS.has(command.type)) requireActive(state, command.type);
  switch (command.type) {
    case 'reportProgress': {
      const task = getTask(state, command.taskId);
      if (!Number.isInteger(command.progress) || command.progress < 0 || command.progress > 99) {
        fail('progress', 'must be a whole number from 0 to 99 (complete the task to reach 100)');
      }
      if (task.status !== 'in_progress') assertTransition(task, 'in_progress');
      return;
    }
    case 'completeTask': {
      const task = getTask(state, command.taskId);
      assertTransition(task, task.requiresApproval ? 'awaiting_approval' : 'done');
      if (task.status === 'blocked') throw new DomainError('INVALID_TRANSITION', `task ${task.id} is blocked`);
      return;
    }
    case 'addTask': {
      const issues = checkNewTask(state, command.task);
      if (issues.length > 0) throw invalidInput(issues);
      return;
    }
    case 'editTask': {
      const task = getTask(state, command.taskId);
      if (isTerminal(task.status)) throw new DomainError('INVALID_TRANSITION', `task ${task.id} is ${task.status}`);
      const edited: TaskDefinition = {
        ...task,
        ...definedOnly(command, [
          'title',
          'responsible',
          'coordinatingAgencies',
          'budgetVnd',
          'deliverable',
          'requiresApproval',
        ]),
      };
      const issues = validateTask(edited, taskContext(state), 'task');
      if (issues.length > 0) throw invalidInput(issues);
      return;
    }
    case 'reassignTask': {
      const task = getTask(state, command.taskId);
      if (isTerminal(task.status)) throw new DomainError('INVALID_TRANSITION', `task ${task.id} is ${task.status}`);
      if (command.leadAgency === undefined && command.responsible === undefined) {
        fail('leadAgency', 'give leadAgency, responsible or both');
      }
      if (command.leadAgency !== undefined && !findAgency(state, command.leadAgency)) {
        fail('leadAgency', `"${command.leadAgency}" is not an agency of the plan`);
      }
      if (command.responsible !== undefined && !peopleDirectory(state).has(command.responsible)) {
        fail('responsible', `"${command.responsible}" is not a known person`);
      }
      return;
    }
    case 'reassignAgency': {
      if (!findAgency(state, command.fromAgency))
        throw new DomainError('NOT_FOUND', `agency ${command.fromAgency} does not exist`);
      if (command.fromAgency === command.toAgency) fail('toAgency', 'must differ from fromAgency');
      const exists = findAgency(state, command.toAgency);
      if (!exists && !command.newAgency)
        fail('toAgency', `"${command.toAgency}" is not an agency of the plan (give newAgency to add it)`);
      if (command.newAgency && command.newAgency.code !== command.toAgency)
        fail('newAgency.code', 'must equal toAgency');
      if (command.newAgency?.head !== undefined && !peopleDirectory(state).has(command.newAgency.head)) {
        fail('newAgency.head', `"${command.newAgency.head}" is not a known person`);
      }
      return;
    }
    case 'changeDeadline': {
      const task = getTask(state, command.taskId);
      if (isTerminal(task.status)) throw new DomainError('INVALID_TRANSITION', `task ${task.id} is ${task.status}`);
      const issues = validateTask(
        { ...task, due: command.due },
        { ...taskContext(state), scenario: task.scenario },
        'task',
      );
      const dueIssues = issues.filter((i) => i.path === 'task.due').map((i) => ({ ...i, path: 'due' }));
      if (dueIssues.length > 0) throw invalidInput(dueIssues);
      return;
    }
    case 'waiveTask': {
      assertTransition(getTask(state, command.taskId), 'waived');
      return;
    }
    case 'acknowledgeEscalation': {
      const task = getTask(state, command.taskId);
      parseDuration(command.holdFor, 'holdFor');
      if (!task.escalation || task.escalation.firedSteps.length === 0) {
        throw new DomainError('INVALID_TRANSITION', `task ${task.id} has no escalation to acknowledge`);
      }
      return;
    }
    case 'decide': {
      const approval = getApproval(state, command.approvalId);
      if (command.decision !== 'approve' && command.decision !== 'reject')
        fail('decision', 'must be approve or reject');
      if (approval.status !== 'pending') {
        throw new DomainError('INVALID_TRANSITION', `approval ${approval.id} is already ${approval.status}`);
      }
      if (approval.decisions.some((d) => d.by === command.actor.id)) {
        throw new DomainError(
          'INVALID_TRANSITION',
          `${command.actor.id} has already decided on approval ${approval.id}`,
        );
      }
      return;
    }
    case 'submitComment': {
      if (!command.text?.trim()) fail('text', 'must not be empty');
      return;
    }
    case 'submitPlanForApproval': {
      if (state.status !== 'draft')
        throw new DomainError('INVALID_TRANSITION', `the plan is ${state.status}, not a draft`);
      return;
    }
    case 'requestContingency':
    case 'activateContingencyEmergency': {
      getScenario(state, command.scenario);
      const contingency = state.contingencies[command.scenario];
      if (contingency.status !== 'inactive') {
        throw new DomainError('INVALID_TRANSITION', `contingency ${command.scenario} is already ${contingency.status}`);
      }
      if (command.type === 'activateContingencyEmergency') {
        const isHead = command.actor.id === state.congress.people.head.id;
        if (!isHead && !command.actor.roles.includes('admin')) {
          throw new DomainError(
            'FORBIDDEN',
            'only the head of the subcommittee (or an admin on their behalf) may activate in an emergency',
          );
        }
      }
      return;
    }
    case 'deactivateContingency': {
      getScenario(state, command.scenario);
      if (state.contingencies[command.scenario].status !== 'active') {
        throw new DomainError('INVALID_TRANSITION', `contingency ${command.scenario} is not active`);
      }
      return;
    }
    case 'moveCongressDay': {
      const issues = validateCongress({ ...state.congress, startDate: command.startDate, endDate: command.endDate });
      const dateIssues = issues
        .filter((i) => i.path === 'congress.startDate' || i.path === 'congress.endDate')
        .map((i) => ({ ...i, path: i.path.replace('congress.', '') }));
      if (dateIssues.length > 0) throw invalidInput(dateIssues);
      return;
    }
    case 'externalTaskCompleted': {
      if (!isExternalRef(command.ref)) fail('ref', 'must be UNIT:taskId');
      return;
    }
    case 'watchTask': {
      getTask(state, command.taskId);
      return;
    }
    case 'congressContingency':
      requireActive(state, 'apply a contingency');
      return;
    case 'stopPlan':
      return;
  }
}

function definedOnly<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function taskContext(state: PlanState) {
  return {
    groups: new Set(state.definition.groups.map((g) => g.id)),
    agencies: new Set(state.definition.agencies.map((a) => a.code)),
    people: new Set(peopleDirectory(state).keys()),
    taskIds: new Map([
      ...state.taskOrder.map((id) => [id, id] as [string, string]),
      ...state.definition.scenarios.flatMap((s) => s.tasks.map((t) => [t.id, t.id] as [string, string])),
    ]),
  };
}

function checkNewTask(state: PlanState, task: TaskDefinition): ValidationIssue[] {
  if (!task) return [{ path: 'task', message: 'is required' }];
  if (state.taskOrder.length >= MAX_TASKS_PER_PLAN) {
    return [{ path: 'task', message: `the plan already holds ${MAX_TASKS_PER_PLAN} tasks, the most a plan may hold` }];
  }
  const ctx = taskContext(state);
  if (ctx.taskIds.has(task.id)) return [{ path: 'task.id', message: `"${task.id}" is already a task of the plan` }];
  const issues = validateTask(task, { ...ctx, taskIds: new Map([...ctx.taskIds, [task.id, task.id]]) }, 'task');
  if (issues.length > 0) return issues;
  const deps = new Map(orderedTasks(state).map((t) => [t.id, taskDependencies(t).filter((d) => !isExternalRef(d))]));
  deps.set(
    task.id,
    taskDependencies(task).filter((d) => !isExternalRef(d)),
  );
  const cycle = findCycle(deps);
  return cycle ? [{ path: 'task.dependsOn', message: `dependency cycle: ${cycle.join(' → ')}` }] : [];
}

/**
 * Applies a command (after `checkCommand`) and returns its result. Remembers the result under the
 * command's request id, so that a retry returns it again without applying twice.
 */
export function applyCommand(state: PlanState, command: PlanCommand, now: number): CommandResult {
  const previous = previousResult(state, command);
  if (previous) return previous;
  checkCommand(state, command, now);
  const result = execute(state, command, now);
  if (command.requestId) {
    state.processedRequests.push({
      id: command.requestId,
      type: command.type,
      fingerprint: requestFingerprint(command),
      result,
    });
    if (state.processedRequests.length > PROCESSED_REQUESTS_KEPT) state.processedRequests.shift();
  }
  return result;
}

function execute(state: PlanState, command: PlanCommand, now: number): CommandResult {
  const { actor, reason } = command;
  switch (command.type) {
    case 'reportProgress': {
      const task = getTask(state, command.taskId);
      if (task.status !== 'in_progress') transitionTask(state, task, 'in_progress', actor, now, reason);
      task.progress = command.progress;
      audit(
        state,
        {
          actor,
          action: 'task.progress',
          target: task.id,
          reason: command.note,
          details: { progress: command.progress },
        },
        now,
      );
      return { ok: true, taskId: task.id, status: task.status };
    }
    case 'completeTask': {
      const task = getTask(state, command.taskId);
      if (task.requiresApproval) {
        transitionTask(state, task, 'awaiting_approval', actor, now, command.note);
        const approval = openApproval(
          state,
          { kind: 'task', taskId: task.id },
          `Kết quả nhiệm vụ: ${task.title}`,
          actor,
          now,
        );
        task.pendingApprovalId = approval.id;
        return { ok: true, taskId: task.id, status: task.status, approvalId: approval.id };
      }
      completeTaskNow(state, task, actor, now, command.note);
      return { ok: true, taskId: task.id, status: task.status };
    }
    case 'addTask': {
      const task = addTaskState(state, command.task, undefined);
      audit(state, { actor, action: 'task.added', target: task.id, reason }, now);
      refreshSchedule(state, now);
      const external = taskDependencies(task).filter(isExternalRef);
      for (const ref of external) {
        if (state.externalCompletions[ref] === undefined) {
          queue(state, { kind: 'dependency-wanted', key: `dependency-wanted:${ref}`, ref });
        }
      }
      return { ok: true, taskId: task.id, status: task.status };
    }
    case 'editTask': {
      const task = getTask(state, command.taskId);
      const changes = definedOnly(command, [
        'title',
        'responsible',
        'coordinatingAgencies',
        'budgetVnd',
        'deliverable',
        'requiresApproval',
      ]);
      Object.assign(task, changes);
      audit(state, { actor, action: 'task.edited', target: task.id, reason, details: changes }, now);
      return { ok: true, taskId: task.id, status: task.status };
    }
    case 'reassignTask': {
      const task = getTask(state, command.taskId);
      const before = { leadAgency: task.leadAgency, responsible: task.responsible };
      if (command.leadAgency !== undefined) task.leadAgency = command.leadAgency;
      if (command.responsible !== undefined) task.responsible = command.responsible;
      audit(
        state,
        {
          actor,
          action: 'task.reassigned',
          target: task.id,
          reason,
          details: { before, after: { leadAgency: task.leadAgency, responsible: task.responsible } },
        },
        now,
      );
      return { ok: true, taskId: task.id, status: task.status };
    }
    case 'reassignAgency': {
      if (command.newAgency && !findAgency(state, command.toAgency))
        state.definition.agencies.push({ ...command.newAgency });
      let moved = 0;
      for (const task of orderedTasks(state)) {
        if (isTerminal(task.status)) continue;
        let touched = false;
        if (task.leadAgency === command.fromAgency) {
          task.leadAgency = command.toAgency;
          touched = true;
        }
        if (task.coordinatingAgencies?.includes(command.fromAgency)) {
          task.coordinatingAgencies = [
            ...new Set(task.coordinatingAgencies.map((a) => (a === command.fromAgency ? command.toAgency : a))),
          ].filter((a) => a !== task.leadAgency);
          touched = true;
        }
        if (touched) moved++;
      }
      audit(
        state,
        {
          actor,
          action: 'agency.reassigned',
          target: command.fromAgency,
          reason,
          details: { to: command.toAgency, tasks: moved },
        },
        now,
      );
      return { ok: true, status: `${moved} tasks reassigned` };
    }
    case 'changeDeadline': {
      const task = getTask(state, command.taskId);
      const before = task.due;
      task.due = command.due;
      delete task.resumedDeadline;
      audit(
        state,
        { actor, action: 'task.deadline-changed', target: task.id, reason, details: { before, after: command.due } },
        now,
      );
      refreshSchedule(state, now);
      return { ok: true, taskId: task.id, status: task.status };
    }
    case 'waiveTask': {
      const task = getTask(state, command.taskId);
      if (task.pendingApprovalId) withdrawApproval(state, task.pendingApprovalId, actor, now);
      transitionTask(state, task, 'waived', actor, now, reason);
      refreshSchedule(state, now);
      return { ok: true, taskId: task.id, status: task.status };
    }
    case 'acknowledgeEscalation': {
      const task = getTask(state, command.taskId);
      const escalation = task.escalation!;
      escalation.holdUntil = now + parseDuration(command.holdFor, 'holdFor');
      escalation.acknowledgedBy = actor.id;
      task.responsible = peopleDirectory(state).has(actor.id) ? actor.id : task.responsible;
      audit(
        state,
        {
          actor,
          action: 'escalation.acknowledged',
          target: task.id,
          reason,
          details: { holdUntil: escalation.holdUntil },
        },
        now,
      );
      return { ok: true, taskId: task.id, status: task.status };
    }
    case 'decide': {
      const approval = getApproval(state, command.approvalId);
      if (!mayDecide(state, approval, actor.id)) {
        audit(
          state,
          {
            actor,
            action: 'approval.decision-refused',
            target: approval.id,
            reason: 'not an approver',
            details: { decision: command.decision },
          },
          now,
        );
        throw new DomainError(
          'FORBIDDEN',
          `${actor.id} is not among the approvers of ${approval.id}; the attempt was recorded`,
        );
      }
      approval.decisions.push({
        by: actor.id,
        byName: actor.name,
        decision: command.decision,
        ...(command.comment ? { comment: command.comment } : {}),
        at: now,
      });
      audit(
        state,
        { actor, action: `approval.${command.decision}`, target: approval.id, reason: command.comment },
        now,
      );
      resolveApproval(state, approval, now);
      return { ok: true, approvalId: approval.id, status: approval.status };
    }
    case 'submitComment': {
      state.comments.push({ by: actor.id, byName: actor.name, at: now, text: command.text });
      audit(state, { actor, action: 'plan.commented' }, now);
      return { ok: true, status: state.status };
    }
    case 'submitPlanForApproval': {
      const approval = submitPlan(state, actor, now);
      return { ok: true, approvalId: approval.id, status: state.status };
    }
    case 'requestContingency': {
      const scenario = getScenario(state, command.scenario);
      const contingency = state.contingencies[scenario.code];
      if (scenario.requiresApproval === false) {
        activateScenario(state, scenario.code, actor, now, false);
        return { ok: true, status: 'active' };
      }
      contingency.status = 'requested';
      const approval = openApproval(
        state,
        { kind: 'contingency', scenario: scenario.code, ratification: false },
        `Kích hoạt phương án: ${scenario.name}`,
        actor,
        now,
      );
      contingency.approvalId = approval.id;
      return { ok: true, approvalId: approval.id, status: 'requested' };
    }
    case 'activateContingencyEmergency': {
      const scenario = getScenario(state, command.scenario);
      activateScenario(state, scenario.code, actor, now, true);
      const approval = openApproval(
        state,
        { kind: 'contingency', scenario: scenario.code, ratification: true },
        `Phê chuẩn kích hoạt khẩn cấp: ${scenario.name}`,
        actor,
        now,
      );
      state.contingencies[scenario.code].approvalId = approval.id;
      return { ok: true, approvalId: approval.id, status: 'active' };
    }
    case 'deactivateContingency': {
      const contingency = state.contingencies[command.scenario];
      if (contingency.approvalId) withdrawApproval(state, contingency.approvalId, actor, now);
      delete contingency.approvalId;
      deactivateScenario(state, command.scenario, actor, now, reason ?? '');
      return { ok: true, status: 'inactive' };
    }
    case 'moveCongressDay': {
      const before = { startDate: state.congress.startDate, endDate: state.congress.endDate };
      state.congress.startDate = command.startDate;
      state.congress.endDate = command.endDate;
      const ctx = scheduleContextOf(state);
      state.closesAt = congressEndInstant(ctx) + parseDuration(state.definition.closeAfter ?? DEFAULT_CLOSE_AFTER);
      audit(
        state,
        {
          actor,
          action: 'congress.moved',
          reason,
          details: { before, after: { startDate: command.startDate, endDate: command.endDate } },
        },
        now,
      );
      refreshSchedule(state, now);
      return { ok: true, status: state.status };
    }
    case 'externalTaskCompleted': {
      if (state.externalCompletions[command.ref] === undefined) {
        state.externalCompletions[command.ref] = command.at;
        audit(state, { actor, action: 'dependency.completed', target: command.ref }, now);
        refreshSchedule(state, now);
      }
      return { ok: true };
    }
    case 'watchTask': {
      const task = getTask(state, command.taskId);
      if (!state.watchedTasks.includes(task.id)) state.watchedTasks.push(task.id);
      if (task.status === 'done' && task.completedAt !== undefined) {
        queue(state, {
          kind: 'task-completed',
          key: `task-completed:${task.id}`,
          taskId: task.id,
          at: task.completedAt,
        });
      }
      return { ok: true, taskId: task.id, status: task.status };
    }
    case 'congressContingency': {
      const scenario = state.definition.scenarios.find((s) => s.code === command.scenario);
      const contingency = state.contingencies[command.scenario];
      if (!scenario || !contingency) {
        audit(state, { actor, action: 'contingency.not-in-plan', target: command.scenario, reason }, now);
        return { ok: true, status: 'not-in-plan' };
      }
      if (command.active && contingency.status !== 'active') {
        if (contingency.approvalId) withdrawApproval(state, contingency.approvalId, actor, now);
        delete contingency.approvalId;
        activateScenario(state, scenario.code, actor, now, false);
      } else if (!command.active && contingency.status === 'active') {
        if (contingency.approvalId) withdrawApproval(state, contingency.approvalId, actor, now);
        delete contingency.approvalId;
        deactivateScenario(state, scenario.code, actor, now, reason ?? 'congress-wide decision');
      }
      return { ok: true, status: contingency.status };
    }
    case 'stopPlan': {
      for (const approval of Object.values(state.approvals)) {
        if (approval.status === 'pending') withdrawApproval(state, approval.id, actor, now);
      }
      state.status = 'stopped';
      state.closedAt = now;
      audit(state, { actor, action: 'plan.stopped', reason }, now);
      queue(state, { kind: 'archive', key: 'archive', at: now });
      return { ok: true, status: state.status };
    }
  }
}

function withdrawApproval(state: PlanState, approvalId: string, actor: Actor, now: number): void {
  const approval = state.approvals[approvalId];
  if (!approval || approval.status !== 'pending') return;
  approval.status = 'withdrawn';
  approval.resolvedAt = now;
  audit(state, { actor, action: 'approval.withdrawn', target: approvalId }, now);
}

function submitPlan(state: PlanState, actor: Actor, now: number): ApprovalRequest {
  state.status = 'awaiting_approval';
  delete state.draftUntil;
  const title = `Kế hoạch ${state.definition.documentNumber ? `số ${state.definition.documentNumber} ` : ''}của ${state.definition.unitName}`;
  const approval = openApproval(state, { kind: 'plan' }, title, actor, now);
  audit(
    state,
    { actor, action: 'plan.submitted', target: approval.id, details: { comments: state.comments.length } },
    now,
  );
  return approval;
}

// ---------------------------------------------------------------------------------------------------------
// Time

/**
 * Brings the plan up to `now`: everything that has come due since the last call happens, once.
 * Returns true when anything changed.
 */
export function advance(state: PlanState, now: number): boolean {
  if (state.status === 'closed' || state.status === 'stopped') return false;
  const before = state.counters.audit + state.counters.effect;
  const ctx = scheduleContextOf(state);
  const tz = state.congress.timeZone;

  const phase = phaseAt(now, ctx);
  if (phase !== state.phase) {
    audit(state, { actor: SYSTEM_ACTOR, action: 'plan.phase', details: { from: state.phase, to: phase } }, now);
    state.phase = phase;
  }

  if (state.status === 'draft' && state.draftUntil !== undefined && now >= state.draftUntil) {
    submitPlan(state, SYSTEM_ACTOR, now);
  }

  for (const approval of Object.values(state.approvals)) {
    if (approval.status === 'pending' && approval.escalatedAt === undefined && now >= approval.deadline) {
      approval.escalatedAt = now;
      audit(state, { actor: SYSTEM_ACTOR, action: 'approval.escalated', target: approval.id }, now);
      queue(state, {
        kind: 'notify',
        key: `approval-overdue:${approval.id}`,
        event: 'approval-overdue',
        recipients: uniquePeople([state.congress.people.head, ...(state.congress.people.standingSection ?? [])]),
        ...vi.approvalOverdue(approval, tz),
      });
    }
  }

  if (state.status === 'active') {
    const reminders = reminderOffsets(state);
    const ladder = ladderDelays(state);
    for (const task of orderedTasks(state)) {
      if (!isActionable(task.status) || task.deadline === undefined) continue;
      const deadline = task.deadline;
      for (const before of reminders) {
        const key = `${deadline}:${before}`;
        if (now >= deadline - before && now < deadline && !task.remindersSent.includes(key)) {
          task.remindersSent.push(key);
          queue(state, {
            kind: 'notify',
            key: `reminder:${task.id}:${key}`,
            event: 'reminder',
            taskId: task.id,
            recipients: uniquePeople([
              ...audienceOf(state, task, 'assignee'),
              ...audienceOf(state, task, 'leadAgencyHead'),
            ]),
            ...vi.reminder(task, deadline, before, tz),
          });
        }
      }
      if (now < deadline) continue;
      const escalation = (task.escalation ??= { episodeDeadline: deadline, firedSteps: [] });
      ladder.forEach((delay, step) => {
        if (escalation.firedSteps.includes(step) || now < escalationStepAt(escalation, deadline, delay, step)) return;
        escalation.firedSteps.push(step);
        const level = step + 1;
        audit(state, { actor: SYSTEM_ACTOR, action: 'task.escalated', target: task.id, details: { level } }, now);
        const audiences = state.definition.escalationLadder[step].notify;
        queue(state, {
          kind: 'notify',
          key: `escalation:${task.id}:${deadline}:${level}`,
          event: level === 1 ? 'overdue' : 'escalation',
          taskId: task.id,
          level,
          recipients: uniquePeople(audiences.flatMap((a) => audienceOf(state, task, a))),
          ...vi.escalation(task, deadline, level, tz),
        });
      });
    }

    if (state.nextCheckInAt !== undefined && now >= state.nextCheckInAt) {
      const at = state.nextCheckInAt;
      queue(state, { kind: 'report', key: `check-in:${at}`, report: 'check-in', at });
      queue(state, {
        kind: 'notify',
        key: `check-in-notice:${at}`,
        event: 'check-in',
        recipients: state.congress.people.standingSection ?? [],
        ...vi.checkIn(state.definition.unitName, at, tz),
      });
      audit(state, { actor: SYSTEM_ACTOR, action: 'plan.check-in', details: { at } }, now);
      state.nextCheckInAt = nextCheckIn(now, state.definition.checkInCadence, tz);
    }
  }

  const allSettled = orderedTasks(state).every((t) => isTerminal(t.status));
  const ended = now >= congressEndInstant(ctx);
  if ((state.status === 'active' && ended && allSettled) || now >= state.closesAt) {
    state.status = 'closed';
    state.closedAt = now;
    audit(state, { actor: SYSTEM_ACTOR, action: 'plan.closed', details: { allSettled } }, now);
    queue(state, { kind: 'report', key: 'closing-report', report: 'closing', at: now });
    queue(state, { kind: 'archive', key: 'archive', at: now });
  }
  archiveOldAudit(state);
  return state.counters.audit + state.counters.effect !== before;
}

/** Most audit entries moved out of the state in one segment. */
export const AUDIT_SEGMENT_SIZE = 500;

/**
 * Keeps the state's audit log to `rules.auditKeptInState` entries (plus less than one segment): older entries
 * go, in segments, into effects that write them to the archive. They stay in the state (in the outbox) until
 * written, so nothing is lost if the worker stops meanwhile.
 */
export function archiveOldAudit(state: PlanState): void {
  const kept = state.rules?.auditKeptInState;
  if (kept === undefined) return;
  const segment = Math.max(1, Math.min(AUDIT_SEGMENT_SIZE, kept));
  while (state.audit.length >= kept + segment) {
    const entries = state.audit.splice(0, segment);
    queue(state, {
      kind: 'audit-segment',
      key: `audit-${String(entries[0].seq).padStart(7, '0')}-${String(entries[entries.length - 1].seq).padStart(7, '0')}`,
      entries,
    });
  }
}

function reminderOffsets(state: PlanState): number[] {
  return state.definition.reminders.map((r) => parseDuration(r));
}

function ladderDelays(state: PlanState): number[] {
  return state.definition.escalationLadder.map((s) => parseDuration(s.after));
}

function escalationStepAt(
  escalation: NonNullable<TaskState['escalation']>,
  deadline: number,
  delay: number,
  step: number,
): number {
  const scheduled = deadline + delay;
  // An acknowledgement holds the steps above those already fired until the hold ends.
  const held = escalation.holdUntil !== undefined && step >= escalation.firedSteps.length;
  return held ? Math.max(scheduled, escalation.holdUntil!) : scheduled;
}

/** The next moment after `now` at which `advance` would do something, or undefined if nothing is scheduled. */
export function nextWakeAt(state: PlanState, now: number): number | undefined {
  if (state.status === 'closed' || state.status === 'stopped') return undefined;
  const ctx = scheduleContextOf(state);
  const candidates: number[] = [state.closesAt, congressStartInstant(ctx), congressEndInstant(ctx)];
  if (state.draftUntil !== undefined) candidates.push(state.draftUntil);
  for (const approval of Object.values(state.approvals)) {
    if (approval.status === 'pending' && approval.escalatedAt === undefined) candidates.push(approval.deadline);
  }
  if (state.status === 'active') {
    if (state.nextCheckInAt !== undefined) candidates.push(state.nextCheckInAt);
    const reminders = reminderOffsets(state);
    const ladder = ladderDelays(state);
    for (const task of orderedTasks(state)) {
      if (!isActionable(task.status) || task.deadline === undefined) continue;
      const deadline = task.deadline;
      for (const before of reminders) {
        if (!task.remindersSent.includes(`${deadline}:${before}`)) candidates.push(deadline - before);
      }
      candidates.push(deadline);
      const escalation = task.escalation ?? { episodeDeadline: deadline, firedSteps: [] };
      ladder.forEach((delay, step) => {
        if (!escalation.firedSteps.includes(step)) candidates.push(escalationStepAt(escalation, deadline, delay, step));
      });
    }
  }
  const future = candidates.filter((t) => t > now);
  return future.length > 0 ? Math.min(...future) : undefined;
}
