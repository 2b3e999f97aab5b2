/**
 * A dry run of a congress's plans on a virtual clock, through the engine's own pure functions: each plan's state
 * is created, the clock is advanced from one wake-up to the next exactly as the workflow's outbox loop does, and
 * the office's part is played by commands (each task completed at its deadline or a set number of days late,
 * every approval granted as soon as it opens, scenarios requested at given moments). What the plans emit — the
 * effects in their outboxes — is the result, in time order: nothing is re-derived here.
 */
import { DEFAULT_TIME_ZONE, addCalendarDays, instantAt, localDateOf } from './calendar';
import { DAY_MS, parseDuration } from './duration';
import { advance, applyCommand, createPlanState, isClosed, nextWakeAt, orderedTasks, peopleDirectory } from './engine';
import {
  SYSTEM_ACTOR,
  type Actor,
  type CongressDefinition,
  type Effect,
  type PlanState,
  type UnitPlanDefinition,
} from './model';
import { isActionable } from './transitions';
import type { TaskState } from './model';
import { isExternalRef, taskDependencies } from './validation';

export interface SimulationOptions {
  /** When the plans start (epoch ms). */
  start: number;
  /**
   * Every task is completed this many days after its deadline (0: on its deadline). A task still waiting on a
   * prerequisite then is completed as soon as it can be.
   */
  lateDays?: number;
  /** Scenarios requested by the unit's lead at these moments, in every plan that has the scenario. */
  scenarios?: Array<{ code: string; at: number }>;
  /** A guard against a plan that never closes: the most clock steps (default 100 000). */
  maxSteps?: number;
}

/** What happened, in time order: an effect a plan emitted, or a move the simulated office made. */
export type SimulationEvent =
  | { at: number; unitCode: string; kind: 'effect'; effect: Effect }
  | { at: number; unitCode: string; kind: 'completed'; taskId: string; title: string; lateMs: number }
  | { at: number; unitCode: string; kind: 'approved'; approvalId: string; title: string; by: string[] }
  | { at: number; unitCode: string; kind: 'scenario-requested'; scenario: string; by: string };

export interface SimulationResult {
  events: SimulationEvent[];
  /** The plans' states at the end (closed, unless the step guard stopped the run). */
  states: PlanState[];
  /** Tasks never completed (still waiting on something that never happened), as `UNIT:taskId`. */
  neverDone: string[];
}

/** Effects that are the engine's own plumbing (archive segments, relays), not something a person is told. */
const INTERNAL_EFFECTS: ReadonlySet<Effect['kind']> = new Set([
  'audit-segment',
  'comment-segment',
  'dependency-wanted',
  'task-completed',
]);

/** Task ids of each unit that another unit depends on (`UNIT:taskId`): their completion is relayed. */
function watchedTasks(plans: UnitPlanDefinition[]): Map<string, string[]> {
  const watched = new Map<string, Set<string>>();
  for (const plan of plans) {
    const tasks = [...plan.tasks, ...plan.scenarios.flatMap((s) => s.tasks)];
    for (const ref of tasks.flatMap((t) => taskDependencies(t)).filter(isExternalRef)) {
      const [unit, taskId] = ref.split(':');
      if (!watched.has(unit)) watched.set(unit, new Set());
      watched.get(unit)!.add(taskId);
    }
  }
  return new Map([...watched].map(([unit, ids]) => [unit, [...ids]]));
}

/** The deadline that counts: a task resumed after a contingency has its own. */
const deadlineOf = (task: TaskState) => task.resumedDeadline ?? task.deadline;

/** A task the office can complete now: the plan runs and the task is open (not blocked, suspended or waiting). */
const completable = (state: PlanState, task: TaskState) => state.status === 'active' && isActionable(task.status);

function actorOf(state: PlanState, id: string, role: string): Actor {
  return { id, name: peopleDirectory(state).get(id)?.name ?? id, roles: [role] };
}

/** Runs every plan of the congress from `options.start` until each has closed; pure and deterministic. */
export function simulateCongress(
  congress: CongressDefinition,
  plans: UnitPlanDefinition[],
  options: SimulationOptions,
): SimulationResult {
  const lateMs = (options.lateDays ?? 0) * DAY_MS;
  const watched = watchedTasks(plans);
  const states = plans.map((plan) =>
    createPlanState(congress, plan, options.start, { watchedTasks: watched.get(plan.unitCode) ?? [] }),
  );
  const events: SimulationEvent[] = [];
  const pendingScenarios = [...(options.scenarios ?? [])].sort((a, b) => a.at - b.at);
  const relays: Array<{ unitCode: string; ref: string; at: number }> = [];

  /** Takes the outbox's effects out (as the workflow does once they are delivered) and relays completions. */
  const drain = (state: PlanState, at: number) => {
    for (const effect of state.outbox) {
      if (effect.kind === 'task-completed') {
        const ref = `${state.definition.unitCode}:${effect.taskId}`;
        for (const other of states) {
          const wants = orderedTasks(other).some((t) => taskDependencies(t).includes(ref));
          if (other !== state && wants) relays.push({ unitCode: other.definition.unitCode, ref, at: effect.at });
        }
      }
      if (!INTERNAL_EFFECTS.has(effect.kind)) {
        events.push({ at, unitCode: state.definition.unitCode, kind: 'effect', effect });
      }
    }
    state.outbox = [];
  };

  /** Grants every pending approval at once: each approver in turn approves until the quorum is reached. */
  const approveAll = (state: PlanState, now: number) => {
    for (const approval of Object.values(state.approvals)) {
      if (approval.status !== 'pending') continue;
      const by: string[] = [];
      for (const id of approval.approvers) {
        if (state.approvals[approval.id].status !== 'pending') break;
        const actor = actorOf(state, id, 'approver');
        applyCommand(state, { type: 'decide', actor, approvalId: approval.id, decision: 'approve' }, now);
        by.push(actor.name);
      }
      events.push({
        at: now,
        unitCode: state.definition.unitCode,
        kind: 'approved',
        approvalId: approval.id,
        title: approval.title,
        by,
      });
      drain(state, now);
    }
  };

  const completionAt = (state: PlanState, taskId: string): number | undefined => {
    const deadline = deadlineOf(state.tasks[taskId]);
    return deadline === undefined ? undefined : deadline + lateMs;
  };

  /** The office's moves due at `now`: relays, scenario requests, completions; then every approval granted. */
  const act = (state: PlanState, now: number) => {
    const unitCode = state.definition.unitCode;
    for (const relay of relays.filter((r) => r.unitCode === unitCode && r.at <= now)) {
      relays.splice(relays.indexOf(relay), 1);
      applyCommand(state, { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref: relay.ref, at: relay.at }, now);
    }
    for (const request of pendingScenarios.filter((s) => s.at <= now)) {
      if (state.contingencies[request.code]?.status !== 'inactive' || state.status !== 'active') continue;
      const actor = actorOf(state, state.definition.unitLead, 'coordinator');
      applyCommand(state, { type: 'requestContingency', actor, scenario: request.code }, now);
      events.push({ at: now, unitCode, kind: 'scenario-requested', scenario: request.code, by: actor.name });
    }
    drain(state, now);
    approveAll(state, now);
    // Completing one task may open the next (its prerequisite done): repeat until nothing more is due now.
    for (let changed = true; changed && !isClosed(state); ) {
      changed = false;
      for (const task of orderedTasks(state)) {
        const at = completionAt(state, task.id);
        if (!completable(state, task) || at === undefined || at > now) continue;
        const actor = actorOf(state, task.responsible ?? state.definition.unitLead, 'coordinator');
        applyCommand(state, { type: 'completeTask', actor, taskId: task.id }, now);
        events.push({
          at: now,
          unitCode,
          kind: 'completed',
          taskId: task.id,
          title: task.title,
          lateMs: Math.max(0, now - (deadlineOf(task) ?? now)),
        });
        drain(state, now);
        approveAll(state, now);
        changed = true;
      }
    }
  };

  /** The earliest moment anything happens next in any plan, or undefined when every plan is done. */
  const nextMoment = (now: number): number | undefined => {
    const candidates: number[] = [];
    for (const state of states) {
      if (isClosed(state)) continue;
      const wake = nextWakeAt(state, now);
      if (wake !== undefined) candidates.push(wake);
      for (const task of orderedTasks(state)) {
        const at = completionAt(state, task.id);
        if (at !== undefined && completable(state, task)) candidates.push(Math.max(at, now));
      }
    }
    candidates.push(...pendingScenarios.map((s) => Math.max(s.at, now)), ...relays.map((r) => Math.max(r.at, now)));
    return candidates.length > 0 ? Math.min(...candidates) : undefined;
  };

  let now = options.start;
  for (const state of states) {
    drain(state, now);
    advance(state, now);
    drain(state, now);
  }
  const maxSteps = options.maxSteps ?? 100_000;
  for (let step = 0; step < maxSteps; step++) {
    const at = nextMoment(now);
    if (at === undefined) break;
    now = at;
    // The office acts first: a task done on its deadline is done before the deadline's escalation would fire.
    for (const state of states) if (!isClosed(state)) act(state, now);
    for (let i = pendingScenarios.length - 1; i >= 0; i--)
      if (pendingScenarios[i].at <= now) pendingScenarios.splice(i, 1);
    for (const state of states) {
      advance(state, now);
      drain(state, now);
      if (!isClosed(state)) approveAll(state, now);
    }
    for (let i = relays.length - 1; i >= 0; i--) {
      const target = states.find((s) => s.definition.unitCode === relays[i].unitCode);
      if (!target || isClosed(target)) relays.splice(i, 1);
    }
  }
  const neverDone = states.flatMap((s) =>
    orderedTasks(s)
      .filter((t) => t.status !== 'done' && t.status !== 'cancelled' && t.status !== 'waived')
      .map((t) => `${s.definition.unitCode}:${t.id}`),
  );
  return { events: events.sort((a, b) => a.at - b.at), states, neverDone };
}

/** A plan's state on the congress's day, started long before it (two years): only its deadlines are read. */
export function planningState(congress: CongressDefinition, plan: UnitPlanDefinition): PlanState {
  const timeZone = congress.timeZone ?? DEFAULT_TIME_ZONE;
  return createPlanState(congress, plan, instantAt(addCalendarDays(congress.startDate, -730), 8 * 60, timeZone));
}

/**
 * When a simulation starts unless told: a week before the first reminder of the earliest deadline, at 08:00
 * local, so that every reminder has its chance.
 */
export function defaultSimulationStart(congress: CongressDefinition, plans: UnitPlanDefinition[]): number {
  const timeZone = congress.timeZone ?? DEFAULT_TIME_ZONE;
  let earliest = instantAt(congress.startDate, 0, timeZone);
  for (const plan of plans) {
    const state = planningState(congress, plan);
    const longestReminder = Math.max(0, ...plan.reminders.map((r) => parseDuration(r)));
    for (const task of Object.values(state.tasks)) {
      if (task.deadline !== undefined) earliest = Math.min(earliest, task.deadline - longestReminder);
    }
  }
  return instantAt(localDateOf(earliest - 7 * DAY_MS, timeZone), 8 * 60, timeZone);
}

/** One plan on its own (tasks that wait on another unit's task wait for ever). */
export function simulatePlan(
  congress: CongressDefinition,
  plan: UnitPlanDefinition,
  options: SimulationOptions,
): SimulationResult {
  return simulateCongress(congress, [plan], options);
}
