/**
 * The plan's clock: the one source of timing. Every capability says what it has due (`due`), `advance`
 * fires everything due at or before now, and `nextWakeAt` is the earliest moment still due. A moment
 * already past is due now: it is never skipped.
 */
import { vi } from '../messages.vi';
import type { PlanState } from '../model';
import * as approvals from './approvals';
import { archiveRecord } from './audit';
import * as checkIns from './check-ins';
import * as escalation from './escalation';
import { closingMoments, phaseDue } from './schedule';
import { isClosed } from './state';
import type { DueMoment } from './types';

/** What each capability has due; the order breaks ties between moments at the same instant (closing last). */
const CAPABILITIES: ReadonlyArray<(state: PlanState, now: number) => DueMoment[]> = [
  phaseDue,
  approvals.due,
  escalation.due,
  checkIns.due,
  closingMoments,
];

/** Passes of `advance` before it gives up (each pass fires every ready moment; one or two are the norm). */
const MAX_PASSES = 100;

/** Every moment the plan has due, in the past (due now) or the future. None once the plan is closed. */
export function dueMoments(state: PlanState, now: number): DueMoment[] {
  if (isClosed(state)) return [];
  return CAPABILITIES.flatMap((due) => due(state, now));
}

/**
 * Brings the plan up to `now`: everything due at or before it happens, once, in time order.
 * Returns true when anything changed.
 */
export function advance(state: PlanState, now: number): boolean {
  if (isClosed(state)) return false;
  const before = state.counters.audit + state.counters.effect;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const ready = dueMoments(state, now)
      .filter((m) => m.fire && m.at <= now)
      .sort((a, b) => a.at - b.at);
    if (ready.length === 0) break;
    for (const moment of ready) {
      if (isClosed(state)) break;
      moment.fire!(state, now);
    }
  }
  archiveRecord(state);
  return state.counters.audit + state.counters.effect !== before;
}

/**
 * The earliest moment anything is due, or undefined when nothing is scheduled. It is never before `now`:
 * a moment already past is due now.
 */
export function nextWakeAt(state: PlanState, now: number): number | undefined {
  let earliest: number | undefined;
  for (const moment of dueMoments(state, now)) {
    if (earliest === undefined || moment.at < earliest) earliest = moment.at;
  }
  return earliest === undefined ? undefined : Math.max(earliest, now);
}

/** The earliest moment strictly after `now` (how plans started before the one timing source woke up). */
export function nextWakeAfter(state: PlanState, now: number): number | undefined {
  let earliest: number | undefined;
  for (const moment of dueMoments(state, now)) {
    if (moment.at > now && (earliest === undefined || moment.at < earliest)) earliest = moment.at;
  }
  return earliest;
}

/** What a timer armed for `at` waits for, named for the Temporal UI in Vietnamese and local time. */
export function wakeSummary(state: PlanState, now: number, at: number): string {
  const due = dueMoments(state, now).filter((m) => Math.max(m.at, now) <= at);
  return vi.wakeSummary([...new Set(due.map((m) => m.label))], at, state.congress.timeZone);
}
