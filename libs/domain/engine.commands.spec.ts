/**
 * The plan engine driven command by command on a virtual clock: times are plain numbers built with
 * `instantAt`, and `advance` is called at exactly the moments under test.
 *
 * The congress is the provincial template: Wednesday 14 to Friday 16 October 2026, Asia/Ho_Chi_Minh.
 */
import { domainErrorOf } from '../../test/domain-error';
import { instantAt } from './calendar';
import { DAY_MS, HOUR_MS } from './duration';
import {
  PROCESSED_REQUESTS_KEPT,
  advance,
  applyCommand,
  checkCommand,
  createPlanState,
  nextWakeAt,
  orderedTasks,
  recordRefusedDecision,
  type PlanCommand,
} from './engine';
import { type DomainError, type DomainErrorCode } from './errors';
import { SYSTEM_ACTOR, type Actor, type Effect, type PlanState, type UnitPlanDefinition } from './model';
import { congressEndInstant } from './schedule';
import { logisticsPlan, propagandaPlan, provincialCongress, securityPlan } from './templates';
import { isAtRisk, overdueTasks, pendingApprovals, planSummary, progressReport } from './views';

// ---------------------------------------------------------------------------------------------------------
// Clock, people and helpers

const TZ = 'Asia/Ho_Chi_Minh';
const local = (date: string, hh: number, mm = 0): number => instantAt(date, hh * 60 + mm, TZ);
const START = local('2026-07-01', 8);
const CONGRESS_END = local('2026-10-17', 0);

const head: Actor = { id: 'tvchung', name: 'Trần Văn Chung', roles: ['head'] };
const coordinator: Actor = { id: 'vptu-tt1', name: 'Lê Minh Thường trực', roles: ['coordinator'] };
const member: Actor = { id: 'vptu-tt2', name: 'Đỗ Thu Tổng hợp', roles: ['coordinator'] };
const admin: Actor = { id: 'ops', name: 'Quản trị', roles: ['admin'] };
const outsider: Actor = { id: 'nguoi-ngoai', name: 'Người ngoài', roles: ['viewer'] };
const approver = (n: 1 | 2 | 3): Actor => ({ id: `btv-${n}`, name: `Ủy viên ${n}`, roles: ['approver'] });

type Notify = Extract<Effect, { kind: 'notify' }>;

/** A plan that runs at once (no draft, no plan approval), on deep copies of the templates. */
function runningPlan(plan: UnitPlanDefinition, start = START): PlanState {
  const definition = structuredClone(plan);
  definition.approvalPolicy.planRequiresApproval = false;
  return createPlanState(structuredClone(provincialCongress()), definition, start);
}

function run(state: PlanState, command: PlanCommand, now: number) {
  return applyCommand(state, command, now);
}

function expectError(fn: () => unknown, code: DomainErrorCode): DomainError {
  const err = domainErrorOf(fn);
  expect(err.code).toBe(code);
  return err;
}

function expectInvalidAt(fn: () => unknown, path: string): DomainError {
  const err = expectError(fn, 'INVALID_INPUT');
  expect(err.issues.map((i) => i.path)).toEqual([path]);
  return err;
}

function notifications(state: PlanState, filter: Partial<Pick<Notify, 'event' | 'taskId'>> = {}): Notify[] {
  return state.outbox.filter(
    (e): e is Notify =>
      e.kind === 'notify' &&
      (filter.event === undefined || e.event === filter.event) &&
      (filter.taskId === undefined || e.taskId === filter.taskId),
  );
}

const idsOf = (people: Array<{ id: string }>) => people.map((p) => p.id);
const auditActions = (state: PlanState, target?: string) =>
  state.audit.filter((e) => target === undefined || e.target === target).map((e) => e.action);
const lastAudit = (state: PlanState) => state.audit[state.audit.length - 1];

function approveBy(state: PlanState, approvalId: string, now: number, ...who: Array<1 | 2 | 3>): void {
  for (const n of who) run(state, { type: 'decide', actor: approver(n), approvalId, decision: 'approve' }, now);
}

// ---------------------------------------------------------------------------------------------------------

describe('creating a plan', () => {
  it('starts a plan that needs approval as a draft with a comment window', () => {
    const state = createPlanState(structuredClone(provincialCongress()), structuredClone(propagandaPlan()), START);
    expect(state.status).toBe('draft');
    expect(state.draftUntil).toBe(START + 3 * DAY_MS);
    expect(state.phase).toBe('before');
    expect(congressEndInstant(state.congress)).toBe(CONGRESS_END);
    expect(state.closesAt).toBe(CONGRESS_END + 30 * DAY_MS);
    expect(state.nextCheckInAt).toBe(local('2026-08-01', 8));
    expect(state.contingencies).toEqual({ epidemic: { code: 'epidemic', status: 'inactive' } });
  });

  it('resolves deadlines and blocks tasks whose prerequisites are not done', () => {
    const state = runningPlan(propagandaPlan());
    expect(state.status).toBe('active');
    expect(orderedTasks(state).map((t) => [t.id, t.status])).toEqual([
      ['TT-01', 'open'],
      ['TT-02', 'blocked'],
      ['TT-03', 'open'],
      ['TT-04', 'open'],
      ['TT-05', 'blocked'],
      ['TT-06', 'open'],
      ['TT-07', 'open'],
    ]);
    expect(state.tasks['TT-01'].deadline).toBe(local('2026-07-16', 17));
    expect(state.tasks['TT-03'].deadline).toBe(local('2026-09-30', 17));
    expect(state.tasks['TT-06'].deadline).toBe(local('2026-10-14', 12));
    expect(state.tasks['TT-07'].deadline).toBe(local('2026-10-30', 17));
  });

  it('refuses an invalid definition with INVALID_INPUT naming the path', () => {
    const plan = structuredClone(propagandaPlan());
    plan.tasks[0].leadAgency = 'NOPE';
    const err = expectError(() => createPlanState(provincialCongress(), plan, START), 'INVALID_INPUT');
    expect(err.issues.map((i) => i.path)).toEqual(['plan.tasks[0].leadAgency']);
  });
});

describe('the draft plan and its approval', () => {
  it('collects comments, goes to the Standing Committee when the window ends, and runs once approved', () => {
    const state = createPlanState(structuredClone(provincialCongress()), structuredClone(propagandaPlan()), START);
    run(state, { type: 'submitComment', actor: member, text: 'Bổ sung kinh phí trang trí' }, START + HOUR_MS);
    expect(state.comments).toEqual([
      { by: 'vptu-tt2', byName: 'Đỗ Thu Tổng hợp', at: START + HOUR_MS, text: 'Bổ sung kinh phí trang trí' },
    ]);

    expect(nextWakeAt(state, START + HOUR_MS)).toBe(START + 3 * DAY_MS);
    advance(state, START + 3 * DAY_MS);
    expect(state.status).toBe('awaiting_approval');
    expect(state.draftUntil).toBeUndefined();
    expect(state.approvals.A1.subject).toEqual({ kind: 'plan' });
    expect(state.approvals.A1.title).toBe('Kế hoạch số 03-KH/TB-BPTT của Bộ phận tuyên truyền');
    expect(state.audit.find((e) => e.action === 'plan.submitted')?.details).toEqual({ comments: 1 });

    approveBy(state, 'A1', START + 4 * DAY_MS, 1, 3);
    expect(state.status).toBe('active');
  });

  it('sends no reminders while the plan is a draft', () => {
    const state = createPlanState(structuredClone(provincialCongress()), structuredClone(propagandaPlan()), START);
    run(state, { type: 'submitPlanForApproval', actor: coordinator }, START);
    advance(state, local('2026-07-15', 17));
    expect(notifications(state, { event: 'reminder' })).toEqual([]);
  });

  it('returns a rejected plan to draft', () => {
    const state = createPlanState(structuredClone(provincialCongress()), structuredClone(propagandaPlan()), START);
    const { approvalId } = run(state, { type: 'submitPlanForApproval', actor: coordinator }, START);
    for (const n of [1, 2] as const) {
      run(state, { type: 'decide', actor: approver(n), approvalId: approvalId!, decision: 'reject' }, START + 1);
    }
    expect(state.status).toBe('draft');
    expect(auditActions(state)).toContain('plan.returned-to-draft');
  });
});

describe('dependencies', () => {
  it('opens a blocked task when its prerequisite completes', () => {
    const state = runningPlan(logisticsPlan());
    expect(state.tasks['HC-05'].status).toBe('blocked');
    const now = START + DAY_MS;

    const result = run(state, { type: 'completeTask', actor: coordinator, taskId: 'HC-03' }, now);

    expect(result).toEqual({ ok: true, taskId: 'HC-03', status: 'done' });
    expect(state.tasks['HC-03']).toMatchObject({ status: 'done', completedAt: now, progress: 100 });
    expect(state.tasks['HC-05'].status).toBe('open');
    expect(state.audit).toContainEqual(
      expect.objectContaining({
        at: now,
        actor: 'system',
        action: 'task.open',
        target: 'HC-05',
        reason: 'prerequisites completed',
        details: { from: 'blocked' },
      }),
    );
  });

  it('refuses to complete a blocked task', () => {
    const state = runningPlan(logisticsPlan());
    const err = expectError(
      () => run(state, { type: 'completeTask', actor: coordinator, taskId: 'HC-05' }, START),
      'INVALID_TRANSITION',
    );
    expect(err.message).toBe('task HC-05 is blocked and cannot become done');
  });

  it('resolves an after: deadline once its task completes (through its approval)', () => {
    const state = runningPlan(logisticsPlan());
    expect(state.tasks['HC-02'].status).toBe('blocked');
    expect(state.tasks['HC-02'].deadline).toBeUndefined();

    const { approvalId } = run(state, { type: 'completeTask', actor: coordinator, taskId: 'HC-01' }, START);
    const approvedAt = START + 2 * DAY_MS;
    approveBy(state, approvalId!, approvedAt, 1, 2);

    expect(state.tasks['HC-01'].completedAt).toBe(approvedAt);
    expect(state.tasks['HC-02'].status).toBe('open');
    expect(state.tasks['HC-02'].deadline).toBe(approvedAt + 30 * DAY_MS);
  });

  it('opens a task waiting on another unit once the congress relays that task’s completion', () => {
    const state = runningPlan(securityPlan());
    expect(state.tasks['AN-02'].status).toBe('blocked');
    const doneAt = START + 5 * DAY_MS;

    run(state, { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref: 'BPHC:HC-02', at: doneAt }, doneAt);
    expect(state.externalCompletions).toEqual({ 'BPHC:HC-02': doneAt });
    expect(state.tasks['AN-02'].status).toBe('open');

    const auditLength = state.audit.length;
    run(state, { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref: 'BPHC:HC-02', at: doneAt + 1 }, doneAt + 1);
    expect(state.audit).toHaveLength(auditLength);
    expect(state.externalCompletions['BPHC:HC-02']).toBe(doneAt);
  });
});

describe('approving a task’s result (majority of three)', () => {
  function awaiting() {
    const state = runningPlan(propagandaPlan());
    const result = run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-01' }, START);
    return { state, approvalId: result.approvalId!, result };
  }

  it('opens an approval instead of completing the task', () => {
    const { state, result } = awaiting();
    expect(result).toEqual({ ok: true, taskId: 'TT-01', status: 'awaiting_approval', approvalId: 'A1' });
    expect(state.tasks['TT-01'].status).toBe('awaiting_approval');
    expect(state.tasks['TT-01'].pendingApprovalId).toBe('A1');
    expect(state.approvals.A1).toMatchObject({
      subject: { kind: 'task', taskId: 'TT-01' },
      requestedBy: 'vptu-tt1',
      requestedAt: START,
      approvers: ['btv-1', 'btv-2', 'btv-3'],
      quorum: 'majority',
      deadline: START + 5 * DAY_MS,
      status: 'pending',
      decisions: [],
    });
    const [request] = notifications(state, { event: 'approval-requested' });
    expect(request.key).toBe('approval-requested:A1');
    expect(idsOf(request.recipients)).toEqual(['btv-1', 'btv-2', 'btv-3']);
  });

  it('approves on the second approval and completes the task', () => {
    const { state, approvalId } = awaiting();
    approveBy(state, approvalId, START + HOUR_MS, 1);
    expect(state.approvals.A1.status).toBe('pending');
    expect(state.tasks['TT-01'].status).toBe('awaiting_approval');

    const result = run(
      state,
      { type: 'decide', actor: approver(2), approvalId, decision: 'approve' },
      START + 2 * HOUR_MS,
    );

    expect(result).toEqual({ ok: true, approvalId: 'A1', status: 'approved' });
    expect(state.approvals.A1.resolvedAt).toBe(START + 2 * HOUR_MS);
    expect(state.tasks['TT-01']).toMatchObject({ status: 'done', completedAt: START + 2 * HOUR_MS, progress: 100 });
    expect(state.tasks['TT-01'].pendingApprovalId).toBeUndefined();
    expect(state.tasks['TT-02'].status).toBe('open');
    const [decided] = notifications(state, { event: 'approval-decided' });
    expect(decided.key).toBe('approval-decided:A1');
    expect(idsOf(decided.recipients)).toEqual(['vptu-tt1', 'vptu-tt2']);
  });

  it('rejects on the second rejection and reopens the task with the comments as reason', () => {
    const { state, approvalId } = awaiting();
    state.tasks['TT-01'].progress = 95;
    const at = START + HOUR_MS;
    run(state, { type: 'decide', actor: approver(1), approvalId, decision: 'reject', comment: 'Thiếu số liệu' }, at);
    run(state, { type: 'decide', actor: approver(3), approvalId, decision: 'reject', comment: 'Cần bổ sung' }, at);

    expect(state.approvals.A1.status).toBe('rejected');
    const task = state.tasks['TT-01'];
    expect(task.status).toBe('reopened');
    expect(task.progress).toBe(90);
    expect(task.pendingApprovalId).toBeUndefined();
    expect(state.tasks['TT-02'].status).toBe('blocked');
    expect(state.audit).toContainEqual(
      expect.objectContaining({
        action: 'task.reopened',
        target: 'TT-01',
        reason: 'Ủy viên 1: Thiếu số liệu; Ủy viên 3: Cần bổ sung',
        details: { from: 'awaiting_approval' },
      }),
    );

    const again = run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-01' }, at + DAY_MS);
    expect(again.approvalId).toBe('A2');
  });

  it('stays pending after one approval and one rejection, and the third decision settles it', () => {
    const { state, approvalId } = awaiting();
    run(state, { type: 'decide', actor: approver(1), approvalId, decision: 'approve' }, START);
    run(state, { type: 'decide', actor: approver(2), approvalId, decision: 'reject' }, START);
    expect(state.approvals.A1.status).toBe('pending');
    run(state, { type: 'decide', actor: approver(3), approvalId, decision: 'reject' }, START);
    expect(state.approvals.A1.status).toBe('rejected');
  });

  it('refuses a second decision by the same approver', () => {
    const { state, approvalId } = awaiting();
    approveBy(state, approvalId, START, 1);
    const err = expectError(() => approveBy(state, approvalId, START + 1, 1), 'INVALID_TRANSITION');
    expect(err.message).toBe('btv-1 has already decided on approval A1');
    expect(state.approvals.A1.decisions).toHaveLength(1);
  });

  it('refuses a decision on an approval that is already settled', () => {
    const { state, approvalId } = awaiting();
    approveBy(state, approvalId, START, 1, 2);
    const err = expectError(() => approveBy(state, approvalId, START + 1, 3), 'INVALID_TRANSITION');
    expect(err.message).toBe('approval A1 is already approved');
  });

  it('refuses a non-approver with FORBIDDEN and records the attempt', () => {
    const { state, approvalId } = awaiting();
    const command: PlanCommand = { type: 'decide', actor: outsider, approvalId, decision: 'approve' };
    expect(() => checkCommand(state, command, START)).not.toThrow();

    const before = structuredClone(state);
    const err = expectError(() => run(state, command, START + HOUR_MS), 'FORBIDDEN');
    // The refusal changes nothing; the workflow then records the attempt on its own.
    expect(state).toEqual(before);
    recordRefusedDecision(state, command, START + HOUR_MS);

    expect(err.message).toBe('nguoi-ngoai is not among the approvers of A1; the attempt was recorded');
    expect(lastAudit(state)).toMatchObject({
      at: START + HOUR_MS,
      actor: 'nguoi-ngoai',
      action: 'approval.decision-refused',
      target: 'A1',
      reason: 'not an approver',
      details: { decision: 'approve' },
    });
    expect(state.approvals.A1.decisions).toEqual([]);
    expect(state.approvals.A1.status).toBe('pending');
  });

  it('refuses the head before the approval is overdue', () => {
    const { state, approvalId } = awaiting();
    expectError(() => run(state, { type: 'decide', actor: head, approvalId, decision: 'approve' }, START), 'FORBIDDEN');
    expect(state.approvals.A1.decisions).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown approval and INVALID_INPUT for a bad decision', () => {
    const { state, approvalId } = awaiting();
    expectError(
      () => run(state, { type: 'decide', actor: approver(1), approvalId: 'A9', decision: 'approve' }, START),
      'NOT_FOUND',
    );
    expectInvalidAt(
      () => run(state, { type: 'decide', actor: approver(1), approvalId, decision: 'maybe' as 'approve' }, START),
      'decision',
    );
  });
});

describe('an approval whose deadline passes', () => {
  function overdue() {
    const state = runningPlan(propagandaPlan());
    const { approvalId } = run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-01' }, START);
    const deadline = state.approvals[approvalId!].deadline;
    return { state, approvalId: approvalId!, deadline };
  }

  it('wakes the plan at the deadline', () => {
    const { state, deadline } = overdue();
    expect(nextWakeAt(state, deadline - 1)).toBe(deadline);
  });

  it('is escalated to the head exactly once, at the deadline', () => {
    const { state, approvalId, deadline } = overdue();
    advance(state, deadline - 1);
    expect(state.approvals[approvalId].escalatedAt).toBeUndefined();
    expect(notifications(state, { event: 'approval-overdue' })).toEqual([]);

    advance(state, deadline);
    expect(state.approvals[approvalId].escalatedAt).toBe(deadline);
    const alerts = notifications(state, { event: 'approval-overdue' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0].key).toBe('approval-overdue:A1');
    expect(idsOf(alerts[0].recipients)).toEqual(['tvchung', 'vptu-tt1', 'vptu-tt2']);
    expect(state.audit).toContainEqual(
      expect.objectContaining({ at: deadline, action: 'approval.escalated', target: 'A1' }),
    );

    advance(state, deadline + DAY_MS);
    expect(notifications(state, { event: 'approval-overdue' })).toHaveLength(1);
    expect(state.approvals[approvalId].escalatedAt).toBe(deadline);
  });

  it('then lets the head approve alone', () => {
    const { state, approvalId, deadline } = overdue();
    advance(state, deadline);
    const result = run(state, { type: 'decide', actor: head, approvalId, decision: 'approve' }, deadline + HOUR_MS);
    expect(result.status).toBe('approved');
    expect(state.tasks['TT-01'].status).toBe('done');
  });

  it('then lets the head reject alone, over an earlier approval', () => {
    const { state, approvalId, deadline } = overdue();
    approveBy(state, approvalId, START + HOUR_MS, 1);
    advance(state, deadline);
    run(state, { type: 'decide', actor: head, approvalId, decision: 'reject', comment: 'Làm lại' }, deadline + HOUR_MS);
    expect(state.approvals[approvalId].status).toBe('rejected');
    expect(state.tasks['TT-01'].status).toBe('reopened');
  });
});

describe('reminders', () => {
  const WEEK = 7 * DAY_MS;

  it('fire once per deadline at deadline-7d and deadline-1d', () => {
    const state = runningPlan(propagandaPlan());
    const deadline = state.tasks['TT-01'].deadline!;
    const reminders = () => notifications(state, { event: 'reminder', taskId: 'TT-01' });

    expect(nextWakeAt(state, START)).toBe(deadline - WEEK);
    advance(state, deadline - WEEK - 1);
    expect(reminders()).toEqual([]);

    advance(state, deadline - WEEK);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0].key).toBe(`reminder:TT-01:${deadline}:${WEEK}`);
    expect(idsOf(reminders()[0].recipients)).toEqual(['ptthang']);
    expect(state.tasks['TT-01'].remindersSent).toEqual([`${deadline}:${WEEK}`]);

    advance(state, deadline - WEEK + HOUR_MS);
    expect(reminders()).toHaveLength(1);
    expect(nextWakeAt(state, deadline - WEEK + HOUR_MS)).toBe(deadline - DAY_MS);

    advance(state, deadline - DAY_MS);
    expect(reminders().map((r) => r.key)).toEqual([
      `reminder:TT-01:${deadline}:${WEEK}`,
      `reminder:TT-01:${deadline}:${DAY_MS}`,
    ]);

    advance(state, deadline + HOUR_MS);
    expect(reminders()).toHaveLength(2);
  });

  it('send only the reminders still ahead when the plan wakes late', () => {
    const state = runningPlan(propagandaPlan());
    const deadline = state.tasks['TT-01'].deadline!;
    advance(state, deadline - 12 * HOUR_MS);
    expect(notifications(state, { event: 'reminder', taskId: 'TT-01' })).toHaveLength(2);
  });

  it('are not sent for a blocked task', () => {
    const state = runningPlan(propagandaPlan());
    const deadline = state.tasks['TT-02'].deadline!;
    advance(state, deadline - DAY_MS);
    expect(state.tasks['TT-02'].status).toBe('blocked');
    expect(notifications(state, { event: 'reminder', taskId: 'TT-02' })).toEqual([]);
  });
});

describe('the escalation ladder', () => {
  /** TT-04 (lead agency BAO, no head) with a responsible person, due T-30d = 14 September 17:00. */
  function overduePlan() {
    const plan = structuredClone(propagandaPlan());
    plan.tasks.find((t) => t.id === 'TT-04')!.responsible = 'vptu-tt2';
    const state = runningPlan(plan);
    return { state, deadline: state.tasks['TT-04'].deadline! };
  }
  const escalations = (state: PlanState) =>
    state.outbox.filter((e): e is Notify => e.kind === 'notify' && e.taskId === 'TT-04' && e.level !== undefined);

  it('fires each step once, at deadline +0, +2d, +4d and +7d, climbing to the head', () => {
    const { state, deadline } = overduePlan();
    expect(state.tasks['TT-04'].deadline).toBe(local('2026-09-14', 17));

    advance(state, deadline - 1);
    expect(state.tasks['TT-04'].escalation).toBeUndefined();

    const steps: Array<[number, number[]]> = [
      [0, [0]],
      [2 * DAY_MS - 1, [0]],
      [2 * DAY_MS, [0, 1]],
      [4 * DAY_MS, [0, 1, 2]],
      [7 * DAY_MS - 1, [0, 1, 2]],
      [7 * DAY_MS, [0, 1, 2, 3]],
      [20 * DAY_MS, [0, 1, 2, 3]],
    ];
    for (const [after, fired] of steps) {
      advance(state, deadline + after);
      expect(state.tasks['TT-04'].escalation).toEqual({ episodeDeadline: deadline, firedSteps: fired });
    }

    expect(escalations(state).map((e) => [e.key, e.event, e.level, idsOf(e.recipients)])).toEqual([
      [`escalation:TT-04:${deadline}:1`, 'overdue', 1, ['vptu-tt2']],
      [`escalation:TT-04:${deadline}:2`, 'escalation', 2, ['ptthang']],
      [`escalation:TT-04:${deadline}:3`, 'escalation', 3, ['vptu-tt1', 'vptu-tt2']],
      [`escalation:TT-04:${deadline}:4`, 'escalation', 4, ['tvchung']],
    ]);
    expect(
      state.audit.filter((e) => e.action === 'task.escalated' && e.target === 'TT-04').map((e) => e.details),
    ).toEqual([{ level: 1 }, { level: 2 }, { level: 3 }, { level: 4 }]);
  });

  it('wakes the plan at the next step', () => {
    const { state, deadline } = overduePlan();
    advance(state, deadline);
    expect(nextWakeAt(state, deadline)).toBe(deadline + 2 * DAY_MS);
  });

  it('fires every step already due when the plan wakes late', () => {
    const { state, deadline } = overduePlan();
    advance(state, deadline + 5 * DAY_MS);
    expect(state.tasks['TT-04'].escalation?.firedSteps).toEqual([0, 1, 2]);
    expect(escalations(state).map((e) => e.level)).toEqual([1, 2, 3]);
  });

  it('stops once the task is completed', () => {
    const { state, deadline } = overduePlan();
    advance(state, deadline + 2 * DAY_MS);
    run(state, { type: 'completeTask', actor: member, taskId: 'TT-04' }, deadline + 3 * DAY_MS);
    expect(state.tasks['TT-04'].escalation).toBeUndefined();

    advance(state, deadline + 10 * DAY_MS);
    expect(escalations(state).map((e) => e.level)).toEqual([1, 2]);
  });

  it('does not escalate a suspended or awaiting-approval task', () => {
    const state = runningPlan(propagandaPlan());
    run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-01' }, START);
    advance(state, state.tasks['TT-01'].deadline! + 3 * DAY_MS);
    expect(state.tasks['TT-01'].escalation).toBeUndefined();
    expect(notifications(state, { taskId: 'TT-01' }).filter((n) => n.level)).toEqual([]);
  });

  describe('acknowledgeEscalation', () => {
    it('holds the next steps until holdUntil, then resumes the climb', () => {
      const { state, deadline } = overduePlan();
      advance(state, deadline);
      const ackAt = deadline + HOUR_MS;
      const holdUntil = ackAt + 5 * DAY_MS;

      const result = run(
        state,
        { type: 'acknowledgeEscalation', actor: coordinator, taskId: 'TT-04', holdFor: '5d', reason: 'Đang xử lý' },
        ackAt,
      );

      expect(result).toEqual({ ok: true, taskId: 'TT-04', status: 'open' });
      expect(state.tasks['TT-04'].escalation).toEqual({
        episodeDeadline: deadline,
        firedSteps: [0],
        holdUntil,
        acknowledgedBy: 'vptu-tt1',
      });
      expect(state.tasks['TT-04'].responsible).toBe('vptu-tt1');
      expect(lastAudit(state)).toMatchObject({
        actor: 'vptu-tt1',
        action: 'escalation.acknowledged',
        target: 'TT-04',
        details: { holdUntil },
      });
      expect(nextWakeAt(state, ackAt)).toBe(holdUntil);

      advance(state, deadline + 2 * DAY_MS);
      advance(state, deadline + 4 * DAY_MS);
      advance(state, holdUntil - 1);
      expect(state.tasks['TT-04'].escalation?.firedSteps).toEqual([0]);

      advance(state, holdUntil);
      expect(state.tasks['TT-04'].escalation?.firedSteps).toEqual([0, 1, 2]);

      advance(state, deadline + 7 * DAY_MS);
      expect(state.tasks['TT-04'].escalation?.firedSteps).toEqual([0, 1, 2, 3]);
      expect(escalations(state).map((e) => e.level)).toEqual([1, 2, 3, 4]);
    });

    it('is refused for a task that has not escalated', () => {
      const { state } = overduePlan();
      const err = expectError(
        () => run(state, { type: 'acknowledgeEscalation', actor: coordinator, taskId: 'TT-04', holdFor: '2d' }, START),
        'INVALID_TRANSITION',
      );
      expect(err.message).toBe('task TT-04 has no escalation to acknowledge');
    });

    it('rejects a hold that is not a duration, naming holdFor', () => {
      const { state, deadline } = overduePlan();
      advance(state, deadline);
      expectInvalidAt(
        () =>
          run(
            state,
            { type: 'acknowledgeEscalation', actor: coordinator, taskId: 'TT-04', holdFor: 'a while' },
            deadline,
          ),
        'holdFor',
      );
      expect(state.tasks['TT-04'].escalation?.holdUntil).toBeUndefined();
    });
  });
});

describe('changeDeadline', () => {
  it('starts a new overdue episode: escalation cleared, reminders and steps keyed by the new deadline', () => {
    const plan = structuredClone(propagandaPlan());
    plan.tasks.find((t) => t.id === 'TT-04')!.responsible = 'vptu-tt2';
    const state = runningPlan(plan);
    const oldDeadline = state.tasks['TT-04'].deadline!;
    advance(state, oldDeadline - 7 * DAY_MS);
    advance(state, oldDeadline + 2 * DAY_MS);
    expect(state.tasks['TT-04'].escalation?.firedSteps).toEqual([0, 1]);

    const changedAt = oldDeadline + 2 * DAY_MS + HOUR_MS;
    run(
      state,
      { type: 'changeDeadline', actor: coordinator, taskId: 'TT-04', due: 'T-20d', reason: 'Lùi hạn theo chỉ đạo' },
      changedAt,
    );

    const task = state.tasks['TT-04'];
    const newDeadline = local('2026-09-24', 17);
    expect(task.due).toBe('T-20d');
    expect(task.deadline).toBe(newDeadline);
    expect(task.escalation).toBeUndefined();
    expect(lastAudit(state)).toMatchObject({
      action: 'task.deadline-changed',
      target: 'TT-04',
      reason: 'Lùi hạn theo chỉ đạo',
      details: { before: 'T-30d', after: 'T-20d' },
    });

    advance(state, newDeadline - 7 * DAY_MS);
    expect(task.remindersSent).toEqual([`${oldDeadline}:${7 * DAY_MS}`, `${newDeadline}:${7 * DAY_MS}`]);
    expect(notifications(state, { event: 'reminder', taskId: 'TT-04' }).map((n) => n.key)).toContain(
      `reminder:TT-04:${newDeadline}:${7 * DAY_MS}`,
    );

    advance(state, newDeadline);
    expect(task.escalation).toEqual({ episodeDeadline: newDeadline, firedSteps: [0] });
    expect(
      notifications(state, { taskId: 'TT-04' })
        .filter((n) => n.level === 1)
        .map((n) => n.key),
    ).toEqual([`escalation:TT-04:${oldDeadline}:1`, `escalation:TT-04:${newDeadline}:1`]);
  });

  it('validates the new due expression at path "due"', () => {
    const state = runningPlan(propagandaPlan());
    const change = (due: string) =>
      run(state, { type: 'changeDeadline', actor: coordinator, taskId: 'TT-04', due, reason: 'x' }, START);
    expectInvalidAt(() => change('next Friday'), 'due');
    expectInvalidAt(() => change('A+2d'), 'due');
    expect(state.tasks['TT-04'].due).toBe('T-30d');
  });

  it('is refused for a finished task', () => {
    const state = runningPlan(propagandaPlan());
    run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-04' }, START);
    expectError(
      () =>
        run(state, { type: 'changeDeadline', actor: coordinator, taskId: 'TT-04', due: 'T-1d', reason: 'x' }, START),
      'INVALID_TRANSITION',
    );
  });
});

describe('contingency scenarios', () => {
  /** Logistics: `epidemic` (needs approval) suspends HC-03 and adds DB-01 (A+2d) and DB-02 (A+3d). */
  const requestedAt = local('2026-09-01', 9);
  const activatedAt = local('2026-09-02', 10);

  function activeEpidemic() {
    const state = runningPlan(logisticsPlan());
    const hc03Deadline = state.tasks['HC-03'].deadline!;
    const { approvalId } = run(
      state,
      { type: 'requestContingency', actor: coordinator, scenario: 'epidemic' },
      requestedAt,
    );
    approveBy(state, approvalId!, activatedAt, 1, 2);
    return { state, hc03Deadline };
  }

  describe('requested, approved, activated', () => {
    it('waits for the Standing Committee after a request', () => {
      const state = runningPlan(logisticsPlan());
      const result = run(state, { type: 'requestContingency', actor: coordinator, scenario: 'epidemic' }, requestedAt);

      expect(result).toEqual({ ok: true, approvalId: 'A1', status: 'requested' });
      expect(state.contingencies.epidemic).toEqual({ code: 'epidemic', status: 'requested', approvalId: 'A1' });
      expect(state.approvals.A1.subject).toEqual({ kind: 'contingency', scenario: 'epidemic', ratification: false });
      expect(state.tasks['DB-01']).toBeUndefined();
      expect(state.tasks['HC-03'].status).toBe('open');
      expectError(
        () => run(state, { type: 'requestContingency', actor: coordinator, scenario: 'epidemic' }, requestedAt),
        'INVALID_TRANSITION',
      );
    });

    it('suspends the named tasks and adds the scenario’s tasks with A+ deadlines once approved', () => {
      const { state, hc03Deadline } = activeEpidemic();

      expect(state.contingencies.epidemic).toEqual({
        code: 'epidemic',
        status: 'active',
        activatedAt,
        activatedBy: 'system',
        emergency: false,
      });
      expect(state.tasks['HC-03']).toMatchObject({
        status: 'suspended',
        statusBeforeSuspension: 'open',
        suspendedAt: activatedAt,
        suspendedBy: ['epidemic'],
        remainingAtSuspension: hc03Deadline - activatedAt,
      });
      expect(state.tasks['DB-01']).toMatchObject({
        status: 'open',
        scenario: 'epidemic',
        deadline: activatedAt + 2 * DAY_MS,
      });
      expect(state.tasks['DB-02']).toMatchObject({
        status: 'open',
        scenario: 'epidemic',
        deadline: activatedAt + 3 * DAY_MS,
      });
      expect(state.taskOrder.slice(-2)).toEqual(['DB-01', 'DB-02']);
      expect(auditActions(state, 'epidemic')).toEqual(['contingency.activated']);
      const [notice] = notifications(state, { event: 'contingency' });
      expect(notice.key).toBe(`contingency:epidemic:on:${activatedAt}`);
      expect(idsOf(notice.recipients)).toEqual(['ngtu', 'vptu-tt1', 'vptu-tt2', 'tvchung']);
    });

    it('neither reminds nor escalates a suspended task', () => {
      const { state, hc03Deadline } = activeEpidemic();
      advance(state, hc03Deadline + 3 * DAY_MS);
      expect(state.tasks['HC-03'].escalation).toBeUndefined();
      expect(notifications(state, { taskId: 'HC-03' })).toEqual([]);
      expect(state.tasks['DB-01'].escalation?.firedSteps.length).toBeGreaterThan(0);
    });

    it('stays inactive when the request is rejected', () => {
      const state = runningPlan(logisticsPlan());
      const { approvalId } = run(
        state,
        { type: 'requestContingency', actor: coordinator, scenario: 'epidemic' },
        requestedAt,
      );
      for (const n of [2, 3] as const) {
        run(state, { type: 'decide', actor: approver(n), approvalId: approvalId!, decision: 'reject' }, activatedAt);
      }
      expect(state.contingencies.epidemic.status).toBe('inactive');
      expect(state.tasks['DB-01']).toBeUndefined();
      expect(state.tasks['HC-03'].status).toBe('open');
    });

    it('activates at once a scenario that needs no approval', () => {
      const state = runningPlan(logisticsPlan());
      const result = run(
        state,
        { type: 'requestContingency', actor: coordinator, scenario: 'food-safety' },
        activatedAt,
      );
      expect(result).toEqual({ ok: true, status: 'active' });
      expect(state.contingencies['food-safety'].status).toBe('active');
      expect(state.tasks['ATTP-01'].deadline).toBe(activatedAt + 6 * HOUR_MS);
      expect(state.approvals).toEqual({});
    });

    it('answers NOT_FOUND for an unknown scenario', () => {
      const state = runningPlan(logisticsPlan());
      expectError(
        () => run(state, { type: 'requestContingency', actor: coordinator, scenario: 'flood' }, START),
        'NOT_FOUND',
      );
    });
  });

  describe('deactivation', () => {
    it('cancels the scenario’s open tasks and resumes suspended tasks with the time they had left', () => {
      const { state, hc03Deadline } = activeEpidemic();
      const remaining = hc03Deadline - activatedAt;
      run(state, { type: 'completeTask', actor: coordinator, taskId: 'DB-01' }, activatedAt + DAY_MS);
      const endedAt = activatedAt + 4 * DAY_MS;

      const result = run(
        state,
        { type: 'deactivateContingency', actor: coordinator, scenario: 'epidemic', reason: 'Dịch đã được kiểm soát' },
        endedAt,
      );

      expect(result).toEqual({ ok: true, status: 'inactive' });
      expect(state.contingencies.epidemic).toMatchObject({ code: 'epidemic', status: 'inactive' });
      expect(state.contingencies.epidemic.activatedAt).toBeUndefined();
      expect(state.contingencies.epidemic.emergency).toBeUndefined();
      expect(state.tasks['DB-01'].status).toBe('done');
      expect(state.tasks['DB-02'].status).toBe('cancelled');
      const hc03 = state.tasks['HC-03'];
      expect(hc03.status).toBe('open');
      expect(hc03.deadline).toBe(endedAt + remaining);
      expect(hc03.deadline).toBeGreaterThan(hc03Deadline);
      expect(hc03.suspendedBy).toBeUndefined();
      expect(hc03.remainingAtSuspension).toBeUndefined();
      expect(hc03.statusBeforeSuspension).toBeUndefined();
      expect(state.audit).toContainEqual(
        expect.objectContaining({ action: 'contingency.deactivated', reason: 'Dịch đã được kiểm soát' }),
      );
    });

    it('keeps the task’s own deadline when that is later than now + the remaining time', () => {
      const { state, hc03Deadline } = activeEpidemic();
      // While suspended, congress day moves 20 days later: HC-03 (T-5wd) moves from 7 to 27 October.
      run(
        state,
        {
          type: 'moveCongressDay',
          actor: coordinator,
          startDate: '2026-11-03',
          endDate: '2026-11-05',
          reason: 'Điều chỉnh thời gian Đại hội',
        },
        activatedAt + HOUR_MS,
      );
      const endedAt = activatedAt + DAY_MS;
      run(state, { type: 'deactivateContingency', actor: coordinator, scenario: 'epidemic', reason: 'x' }, endedAt);

      const ownDeadline = local('2026-10-27', 17);
      expect(endedAt + (hc03Deadline - activatedAt)).toBeLessThan(ownDeadline);
      expect(state.tasks['HC-03'].deadline).toBe(ownDeadline);
    });

    it('is refused for a scenario that is not active, and without a reason', () => {
      const state = runningPlan(logisticsPlan());
      expectError(
        () =>
          run(state, { type: 'deactivateContingency', actor: coordinator, scenario: 'epidemic', reason: 'x' }, START),
        'INVALID_TRANSITION',
      );
      const { state: active } = activeEpidemic();
      expectInvalidAt(
        () => run(active, { type: 'deactivateContingency', actor: coordinator, scenario: 'epidemic' }, activatedAt),
        'reason',
      );
      expect(active.contingencies.epidemic.status).toBe('active');
    });
  });

  describe('emergency activation', () => {
    const emergency = (actor: Actor, reason?: string): PlanCommand => ({
      type: 'activateContingencyEmergency',
      actor,
      scenario: 'epidemic',
      reason,
    });

    it('is forbidden to anyone but the head or an admin, and changes nothing', () => {
      const state = runningPlan(logisticsPlan());
      const before = structuredClone(state);
      const err = expectError(() => run(state, emergency(coordinator, 'Khẩn cấp'), activatedAt), 'FORBIDDEN');
      expect(err.message).toBe(
        'only the head of the subcommittee (or an admin on their behalf) may activate in an emergency',
      );
      expect(state).toEqual(before);
    });

    it('needs a reason, even from the head', () => {
      const state = runningPlan(logisticsPlan());
      expectInvalidAt(() => run(state, emergency(head), activatedAt), 'reason');
      expect(state.contingencies.epidemic.status).toBe('inactive');
    });

    it('is allowed to an admin acting for the head', () => {
      const state = runningPlan(logisticsPlan());
      expect(run(state, emergency(admin, 'Theo chỉ đạo của Trưởng Tiểu ban'), activatedAt).status).toBe('active');
      expect(state.contingencies.epidemic.activatedBy).toBe('ops');
    });

    it('by the head is active at once and opens a ratification approval', () => {
      const state = runningPlan(logisticsPlan());
      const result = run(state, emergency(head, 'Dịch lan rộng'), activatedAt);

      expect(result).toEqual({ ok: true, approvalId: 'A1', status: 'active' });
      expect(state.contingencies.epidemic).toEqual({
        code: 'epidemic',
        status: 'active',
        activatedAt,
        activatedBy: 'tvchung',
        emergency: true,
        approvalId: 'A1',
      });
      expect(state.approvals.A1.subject).toEqual({ kind: 'contingency', scenario: 'epidemic', ratification: true });
      expect(state.tasks['HC-03'].status).toBe('suspended');
      expect(state.tasks['DB-01'].deadline).toBe(activatedAt + 2 * DAY_MS);
    });

    it('stays active, no longer an emergency, once ratified', () => {
      const state = runningPlan(logisticsPlan());
      run(state, emergency(head, 'Dịch lan rộng'), activatedAt);
      approveBy(state, 'A1', activatedAt + DAY_MS, 1, 2);
      expect(state.contingencies.epidemic).toMatchObject({ status: 'active', emergency: false });
      expect(state.contingencies.epidemic.approvalId).toBeUndefined();
    });

    it('is undone when the ratification is rejected', () => {
      const state = runningPlan(logisticsPlan());
      run(state, emergency(head, 'Dịch lan rộng'), activatedAt);
      const at = activatedAt + DAY_MS;
      run(state, { type: 'decide', actor: approver(1), approvalId: 'A1', decision: 'reject', comment: 'Chưa cần' }, at);
      run(state, { type: 'decide', actor: approver(2), approvalId: 'A1', decision: 'reject' }, at);

      expect(state.contingencies.epidemic.status).toBe('inactive');
      expect(state.tasks['DB-01'].status).toBe('cancelled');
      expect(state.tasks['DB-02'].status).toBe('cancelled');
      expect(state.tasks['HC-03'].status).toBe('open');
      expect(state.audit).toContainEqual(
        expect.objectContaining({
          action: 'contingency.deactivated',
          target: 'epidemic',
          reason: 'ratification rejected: Ủy viên 1: Chưa cần',
        }),
      );
    });
  });
});

describe('moveCongressDay', () => {
  const move = (startDate: string, endDate: string, reason?: string): PlanCommand => ({
    type: 'moveCongressDay',
    actor: coordinator,
    startDate,
    endDate,
    reason,
  });

  it('shifts every congress-relative deadline by the same number of days and recomputes closesAt', () => {
    const state = runningPlan(propagandaPlan());
    const movedAt = START + DAY_MS;
    run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-04' }, movedAt);
    const before = Object.fromEntries(orderedTasks(state).map((t) => [t.id, t.deadline!]));
    const closesAt = state.closesAt;

    run(state, move('2026-10-21', '2026-10-23', 'Trung ương điều chỉnh lịch'), movedAt);

    for (const id of ['TT-01', 'TT-02', 'TT-03', 'TT-05', 'TT-06', 'TT-07']) {
      expect([id, state.tasks[id].deadline! - before[id]]).toEqual([id, 7 * DAY_MS]);
    }
    expect(state.tasks['TT-04'].deadline).toBe(before['TT-04']);
    expect(state.closesAt).toBe(closesAt + 7 * DAY_MS);
    expect(state.closesAt).toBe(local('2026-10-24', 0) + 30 * DAY_MS);
    expect(state.congress).toMatchObject({ startDate: '2026-10-21', endDate: '2026-10-23' });
    expect(lastAudit(state)).toMatchObject({
      action: 'congress.moved',
      reason: 'Trung ương điều chỉnh lịch',
      details: {
        before: { startDate: '2026-10-14', endDate: '2026-10-16' },
        after: { startDate: '2026-10-21', endDate: '2026-10-23' },
      },
    });
  });

  it('starts a new overdue episode for an escalated task', () => {
    const state = runningPlan(propagandaPlan());
    const deadline = state.tasks['TT-01'].deadline!;
    advance(state, deadline + DAY_MS);
    expect(state.tasks['TT-01'].escalation?.firedSteps).toEqual([0]);

    run(state, move('2026-10-28', '2026-10-30', 'Lùi Đại hội'), deadline + DAY_MS);

    expect(state.tasks['TT-01'].deadline).toBe(deadline + 14 * DAY_MS);
    expect(state.tasks['TT-01'].escalation).toBeUndefined();
  });

  it('keeps working-day deadlines on working days', () => {
    const state = runningPlan(propagandaPlan());
    run(state, move('2026-10-24', '2026-10-25', 'Họp vào cuối tuần'), START);
    // T-10wd from Saturday 24 October: Monday 12 October.
    expect(state.tasks['TT-03'].deadline).toBe(local('2026-10-12', 17));
  });

  it('validates the new dates at paths startDate and endDate', () => {
    const state = runningPlan(propagandaPlan());
    expectInvalidAt(() => run(state, move('2026-10-21', '2026-10-20', 'x'), START), 'endDate');
    expectInvalidAt(() => run(state, move('2026-02-30', '2026-03-02', 'x'), START), 'startDate');
    expect(state.congress.startDate).toBe('2026-10-14');
  });
});

describe('reassignAgency', () => {
  const reassign = (fromAgency: string, toAgency: string, extra: Partial<PlanCommand> = {}): PlanCommand =>
    ({
      type: 'reassignAgency',
      actor: coordinator,
      fromAgency,
      toAgency,
      reason: 'Sắp xếp lại tổ chức bộ máy',
      ...extra,
    }) as PlanCommand;

  it('moves lead and coordinating agencies of unfinished tasks only, to a new agency', () => {
    const state = runningPlan(propagandaPlan());
    run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-04' }, START);

    const result = run(
      state,
      reassign('BAO', 'BAO-DT', { newAgency: { code: 'BAO-DT', name: 'Báo và Phát thanh, Truyền hình tỉnh' } }),
      START + 1,
    );

    expect(result).toEqual({ ok: true, status: '2 tasks reassigned' });
    expect(state.tasks['TT-04'].leadAgency).toBe('BAO');
    expect(state.tasks['TT-06'].coordinatingAgencies).toEqual(['BAO-DT']);
    expect(state.tasks['TT-07'].coordinatingAgencies).toEqual(['BAO-DT', 'DPTTH']);
    expect(state.definition.agencies.map((a) => a.code)).toContain('BAO-DT');
    expect(lastAudit(state)).toMatchObject({
      action: 'agency.reassigned',
      target: 'BAO',
      details: { to: 'BAO-DT', tasks: 2 },
    });
  });

  it('merges into an existing agency without listing it as its own coordinator', () => {
    const state = runningPlan(propagandaPlan());
    const result = run(state, reassign('DPTTH', 'BTG'), START);
    expect(result.status).toBe('3 tasks reassigned');
    expect(state.tasks['TT-04'].coordinatingAgencies).toEqual(['BTG', 'STTTT']);
    expect(state.tasks['TT-06']).toMatchObject({ leadAgency: 'BTG', coordinatingAgencies: ['BAO'] });
    expect(state.tasks['TT-07']).toMatchObject({ leadAgency: 'BTG', coordinatingAgencies: ['BAO'] });
  });

  it('validates its arguments', () => {
    const state = runningPlan(propagandaPlan());
    expectError(() => run(state, reassign('SXD', 'BTG'), START), 'NOT_FOUND');
    expectInvalidAt(() => run(state, reassign('BAO', 'BAO'), START), 'toAgency');
    expectInvalidAt(() => run(state, reassign('BAO', 'BAO-DT'), START), 'toAgency');
    expectInvalidAt(
      () => run(state, reassign('BAO', 'BAO-DT', { newAgency: { code: 'BAO-X', name: 'x' } }), START),
      'newAgency.code',
    );
    expectInvalidAt(
      () => run(state, reassign('BAO', 'BAO-DT', { newAgency: { code: 'BAO-DT', name: 'x', head: 'ai-do' } }), START),
      'newAgency.head',
    );
    expectInvalidAt(() => run(state, reassign('BAO', 'BTG', { reason: undefined }), START), 'reason');
    expect(state.tasks['TT-04'].leadAgency).toBe('BAO');
  });
});

describe('idempotent commands (requestId)', () => {
  it('replays the first result for a repeated requestId and applies nothing', () => {
    const state = runningPlan(propagandaPlan());
    const first = run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-04', requestId: 'req-1' }, START);
    expect(first).toEqual({ ok: true, taskId: 'TT-04', status: 'done' });
    const snapshot = structuredClone(state);

    const second = run(
      state,
      { type: 'completeTask', actor: coordinator, taskId: 'TT-04', requestId: 'req-1' },
      START + HOUR_MS,
    );

    expect(second).toEqual({ ...first, replayed: true });
    expect(state).toEqual(snapshot);
  });

  it('refuses a request id reused for a different command, changing nothing', () => {
    const state = runningPlan(propagandaPlan());
    run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-04', requestId: 'req-1' }, START);
    expectError(
      () =>
        run(state, { type: 'waiveTask', actor: coordinator, taskId: 'TT-03', reason: 'x', requestId: 'req-1' }, START),
      'INVALID_TRANSITION',
    );
    expect(state.tasks['TT-03'].status).toBe('open');
  });

  it('lets checkCommand pass a processed request that would now fail', () => {
    const state = runningPlan(propagandaPlan());
    const command: PlanCommand = { type: 'completeTask', actor: coordinator, taskId: 'TT-04', requestId: 'req-1' };
    run(state, command, START);
    expect(() => checkCommand(state, command, START)).not.toThrow();
    expectError(() => checkCommand(state, { ...command, requestId: 'req-2' }, START), 'INVALID_TRANSITION');
  });

  it('does not remember a request that failed', () => {
    const state = runningPlan(propagandaPlan());
    expectError(
      () => run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-02', requestId: 'req-1' }, START),
      'INVALID_TRANSITION',
    );
    expect(state.processedRequests).toEqual([]);
    const retried = run(
      state,
      { type: 'completeTask', actor: coordinator, taskId: 'TT-04', requestId: 'req-1' },
      START,
    );
    expect(retried.replayed).toBeUndefined();
    expect(state.tasks['TT-04'].status).toBe('done');
  });

  it(`remembers the last ${PROCESSED_REQUESTS_KEPT} requests`, () => {
    const state = runningPlan(propagandaPlan());
    for (let i = 0; i <= PROCESSED_REQUESTS_KEPT; i++) {
      run(state, { type: 'submitComment', actor: member, text: `ý kiến ${i}`, requestId: `c-${i}` }, START);
    }
    expect(state.processedRequests).toHaveLength(PROCESSED_REQUESTS_KEPT);
    expect(state.processedRequests[0].id).toBe('c-1');
    const comments = state.comments.length;
    expect(
      run(state, { type: 'submitComment', actor: member, text: 'ý kiến 1', requestId: 'c-1' }, START).replayed,
    ).toBe(true);
    expect(run(state, { type: 'submitComment', actor: member, text: 'lại', requestId: 'c-0' }, START).replayed).toBe(
      undefined,
    );
    expect(state.comments).toHaveLength(comments + 1);
  });
});

describe('other task commands', () => {
  it('reportProgress starts the task and records the progress', () => {
    const state = runningPlan(propagandaPlan());
    const result = run(
      state,
      { type: 'reportProgress', actor: member, taskId: 'TT-04', progress: 40, note: 'Đã mở chuyên mục' },
      START,
    );
    expect(result).toEqual({ ok: true, taskId: 'TT-04', status: 'in_progress' });
    expect(state.tasks['TT-04'].progress).toBe(40);
    expect(lastAudit(state)).toMatchObject({
      action: 'task.progress',
      target: 'TT-04',
      reason: 'Đã mở chuyên mục',
      details: { progress: 40 },
    });
  });

  it('reportProgress accepts whole numbers from 0 to 99 on a task that may start', () => {
    const state = runningPlan(propagandaPlan());
    const report = (taskId: string, progress: number) =>
      run(state, { type: 'reportProgress', actor: member, taskId, progress }, START);
    expectInvalidAt(() => report('TT-04', 100), 'progress');
    expectInvalidAt(() => report('TT-04', 2.5), 'progress');
    expectInvalidAt(() => report('TT-04', -1), 'progress');
    expectError(() => report('TT-02', 10), 'INVALID_TRANSITION');
    expectError(() => report('TT-99', 10), 'NOT_FOUND');
    expect(state.tasks['TT-04']).toMatchObject({ status: 'open', progress: 0 });
  });

  it('addTask adds a task, blocked on another unit’s task it asks the congress about', () => {
    const state = runningPlan(propagandaPlan());
    const result = run(
      state,
      {
        type: 'addTask',
        actor: coordinator,
        reason: 'Phát sinh',
        task: {
          id: 'TT-08',
          title: 'Tuyên truyền về công tác hậu cần',
          group: 'bao-chi',
          phase: 'before',
          leadAgency: 'BAO',
          due: 'T-20d',
          dependsOn: ['BPHC:HC-02'],
        },
      },
      START,
    );
    expect(result).toEqual({ ok: true, taskId: 'TT-08', status: 'blocked' });
    expect(state.taskOrder[state.taskOrder.length - 1]).toBe('TT-08');
    expect(state.tasks['TT-08'].deadline).toBe(local('2026-09-24', 17));
    expect(state.outbox).toContainEqual({
      kind: 'dependency-wanted',
      key: 'dependency-wanted:BPHC:HC-02',
      ref: 'BPHC:HC-02',
    });
  });

  it('addTask refuses an id already used, by the plan or by a scenario', () => {
    const state = runningPlan(propagandaPlan());
    const add = (id: string) =>
      run(
        state,
        {
          type: 'addTask',
          actor: coordinator,
          reason: 'x',
          task: { id, title: 't', group: 'bao-chi', phase: 'before', leadAgency: 'BAO', due: 'T-20d' },
        },
        START,
      );
    expectInvalidAt(() => add('TT-01'), 'task.id');
    expectInvalidAt(() => add('DB-01'), 'task.id');
    expect(state.taskOrder).toHaveLength(7);
  });

  it('announces the completion of a watched task', () => {
    const state = runningPlan(propagandaPlan());
    run(state, { type: 'watchTask', actor: SYSTEM_ACTOR, taskId: 'TT-04' }, START);
    run(state, { type: 'completeTask', actor: member, taskId: 'TT-04' }, START + HOUR_MS);
    expect(state.outbox).toContainEqual({
      kind: 'task-completed',
      key: 'task-completed:TT-04',
      taskId: 'TT-04',
      at: START + HOUR_MS,
    });
    run(state, { type: 'completeTask', actor: member, taskId: 'TT-03' }, START + 2 * HOUR_MS);
    run(state, { type: 'watchTask', actor: SYSTEM_ACTOR, taskId: 'TT-03' }, START + 3 * HOUR_MS);
    expect(state.outbox).toContainEqual(
      expect.objectContaining({ kind: 'task-completed', taskId: 'TT-03', at: START + 2 * HOUR_MS }),
    );
  });

  it('editTask changes the given fields only and validates them', () => {
    const state = runningPlan(propagandaPlan());
    run(
      state,
      { type: 'editTask', actor: coordinator, taskId: 'TT-04', budgetVnd: 150_000_000, reason: 'Bổ sung kinh phí' },
      START,
    );
    expect(state.tasks['TT-04']).toMatchObject({
      budgetVnd: 150_000_000,
      title: 'Mở chuyên trang, chuyên mục về Đại hội',
    });
    expect(lastAudit(state).details).toEqual({ budgetVnd: 150_000_000 });
    expectInvalidAt(
      () =>
        run(state, { type: 'editTask', actor: coordinator, taskId: 'TT-04', responsible: 'ai-do', reason: 'x' }, START),
      'task.responsible',
    );
  });

  it('reassignTask moves one task and records before and after', () => {
    const state = runningPlan(propagandaPlan());
    run(
      state,
      {
        type: 'reassignTask',
        actor: coordinator,
        taskId: 'TT-04',
        leadAgency: 'DPTTH',
        responsible: 'vptu-tt2',
        reason: 'x',
      },
      START,
    );
    expect(state.tasks['TT-04']).toMatchObject({ leadAgency: 'DPTTH', responsible: 'vptu-tt2' });
    expect(lastAudit(state).details).toEqual({
      before: { leadAgency: 'BAO', responsible: undefined },
      after: { leadAgency: 'DPTTH', responsible: 'vptu-tt2' },
    });
    expectInvalidAt(
      () => run(state, { type: 'reassignTask', actor: coordinator, taskId: 'TT-04', reason: 'x' }, START),
      'leadAgency',
    );
    expectInvalidAt(
      () =>
        run(
          state,
          { type: 'reassignTask', actor: coordinator, taskId: 'TT-04', responsible: 'ai-do', reason: 'x' },
          START,
        ),
      'responsible',
    );
  });

  it('waiving a task awaiting approval withdraws its approval', () => {
    const state = runningPlan(propagandaPlan());
    run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-01' }, START);
    run(state, { type: 'waiveTask', actor: head, taskId: 'TT-01', reason: 'Không cần ban hành riêng' }, START + 1);
    expect(state.tasks['TT-01'].status).toBe('waived');
    expect(state.approvals.A1.status).toBe('withdrawn');
    expect(state.tasks['TT-02'].status).toBe('open');
  });

  it('applies a congress-wide contingency without a plan-level approval', () => {
    const state = runningPlan(logisticsPlan());
    const on = run(
      state,
      { type: 'congressContingency', actor: SYSTEM_ACTOR, scenario: 'epidemic', active: true },
      START,
    );
    expect(on).toEqual({ ok: true, status: 'active' });
    expect(state.tasks['HC-03'].status).toBe('suspended');
    expect(state.approvals).toEqual({});
    const other = run(
      state,
      { type: 'congressContingency', actor: SYSTEM_ACTOR, scenario: 'flood', active: true },
      START,
    );
    expect(other).toEqual({ ok: true, status: 'not-in-plan' });
  });
});

describe('commands that change the plan need a reason', () => {
  const commands: PlanCommand[] = [
    {
      type: 'addTask',
      actor: coordinator,
      task: { id: 'TT-08', title: 'Mới', group: 'noi-dung', phase: 'before', leadAgency: 'BTG', due: 'T-20d' },
    },
    { type: 'editTask', actor: coordinator, taskId: 'TT-04', title: 'Tên mới' },
    { type: 'reassignTask', actor: coordinator, taskId: 'TT-04', leadAgency: 'BTG' },
    { type: 'reassignAgency', actor: coordinator, fromAgency: 'BAO', toAgency: 'BTG' },
    { type: 'changeDeadline', actor: coordinator, taskId: 'TT-04', due: 'T-20d' },
    { type: 'waiveTask', actor: coordinator, taskId: 'TT-04' },
    { type: 'activateContingencyEmergency', actor: head, scenario: 'epidemic' },
    { type: 'deactivateContingency', actor: coordinator, scenario: 'epidemic' },
    { type: 'moveCongressDay', actor: coordinator, startDate: '2026-10-21', endDate: '2026-10-23' },
    { type: 'stopPlan', actor: coordinator },
  ];

  it.each(commands.map((c) => [c.type, c] as const))('%s fails at path "reason" and changes nothing', (_t, command) => {
    const state = runningPlan(propagandaPlan());
    const before = structuredClone(state);
    for (const reason of [undefined, '   ']) {
      const err = expectInvalidAt(() => run(state, { ...command, reason }, START), 'reason');
      expect(err.issues).toEqual([{ path: 'reason', message: 'is required for changes to the plan' }]);
    }
    expect(state).toEqual(before);
  });

  it('records the reason given', () => {
    const state = runningPlan(propagandaPlan());
    run(state, { type: 'waiveTask', actor: coordinator, taskId: 'TT-04', reason: 'Không còn cần thiết' }, START);
    expect(state.tasks['TT-04'].status).toBe('waived');
    expect(lastAudit(state)).toMatchObject({ action: 'task.waived', target: 'TT-04', reason: 'Không còn cần thiết' });
  });

  it('requires an actor', () => {
    const state = runningPlan(propagandaPlan());
    expectInvalidAt(
      () => run(state, { type: 'completeTask', actor: { id: '', name: '', roles: [] }, taskId: 'TT-04' }, START),
      'actor',
    );
  });
});

describe('closing the plan', () => {
  function settled() {
    const state = runningPlan(propagandaPlan());
    for (const id of state.taskOrder) {
      run(state, { type: 'waiveTask', actor: coordinator, taskId: id, reason: 'Gộp vào kế hoạch khác' }, START);
    }
    return state;
  }

  it('closes after the congress when every task is terminal, queueing a closing report and the archive', () => {
    const state = settled();
    advance(state, CONGRESS_END - 1);
    expect(state.status).toBe('active');
    expect(state.phase).toBe('during');

    expect(advance(state, CONGRESS_END)).toBe(true);

    expect(state.status).toBe('closed');
    expect(state.closedAt).toBe(CONGRESS_END);
    expect(state.phase).toBe('after');
    expect(state.outbox).toContainEqual({ kind: 'report', key: 'closing-report', report: 'closing', at: CONGRESS_END });
    expect(state.outbox).toContainEqual({ kind: 'archive', key: 'archive', at: CONGRESS_END });
    expect(lastAudit(state)).toMatchObject({ action: 'plan.closed', details: { allSettled: true } });
  });

  it('does nothing more once closed', () => {
    const state = settled();
    advance(state, CONGRESS_END);
    const outbox = state.outbox.length;
    expect(advance(state, CONGRESS_END + 40 * DAY_MS)).toBe(false);
    expect(nextWakeAt(state, CONGRESS_END)).toBeUndefined();
    expect(state.outbox).toHaveLength(outbox);
    const err = expectError(
      () => run(state, { type: 'submitComment', actor: member, text: 'muộn' }, CONGRESS_END + 1),
      'INVALID_TRANSITION',
    );
    expect(err.message).toBe('the plan is closed: cannot submitComment');
    expect(
      run(state, { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref: 'BPHC:HC-02', at: 1 }, CONGRESS_END + 1),
    ).toEqual({ ok: true });
  });

  it('stays open with unfinished tasks until closeAfter, then closes anyway', () => {
    const state = runningPlan(propagandaPlan());
    advance(state, CONGRESS_END);
    expect(state.status).toBe('active');
    expect(state.closesAt).toBe(CONGRESS_END + 30 * DAY_MS);
    advance(state, state.closesAt - 1);
    expect(state.status).toBe('active');
    advance(state, state.closesAt);
    expect(state.status).toBe('closed');
    expect(lastAudit(state)).toMatchObject({ action: 'plan.closed', details: { allSettled: false } });
  });

  it('stops on request, withdrawing pending approvals and queueing the archive', () => {
    const state = runningPlan(propagandaPlan());
    run(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-01' }, START);
    run(state, { type: 'stopPlan', actor: head, reason: 'Hợp nhất đơn vị' }, START + 1);
    expect(state.status).toBe('stopped');
    expect(state.closedAt).toBe(START + 1);
    expect(state.approvals.A1.status).toBe('withdrawn');
    expect(state.outbox).toContainEqual({ kind: 'archive', key: 'archive', at: START + 1 });
  });

  it('reaches the end on a virtual clock, each wake strictly later than the last and never idle', () => {
    const state = runningPlan(logisticsPlan());
    let now = START;
    const wakes: number[] = [];
    for (let next = nextWakeAt(state, now); next !== undefined; next = nextWakeAt(state, now)) {
      expect(next).toBeGreaterThan(now);
      now = next;
      wakes.push(now);
      expect(advance(state, now)).toBe(true);
    }
    expect(state.status).toBe('closed');
    expect(now).toBe(state.closesAt);
    expect(wakes.length).toBeGreaterThan(10);
  });
});

describe('views: progressReport and planSummary', () => {
  /**
   * On 10 August: TT-01 open and overdue (escalated to level 4), TT-02 blocked and due within a week, TT-03
   * in progress at 60%, TT-04 done, TT-07 waived, and a contingency request with one approval so far.
   */
  const NOW = local('2026-08-10', 17);

  function midway() {
    const state = runningPlan(propagandaPlan());
    run(state, { type: 'reportProgress', actor: member, taskId: 'TT-03', progress: 60 }, START);
    run(state, { type: 'completeTask', actor: member, taskId: 'TT-04' }, START);
    run(state, { type: 'waiveTask', actor: coordinator, taskId: 'TT-07', reason: 'Chuyển sang kế hoạch sau' }, START);
    const { approvalId } = run(state, { type: 'requestContingency', actor: coordinator, scenario: 'epidemic' }, START);
    approveBy(state, approvalId!, START, 1);
    advance(state, NOW);
    return state;
  }

  it('counts tasks by status, overdue, at risk and budget', () => {
    const state = midway();
    const report = progressReport(state, NOW);

    expect(report).toMatchObject({
      unitCode: 'BPTT',
      unitName: 'Bộ phận tuyên truyền',
      at: new Date(NOW).toISOString(),
      planStatus: 'active',
      phase: 'before',
      total: 7,
      done: 1,
      overdue: 1,
      atRisk: 1,
      awaitingApproval: 0,
      pendingApprovals: 1,
      activeContingencies: [],
      budget: { plannedVnd: 1_270_000_000, doneVnd: 120_000_000 },
      percentDone: 17,
    });
    expect(report.byStatus).toEqual({
      blocked: 2,
      open: 2,
      in_progress: 1,
      awaiting_approval: 0,
      done: 1,
      reopened: 0,
      suspended: 0,
      cancelled: 0,
      waived: 1,
    });
    expect(report.overdueTasks).toEqual([
      {
        id: 'TT-01',
        title: 'Ban hành kế hoạch tuyên truyền Đại hội',
        deadline: new Date(local('2026-07-16', 17)).toISOString(),
        escalationLevel: 4,
        leadAgency: 'BTG',
        leadAgencyName: 'Ban Tuyên giáo Tỉnh ủy',
      },
    ]);
    expect(overdueTasks(state, NOW).map((t) => [t.id, t.overdue, t.escalationLevel])).toEqual([['TT-01', true, 4]]);
  });

  it('summarises the plan for search attributes', () => {
    const state = midway();
    expect(planSummary(state, NOW)).toEqual({
      failedDeliveries: 0,
      congressId: 'dh-tinh-xx',
      unitCode: 'BPTT',
      status: 'active',
      phase: 'before',
      overdueCount: 1,
      nextDeadline: local('2026-08-15', 17),
      highestEscalationLevel: 4,
      activeContingencies: [],
      assignees: ['ptthang'],
      agencies: ['BAO', 'BTG', 'DPTTH', 'SGTVT', 'SVHTTDL'],
      pendingApprovalGroups: ['standing-committee:contingency'],
      pendingApprovers: ['btv-2', 'btv-3'],
      done: 1,
      total: 7,
    });
    expect(pendingApprovals(state).map((a) => [a.id, a.kind, a.decisions.length])).toEqual([['A1', 'contingency', 1]]);
  });

  it('follows an activated contingency', () => {
    const state = midway();
    approveBy(state, 'A1', NOW, 2);

    const report = progressReport(state, NOW);
    expect(report.total).toBe(9);
    expect(report.activeContingencies).toEqual(['epidemic']);
    expect(report.byStatus.suspended).toBe(1);
    expect(report.budget.plannedVnd).toBe(1_270_000_000 + 150_000_000);
    expect(report.pendingApprovals).toBe(0);

    const summary = planSummary(state, NOW);
    expect(summary.activeContingencies).toEqual(['epidemic']);
    expect(summary.nextDeadline).toBe(NOW + 2 * DAY_MS);
    expect(summary.pendingApprovers).toEqual([]);
  });

  it('counts a plan with nothing left to do as 100% done', () => {
    const state = runningPlan(propagandaPlan());
    for (const id of state.taskOrder)
      run(state, { type: 'waiveTask', actor: coordinator, taskId: id, reason: 'x' }, START);
    const report = progressReport(state, START);
    expect(report.percentDone).toBe(100);
    expect(report.budget.plannedVnd).toBe(0);
    expect(planSummary(state, START).nextDeadline).toBeUndefined();
  });

  it('calls a task at risk within a week of its deadline when blocked or under half done', () => {
    const state = runningPlan(propagandaPlan());
    const task = state.tasks['TT-03'];
    const deadline = task.deadline!;
    expect(isAtRisk(task, deadline - 8 * DAY_MS)).toBe(false);
    expect(isAtRisk(task, deadline - 6 * DAY_MS)).toBe(true);
    task.progress = 50;
    expect(isAtRisk(task, deadline - 6 * DAY_MS)).toBe(false);
    expect(isAtRisk(task, deadline)).toBe(false);
    expect(isAtRisk(state.tasks['TT-05'], state.tasks['TT-05'].deadline! - DAY_MS)).toBe(true);
  });
});
