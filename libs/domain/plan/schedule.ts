/**
 * Schedule: deadlines resolved from congress day, prerequisites and activations; the congress's phases; the
 * plan's closing; and the commands that move it all (congress day, another unit's completion, stop).
 */
import { DomainError, invalidInput } from '../errors';
import { SYSTEM_ACTOR, type PlanState, type TaskState } from '../model';
import { congressEndInstant, congressStartInstant, parseDue, phaseAt, resolveDue } from '../schedule';
import { MOMENT_LABELS } from '../messages.vi';
import { audit, isTerminal, transitionTask } from '../transitions';
import { isExternalRef, validateCongress } from '../validation';
import { withdrawApproval } from './approvals';
import {
  dependenciesSatisfied,
  isClosed,
  orderedTasks,
  nextPlanCheckIn,
  planClosingInstant,
  queue,
  scheduleContextOf,
} from './state';
import type { CommandHandlers, DueMoment } from './types';

/** The deadline a task follows now: its resolved due time, moved later if it resumed after a contingency. */
export function effectiveDeadline(task: TaskState, resolved: number | undefined): number | undefined {
  if (resolved === undefined) return undefined;
  // Kept relative: a later move of congress day moves a resumed task's deadline too.
  if (task.resumeExtensionMs !== undefined) return resolved + task.resumeExtensionMs;
  if (task.resumedDeadline !== undefined) return Math.max(resolved, task.resumedDeadline);
  return resolved;
}

/**
 * Resolves every deadline again (after a move of congress day, a completion, an activation…), starts a new
 * overdue episode for tasks whose deadline changed, and unblocks tasks whose prerequisites are met.
 */
export function refreshSchedule(state: PlanState, now: number): void {
  const ctx = scheduleContextOf(state);
  for (const task of orderedTasks(state)) {
    if (isTerminal(task.status)) continue;
    const deadline = effectiveDeadline(task, resolveDue(parseDue(task.due), ctx, task.scenario));
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

function closingDue(state: PlanState, now: number): boolean {
  const ended = now >= congressEndInstant(scheduleContextOf(state));
  const allSettled = orderedTasks(state).every((t) => isTerminal(t.status));
  return (state.status === 'active' && ended && allSettled) || now >= state.closesAt;
}

function close(state: PlanState, now: number): void {
  if (isClosed(state) || !closingDue(state, now)) return;
  const allSettled = orderedTasks(state).every((t) => isTerminal(t.status));
  state.status = 'closed';
  state.closedAt = now;
  audit(state, { actor: SYSTEM_ACTOR, action: 'plan.closed', details: { allSettled } }, now);
  queue(state, { kind: 'report', key: 'closing-report', report: 'closing', at: now });
  queue(state, { kind: 'archive', key: 'archive', at: now });
}

function changePhase(state: PlanState, now: number): void {
  const phase = phaseAt(now, scheduleContextOf(state));
  if (phase === state.phase) return;
  audit(state, { actor: SYSTEM_ACTOR, action: 'plan.phase', details: { from: state.phase, to: phase } }, now);
  state.phase = phase;
}

/** The congress's phase changes: at its first day and the day after its last (or now, if already past). */
export function phaseDue(state: PlanState, now: number): DueMoment[] {
  const ctx = scheduleContextOf(state);
  const moment = (at: number): DueMoment => ({ at, what: 'phase', label: MOMENT_LABELS.phase, fire: changePhase });
  if (phaseAt(now, ctx) !== state.phase) return [moment(now)];
  return [congressStartInstant(ctx), congressEndInstant(ctx)].filter((at) => at > now).map(moment);
}

/**
 * The closing: at `closesAt` in any case, and as soon as the congress has ended once every task is settled
 * (a moment that may already be past: then it is due now).
 */
export function closingMoments(state: PlanState): DueMoment[] {
  const moments: DueMoment[] = [{ at: state.closesAt, what: 'closing', label: MOMENT_LABELS.closing, fire: close }];
  if (state.status === 'active' && orderedTasks(state).every((t) => isTerminal(t.status))) {
    const at = congressEndInstant(scheduleContextOf(state));
    moments.push({ at, what: 'closing (all settled)', label: MOMENT_LABELS.closing, fire: close });
  }
  return moments;
}

export const scheduleCommands: CommandHandlers<'moveCongressDay' | 'externalTaskCompleted' | 'stopPlan'> = {
  moveCongressDay: {
    reasonRequired: true,
    system: { appliesWhenClosed: false },
    check(state, command) {
      const issues = validateCongress({ ...state.congress, startDate: command.startDate, endDate: command.endDate });
      const dateIssues = issues
        .filter((i) => i.path === 'congress.startDate' || i.path === 'congress.endDate')
        .map((i) => ({ ...i, path: i.path.replace('congress.', '') }));
      if (dateIssues.length > 0) throw invalidInput(dateIssues);
    },
    apply(state, command, now) {
      const before = { startDate: state.congress.startDate, endDate: state.congress.endDate };
      state.congress.startDate = command.startDate;
      state.congress.endDate = command.endDate;
      const ctx = scheduleContextOf(state);
      state.closesAt = planClosingInstant(ctx, state.definition);
      // The weekly check-ins of the last stretch move with congress day.
      if (
        state.definition.weeklyCheckInsBefore !== undefined &&
        state.status !== 'closed' &&
        state.status !== 'stopped'
      )
        state.nextCheckInAt = nextPlanCheckIn(state.definition, ctx, now);
      audit(
        state,
        {
          actor: command.actor,
          action: 'congress.moved',
          reason: command.reason,
          details: { before, after: { startDate: command.startDate, endDate: command.endDate } },
        },
        now,
      );
      refreshSchedule(state, now);
      return { ok: true, status: state.status };
    },
  },
  externalTaskCompleted: {
    system: { appliesWhenClosed: true },
    check(_state, command) {
      if (!isExternalRef(command.ref)) throw invalidInput([{ path: 'ref', message: 'must be UNIT:taskId' }]);
    },
    apply(state, command, now) {
      if (state.externalCompletions[command.ref] === undefined) {
        state.externalCompletions[command.ref] = command.at;
        audit(state, { actor: command.actor, action: 'dependency.completed', target: command.ref }, now);
        refreshSchedule(state, now);
      }
      return { ok: true };
    },
  },
  stopPlan: {
    reasonRequired: true,
    check() {},
    apply(state, command, now) {
      for (const approval of Object.values(state.approvals)) {
        if (approval.status === 'pending') withdrawApproval(state, approval.id, command.actor, now);
      }
      state.status = 'stopped';
      state.closedAt = now;
      audit(state, { actor: command.actor, action: 'plan.stopped', reason: command.reason }, now);
      queue(state, { kind: 'archive', key: 'archive', at: now });
      return { ok: true, status: state.status };
    },
  },
};

/** Refuses anything but relays on a closed or stopped plan. */
export function requireActive(state: PlanState, what: string): void {
  if (isClosed(state)) throw new DomainError('INVALID_TRANSITION', `the plan is ${state.status}: cannot ${what}`);
}
