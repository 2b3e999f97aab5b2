/**
 * Events per task over a typical plan life, modelled on the source reports: tasks share deadline dates (a
 * reminder serves several), each gets a progress report and is completed; about one in five runs late and gets
 * its first ladder step first; a couple go to the Standing Committee and are approved. Unlike the compressed
 * lives (life.ts), the plans run under their congress workflow, as in production, so that what they tell the
 * congress (progress signals, and the workflow task each brings back) is counted.
 */
import {
  CONGRESS_WORKFLOW_TYPE,
  DEFAULT_TASK_QUEUE,
  congressStartSearchAttributes,
  congressWorkflowId,
  planQueries,
  planUpdates,
  planWorkflowId,
  type CongressInput,
} from '../../libs/contracts';
import type { Actor } from '../../libs/domain';
import { loadText, mapLimit, runsOf, sleep, waitForPlans, waitUntilEnded, type BenchContext } from './context';
import { benchPlan, congressEndOf, endedCongress, isoAt, unitCode } from './fixtures';
import { eventTypesOf } from './history';
import type { Row } from './report';
import { distribution, type Distribution } from './stats';

const TASKS_PER_PLAN = 20;
/** Deadline dates: the tasks are spread over four, five per date. */
const DATES = 4;
const SPACING_S = 8;
const REMINDER_S = 6;
/** Tasks 5, 10, 15, 20 are completed late (after their first ladder step); 3 and 13 need approval. */
const isLate = (t: number) => (t + 1) % 5 === 0;
const needsApproval = (t: number) => t === 2 || t === 12;
const COORDINATOR: Actor = { id: 'vptu-tt1', name: 'Lê Minh Thường trực', roles: ['coordinator'] };
const approver = (n: number): Actor => ({ id: `btv-${n}`, name: `Ủy viên Ban Thường vụ ${n}`, roles: ['approver'] });

export interface TypicalLifeResult {
  plans: number;
  tasksPerPlan: number;
  updates: number;
  eventsPerPlan: Distribution;
  eventsPerTask: Distribution;
  /** Event types over the first plan's life (all runs). */
  eventTypes: Record<string, number>;
  congressEvents: number;
  closed: number;
  load: string;
}

export async function runTypicalLife(ctx: BenchContext): Promise<{ result: TypicalLifeResult; rows: Row[] }> {
  const planCount = ctx.settings.life.plans >= 40 ? 12 : 6;
  const load = loadText();
  const started = Date.now();
  const congress = endedCongress(`bench-typical-${started}`, started);
  const firstDue = Math.ceil((started + (30 + 2 * planCount) * 1000) / 1000) * 1000;
  const dueAt = (t: number) => firstDue + Math.floor(t / (TASKS_PER_PLAN / DATES)) * SPACING_S * 1000;
  const lastDue = dueAt(TASKS_PER_PLAN - 1);
  // Closes on its own a while after the last late completion, should a task be left open.
  const closeAfterS = Math.ceil((lastDue + 60_000 - congressEndOf(congress)) / 1000);
  const later = isoAt(lastDue + 3600_000);
  const plans = Array.from({ length: planCount }, (_, p) =>
    benchPlan({
      unitCode: unitCode('TYP', p + 1),
      tasks: Array.from({ length: TASKS_PER_PLAN }, (_, t) => ({
        id: `T-${t + 1}`,
        due: needsApproval(t) ? later : isoAt(dueAt(t)),
        requiresApproval: needsApproval(t),
      })),
      reminders: [`${REMINDER_S}s`],
      ladder: [
        { after: '0s', notify: ['assignee', 'leadAgencyHead'] },
        { after: '30d', notify: ['unitLead'] },
      ],
      closeAfter: `${closeAfterS}s`,
    }),
  );
  // The congress already over, so that the plans close within the run: started with the client, as the API
  // refuses a congress that has begun.
  const input: CongressInput = { kind: 'start', congress, plans };
  const congressId = congressWorkflowId(congress.id);
  await ctx.stack.client.workflow.start(CONGRESS_WORKFLOW_TYPE, {
    workflowId: congressId,
    taskQueue: DEFAULT_TASK_QUEUE,
    args: [input],
    typedSearchAttributes: congressStartSearchAttributes(congress.id),
  });
  const workflowIds = plans.map((p) => planWorkflowId(congress.id, p.unitCode));
  await waitForPlans(ctx, workflowIds, firstDue - Date.now() - 5000);
  ctx.log(
    `typical life: ${planCount} plans × ${TASKS_PER_PLAN} tasks under congress ${congress.id}, deadlines on ${DATES} dates from ${isoAt(firstDue)}`,
  );

  let updates = 0;
  const update = async (p: number, type: 'reportProgress' | 'completeTask', args: Record<string, unknown>) => {
    await ctx.stack.client.workflow
      .getHandle(workflowIds[p])
      .executeUpdate(planUpdates[type] as never, { args: [{ ...args, actor: COORDINATOR }] as never });
    updates++;
  };
  const allPlans = (fn: (p: number) => Promise<void>) =>
    mapLimit(
      plans.map((_, p) => p),
      8,
      fn,
    );
  // The two approval tasks: done, sent to the Standing Committee, approved by two of its three members.
  await allPlans(async (p) => {
    for (const t of [2, 12]) await update(p, 'completeTask', { taskId: `T-${t + 1}` });
    const handle = ctx.stack.client.workflow.getHandle(workflowIds[p]);
    const pending = (await handle.query(planQueries.approvals)).filter((a) => a.status === 'pending');
    for (const approval of pending) {
      for (const n of [1, 2]) {
        await handle.executeUpdate(planUpdates.decide, {
          args: [{ approvalId: approval.id, decision: 'approve', actor: approver(n) }],
        });
        updates++;
      }
    }
  });
  // Date by date: a progress report on each task after its reminder, the on-time ones completed before the
  // deadline, the late ones two seconds after it (their first ladder step has gone out by then).
  for (let d = 0; d < DATES; d++) {
    const onDate = Array.from({ length: TASKS_PER_PLAN }, (_, t) => t).filter(
      (t) => !needsApproval(t) && Math.floor(t / (TASKS_PER_PLAN / DATES)) === d,
    );
    const due = dueAt(onDate[0]);
    await sleep(due - REMINDER_S * 1000 + 1000 - Date.now());
    await allPlans(async (p) => {
      for (const t of onDate) await update(p, 'reportProgress', { taskId: `T-${t + 1}`, progress: 50 });
      for (const t of onDate.filter((t) => !isLate(t))) await update(p, 'completeTask', { taskId: `T-${t + 1}` });
    });
    await sleep(due + 2000 - Date.now());
    await allPlans(async (p) => {
      for (const t of onDate.filter(isLate)) await update(p, 'completeTask', { taskId: `T-${t + 1}` });
    });
  }
  // Every task settled and the congress over: the plans close, and then the congress.
  const closed = planCount - (await waitUntilEnded(ctx, workflowIds, Date.now() + 90_000)).length;
  await sleep(2000);
  const perPlan = await mapLimit(workflowIds, 4, (id) => runsOf(ctx, id));
  const eventsPerPlan = perPlan.map((runs) => runs.reduce((sum, r) => sum + r.events, 0));
  const eventTypes = await eventTypesOf(ctx, workflowIds[0]);
  const congressEvents = (await runsOf(ctx, congressId)).reduce((sum, r) => sum + r.events, 0);
  ctx.log(
    `  ${closed}/${planCount} plans closed; ${updates} updates; events of ${workflowIds[0]} by type: ${JSON.stringify(eventTypes)}`,
  );
  const result: TypicalLifeResult = {
    plans: planCount,
    tasksPerPlan: TASKS_PER_PLAN,
    updates,
    eventsPerPlan: distribution(eventsPerPlan),
    eventsPerTask: distribution(eventsPerPlan.map((e) => e / TASKS_PER_PLAN)),
    eventTypes,
    congressEvents,
    closed,
    load,
  };
  ctx.log(
    `  events per task ${result.eventsPerTask.max.toFixed(1)} (mean ${result.eventsPerTask.mean.toFixed(1)}); the congress: ${congressEvents} events`,
  );
  return {
    result,
    rows: [
      {
        section: 'history',
        measure: `events per task over a typical life (${planCount} plans × ${TASKS_PER_PLAN} tasks under their congress; ${closed} closed)`,
        figure: `${result.eventsPerTask.max.toFixed(1)} (mean ${result.eventsPerTask.mean.toFixed(1)})`,
        target: '≤ 25',
        met: result.eventsPerTask.max <= 25 && closed === planCount,
      },
    ],
  };
}
