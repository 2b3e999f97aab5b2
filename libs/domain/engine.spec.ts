import { DAY_MS, HOUR_MS } from './duration';
import { applyCommand, advance, createPlanState, nextWakeAt, orderedTasks } from './engine';
import { SYSTEM_ACTOR, type Actor } from './model';
import { instantAt } from './calendar';
import { generatedPlan, propagandaPlan, provincialCongress } from './templates';
import { progressReport } from './views';

const coordinator: Actor = { id: 'vptu-tt1', name: 'Lê Minh Thường trực', roles: ['coordinator'] };
const approver = (n: number): Actor => ({ id: `btv-${n}`, name: `Ủy viên ${n}`, roles: ['approver'] });

describe('plan engine on a virtual clock', () => {
  it('runs a generated plan from T-120d to the end without error', () => {
    const congress = provincialCongress();
    const start = instantAt('2026-06-16', 8 * 60, congress.timeZone!);
    const state = createPlanState(congress, generatedPlan(100), start);
    let now = start;
    let wakes = 0;
    for (;;) {
      const next = nextWakeAt(state, now);
      if (next === undefined) break;
      now = next;
      wakes++;
      advance(state, now);
      if (state.status === 'awaiting_approval') {
        const id = Object.values(state.approvals).find((a) => a.status === 'pending')!.id;
        applyCommand(state, { type: 'decide', actor: approver(1), approvalId: id, decision: 'approve' }, now);
        applyCommand(state, { type: 'decide', actor: approver(2), approvalId: id, decision: 'approve' }, now);
      }
    }
    expect(state.status).toBe('closed');
    expect(wakes).toBeGreaterThan(10);
    expect(state.outbox.some((e) => e.kind === 'archive')).toBe(true);
    const report = progressReport(state, now);
    expect(report.total).toBe(100);
  });

  it('tells the standing section, not "system", the decision on a plan the comment window sent on by itself', () => {
    const congress = provincialCongress();
    const start = instantAt('2026-06-16', 8 * 60, congress.timeZone!);
    const state = createPlanState(congress, propagandaPlan(), start);
    advance(state, start + 4 * DAY_MS);
    const approval = Object.values(state.approvals).find((a) => a.status === 'pending')!;
    expect(approval.requestedBy).toBe(SYSTEM_ACTOR.id);
    const at = start + 4 * DAY_MS + HOUR_MS;
    applyCommand(state, { type: 'decide', actor: approver(1), approvalId: approval.id, decision: 'approve' }, at);
    applyCommand(state, { type: 'decide', actor: approver(2), approvalId: approval.id, decision: 'approve' }, at);
    const decided = state.outbox.find((e) => e.kind === 'notify' && e.event === 'approval-decided');
    expect(decided?.kind === 'notify' && decided.recipients.map((p) => p.id)).toEqual(['vptu-tt1', 'vptu-tt2']);
  });

  it('fires each ladder step once at its time and stops when the task is done', () => {
    const congress = provincialCongress();
    const plan = propagandaPlan();
    plan.approvalPolicy.planRequiresApproval = false;
    const start = instantAt('2026-07-01', 8 * 60, congress.timeZone!);
    const state = createPlanState(congress, plan, start);
    const task = state.tasks['TT-01'];
    const deadline = task.deadline!;
    advance(state, deadline + HOUR_MS);
    expect(task.escalation?.firedSteps).toEqual([0]);
    advance(state, deadline + 2 * DAY_MS);
    expect(task.escalation?.firedSteps).toEqual([0, 1]);
    advance(state, deadline + 2 * DAY_MS + 1);
    expect(state.outbox.filter((e) => e.kind === 'notify' && e.taskId === 'TT-01' && e.level).length).toBe(2);
    applyCommand(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-01' }, deadline + 3 * DAY_MS);
    expect(state.tasks['TT-01'].status).toBe('awaiting_approval');
    expect(orderedTasks(state).length).toBe(7);
    expect(SYSTEM_ACTOR.id).toBe('system');
  });
});
