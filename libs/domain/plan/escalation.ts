/**
 * Reminders before each deadline, and the escalation ladder after it: each step at its delay, once per
 * overdue episode, held while someone who took ownership has asked for time.
 */
import { parseDuration } from '../duration';
import { DomainError } from '../errors';
import { MOMENT_LABELS, vi } from '../messages.vi';
import { SYSTEM_ACTOR, type EscalationState, type PlanState, type TaskState } from '../model';
import { audit, isActionable } from '../transitions';
import { audiencesOf } from './audiences';
import { getTask, orderedTasks, peopleDirectory, queue } from './state';
import type { CommandHandlers, DueMoment } from './types';

/** When a ladder step fires: its delay after the deadline, or later while an acknowledgement holds the climb. */
export function escalationStepAt(
  escalation: EscalationState | undefined,
  deadline: number,
  delay: number,
  step: number,
) {
  const scheduled = deadline + delay;
  if (!escalation) return scheduled;
  // An acknowledgement holds the steps above those already fired until the hold ends.
  const held = escalation.holdUntil !== undefined && step >= escalation.firedSteps.length;
  return held ? Math.max(scheduled, escalation.holdUntil!) : scheduled;
}

function sendReminder(task: TaskState, deadline: number, before: number) {
  return (state: PlanState, now: number) => {
    const key = `${deadline}:${before}`;
    if (state.status !== 'active' || !isActionable(task.status) || task.deadline !== deadline) return;
    if (now >= deadline || task.remindersSent.includes(key)) return;
    task.remindersSent.push(key);
    queue(state, {
      kind: 'notify',
      key: `reminder:${task.id}:${key}`,
      event: 'reminder',
      taskId: task.id,
      recipients: audiencesOf(state, task, ['assignee', 'leadAgencyHead']),
      ...vi.reminder(task, deadline, before, state.congress.timeZone),
    });
  };
}

function climb(task: TaskState, deadline: number, step: number) {
  return (state: PlanState, now: number) => {
    if (state.status !== 'active' || !isActionable(task.status) || task.deadline !== deadline) return;
    const ladder = state.definition.escalationLadder;
    const escalation = (task.escalation ??= { episodeDeadline: deadline, firedSteps: [] });
    const at = escalationStepAt(escalation, deadline, parseDuration(ladder[step].after), step);
    if (escalation.firedSteps.includes(step) || now < at) return;
    escalation.firedSteps.push(step);
    const level = step + 1;
    audit(state, { actor: SYSTEM_ACTOR, action: 'task.escalated', target: task.id, details: { level } }, now);
    const audiences = ladder[step].notify;
    queue(state, {
      kind: 'notify',
      key: `escalation:${task.id}:${deadline}:${level}`,
      event: level === 1 ? 'overdue' : 'escalation',
      taskId: task.id,
      level,
      recipients: audiencesOf(state, task, audiences),
      ...vi.escalation(task, deadline, level, audiences, state.congress.timeZone),
    });
  };
}

export function due(state: PlanState, now: number): DueMoment[] {
  if (state.status !== 'active') return [];
  const reminders = state.definition.reminders.map((r) => parseDuration(r));
  const ladder = state.definition.escalationLadder.map((s) => parseDuration(s.after));
  const moments: DueMoment[] = [];
  for (const task of orderedTasks(state)) {
    if (!isActionable(task.status) || task.deadline === undefined) continue;
    const deadline = task.deadline;
    for (const before of reminders) {
      // A reminder whose deadline has passed is moot: the overdue notice takes its place.
      if (now < deadline && !task.remindersSent.includes(`${deadline}:${before}`)) {
        moments.push({
          at: deadline - before,
          what: `reminder ${task.id}`,
          label: MOMENT_LABELS.reminder(task.id),
          fire: sendReminder(task, deadline, before),
        });
      }
    }
    // The deadline itself changes what views show (overdue), even with a ladder that starts later.
    if (deadline > now)
      moments.push({ at: deadline, what: `deadline ${task.id}`, label: MOMENT_LABELS.deadline(task.id) });
    const escalation = task.escalation?.episodeDeadline === deadline ? task.escalation : undefined;
    ladder.forEach((delay, step) => {
      if (escalation?.firedSteps.includes(step)) return;
      moments.push({
        at: escalationStepAt(escalation, deadline, delay, step),
        what: `escalation ${task.id} level ${step + 1}`,
        label: MOMENT_LABELS.escalation(task.id, step + 1),
        fire: climb(task, deadline, step),
      });
    });
  }
  return moments;
}

export const escalationCommands: CommandHandlers<'acknowledgeEscalation'> = {
  acknowledgeEscalation: {
    check(state, command) {
      const task = getTask(state, command.taskId);
      parseDuration(command.holdFor, 'holdFor');
      if (!task.escalation || task.escalation.firedSteps.length === 0) {
        throw new DomainError('INVALID_TRANSITION', `task ${task.id} has no escalation to acknowledge`);
      }
    },
    apply(state, command, now) {
      const task = getTask(state, command.taskId);
      const escalation = task.escalation!;
      escalation.holdUntil = now + parseDuration(command.holdFor, 'holdFor');
      escalation.acknowledgedBy = command.actor.id;
      task.responsible = peopleDirectory(state).has(command.actor.id) ? command.actor.id : task.responsible;
      audit(
        state,
        {
          actor: command.actor,
          action: 'escalation.acknowledged',
          target: task.id,
          reason: command.reason,
          details: { holdUntil: escalation.holdUntil },
        },
        now,
      );
      return { ok: true, taskId: task.id, status: task.status };
    },
  },
};
