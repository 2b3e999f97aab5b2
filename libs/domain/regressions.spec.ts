import { instantAt } from './calendar';
import { advance, applyCommand, archiveOldAudit, createPlanState } from './engine';
import { DomainError } from './errors';
import { parseDue } from './schedule';
import { generatedPlan, propagandaPlan, provincialCongress } from './templates';
import { MAX_TASKS_PER_PLAN, validatePlan } from './validation';

describe('regressions', () => {
  it('rejects an ISO instant whose calendar date does not exist (Date.parse would roll it over)', () => {
    expect(() => parseDue('2026-02-30T10:00:00+07:00', 'tasks[0].due')).toThrow(DomainError);
    expect(() => parseDue('2026-02-30T10:00:00+07:00', 'tasks[0].due')).toThrow(/tasks\[0\]\.due: .*not a real date/);
  });

  it("never shares the caller's definition with the running state", () => {
    const congress = provincialCongress();
    const plan = propagandaPlan();
    const agenciesBefore = plan.agencies.length;
    const state = createPlanState(congress, plan, instantAt('2026-07-01', 8 * 60, 'Asia/Ho_Chi_Minh'));
    applyCommand(
      state,
      {
        type: 'reassignAgency',
        actor: { id: 'vptu-tt1', name: 'x', roles: ['coordinator'] },
        reason: 'sáp nhập',
        fromAgency: 'BAO',
        toAgency: 'BAO-DT',
        newAgency: { code: 'BAO-DT', name: 'Báo và Đài tỉnh' },
      },
      instantAt('2026-07-02', 8 * 60, 'Asia/Ho_Chi_Minh'),
    );
    expect(state.definition.agencies).toHaveLength(agenciesBefore + 1);
    expect(plan.agencies).toHaveLength(agenciesBefore);
    expect(propagandaPlan().agencies).toHaveLength(agenciesBefore);
  });
});

describe('resuming after a contingency', () => {
  it('gives a task that was already overdue when suspended the minimum window the rules set', () => {
    const tz = 'Asia/Ho_Chi_Minh';
    const congress = provincialCongress();
    const plan = propagandaPlan();
    plan.approvalPolicy.planRequiresApproval = false;
    const t0 = instantAt('2026-07-01', 8 * 60, tz);
    const state = createPlanState(congress, plan, t0);
    state.rules = { minimumResumeWindowMs: 24 * 3600_000 };
    const actor = { id: 'tvchung', name: 'Trần Văn Chung', roles: ['admin'] };
    // TT-03 is due ten working days before the congress; suspend it two days after that deadline.
    state.definition.scenarios[0].suspends.push('TT-03');
    const overdueAt = state.tasks['TT-03'].deadline! + 2 * 24 * 3600_000;
    applyCommand(
      state,
      { type: 'activateContingencyEmergency', actor, reason: 'khẩn cấp', scenario: 'epidemic' },
      overdueAt,
    );
    expect(state.tasks['TT-03'].status).toBe('suspended');
    const resumeAt = overdueAt + 5 * 24 * 3600_000;
    applyCommand(state, { type: 'deactivateContingency', actor, reason: 'hết dịch', scenario: 'epidemic' }, resumeAt);
    expect(state.tasks['TT-03'].deadline).toBe(resumeAt + 24 * 3600_000);
  });
});

describe('plan size', () => {
  it('refuses a plan of more tasks than one workflow state can carry', () => {
    const congress = provincialCongress();
    // generatedPlan adds an epidemic scenario with two tasks of its own.
    expect(validatePlan(generatedPlan(MAX_TASKS_PER_PLAN - 2), congress)).toEqual([]);
    const issues = validatePlan(generatedPlan(MAX_TASKS_PER_PLAN - 1), congress);
    expect(issues.map((i) => i.path)).toContain('plan.tasks');
  });
});

describe('robustness of validation and idempotency', () => {
  it('reports missing parts as issues instead of throwing', () => {
    const congress = provincialCongress();
    const withoutPeople = { ...congress, people: undefined } as unknown as typeof congress;
    expect(validatePlan(propagandaPlan(), withoutPeople)).toEqual([
      { path: 'congress.people', message: 'is required' },
    ]);
    expect(validatePlan(undefined as never, congress)).toEqual([{ path: 'plan', message: 'is required' }]);
  });

  it('refuses an idempotency key reused for a different request, and replays a true retry', () => {
    const congress = provincialCongress();
    const plan = propagandaPlan();
    const now = instantAt('2026-07-01', 8 * 60, 'Asia/Ho_Chi_Minh');
    const state = createPlanState(congress, plan, now);
    const actor = { id: 'vptu-tt1', name: 'x', roles: ['coordinator'] };
    const complete = { type: 'completeTask' as const, actor, taskId: 'TT-03', requestId: 'key-00000001' };
    expect(applyCommand(state, complete, now)).toEqual({ ok: true, taskId: 'TT-03', status: 'done' });
    expect(applyCommand(state, complete, now + 1000)).toEqual({
      ok: true,
      taskId: 'TT-03',
      status: 'done',
      replayed: true,
    });
    const other = { type: 'reportProgress' as const, actor, taskId: 'TT-04', progress: 10, requestId: 'key-00000001' };
    expect(() => applyCommand(state, other, now + 2000)).toThrow(/already used for a different request/);
    expect(state.tasks['TT-04'].progress).toBe(0);
  });
});

describe('audit log kept small', () => {
  it('moves the oldest entries into archive segments, losing none', () => {
    const congress = provincialCongress();
    const plan = propagandaPlan();
    const t0 = instantAt('2026-07-01', 8 * 60, 'Asia/Ho_Chi_Minh');
    const state = createPlanState(congress, plan, t0);
    state.rules = { auditKeptInState: 10 };
    const actor = { id: 'vptu-tt1', name: 'x', roles: ['coordinator'] };
    for (let i = 0; i < 30; i++) {
      applyCommand(state, { type: 'submitComment', actor, text: `ý kiến ${i}` }, t0 + i * 1000);
      advance(state, t0 + i * 1000);
    }
    expect(state.audit.length).toBeLessThan(20);
    const segments = state.outbox.filter((e) => e.kind === 'audit-segment');
    expect(segments.length).toBeGreaterThan(0);
    const seqs = [...segments.flatMap((e) => (e.kind === 'audit-segment' ? e.entries : [])), ...state.audit].map(
      (e) => e.seq,
    );
    expect(seqs).toEqual(Array.from({ length: state.counters.audit }, (_, i) => i + 1));
    expect(segments[0].key).toBe('audit-0000001-0000010');
  });

  it('keeps everything for plans started before the rule', () => {
    const state = createPlanState(
      provincialCongress(),
      propagandaPlan(),
      instantAt('2026-07-01', 8 * 60, 'Asia/Ho_Chi_Minh'),
    );
    const before = state.audit.length;
    archiveOldAudit(state);
    expect(state.audit.length).toBe(before);
  });
});
