import { advance, applyCommand, createPlanState, type Actor, type PlanCommand } from '../../libs/domain';
import { congressEndOf, endedCongress } from './fixtures';
import { SETUP_ACTOR } from './life';
import {
  DECISION_WINDOW_S,
  LADDER_S,
  eventsByCause,
  REMINDERS_S,
  typicalPlanDefinition,
  typicalScenario,
  type TypicalPlan,
  type TypicalShape,
} from './typical-life';

const SHAPE: TypicalShape = { plans: 5, deadlines: 4, tasksPerDeadline: 5, approvals: 2, checkIns: 4 };
const NOW = Date.parse('2026-11-20T03:00:00Z');
const FIRST_DEADLINE = NOW + 35_000;

describe('the typical life', () => {
  const scenario = typicalScenario(SHAPE, FIRST_DEADLINE);

  it('has 20 tasks per plan on 4 dates, 1 in 5 overdue, 2 approvals and one or two reports per task', () => {
    expect(scenario.plans).toHaveLength(5);
    for (const plan of scenario.plans) {
      expect(plan.tasks).toHaveLength(20);
      expect(new Set(plan.tasks.map((t) => t.due)).size).toBe(4);
      expect(plan.tasks.filter((t) => t.overdue)).toHaveLength(4);
      expect(plan.tasks.filter((t) => t.requiresApproval)).toHaveLength(2);
      expect(plan.tasks.filter((t) => t.requiresApproval && t.overdue)).toHaveLength(0);
      const reports = plan.steps.filter((s) => s.kind === 'progress').length;
      expect(reports).toBe(plan.tasks.reduce((sum, t) => sum + t.reports, 0));
      expect(reports / plan.tasks.length).toBeGreaterThanOrEqual(1);
      expect(reports / plan.tasks.length).toBeLessThanOrEqual(2);
    }
  });

  it('completes on-time tasks between their two reminders and overdue ones after the deadline', () => {
    for (const plan of scenario.plans) {
      for (const task of plan.tasks) {
        const done = plan.steps.find((s) => s.kind === 'complete' && s.taskId === task.id)!;
        const approvals = plan.steps.filter((s) => s.kind === 'approve' && s.taskId === task.id);
        if (task.overdue) {
          expect(done.at).toBeGreaterThan(task.due + LADDER_S[0] * 1000);
          expect(done.at).toBeLessThan(task.due + LADDER_S[1] * 1000);
        } else {
          expect(done.at).toBeGreaterThan(task.due - REMINDERS_S[0] * 1000);
          for (const s of [done, ...approvals]) expect(s.at).toBeLessThan(task.due - REMINDERS_S[1] * 1000);
        }
        expect(approvals).toHaveLength(task.requiresApproval ? 2 : 0);
        for (const a of approvals) expect(a.at).toBeLessThan(done.at + DECISION_WINDOW_S * 1000);
      }
    }
  });

  it('never puts a command within a second of one of the plan’s own timer moments', () => {
    for (const plan of scenario.plans) {
      const commands = plan.steps.filter((s) => s.kind !== 'check-in-settled');
      for (const s of commands) {
        const nearest = Math.min(...plan.moments.map((m) => Math.abs(m - s.at)));
        expect(nearest).toBeGreaterThanOrEqual(1000);
      }
    }
  });

  it('plays out in the engine as planned: the notices it is to send, and every task done before closing', () => {
    const congress = endedCongress('typical-spec', NOW);
    const closeAfterS = Math.ceil((scenario.closeNoEarlierThan - congressEndOf(congress)) / 1000);
    const approvers: Actor[] = congress.people.standingCommittee.map((p) => ({
      id: p.id,
      name: p.name,
      roles: ['approver'],
    }));
    const play = (plan: TypicalPlan) => {
      const definition = typicalPlanDefinition(plan, closeAfterS);
      const state = createPlanState(structuredClone(congress), definition, NOW);
      const approvalOf = new Map<string, string>();
      const run = (command: PlanCommand, at: number) => applyCommand(state, command, at);
      const timeline = [
        ...plan.moments.map((at) => ({ at, step: undefined })),
        ...plan.steps.map((step) => ({ at: step.at, step })),
      ].sort((a, b) => a.at - b.at);
      for (const { at, step } of timeline) {
        advance(state, at);
        if (!step) continue;
        const actor = SETUP_ACTOR;
        if (step.kind === 'progress') {
          run({ type: 'reportProgress', actor, taskId: step.taskId, progress: step.progress }, at);
        } else if (step.kind === 'complete') {
          const { approvalId } = run({ type: 'completeTask', actor, taskId: step.taskId }, at);
          if (approvalId) approvalOf.set(step.taskId, approvalId);
        } else if (step.kind === 'approve') {
          const approvalId = approvalOf.get(step.taskId)!;
          run({ type: 'decide', actor: approvers[step.approver], approvalId, decision: 'approve' }, at);
        } else if (step.kind === 'check-in') {
          run({ type: 'checkInNow', actor, reason: 'Giao ban' }, at);
        }
      }
      advance(state, congressEndOf(congress) + closeAfterS * 1000);
      const sent: Record<string, number> = {};
      for (const e of state.outbox) if (e.kind === 'notify') sent[e.event] = (sent[e.event] ?? 0) + 1;
      return { state, sent };
    };
    for (const plan of scenario.plans.slice(0, 2)) {
      const { state, sent } = play(plan);
      const expected = Object.fromEntries(Object.entries(scenario.expectedNotices).filter(([, n]) => n > 0));
      expect(sent).toEqual(expected);
      expect(Object.values(state.tasks).every((t) => t.status === 'done')).toBe(true);
      expect(state.status).toBe('closed');
    }
  });

  it('refuses shapes it cannot lay out', () => {
    expect(() => typicalScenario({ ...SHAPE, tasksPerDeadline: 1 }, FIRST_DEADLINE)).toThrow(/tasksPerDeadline/);
    expect(() => typicalScenario({ ...SHAPE, approvals: 5 }, FIRST_DEADLINE)).toThrow(/approval/);
  });

  it('charges each workflow task to what woke the plan', () => {
    // Started (1 task), 2 updates, 1 progress signal acknowledged, 1 timer, 1 activity.
    const types = {
      WORKFLOW_EXECUTION_STARTED: 1,
      WORKFLOW_TASK_SCHEDULED: 6,
      WORKFLOW_TASK_STARTED: 6,
      WORKFLOW_TASK_COMPLETED: 6,
      WORKFLOW_EXECUTION_UPDATE_ACCEPTED: 2,
      WORKFLOW_EXECUTION_UPDATE_COMPLETED: 2,
      SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: 1,
      EXTERNAL_WORKFLOW_EXECUTION_SIGNALED: 1,
      TIMER_STARTED: 1,
      TIMER_FIRED: 1,
      ACTIVITY_TASK_SCHEDULED: 1,
      ACTIVITY_TASK_STARTED: 1,
      ACTIVITY_TASK_COMPLETED: 1,
      UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: 1,
      WORKFLOW_EXECUTION_COMPLETED: 1,
    };
    expect(eventsByCause(types)).toEqual({
      updates: 10,
      'progress signals to the congress': 5,
      timers: 5,
      activities: 6,
      'search attributes': 1,
      'start, end and markers': 5,
    });
  });
});
