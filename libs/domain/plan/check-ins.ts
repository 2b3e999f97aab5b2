/** Check-ins (giao ban): a progress report to the standing section at each monthly, quarterly or yearly date. */
import { MOMENT_LABELS, vi } from '../messages.vi';
import { SYSTEM_ACTOR, type PlanState } from '../model';
import { nextCheckIn } from '../schedule';
import { audit } from '../transitions';
import { queue } from './state';
import type { DueMoment } from './types';

function checkIn(state: PlanState, now: number): void {
  const at = state.nextCheckInAt;
  if (state.status !== 'active' || at === undefined || now < at) return;
  const tz = state.congress.timeZone;
  queue(state, { kind: 'report', key: `check-in:${at}`, report: 'check-in', at });
  queue(state, {
    kind: 'notify',
    key: `check-in-notice:${at}`,
    event: 'check-in',
    recipients: state.congress.people.standingSection ?? [],
    ...vi.checkIn(state.definition.unitName, at, tz),
  });
  audit(state, { actor: SYSTEM_ACTOR, action: 'plan.check-in', details: { at } }, now);
  state.nextCheckInAt = nextCheckIn(now, state.definition.checkInCadence, tz);
}

export function due(state: PlanState): DueMoment[] {
  if (state.status !== 'active' || state.nextCheckInAt === undefined) return [];
  return [{ at: state.nextCheckInAt, what: 'check-in', label: MOMENT_LABELS.checkIn, fire: checkIn }];
}
