/**
 * Calendar feeds (ical-generator): a plan's deadlines with their reminders as alarms, its check-in meetings
 * and the congress days, for one unit, one person or one agency. Events keep their UID for ever and carry a
 * SEQUENCE derived from the plan's audit log, so that calendar apps update an event instead of duplicating it.
 */
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import {
  addCalendarDays,
  orderedTasks,
  parseDuration,
  taskDependencies,
  type AuditEntry,
  type PlanState,
  type TaskState,
} from '../domain';
import { HOUR_MS, MINUTE_MS } from '../domain/duration';
import { effectiveDeadline, nameBook, reportingCategory } from './task-rows';
import { durationWords, REPORTING_CATEGORY_WORDS, TASK_STATUS_WORDS } from './words.vi';

export const ICS_CONTENT_TYPE = 'text/calendar; charset=utf-8';

export type FeedScope =
  | { kind: 'unit'; congressId: string; unitCode: string }
  | { kind: 'person'; congressId: string; personId: string }
  | { kind: 'agency'; congressId: string; agencyCode: string };

/** How long a deadline event lasts in the calendar (it ends at the deadline). */
const DEADLINE_EVENT_MS = 30 * MINUTE_MS;
const CHECK_IN_MS = 2 * HOUR_MS;
/** Plan-wide audit entries that change nothing a calendar shows. */
const NOT_SHOWN = new Set(['plan.commented', 'plan.check-in', 'approval.requested', 'approval.escalated']);

/**
 * The revision of what an event shows: the `seq` of the latest audit entry that may have changed it. When the
 * entries that matter were archived out of the state, the last archived seq stands in (never lower than the
 * true one), so the number only ever grows — what RFC 5545 asks of SEQUENCE.
 */
export function revisionOf(state: PlanState, matters: (entry: AuditEntry) => boolean): number {
  for (let i = state.audit.length - 1; i >= 0; i--) if (matters(state.audit[i])) return state.audit[i].seq;
  const firstKept = state.audit[0]?.seq ?? state.counters.audit + 1;
  return Math.max(0, firstKept - 1);
}

/** An entry changes a task's event when it is about the task, a prerequisite, or the whole plan. */
export function taskEventSequence(state: PlanState, task: TaskState): number {
  const related = new Set([task.id, ...taskDependencies(task)]);
  return revisionOf(
    state,
    (e) =>
      (e.target !== undefined && related.has(e.target)) ||
      e.action.startsWith('contingency.') ||
      e.action === 'congress.moved' ||
      (e.target === undefined && !NOT_SHOWN.has(e.action)),
  );
}

export function congressEventSequence(state: PlanState): number {
  return revisionOf(state, (e) => e.action === 'congress.moved');
}

function inScope(scope: FeedScope, task: TaskState): boolean {
  switch (scope.kind) {
    case 'unit':
      return true;
    case 'person':
      return task.responsible === scope.personId;
    case 'agency':
      return task.leadAgency === scope.agencyCode || (task.coordinatingAgencies ?? []).includes(scope.agencyCode);
  }
}

const uid = (...parts: string[]) => `${parts.map((p) => p.replace(/[^A-Za-z0-9_.-]+/g, '_')).join('.')}@tminus`;

export interface FeedOptions {
  /** The calendar's name as the app shows it. */
  name: string;
  /** When the feed was made (DTSTAMP). */
  now: number;
}

/** One feed over the plans given (one for a unit; a congress's plans for a person or an agency). */
export function calendarFeed(scope: FeedScope, plans: PlanState[], options: FeedOptions): string {
  const calendar = ical({
    name: options.name,
    prodId: { company: 'tminus', product: 'lich-dai-hoi', language: 'VI' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 15 * 60,
  });
  const stamp = new Date(options.now);
  const sorted = [...plans].sort((a, b) => a.definition.unitCode.localeCompare(b.definition.unitCode));
  const congress = sorted[0]?.congress;
  if (congress) {
    calendar.createEvent({
      id: uid('congress', congress.id),
      summary: congress.name,
      allDay: true,
      // All-day events end on the day after (DTEND is exclusive).
      start: dateOnly(congress.startDate),
      end: dateOnly(addCalendarDays(congress.endDate, 1)),
      sequence: Math.max(...sorted.map(congressEventSequence)),
      stamp,
      description: `Các ngày Đại hội: ${congress.startDate} đến ${congress.endDate}.`,
    });
  }
  for (const state of sorted) {
    const names = nameBook(state);
    const unit = state.definition.unitName;
    for (const task of orderedTasks(state)) {
      const deadline = effectiveDeadline(task);
      if (deadline === undefined || !inScope(scope, task)) continue;
      const dropped = task.status === 'cancelled' || task.status === 'waived';
      const done = task.status === 'done';
      const event = calendar.createEvent({
        id: uid('task', state.congress.id, state.definition.unitCode, task.id),
        summary: `${done ? '[Đã hoàn thành] ' : ''}Hạn ${task.id}: ${task.title}`,
        start: new Date(deadline - DEADLINE_EVENT_MS),
        end: new Date(deadline),
        sequence: taskEventSequence(state, task),
        stamp,
        status: dropped ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        description: [
          `Bộ phận: ${unit}`,
          `Nhóm: ${names.group(task.group)}`,
          `Chủ trì: ${names.agency(task.leadAgency)}`,
          ...(task.coordinatingAgencies?.length
            ? [`Phối hợp: ${task.coordinatingAgencies.map(names.agency).join(', ')}`]
            : []),
          ...(task.responsible ? [`Người phụ trách: ${names.person(task.responsible)}`] : []),
          `Trạng thái: ${TASK_STATUS_WORDS[task.status]} — ${REPORTING_CATEGORY_WORDS[reportingCategory(task, options.now)]}`,
          `Tiến độ: ${done ? 100 : task.progress}%`,
        ].join('\n'),
      });
      if (done || dropped) continue;
      for (const before of state.definition.reminders) {
        event.createAlarm({
          type: ICalAlarmType.display,
          triggerBefore: parseDuration(before, 'reminders') / 1000 - DEADLINE_EVENT_MS / 1000,
          description: `Nhắc việc: ${task.title} — đến hạn sau ${durationWords(parseDuration(before, 'reminders'))}`,
        });
      }
    }
    if (scope.kind !== 'unit') continue;
    const checkIns = new Set<number>();
    for (const entry of state.audit) {
      if (entry.action === 'plan.check-in' && typeof entry.details?.at === 'number') checkIns.add(entry.details.at);
    }
    if (state.nextCheckInAt !== undefined && state.status !== 'closed' && state.status !== 'stopped') {
      checkIns.add(state.nextCheckInAt);
    }
    for (const atMs of [...checkIns].sort((a, b) => a - b)) {
      calendar.createEvent({
        id: uid('check-in', state.congress.id, state.definition.unitCode, String(atMs)),
        summary: `Giao ban tiến độ — ${unit}`,
        start: new Date(atMs),
        end: new Date(atMs + CHECK_IN_MS),
        sequence: 0,
        stamp,
        description: `Kỳ giao ban định kỳ của ${unit}: báo cáo tiến độ, nhiệm vụ quá hạn, kiến nghị.`,
      });
    }
  }
  return calendar.toString();
}

/** A local date as a Date whose UTC parts are that date, for all-day events (written as VALUE=DATE). */
function dateOnly(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}
