import { instantAt } from './calendar';
import { DomainError } from './errors';
import { createPlanState } from './engine';
import { TASK_STATUSES, TERMINAL_TASK_STATUSES, type Actor, type PlanState, type TaskStatus } from './model';
import { provincialCongress, securityPlan } from './templates';
import {
  TASK_TRANSITIONS,
  assertTransition,
  audit,
  canTransition,
  isActionable,
  isTerminal,
  transitionTask,
} from './transitions';

const NON_TERMINAL = TASK_STATUSES.filter((s) => !TERMINAL_TASK_STATUSES.includes(s));
const START = instantAt('2026-07-01', 8 * 60, 'Asia/Ho_Chi_Minh');
const officer: Actor = { id: 'tldoai', name: 'Trần Lê Đoài', roles: ['coordinator'] };

/** A running security plan: AN-01 and AN-03 are open, AN-02 waits on another unit's task. */
function newState(): PlanState {
  return createPlanState(structuredClone(provincialCongress()), structuredClone(securityPlan()), START);
}

describe('the transition table', () => {
  it('has an entry for every status and names only known statuses', () => {
    expect(Object.keys(TASK_TRANSITIONS).sort()).toEqual([...TASK_STATUSES].sort());
    for (const targets of Object.values(TASK_TRANSITIONS)) {
      for (const to of targets) expect(TASK_STATUSES).toContain(to);
    }
  });

  it('gives terminal statuses (done, cancelled, waived) no way out', () => {
    for (const status of TERMINAL_TASK_STATUSES) {
      expect(TASK_TRANSITIONS[status]).toEqual([]);
      expect(isTerminal(status)).toBe(true);
    }
    expect(NON_TERMINAL.filter(isTerminal)).toEqual([]);
  });

  it.each(NON_TERMINAL)('lets %s be waived, cancelled or suspended', (status) => {
    expect(canTransition(status, 'waived')).toBe(true);
    expect(canTransition(status, 'cancelled')).toBe(true);
    if (status !== 'suspended') expect(canTransition(status, 'suspended')).toBe(true);
  });

  it('never moves a status to itself', () => {
    for (const status of TASK_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('lets a suspended task return to any non-terminal status it may have had', () => {
    for (const status of NON_TERMINAL.filter((s) => s !== 'suspended')) {
      expect(canTransition('suspended', status)).toBe(true);
    }
  });

  it.each<[TaskStatus, TaskStatus, boolean]>([
    ['blocked', 'open', true],
    ['blocked', 'done', false],
    ['blocked', 'in_progress', false],
    ['open', 'done', true],
    ['open', 'awaiting_approval', true],
    ['open', 'reopened', false],
    ['awaiting_approval', 'done', true],
    ['awaiting_approval', 'reopened', true],
    ['awaiting_approval', 'in_progress', false],
    ['reopened', 'blocked', false],
    ['done', 'open', false],
    ['cancelled', 'open', false],
    ['waived', 'done', false],
  ])('%s → %s is %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('calls open, in_progress and reopened actionable, and nothing else', () => {
    expect(TASK_STATUSES.filter(isActionable)).toEqual(['open', 'in_progress', 'reopened']);
  });
});

describe('transitionTask', () => {
  it('moves the task and records actor, time, reason and the previous status', () => {
    const state = newState();
    const task = state.tasks['AN-01'];
    const seq = state.counters.audit;
    const at = START + 3_600_000;

    transitionTask(state, task, 'in_progress', officer, at, 'bắt đầu xây dựng phương án');

    expect(task.status).toBe('in_progress');
    expect(state.counters.audit).toBe(seq + 1);
    expect(state.audit[state.audit.length - 1]).toEqual({
      seq: seq + 1,
      at,
      actor: 'tldoai',
      action: 'task.in_progress',
      target: 'AN-01',
      reason: 'bắt đầu xây dựng phương án',
      details: { from: 'open' },
    });
  });

  it('leaves the reason out of the audit entry when none is given', () => {
    const state = newState();
    transitionTask(state, state.tasks['AN-03'], 'suspended', officer, START);
    const entry = state.audit[state.audit.length - 1];
    expect(entry.action).toBe('task.suspended');
    expect('reason' in entry).toBe(false);
  });

  it('sets completedAt and 100% progress when the task is done', () => {
    const state = newState();
    const task = state.tasks['AN-03'];
    task.progress = 40;
    transitionTask(state, task, 'done', officer, START + 10);
    expect(task.status).toBe('done');
    expect(task.completedAt).toBe(START + 10);
    expect(task.progress).toBe(100);
  });

  it('keeps progress and completedAt for non-done moves', () => {
    const state = newState();
    const task = state.tasks['AN-03'];
    task.progress = 40;
    transitionTask(state, task, 'in_progress', officer, START + 10);
    expect(task.progress).toBe(40);
    expect(task.completedAt).toBeUndefined();
  });

  it.each<TaskStatus>(['done', 'cancelled', 'waived'])('clears the escalation when the task becomes %s', (to) => {
    const state = newState();
    const task = state.tasks['AN-03'];
    task.escalation = { episodeDeadline: START, firedSteps: [0, 1] };
    transitionTask(state, task, to, officer, START + 10, 'settled');
    expect(task.escalation).toBeUndefined();
  });

  it('keeps the escalation on a non-terminal move', () => {
    const state = newState();
    const task = state.tasks['AN-03'];
    task.escalation = { episodeDeadline: START, firedSteps: [0] };
    transitionTask(state, task, 'in_progress', officer, START + 10);
    expect(task.escalation).toEqual({ episodeDeadline: START, firedSteps: [0] });
  });

  it('throws INVALID_TRANSITION for a forbidden move and changes nothing', () => {
    const state = newState();
    const task = state.tasks['AN-02'];
    expect(task.status).toBe('blocked');
    const before = structuredClone(state);

    let error: unknown;
    try {
      transitionTask(state, task, 'done', officer, START + 10, 'xong');
    } catch (err) {
      error = err;
    }

    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_TRANSITION');
    expect((error as DomainError).message).toBe('task AN-02 is blocked and cannot become done');
    expect(state).toEqual(before);
  });

  it('refuses to move a terminal task anywhere', () => {
    const state = newState();
    const task = state.tasks['AN-03'];
    transitionTask(state, task, 'waived', officer, START, 'không cần');
    const auditLength = state.audit.length;
    for (const to of TASK_STATUSES) {
      expect(() => transitionTask(state, task, to, officer, START + 1)).toThrow(DomainError);
    }
    expect(task.status).toBe('waived');
    expect(state.audit).toHaveLength(auditLength);
  });
});

describe('assertTransition', () => {
  it('passes silently for an allowed move and leaves the task as it was', () => {
    const state = newState();
    const task = state.tasks['AN-01'];
    expect(() => assertTransition(task, 'done')).not.toThrow();
    expect(task.status).toBe('open');
  });

  it('throws a DomainError with code INVALID_TRANSITION otherwise', () => {
    const state = newState();
    expect(() => assertTransition(state.tasks['AN-01'], 'reopened')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
  });
});

describe('audit', () => {
  it('numbers entries and omits absent fields', () => {
    const state = newState();
    const seq = state.counters.audit;
    const entry = audit(state, { actor: officer, action: 'plan.commented' }, START + 5);
    expect(entry).toEqual({ seq: seq + 1, at: START + 5, actor: 'tldoai', action: 'plan.commented' });
    expect(state.audit[state.audit.length - 1]).toBe(entry);
    const next = audit(state, { actor: officer, action: 'x', target: 'AN-01', details: { a: 1 } }, START + 6);
    expect(next.seq).toBe(seq + 2);
    expect(next).toMatchObject({ target: 'AN-01', details: { a: 1 } });
  });
});
