import { domainErrorOf } from '../../../test/domain-error';
import { addCalendarDays, instantAt } from '../calendar';
import { DAY_MS } from '../duration';
import { applyCommand, createPlanState } from '../engine';
import { SYSTEM_ACTOR, type Actor, type UnitPlanDefinition } from '../model';
import { logisticsPlan, propagandaPlan, provincialCongress, securityPlan } from '../templates';
import {
  applyContingency,
  applyMove,
  checkAddPlan,
  checkContingency,
  checkMove,
  congressAttributeValues,
  createCongressState,
  dependencyWanted,
  liveUnits,
  planProgress,
  planStarted,
  progressReportKey,
  registerPlans,
  taskCompleted,
  watchListOf,
} from './congress';
import {
  addedPlanCycleIssues,
  addedTasksCycleIssues,
  admitCongress,
  congressIssues,
  normaliseCongress,
  planClosesAt,
} from './normalise';
import { previewCongressDayMove } from './preview';
import { congressDetails, summaryReport } from './views';

const TZ = 'Asia/Ho_Chi_Minh';
const coordinator: Actor = { id: 'vptu-tt1', name: 'Lê Minh', roles: ['coordinator'] };
const at = (date: string, hour = 8) => instantAt(date, hour * 60, TZ);
const NOW = at('2027-07-01');
const congress = provincialCongress('dh-tinh-xxi', '2027-10-14');

function started(plans: UnitPlanDefinition[]) {
  const state = createCongressState(congress);
  const relays = registerPlans(state, plans);
  const watchLists = Object.fromEntries(
    plans.map((p) => {
      const watchList = watchListOf(state, p.unitCode);
      planStarted(state, p.unitCode, watchList);
      return [p.unitCode, watchList];
    }),
  );
  return { state, relays, watchLists };
}

const summary = (unitCode: string, status: string) => ({
  congressId: congress.id,
  unitCode,
  status,
  phase: 'before',
  overdueCount: 1,
  highestEscalationLevel: 0,
  activeContingencies: [],
  assignees: [],
  agencies: [],
  pendingApprovalGroups: [],
  pendingApprovers: [],
  failedDeliveries: 0,
  done: 2,
  total: 5,
});

/** A medical unit's plan of one task, YT-01, waiting on another unit's task. */
const medicalPlan = (dependsOn: string): UnitPlanDefinition => ({
  ...securityPlan(),
  unitCode: 'BPYT',
  unitName: 'Bộ phận y tế',
  scenarios: [],
  tasks: [{ ...securityPlan().tasks[0], id: 'YT-01', dependsOn: [dependsOn] }],
});

describe('what plans report', () => {
  it('reports a change of status, phase, overdue tasks, escalation, contingencies or task count; not a completion', () => {
    const before = summary('BPTT', 'active');
    const key = progressReportKey(before);
    expect(progressReportKey({ ...before, done: 3, pendingApprovers: ['btv-1'], nextDeadline: NOW })).toBe(key);
    for (const change of [
      { status: 'closed' },
      { phase: 'during' },
      { total: 6 },
      { overdueCount: 2 },
      { highestEscalationLevel: 1 },
      { activeContingencies: ['epidemic'] },
    ]) {
      expect(progressReportKey({ ...before, ...change })).not.toBe(key);
    }
  });

  it("gives the congress's search attributes from its plans' reports", () => {
    const { state } = started([logisticsPlan(), securityPlan()]);
    expect(congressAttributeValues(state)).toEqual({ status: 'active', contingency: null, overdueCount: 0 });
    planProgress(state, summary('BPHC', 'closed'));
    planProgress(state, { ...summary('BPANTT', 'active'), overdueCount: 3 });
    state.activeContingencies = ['epidemic'];
    expect(congressAttributeValues(state)).toEqual({ status: 'active', contingency: 'epidemic', overdueCount: 4 });
    planProgress(state, summary('BPANTT', 'stopped'));
    expect(congressAttributeValues(state).status).toBe('closed');
  });
});

describe('subscribers and watch lists', () => {
  it('gives the initial plans watch lists from every dependency among them, with nothing to relay', () => {
    const { state, relays, watchLists } = started([logisticsPlan(), securityPlan()]);
    expect(relays).toEqual([]);
    expect(watchLists).toEqual({ BPHC: ['HC-02'], BPANTT: [] });
    expect(state.subscribers).toEqual({ 'BPHC:HC-02': ['BPANTT'] });
  });

  it('tells a running plan once when a plan added later depends on its task', () => {
    const { state } = started([logisticsPlan()]);
    const relays = registerPlans(state, [securityPlan()]);
    expect(relays).toEqual([
      { unitCode: 'BPHC', command: { type: 'watchTask', actor: SYSTEM_ACTOR, taskId: 'HC-02' } },
    ]);
    expect(planStarted(state, 'BPANTT', [])).toEqual([]);
    // A second dependant on the same task needs no second notice.
    const another = { ...securityPlan(), unitCode: 'BPYT' };
    expect(registerPlans(state, [another])).toEqual([]);
    expect(state.subscribers['BPHC:HC-02']).toEqual(['BPANTT', 'BPYT']);
  });

  it('gives a plan added later the watch list its subscribers imply, also after continue-as-new', () => {
    const { state } = started([securityPlan()]);
    // What continue-as-new carries is the state: the subscribers are in it.
    const resumed = JSON.parse(JSON.stringify(state)) as typeof state;
    expect(registerPlans(resumed, [logisticsPlan()])).toEqual([]);
    expect(watchListOf(resumed, 'BPHC')).toEqual(['HC-02']);
    expect(planStarted(resumed, 'BPHC', ['HC-02'])).toEqual([]);
  });

  it('tells a plan that was still starting of a dependant added meanwhile', () => {
    const state = createCongressState(congress);
    registerPlans(state, [logisticsPlan()]);
    const watchList = watchListOf(state, 'BPHC'); // BPHC's start begins with an empty watch list…
    expect(registerPlans(state, [securityPlan()])).toEqual([]); // …security is added before it exists…
    expect(planStarted(state, 'BPHC', watchList)).toEqual([
      { unitCode: 'BPHC', command: { type: 'watchTask', actor: SYSTEM_ACTOR, taskId: 'HC-02' } },
    ]); // …so BPHC is told once it does.
  });

  it('relays a completion already known to a plan added later', () => {
    const { state } = started([logisticsPlan()]);
    expect(taskCompleted(state, 'BPHC', 'HC-02', NOW)).toEqual([]);
    expect(registerPlans(state, [securityPlan()])).toEqual([
      {
        unitCode: 'BPANTT',
        command: { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref: 'BPHC:HC-02', at: NOW },
      },
    ]);
  });

  it('relays a completion to every subscriber, once', () => {
    const { state } = started([logisticsPlan(), securityPlan()]);
    expect(taskCompleted(state, 'BPHC', 'HC-02', NOW)).toEqual([
      {
        unitCode: 'BPANTT',
        command: { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref: 'BPHC:HC-02', at: NOW },
      },
    ]);
    expect(taskCompleted(state, 'BPHC', 'HC-02', NOW + 1)).toEqual([]);
    expect(state.completions['BPHC:HC-02']).toBe(NOW);
  });

  it('answers a dependency wanted at run time with the completion, or by asking the owner', () => {
    const { state } = started([logisticsPlan(), propagandaPlan()]);
    expect(dependencyWanted(state, 'BPTT', 'BPHC:HC-03')).toEqual([
      { unitCode: 'BPHC', command: { type: 'watchTask', actor: SYSTEM_ACTOR, taskId: 'HC-03' } },
    ]);
    taskCompleted(state, 'BPHC', 'HC-03', NOW);
    expect(dependencyWanted(state, 'BPTT', 'BPHC:HC-03')).toEqual([
      { unitCode: 'BPTT', command: { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref: 'BPHC:HC-03', at: NOW } },
    ]);
    expect(dependencyWanted(state, 'BPTT', 'BPXX:X-01')).toEqual([]);
  });

  it('stops relaying to finished plans', () => {
    const { state } = started([logisticsPlan(), securityPlan()]);
    planProgress(state, summary('BPHC', 'closed'));
    expect(liveUnits(state)).toEqual(['BPANTT']);
    const { relays } = applyContingency(state, 'epidemic', 'Dịch bệnh', true, coordinator, NOW);
    expect(relays.map((r) => r.unitCode)).toEqual(['BPANTT']);
  });
});

describe('congress commands', () => {
  it('moves congress day and relays the move to every live plan', () => {
    const { state } = started([logisticsPlan(), securityPlan()]);
    const move = { startDate: '2027-10-21', endDate: '2027-10-23', reason: 'Lùi một tuần' };
    checkMove(state, move, NOW);
    const { result, relays } = applyMove(state, move, coordinator, NOW);
    expect(result).toEqual({ ok: true, plans: 2 });
    expect(relays.map((r) => [r.unitCode, r.command.type])).toEqual([
      ['BPHC', 'moveCongressDay'],
      ['BPANTT', 'moveCongressDay'],
    ]);
    expect(state.congress.startDate).toBe('2027-10-21');
    expect(state.history).toEqual([
      {
        at: NOW,
        actor: 'vptu-tt1',
        action: 'congress.moved',
        reason: 'Lùi một tuần',
        details: move && { startDate: '2027-10-21', endDate: '2027-10-23' },
      },
    ]);
  });

  it('refuses a move without a reason or with impossible dates, naming the fields', () => {
    const { state } = started([logisticsPlan()]);
    const error = domainErrorOf(() =>
      checkMove(state, { startDate: '2027-02-30', endDate: '2027-02-28', reason: ' ' }, NOW),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['startDate', 'reason']);
  });

  it('needs confirmClosingPlans for a move that ends the congress before now', () => {
    const { state } = started([logisticsPlan()]);
    const past = { startDate: '2027-06-01', endDate: '2027-06-03', reason: 'Nhập sai' };
    const error = domainErrorOf(() => checkMove(state, past, NOW));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.message).toMatch(/confirmClosingPlans/);
    expect(error.issues).toEqual([expect.objectContaining({ path: 'confirmClosingPlans' })]);
    expect(() => checkMove(state, { ...past, confirmClosingPlans: true }, NOW)).not.toThrow();
    // No plan left to close: nothing to confirm.
    planProgress(state, summary('BPHC', 'stopped'));
    expect(() => checkMove(state, past, NOW)).not.toThrow();
  });

  it('checks contingencies against those already active', () => {
    const { state } = started([logisticsPlan()]);
    checkContingency(state, 'epidemic', 'Dịch bệnh', true);
    applyContingency(state, 'epidemic', 'Dịch bệnh', true, coordinator, NOW);
    expect(domainErrorOf(() => checkContingency(state, 'epidemic', 'Dịch bệnh', true)).code).toBe('INVALID_TRANSITION');
    expect(domainErrorOf(() => checkContingency(state, 'flood', 'Lũ', false)).code).toBe('INVALID_TRANSITION');
    expect(domainErrorOf(() => checkContingency(state, 'epidemic', '', false)).issues[0].path).toBe('reason');
    applyContingency(state, 'epidemic', 'Hết dịch', false, coordinator, NOW);
    expect(state.activeContingencies).toEqual([]);
  });

  it('refuses a second plan for a unit, or one with over-long strings', () => {
    const { state } = started([logisticsPlan()]);
    expect(domainErrorOf(() => checkAddPlan(state, logisticsPlan(), [])).code).toBe('INVALID_TRANSITION');
    expect(domainErrorOf(() => checkAddPlan(state, securityPlan(), ['BPANTT'])).code).toBe('INVALID_TRANSITION');
    const bloated = { ...securityPlan(), unitNameEn: 'x'.repeat(900_000) };
    expect(domainErrorOf(() => checkAddPlan(state, bloated, [])).issues).toEqual([
      { path: 'plan.unitNameEn', message: 'must be at most 300 characters (got 900000)' },
    ]);
  });
});

describe('normalisation where a congress enters', () => {
  it('defaults the time zone once', () => {
    const { timeZone, ...withoutZone } = congress;
    expect(timeZone).toBe(TZ);
    expect(normaliseCongress(withoutZone).timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(createCongressState(withoutZone).congress.timeZone).toBe('Asia/Ho_Chi_Minh');
  });

  it('refuses a start date before today, in the congress time zone', () => {
    const today = '2027-07-01';
    const yesterday = provincialCongress('dh-x', addCalendarDays(today, -1));
    expect(congressIssues(yesterday, [], { now: NOW })).toEqual([
      { path: 'congress.startDate', message: 'must not be in the past (today is 2027-07-01)' },
    ]);
    expect(congressIssues(provincialCongress('dh-x', today), [], { now: NOW })).toEqual([]);
    // Without `now` (a congress already running), dates are only checked for shape.
    expect(congressIssues(yesterday, [])).toEqual([]);
  });

  it('refuses plans that wait on each other in a circle across units, naming the task that closes it', () => {
    const congress = provincialCongress('dh-vong', '2031-10-14');
    const propaganda = propagandaPlan();
    const security = securityPlan();
    // TT-01 waits on the security plan's AN-01, which waits on TT-01: neither could ever start.
    propaganda.tasks[0] = { ...propaganda.tasks[0], dependsOn: ['BPANTT:AN-01'] };
    security.tasks[0] = { ...security.tasks[0], dependsOn: ['BPTT:TT-01'] };
    const issues = congressIssues(congress, [propaganda, logisticsPlan(), security]);
    expect(issues).toEqual([
      {
        path: 'plans[0].tasks[0].dependsOn',
        message: 'dependency cycle across units: BPTT:TT-01 → BPANTT:AN-01 → BPTT:TT-01',
      },
    ]);
    // The same plans without the loop are fine.
    expect(congressIssues(congress, [propagandaPlan(), logisticsPlan(), securityPlan()])).toEqual([]);
  });

  it('refuses a plan added later that closes a circle with a running plan, its tasks added since included', () => {
    const congress = provincialCongress('dh-vong', '2031-10-14');
    const running = createPlanState(congress, propagandaPlan(), NOW);
    // Added while running: TT-09 waits on a task of a unit that has no plan yet.
    applyCommand(
      running,
      {
        type: 'addTask',
        actor: coordinator,
        reason: 'Bổ sung theo chỉ đạo của Tiểu ban',
        task: { ...propagandaPlan().tasks[3], id: 'TT-09', dependsOn: ['BPYT:YT-01'] },
      },
      NOW,
    );
    const medical = medicalPlan('BPTT:TT-09');
    expect(addedPlanCycleIssues([running], medical)).toEqual([
      {
        path: 'plan.tasks[0].dependsOn',
        message: 'dependency cycle across units: BPTT:TT-09 → BPYT:YT-01 → BPTT:TT-09',
      },
    ]);
    // Without the loop back it is fine; and once TT-09 is settled, nothing can be blocked by the circle.
    expect(addedPlanCycleIssues([running], { ...medical, tasks: [{ ...medical.tasks[0], dependsOn: [] }] })).toEqual(
      [],
    );
    applyCommand(running, { type: 'waiveTask', actor: coordinator, taskId: 'TT-09', reason: 'Không còn cần' }, NOW);
    expect(addedPlanCycleIssues([running], medical)).toEqual([]);
  });

  it('refuses a task added to a running plan that closes a circle, even one waiting only on its own plan', () => {
    const congress = provincialCongress('dh-vong', '2031-10-14');
    const propaganda = propagandaPlan();
    propaganda.tasks[3] = { ...propaganda.tasks[3], dependsOn: ['BPYT:YT-05'] };
    const medical = medicalPlan('BPTT:TT-04');
    const running = [createPlanState(congress, propaganda, NOW), createPlanState(congress, medical, NOW)];
    // YT-05 waits on YT-01 of its own plan, which waits on TT-04, which waits on YT-05.
    const task = { ...medical.tasks[0], id: 'YT-05', dependsOn: ['YT-01'] };
    const issues = addedTasksCycleIssues(running, 'BPYT', [{ task, path: 'task' }]);
    expect(issues).toEqual([{ path: 'task.dependsOn', message: expect.stringContaining('BPYT:YT-05') }]);
    expect(issues[0].message).toMatch(/^dependency cycle across units: /);
    expect(addedTasksCycleIssues(running, 'BPYT', [{ task: { ...task, dependsOn: [] }, path: 'task' }])).toEqual([]);
  });

  it('names every issue of a definition in one error: impossible dates, long strings, two plans for a unit', () => {
    const bad = { ...congress, startDate: '2027-02-30', name: 'Đ'.repeat(301) };
    const error = domainErrorOf(() => admitCongress(bad, [logisticsPlan(), logisticsPlan()], NOW));
    expect(error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['congress.startDate', 'congress.name', 'plans[1].unitCode']),
    );
  });

  it('limits every string of a definition (the limits of libs/domain/limits.ts)', () => {
    const plan = { ...propagandaPlan() };
    plan.scenarios = [{ ...plan.scenarios[0], description: 'x'.repeat(2001) }];
    expect(congressIssues(congress, [plan])).toEqual([
      { path: 'plans[0].scenarios[0].description', message: 'must be at most 2000 characters (got 2001)' },
    ]);
  });

  it('has one closing rule: 30 days (or closeAfter) after the start of the day after the congress', () => {
    expect(planClosesAt(congress, undefined)).toBe(instantAt('2027-10-17', 0, TZ) + 30 * DAY_MS);
    expect(planClosesAt(congress, '2d')).toBe(instantAt('2027-10-17', 0, TZ) + 2 * DAY_MS);
    const state = createPlanState(congress, propagandaPlan(), NOW);
    expect(state.closesAt).toBe(planClosesAt(congress, propagandaPlan().closeAfter));
  });
});

describe('preview of a move of congress day', () => {
  const planState = () => {
    const state = createPlanState(
      congress,
      { ...securityPlan(), approvalPolicy: { ...securityPlan().approvalPolicy } },
      NOW,
    );
    applyCommand(state, { type: 'completeTask', actor: coordinator, taskId: 'AN-03' }, NOW + DAY_MS);
    return state;
  };

  it('lists the tasks that would become overdue or late, and changes nothing', () => {
    const state = planState();
    const before = JSON.stringify(state);
    const preview = previewCongressDayMove(
      [state],
      { startDate: '2027-07-03', endDate: '2027-07-05' },
      NOW + 2 * DAY_MS,
    );
    expect(JSON.stringify(state)).toBe(before);
    const plan = preview.plans[0];
    expect(plan.unitCode).toBe('BPANTT');
    expect(plan.closes).toBe(false);
    // T-45d is past once congress day is two days away.
    expect(plan.becomeOverdue.map((t) => t.id)).toEqual(['AN-01']);
    expect(plan.deadlinesMoved).toBeGreaterThan(0);
    // The closing rule the preview reports is the one the engine applies to the plan when the move arrives.
    const moved = JSON.parse(JSON.stringify(state)) as typeof state;
    const move = { startDate: '2027-07-03', endDate: '2027-07-05' };
    applyCommand(moved, { type: 'moveCongressDay', actor: SYSTEM_ACTOR, reason: 'lùi', ...move }, NOW + 2 * DAY_MS);
    expect(plan.closesAt).toBe(new Date(moved.closesAt).toISOString());
    expect(preview.closingPlans).toEqual([]);
    expect(preview.requiresConfirmation).toBe(false);
  });

  it('lists the tasks that would likely be late: due within a week and far from done', () => {
    // Congress day on 8 July: AN-02 (T-3d) falls on 5 July, two days away, and is still waiting on HC-02.
    const preview = previewCongressDayMove(
      [planState()],
      { startDate: '2027-07-08', endDate: '2027-07-10' },
      NOW + 2 * DAY_MS,
    );
    expect(preview.plans[0].becomeAtRisk.map((t) => t.id)).toEqual(['AN-02']);
    expect(preview.plans[0].becomeOverdue.map((t) => t.id)).toEqual(['AN-01']);
  });

  it('says which plans would close, and that the move then needs confirmation', () => {
    const preview = previewCongressDayMove(
      [planState()],
      { startDate: '2027-05-01', endDate: '2027-05-03' },
      NOW + 2 * DAY_MS,
    );
    expect(preview.closingPlans).toEqual(['BPANTT']);
    expect(preview.plans[0].closes).toBe(true);
    expect(preview.requiresConfirmation).toBe(true);
    expect(preview.confirmationField).toBe('confirmClosingPlans');
  });
});

describe('what a person reads about a congress', () => {
  it('writes the current details and the summary report from the state', () => {
    const { state } = started([logisticsPlan(), securityPlan()]);
    planProgress(state, summary('BPHC', 'closed'));
    expect(congressDetails(state)).toBe(
      `**${congress.name}** — 14/10/2027 → 16/10/2027\n\n` +
        'Bộ phận hậu cần phục vụ: Đã kết thúc, 2/5 xong, 1 quá hạn\n\n' +
        'Bộ phận đảm bảo an ninh trật tự và an toàn: đang khởi động\n\n' +
        '_Số liệu theo lần báo cáo gần nhất của từng bộ phận (khi trạng thái, việc quá hạn, cấp cảnh báo hoặc ' +
        'phương án dự phòng thay đổi); số liệu hiện tại xem ở từng kế hoạch._',
    );
    const report = summaryReport(state);
    expect(report.units.map((u) => u.unitCode)).toEqual(['BPHC']);
    expect(report.markdown).toContain('| Bộ phận hậu cần phục vụ | Đã kết thúc | 2/5 | 1 |');
    expect(report.markdown).toContain('Tổng số nhiệm vụ hoàn thành: 2/5.');
  });

  it('names the decisions a unit waits for, and shows codes for a congress started before names were kept', () => {
    const { state } = started([logisticsPlan()]);
    planProgress(state, { ...summary('BPHC', 'awaiting_approval'), pendingApprovalGroups: ['apr-1', 'apr-2'] });
    expect(congressDetails(state)).toContain(
      'Bộ phận hậu cần phục vụ: Chờ Ban Thường vụ phê duyệt, 2/5 xong, 1 quá hạn, 2 việc chờ cho ý kiến',
    );
    delete state.unitNames;
    expect(congressDetails(state)).toContain('BPHC: Chờ Ban Thường vụ phê duyệt');
  });
});
