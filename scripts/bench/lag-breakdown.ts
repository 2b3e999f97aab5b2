/**
 * Where escalation lag goes, read from the plans' histories (server timestamps, one clock): from the deadline
 * to the timer firing, to the workflow task that fires the step starting and completing, to the delivery
 * activity being picked up and completing; and from the activity's start to the notice reaching the receiver.
 */
import type { temporal } from '@temporalio/proto';
import type { BenchContext } from './context';
import { mapLimit } from './context';
import type { ReceivedNotice } from './receiver';
import { distribution, type Distribution } from './stats';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface LagBreakdown {
  plans: number;
  /** Deadline → the timer fired (the server's timer queue). */
  timerFired: Distribution;
  /** Timer fired → the worker picked up the workflow task (task queue, worker slots). */
  workflowTaskPickedUp: Distribution;
  /** Picked up → completed (the plan's own computing, on the worker). */
  workflowTaskRan: Distribution;
  /** Activity scheduled → started (activity task queue, worker activity slots). */
  activityPickedUp: Distribution;
  /** Activity started → completed (the webhook calls). */
  activityRan: Distribution;
  /** Activity started → the plan's first notice reached the receiver. */
  firstNoticeAfterActivityStart: Distribution;
}

export function eventMs(e: HistoryEvent): number {
  return Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
}

/** The first event after `from` (by position) that `pick` accepts. */
function after(events: HistoryEvent[], from: number, pick: (e: HistoryEvent) => boolean): number {
  for (let i = from + 1; i < events.length; i++) if (pick(events[i])) return i;
  return -1;
}

export async function lagBreakdown(
  ctx: BenchContext,
  workflowIds: string[],
  deadline: number,
  notices: ReceivedNotice[],
): Promise<LagBreakdown> {
  const parts = {
    timerFired: [] as number[],
    workflowTaskPickedUp: [] as number[],
    workflowTaskRan: [] as number[],
    activityPickedUp: [] as number[],
    activityRan: [] as number[],
    firstNoticeAfterActivityStart: [] as number[],
  };
  await mapLimit(workflowIds, 8, async (workflowId) => {
    const events = (await ctx.stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const fired = events.findIndex((e) => e.timerFiredEventAttributes && eventMs(e) >= deadline - 1);
    if (fired < 0) return;
    parts.timerFired.push(eventMs(events[fired]) - deadline);
    const started = after(events, fired, (e) => !!e.workflowTaskStartedEventAttributes);
    const completed = after(events, started, (e) => !!e.workflowTaskCompletedEventAttributes);
    if (started < 0 || completed < 0) return;
    parts.workflowTaskPickedUp.push(eventMs(events[started]) - eventMs(events[fired]));
    parts.workflowTaskRan.push(eventMs(events[completed]) - eventMs(events[started]));
    const scheduled = after(
      events,
      completed,
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverNotifications',
    );
    if (scheduled < 0) return;
    const id = events[scheduled].eventId?.toString();
    const activityStarted = events.findIndex(
      (e) => e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === id,
    );
    const activityCompleted = events.findIndex(
      (e) => e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === id,
    );
    // The started event is written when the activity completes, but carries the time it was picked up.
    if (activityStarted >= 0) {
      parts.activityPickedUp.push(eventMs(events[activityStarted]) - eventMs(events[scheduled]));
      const unit = workflowId.split('/').pop();
      const first = Math.min(...notices.filter((n) => n.unitCode === unit).map((n) => n.firstArrival));
      if (Number.isFinite(first)) parts.firstNoticeAfterActivityStart.push(first - eventMs(events[activityStarted]));
    }
    if (activityStarted >= 0 && activityCompleted >= 0) {
      parts.activityRan.push(eventMs(events[activityCompleted]) - eventMs(events[activityStarted]));
    }
  });
  return {
    plans: parts.timerFired.length,
    timerFired: distribution(parts.timerFired),
    workflowTaskPickedUp: distribution(parts.workflowTaskPickedUp),
    workflowTaskRan: distribution(parts.workflowTaskRan),
    activityPickedUp: distribution(parts.activityPickedUp),
    activityRan: distribution(parts.activityRan),
    firstNoticeAfterActivityStart: distribution(parts.firstNoticeAfterActivityStart),
  };
}
