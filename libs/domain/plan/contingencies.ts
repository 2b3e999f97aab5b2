/**
 * Contingencies: activating a scenario adds its tasks and suspends the tasks it names; ending it cancels its
 * tasks and resumes the suspended ones with the time they had left. Congress-wide scenarios arrive relayed.
 */
import { DomainError } from '../errors';
import { vi } from '../messages.vi';
import type { Actor, PlanState } from '../model';
import { resolveDue, parseDue } from '../schedule';
import { audit, isTerminal, transitionTask } from '../transitions';
import { openApproval, withdrawApproval } from './approvals';
import { unitLeadership } from './audiences';
import { refreshSchedule, requireActive } from './schedule';
import { addTaskState, getScenario, orderedTasks, queue, scheduleContextOf } from './state';
import type { CommandHandlers } from './types';

export function activateScenario(state: PlanState, code: string, actor: Actor, now: number, emergency: boolean): void {
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
  queue(state, {
    kind: 'notify',
    key: `contingency:${code}:on:${now}`,
    event: 'contingency',
    recipients: unitLeadership(state, { withHead: true }),
    ...vi.contingency(scenario.name, true, emergency),
  });
  refreshSchedule(state, now);
}

export function deactivateScenario(state: PlanState, code: string, actor: Actor, now: number, reason: string): void {
  const scenario = getScenario(state, code);
  const contingency = state.contingencies[code];
  contingency.status = 'inactive';
  delete contingency.activatedAt;
  delete contingency.emergency;
  audit(state, { actor, action: 'contingency.deactivated', target: code, reason }, now);
  const ctx = scheduleContextOf(state);
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
        if (state.rules?.relativeResumedDeadlines) {
          // Kept as an extension of the resolved deadline, so that it still follows congress day.
          const resolved = resolveDue(parseDue(task.due), ctx, task.scenario);
          if (resolved !== undefined) task.resumeExtensionMs = Math.max(0, now + window - resolved);
        } else {
          task.resumedDeadline = now + window;
        }
      }
      delete task.suspendedBy;
      delete task.suspendedAt;
      delete task.remainingAtSuspension;
      delete task.statusBeforeSuspension;
      delete task.escalation;
      transitionTask(state, task, back, actor, now, `contingency ${code} ended`);
    }
  }
  queue(state, {
    kind: 'notify',
    key: `contingency:${code}:off:${now}`,
    event: 'contingency',
    recipients: unitLeadership(state, { withHead: false }),
    ...vi.contingency(scenario.name, false, false),
  });
  refreshSchedule(state, now);
}

function requireInactive(state: PlanState, code: string): void {
  getScenario(state, code);
  const contingency = state.contingencies[code];
  if (contingency.status !== 'inactive') {
    throw new DomainError('INVALID_TRANSITION', `contingency ${code} is already ${contingency.status}`);
  }
}

export const contingencyCommands: CommandHandlers<
  'requestContingency' | 'activateContingencyEmergency' | 'deactivateContingency' | 'congressContingency'
> = {
  requestContingency: {
    check(state, command) {
      requireInactive(state, command.scenario);
    },
    apply(state, command, now) {
      const scenario = getScenario(state, command.scenario);
      const contingency = state.contingencies[scenario.code];
      if (scenario.requiresApproval === false) {
        activateScenario(state, scenario.code, command.actor, now, false);
        return { ok: true, status: 'active' };
      }
      contingency.status = 'requested';
      const approval = openApproval(
        state,
        { kind: 'contingency', scenario: scenario.code, ratification: false },
        vi.contingencyRequestTitle(scenario.name),
        command.actor,
        now,
      );
      contingency.approvalId = approval.id;
      return { ok: true, approvalId: approval.id, status: 'requested' };
    },
  },
  activateContingencyEmergency: {
    reasonRequired: true,
    check(state, command) {
      requireInactive(state, command.scenario);
      const isHead = command.actor.id === state.congress.people.head.id;
      if (!isHead && !command.actor.roles.includes('admin')) {
        throw new DomainError(
          'FORBIDDEN',
          'only the head of the subcommittee (or an admin on their behalf) may activate in an emergency',
        );
      }
    },
    apply(state, command, now) {
      const scenario = getScenario(state, command.scenario);
      activateScenario(state, scenario.code, command.actor, now, true);
      const approval = openApproval(
        state,
        { kind: 'contingency', scenario: scenario.code, ratification: true },
        vi.contingencyRatificationTitle(scenario.name),
        command.actor,
        now,
      );
      state.contingencies[scenario.code].approvalId = approval.id;
      return { ok: true, approvalId: approval.id, status: 'active' };
    },
  },
  deactivateContingency: {
    reasonRequired: true,
    check(state, command) {
      getScenario(state, command.scenario);
      if (state.contingencies[command.scenario].status !== 'active') {
        throw new DomainError('INVALID_TRANSITION', `contingency ${command.scenario} is not active`);
      }
    },
    apply(state, command, now) {
      const contingency = state.contingencies[command.scenario];
      if (contingency.approvalId) withdrawApproval(state, contingency.approvalId, command.actor, now);
      delete contingency.approvalId;
      deactivateScenario(state, command.scenario, command.actor, now, command.reason ?? '');
      return { ok: true, status: 'inactive' };
    },
  },
  congressContingency: {
    system: { appliesWhenClosed: false },
    check(state) {
      requireActive(state, 'apply a contingency');
    },
    apply(state, command, now) {
      const { actor, reason } = command;
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
    },
  },
};
