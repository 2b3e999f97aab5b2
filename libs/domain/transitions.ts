/**
 * Task state transitions as a table and one function that applies them, recording actor, time and reason
 * in the plan's audit log. Everything that changes a task's status goes through `transitionTask`.
 */
import { DomainError } from './errors';
import type { Actor, AuditEntry, PlanState, TaskState, TaskStatus } from './model';

/** Allowed moves. Terminal statuses (done, cancelled, waived) have none. */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  blocked: ['open', 'suspended', 'waived', 'cancelled'],
  open: ['in_progress', 'awaiting_approval', 'done', 'blocked', 'suspended', 'waived', 'cancelled'],
  in_progress: ['awaiting_approval', 'done', 'blocked', 'suspended', 'waived', 'cancelled'],
  reopened: ['in_progress', 'awaiting_approval', 'done', 'suspended', 'waived', 'cancelled'],
  awaiting_approval: ['done', 'reopened', 'suspended', 'waived', 'cancelled'],
  suspended: ['blocked', 'open', 'in_progress', 'reopened', 'awaiting_approval', 'waived', 'cancelled'],
  done: [],
  cancelled: [],
  waived: [],
};

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: TaskStatus): boolean {
  return TASK_TRANSITIONS[status].length === 0;
}

/** Statuses in which the task's people are expected to act, so a passed deadline escalates. */
export function isActionable(status: TaskStatus): boolean {
  return status === 'open' || status === 'in_progress' || status === 'reopened';
}

export function audit(
  state: PlanState,
  entry: Omit<AuditEntry, 'seq' | 'at' | 'actor'> & { actor: Actor },
  at: number,
): AuditEntry {
  const record: AuditEntry = {
    seq: ++state.counters.audit,
    at,
    actor: entry.actor.id,
    action: entry.action,
    ...(entry.target !== undefined ? { target: entry.target } : {}),
    ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    ...(entry.details !== undefined ? { details: entry.details } : {}),
  };
  state.audit.push(record);
  return record;
}

/** Throws unless the task may move to `to`; never changes anything. */
export function assertTransition(task: TaskState, to: TaskStatus): void {
  if (!canTransition(task.status, to)) {
    throw new DomainError('INVALID_TRANSITION', `task ${task.id} is ${task.status} and cannot become ${to}`);
  }
}

export function transitionTask(
  state: PlanState,
  task: TaskState,
  to: TaskStatus,
  actor: Actor,
  at: number,
  reason?: string,
): void {
  assertTransition(task, to);
  const from = task.status;
  task.status = to;
  if (to === 'done') {
    task.completedAt = at;
    task.progress = 100;
  }
  if (isTerminal(to)) delete task.escalation;
  audit(state, { actor, action: `task.${to}`, target: task.id, reason, details: { from } }, at);
}
