import { instantAt } from './calendar';
import { DAY_MS } from './duration';
import type { Effect, UnitPlanDefinition } from './model';
import { simulateCongress, simulatePlan, type SimulationEvent } from './simulation';
import { logisticsPlan, propagandaPlan, provincialCongress, securityPlan } from './templates';

const TZ = 'Asia/Ho_Chi_Minh';
const START = instantAt('2026-06-01', 8 * 60, TZ);
const congress = provincialCongress();

const notices = (events: SimulationEvent[], event?: string) =>
  events.filter(
    (e): e is SimulationEvent & { kind: 'effect'; effect: Extract<Effect, { kind: 'notify' }> } =>
      e.kind === 'effect' && e.effect.kind === 'notify' && (event === undefined || e.effect.event === event),
  );

function plan(): UnitPlanDefinition {
  return propagandaPlan();
}

describe('simulatePlan: a plan on a virtual clock through the engine', () => {
  const onTime = simulatePlan(congress, plan(), { start: START });

  it('goes from the draft through its approval to the closing, every task done on its deadline', () => {
    const [state] = onTime.states;
    expect(state.status).toBe('closed');
    expect(onTime.neverDone).toEqual([]);
    const kinds = onTime.events.map((e) =>
      e.kind === 'effect' ? `${e.effect.kind}:${'event' in e.effect ? e.effect.event : ''}` : e.kind,
    );
    // The draft goes to the Standing Committee when its comment window ends, and is approved at once.
    expect(kinds.indexOf('notify:approval-requested')).toBeLessThan(kinds.indexOf('approved'));
    expect(kinds).toContain('report:');
    const closing = onTime.events.find(
      (e) => e.kind === 'effect' && e.effect.kind === 'report' && e.effect.report === 'closing',
    );
    expect(closing?.at).toBe(state.closedAt);
    for (const completed of onTime.events.filter((e) => e.kind === 'completed')) {
      expect(completed.kind === 'completed' && completed.lateMs).toBe(0);
    }
    expect(notices(onTime.events, 'overdue')).toEqual([]);
    expect(notices(onTime.events, 'escalation')).toEqual([]);
  });

  it('sends each reminder before its deadline, to the task’s people', () => {
    const reminders = notices(onTime.events, 'reminder');
    expect(reminders.length).toBeGreaterThan(0);
    const [state] = onTime.states;
    for (const r of reminders) {
      const task = state.tasks[r.effect.taskId!];
      expect(r.at).toBeLessThan(task.completedAt!);
      // The assignee hears of it when the task names one (tasks without one reach only an agency head, if any).
      if (task.responsible) expect(r.effect.recipients.map((p) => p.id)).toContain(task.responsible);
    }
    expect(notices(onTime.events, 'check-in').length).toBeGreaterThan(0);
  });

  it('is deterministic, and events are in time order', () => {
    const again = simulatePlan(congress, plan(), { start: START });
    expect(again.events).toEqual(onTime.events);
    const times = onTime.events.map((e) => e.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('late by 8 days: every step of the ladder fires, up to the head, and completions are 8 days late', () => {
    const late = simulatePlan(congress, plan(), { start: START, lateDays: 8 });
    const [state] = late.states;
    const tt04 = notices(late.events)
      .filter((n) => n.effect.taskId === 'TT-04' && n.effect.level !== undefined)
      .map((n) => n.effect.level);
    expect(tt04).toEqual([1, 2, 3, 4]);
    const top = notices(late.events, 'escalation').find((n) => n.effect.taskId === 'TT-04' && n.effect.level === 4)!;
    expect(top.effect.recipients.map((p) => p.name)).toEqual([congress.people.head.name]);
    const done = late.events.find((e) => e.kind === 'completed' && e.taskId === 'TT-04');
    expect(done?.kind === 'completed' && done.lateMs).toBe(8 * DAY_MS);
    expect(state.tasks['TT-04'].completedAt! - state.tasks['TT-04'].deadline!).toBe(8 * DAY_MS);
  });

  it('a scenario requested at a date is approved through the engine, adds its tasks and suspends others', () => {
    const code = plan().scenarios[0].code;
    const at = instantAt('2026-09-01', 8 * 60, TZ);
    const run = simulatePlan(congress, plan(), { start: START, scenarios: [{ code, at }] });
    const [state] = run.states;
    expect(state.contingencies[code].activatedAt).toBe(at);
    expect(notices(run.events, 'contingency').map((n) => n.at)).toEqual([at]);
    const suspended = plan().scenarios[0].suspends;
    for (const id of suspended) expect(state.tasks[id].status).toBe('suspended');
    for (const task of plan().scenarios[0].tasks) expect(state.tasks[task.id].status).toBe('done');
    expect(run.neverDone).toEqual(suspended.map((id) => `BPTT:${id}`));
  });

  it('relays other units’ completions across a congress, so tasks waiting on them get done', () => {
    const plans = [propagandaPlan(), logisticsPlan(), securityPlan()];
    const external = plans.flatMap((p) => p.tasks.flatMap((t) => t.dependsOn ?? [])).filter((d) => d.includes(':'));
    expect(external.length).toBeGreaterThan(0);
    const run = simulateCongress(congress, plans, { start: START });
    expect(run.states.map((s) => s.status)).toEqual(['closed', 'closed', 'closed']);
    expect(run.neverDone).toEqual([]);
  });
});
