/**
 * The findings of issue 7 on the pure engine: each of these failed on the engine organised by processing step.
 */
import { domainErrorOf } from '../../../test/domain-error';
import { addCalendarDays, dayOfWeek, instantAt, localDateOf } from '../calendar';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../duration';
import { TEXT_LIMITS } from '../limits';
import type { Actor, Effect, PlanState, UnitPlanDefinition } from '../model';
import { congressEndInstant, congressStartInstant } from '../schedule';
import { propagandaPlan, provincialCongress } from '../templates';
import { archiveRecord } from './audit';
import { formatLocal, vi } from '../messages.vi';
import { advance, nextWakeAt, wakeSummary } from './clock';
import { currentDetails, progressReport } from './views';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_WINDOW_MS, idempotencyConflict } from '../idempotency';
import {
  PLAN_COMMAND_TYPES,
  PROCESSED_REQUESTS_KEPT,
  SYSTEM_COMMAND_TYPES,
  USER_COMMAND_TYPES,
  applyCommand,
  stateSize,
} from './commands';
import { createPlanState, jsonCopy, nextPlanCheckIn, scheduleContextOf } from './state';
import type { PlanCommand, PlanCommandType } from './types';

const TZ = 'Asia/Ho_Chi_Minh';
const START = instantAt('2026-07-01', 8 * 60, TZ);
const coordinator: Actor = { id: 'vptu-tt1', name: 'Lê Minh Thường trực', roles: ['coordinator'] };
const head: Actor = { id: 'tvchung', name: 'Trần Văn Chung', roles: ['admin'] };
const approver = (n: number): Actor => ({ id: `btv-${n}`, name: `Ủy viên ${n}`, roles: ['approver'] });

const NEW_RULES = {
  minimumResumeWindowMs: DAY_MS,
  auditKeptInState: 2000,
  commentsKeptInState: 30,
  relativeResumedDeadlines: true,
  idempotencyWindowMs: IDEMPOTENCY_WINDOW_MS,
  stateBudgetBytes: 1024 * 1024,
};

function runningPlan(edit: (plan: UnitPlanDefinition) => void = () => {}, start = START): PlanState {
  const plan = structuredClone(propagandaPlan());
  plan.approvalPolicy.planRequiresApproval = false;
  edit(plan);
  const state = createPlanState(provincialCongress(), plan, start);
  state.rules = { ...NEW_RULES };
  return state;
}

const notices = (state: PlanState) =>
  state.outbox.filter((e): e is Extract<Effect, { kind: 'notify' }> => e.kind === 'notify');

describe('one timing source', () => {
  it('a moment that came due while the workflow was busy is due now, never skipped', () => {
    const state = runningPlan();
    const deadline = state.tasks['TT-01'].deadline!;
    advance(state, deadline - HOUR_MS);
    // The loop was busy (delivering) across the deadline: the first ladder step is due at once.
    expect(nextWakeAt(state, deadline + 5 * MINUTE_MS)).toBe(deadline + 5 * MINUTE_MS);
  });

  it('closes as soon as every task is settled after the congress, even when that happened in between', () => {
    const state = runningPlan();
    const end = congressEndInstant(state.congress);
    advance(state, end + HOUR_MS);
    for (const id of state.taskOrder) {
      const task = state.tasks[id];
      if (task.status !== 'done' && task.status !== 'waived' && task.status !== 'cancelled') {
        applyCommand(
          state,
          { type: 'waiveTask', actor: coordinator, reason: 'không còn cần', taskId: id },
          end + HOUR_MS,
        );
      }
    }
    // Due now (not at the next check-in, days later).
    expect(nextWakeAt(state, end + 2 * HOUR_MS)).toBe(end + 2 * HOUR_MS);
    advance(state, end + 2 * HOUR_MS);
    expect(state.status).toBe('closed');
    expect(state.outbox.map((e) => e.key)).toEqual(expect.arrayContaining(['closing-report', 'archive']));
  });
});

describe('words from the audiences a step really notifies', () => {
  it('a custom ladder names its own audiences, not those of the default ladder at that position', () => {
    const state = runningPlan((plan) => {
      plan.escalationLadder = [
        { after: '0m', notify: ['head'] },
        { after: '1d', notify: ['assignee', 'unitLead'] },
      ];
    });
    const deadline = state.tasks['TT-01'].deadline!;
    advance(state, deadline + DAY_MS);
    const [first, second] = notices(state).filter((n) => n.taskId === 'TT-01' && n.level !== undefined);
    expect(first.text).toContain('Thông báo tới trưởng tiểu ban.');
    expect(first.recipients.map((p) => p.id)).toEqual(['tvchung']);
    expect(second.text).toContain('Thông báo tới người được giao và trưởng bộ phận.');
  });
});

describe('relative deadlines through contingencies', () => {
  it('a resumed task keeps following congress day', () => {
    const state = runningPlan((plan) => plan.scenarios[0].suspends.push('TT-04'));
    const before = state.tasks['TT-04'].deadline!;
    applyCommand(
      state,
      { type: 'activateContingencyEmergency', actor: head, reason: 'dịch', scenario: 'epidemic' },
      START + DAY_MS,
    );
    applyCommand(
      state,
      { type: 'deactivateContingency', actor: head, reason: 'hết dịch', scenario: 'epidemic' },
      START + 3 * DAY_MS,
    );
    const resumed = state.tasks['TT-04'].deadline!;
    expect(resumed).toBe(before + 2 * DAY_MS);
    applyCommand(
      state,
      {
        type: 'moveCongressDay',
        actor: coordinator,
        reason: 'dời Đại hội',
        startDate: addCalendarDays('2026-10-14', 7),
        endDate: addCalendarDays('2026-10-16', 7),
      },
      START + 4 * DAY_MS,
    );
    expect(state.tasks['TT-04'].deadline).toBe(resumed + 7 * DAY_MS);
  });
});

describe('plans that cannot be broken', () => {
  it('refuses a command that would push the state over its budget, naming the limit, and keeps working', () => {
    const state = runningPlan();
    state.rules!.stateBudgetBytes = stateSize(state) + 20_000;
    const text = 'Ý kiến góp ý rất dài '.repeat(200).slice(0, TEXT_LIMITS.commentText);
    let accepted = 0;
    let refusal;
    for (let i = 0; i < 100 && !refusal; i++) {
      try {
        applyCommand(state, { type: 'submitComment', actor: coordinator, text }, START + i * MINUTE_MS);
        accepted++;
      } catch (err) {
        refusal = err;
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refusal).toMatchObject({ code: 'STATE_BUDGET_EXCEEDED' });
    expect(String((refusal as Error).message)).toContain(`budget of ${state.rules!.stateBudgetBytes} bytes`);
    expect(stateSize(state)).toBeLessThanOrEqual(state.rules!.stateBudgetBytes!);
    // Still writable: a small command goes through.
    expect(
      applyCommand(state, { type: 'reportProgress', actor: coordinator, taskId: 'TT-03', progress: 10 }, START + DAY_MS)
        .ok,
    ).toBe(true);
  });

  it('refuses text beyond its limit with INVALID_INPUT naming the field', () => {
    const state = runningPlan();
    const err = domainErrorOf(() =>
      applyCommand(
        state,
        { type: 'submitComment', actor: coordinator, text: 'x'.repeat(TEXT_LIMITS.commentText + 1) },
        START,
      ),
    );
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.issues.map((i) => i.path)).toEqual(['text']);
    const plan = structuredClone(propagandaPlan());
    plan.unitNameEn = 'x'.repeat(900_000);
    plan.scenarios[0].description = 'y'.repeat(TEXT_LIMITS.description + 1);
    const invalid = domainErrorOf(() => createPlanState(provincialCongress(), plan, START));
    expect(invalid.issues.map((i) => i.path)).toEqual(['plan.unitNameEn', 'plan.scenarios[0].description']);
  });

  it('moves comments beyond the count to the archive', () => {
    const state = runningPlan();
    for (let i = 0; i < 80; i++)
      applyCommand(state, { type: 'submitComment', actor: coordinator, text: `Ý kiến ${i}` }, START + i);
    archiveRecord(state);
    expect(state.comments.length).toBeLessThan(40);
    expect(state.commentsArchived).toBe(80 - state.comments.length);
    const segments = state.outbox.filter((e) => e.kind === 'comment-segment');
    expect(segments.flatMap((e) => (e.kind === 'comment-segment' ? e.comments.map((c) => c.text) : []))).toEqual(
      Array.from({ length: state.commentsArchived! }, (_, i) => `Ý kiến ${i}`),
    );
  });

  it(`remembers request ids for a time window, not for the last ${PROCESSED_REQUESTS_KEPT} requests`, () => {
    const state = runningPlan();
    const first = applyCommand(
      state,
      { type: 'reportProgress', actor: coordinator, taskId: 'TT-03', progress: 5, requestId: 'k-0' },
      START,
    );
    for (let i = 1; i <= PROCESSED_REQUESTS_KEPT + 100; i++) {
      applyCommand(
        state,
        { type: 'reportProgress', actor: coordinator, taskId: 'TT-03', progress: 10, requestId: `k-${i}` },
        START + i * 1000,
      );
    }
    const retry = {
      type: 'reportProgress',
      actor: coordinator,
      taskId: 'TT-03',
      progress: 5,
      requestId: 'k-0',
    } as const;
    expect(applyCommand(state, retry, START + HOUR_MS)).toEqual({ ...first, replayed: true });
    // After the window the key is forgotten (and may be used again).
    expect(applyCommand(state, retry, START + IDEMPOTENCY_WINDOW_MS + HOUR_MS).replayed).toBeUndefined();
  });

  it('refuses a key reused for another request with the refusal a congress gives, naming the header', () => {
    const state = runningPlan();
    const complete = { type: 'completeTask', actor: coordinator, taskId: 'TT-03', requestId: 'k-reused' } as const;
    applyCommand(state, complete, START);
    const other = { ...complete, taskId: 'TT-04' };
    const refusal = domainErrorOf(() => applyCommand(state, other, START + 1000));
    expect(refusal.code).toBe('INVALID_TRANSITION');
    expect(refusal.message).toBe(idempotencyConflict('k-reused', 'completeTask').message);
    expect(refusal.issues).toEqual([
      { path: IDEMPOTENCY_KEY_HEADER, message: 'already used for a different request (completeTask)' },
    ]);
  });
});

/** A command of each type that the plan below accepts (all-or-nothing is checked on each). */
function validCommand(type: PlanCommandType, state: PlanState): PlanCommand {
  const task = 'TT-03';
  const reason = 'lý do';
  switch (type) {
    case 'reportProgress':
      return { type, actor: coordinator, taskId: task, progress: 30 };
    case 'completeTask':
      return { type, actor: coordinator, taskId: 'TT-01' };
    case 'addTask':
      return {
        type,
        actor: coordinator,
        reason,
        task: { id: 'TT-99', title: 'Mới', group: 'noi-dung', phase: 'before', leadAgency: 'BTG', due: 'T-5d' },
      };
    case 'editTask':
      return { type, actor: coordinator, reason, taskId: task, title: 'Tên mới' };
    case 'reassignTask':
      return { type, actor: coordinator, reason, taskId: task, leadAgency: 'BTG' };
    case 'reassignAgency':
      return { type, actor: coordinator, reason, fromAgency: 'BAO', toAgency: 'DPTTH' };
    case 'changeDeadline':
      return { type, actor: coordinator, reason, taskId: task, due: 'T-3d' };
    case 'waiveTask':
      return { type, actor: coordinator, reason, taskId: task };
    case 'acknowledgeEscalation':
      return { type, actor: coordinator, taskId: 'TT-01', holdFor: '1d' };
    case 'decide':
      return { type, actor: approver(1), approvalId: Object.keys(state.approvals)[0], decision: 'approve' };
    case 'submitComment':
      return { type, actor: coordinator, text: 'Ý kiến' };
    case 'submitPlanForApproval':
      return { type, actor: coordinator };
    case 'requestContingency':
      return { type, actor: coordinator, scenario: 'epidemic' };
    case 'activateContingencyEmergency':
      return { type, actor: head, reason, scenario: 'epidemic' };
    case 'deactivateContingency':
      return { type, actor: head, reason, scenario: 'epidemic' };
    case 'moveCongressDay':
      return { type, actor: coordinator, reason, startDate: '2026-10-21', endDate: '2026-10-23' };
    case 'externalTaskCompleted':
      return { type, actor: coordinator, ref: 'BPHC:HC-01', at: START };
    case 'watchTask':
      return { type, actor: coordinator, taskId: task };
    case 'congressContingency':
      return { type, actor: coordinator, reason, scenario: 'epidemic', active: true };
    case 'stopPlan':
      return { type, actor: coordinator, reason };
    case 'checkInNow':
      return { type, actor: coordinator, reason };
  }
}

describe('all or nothing', () => {
  it.each(PLAN_COMMAND_TYPES.map((t) => [t]))('a refused %s leaves the state exactly as it was', (type) => {
    const draft = type === 'submitPlanForApproval';
    const state = draft
      ? (() => {
          const s = createPlanState(provincialCongress(), structuredClone(propagandaPlan()), START);
          s.rules = { ...NEW_RULES };
          return s;
        })()
      : runningPlan();
    const at = state.tasks['TT-01'].deadline! + HOUR_MS;
    if (!draft) {
      advance(state, at);
      if (type === 'decide') applyCommand(state, { type: 'completeTask', actor: coordinator, taskId: 'TT-01' }, at);
      if (type === 'deactivateContingency') {
        applyCommand(
          state,
          { type: 'activateContingencyEmergency', actor: head, reason: 'dịch', scenario: 'epidemic' },
          at,
        );
      }
    }
    const command = validCommand(type, state);
    // Accepted on a copy: so the refusal below comes from the budget alone, after the command was applied.
    expect(applyCommand(jsonCopy(state), command, at).ok).toBe(true);
    state.rules!.stateBudgetBytes = stateSize(state);
    const before = jsonCopy(state);
    const err = domainErrorOf(() => applyCommand(state, command, at));
    expect(err.code).toBe('STATE_BUDGET_EXCEEDED');
    expect(state).toEqual(before);
  });
});

describe('system commands off the public surface', () => {
  it('only user commands are updates; the congress relays the others', () => {
    expect(SYSTEM_COMMAND_TYPES).toEqual([
      'moveCongressDay',
      'externalTaskCompleted',
      'watchTask',
      'congressContingency',
    ]);
    expect(USER_COMMAND_TYPES).not.toEqual(expect.arrayContaining(['moveCongressDay']));
    expect([...USER_COMMAND_TYPES, ...SYSTEM_COMMAND_TYPES].sort()).toEqual([...PLAN_COMMAND_TYPES].sort());
  });
});

describe('holidays by the workflow version that started the plan', () => {
  // Tết 2030 is on 2 February in Vietnam (lunar computation: holidays 1–5 February); the older table had
  // 3 February (holidays 2–6 February), so the working day before Thursday 7 February moves from the 1st to the 6th.
  const deadlineWith = (rules: PlanState['rules']) => {
    const plan = structuredClone(propagandaPlan());
    plan.approvalPolicy.planRequiresApproval = false;
    plan.tasks = [{ ...plan.tasks[0]!, id: 'TT-01', due: 'T-1wd', dependsOn: [] }];
    plan.scenarios = [];
    const state = createPlanState(provincialCongress('dh-2030', '2030-02-07'), plan, START, { rules });
    return localDateOf(state.tasks['TT-01'].deadline!, TZ);
  };

  it('a plan started before the lunar computation keeps the legacy table; one started since counts Tết 2030 right', () => {
    expect(deadlineWith({ ...NEW_RULES, legacyHolidayTable: true })).toBe('2030-02-01');
    expect(deadlineWith({ ...NEW_RULES })).toBe('2030-02-06');
  });
});

describe('what the Temporal UI shows of a plan, in Vietnamese and local time', () => {
  it("names what the plan's timer waits for and when, in the congress's time zone", () => {
    const state = runningPlan();
    const deadline = state.tasks['TT-01'].deadline!;
    advance(state, deadline - HOUR_MS);
    const summary = wakeSummary(state, deadline - HOUR_MS, deadline);
    expect(summary).toContain('Hạn TT-01');
    expect(summary.endsWith(` — ${formatLocal(deadline, TZ)}`)).toBe(true);
    expect(summary).toMatch(/ — \d\d:\d\d ngày \d\d\/\d\d\/\d{4}$/);
    expect(summary).not.toMatch(/next due|Z$/);
  });

  it('names at most three moments, then counts the rest', () => {
    const at = instantAt('2027-07-16', 17 * 60, TZ);
    expect(
      vi.wakeSummary(['Hạn TT-01', 'Hạn TT-02', 'Giao ban', 'Cảnh báo cấp 2 TT-03', 'Kết thúc kế hoạch'], at, TZ),
    ).toBe('Hạn TT-01, Hạn TT-02, Giao ban và 2 việc khác — 17:00 ngày 16/07/2027');
  });

  it('writes reports with the status in words, agencies and scenarios by their names', () => {
    const state = runningPlan();
    const task = state.tasks['TT-01'];
    const agency = state.definition.agencies.find((a) => a.code === task.leadAgency)!;
    const scenario = state.definition.scenarios[0]!;
    state.contingencies[scenario.code].status = 'active';
    const report = progressReport(state, task.deadline! + DAY_MS);
    const markdown = vi.reportMarkdown('Báo cáo', report, TZ);
    expect(markdown).toContain('trạng thái kế hoạch: Đang thực hiện');
    expect(markdown).toContain(
      `- TT-01 ${task.title} — hạn ${formatLocal(task.deadline!, TZ)}, chủ trì ${agency.name},`,
    );
    expect(markdown).toContain(`Phương án dự phòng đang áp dụng: ${scenario.name}.`);
    expect(agency.name).not.toBe(agency.code);
  });

  it('says status and phase in words and active contingencies by their names', () => {
    const state = runningPlan();
    const scenario = state.definition.scenarios[0]!;
    state.contingencies[scenario.code].status = 'active';
    const details = currentDetails(state, START);
    expect(details).toContain('Trạng thái: **Đang thực hiện** · Trước Đại hội');
    expect(details).toContain(`Phương án dự phòng đang áp dụng: ${scenario.name}`);
    expect(details).not.toMatch(/\b(active|before)\b/);
  });
});

describe('a check-in on demand', () => {
  it('files a check-in report and tells the standing section now, and keeps the regular dates', () => {
    const state = runningPlan();
    const regular = state.nextCheckInAt;
    const at = START + 3 * DAY_MS;
    const result = applyCommand(
      state,
      { type: 'checkInNow', actor: coordinator, reason: 'Họp Thường trực Tiểu ban đột xuất' },
      at,
    );
    expect(result).toEqual({ ok: true, status: 'check-in' });
    const report = state.outbox.find((e) => e.kind === 'report');
    expect(report).toMatchObject({ kind: 'report', report: 'check-in', at });
    const notice = notices(state).find((n) => n.event === 'check-in')!;
    expect(notice.subject).toBe(`[Giao ban đột xuất] ${state.definition.unitName} — ${formatLocal(at, TZ)}`);
    expect(notice.text).toContain('Họp Thường trực Tiểu ban đột xuất');
    expect(notice.recipients).toEqual(state.congress.people.standingSection);
    expect(state.nextCheckInAt).toBe(regular);
    expect(state.audit.at(-1)).toMatchObject({
      action: 'plan.check-in',
      actor: coordinator.id,
      details: { at, extraordinary: true },
    });
  });

  it('needs a reason, and refuses a closed plan', () => {
    const state = runningPlan();
    expect(domainErrorOf(() => applyCommand(state, { type: 'checkInNow', actor: coordinator }, START)).issues).toEqual([
      expect.objectContaining({ path: 'reason' }),
    ]);
    applyCommand(state, { type: 'stopPlan', actor: coordinator, reason: 'Dừng' }, START);
    expect(
      domainErrorOf(() => applyCommand(state, { type: 'checkInNow', actor: coordinator, reason: 'x' }, START + 1)).code,
    ).toBe('INVALID_TRANSITION');
  });
});

describe('weekly check-ins in the final weeks', () => {
  const checkInsUntilCongress = (state: PlanState) => {
    const ctx = scheduleContextOf(state);
    const congressDay = congressStartInstant(ctx);
    const dates: string[] = [];
    for (
      let at = state.nextCheckInAt;
      at !== undefined && at < congressDay;
      at = nextPlanCheckIn(state.definition, ctx, at)
    )
      dates.push(`${localDateOf(at, TZ)} ${formatLocal(at, TZ).slice(0, 5)}`);
    return dates;
  };

  it('adds a check-in every Monday at 08:00 in the last stretch before congress day, besides the monthly ones', () => {
    const state = runningPlan((plan) => (plan.weeklyCheckInsBefore = '28d'));
    const congressDate = state.congress.startDate;
    const windowStart = addCalendarDays(congressDate, -28);
    const expectedMondays = Array.from({ length: 28 }, (_, i) => addCalendarDays(windowStart, i)).filter(
      (d) => dayOfWeek(d) === 1 && d < congressDate,
    );
    const dates = checkInsUntilCongress(state);
    const inWindow = dates.filter((d) => d.slice(0, 10) >= windowStart);
    expect(inWindow.filter((d) => !d.slice(0, 10).endsWith('-01'))).toEqual(expectedMondays.map((d) => `${d} 08:00`));
    expect(expectedMondays).toHaveLength(4);
    // Before the stretch, only the cadence's first-of-month check-ins.
    expect(dates.filter((d) => d.slice(0, 10) < windowStart).every((d) => d.slice(8, 10) === '01')).toBe(true);
    const monthly = checkInsUntilCongress(runningPlan());
    expect(dates.filter((d) => d.slice(8, 10) === '01')).toEqual(monthly.filter((d) => d.slice(8, 10) === '01'));
  });

  it('moves the weekly check-ins with congress day', () => {
    const state = runningPlan((plan) => (plan.weeklyCheckInsBefore = '28d'));
    const later = addCalendarDays(state.congress.startDate, 70);
    const now = congressStartInstant(scheduleContextOf(state)) - 20 * DAY_MS;
    applyCommand(
      state,
      {
        type: 'moveCongressDay',
        actor: { id: 'system', name: 'tminus', roles: ['system'] },
        reason: 'lùi Đại hội',
        startDate: later,
        endDate: addCalendarDays(later, 2),
      },
      now,
    );
    // The last stretch now starts 28 days before the new date: the next check-in is the cadence's, not a Monday.
    expect(localDateOf(state.nextCheckInAt!, TZ).slice(8, 10)).toBe('01');
  });

  it('refuses a stretch that is not a duration, naming the field', () => {
    expect(() => runningPlan((plan) => (plan.weeklyCheckInsBefore = 'four weeks'))).toThrow(/weeklyCheckInsBefore/);
  });
});
