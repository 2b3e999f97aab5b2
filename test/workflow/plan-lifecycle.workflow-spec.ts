/**
 * A whole plan's life on simulated time: about 100 tasks from T-120 days to a week after the congress,
 * with the plan's own approval, weekly work by the unit, one task left to climb the ladder, continue-as-new,
 * and a worker replaced in the middle.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import {
  congressRelaySignal,
  planQueries,
  planUpdates,
  planWorkflowId,
  UNIT_PLAN_WORKFLOW_TYPE,
} from '../../libs/contracts';
import {
  DAY_MS,
  addCalendarDays,
  generatedPlan,
  localDateOf,
  provincialCongress,
  type Actor,
  type ApprovalView,
} from '../../libs/domain';
import { coordinator, recordHistoryIfAsked, startUnitPlan, withRunningWorker, type Harness } from './harness';

const approvers: Actor[] = [1, 2].map((n) => ({
  id: `btv-${n}`,
  name: `Ủy viên Ban Thường vụ ${n}`,
  roles: ['approver'],
}));

async function approveAll(handle: WorkflowHandle, pending: ApprovalView[]): Promise<void> {
  for (const approval of pending) {
    for (const actor of approvers) {
      if (approval.decisions.some((d) => d.by === actor.id)) continue;
      const result = await handle.executeUpdate(planUpdates.decide, {
        args: [{ approvalId: approval.id, decision: 'approve', comment: 'Đồng ý', actor }],
      });
      if (result.status !== 'pending') break;
    }
  }
}

/** Does the unit's week: completes every task due within `horizonMs`, except those in `skip`. */
async function doTheWeek(h: Harness, handle: WorkflowHandle, horizonMs: number, skip: Set<string>): Promise<number> {
  let completed = 0;
  for (let pass = 0; pass < 20; pass++) {
    const now = await h.env.currentTimeMs();
    const view = await handle.query(planQueries.view);
    await approveAll(handle, view.pendingApprovals);
    const due = view.tasks.filter(
      (t) =>
        ['open', 'in_progress', 'reopened'].includes(t.status) &&
        !skip.has(t.id) &&
        (t.deadline === undefined || Date.parse(t.deadline) <= now + horizonMs),
    );
    if (due.length === 0) break;
    for (const task of due) {
      await handle.executeUpdate(planUpdates.completeTask, { args: [{ taskId: task.id, actor: coordinator }] });
      completed++;
    }
  }
  return completed;
}

describe('a 100-task plan from T-120 days to T+7 days', () => {
  // The first worker runs without a cache: it is replaced in the middle (see Harness.newWorker).
  const ctx = withRunningWorker('lifecycle', { cache: false });

  it('runs its whole life, survives continue-as-new and a replaced worker, and closes with its reports', async () => {
    const h = ctx.h;
    const start = await h.env.currentTimeMs();
    const congress = provincialCongress('dh-lifecycle', addCalendarDays(localDateOf(start, 'Asia/Ho_Chi_Minh'), 120));
    const plan = generatedPlan(100);
    const workflowId = planWorkflowId(congress.id, plan.unitCode);
    const handle = await startUnitPlan(h, {
      kind: 'start',
      congress,
      plan,
      options: { continueAsNewAfterEvents: 1800 },
    });
    const firstRunId = handle.firstExecutionRunId;

    // Draft: members send written comments; after the 3-day window the plan goes to the Standing Committee.
    await handle.executeUpdate(planUpdates.submitComment, {
      args: [{ text: 'Đề nghị bổ sung tiến độ cho từng tổ', actor: approvers[0] }],
    });
    expect((await handle.query(planQueries.view)).status).toBe('draft');
    await h.env.sleep(3 * DAY_MS + 60_000);
    const submitted = await handle.query(planQueries.view);
    expect(submitted.status).toBe('awaiting_approval');
    expect(submitted.pendingApprovals.map((a) => a.kind)).toEqual(['plan']);
    await approveAll(handle, submitted.pendingApprovals);
    expect((await handle.query(planQueries.view)).status).toBe('active');

    // G-011 is left undone: it must climb all four steps of the ladder.
    const late = 'G-011';
    const skip = new Set([late]);
    let completed = 0;
    let replacedWorker = false;
    const congressStart = Date.parse((await handle.query(planQueries.view)).tasks[0].deadline!) + 110 * DAY_MS;
    while ((await h.env.currentTimeMs()) < congressStart + 8 * DAY_MS) {
      completed += await doTheWeek(h, handle, 7 * DAY_MS, skip);
      const lateTask = (await handle.query(planQueries.escalations)).find((t) => t.id === late);
      if (lateTask?.firedLevels.length === 4) skip.delete(late);
      if (!replacedWorker && (await h.env.currentTimeMs()) > start + 14 * DAY_MS) {
        // Replace the worker mid-plan. While none polls, a message arrives: the new worker must apply it.
        // (The time-skipping server holds its clock while a workflow task waits for a worker, so no sleep here.)
        replacedWorker = true;
        await ctx.stopWorker();
        // (A relayed command: the congress's channel only takes system commands.)
        await handle.signal(congressRelaySignal, {
          type: 'externalTaskCompleted',
          ref: 'BPHC:HC-01',
          at: await h.env.currentTimeMs(),
          actor: { id: 'system', name: 'tminus', roles: ['system'] },
        });
        await ctx.startWorker();
        const { total } = await handle.query(planQueries.audit, { limit: 1 });
        const { entries } = await handle.query(planQueries.audit, { offset: Math.max(0, total - 100), limit: 100 });
        expect(entries.filter((e) => e.action === 'dependency.completed').map((e) => e.target)).toContain('BPHC:HC-01');
      }
      if ((await handle.describe()).status.name !== 'RUNNING') break;
      await h.env.sleep(7 * DAY_MS);
    }
    expect(replacedWorker).toBe(true);
    const result = await handle.result();
    expect(result.status).toBe('closed');
    expect(result.report.total).toBe(100);
    expect(result.report.done).toBe(100);

    // Continue-as-new happened and kept everything.
    const lastRun = await handle.describe();
    expect(lastRun.runId).not.toBe(firstRunId);
    const escalations = h.webhook.byTask(late).filter((n) => n.level !== undefined);
    expect(escalations.map((n) => n.level)).toEqual([1, 2, 3, 4]);
    expect(new Set(h.webhook.received.map((n) => n.idempotencyKey)).size).toBe(h.webhook.received.length);
    expect(h.webhook.received.every((n) => n.signatureValid)).toBe(true);

    // History events over the plan's whole life (every run of the chain).
    let events = 0;
    let runs = 0;
    for (let runId: string | undefined = firstRunId; runId; runs++) {
      const history: temporal.api.history.v1.IHistory = await h.env.client.workflow
        .getHandle(workflowId, runId)
        .fetchHistory();
      events += history.events?.length ?? 0;
      const last: temporal.api.history.v1.IHistoryEvent | undefined = history.events?.[history.events.length - 1];
      runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    console.log(
      `100-task plan: ${completed} completions by the unit, ${h.webhook.received.length} notifications, ${events} history events over ${runs} runs`,
    );
    expect(runs).toBeGreaterThan(1);

    const { readdir } = await import('node:fs/promises');
    const files = await readdir(`${h.reportsDir}/plan__dh-lifecycle__BPTH`);
    expect(files).toEqual(expect.arrayContaining(['archive.json', 'closing-report.json', 'closing-report.md']));
    expect(files.some((f) => f.startsWith('check-in_'))).toBe(true);
    // Files are written within workflow tasks (local activities: one marker each, no activity task and no workflow
    // task of their own); only deliveries to receivers are activities.
    const lastEvents = (await handle.fetchHistory()).events ?? [];
    const scheduled = new Set(
      lastEvents.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter((n) => n !== undefined),
    );
    expect([...scheduled].filter((name) => name !== 'deliverNotifications')).toEqual([]);
    expect(lastEvents.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBe(
      2, // the closing report and the archive
    );
    await recordHistoryIfAsked(h.env, workflowId, UNIT_PLAN_WORKFLOW_TYPE, 'lifecycle-100-tasks-last-run');
    // About 40 s on an idle two-core machine; the cache-less first worker replays the history on every task, which
    // a loaded CI machine stretched past the default five minutes.
  }, 900_000);
});
