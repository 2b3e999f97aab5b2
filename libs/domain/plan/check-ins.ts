/**
 * Check-ins (giao ban): a progress report to the standing section at each monthly, quarterly or yearly date, and
 * one on demand for an extraordinary meeting (the regular dates stay as they are).
 */
import { MOMENT_LABELS, vi } from '../messages.vi';
import { SYSTEM_ACTOR, type PlanState } from '../model';
import { audit } from '../transitions';
import { nextPlanCheckIn, queue, scheduleContextOf } from './state';
import type { CommandHandlers, DueMoment } from './types';

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
  state.nextCheckInAt = nextPlanCheckIn(state.definition, scheduleContextOf(state), now);
}

export function due(state: PlanState): DueMoment[] {
  if (state.status !== 'active' || state.nextCheckInAt === undefined) return [];
  return [{ at: state.nextCheckInAt, what: 'check-in', label: MOMENT_LABELS.checkIn, fire: checkIn }];
}

export const checkInCommands: CommandHandlers<'checkInNow'> = {
  checkInNow: {
    reasonRequired: true,
    check() {},
    apply(state, command, now) {
      const tz = state.congress.timeZone;
      // The audit number keeps two check-ins asked within the same instant apart.
      const key = `check-in:${now}:${state.counters.audit + 1}`;
      queue(state, { kind: 'report', key, report: 'check-in', at: now });
      queue(state, {
        kind: 'notify',
        key: `check-in-notice:${now}:${state.counters.audit + 1}`,
        event: 'check-in',
        recipients: state.congress.people.standingSection ?? [],
        ...vi.extraordinaryCheckIn(state.definition.unitName, now, tz, command.reason ?? ''),
      });
      audit(
        state,
        {
          actor: command.actor,
          action: 'plan.check-in',
          reason: command.reason,
          details: { at: now, extraordinary: true },
        },
        now,
      );
      return { ok: true, status: 'check-in' };
    },
  },
};
