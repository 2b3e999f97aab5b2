/**
 * A running plan with tasks in every reporting category, for the format tests: the provincial propaganda
 * plan (seed 004) driven through the engine's own commands, as the office would have done by 20/09/2026.
 */
import {
  advance,
  applyCommand,
  createPlanState,
  instantAt,
  propagandaPlan,
  provincialCongress,
  type Actor,
  type PlanCommand,
  type PlanState,
} from '../domain';

export const TZ = 'Asia/Ho_Chi_Minh';
export const at = (date: string, hh = 9, mm = 0) => instantAt(date, hh * 60 + mm, TZ);

export const COORDINATOR: Actor = { id: 'ptthang', name: 'Phạm Thị Thu Hằng', roles: ['coordinator'] };
const approver = (id: string): Actor => ({ id, name: id, roles: ['approver'] });

type Step = [string, PlanCommand | ((state: PlanState) => PlanCommand)];

const pending = (state: PlanState) => state.tasks['TT-01'].pendingApprovalId ?? 'none';

/** The plan as of `until` (default 20/09/2026 09:00), after the office's work up to then. */
export function runningPlan(until = at('2026-09-20')): PlanState {
  const plan = propagandaPlan();
  plan.approvalPolicy = { ...plan.approvalPolicy, planRequiresApproval: false };
  const state = createPlanState(provincialCongress(), plan, at('2026-06-01'));
  const steps: Step[] = [
    ['2026-07-10', { type: 'completeTask', actor: COORDINATOR, taskId: 'TT-01' }],
    ['2026-07-11', (s) => ({ type: 'decide', actor: approver('btv-1'), approvalId: pending(s), decision: 'approve' })],
    ['2026-07-11', (s) => ({ type: 'decide', actor: approver('btv-2'), approvalId: pending(s), decision: 'approve' })],
    ['2026-08-10', { type: 'reportProgress', actor: COORDINATOR, taskId: 'TT-02', progress: 60 }],
    ['2026-08-20', { type: 'completeTask', actor: COORDINATOR, taskId: 'TT-02' }],
    ['2026-09-01', { type: 'reportProgress', actor: COORDINATOR, taskId: 'TT-04', progress: 50 }],
    ['2026-09-02', { type: 'reportProgress', actor: COORDINATOR, taskId: 'TT-03', progress: 20 }],
  ];
  for (const [date, command] of steps) {
    const now = at(date);
    if (now > until) break;
    advance(state, now);
    applyCommand(state, typeof command === 'function' ? command(state) : command, now);
  }
  advance(state, until);
  return state;
}
