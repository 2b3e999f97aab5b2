/**
 * Approvals: the draft's comment window, requests to the Standing Committee with a quorum, decisions, and
 * the head's alert when a decision deadline passes.
 */
import { parseDuration } from '../duration';
import { DomainError, invalidInput } from '../errors';
import { MOMENT_LABELS, vi } from '../messages.vi';
import { SYSTEM_ACTOR, type Actor, type ApprovalRequest, type ApprovalSubject, type PlanState } from '../model';
import { audit, transitionTask } from '../transitions';
import { approverIds, headAndStandingSection, isPerson, uniquePeople } from './audiences';
import { activateScenario, deactivateScenario } from './contingencies';
import { refreshSchedule } from './schedule';
import { getApproval, person, queue } from './state';
import { completeTaskNow } from './tasks';
import type { CommandHandlers, DueMoment } from './types';

export function openApproval(
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
  queue(state, {
    kind: 'notify',
    key: `approval-requested:${approval.id}`,
    event: 'approval-requested',
    recipients: approval.approvers.map((id) => person(state, id)).filter(isPerson),
    ...vi.approvalRequested(approval, state.congress.timeZone),
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

export function mayDecide(state: PlanState, approval: ApprovalRequest, actorId: string): boolean {
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
  const requester = person(state, approval.requestedBy);
  queue(state, {
    kind: 'notify',
    key: `approval-decided:${approval.id}`,
    event: 'approval-decided',
    recipients: uniquePeople([...(requester ? [requester] : []), ...(state.congress.people.standingSection ?? [])]),
    ...vi.approvalDecided(approval),
  });
  refreshSchedule(state, now);
}

export function withdrawApproval(state: PlanState, approvalId: string, actor: Actor, now: number): void {
  const approval = state.approvals[approvalId];
  if (!approval || approval.status !== 'pending') return;
  approval.status = 'withdrawn';
  approval.resolvedAt = now;
  audit(state, { actor, action: 'approval.withdrawn', target: approvalId }, now);
}

function submitPlan(state: PlanState, actor: Actor, now: number): ApprovalRequest {
  state.status = 'awaiting_approval';
  delete state.draftUntil;
  const approval = openApproval(state, { kind: 'plan' }, vi.planTitle(state.definition), actor, now);
  audit(
    state,
    { actor, action: 'plan.submitted', target: approval.id, details: { comments: state.comments.length } },
    now,
  );
  return approval;
}

/** The draft goes to the Standing Committee when its comment window ends; a decision deadline alerts the head. */
export function due(state: PlanState): DueMoment[] {
  const moments: DueMoment[] = [];
  if (state.status === 'draft' && state.draftUntil !== undefined) {
    moments.push({
      at: state.draftUntil,
      what: 'comment window ends',
      label: MOMENT_LABELS.commentWindow,
      fire: (s, now) => {
        if (s.status === 'draft' && s.draftUntil !== undefined && now >= s.draftUntil) submitPlan(s, SYSTEM_ACTOR, now);
      },
    });
  }
  for (const approval of Object.values(state.approvals)) {
    if (approval.status !== 'pending' || approval.escalatedAt !== undefined) continue;
    moments.push({
      at: approval.deadline,
      what: `approval ${approval.id} deadline`,
      label: MOMENT_LABELS.approvalDeadline(approval.id),
      fire: (s, now) => {
        if (approval.status !== 'pending' || approval.escalatedAt !== undefined) return;
        approval.escalatedAt = now;
        audit(s, { actor: SYSTEM_ACTOR, action: 'approval.escalated', target: approval.id }, now);
        queue(s, {
          kind: 'notify',
          key: `approval-overdue:${approval.id}`,
          event: 'approval-overdue',
          recipients: headAndStandingSection(s),
          ...vi.approvalOverdue(approval, s.congress.timeZone),
        });
      },
    });
  }
  return moments;
}

/**
 * Records a refused decision by someone outside the approvers. Called by the workflow after `applyCommand`
 * refused it (the refusal itself changes nothing): the attempt is worth an audit entry of its own.
 */
export function recordRefusedDecision(
  state: PlanState,
  command: { actor: Actor; approvalId: string; decision: string },
  now: number,
): void {
  audit(
    state,
    {
      actor: command.actor,
      action: 'approval.decision-refused',
      target: command.approvalId,
      reason: 'not an approver',
      details: { decision: command.decision },
    },
    now,
  );
}

export const approvalCommands: CommandHandlers<'decide' | 'submitPlanForApproval'> = {
  decide: {
    // Someone outside the approvers passes `check` on purpose: `apply` refuses them, and the workflow records
    // the attempt (recordRefusedDecision).
    check(state, command) {
      const approval = getApproval(state, command.approvalId);
      if (command.decision !== 'approve' && command.decision !== 'reject')
        throw invalidInput([{ path: 'decision', message: 'must be approve or reject' }]);
      if (approval.status !== 'pending') {
        throw new DomainError('INVALID_TRANSITION', `approval ${approval.id} is already ${approval.status}`);
      }
      if (approval.decisions.some((d) => d.by === command.actor.id)) {
        throw new DomainError(
          'INVALID_TRANSITION',
          `${command.actor.id} has already decided on approval ${approval.id}`,
        );
      }
    },
    apply(state, command, now) {
      const { actor } = command;
      const approval = getApproval(state, command.approvalId);
      if (!mayDecide(state, approval, actor.id)) {
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
    },
  },
  submitPlanForApproval: {
    check(state) {
      if (state.status !== 'draft')
        throw new DomainError('INVALID_TRANSITION', `the plan is ${state.status}, not a draft`);
    },
    apply(state, command, now) {
      const approval = submitPlan(state, command.actor, now);
      return { ok: true, approvalId: approval.id, status: state.status };
    },
  },
};
