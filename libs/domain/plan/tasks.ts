/** Tasks: progress, completion, additions and edits, reassignment, deadlines, waivers, watched tasks. */
import { DomainError, invalidInput, type ValidationIssue } from '../errors';
import { vi } from '../messages.vi';
import type { Actor, PlanState, TaskDefinition, TaskState } from '../model';
import { assertTransition, audit, isTerminal, transitionTask } from '../transitions';
import { MAX_TASKS_PER_PLAN, findCycle, isExternalRef, taskDependencies, validateTask } from '../validation';
import { openApproval, withdrawApproval } from './approvals';
import { refreshSchedule } from './schedule';
import { addTaskState, findAgency, getTask, orderedTasks, peopleDirectory, queue } from './state';
import type { CommandHandlers } from './types';

function fail(path: string, message: string): never {
  throw invalidInput([{ path, message }]);
}

function requireOpen(task: TaskState): void {
  if (isTerminal(task.status)) throw new DomainError('INVALID_TRANSITION', `task ${task.id} is ${task.status}`);
}

export function completeTaskNow(state: PlanState, task: TaskState, actor: Actor, now: number, reason?: string): void {
  transitionTask(state, task, 'done', actor, now, reason);
  if (state.watchedTasks.includes(task.id)) {
    queue(state, { kind: 'task-completed', key: `task-completed:${task.id}`, taskId: task.id, at: now });
  }
  refreshSchedule(state, now);
}

const EDITABLE = [
  'title',
  'responsible',
  'coordinatingAgencies',
  'budgetVnd',
  'deliverable',
  'requiresApproval',
] as const;

function definedOnly<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

export function taskContext(state: PlanState) {
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

export const taskCommands: CommandHandlers<
  | 'reportProgress'
  | 'completeTask'
  | 'addTask'
  | 'editTask'
  | 'reassignTask'
  | 'reassignAgency'
  | 'changeDeadline'
  | 'waiveTask'
  | 'watchTask'
> = {
  reportProgress: {
    check(state, command) {
      const task = getTask(state, command.taskId);
      if (!Number.isInteger(command.progress) || command.progress < 0 || command.progress > 99) {
        fail('progress', 'must be a whole number from 0 to 99 (complete the task to reach 100)');
      }
      if (task.status !== 'in_progress') assertTransition(task, 'in_progress');
    },
    apply(state, command, now) {
      const task = getTask(state, command.taskId);
      if (task.status !== 'in_progress') transitionTask(state, task, 'in_progress', command.actor, now, command.reason);
      task.progress = command.progress;
      audit(
        state,
        {
          actor: command.actor,
          action: 'task.progress',
          target: task.id,
          reason: command.note,
          details: { progress: command.progress },
        },
        now,
      );
      return { ok: true, taskId: task.id, status: task.status };
    },
  },
  completeTask: {
    check(state, command) {
      const task = getTask(state, command.taskId);
      assertTransition(task, task.requiresApproval ? 'awaiting_approval' : 'done');
      if (task.status === 'blocked') throw new DomainError('INVALID_TRANSITION', `task ${task.id} is blocked`);
    },
    apply(state, command, now) {
      const task = getTask(state, command.taskId);
      if (task.requiresApproval) {
        transitionTask(state, task, 'awaiting_approval', command.actor, now, command.note);
        const approval = openApproval(
          state,
          { kind: 'task', taskId: task.id },
          vi.taskResultTitle(task),
          command.actor,
          now,
        );
        task.pendingApprovalId = approval.id;
        return { ok: true, taskId: task.id, status: task.status, approvalId: approval.id };
      }
      completeTaskNow(state, task, command.actor, now, command.note);
      return { ok: true, taskId: task.id, status: task.status };
    },
  },
  addTask: {
    reasonRequired: true,
    check(state, command) {
      const issues = checkNewTask(state, command.task);
      if (issues.length > 0) throw invalidInput(issues);
    },
    apply(state, command, now) {
      const task = addTaskState(state, command.task, undefined);
      audit(state, { actor: command.actor, action: 'task.added', target: task.id, reason: command.reason }, now);
      refreshSchedule(state, now);
      for (const ref of taskDependencies(task).filter(isExternalRef)) {
        if (state.externalCompletions[ref] === undefined) {
          queue(state, { kind: 'dependency-wanted', key: `dependency-wanted:${ref}`, ref });
        }
      }
      return { ok: true, taskId: task.id, status: task.status };
    },
  },
  editTask: {
    reasonRequired: true,
    check(state, command) {
      const task = getTask(state, command.taskId);
      requireOpen(task);
      const edited: TaskDefinition = { ...task, ...definedOnly(command, EDITABLE) };
      const issues = validateTask(edited, taskContext(state), 'task');
      if (issues.length > 0) throw invalidInput(issues);
    },
    apply(state, command, now) {
      const task = getTask(state, command.taskId);
      const changes = definedOnly(command, EDITABLE);
      Object.assign(task, changes);
      audit(
        state,
        { actor: command.actor, action: 'task.edited', target: task.id, reason: command.reason, details: changes },
        now,
      );
      return { ok: true, taskId: task.id, status: task.status };
    },
  },
  reassignTask: {
    reasonRequired: true,
    check(state, command) {
      requireOpen(getTask(state, command.taskId));
      if (command.leadAgency === undefined && command.responsible === undefined) {
        fail('leadAgency', 'give leadAgency, responsible or both');
      }
      if (command.leadAgency !== undefined && !findAgency(state, command.leadAgency)) {
        fail('leadAgency', `"${command.leadAgency}" is not an agency of the plan`);
      }
      if (command.responsible !== undefined && !peopleDirectory(state).has(command.responsible)) {
        fail('responsible', `"${command.responsible}" is not a known person`);
      }
    },
    apply(state, command, now) {
      const task = getTask(state, command.taskId);
      const before = { leadAgency: task.leadAgency, responsible: task.responsible };
      if (command.leadAgency !== undefined) task.leadAgency = command.leadAgency;
      if (command.responsible !== undefined) task.responsible = command.responsible;
      audit(
        state,
        {
          actor: command.actor,
          action: 'task.reassigned',
          target: task.id,
          reason: command.reason,
          details: { before, after: { leadAgency: task.leadAgency, responsible: task.responsible } },
        },
        now,
      );
      return { ok: true, taskId: task.id, status: task.status };
    },
  },
  reassignAgency: {
    reasonRequired: true,
    check(state, command) {
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
    },
    apply(state, command, now) {
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
          actor: command.actor,
          action: 'agency.reassigned',
          target: command.fromAgency,
          reason: command.reason,
          details: { to: command.toAgency, tasks: moved },
        },
        now,
      );
      return { ok: true, status: `${moved} tasks reassigned` };
    },
  },
  changeDeadline: {
    reasonRequired: true,
    check(state, command) {
      const task = getTask(state, command.taskId);
      requireOpen(task);
      const issues = validateTask(
        { ...task, due: command.due },
        { ...taskContext(state), scenario: task.scenario },
        'task',
      );
      const dueIssues = issues.filter((i) => i.path === 'task.due').map((i) => ({ ...i, path: 'due' }));
      if (dueIssues.length > 0) throw invalidInput(dueIssues);
    },
    apply(state, command, now) {
      const task = getTask(state, command.taskId);
      const before = task.due;
      task.due = command.due;
      delete task.resumedDeadline;
      delete task.resumeExtensionMs;
      audit(
        state,
        {
          actor: command.actor,
          action: 'task.deadline-changed',
          target: task.id,
          reason: command.reason,
          details: { before, after: command.due },
        },
        now,
      );
      refreshSchedule(state, now);
      return { ok: true, taskId: task.id, status: task.status };
    },
  },
  waiveTask: {
    reasonRequired: true,
    check(state, command) {
      assertTransition(getTask(state, command.taskId), 'waived');
    },
    apply(state, command, now) {
      const task = getTask(state, command.taskId);
      if (task.pendingApprovalId) withdrawApproval(state, task.pendingApprovalId, command.actor, now);
      transitionTask(state, task, 'waived', command.actor, now, command.reason);
      refreshSchedule(state, now);
      return { ok: true, taskId: task.id, status: task.status };
    },
  },
  watchTask: {
    system: { appliesWhenClosed: true },
    check(state, command) {
      getTask(state, command.taskId);
    },
    apply(state, command) {
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
    },
  },
};
