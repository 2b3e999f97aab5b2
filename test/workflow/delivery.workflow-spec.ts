/**
 * Delivery never holds a plan's clock (issue 7), on the time-skipping server with the real activities and a
 * loopback webhook receiver that stalls and fails: a ladder step, an approval deadline, a check-in and the
 * closing each happen on time while notices cannot be delivered; messages arriving meanwhile are applied at
 * once; a notice that finally fails shows in the audit log, the plan view and a search attribute; and a plan
 * pushed to its state budget stays readable and writable.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { type ApplicationFailure } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import {
  SA,
  congressRelaySignal,
  planQueries,
  planUpdates,
  planWorkflowId,
  UNIT_PLAN_WORKFLOW_TYPE,
  type UnitPlanInput,
} from '../../libs/contracts';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  SYSTEM_ACTOR,
  TEXT_LIMITS,
  addCalendarDays,
  instantAt,
  localDateOf,
  nextCheckIn,
  generatedPlan,
  propagandaPlan,
  provincialCongress,
  type AuditEntry,
  type UnitPlanDefinition,
} from '../../libs/domain';
import { coordinator, recordHistoryIfAsked, startUnitPlan, withRunningWorker } from './harness';

const TZ = 'Asia/Ho_Chi_Minh';

describe('delivery that never holds the clock', () => {
  const ctx = withRunningWorker('delivery');

  /** The propaganda plan, running at once, for a congress 60 days away. */
  async function startRunningPlan(congressId: string, options: UnitPlanInput['options'] = {}) {
    const h = ctx.h;
    const now = await h.env.currentTimeMs();
    const congress = provincialCongress(congressId, addCalendarDays(localDateOf(now, TZ), 60));
    const plan = {
      ...propagandaPlan(),
      approvalPolicy: { quorum: 'majority' as const, decisionWindow: '5d', planRequiresApproval: false },
    };
    return startUnitPlan(h, { kind: 'start', congress, plan, options });
  }

  it('fires a ladder step, an approval deadline, a check-in and the closing on time while the receiver stalls and fails', async () => {
    const h = ctx.h;
    const now = await h.env.currentTimeMs();
    // Everything comes due around the next monthly check-in, C (08:00 on the 1st): the congress ends the day
    // before, a task falls due at 20:00 that day, its second ladder step at 02:00, an approval's deadline at
    // 04:00, the check-in at 08:00 and the closing at 12:00.
    const checkInAt = nextCheckIn(now + 3 * DAY_MS, 'monthly', TZ)!;
    const checkInDay = localDateOf(checkInAt, TZ);
    const lastCongressDay = addCalendarDays(checkInDay, -1);
    const congress = provincialCongress('dh-delivery', lastCongressDay);
    congress.endDate = lastCongressDay;
    const dueAt = instantAt(lastCongressDay, 20 * 60, TZ);
    const approvalDeadline = instantAt(checkInDay, 4 * 60, TZ);
    const closesAt = instantAt(checkInDay, 12 * 60, TZ);
    const base = propagandaPlan();
    const plan: UnitPlanDefinition = {
      ...base,
      tasks: [
        {
          id: 'X-01',
          title: 'Tổng hợp ý kiến đại biểu',
          group: 'noi-dung',
          phase: 'during',
          leadAgency: 'BTG',
          responsible: 'ptthang',
          due: 'E+0d@20:00',
        },
        {
          id: 'X-02',
          title: 'Duyệt bài phát biểu',
          group: 'noi-dung',
          phase: 'before',
          leadAgency: 'BTG',
          due: 'T+0d@07:00',
          requiresApproval: true,
        },
      ],
      escalationLadder: [
        { after: '0m', notify: ['assignee', 'leadAgencyHead'] },
        { after: '6h', notify: ['unitLead'] },
      ],
      approvalPolicy: { quorum: 'majority', decisionWindow: '1d', planRequiresApproval: false },
      scenarios: [],
      checkInCadence: 'monthly',
      closeAfter: '12h',
    };
    const workflowId = planWorkflowId(congress.id, plan.unitCode);
    const handle = await startUnitPlan(h, { kind: 'start', congress, plan });
    // Sent for approval so that its deadline is at 04:00 on the check-in day.
    await h.env.sleep(approvalDeadline - DAY_MS - (await h.env.currentTimeMs()));
    const sent = await handle.executeUpdate(planUpdates.completeTask, {
      args: [{ taskId: 'X-02', actor: coordinator }],
    });
    expect(sent.approvalId).toBe('A1');

    // The receiver goes down an hour before the deadline: the first requests stall, then every one fails.
    let outage = true;
    let stalled = 0;
    h.webhook.behaviour = () =>
      !outage ? { status: 204 } : stalled++ < 2 ? { status: 503, stallMs: 1500 } : { status: 503 };
    await h.env.sleep(dueAt - HOUR_MS - (await h.env.currentTimeMs()));

    // A message during the outage, while the overdue notice is being retried: applied at once.
    await h.env.sleep(2 * HOUR_MS);
    const progressAt = await h.env.currentTimeMs();
    const progress = await handle.executeUpdate(planUpdates.reportProgress, {
      args: [{ taskId: 'X-01', progress: 40, actor: coordinator }],
    });
    expect(progress.status).toBe('in_progress');
    await handle.signal(congressRelaySignal, {
      type: 'externalTaskCompleted',
      ref: 'BPHC:HC-01',
      at: progressAt,
      actor: SYSTEM_ACTOR,
    });

    await h.env.sleep(closesAt + HOUR_MS - (await h.env.currentTimeMs()));
    const audit = (await handle.query(planQueries.audit, { limit: 500 })).entries;
    const when = (action: string, match: (e: AuditEntry) => boolean = () => true) =>
      audit.find((e) => e.action === action && match(e))?.at ?? Number.NaN;
    // Each on time, although no notice has been delivered since the outage began; the messages sent during
    // the outage applied when they arrived. Timers fire a few milliseconds late; a minute late is a miss.
    const lateness = {
      'ladder level 1': when('task.escalated', (e) => e.details?.level === 1) - dueAt,
      'ladder level 2': when('task.escalated', (e) => e.details?.level === 2) - (dueAt + 6 * HOUR_MS),
      'approval deadline': when('approval.escalated') - approvalDeadline,
      'check-in': when('plan.check-in') - checkInAt,
      closing: when('plan.closed') - closesAt,
      'update during the outage': when('task.progress') - progressAt,
      'relayed command during the outage': when('dependency.completed') - progressAt,
    };
    console.info(`lateness (ms) while the receiver is down: ${JSON.stringify(lateness)}`);
    for (const late of Object.values(lateness)) expect([late >= 0, late < MINUTE_MS]).toEqual([true, true]);
    expect(h.webhook.received.filter((n) => n.createdAt >= new Date(dueAt).toISOString())).toEqual([]);

    // The overdue notice was retried for hours and finally failed: in the audit log, the view and a search attribute.
    const view = await handle.query(planQueries.view);
    expect(view.failedDeliveries?.map((f) => f.key)).toEqual(expect.arrayContaining([`escalation:X-01:${dueAt}:1`]));
    expect(audit.some((e) => e.action === 'effect.failed' && e.target === `escalation:X-01:${dueAt}:1`)).toBe(true);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(SA.failedDeliveries)).toBeGreaterThanOrEqual(1);

    // The receiver is back: what is still in the outbox goes out (each notice under its own key), and the plan ends.
    outage = false;
    await h.env.sleep(DAY_MS);
    const result = await handle.result();
    expect(result.status).toBe('closed');
    const keys = h.webhook.received.map((n) => n.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining([`${workflowId}/check-in-notice:${checkInAt}`]));
    await recordHistoryIfAsked(
      h.env,
      workflowId,
      UNIT_PLAN_WORKFLOW_TYPE,
      'delivery-outage.patched-engine-by-capability',
    );
  });

  it('a plan pushed to its state budget stays readable and writable', async () => {
    const h = ctx.h;
    h.webhook.behaviour = () => ({ status: 204 });
    const now = await h.env.currentTimeMs();
    const congress = provincialCongress('dh-budget', addCalendarDays(localDateOf(now, TZ), 60));
    const plan = propagandaPlan();
    const handle = await startUnitPlan(h, { kind: 'start', congress, plan });
    // 150 comments of 5,000 three-byte characters: 2.2 MB, more than a payload may hold (this killed a plan).
    const text = 'ệ'.repeat(TEXT_LIMITS.commentText);
    let accepted = 0;
    const refusals: string[] = [];
    for (let i = 0; i < 150; i++) {
      try {
        await handle.executeUpdate(planUpdates.submitComment, { args: [{ text, actor: coordinator }] });
        accepted++;
      } catch (err) {
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
        refusals.push(cause.type ?? '');
      }
    }
    expect(new Set(refusals)).toEqual(new Set(refusals.length > 0 ? ['STATE_BUDGET_EXCEEDED'] : []));
    expect(accepted).toBeGreaterThan(100);
    // Readable and writable.
    const view = await handle.query(planQueries.view);
    expect(view.comments.length).toBeLessThan(40);
    expect((view.commentsArchived ?? 0) + view.comments.length).toBe(accepted);
    const state = await handle.query(planQueries.state);
    expect(Buffer.byteLength(JSON.stringify(state))).toBeLessThan(1024 * 1024 + 100_000);
    const reply = await handle.executeUpdate(planUpdates.submitComment, {
      args: [{ text: 'Ý kiến ngắn', actor: coordinator }],
    });
    expect(reply.ok).toBe(true);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });

  it('costs at most 5 history events per update, with no timer re-armed when the next wake-up does not change', async () => {
    const h = ctx.h;
    h.webhook.behaviour = () => ({ status: 204 });
    const handle = await startRunningPlan('dh-cost', {});
    await handle.executeUpdate(planUpdates.reportProgress, {
      args: [{ taskId: 'TT-03', progress: 10, actor: coordinator }],
    });
    await h.env.sleep(MINUTE_MS);
    const costs: number[] = [];
    for (const progress of [20, 30, 40]) {
      const before = (await handle.fetchHistory()).events?.length ?? 0;
      await handle.executeUpdate(planUpdates.reportProgress, {
        args: [{ taskId: 'TT-03', progress, actor: coordinator }],
      });
      const events = (await handle.fetchHistory()).events ?? [];
      costs.push(events.length - before);
      expect(events.slice(before).some((e) => e.timerStartedEventAttributes || e.timerCanceledEventAttributes)).toBe(
        false,
      );
    }
    console.info(`history events per update: ${costs.join(', ')}`);
    expect(Math.max(...costs)).toBeLessThanOrEqual(5);
  });

  it('keeps undelivered notices in the outbox through continue-as-new, and delivers them once the receiver is back', async () => {
    const h = ctx.h;
    let outage = true;
    h.webhook.behaviour = () => (outage ? { status: 503 } : { status: 204 });
    const handle = await startRunningPlan('dh-carry', { continueAsNewAfterEvents: 60 });
    const firstRun = (await handle.describe()).runId;
    // TT-01 was due long ago: its overdue notice cannot go out.
    const overdueKey = (await handle.query(planQueries.state)).outbox.find((e) =>
      e.key.startsWith('escalation:TT-01'),
    )?.key;
    expect(overdueKey).toBeDefined();
    for (let i = 1; i <= 20 && (await handle.describe()).runId === firstRun; i++) {
      await handle.executeUpdate(planUpdates.reportProgress, {
        args: [{ taskId: 'TT-03', progress: i, actor: coordinator }],
      });
    }
    // The run about to continue as new gives the delivery in flight its ten seconds first.
    await h.env.sleep(MINUTE_MS);
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect((await handle.query(planQueries.state)).outbox.map((e) => e.key)).toContain(overdueKey);
    outage = false;
    await h.env.sleep(HOUR_MS);
    const delivered = h.webhook.received.filter((n) => n.idempotencyKey.endsWith(`/${overdueKey}`));
    expect(delivered.length).toBeGreaterThanOrEqual(1);
    expect((await handle.query(planQueries.state)).outbox.map((e) => e.key)).not.toContain(overdueKey);
  });

  it('never ends a run with a delivery it scheduled and nobody started: the next run carries the outbox', async () => {
    const h = ctx.h;
    h.webhook.behaviour = () => ({ status: 204 });
    const now = await h.env.currentTimeMs();
    const congress = provincialCongress('dh-can-effects', addCalendarDays(localDateOf(now, TZ), 21));
    const plan: UnitPlanDefinition = {
      ...generatedPlan(30, { spanDays: 20 }),
      approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: false },
    };
    const handle = await startUnitPlan(h, { kind: 'start', congress, plan, options: { continueAsNewAfterEvents: 40 } });
    // Day by day through the reminders and deadlines, each day's wake-up delivering notices; a run that ended with
    // an activity scheduled and never started stopped the time-skipping server's clock (a lock it never released),
    // so each day is given a minute of real time before the runs are looked at.
    for (let day = 0; day < 22; day++) {
      const slept = h.env.sleep(DAY_MS).then(
        () => true,
        () => false,
      );
      const inTime = await Promise.race([slept, new Promise<false>((r) => setTimeout(() => r(false), 60_000))]);
      if (!inTime) break;
    }
    const runs: string[] = [];
    const abandoned: string[] = [];
    let runId: string | undefined = (await handle.describe()).runId;
    while (runId) {
      const history: temporal.api.history.v1.IHistory = await h.env.client.workflow
        .getHandle(handle.workflowId, runId)
        .fetchHistory();
      const events = history.events ?? [];
      const started = new Set(events.map((e) => e.activityTaskStartedEventAttributes?.scheduledEventId?.toString()));
      for (const e of events) {
        if (e.activityTaskScheduledEventAttributes && !started.has(e.eventId?.toString())) {
          abandoned.push(`${runId} #${e.eventId}`);
        }
      }
      runs.push(runId);
      const previous: string | null | undefined =
        events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      runId = previous || undefined;
    }
    expect(runs.length).toBeGreaterThanOrEqual(3);
    // The current run may have one delivery in flight; every run that continued as new must have none left.
    const current = runs[0];
    expect(abandoned.filter((a) => !a.startsWith(current))).toEqual([]);
    expect(h.webhook.received.some((n) => n.idempotencyKey.includes('dh-can-effects'))).toBe(true);
    // A run that continued as new under the patch, for the replay tests.
    await recordHistoryIfAsked(
      h.env,
      handle.workflowId,
      UNIT_PLAN_WORKFLOW_TYPE,
      'continue-as-new-without-effects',
      runs[1],
    );
  });
});
