/**
 * The congress's own logic, as deterministic functions of its state: which plans depend on which (subscribers
 * and the watch lists derived from them), what to relay to which plan, and the congress-wide commands (move
 * congress day, contingencies, a plan added later). Functions change the state in place and return the relays
 * the workflow must send; checks throw a DomainError and change nothing.
 */
import { DomainError, invalidInput, type ValidationIssue } from '../errors';
import { SYSTEM_ACTOR, type Actor, type CongressDefinition, type UnitPlanDefinition } from '../model';
import { congressEndInstant } from '../schedule';
import { isExternalRef, validateCongress, validatePlan } from '../validation';
import type { PlanSummary } from '../views';
import type { CongressHistoryEntry, CongressRelay, CongressState } from './model';
import { TEXT_LIMITS, textTooLong } from '../limits';
import { normaliseCongress } from './normalise';

export function createCongressState(congress: CongressDefinition): CongressState {
  return {
    congress: normaliseCongress(congress),
    units: [],
    progress: {},
    finished: {},
    completions: {},
    subscribers: {},
    activeContingencies: [],
    history: [],
    summaryReportWritten: false,
    watched: {},
    processedRequests: [],
  };
}

/** Plans started and not finished: those a congress-wide command reaches. */
export function liveUnits(state: CongressState): string[] {
  return state.units.filter((u) => state.finished[u] === undefined);
}

export function record(state: CongressState, entry: Omit<CongressHistoryEntry, 'at'>, now: number): void {
  state.history.push({ at: now, ...entry });
}

/** Every `UNIT:taskId` a plan depends on, its scenarios' tasks included, in definition order. */
export function externalDependencies(plan: UnitPlanDefinition): string[] {
  const refs = new Set<string>();
  for (const task of [...plan.tasks, ...plan.scenarios.flatMap((s) => s.tasks)]) {
    for (const dep of task.dependsOn ?? []) if (isExternalRef(dep)) refs.add(dep);
  }
  return [...refs];
}

function ownerOf(ref: string): { owner: string; taskId: string } {
  const at = ref.indexOf(':');
  return { owner: ref.slice(0, at), taskId: ref.slice(at + 1) };
}

/** Task ids of `unitCode` that other plans depend on: its watch list, derived from the subscribers. */
export function watchListOf(state: CongressState, unitCode: string): string[] {
  return Object.keys(state.subscribers)
    .filter((ref) => (state.subscribers[ref] ?? []).length > 0 && ownerOf(ref).owner === unitCode)
    .map((ref) => ownerOf(ref).taskId);
}

function addSubscriber(state: CongressState, ref: string, unitCode: string): void {
  const subscribers = (state.subscribers[ref] ??= []);
  if (!subscribers.includes(unitCode)) subscribers.push(unitCode);
}

function relayCompletion(unitCode: string, ref: string, at: number): CongressRelay {
  return { unitCode, command: { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref, at } };
}

/**
 * Tells the owner of `ref`, if it is running, to announce that task's completion — once per task. A completion
 * already known goes to `unitCode` instead.
 */
function watchRelays(state: CongressState, unitCode: string, ref: string): CongressRelay[] {
  const at = state.completions[ref];
  if (at !== undefined) return [relayCompletion(unitCode, ref, at)];
  const { owner, taskId } = ownerOf(ref);
  if (!liveUnits(state).includes(owner)) return [];
  const watched = ((state.watched ??= {})[owner] ??= []);
  if (watched.includes(taskId)) return [];
  watched.push(taskId);
  return [{ unitCode: owner, command: { type: 'watchTask', actor: SYSTEM_ACTOR, taskId } }];
}

/**
 * Registers the plans about to start: each becomes a subscriber of the tasks it depends on. Call it for the
 * initial plans together, before any starts, so that each one's watch list holds every dependency among them.
 * Returns the relays for plans already running (a plan added later that depends on them): the owners are told
 * to announce those tasks, and completions already known go to the new plan once it has started.
 */
export function registerPlans(state: CongressState, plans: UnitPlanDefinition[]): CongressRelay[] {
  const relays: CongressRelay[] = [];
  for (const plan of plans) {
    state.unitNames = { ...state.unitNames, [plan.unitCode]: plan.unitName };
    for (const ref of externalDependencies(plan)) {
      addSubscriber(state, ref, plan.unitCode);
      relays.push(...watchRelays(state, plan.unitCode, ref));
    }
  }
  return relays;
}

/**
 * Records that a plan started with `watchList` (computed when its start began). Returns the relays for tasks
 * other plans subscribed to meanwhile (a plan added while this one was starting): the plan is told to watch them.
 */
export function planStarted(state: CongressState, unitCode: string, watchList: string[]): CongressRelay[] {
  if (!state.units.includes(unitCode)) state.units.push(unitCode);
  const watched = ((state.watched ??= {})[unitCode] ??= []);
  for (const taskId of watchList) if (!watched.includes(taskId)) watched.push(taskId);
  const relays: CongressRelay[] = [];
  for (const taskId of watchListOf(state, unitCode)) {
    if (watched.includes(taskId)) continue;
    watched.push(taskId);
    relays.push({ unitCode, command: { type: 'watchTask', actor: SYSTEM_ACTOR, taskId } });
  }
  return relays;
}

/** A plan added a task that depends on `ref` while running. */
export function dependencyWanted(state: CongressState, unitCode: string, ref: string): CongressRelay[] {
  addSubscriber(state, ref, unitCode);
  const at = state.completions[ref];
  if (at !== undefined) return [relayCompletion(unitCode, ref, at)];
  const { owner, taskId } = ownerOf(ref);
  if (!state.units.includes(owner)) return [];
  const watched = ((state.watched ??= {})[owner] ??= []);
  if (!watched.includes(taskId)) watched.push(taskId);
  // Told again even when already watched: the owner answers with the completion if the task is done.
  return [{ unitCode: owner, command: { type: 'watchTask', actor: SYSTEM_ACTOR, taskId } }];
}

/** A plan announced a watched task's completion: every subscriber hears of it, once. */
export function taskCompleted(state: CongressState, unitCode: string, taskId: string, at: number): CongressRelay[] {
  const ref = `${unitCode}:${taskId}`;
  if (state.completions[ref] !== undefined) return [];
  state.completions[ref] = at;
  return (state.subscribers[ref] ?? []).map((subscriber) => relayCompletion(subscriber, ref, at));
}

/**
 * What a plan reports to its congress about: it signals again only when one of these changes. Its status (the
 * congress waits for every plan to finish, and sums up at the end), phase and task count; its overdue tasks and
 * escalation (the congress's overdue figure, which ops filter on); its contingencies. The done count rides along
 * with each report: a completion alone is not worth a signal and a workflow task on each side, since readers of
 * the congress view get live figures from the plans themselves.
 */
export function progressReportKey(summary: PlanSummary): string {
  const { status, phase, total, overdueCount, highestEscalationLevel, activeContingencies } = summary;
  return JSON.stringify([status, phase, total, overdueCount, highestEscalationLevel, activeContingencies]);
}

/** The congress's own search attribute values: its status, its active contingencies, its plans' overdue tasks. */
export function congressAttributeValues(state: CongressState): {
  status: 'active' | 'closed';
  contingency: string | null;
  overdueCount: number;
} {
  return {
    status: state.units.length > 0 && liveUnits(state).length === 0 ? 'closed' : 'active',
    contingency: state.activeContingencies.length > 0 ? state.activeContingencies.join(',') : null,
    overdueCount: Object.values(state.progress).reduce((n, p) => n + p.overdueCount, 0),
  };
}

export function planProgress(state: CongressState, summary: PlanSummary): void {
  state.progress[summary.unitCode] = summary;
  if (summary.status === 'closed' || summary.status === 'stopped') state.finished[summary.unitCode] = summary.status;
}

/** Whether every plan has finished: then the congress writes its summary report and ends. */
export function allPlansFinished(state: CongressState, pendingPlans: number): boolean {
  return state.units.length > 0 && liveUnits(state).length === 0 && pendingPlans === 0;
}

// ---------------------------------------------------------------------------------------------------------
// Commands

export interface CongressDayMove {
  startDate: string;
  endDate: string;
  reason: string;
  /** Required when the move would close plans (see `moveClosesPlans`). */
  confirmClosingPlans?: boolean;
}

/** The field a move must set to close plans. */
export const CONFIRM_CLOSING_FIELD = 'confirmClosingPlans';

function requireReason(reason: string | undefined, issues: ValidationIssue[] = []): void {
  if (!reason?.trim()) issues.push({ path: 'reason', message: 'is required for changes to the plan' });
  else issues.push(...textTooLong(reason, TEXT_LIMITS.reason, 'reason'));
  if (issues.length > 0) throw invalidInput(issues);
}

/**
 * Whether moving congress day to these dates closes plans at `now`: a plan closes once the congress has ended
 * and its tasks are settled, or its closing window has passed — both need the new last day to be over.
 */
export function moveClosesPlans(state: CongressState, move: Pick<CongressDayMove, 'endDate'>, now: number): boolean {
  return liveUnits(state).length > 0 && congressOverBy(move.endDate, normaliseCongress(state.congress).timeZone, now);
}

/** Whether a congress ending on `endDate` is over at `now`. */
export function congressOverBy(endDate: string, timeZone: string, now: number): boolean {
  return congressEndInstant({ endDate, timeZone }) <= now;
}

export function checkMove(state: CongressState, move: CongressDayMove, now: number): void {
  const issues = validateCongress({ ...state.congress, startDate: move.startDate, endDate: move.endDate })
    .filter((i) => i.path.endsWith('Date'))
    .map((i) => ({ ...i, path: i.path.replace('congress.', '') }));
  requireReason(move.reason, issues);
  if (moveClosesPlans(state, move, now) && move.confirmClosingPlans !== true) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `moving congress day to ${move.startDate} → ${move.endDate} would close ${liveUnits(state).length} running plan(s) at once: ` +
        `preview it (GET …/congress-day/preview?startDate=…&endDate=…), then send ${CONFIRM_CLOSING_FIELD}: true to confirm`,
      [{ path: CONFIRM_CLOSING_FIELD, message: 'must be true to move congress day so that plans close' }],
    );
  }
}

export function applyMove(
  state: CongressState,
  move: CongressDayMove,
  actor: Actor,
  now: number,
): { result: { ok: true; plans: number }; relays: CongressRelay[] } {
  const { startDate, endDate, reason } = move;
  state.congress = { ...state.congress, startDate, endDate };
  record(state, { actor: actor.id, action: 'congress.moved', reason, details: { startDate, endDate } }, now);
  const units = liveUnits(state);
  return {
    result: { ok: true, plans: units.length },
    relays: units.map((unitCode) => ({
      unitCode,
      command: { type: 'moveCongressDay', actor, reason, startDate, endDate },
    })),
  };
}

export function checkContingency(state: CongressState, scenario: string, reason: string, active: boolean): void {
  requireReason(reason);
  if (active && state.activeContingencies.includes(scenario)) {
    throw new DomainError('INVALID_TRANSITION', `contingency ${scenario} is already active`);
  }
  if (!active && !state.activeContingencies.includes(scenario)) {
    throw new DomainError('INVALID_TRANSITION', `contingency ${scenario} is not active`);
  }
}

export function applyContingency(
  state: CongressState,
  scenario: string,
  reason: string,
  active: boolean,
  actor: Actor,
  now: number,
): { result: { ok: true; plans: string[] }; relays: CongressRelay[] } {
  state.activeContingencies = active
    ? [...state.activeContingencies, scenario]
    : state.activeContingencies.filter((c) => c !== scenario);
  record(
    state,
    {
      actor: actor.id,
      action: active ? 'contingency.activated' : 'contingency.deactivated',
      reason,
      details: { scenario },
    },
    now,
  );
  const units = liveUnits(state);
  return {
    result: { ok: true, plans: units },
    relays: units.map((unitCode) => ({
      unitCode,
      command: { type: 'congressContingency', actor, reason, scenario, active },
    })),
  };
}

export function checkAddPlan(state: CongressState, plan: UnitPlanDefinition, pendingUnits: string[]): void {
  if (state.units.includes(plan?.unitCode) || pendingUnits.includes(plan?.unitCode)) {
    throw new DomainError('INVALID_TRANSITION', `unit ${plan.unitCode} already has a plan`);
  }
  const issues = validatePlan(plan, state.congress);
  if (issues.length > 0) throw invalidInput(issues);
}
